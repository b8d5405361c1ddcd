"""The checked-in python/crmkit/_ffi.py is what python/tools/gen_bindings.py
makes from include/crmkit.h today."""

import os
import shutil
import subprocess
import sys
import unittest

import pyhelpers

GENERATOR = os.path.join(pyhelpers.PYTHON_DIR, "tools", "gen_bindings.py")
FFI = os.path.join(pyhelpers.PYTHON_DIR, "crmkit", "_ffi.py")

try:
    import pycparser  # noqa: F401
    PYCPARSER_REASON = None
except ImportError as exc:
    PYCPARSER_REASON = "pycparser is not importable under %s (%s): cannot regenerate the bindings" % (
        sys.executable, exc)
    sys.stderr.write("test_generator: skipping: %s\n" % PYCPARSER_REASON)

CC = os.environ.get("CC") or "cc"
CC_REASON = None if shutil.which(CC.split()[0]) else "no C compiler %r on PATH" % CC


@unittest.skipIf(PYCPARSER_REASON, PYCPARSER_REASON)
@unittest.skipIf(CC_REASON, CC_REASON)
class TestGenerator(unittest.TestCase):
    def run_generator(self, *args):
        return subprocess.run([sys.executable, GENERATOR] + list(args), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True)

    def test_checked_in_bindings_are_current(self):
        out = self.run_generator("--check")
        self.assertEqual(out.returncode, 0, "python/crmkit/_ffi.py differs from the header; run "
                         "python3 python/tools/gen_bindings.py\n" + out.stderr)

    def test_check_detects_a_difference(self):
        import tempfile
        with open(FFI) as f:
            text = f.read()
        self.assertTrue(text.startswith("# GENERATED FILE - DO NOT EDIT."))
        self.assertIn("python/tools/gen_bindings.py", text.splitlines()[1])
        with tempfile.TemporaryDirectory() as tmp:
            stale = os.path.join(tmp, "_ffi.py")
            with open(stale, "w") as f:
                f.write(text.replace("CRM_STATUS_NO_DATA = 4", "CRM_STATUS_NO_DATA = 40"))
            out = self.run_generator("--check", "--output", stale)
            self.assertEqual(out.returncode, 1)
            self.assertIn("CRM_STATUS_NO_DATA", out.stderr)
            fresh = os.path.join(tmp, "fresh.py")
            out = self.run_generator("--output", fresh)
            self.assertEqual(out.returncode, 0, out.stderr)
            with open(fresh) as f:
                self.assertEqual(f.read(), text)

    def generate_from(self, header_text):
        """(returncode, generated text, stderr) for a header of the given text."""
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            header = os.path.join(tmp, "crmkit.h")
            with open(header, "w") as f:
                f.write(header_text)
            out_path = os.path.join(tmp, "out.py")
            out = self.run_generator("--header", header, "--output", out_path)
            text = ""
            if out.returncode == 0:
                with open(out_path) as f:
                    text = f.read()
            return out.returncode, text, out.stderr

    def test_each_enumeration_once_with_module_constants(self):
        with open(FFI) as f:
            text = f.read()
        # the values are written once, in the IntEnum class
        self.assertEqual(text.count("CRM_STATUS_NO_DATA = 4"), 1)
        self.assertIn("class crm_status(enum.IntEnum):", text)
        ffi = pyhelpers.crmkit.ffi
        self.assertEqual(ffi.CRM_STATUS_NO_DATA, 4)
        self.assertIs(type(ffi.CRM_STATUS_NO_DATA), int)
        self.assertEqual(ffi.crm_status.CRM_STATUS_NO_DATA, 4)
        self.assertEqual(ffi.crm_status(4).name, "CRM_STATUS_NO_DATA")
        self.assertEqual(ffi.ENUMS["crm_flag"]["CRM_FLAG_OVERDUE"], 1)
        self.assertEqual(ffi.CRM_NO_DAY, -2 ** 31)  # an anonymous enumeration: a constant only
        self.assertNotIn("CRM_NO_DAY", [n for members in ffi.ENUMS.values() for n in members])
        # no compiled-in counts: a binding asks crm_enum_count()
        for gone in ("CRM_COLUMN_COUNT", "CRM_OPTION_COUNT", "CRM_FATE_COUNT", "CRM_FLAG_COUNT",
                     "CRM_METRIC_COUNT", "CRM_KIND_COUNT"):
            self.assertFalse(hasattr(ffi, gone), gone)

    def test_plain_literal_macros(self):
        ffi = pyhelpers.crmkit.ffi
        self.assertEqual(ffi.CRM_TIME_MIN, -62135596800)
        self.assertEqual(ffi.CRM_TIME_MAX, 253402300799)
        self.assertEqual(ffi.CRM_TIME_MIN_DAYS, -719162)
        self.assertEqual(ffi.CRM_TIME_MAX_DAYS, 2932896)
        self.assertEqual(ffi.CRM_AMOUNT_MAX, 1e15)
        self.assertIsInstance(ffi.CRM_AMOUNT_MAX, float)
        self.assertEqual(ffi.CRM_VERSION_NUMBER, ffi.CRM_VERSION_MAJOR * 10000 + ffi.CRM_VERSION_MINOR * 100
                         + ffi.CRM_VERSION_PATCH)
        code, text, err = self.generate_from(
            "#define CRM_API\n"
            "#define CRM_A 12\n#define CRM_B (-7LL)\n#define CRM_C 0x10u\n#define CRM_D 2.5e-3\n"
            "#define CRM_E (-1.5f)\n#define CRM_F (CRM_A * 2 + CRM_C)\n#define CRM_G(x) ((x) + 1)\n"
            "#define CRM_H \"text\"\n#define CRM_I\n"
            "typedef enum crm_thing { CRM_THING_ONE = 1 } crm_thing;\n"
            "CRM_API int crm_f(void);\n")
        self.assertEqual(code, 0, err)
        for line in ("CRM_A = 12\n", "CRM_B = -7\n", "CRM_C = 16\n", "CRM_D = 2.5e-3\n", "CRM_E = -1.5\n",
                     "CRM_F = 40  # (CRM_A * 2 + CRM_C)\n", "CRM_THING_ONE = 1\n"):
            self.assertIn(line, text)
        self.assertIn("not bound: CRM_G(x)", text)
        self.assertNotIn("CRM_H =", text)
        self.assertNotIn("CRM_I =", text)

    def test_naming_rule_is_checked(self):
        code, text, err = self.generate_from(
            "typedef enum crm_color { CRM_COLOR_RED = 0, CRM_BLUE = 1 } crm_color;\n")
        self.assertEqual(code, 2)
        self.assertIn("CRM_BLUE", err)
        self.assertIn("naming rule", err)


if __name__ == "__main__":
    unittest.main()

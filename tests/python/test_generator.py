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


if __name__ == "__main__":
    unittest.main()

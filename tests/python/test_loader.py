"""Finding the library and the version handshake, each in a fresh interpreter."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import pyhelpers
from pyhelpers import crmkit

CC = os.environ.get("CC") or "cc"
HAVE_CC = shutil.which(CC.split()[0]) is not None


def run_python(code, env_changes, pythonpath):
    env = dict(os.environ)
    for k, v in env_changes.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    env["PYTHONPATH"] = pythonpath
    return subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env, universal_newlines=True)


class TestLoader(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="crmkit_loader_")
        # a copy of the package outside any source tree
        cls.pkg_root = os.path.join(cls.tmp, "site")
        shutil.copytree(os.path.join(pyhelpers.PYTHON_DIR, "crmkit"), os.path.join(cls.pkg_root, "crmkit"),
                        ignore=shutil.ignore_patterns("__pycache__", "libcrmkit*"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_env_var_wins(self):
        out = run_python("import crmkit; print(crmkit.library_path)", {"CRMKIT_LIBRARY": crmkit.library_path},
                         self.pkg_root)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.strip(), os.path.abspath(crmkit.library_path))

    def test_bad_env_var(self):
        missing = os.path.join(self.tmp, "nowhere", "libcrmkit.so")
        out = run_python("import crmkit", {"CRMKIT_LIBRARY": missing}, self.pkg_root)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("LibraryNotFoundError", out.stderr)
        self.assertIn(missing, out.stderr)

    def test_copy_next_to_the_package(self):
        root = os.path.join(self.tmp, "installed")
        shutil.copytree(os.path.join(self.pkg_root, "crmkit"), os.path.join(root, "crmkit"))
        target = os.path.join(root, "crmkit", os.path.basename(os.path.realpath(crmkit.library_path)))
        shutil.copy(os.path.realpath(crmkit.library_path), target)
        out = run_python("import crmkit; print(crmkit.library_path)",
                         {"CRMKIT_LIBRARY": None, "LD_LIBRARY_PATH": None}, root)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.strip(), target)

    def test_not_found_lists_every_place(self):
        out = run_python("import crmkit; print('LOADED', crmkit.library_path)",
                         {"CRMKIT_LIBRARY": None, "LD_LIBRARY_PATH": None}, self.pkg_root)
        if out.returncode == 0:
            self.skipTest("a libcrmkit is installed on the system path: %s" % out.stdout.strip())
        self.assertIn("LibraryNotFoundError", out.stderr)
        for place in ("next to the package", "system library path", "build tree", "CRMKIT_LIBRARY"):
            self.assertIn(place, out.stderr)

    @unittest.skipUnless(HAVE_CC, "no C compiler to build a fake library")
    def test_version_mismatch(self):
        src = os.path.join(self.tmp, "fake.c")
        lib = os.path.join(self.tmp, "libfake.so")
        with open(src, "w") as f:
            f.write("int crm_version(void) { return 99999; }\n")
        subprocess.check_call(CC.split() + ["-shared", "-fPIC", "-o", lib, src])
        out = run_python("import crmkit", {"CRMKIT_LIBRARY": lib}, self.pkg_root)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("ImportError", out.stderr)
        self.assertIn("9.99.99", out.stderr)
        self.assertIn(crmkit.ffi.CRM_VERSION_STRING, out.stderr)

    @unittest.skipUnless(HAVE_CC, "no C compiler to build a fake library")
    def test_other_version_next_to_the_package_is_passed_over(self):
        root = os.path.join(self.tmp, "stale")
        shutil.copytree(os.path.join(self.pkg_root, "crmkit"), os.path.join(root, "crmkit"))
        src = os.path.join(self.tmp, "stale.c")
        with open(src, "w") as f:
            f.write("int crm_version(void) { return 99999; }\n")
        subprocess.check_call(CC.split() + ["-shared", "-fPIC", "-o",
                                            os.path.join(root, "crmkit", "libcrmkit.so.0.1"), src])
        out = run_python("import crmkit; print(crmkit.library_path)",
                         {"CRMKIT_LIBRARY": None, "LD_LIBRARY_PATH": None}, root)
        if out.returncode == 0:
            self.assertNotIn(root, out.stdout)  # a matching library elsewhere was used
            return
        self.assertIn("LibraryNotFoundError", out.stderr)
        self.assertIn("version mismatch", out.stderr)
        self.assertIn("9.99.99", out.stderr)

    def test_missing_symbols_are_reported(self):
        self.assertIsInstance(crmkit.lib.missing, list)
        if crmkit.lib.missing:
            sys.stderr.write("test_loader: the library lacks %s\n" % ", ".join(crmkit.lib.missing))
            with self.assertRaises(crmkit.MissingSymbolError):
                getattr(crmkit.lib, crmkit.lib.missing[0])()


if __name__ == "__main__":
    unittest.main()

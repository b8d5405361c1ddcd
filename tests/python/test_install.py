"""The install path: python/tools/build_wheel.py makes a wheel with the
library inside, pip installs it offline, and the installed package imports
from outside the source tree and loads its own copy of the library."""

import os
import subprocess
import sys
import tempfile
import unittest
import zipfile

import pyhelpers
from pyhelpers import crmkit

BUILD_WHEEL = os.path.join(pyhelpers.PYTHON_DIR, "tools", "build_wheel.py")


def have_pip():
    out = subprocess.run([sys.executable, "-m", "pip", "--version"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    return out.returncode == 0


PIP_REASON = None if have_pip() else "pip is not available under %s" % sys.executable


class TestWheel(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="crmkit_wheel_")
        self.addCleanup(self.tmp.cleanup)
        out = subprocess.run([sys.executable, BUILD_WHEEL, "--library", crmkit.library_path, "--out",
                              self.tmp.name], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             universal_newlines=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.wheel = out.stdout.strip().splitlines()[-1]

    def test_wheel_contents(self):
        name = os.path.basename(self.wheel)
        self.assertTrue(name.startswith("crmkit-%s-py3-none-" % crmkit.__version__), name)
        with zipfile.ZipFile(self.wheel) as z:
            names = z.namelist()
            self.assertIn("crmkit/__init__.py", names)
            self.assertIn("crmkit/_ffi.py", names)
            self.assertIn("crmkit/py.typed", names)  # PEP 561: the package's type hints are used
            self.assertTrue(any(n.startswith("crmkit/libcrmkit") for n in names), names)
            dist = "crmkit-%s.dist-info/" % crmkit.__version__
            for meta in ("METADATA", "WHEEL", "RECORD"):
                self.assertIn(dist + meta, names)
            record = z.read(dist + "RECORD").decode()
            self.assertEqual(len(record.strip().splitlines()), len(names))

    @unittest.skipIf(PIP_REASON, PIP_REASON)
    def test_pip_install_and_import(self):
        site = os.path.join(self.tmp.name, "site")
        out = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target", site,
                              self.wheel], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True)
        self.assertEqual(out.returncode, 0, out.stdout)
        env = dict(os.environ, PYTHONPATH=site)
        env.pop("CRMKIT_LIBRARY", None)
        code = "import crmkit; r = crmkit.analyze([1], [0], [2.0]); print(crmkit.library_path); print(len(r))"
        run = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=env, cwd=self.tmp.name, universal_newlines=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        path, rows = run.stdout.split()
        self.assertEqual(os.path.dirname(path), os.path.join(site, "crmkit"))
        self.assertEqual(rows, "1")


if __name__ == "__main__":
    unittest.main()

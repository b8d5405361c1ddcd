#!/usr/bin/env python3
"""Build a wheel of the crmkit package with libcrmkit inside it, offline and
with the standard library only (no setuptools, no `wheel` package).

  python3 python/tools/build_wheel.py --library build-release/libcrmkit.so --out dist/

The library file is stored as crmkit/libcrmkit.so.<SOVERSION> (the name the
loader tries first next to the package). The wheel is tagged
py3-none-<platform> because it carries a native library. python/install.sh
builds the library and installs this wheel with pip; `pip install ./python`
(setuptools) remains the way for environments that have setuptools and wheel.
"""

import argparse
import base64
import hashlib
import os
import re
import sys
import sysconfig
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(HERE)
PACKAGE_DIR = os.path.join(PYTHON_DIR, "crmkit")
EPOCH = (1980, 1, 1, 0, 0, 0)


def ffi_ints():
    with open(os.path.join(PACKAGE_DIR, "_ffi.py")) as f:
        text = f.read()
    out = {}
    for name in ("CRM_VERSION_MAJOR", "CRM_VERSION_MINOR", "CRM_VERSION_PATCH"):
        m = re.search(r"^%s = (\d+)" % name, text, re.M)
        if not m:
            raise SystemExit("build_wheel: %s not found in _ffi.py" % name)
        out[name] = int(m.group(1))
    return out


def platform_tag():
    return re.sub(r"[^A-Za-z0-9_]", "_", sysconfig.get_platform())


def library_name(v):
    so = "0.%d" % v["CRM_VERSION_MINOR"] if v["CRM_VERSION_MAJOR"] == 0 else "%d" % v["CRM_VERSION_MAJOR"]
    if sys.platform == "darwin":
        return "libcrmkit.%s.dylib" % so
    if sys.platform.startswith("win"):
        return "crmkit.dll"
    return "libcrmkit.so.%s" % so


def record_hash(data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode()


def build(library, out_dir):
    v = ffi_ints()
    version = "%d.%d.%d" % (v["CRM_VERSION_MAJOR"], v["CRM_VERSION_MINOR"], v["CRM_VERSION_PATCH"])
    tag = "py3-none-" + platform_tag()
    files = []
    for name in sorted(os.listdir(PACKAGE_DIR)):
        if name.endswith(".py") or name == "py.typed":
            with open(os.path.join(PACKAGE_DIR, name), "rb") as f:
                files.append(("crmkit/" + name, f.read(), 0o644))
    with open(library, "rb") as f:
        files.append(("crmkit/" + library_name(v), f.read(), 0o755))
    dist_info = "crmkit-%s.dist-info" % version
    metadata = "\n".join([
        "Metadata-Version: 2.1",
        "Name: crmkit",
        "Version: " + version,
        "Summary: Customer-relationship analytics (RFM, tiers, lifecycle, churn flags, CLV models) over libcrmkit",
        "License: MIT",
        "Requires-Python: >=3.7",
        "Provides-Extra: numpy",
        "Requires-Dist: numpy ; extra == 'numpy'",
        "Provides-Extra: pandas",
        "Requires-Dist: pandas ; extra == 'pandas'",
        "",
    ])
    wheel = "\n".join(["Wheel-Version: 1.0", "Generator: crmkit python/tools/build_wheel.py",
                       "Root-Is-Purelib: false", "Tag: " + tag, ""])
    files += [(dist_info + "/METADATA", metadata.encode(), 0o644),
              (dist_info + "/WHEEL", wheel.encode(), 0o644),
              (dist_info + "/top_level.txt", b"crmkit\n", 0o644)]
    record = "".join("%s,%s,%d\n" % (path, record_hash(data), len(data)) for path, data, _ in files)
    record += dist_info + "/RECORD,,\n"
    files.append((dist_info + "/RECORD", record.encode(), 0o644))

    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "crmkit-%s-%s.whl" % (version, tag))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data, mode in files:
            info = zipfile.ZipInfo(name, EPOCH)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--library", required=True, help="the built libcrmkit shared library")
    ap.add_argument("--out", default=".", help="folder for the wheel (default: .)")
    args = ap.parse_args(argv)
    if not os.path.isfile(args.library):
        ap.error("no such library: %s" % args.library)
    print(build(os.path.realpath(args.library), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Find libcrmkit, bind the generated declarations, check the version.

Search order (the first library that loads is used):
  1. $CRMKIT_LIBRARY: the path of the shared library (nothing else is tried
     when it is set);
  2. a copy installed next to the package (crmkit/libcrmkit.so*);
  3. the system library path (libcrmkit.so.<soversion>, libcrmkit.so,
     ctypes.util.find_library("crmkit"));
  4. the build trees of a source checkout: build/, build-release/,
     build-debug/ and any other build*/ folder of the repository holding
     python/crmkit.
"""

import ctypes
import ctypes.util
import glob
import os
import sys

from . import _ffi
from ._errors import Error, LibraryNotFoundError, MissingSymbolError, status_constant

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))

if _ffi.CRM_VERSION_MAJOR == 0:
    SOVERSION = "0.%d" % _ffi.CRM_VERSION_MINOR
else:
    SOVERSION = "%d" % _ffi.CRM_VERSION_MAJOR

if sys.platform == "darwin":
    LIB_PATTERNS = ("libcrmkit.%s.dylib" % SOVERSION, "libcrmkit.dylib", "libcrmkit*.dylib")
    SYSTEM_NAMES = ("libcrmkit.%s.dylib" % SOVERSION, "libcrmkit.dylib")
elif sys.platform.startswith("win") or sys.platform == "cygwin":
    LIB_PATTERNS = ("crmkit.dll", "libcrmkit.dll", "*crmkit*.dll")
    SYSTEM_NAMES = ("crmkit.dll", "libcrmkit.dll")
else:
    LIB_PATTERNS = ("libcrmkit.so.%s" % SOVERSION, "libcrmkit.so", "libcrmkit.so.*")
    SYSTEM_NAMES = ("libcrmkit.so.%s" % SOVERSION, "libcrmkit.so")


def _files_in(folder):
    seen = []
    for pattern in LIB_PATTERNS:
        for path in sorted(glob.glob(os.path.join(folder, pattern))):
            if path not in seen and os.path.isfile(path):
                seen.append(path)
    return seen


def _build_dirs():
    repo = os.path.dirname(os.path.dirname(PACKAGE_DIR))
    preferred = [os.path.join(repo, d) for d in ("build", "build-release", "build-debug")]
    others = sorted(p for p in glob.glob(os.path.join(repo, "build*")) if p not in preferred)
    return [p for p in preferred + others if os.path.isdir(p)]


def _fmt_version(v):
    return "%d.%d.%d" % (v // 10000, v // 100 % 100, v % 100)


def _mismatch(path, got):
    return ("version mismatch: the library %s is version %s (crm_version() = %d) but the Python "
            "bindings were generated from crmkit.h version %s (CRM_VERSION_NUMBER = %d)"
            % (path, _fmt_version(got), got, _ffi.CRM_VERSION_STRING, _ffi.CRM_VERSION_NUMBER))


def _try(path_or_name, tried, what):
    """The CDLL if it loads and reports the bindings' version, else None (the
    reason appended to tried)."""
    try:
        lib = ctypes.CDLL(path_or_name)
    except OSError as exc:
        tried.append("%s: %s (%s)" % (what, path_or_name, str(exc).strip() or "cannot load"))
        return None
    try:
        fn = lib.crm_version
    except AttributeError:
        tried.append("%s: %s (no crm_version(): not libcrmkit)" % (what, path_or_name))
        return None
    fn.restype = ctypes.c_int
    fn.argtypes = []
    got = fn()
    if got != _ffi.CRM_VERSION_NUMBER:
        tried.append("%s: %s" % (what, _mismatch(path_or_name, got)))
        return None
    return lib


def find_library():
    """Load libcrmkit; returns (CDLL, path or name). Raises
    LibraryNotFoundError (an ImportError) listing every place tried, or
    ImportError for a CRMKIT_LIBRARY of another version."""
    tried = []
    env = os.environ.get("CRMKIT_LIBRARY")
    if env:
        path = os.path.abspath(env)
        if not os.path.exists(path):
            raise LibraryNotFoundError("crmkit: CRMKIT_LIBRARY=%s does not exist" % env)
        try:
            lib = ctypes.CDLL(path)
        except OSError as exc:
            raise LibraryNotFoundError("crmkit: cannot load CRMKIT_LIBRARY=%s: %s" % (env, exc))
        if not hasattr(lib, "crm_version"):
            raise ImportError("crmkit: CRMKIT_LIBRARY=%s does not export crm_version(); it is not libcrmkit"
                              % env)
        lib.crm_version.restype = ctypes.c_int
        got = lib.crm_version()
        if got != _ffi.CRM_VERSION_NUMBER:
            raise ImportError("crmkit: CRMKIT_LIBRARY: %s. Rebuild or reinstall one of them." % _mismatch(path, got))
        return lib, path

    files = _files_in(PACKAGE_DIR)
    if not files:
        tried.append("next to the package: no %s in %s" % (" / ".join(LIB_PATTERNS), PACKAGE_DIR))
    for path in files:
        lib = _try(path, tried, "next to the package")
        if lib is not None:
            return lib, path

    for name in SYSTEM_NAMES:
        lib = _try(name, tried, "system library path")
        if lib is not None:
            return lib, name
    found = ctypes.util.find_library("crmkit")
    if found:
        lib = _try(found, tried, "ctypes.util.find_library")
        if lib is not None:
            return lib, found
    else:
        tried.append("ctypes.util.find_library('crmkit'): not found")

    dirs = _build_dirs()
    for folder in dirs:
        files = _files_in(folder)
        if not files:
            tried.append("build tree: no library in %s" % folder)
        for path in files:
            lib = _try(path, tried, "build tree")
            if lib is not None:
                return lib, path
    if not dirs:
        tried.append("build tree: no build/, build-release/, build-debug/ or other build*/ "
                     "folder in %s" % os.path.dirname(os.path.dirname(PACKAGE_DIR)))

    raise LibraryNotFoundError(
        "crmkit: cannot find a libcrmkit shared library of version %s. Build it (cmake -S . -B build && "
        "cmake --build build), install the package with python/install.sh, or set CRMKIT_LIBRARY to "
        "its path. Looked in:\n  %s" % (_ffi.CRM_VERSION_STRING, "\n  ".join(tried)))


class _Missing(object):
    """Stands in for a function the library does not export."""

    def __init__(self, name, path):
        self.__name__ = name
        self._path = path

    def __call__(self, *args, **kwargs):
        raise MissingSymbolError("%s is declared in crmkit.h but not exported by %s"
                                 % (self.__name__, self._path))


class Library(object):
    """The loaded library: one attribute per function of the header."""

    def __init__(self, cdll, path):
        self.cdll = cdll
        self.path = path
        self.missing = []
        for name, restype, params in _ffi.FUNCTIONS:
            try:
                fn = getattr(cdll, name)
            except AttributeError:
                self.missing.append(name)
                setattr(self, name, _Missing(name, path))
                continue
            fn.restype = restype
            fn.argtypes = [t for _, t in params]
            setattr(self, name, fn)

    def has(self, name):
        return name not in self.missing


def load():
    cdll, path = find_library()
    return Library(cdll, path)


C = load()


def new_error():
    return _ffi.crm_error()


def check(status, err, function):
    """Raise Error for a failed call (status != CRM_STATUS_OK)."""
    if status == _ffi.CRM_STATUS_OK:
        return
    raise error_from(status, err, function)


def _enum_name(e, value):
    try:
        name = C.crm_enum_name(e, value)
    except MissingSymbolError:
        return None
    return name.decode() if name is not None else None


def error_from(status, err, function):
    """An Error for a failed call, every name from the library (crm_enum_name,
    crm_enum_description)."""
    message = err.message.decode("utf-8", "replace") if err is not None else ""
    try:
        text = C.crm_enum_description(_ffi.CRM_ENUM_STATUS, status)
        text = text.decode() if text else None
    except MissingSymbolError:
        text = None
    own = err is not None and err.status == status  # err describes this failure
    reason = None
    if own and err.reason:
        reason = _enum_name(_ffi.CRM_ENUM_FATE, err.reason) or str(err.reason)
    record = int(err.record) if own and err.record >= 0 else None
    inp = _enum_name(_ffi.CRM_ENUM_INPUT, err.input) if own and err.input else None
    field = _enum_name(_ffi.CRM_ENUM_FIELD, err.field) if own and err.field else None
    return Error(status, message, input=inp, record=record, field=field, reason=reason, function=function,
                 status_text=text, status_name=status_constant(status, _enum_name(_ffi.CRM_ENUM_STATUS, status)))

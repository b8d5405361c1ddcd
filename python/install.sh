#!/usr/bin/env bash
# Build libcrmkit with CMake and install the crmkit Python package with a
# copy of the library inside it, in one command, offline:
#
#   python/install.sh [--python PY] [--build-dir DIR] [--wheel-dir DIR] [pip install options]
#
#   --python PY      interpreter to install for (default: $PYTHON or python3)
#   --build-dir DIR  CMake build folder (default: build-python/ in the repository,
#                    a Release build of the shared library only)
#   --wheel-dir DIR  keep the wheel there (default: a temporary folder)
#   anything else    passed to `pip install`, e.g. --user, --target DIR,
#                    --break-system-packages (Debian's own python3)
#
# Examples:
#   python/install.sh                                   # python3 on PATH (a venv, pyenv)
#   python/install.sh --python .venv/bin/python
#   python/install.sh --python /usr/bin/python3 --user --break-system-packages
#
# Needs cmake, a C compiler and pip; nothing is downloaded. The wheel is built
# by python/tools/build_wheel.py (standard library only) and installed with
# `pip install --no-deps --no-index`, so `pip uninstall crmkit` removes it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${PYTHON:-python3}"
build="$root/build-python"
wheel_dir=""
pip_args=()
while (($#)); do
    case "$1" in
    --python) py="$2"; shift 2 ;;
    --python=*) py="${1#*=}"; shift ;;
    --build-dir) build="$2"; shift 2 ;;
    --build-dir=*) build="${1#*=}"; shift ;;
    --wheel-dir) wheel_dir="$2"; shift 2 ;;
    --wheel-dir=*) wheel_dir="${1#*=}"; shift ;;
    -h|--help) sed -n '2,24p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) pip_args+=("$1"); shift ;;
    esac
done

command -v cmake >/dev/null 2>&1 || { echo "install.sh: cmake not found" >&2; exit 1; }
"$py" -c 'import sys; assert sys.version_info >= (3, 7)' 2>/dev/null ||
    { echo "install.sh: $py is not a Python >= 3.7 interpreter" >&2; exit 1; }
"$py" -m pip --version >/dev/null 2>&1 ||
    { echo "install.sh: $py has no pip (Debian: apt-get install python3-pip)" >&2; exit 1; }

# A user install must not fail on a new compiler warning: -Werror is for development.
echo "==> building libcrmkit in $build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DCRM_BUILD_TESTS=OFF -DCRM_BUILD_EXAMPLES=OFF -DCRM_BUILD_BENCH=OFF -DCRM_WARNINGS_AS_ERRORS=OFF >/dev/null
jobs="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
cmake --build "$build" --target crmkit_shared --parallel "$jobs" >/dev/null

# The file the unversioned link points to: the one just built (a build folder
# used before a version change still holds the old libcrmkit.so.0.1.0).
lib=""
for link in "$build"/libcrmkit.so "$build"/libcrmkit.dylib; do
    if [[ -e "$link" ]]; then lib="$(readlink -f "$link")"; break; fi
done
[[ -n "$lib" ]] || { echo "install.sh: no libcrmkit shared library in $build" >&2; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/crmkit-install.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
out="${wheel_dir:-$tmp}"
echo "==> building the wheel with $lib"
wheel="$("$py" "$root/python/tools/build_wheel.py" --library "$lib" --out "$out")"
echo "    $wheel"

echo "==> installing with $py -m pip install --no-deps --no-index ${pip_args[*]:-}"
"$py" -m pip install --no-deps --no-index --force-reinstall "${pip_args[@]}" "$wheel"

# The installed package must import from outside the source tree and load the
# library inside it.
check_path=""
for arg in "${pip_args[@]}"; do
    if [[ "$check_path" == next ]]; then check_path="$arg"; break; fi
    [[ "$arg" == --target ]] && check_path=next
    [[ "$arg" == --target=* ]] && { check_path="${arg#*=}"; break; }
done
[[ "$check_path" == next ]] && check_path=""
(cd "$tmp" && env -u CRMKIT_LIBRARY PYTHONPATH="$check_path" "$py" -c \
    'import crmkit; print("==> crmkit", crmkit.__version__, "installed; library:", crmkit.library_path)')

#!/usr/bin/env bash
# Full test run, as CI does it:
#   1. install missing test dependencies (Debian/Ubuntu packages via apt-get),
#      the database examples' SQLite and PostgreSQL among them
#   2. debug build (preset "debug", build-debug/) and every CTest test
#   3. AddressSanitizer + UndefinedBehaviorSanitizer build (preset "asan",
#      build-asan/) and every CTest test
#   4. valgrind --leak-check=full over the C test executables of the debug build
#   5. ThreadSanitizer: tests/threads/test_threads built with -fsanitize=thread
#      (build-tsan/) and run
#   6. fuzzing: the libFuzzer targets of tests/fuzz/ built with clang
#      (build-fuzz/), each run from its seed corpus for CRM_FUZZ_SECONDS
#      (default 40) seconds; any crash, leak or timeout fails the run
# Exits non-zero at the first failure. Works from any directory.
# CRM_SKIP_INSTALL=1 skips step 1 (for machines without apt-get or sudo).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"

stage() { printf '\n==== %s ====\n' "$*"; }

# ---- 1. dependencies ----
# Debian package names, each with a probe that says whether it is there
# (dpkg first; on other systems the thing itself, so nothing is installed
# needlessly).
py_has() {
    local py=/usr/bin/python3
    [[ -x "$py" ]] || py=python3
    "$py" -c "import $1" >/dev/null 2>&1
}
have_pkg() {
    # Installed, not merely known (a removed package keeps a dpkg entry for its config files).
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == *" installed" ]] && return 0
    case "$1" in
    libcmocka-dev) pkg-config --exists cmocka 2>/dev/null || [[ -f /usr/include/cmocka.h ]] ;;
    pkg-config) command -v pkg-config >/dev/null 2>&1 ;;
    valgrind) command -v valgrind >/dev/null 2>&1 ;;
    python3-numpy) py_has numpy ;;
    python3-pandas) py_has pandas ;;
    # crmkit.dask's test (tests/python/test_dask.py): a LocalCluster of worker processes.
    python3-dask) py_has dask.dataframe ;;
    python3-distributed) py_has distributed ;;
    python3-matplotlib) py_has matplotlib ;;
    python3-pycparser) py_has pycparser ;;
    python3-venv) py_has ensurepip && py_has venv ;;
    # The database examples' tests: the sqlite3 command and library, a PostgreSQL
    # server (initdb, pg_ctl, psql) and libpq.
    sqlite3) command -v sqlite3 >/dev/null 2>&1 ;;
    libsqlite3-dev) pkg-config --exists sqlite3 2>/dev/null || [[ -f /usr/include/sqlite3.h ]] ;;
    postgresql) compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null 2>&1 ;;
    libpq-dev) pkg-config --exists libpq 2>/dev/null || [[ -f /usr/include/postgresql/libpq-fe.h ]] ;;
    # The report's browser test (report_demo_chromium).
    chromium) command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 ;;
    # The fuzzing stage (libFuzzer comes with Debian's clang).
    clang) command -v clang >/dev/null 2>&1 ;;
    *) return 1 ;;
    esac
}

stage "dependencies"
if [[ "${CRM_SKIP_INSTALL:-0}" == 1 ]]; then
    echo "skipped (CRM_SKIP_INSTALL=1)"
else
    missing=()
    for pkg in libcmocka-dev pkg-config valgrind python3-numpy python3-pandas python3-matplotlib \
        python3-dask python3-distributed python3-pycparser python3-venv sqlite3 libsqlite3-dev postgresql libpq-dev chromium clang; do
        have_pkg "$pkg" || missing+=("$pkg")
    done
    if ((${#missing[@]} == 0)); then
        echo "all present"
    else
        echo "installing: ${missing[*]}"
        if ! command -v apt-get >/dev/null 2>&1; then
            echo "run.sh: apt-get not found; install ${missing[*]} by hand (or set CRM_SKIP_INSTALL=1)" >&2
            exit 1
        fi
        sudo=()
        if [[ "$(id -u)" -ne 0 ]]; then
            command -v sudo >/dev/null 2>&1 || {
                echo "run.sh: not root and no sudo; install ${missing[*]} by hand" >&2
                exit 1
            }
            sudo=(sudo)
        fi
        ${sudo[@]+"${sudo[@]}"} apt-get update -qq
        ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    fi
fi

# Presets live in CMakePresets.json, which cmake finds in the source folder.
cd "$root"

# ---- 2. debug build ----
stage "debug: configure"
cmake --preset debug
stage "debug: build"
cmake --build --preset debug --parallel "$jobs"
stage "debug: ctest"
ctest --preset debug --parallel "$jobs"

# ---- 3. sanitizer build ----
stage "asan+ubsan: configure"
cmake --preset asan
stage "asan+ubsan: build"
cmake --build --preset asan --parallel "$jobs"
stage "asan+ubsan: ctest"
ctest --preset asan --parallel "$jobs"

# ---- 4. valgrind over the debug build's C tests ----
stage "valgrind: C test executables (debug build)"
mapfile -t tests < <(find "$root/build-debug/tests" -maxdepth 1 -type f -name 'test_*' -perm -u+x | sort)
if ((${#tests[@]} == 0)); then
    echo "run.sh: no C test executables in build-debug/tests" >&2
    exit 1
fi
log="$(mktemp "${TMPDIR:-/tmp}/crmkit-valgrind.XXXXXX")"
trap 'rm -f "$log"' EXIT
failed=()
for exe in "${tests[@]}"; do
    name="$(basename "$exe")"
    # Same working directory as CTest gives them (tests/ of the source tree);
    # the output is shown only when valgrind or the test fails.
    if (cd "$root/tests" && CRM_TEST_UNDER_VALGRIND=1 valgrind -q --leak-check=full --error-exitcode=1 "$exe") >"$log" 2>&1; then
        echo "ok   $name"
    else
        cat "$log"
        echo "FAIL $name"
        failed+=("$name")
    fi
done
if ((${#failed[@]} > 0)); then
    echo "run.sh: valgrind found errors in: ${failed[*]}" >&2
    exit 1
fi

# ---- 5. ThreadSanitizer ----
stage "tsan: test_threads (build-tsan)"
cmake -S "$root" -B "$root/build-tsan" -DCMAKE_BUILD_TYPE=Debug -DCRM_TSAN=ON \
    -DCRM_BUILD_EXAMPLES=OFF -DCRM_BUILD_BENCH=OFF -DCRM_INSTALL=OFF >/dev/null
cmake --build "$root/build-tsan" --target test_threads --parallel "$jobs"
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "$root/build-tsan/tests/threads/test_threads"

# ---- 6. fuzzing ----
stage "fuzz: libFuzzer targets (build-fuzz), ${CRM_FUZZ_SECONDS:-40} s each"
if ! command -v clang >/dev/null 2>&1; then
    echo "run.sh: clang not found; the fuzzing stage needs it (apt-get install clang)" >&2
    exit 1
fi
cmake -S "$root" -B "$root/build-fuzz" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCRM_FUZZ=ON \
    -DCRM_BUILD_TESTS=OFF -DCRM_BUILD_EXAMPLES=OFF -DCRM_BUILD_BENCH=OFF -DCRM_INSTALL=OFF >/dev/null
cmake --build "$root/build-fuzz" --parallel "$jobs"
"$root/tests/fuzz/run_fuzzers.sh" "$root/build-fuzz/tests/fuzz" "${CRM_FUZZ_SECONDS:-40}" "$jobs"

stage "all stages passed"

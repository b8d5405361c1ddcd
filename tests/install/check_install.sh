#!/usr/bin/env bash
# Install a crmkit build into a temporary prefix and build consumers of it the
# two ways users do: pkg-config (shared, and static with --static) and a CMake
# project using find_package(crmkit CONFIG REQUIRED). Runs every consumer.
#
#   check_install.sh SOURCE_DIR BUILD_DIR [CONFIG]
#
# Environment: CC (compiler, default cc); CRM_CONSUMER_FLAGS (extra compile
# and link flags, e.g. -fsanitize=address,undefined for a sanitizer build,
# whose libraries need the sanitizer runtime in the consumer too);
# CRM_INSTALLED_CLI=1 when the build has the crmkit command, which must then
# be installed in bin/ with its man page and run from there.
set -euo pipefail

if (($# < 2)); then
    echo "usage: $0 SOURCE_DIR BUILD_DIR [CONFIG]" >&2
    exit 2
fi
src="$(cd "$1" && pwd)"
build="$(cd "$2" && pwd)"
config="${3:-}"
cc="${CC:-cc}"
read -r -a extra <<<"${CRM_CONSUMER_FLAGS:-}"

work="$(mktemp -d "${TMPDIR:-/tmp}/crmkit-install.XXXXXX")"
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"

step() { printf -- '-- %s\n' "$*"; }
fail() {
    echo "check_install: $*" >&2
    exit 1
}

step "cmake --install into a temporary prefix"
cmake --install "$build" --prefix "$prefix" ${config:+--config "$config"} >"$work/install.log" ||
    { cat "$work/install.log" >&2; fail "cmake --install failed"; }
[[ -f "$prefix/include/crmkit.h" ]] || fail "crmkit.h not installed"

# ---- the crmkit command ----
if [[ "${CRM_INSTALLED_CLI:-0}" == 1 ]]; then
    [[ -x "$prefix/bin/crmkit" ]] || fail "bin/crmkit not installed"
    [[ -f "$prefix/share/man/man1/crmkit.1" ]] || fail "share/man/man1/crmkit.1 not installed"
    version="$(env -u LD_LIBRARY_PATH "$prefix/bin/crmkit" --version | head -n1)" ||
        fail "the installed crmkit --version failed"
    header="$(sed -n 's/^#define CRM_VERSION_\(MAJOR\|MINOR\|PATCH\) *\([0-9]*\)$/\2/p' "$prefix/include/crmkit.h" | paste -sd.)"
    [[ "$version" == "crmkit $header" ]] || fail "installed crmkit --version says '$version', not 'crmkit $header'"
    step "installed $version runs from $prefix/bin"
fi

# ---- pkg-config ----
command -v pkg-config >/dev/null 2>&1 || fail "pkg-config not found"
pc="$(find "$prefix" -name crmkit.pc -print -quit)"
[[ -n "$pc" ]] || fail "crmkit.pc not installed"
# Only the installed .pc file, never one from the system.
PKG_CONFIG_LIBDIR="$(dirname "$pc")"
export PKG_CONFIG_LIBDIR
unset PKG_CONFIG_PATH
libdir="$(pkg-config --variable=libdir crmkit)"
# The .pc file is relocatable: its libdir must resolve inside the prefix.
[[ "$(cd "$libdir" && pwd)" == "$prefix"/* ]] || fail "pkg-config libdir '$libdir' is outside $prefix"
step "pkg-config: crmkit $(pkg-config --modversion crmkit), libdir $libdir"

# shellcheck disable=SC2046 # word splitting of pkg-config output is intended
"$cc" -std=c99 "${extra[@]}" "$src/tests/install/consumer.c" $(pkg-config --cflags --libs crmkit) \
    -o "$work/consumer_pc_shared" || fail "pkg-config shared consumer did not build"
step "run pkg-config shared consumer"
LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$work/consumer_pc_shared" ||
    fail "pkg-config shared consumer failed"

# --static adds Libs.private (-lm); -l:libcrmkit.a keeps the linker from
# preferring the shared library that sits next to the archive.
static_libs="$(pkg-config --static --libs crmkit)"
static_libs="${static_libs//-lcrmkit/-l:libcrmkit.a}"
# shellcheck disable=SC2046,SC2086
"$cc" -std=c99 "${extra[@]}" -DCRM_STATIC "$src/tests/install/consumer.c" $(pkg-config --cflags crmkit) \
    $static_libs -o "$work/consumer_pc_static" || fail "pkg-config static consumer did not build"
if command -v readelf >/dev/null 2>&1 && readelf -d "$work/consumer_pc_static" | grep -q 'libcrmkit'; then
    fail "static consumer still depends on the shared libcrmkit"
fi
step "run pkg-config static consumer"
env -u LD_LIBRARY_PATH "$work/consumer_pc_static" || fail "pkg-config static consumer failed"

# ---- CMake find_package ----
step "CMake consumer with find_package(crmkit CONFIG REQUIRED)"
cmake -S "$src/tests/install" -B "$work/cmake-build" \
    -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_BUILD_TYPE="${config:-Release}" \
    -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF \
    -DCMAKE_C_FLAGS="${CRM_CONSUMER_FLAGS:-}" \
    -DCMAKE_EXE_LINKER_FLAGS="${CRM_CONSUMER_FLAGS:-}" >"$work/cmake.log" 2>&1 ||
    { cat "$work/cmake.log" >&2; fail "CMake consumer did not configure"; }
found="$(sed -n 's/^crmkit_DIR:PATH=//p' "$work/cmake-build/CMakeCache.txt")"
[[ "$found" == "$prefix"/* ]] || fail "find_package found crmkit at '$found', not in $prefix"
cmake --build "$work/cmake-build" ${config:+--config "$config"} >"$work/build.log" 2>&1 ||
    { cat "$work/build.log" >&2; fail "CMake consumer did not build"; }
for exe in consumer_shared consumer_static; do
    bin="$(find "$work/cmake-build" -type f -name "$exe" -perm -u+x -print -quit)"
    [[ -n "$bin" ]] || fail "$exe not built"
    step "run CMake $exe"
    env -u LD_LIBRARY_PATH "$bin" || fail "CMake $exe failed"
done

step "install check passed"

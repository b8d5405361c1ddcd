#!/usr/bin/env bash
# Check that every tracked .c/.h file is formatted as .clang-format says.
#   tests/check_format.sh [SOURCE_DIR]     (CLANG_FORMAT overrides the binary)
# Exit 0 when clean, 1 when a file needs formatting, 77 (CTest "skipped") when
# clang-format or git is missing. Fix with: clang-format -i <files>
set -euo pipefail

root="$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/..}" && pwd)"
clang_format="${CLANG_FORMAT:-clang-format}"

if ! command -v "$clang_format" >/dev/null 2>&1; then
    echo "check_format: $clang_format not found, skipped"
    exit 77
fi
if ! git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "check_format: $root is not a git work tree, skipped"
    exit 77
fi

mapfile -t files < <(git -C "$root" ls-files -- '*.c' '*.h')
if ((${#files[@]} == 0)); then
    echo "check_format: no tracked .c/.h files"
    exit 0
fi
cd "$root"
echo "check_format: $("$clang_format" --version | head -n1), ${#files[@]} files"
if ! "$clang_format" --dry-run --Werror "${files[@]}"; then
    echo "check_format: run 'clang-format -i' on the files above" >&2
    exit 1
fi
echo "check_format: all files formatted"

#!/usr/bin/env bash
# Demo: build crmkit (release, no tests), generate the example data set
# (transactions, interactions, customer attributes), analyse it with
# `crmkit analyze` and draw it with `crmkit report` (an HTML page whose path
# is printed at the end). Works from any directory; needs only a C compiler
# and CMake. Extra arguments go to both, e.g.
#   examples/demo.sh --set ties=ntile --as-of 2025-06-30
# CRM_DEMO_BUILD_DIR overrides the build folder, CRM_DEMO_CUSTOMERS the size.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CRM_DEMO_BUILD_DIR:-$root/build-demo}"
customers="${CRM_DEMO_CUSTOMERS:-4000}"
jobs="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
log="$(mktemp "${TMPDIR:-/tmp}/crmkit-demo.XXXXXX")"
trap 'rm -f "$log"' EXIT

# Quiet steps: show the tool's output only when it fails.
quiet() {
    if ! "$@" >"$log" 2>&1; then
        cat "$log" >&2
        echo "demo: failed: $*" >&2
        exit 1
    fi
}

echo "demo: building crmkit (release) in $build" >&2
# Warnings stay warnings here: a newer compiler's new warning must not stop a demo.
quiet cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCRM_WARNINGS_AS_ERRORS=OFF \
    -DCRM_BUILD_TESTS=OFF -DCRM_BUILD_BENCH=OFF -DCRM_BUILD_EXAMPLES=ON -DCRM_BUILD_CLI=ON
quiet cmake --build "$build" --config Release --parallel "$jobs" --target gen_data crmkit

# Single-config generators put programs in examples/ and cli/, multi-config ones in */Release/.
bin="$build/examples"
cli="$build/cli/crmkit"
[[ -x "$bin/Release/gen_data" ]] && bin="$bin/Release"
[[ -x "$build/cli/Release/crmkit" ]] && cli="$build/cli/Release/crmkit"

data="$build/demo-data"
mkdir -p "$data"
echo "demo: generating $customers customers into $data" >&2
"$bin/gen_data" --customers "$customers" --out "$data" >&2

echo "demo: analysing" >&2
echo >&2
# The value models are on, so the summary shows P(alive) and CLV; later --set arguments win.
"$cli" analyze --interactions "$data/interactions.csv" --customers "$data/customers.csv" \
    --csv "$data/result.csv" --set model=bgnbd --set spend_model=1 --set time_unit_days=1 "$@" \
    "$data/transactions.csv"

# The same analysis as an HTML page; without extra arguments the data end on
# 2025-12-31 and the last 182 days are the holdout of the tracking chart.
holdout=()
(($# == 0)) && holdout=(--calibration-end 2025-07-02)
"$cli" report --quiet --interactions "$data/interactions.csv" --customers "$data/customers.csv" \
    --set model=bgnbd --set spend_model=1 --set time_unit_days=1 "${holdout[@]}" "$@" \
    --title "crmkit demo" -o "$data/report.html" "$data/transactions.csv" >/dev/null
echo
echo "demo: the report is $data/report.html"

#!/usr/bin/env bash
# compare.sh - crmkit's full profile against the RFM alone in DuckDB and in
# pandas, on the same generated data, run alternately so that the machine's
# drift hits both sides; prints each pair's ratio and the medians.
#
#   bench/compare.sh [--transactions N] [--customers C] [--runs R] [--threads T]
#                    [--scratch DIR] [--install]
#
# --install puts DuckDB (npm @duckdb/node-api) into DIR/node_modules and,
# when missing, Debian's python3-pandas. Never run by CI: it needs minutes
# and network access to the package registries.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n=10000000 c=1000000 runs=3 threads=2 scratch="${TMPDIR:-/tmp}/crmkit-compare" install=0
while (($#)); do
    case "$1" in
    --transactions) n="$2"; shift 2 ;;
    --customers) c="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --scratch) scratch="$2"; shift 2 ;;
    --install) install=1; shift ;;
    *) echo "usage: $0 [--transactions N] [--customers C] [--runs R] [--threads T] [--scratch DIR] [--install]" >&2; exit 2 ;;
    esac
done
mkdir -p "$scratch"
py=/usr/bin/python3
[[ -x "$py" ]] || py=python3

if ((install)); then
    (cd "$scratch" && [[ -d node_modules/@duckdb/node-api ]] || npm install --silent @duckdb/node-api)
    "$py" -c "import pandas" 2>/dev/null || apt-get install -y -qq python3-pandas
fi
[[ -d "$scratch/node_modules/@duckdb/node-api" ]] || { echo "compare: DuckDB missing: run with --install" >&2; exit 1; }
"$py" -c "import pandas" 2>/dev/null || { echo "compare: pandas missing: run with --install" >&2; exit 1; }
cp "$root/bench/rfm_duckdb.mjs" "$scratch/"

build="$root/build-release"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCRM_BUILD_TESTS=OFF -DCRM_BUILD_EXAMPLES=ON \
    -DCRM_BUILD_BENCH=ON -DCRM_BUILD_CLI=ON >/dev/null
cmake --build "$build" --parallel 2 --target bench_analyze crmkit >/dev/null
bench="$build/bench/bench_analyze"
cli="$build/cli/crmkit"
csv="$scratch/transactions-$n-$c.csv"
[[ -s "$csv" ]] || "$bench" --transactions "$n" --customers "$c" --repeat 1 --write-csv "$csv" >/dev/null

field() { "$py" -c "import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])['$1'])"; }
crmkit_memory() { "$bench" --transactions "$n" --customers "$c" --threads "$threads" --repeat 1 --json | field total_s; }
duckdb_memory() { (cd "$scratch" && node rfm_duckdb.mjs "$csv" memory "$threads" -) | field seconds; }
pandas_memory() { "$py" "$root/bench/rfm_pandas.py" "$csv" | field seconds; }
# From CSV to a result CSV: wall time of the whole process (reading, the full
# profile, writing every column) / of the statement, with the same threads.
crmkit_csv() {
    local t0 t1
    t0=$(date +%s.%N)
    "$cli" analyze --quiet --threads "$threads" --csv "$scratch/crmkit-out.csv" "$csv" >/dev/null
    t1=$(date +%s.%N)
    "$py" -c "print($t1 - $t0)"
}
duckdb_csv() { (cd "$scratch" && node rfm_duckdb.mjs "$csv" csv "$threads" "$scratch/duckdb-out.csv") | field seconds; }

pairs() { # label, command A, command B
    local label="$1" a="$2" b="$3" ra=() rb=() ratios=()
    for ((i = 1; i <= runs; i++)); do
        ta=$($a) tb=$($b)
        ra+=("$ta") rb+=("$tb")
        ratios+=("$("$py" -c "print(round($ta / $tb, 3))")")
        printf '  %-40s run %d: %8.3f s vs %8.3f s  ratio %s\n' "$label" "$i" "$ta" "$tb" "${ratios[-1]}"
    done
    local IFS=,
    "$py" -c "
import statistics as s
a=[${ra[*]}]; b=[${rb[*]}]; r=[${ratios[*]}]
print('  %-40s median %8.3f s vs %8.3f s  ratio %.3f (crmkit %.2fx the speed)' % ('$label', s.median(a), s.median(b), s.median(r), 1/s.median(r)))"
}

echo "compare: $n transactions of $c customers; DuckDB with $threads threads; $runs alternating runs each"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
pairs "crmkit full profile / DuckDB RFM (memory)" crmkit_memory duckdb_memory
pairs "crmkit full profile / pandas RFM (memory)" crmkit_memory pandas_memory
pairs "crmkit CLI CSV->CSV / DuckDB CSV->RFM->CSV" crmkit_csv duckdb_csv

#!/usr/bin/env bash
# scaling.sh - does the cost per record stay flat? Runs bench_analyze over
# sizes and customer counts (with and without 5 interactions per customer)
# and prints nanoseconds per record and bytes beyond the input per customer.
#   bench/scaling.sh [--threads T] [--max N]   (N: largest transaction count, default 100000000)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
threads=2 max=100000000
while (($#)); do
    case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --max) max="$2"; shift 2 ;;
    *) echo "usage: $0 [--threads T] [--max N]" >&2; exit 2 ;;
    esac
done
build="$root/build-release"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --parallel 2 --target bench_analyze >/dev/null
py=/usr/bin/python3
[[ -x "$py" ]] || py=python3
printf '%12s %10s %12s %8s %10s %10s %12s\n' transactions customers interactions threads seconds ns/record B/customer
run() { # transactions customers interactions-per-customer
    ((${1} <= max)) || return 0
    "$build/bench/bench_analyze" --transactions "$1" --customers "$2" --interactions "$3" --threads "$threads" \
        --repeat 1 --json | "$py" -c "
import json, sys
d = json.loads(sys.stdin.read().strip().splitlines()[-1])
records = d['transactions'] + d['interactions']
print('%12d %10d %12d %8d %10.3f %10.1f %12.0f' % (d['transactions'], d['customers'], d['interactions'], d['threads'],
      d['total_s'], d['total_s'] / records * 1e9, (d['peak_rss_mib'] - d['rss_before_mib']) * 1048576 / d['rows']))"
}
for n in 1000000 10000000 50000000 100000000; do run "$n" $((n < 1000000 * 10 ? n / 10 : 1000000)) 0; done
for c in 10000 100000 1000000 10000000; do run 10000000 "$c" 0; done
run 1000000 100000 5
run 10000000 1000000 5

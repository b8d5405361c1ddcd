#!/usr/bin/env bash
# Smoke test of the example programs, as an operator would run them:
#   check_examples.sh GEN_DATA CRMKIT_ANALYZE
# gen_data must be deterministic; crmkit_analyze must summarise the data set,
# write one CSV row per customer, and report malformed lines without failing.
set -euo pipefail

if (($# != 2)); then
    echo "usage: $0 GEN_DATA CRMKIT_ANALYZE" >&2
    exit 2
fi
gen="$1"
analyze="$2"
work="$(mktemp -d "${TMPDIR:-/tmp}/crmkit-examples.XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() {
    echo "check_examples: $*" >&2
    exit 1
}

mkdir -p "$work/a" "$work/b"
"$gen" --customers 300 --seed 7 --out "$work/a" >/dev/null
"$gen" --customers 300 --seed 7 --out "$work/b" >/dev/null
cmp -s "$work/a/transactions.csv" "$work/b/transactions.csv" || fail "gen_data is not deterministic"
cmp -s "$work/a/interactions.csv" "$work/b/interactions.csv" || fail "gen_data is not deterministic"
echo "-- gen_data: deterministic"

"$analyze" --interactions "$work/a/interactions.csv" --csv "$work/result.csv" "$work/a/transactions.csv" \
    >"$work/summary.txt" || fail "crmkit_analyze failed on the generated data"
for section in "Records" "As-of date" "RFM segments" "Top 10 customers"; do
    grep -q "$section" "$work/summary.txt" || fail "summary lacks '$section'"
done
customers="$(cut -d, -f1 "$work/a/transactions.csv" "$work/a/interactions.csv" | grep -v customer_id | sort -u | wc -l)"
rows="$(($(wc -l <"$work/result.csv") - 1))"
((rows == customers)) || fail "result.csv has $rows rows, expected $customers customers"
head -n1 "$work/result.csv" | grep -q '^customer_id,' || fail "result.csv header does not start with customer_id"
echo "-- crmkit_analyze: summary and $rows result rows"

printf 'customer_id,time,amount\n1,1700000000,10\n2,not-a-time,5\n3,1700000000\n4,1700086400,nan\n' \
    >"$work/bad.csv"
"$analyze" "$work/bad.csv" >"$work/bad.txt" 2>"$work/bad.err" || fail "crmkit_analyze failed on malformed lines"
grep -q 'bad.csv:3:' "$work/bad.err" || fail "malformed line 3 not reported"
grep -q 'bad.csv:4:' "$work/bad.err" || fail "malformed line 4 not reported"
grep -q 'nonfinite' "$work/bad.txt" || fail "rejected NaN amount not counted"
echo "-- crmkit_analyze: malformed lines reported"

if "$analyze" --set no_such_option=1 "$work/bad.csv" >/dev/null 2>&1; then
    fail "an unknown --set option was accepted"
fi
echo "-- examples check passed"

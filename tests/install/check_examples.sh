#!/usr/bin/env bash
# Smoke test of the example data and the crmkit command on it, as an
# operator would run them:
#   check_examples.sh GEN_DATA CRMKIT
# gen_data must be deterministic; `crmkit analyze` must summarise the data
# set, write one CSV row per customer, read the customer attributes as the
# demo passes them, and report malformed lines without failing.
set -euo pipefail

if (($# != 2)); then
    echo "usage: $0 GEN_DATA CRMKIT" >&2
    exit 2
fi
gen="$1"
crmkit="$2"
analyze() { "$crmkit" analyze "$@"; }
work="$(mktemp -d "${TMPDIR:-/tmp}/crmkit-examples.XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() {
    echo "check_examples: $*" >&2
    exit 1
}

mkdir -p "$work/a" "$work/b"
"$gen" --customers 300 --seed 7 --out "$work/a" >/dev/null
"$gen" --customers 300 --seed 7 --out "$work/b" >/dev/null
for file in transactions interactions customers; do
    cmp -s "$work/a/$file.csv" "$work/b/$file.csv" || fail "gen_data is not deterministic ($file.csv)"
done
head -n1 "$work/a/transactions.csv" | grep -qx 'customer_id,time,amount,cost,discount' ||
    fail "transactions.csv header is not customer_id,time,amount,cost,discount"
head -n1 "$work/a/interactions.csv" | grep -qx 'customer_id,time,kind,value,ref,purpose' ||
    fail "interactions.csv header is not customer_id,time,kind,value,ref,purpose"
echo "-- gen_data: deterministic"

analyze --interactions "$work/a/interactions.csv" --csv "$work/result.csv" "$work/a/transactions.csv" \
    >"$work/summary.txt" || fail "crmkit analyze failed on the generated data"
for section in "Records" "As-of date" "RFM segments" "Top 10 customers"; do
    grep -q "$section" "$work/summary.txt" || fail "summary lacks '$section'"
done
customers="$(cut -d, -f1 "$work/a/transactions.csv" "$work/a/interactions.csv" | grep -v customer_id | sort -u | wc -l)"
rows="$(($(wc -l <"$work/result.csv") - 1))"
((rows == customers)) || fail "result.csv has $rows rows, expected $customers customers"
head -n1 "$work/result.csv" | grep -q '^customer_id,' || fail "result.csv header does not start with customer_id"
echo "-- crmkit analyze: summary and $rows result rows"

# The demo pipeline: the same data with the customer attributes, as examples/demo.sh runs it.
analyze --interactions "$work/a/interactions.csv" --customers "$work/a/customers.csv" \
    --csv "$work/demo.csv" "$work/a/transactions.csv" >"$work/demo.txt" 2>"$work/demo.err" ||
    fail "crmkit analyze failed on the generated data with --customers"
[[ ! -s "$work/demo.err" ]] || fail "crmkit analyze reported malformed lines: $(head -n3 "$work/demo.err")"
grep -q '^crmkit .* analysis of .*customers\.csv$' "$work/demo.txt" || fail "summary does not name customers.csv"
# Every record of every input is read and accepted: lines, malformed, accepted, rejected.
for input in transactions interactions customers; do
    expected="$(($(wc -l <"$work/a/$input.csv") - 1))"
    line="$(grep -E "^  $input " "$work/demo.txt")" || fail "the record table has no $input line"
    read -r _ lines malformed accepted rejected <<<"$line"
    [[ "$lines $malformed $accepted $rejected" == "$expected 0 $expected 0" ]] ||
        fail "$input: lines, malformed, accepted, rejected are '$lines $malformed $accepted $rejected'," \
            "expected '$expected 0 $expected 0'"
done
customers="$(cut -d, -f1 "$work/a/transactions.csv" "$work/a/interactions.csv" "$work/a/customers.csv" |
    grep -v customer_id | sort -u | wc -l)"
rows="$(($(wc -l <"$work/demo.csv") - 1))"
((rows == customers)) || fail "with --customers, result.csv has $rows rows, expected $customers customers"
grep -Eq "^Customers: +$rows \([0-9]+ with a purchase, [0-9]+ prospects\)" "$work/demo.txt" ||
    fail "summary does not count $rows customers"
echo "-- crmkit analyze: the demo pipeline reads the customers input ($rows result rows)"

# The demo (gen_data's defaults, as examples/demo.sh runs it) shows every
# rule of Part II: each value of these columns occurs, and so do the flags
# mix_off and price_sensitive.
mkdir -p "$work/demo"
"$gen" --out "$work/demo" >/dev/null
analyze --interactions "$work/demo/interactions.csv" --customers "$work/demo/customers.csv" \
    --csv "$work/demo/result.csv" "$work/demo/transactions.csv" >"$work/demo/summary.txt" ||
    fail "crmkit analyze failed on the demo data"
# ... and the command's summary shows them: Part II groups, win-back actions, key dates.
for heading in 'Profit classes' 'Customer states' 'Prospect qualification' 'Churn causes' \
    'Care this fortnight: ' 'top20_profit_share' 'mix_distance'; do
    grep -q "$heading" "$work/demo/summary.txt" || fail "the demo summary has no '$heading'"
done
grep -Eq '^  [0-9]+ .* (show_service_improvements|limited_time_offer|light_touch|needs_survey) ' \
    "$work/demo/summary.txt" || fail "the demo summary's call list shows no win-back action"
expect_values() { # column value...
    local column="$1" index
    shift
    index="$(head -n1 "$work/demo/result.csv" | tr ',' '\n' | grep -nx "$column" | cut -d: -f1)"
    [[ -n "$index" ]] || fail "result.csv has no column $column"
    local seen
    seen="$(tail -n +2 "$work/demo/result.csv" | cut -d, -f"$index" | tr '|' '\n' | sort -u)"
    for value in "$@"; do
        grep -qx -- "$value" <<<"$seen" || fail "the demo has no customer with $column $value"
    done
}
expect_values profit_class top profitable unprofitable
expect_values customer_state non_customer potential target actual loyal lost
expect_values qualification ideal develop_need find_decision_maker offer_financing cultivate stop_contact
expect_values key_date_kind birthday anniversary
expect_values care_due 1
expect_values milestone_anniversary 1
expect_values churn_cause service price need_faded unknown
expect_values win_back show_service_improvements limited_time_offer light_touch needs_survey
expect_values churn_flags mix_off price_sensitive
echo "-- the demo data shows every profit class, customer state, qualification, churn cause and win-back action"

printf 'customer_id,time,amount\n1,1700000000,10\n2,not-a-time,5\n3,1700000000\n4,1700086400,nan\n' \
    >"$work/bad.csv"
analyze "$work/bad.csv" >"$work/bad.txt" 2>"$work/bad.err" || fail "crmkit analyze failed on malformed lines"
grep -q 'bad.csv:3:' "$work/bad.err" || fail "malformed line 3 not reported"
grep -q 'bad.csv:4:' "$work/bad.err" || fail "malformed line 4 not reported"
grep -q 'nonfinite' "$work/bad.txt" || fail "rejected NaN amount not counted"

printf 'customer_id,birthday,money,targeted\n1,1980-02-30,yes,0\n2,1980-02-29,maybe,1\n3,,no,1\n' \
    >"$work/bad_customers.csv"
analyze --customers "$work/bad_customers.csv" "$work/bad.csv" >"$work/bad.txt" 2>"$work/bad.err" ||
    fail "crmkit analyze failed on malformed customer lines"
grep -q 'bad_customers.csv:2:' "$work/bad.err" || fail "impossible birthday on line 2 not reported"
grep -Eq '^  customers +3 +1 +1 +1$' "$work/bad.txt" || fail "customers line of the record table is wrong"
grep -q 'unknown_code' "$work/bad.txt" || fail "rejected unknown answer not counted"
echo "-- crmkit analyze: malformed lines reported"

if analyze --set no_such_option=1 "$work/bad.csv" >/dev/null 2>&1; then
    fail "an unknown --set option was accepted"
fi
echo "-- examples check passed"

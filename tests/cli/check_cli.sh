#!/usr/bin/env bash
# End-to-end tests of the crmkit command, as an operator runs it:
#   check_cli.sh CRMKIT DATA_DIR
# Output values on small inputs, exit codes, --help and --version, real
# exports (semicolons and decimal commas, ids that are not integers,
# YYYYMMDD dates), bad lines, and the CDNOW sample.
set -uo pipefail

if (($# != 2)); then
    echo "usage: $0 CRMKIT DATA_DIR" >&2
    exit 2
fi
crmkit="$1"
data="$2"
work="$(mktemp -d "${TMPDIR:-/tmp}/crmkit-cli.XXXXXX")"
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
ok() { echo "ok   $*"; }

# run EXPECTED_STATUS NAME ARGS...: run crmkit, keep stdout/stderr in $work/NAME.{out,err}
run() {
    local expected="$1" name="$2"
    shift 2
    "$crmkit" "$@" >"$work/$name.out" 2>"$work/$name.err"
    local status=$?
    if ((status != expected)); then
        fail "$name: exit $status, expected $expected (crmkit $*)"
        sed 's/^/    /' "$work/$name.err" | head -5 >&2
        return 1
    fi
    return 0
}
# field FILE KEY COLUMN: the value of COLUMN (by header name) on the CSV row whose first field is KEY
field() {
    awk -F, -v key="$2" -v col="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
        ($1 "") == (key "") { print $c }' "$1"
}
expect_field() { # FILE KEY COLUMN VALUE
    local got
    got="$(field "$1" "$2" "$3")"
    [[ "$got" == "$4" ]] || fail "$(basename "$1"): $3 of $2 is '$got', expected '$4'"
}

# ---- version and help ----
version="$(sed -n 's/^#define CRM_VERSION_\(MAJOR\|MINOR\|PATCH\) *\([0-9]*\)$/\2/p' \
    "$(dirname "${BASH_SOURCE[0]}")/../../include/crmkit.h" | paste -sd.)"
if run 0 version --version; then
    [[ "$(head -n1 "$work/version.out")" == "crmkit $version" ]] ||
        fail "--version says '$(head -n1 "$work/version.out")', expected 'crmkit $version'"
fi
run 0 help --help && grep -q '^  analyze ' "$work/help.out" && grep -q '^  fit ' "$work/help.out" &&
    grep -q '^  options ' "$work/help.out" && grep -q '^  report ' "$work/help.out" &&
    grep -q '^  update ' "$work/help.out" || fail "--help does not list the commands"
run 2 bare
run 2 unknown frobnicate
for cmd in analyze report update fit options; do
    run 0 "help-$cmd" "$cmd" --help || continue
    grep -q "^usage: crmkit $cmd" "$work/help-$cmd.out" || fail "$cmd --help has no usage line"
    grep -q "Exit codes" "$work/help-$cmd.out" || fail "$cmd --help does not document the exit codes"
    run 0 "help2-$cmd" help "$cmd" && cmp -s "$work/help-$cmd.out" "$work/help2-$cmd.out" ||
        fail "crmkit help $cmd differs from crmkit $cmd --help"
done
grep -q -- '--time-format' "$work/help-analyze.out" || fail "analyze --help lacks --time-format"
ok "version, help"

# ---- a small export: labels, decimals, returns ----
cat >"$work/tx.csv" <<'CSV'
customer_id,time,amount
C-1,2025-01-01,10.10
C-1,2025-01-15,20.20
00017,2025-01-10,5
C-1,2025-01-15T12:00:00Z,-3.30
17,2025-01-12,1.5
CSV
if run 0 small analyze "$work/tx.csv" --csv "$work/small.csv" --jsonl "$work/small.jsonl"; then
    [[ "$(wc -l <"$work/small.csv")" -eq 4 ]] || fail "small.csv has $(wc -l <"$work/small.csv") lines, expected 4"
    [[ "$(cut -d, -f1 "$work/small.csv" | tr '\n' ' ')" == "customer_id 00017 17 C-1 " ]] ||
        fail "ids are not written back as they came: $(cut -d, -f1 "$work/small.csv" | tr '\n' ' ')"
    expect_field "$work/small.csv" C-1 monetary 27.00
    expect_field "$work/small.csv" C-1 gross 30.30
    expect_field "$work/small.csv" C-1 returns_amount 3.30
    expect_field "$work/small.csv" C-1 purchase_days 2
    expect_field "$work/small.csv" C-1 first_purchase 2025-01-01
    expect_field "$work/small.csv" C-1 last_purchase 2025-01-15
    expect_field "$work/small.csv" C-1 tenure_days 14
    expect_field "$work/small.csv" C-1 avg_spend 13.50
    expect_field "$work/small.csv" 00017 monetary 5.00
    expect_field "$work/small.csv" 00017 recency_days 5
    expect_field "$work/small.csv" 17 monetary 1.50
    expect_field "$work/small.csv" 17 median_interval_days ""
    grep -q '^{"customer_id":"00017","first_purchase":"2025-01-10",' "$work/small.jsonl" ||
        fail "small.jsonl does not start its 00017 line as expected"
    [[ "$(wc -l <"$work/small.jsonl")" -eq 3 ]] || fail "small.jsonl does not have 3 lines"
    grep -q '^Customers:  3 (3 with a purchase, 0 prospects)' "$work/small.out" || fail "summary does not count 3 customers"
    grep -Eq '^  transactions +5 +0 +5 +0$' "$work/small.out" || fail "record table wrong: $(grep transactions "$work/small.out")"
    grep -q 'Profiles (3 rows) written to' "$work/small.out" || fail "summary does not say where the profiles went"
fi
# profiles to standard output: no summary there
if run 0 stdout analyze "$work/tx.csv" --csv - --columns customer_id,monetary,segment; then
    [[ "$(head -n1 "$work/stdout.out")" == "customer_id,monetary,segment" ]] || fail "--csv - header: $(head -n1 "$work/stdout.out")"
    [[ "$(wc -l <"$work/stdout.out")" -eq 4 ]] || fail "--csv - printed more than the profiles"
fi
run 0 table analyze "$work/tx.csv" --table && grep -Eq '^C-1 +27.00 +2 ' "$work/table.out" ||
    fail "--table does not show C-1"
# the same data from standard input, by another delimiter and column names
tr ',' ';' <"$work/tx.csv" | sed 's/customer_id;time;amount/Kunde;Datum;Betrag/; s/\(;-\?[0-9]*\)\.\([0-9]*\)$/\1,\2/' \
    >"$work/tx_semicolon.csv"
if run 0 semicolon analyze --customer Kunde --time Datum --amount Betrag --decimal-comma --csv "$work/semi.csv" \
    - <"$work/tx_semicolon.csv"; then
    cmp -s "$work/small.csv" "$work/semi.csv" || fail "the semicolon export with decimal commas gives other profiles"
fi
run 0 semicolon-bad analyze --csv "$work/semi_bad.csv" "$work/tx_semicolon.csv"
grep -q 'tx_semicolon.csv:2: amount .10,10. is not a number (a decimal comma? give --decimal-comma)' \
    "$work/semicolon-bad.err" || fail "a decimal comma without --decimal-comma is not explained"
ok "small export: values, labels, CSV, JSON Lines, table, standard input and output, semicolons"

# ---- bad lines, --strict, exit codes ----
printf 'customer_id,time,amount\n1,1700000000,10\n2,not-a-time,5\n3,1700000000\n4,1700086400,nan\n' >"$work/bad.csv"
if run 0 bad analyze "$work/bad.csv"; then
    grep -q 'bad.csv:3: time .not-a-time. is not a time' "$work/bad.err" || fail "bad time on line 3 not reported"
    grep -q 'bad.csv:4: only 2 fields' "$work/bad.err" || fail "short line 4 not reported"
    grep -Eq '^  transactions +4 +2 +1 +1$' "$work/bad.out" || fail "bad lines not counted: $(grep transactions "$work/bad.out")"
    grep -q 'rejected, nonfinite' "$work/bad.out" || fail "the NaN amount is not counted as nonfinite"
fi
run 3 strict analyze --strict "$work/bad.csv" && grep -q 'bad.csv:3:' "$work/strict.err" ||
    fail "--strict does not stop at line 3"
printf 'customer_id,time,amount\n1,1700000000,10\n2,1700000000,nan\n' >"$work/nan.csv"
run 3 strict-record analyze --strict "$work/nan.csv" && grep -q 'nan.csv:3: rejected' "$work/strict-record.err" ||
    fail "--strict does not name the rejected record's line: $(cat "$work/strict-record.err")"
printf 'customer_id,time,amount\n1,1700000000,nan\n' >"$work/none.csv"
run 1 no-data analyze "$work/none.csv"
run 3 missing analyze "$work/does-not-exist.csv" && grep -q 'does-not-exist.csv: cannot open' "$work/missing.err" ||
    fail "a missing file is not reported"
run 2 bad-flag analyze --frobnicate "$work/tx.csv"
run 2 bad-set analyze --set no_such_option=1 "$work/tx.csv"
run 2 bad-value analyze --set rfm_bins=99 "$work/tx.csv"
run 2 bad-threads analyze --threads 0 "$work/tx.csv"
run 2 bad-format analyze --time-format julian "$work/tx.csv"
run 2 bad-columns analyze --columns customer_id,colour --csv - "$work/tx.csv"
run 2 no-input analyze
run 2 missing-value analyze --csv
run 4 unwritable analyze "$work/tx.csv" --csv "$work/no/such/dir/out.csv"
run 3 no-column analyze --amount Total "$work/tx.csv" && grep -q "no column 'Total'" "$work/no-column.err" ||
    fail "a missing column is not named"
printf 'customer_id,time,amount\n1,20250102,10\n2,20250103,11\n' >"$work/ymd.csv"
run 3 ymd analyze "$work/ymd.csv" && grep -q 'YYYYMMDD' "$work/ymd.err" || fail "YYYYMMDD-like seconds not refused with a hint"
run 0 ymd-told analyze --time-format YYYYMMDD --csv "$work/ymd_out.csv" "$work/ymd.csv" &&
    expect_field "$work/ymd_out.csv" 2 last_purchase 2025-01-03
ok "bad lines, --strict, exit codes 1 2 3 4"

# ---- the CDNOW sample as it is: blanks, no header, YYYYMMDD ----
cdnow="$data/cdnow/CDNOW_sample.txt"
if run 0 cdnow analyze --time-format YYYYMMDD "$cdnow" --csv "$work/cdnow.csv"; then
    [[ "$(($(wc -l <"$work/cdnow.csv") - 1))" -eq 2357 ]] || fail "CDNOW: not 2357 customers"
    grep -Eq '^  transactions +6919 +0 +6919 +0$' "$work/cdnow.out" || fail "CDNOW: not every line read"
    grep -q '^As-of date: 1998-06-30$' "$work/cdnow.out" || fail "CDNOW: as-of date is not 1998-06-30"
    expect_field "$work/cdnow.csv" 00004 monetary 100.50
    expect_field "$work/cdnow.csv" 00004 purchase_days 4
    expect_field "$work/cdnow.csv" 00004 first_purchase 1997-01-01
fi
run 3 cdnow-seconds analyze "$cdnow" && grep -q 'YYYYMMDD' "$work/cdnow-seconds.err" ||
    fail "CDNOW without --time-format is not refused"
run 0 cdnow-columns analyze -t YYYYMMDD --customer 2 --time 3 --amount 5 --csv "$work/cdnow2.csv" "$cdnow" &&
    expect_field "$work/cdnow2.csv" 0001 monetary 100.50
ok "CDNOW sample"

# ---- the full CDNOW cohort as it is: a header naming dollar_value, blanks, CRLF, YYYYMMDD ----
master="$data/cdnow/CDNOW_master.txt"
if run 0 cdnow-master analyze --time-format YYYYMMDD "$master" --csv "$work/master.csv"; then
    grep -Eq '^  transactions +69659 +0 +69659 +0$' "$work/cdnow-master.out" || fail "CDNOW master: not every line read"
    grep -q '^Customers: *23570 ' "$work/cdnow-master.out" || fail "CDNOW master: not 23570 customers"
    grep -q '^Net revenue: 2500315.63$' "$work/cdnow-master.out" || fail "CDNOW master: revenue is not 2500315.63"
    expect_field "$work/master.csv" 00001 first_purchase 1997-01-01
    expect_field "$work/master.csv" 00001 monetary 11.77
fi
ok "CDNOW master"

# ---- report ----
if run 0 report report --set model=bgnbd --title "Small & <shop>" -o "$work/report.html" "$work/tx.csv"; then
    grep -q '<svg' "$work/report.html" || fail "the report has no chart"
    grep -q 'Small &amp; &lt;shop&gt;' "$work/report.html" || fail "the report's title is not there, escaped"
    grep -q 'Report of 3 customers written to' "$work/report.out" || fail "report does not say where it went"
fi
run 0 report-holdout report -t YYYYMMDD --set model=bgnbd --calibration-end 1997-09-30 -o "$work/cdnow.html" \
    "$data/cdnow/CDNOW_sample.txt" && grep -q 'Calibration versus holdout' "$work/cdnow.html" ||
    fail "the CDNOW report has no calibration-versus-holdout section"
run 0 report-stdout report -o - "$work/tx.csv" && grep -q '</html>' "$work/report-stdout.out" ||
    fail "report -o - does not write the page to standard output"
run 2 report-no-output report "$work/tx.csv"
run 2 report-late report --calibration-end 2030-01-01 -o "$work/late.html" "$work/tx.csv"
run 4 report-unwritable report -o "$work/no/such/dir/r.html" "$work/tx.csv"
run 3 report-missing report -o "$work/m.html" "$work/does-not-exist.csv"
ok "report"

# ---- fit ----
if run 0 fit-summary fit "$data/cdnow/cdnow_customers_summary.csv"; then
    grep -q 'r = 0.242593 (se 0.012557)' "$work/fit-summary.out" || fail "BG/NBD on the CDNOW summary: $(grep bgnbd "$work/fit-summary.out")"
fi
if run 0 fit-holdout fit -t YYYYMMDD --calibration-end 1997-09-30 --model bgnbd,gamma_gamma \
    --predict "$work/predict.csv" "$cdnow"; then
    grep -q 'r = 0.242595' "$work/fit-holdout.out" || fail "BG/NBD on CDNOW transactions"
    grep -q 'holdout: 1653.4 purchase days expected, 1882 actual' "$work/fit-holdout.out" ||
        fail "the holdout check: $(grep holdout "$work/fit-holdout.out")"
    grep -q 'p = 6.2495' "$work/fit-holdout.out" || fail "Gamma-Gamma on CDNOW transactions"
    [[ "$(head -n1 "$work/predict.csv")" == "customer_id,x,t_x,T,holdout_purchases,bgnbd_p_alive,bgnbd_expected_purchases,gamma_gamma_expected_spend" ]] ||
        fail "predictions header: $(head -n1 "$work/predict.csv")"
    [[ "$(($(wc -l <"$work/predict.csv") - 1))" -eq 2357 ]] || fail "predictions: not 2357 rows"
fi
run 2 fit-model fit --model nbd "$data/cdnow/cdnow_customers_summary.csv"
run 3 fit-missing fit "$work/does-not-exist.csv"
ok "fit"

# ---- update: the nightly close ----
# Three days added one by one (a late return of day 1 comes on day 3) equal one
# analysis of all of them, value for value; a damaged state and text ids are refused.
printf 'customer_id,time,amount\n1,2025-01-02,10.50\n2,2025-01-03,20.00\n1,2025-02-01,5.25\n' >"$work/day1.csv"
printf 'customer_id,time,amount\n3,2025-02-03,7.00\n2,2025-02-04,30.00\n' >"$work/day2.csv"
printf 'customer_id,time,amount\n1,2025-01-15,-2.00\n4,2025-02-05,12.00\n' >"$work/day3.csv"
{ cat "$work/day1.csv"; tail -n +2 "$work/day2.csv"; tail -n +2 "$work/day3.csv"; } >"$work/days.csv"
if run 0 update-1 update "$work/shop.state" "$work/day1.csv" && run 0 update-2 update -q "$work/shop.state" "$work/day2.csv" &&
    run 0 update-3 update --csv "$work/upd.csv" "$work/shop.state" "$work/day3.csv" &&
    run 0 update-all analyze -q --csv "$work/full.csv" "$work/days.csv"; then
    grep -q 'shop.state: 2 customers; kept 3 transactions' "$work/update-1.out" || fail "update: day 1 line: $(cat "$work/update-1.out")"
    [[ ! -s "$work/update-2.out" ]] || fail "update -q printed something"
    grep -q 'shop.state: 4 customers; kept 7 transactions' "$work/update-3.out" || fail "update: day 3 line"
    # Same values: numbers compared as numbers (the full analysis writes the input's 2 decimals).
    awk -F, 'NR == FNR { for (i = 1; i <= NF; i++) a[FNR, i] = $i; rows = FNR; next }
        { for (i = 1; i <= NF; i++) { x = a[FNR, i]; y = $i
              if (x != y && !(x ~ /^-?[0-9.]+$/ && y ~ /^-?[0-9.]+$/ && x + 0 == y + 0)) { print FNR, i, x, y; bad = 1 } } }
        END { if (FNR != rows) bad = 1; exit bad }' "$work/upd.csv" "$work/full.csv" >"$work/update-diff.txt" ||
        fail "update: the profiles differ from one analysis: $(head -3 "$work/update-diff.txt")"
    expect_field "$work/upd.csv" 1 returns_amount 2
    run 0 update-none update "$work/shop.state" && grep -q '4 customers; kept 7 transactions' "$work/update-none.out" ||
        fail "update without records"
fi
printf 'not a state' >"$work/bad.state"
run 3 update-corrupt update "$work/bad.state" "$work/day1.csv" && grep -q 'not a crmkit state' "$work/update-corrupt.err" ||
    fail "update: a damaged state"
[[ "$(cat "$work/bad.state")" == "not a state" ]] || fail "update: a damaged state was overwritten"
printf 'customer_id,time,amount\nC-1,2025-01-02,10\n' >"$work/text-ids.csv"
run 3 update-text-ids update "$work/text.state" "$work/text-ids.csv" && grep -q 'must be integers' "$work/update-text-ids.err" ||
    fail "update: text ids"
[[ ! -e "$work/text.state" ]] || fail "update: a state was written after a refused input"
run 2 update-no-state update
# A kept fit: fitted once on the CDNOW sample, then the next day's receipts are valued with
# it (the line says so); forgetting it fits again, with other parameters, so other p_alive.
awk 'BEGIN { print "customer_id,date,amount" } { sub(/\r$/, ""); print $1 + 0 "," $3 "," $5 }' "$cdnow" >"$work/cd-history.csv"
printf 'customer_id,date,amount\n1,19980701,20.00\n4,19980701,35.50\n' >"$work/cd-next.csv"
if run 0 update-fit update -t YYYYMMDD --set model=bgnbd --fit-models "$work/cd.state" "$work/cd-history.csv" &&
    cp "$work/cd.state" "$work/cd-refit.state" &&
    run 0 update-kept update -t YYYYMMDD --set model=bgnbd --csv "$work/kept.csv" "$work/cd.state" "$work/cd-next.csv" &&
    run 0 update-refit update -t YYYYMMDD --set model=bgnbd --refit-models --csv "$work/refit.csv" \
        "$work/cd-refit.state" "$work/cd-next.csv"; then
    grep -q 'models kept from the fit as of 1998-06-30' "$work/update-fit.out" || fail "update --fit-models: $(cat "$work/update-fit.out")"
    grep -q 'models kept from the fit as of 1998-06-30' "$work/update-kept.out" || fail "update: the kept fit was not kept"
    grep -q 'models fitted again by each update' "$work/update-refit.out" || fail "update --refit-models: $(cat "$work/update-refit.out")"
    [[ "$(field "$work/kept.csv" 4 p_alive)" != "$(field "$work/refit.csv" 4 p_alive)" ]] ||
        fail "update: the kept and the refitted models value customer 4 alike"
    [[ -n "$(field "$work/kept.csv" 4 p_alive)" ]] || fail "update: no p_alive with a kept fit"
fi
# the kept BG/NBD fit under another model: no profiles, a hint in the command's own words
run 1 update-mismatch update -t YYYYMMDD --set model=pareto_nbd --csv "$work/mm.csv" "$work/cd.state" &&
    grep -q 'fit them again with --fit-models' "$work/update-mismatch.err" ||
    fail "update: a kept fit of another model: $(cat "$work/update-mismatch.err")"
run 0 update-mismatch-line update -t YYYYMMDD --set model=pareto_nbd "$work/cd.state" &&
    grep -q 'the kept fit does not match' "$work/update-mismatch-line.out" || fail "update: the mismatch line"
# --fit-models-every 7: a fit one day old is kept, one eight days old is made again
printf 'customer_id,date,amount\n4,19980708,12.00\n' >"$work/cd-week.csv"
if run 0 update-every-1 update -t YYYYMMDD --set model=bgnbd --fit-models-every 7 "$work/cd-every.state" \
    "$work/cd-history.csv" &&
    run 0 update-every-2 update -t YYYYMMDD --set model=bgnbd --fit-models-every 7 "$work/cd-every.state" \
        "$work/cd-next.csv" &&
    run 0 update-every-3 update -t YYYYMMDD --set model=bgnbd --fit-models-every 7 "$work/cd-every.state" \
        "$work/cd-week.csv"; then
    grep -q 'models kept from the fit as of 1998-06-30' "$work/update-every-1.out" || fail "--fit-models-every: no first fit"
    grep -q 'models kept from the fit as of 1998-06-30' "$work/update-every-2.out" || fail "--fit-models-every: refitted after a day"
    grep -q 'models kept from the fit as of 1998-07-08' "$work/update-every-3.out" ||
        fail "--fit-models-every: not refitted after eight days: $(cat "$work/update-every-3.out")"
fi
run 2 update-every-0 update --fit-models-every 0 "$work/cd-every.state"
run 2 update-both update --fit-models --refit-models "$work/cd.state"
run 1 update-fit-none update --fit-models "$work/cd.state" && grep -q 'no model to fit' "$work/update-fit-none.err" ||
    fail "update --fit-models without a model: $(cat "$work/update-fit-none.err")"
ok "update"

# ---- options ----
if run 0 options options; then
    grep -Eq '^rfm_bins +int +default 5 +2 \.\. 10$' "$work/options.out" || fail "options: rfm_bins line"
fi
run 0 options-csv options --csv && [[ "$(($(wc -l <"$work/options-csv.out") - 1))" -eq \
    "$(grep -c '^[a-z_0-9]* *\(int\|real\|enum\) ' "$work/options.out")" ]] || fail "options --csv and the text disagree"
run 0 options-json options --json ties && grep -q '"values":\["shared","ntile"\]' "$work/options-json.out" ||
    fail "options --json ties"
run 2 options-unknown options no_such_option
ok "options"

# ---- bad input (README "Bad input") ----
{
    printf 'customer_id,time,amount,%s\n' "$(head -c 1100 /dev/zero | tr '\0' x)"
    printf '1,2025-01-01,10,a\n'
} >"$work/long-header.csv"
run 0 long-header analyze "$work/long-header.csv" --csv "$work/long-header-result.csv" &&
    expect_field "$work/long-header-result.csv" 1 monetary 10
printf 'customer_id,time,amount\n1,2025-01-01,10\n2,2025-01-02,1\0000\n3,2025-01-03,5\n' >"$work/nul.csv"
if run 0 nul-byte analyze "$work/nul.csv" --csv "$work/nul-result.csv"; then
    grep -q "nul.csv:3: amount '1?0' is not a number" "$work/nul-byte.err" || fail "a NUL byte inside a line"
    [[ "$(wc -l <"$work/nul-result.csv")" -eq 3 ]] || fail "a NUL byte: the other lines are not all kept"
fi
printf 'customer_id,time,amount\n1,2025-01-01,1e-320\n2,2025-01-02,5\n' >"$work/subnormal.csv"
run 0 subnormal analyze "$work/subnormal.csv" --csv "$work/subnormal-result.csv" &&
    expect_field "$work/subnormal-result.csv" 1 monetary 1e-320
{
    printf 'customer_id,time,amount\n1,2025-01-01,10\n2,2025-01-02,'
    head -c 2000000 /dev/zero | tr '\0' 9
    printf 'x\n'
} >"$work/huge-field.csv"
if run 0 huge-field analyze "$work/huge-field.csv" --csv "$work/huge-field-result.csv"; then
    grep -q "huge-field.csv:3: amount '9999.*\.\.\.' is not a number" "$work/huge-field.err" ||
        fail "a 2 MB field: no short message"
    (($(wc -c <"$work/huge-field.err") < 300)) || fail "a 2 MB field: the message is $(wc -c <"$work/huge-field.err") bytes"
fi
: >"$work/empty.csv"
run 1 empty-file analyze "$work/empty.csv" && grep -q 'no_data' "$work/empty-file.err" || fail "an empty file"
printf 'customer_id,time,amount\n' >"$work/header-only.csv"
run 1 header-only analyze "$work/header-only.csv" && grep -q 'no_data' "$work/header-only.err" ||
    fail "a file with only a header"
ok "bad input"

if ((failures > 0)); then
    echo "check_cli: $failures failure(s)" >&2
    exit 1
fi
echo "check_cli: all passed"

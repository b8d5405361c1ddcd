#!/usr/bin/env bash
# Test of examples/pos_nightly.c:
#   check_pos_nightly.sh POS_NIGHTLY
# The sample journal's profiles, as written back into the POS's customer
# table, have the values README.md in this folder derives from the rules; the
# generated run is deterministic; bad arguments are usage errors.
set -euo pipefail

if (($# != 1)); then
    echo "usage: $0 POS_NIGHTLY" >&2
    exit 2
fi
prog="$1"
fail() {
    echo "check_pos_nightly: $*" >&2
    exit 1
}
work="$(mktemp -d "${TMPDIR:-/tmp}/crmkit-pos.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$prog" --sample --table >"$work/out.txt" || fail "pos_nightly --sample --table failed"
cat "$work/out.txt"
# Whitespace collapsed, so that column widths do not matter.
squeeze() { tr -s ' ' <"$1" | sed 's/ $//'; }
squeeze "$work/out.txt" >"$work/flat.txt"

grep -qx 'pos_nightly: 13 receipts (refunds: 1) at 3 stores, 6 members; as of 2025-06-30 (store time, UTC+01:00)' \
    "$work/flat.txt" || fail "the first summary line is wrong"
grep -qx 'records: 13 of 13 sales and 6 of 6 members accepted; 7 profiles, 1 for cards not in the customer table' \
    "$work/flat.txt" || fail "the records line is wrong"

# The customer table: card, name, home store, net, last visit, RFM cell,
# segment, tier, stage, risk, next call (the same values as profile_expected.txt).
cat >"$work/expected.txt" <<'TABLE'
1001 Ana Lima 4711 600.00 2025-06-28 455 Champions key stable low 2024-08-01
1002 Ben Okafor 4711 65.00 2025-04-02 222 Need Attention major stable medium 2025-04-16
1003 Chen Wei 4712 405.25 2024-09-01 124 At Risk key lapsed high 2024-09-09
1004 Dora Novak 4712 19.99 2025-06-20 311 About To Sleep regular new low 2025-12-19
1005 Eli Haddad 4713 110.00 2025-06-30 523 Potential Loyalist major new low 2025-08-29
1006 Fay Moreau 4713 0.00 - 0 none none prospect none -
TABLE
sed -n '/^customer table:$/,$p' "$work/flat.txt" | tail -n +3 >"$work/table.txt"
diff -u "$work/expected.txt" "$work/table.txt" || fail "the customer table differs from the expected values (- expected, + got)"

# The call list: high risk first, then by net spend.
sed -n '/^call list/,/^$/p' "$work/flat.txt" | awk 'NR > 2 && NF { print $1 }' | tr '\n' ' ' >"$work/calls.txt"
[[ "$(cat "$work/calls.txt")" == "1003 1002 " ]] || fail "the call list is '$(cat "$work/calls.txt")', expected '1003 1002 '"
echo "-- pos_nightly: sample profiles as expected"

"$prog" --members 300 --days 400 --seed 11 --top 5 >"$work/a.txt" || fail "pos_nightly on generated data failed"
"$prog" --members 300 --days 400 --seed 11 --top 5 >"$work/b.txt" || fail "pos_nightly on generated data failed"
cmp -s "$work/a.txt" "$work/b.txt" || fail "pos_nightly is not deterministic"
grep -Eq '^records: +([0-9]+) of \1 sales and 300 of 300 members accepted; 300 profiles, 0 for cards' "$work/a.txt" ||
    fail "generated run: the records line is wrong: $(grep '^records' "$work/a.txt")"
echo "-- pos_nightly: generated run deterministic"

for bad in "--members 0" "--days x" "--frobnicate" "--top"; do
    rc=0
    # shellcheck disable=SC2086 # the words of $bad are the arguments
    "$prog" $bad >/dev/null 2>"$work/err.txt" || rc=$?
    ((rc == 2)) || fail "pos_nightly $bad exited with $rc, expected 2 (usage error)"
    [[ -s "$work/err.txt" ]] || fail "pos_nightly $bad said nothing on standard error"
done
echo "-- pos_nightly: usage errors reported"

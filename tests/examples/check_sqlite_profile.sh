#!/usr/bin/env bash
# End-to-end test of examples/sqlite_profile.c on a real SQLite database file:
#   check_sqlite_profile.sh SQLITE_PROFILE [SQLITE3]
# Creates the database with the sqlite3 command (SQLITE3, default: the one on
# PATH), runs sqlite_profile and checks the customer_profile table it writes
# with queries: the values of profile_expected.txt (see README.md here), the
# column types, the skipped rows, a rerun, and the error of a missing table.
# SQLITE_PROFILE empty: the example was not built because the SQLite library
# was not found when configuring; the test is skipped (77). Without the
# sqlite3 command it fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prog="${1:-}"
sqlite="${2:-sqlite3}"
if [[ -z "$prog" ]]; then
    echo "check_sqlite_profile: skipped: sqlite_profile was not built (no SQLite library when configuring)"
    exit 77
fi
fail() {
    echo "check_sqlite_profile: $*" >&2
    exit 1
}
command -v "$sqlite" >/dev/null 2>&1 ||
    fail "the sqlite3 command ($sqlite) is not installed (Debian: apt-get install sqlite3; tests/run.sh does)"
work="$(mktemp -d "${TMPDIR:-/tmp}/crmkit-sqlite.XXXXXX")"
trap 'rm -rf "$work"' EXIT
db="$work/shop.db"

# The 13 receipts of the sample (local time UTC+01:00): times as epoch
# seconds, as ISO text with an offset and as REAL seconds; one return; then
# rows sqlite_profile must report and skip.
"$sqlite" -bail "$db" <<'SQL' || fail "cannot create the test database"
CREATE TABLE sales (customer_id INTEGER, time, amount NUMERIC, store INTEGER);
INSERT INTO sales VALUES
  (1001, 1719911700, 120.00, 4711),
  (1003, '2024-08-10T17:40:00+01:00', 310.00, 4712),
  (1003, '2024-09-01 11:05:00+01:00', 95.25, 4712),
  (1001, 1734708600, 250, 4711),
  (1002, '2025-01-15T08:50:00Z', 45, 4711),
  (2001, 1738497600.75, 12, 4713),
  (1001, 1741972800, 80.50, 4711),
  (1002, '1743591600', 30, 4711),
  (1002, 1743593100, -10, 4711),
  (1005, '2025-05-30 18:45:00', 35, 4713),
  (1004, 1750406100, 19.99, 4712),
  (1001, 1751119800, 149.50, 4712),
  (1005, '2025-06-30T00:30:00+01:00', '75.00', 4713),
  (NULL, 1751119800, 5, 4711),
  (1006, 'yesterday', 5, 4711),
  (1007, 1751119800, 'five', 4711),
  (-3, 1751119800, 5, 4711),
  (1008, 1751119800, NULL, 4711);
SQL

"$prog" --set day_offset=3600 "$db" >"$work/out.txt" 2>"$work/err.txt" || {
    cat "$work/out.txt" "$work/err.txt"
    fail "sqlite_profile failed"
}
cat "$work/out.txt" "$work/err.txt"
grep -q '^sqlite_profile: 18 rows of sales read from .*shop.db (5 skipped, reported above)$' "$work/out.txt" ||
    fail "the summary does not count 18 rows and 5 skipped"
for expect in "sales row 14: customer id is NULL" "sales row 15: time 'yesterday' is not a date or time" \
    "sales row 16: amount 'five' is not an amount" "sales row 17: customer id '-3' is negative" \
    "sales row 18: amount is NULL"; do
    grep -qF "$expect" "$work/err.txt" || fail "standard error lacks '$expect'"
done
grep -q '^  transactions: 13 accepted$' "$work/out.txt" || fail "not all 13 sales accepted"

"$sqlite" -bail -separator '|' "$db" >"$work/got.txt" <<'SQL' || fail "cannot query customer_profile"
SELECT customer_id, first_purchase, last_purchase, recency_days, purchase_days, printf('%.2f', monetary),
  printf('%.2f', returns_amount), rfm_cell, segment, value_tier, lifecycle_stage, churn_flags, risk_level,
  next_call_due, as_of FROM customer_profile ORDER BY customer_id;
SQL
diff -u "$here/profile_expected.txt" "$work/got.txt" ||
    fail "customer_profile differs from profile_expected.txt (- expected, + got)"
echo "-- sqlite_profile: customer_profile has the expected values"

types="$("$sqlite" -separator '|' "$db" 'SELECT typeof(customer_id), typeof(first_purchase), typeof(monetary),
  typeof(r_score), typeof(segment), typeof(health_score) FROM customer_profile WHERE customer_id = 1001')"
[[ "$types" == "integer|text|real|integer|text|real" ]] || fail "column types are '$types'"
pk="$("$sqlite" "$db" "SELECT name FROM pragma_table_info('customer_profile') WHERE pk = 1")"
[[ "$pk" == "customer_id" ]] || fail "the primary key is '$pk', not customer_id"
bad="$("$sqlite" -bail "$db" <<'SQL'
SELECT count(*) FROM customer_profile WHERE NOT (health_score BETWEEN 0 AND 100)
  OR health_band NOT IN ('red', 'yellow', 'green') OR r_score * 100 + f_score * 10 + m_score <> rfm_cell;
SQL
)"
[[ "$bad" == 0 ]] || fail "$bad rows with a health score, health band or RFM cell out of place"
echo "-- sqlite_profile: column types, primary key and derived columns"

# A rerun replaces the table (same rows, not twice as many).
"$prog" --set day_offset=3600 "$db" >/dev/null 2>&1 || fail "the rerun failed"
rows="$("$sqlite" "$db" 'SELECT count(*) FROM customer_profile')"
[[ "$rows" == 6 ]] || fail "after a rerun customer_profile has $rows rows, expected 6"

# Errors carry SQLite's message, exit 1, and leave the table as it was.
rc=0
"$prog" --table no_such_table "$db" >/dev/null 2>"$work/err.txt" || rc=$?
((rc == 1)) || fail "a missing table gave exit code $rc, expected 1"
grep -q 'no such table: no_such_table' "$work/err.txt" || fail "no SQLite message for a missing table: $(cat "$work/err.txt")"
rows="$("$sqlite" "$db" 'SELECT count(*) FROM customer_profile')"
[[ "$rows" == 6 ]] || fail "a failed run changed customer_profile ($rows rows)"
rc=0
"$prog" "$work/missing.db" >/dev/null 2>"$work/err.txt" || rc=$?
if ((rc != 1)) || ! grep -q 'cannot open .*missing.db' "$work/err.txt"; then
    fail "a missing database file was not reported (exit code $rc): $(cat "$work/err.txt")"
fi
[[ ! -e "$work/missing.db" ]] || fail "a missing database file was created"
echo "-- sqlite_profile: reruns replace the table; errors reported with SQLite's message"

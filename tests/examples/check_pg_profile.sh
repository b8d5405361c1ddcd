#!/usr/bin/env bash
# End-to-end test of examples/pg_profile.c against a real PostgreSQL server:
#   check_pg_profile.sh PG_PROFILE
# Starts a throw-away cluster of its own: initdb into a temporary folder as an
# unprivileged user (as root: the user postgres, through runuser), the server
# listening on a Unix socket in that folder only (listen_addresses = '', no
# TCP). Loads a sales table, runs pg_profile, checks the customer_profile
# table it writes with queries (the values of profile_expected.txt, see
# README.md here; column types; skipped and rejected rows; a rerun; the error
# of a missing table), then stops the server and removes the folder, also
# when a step fails.
# PG_PROFILE empty: the example was not built because libpq was not found
# when configuring; the test is skipped (77). A server that cannot be set up
# or started fails the test, with the reason.
# The server programs are taken from /usr/lib/postgresql/*/bin (newest first),
# else from PATH; CRM_PG_BINDIR names their folder instead.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prog="${1:-}"
if [[ -z "$prog" ]]; then
    echo "check_pg_profile: skipped: pg_profile was not built (no libpq when configuring)"
    exit 77
fi
fail() {
    echo "check_pg_profile: $*" >&2
    exit 1
}

# ---- the server programs and the user that runs them ----
bindir="${CRM_PG_BINDIR:-}"
if [[ -z "$bindir" ]]; then
    while read -r dir; do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
            bindir="$dir"
            break
        fi
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV)
fi
if [[ -z "$bindir" ]] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    bindir="$(dirname "$(command -v initdb)")"
fi
if [[ -n "${CRM_PG_BINDIR:-}" ]]; then
    [[ -x "$bindir/initdb" && -x "$bindir/pg_ctl" ]] || fail "CRM_PG_BINDIR=$bindir holds no initdb and pg_ctl"
fi
[[ -n "$bindir" && -x "$bindir/initdb" && -x "$bindir/pg_ctl" ]] ||
    fail "the PostgreSQL server programs (initdb, pg_ctl) are not installed: not under" \
        "/usr/lib/postgresql/*/bin nor on PATH (Debian: apt-get install postgresql; tests/run.sh does)"
psql="$bindir/psql"
[[ -x "$psql" ]] || psql="$(command -v psql)" || fail "psql not found (Debian: apt-get install postgresql-client)"

# The server refuses to run as root: then run it as postgres.
as_server=()
if ((EUID == 0)); then
    id postgres >/dev/null 2>&1 ||
        fail "running as root, and there is no user postgres to run the server as (the postgresql package creates it)"
    command -v runuser >/dev/null 2>&1 || fail "running as root, and runuser (util-linux) is not installed"
    as_server=(runuser -u postgres --)
fi
server() { ${as_server[@]+"${as_server[@]}"} "$@"; }

# ---- the throw-away cluster ----
# A socket path must stay under about 100 bytes: fall back to /tmp for a long TMPDIR.
tmp="${TMPDIR:-/tmp}"
((${#tmp} <= 60)) || tmp=/tmp
work="$(mktemp -d "$tmp/crmkit-pg.XXXXXX")"
data="$work/data"
cleanup() {
    if [[ -f "$data/postmaster.pid" ]]; then
        server "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 ||
            echo "check_pg_profile: could not stop the server of $data" >&2
    fi
    rm -rf "$work"
}
trap cleanup EXIT
chmod 755 "$work"
((EUID != 0)) || chown postgres: "$work"

server "$bindir/initdb" -D "$data" -U crmkit -A trust -E UTF8 --locale=C --no-sync >"$work/initdb.log" 2>&1 || {
    cat "$work/initdb.log" >&2
    fail "initdb failed (output above)"
}
cat >>"$data/postgresql.conf" <<CONF
# check_pg_profile: a private server on a Unix socket only, nothing kept on failure
listen_addresses = ''
unix_socket_directories = '$work'
port = 5432
max_connections = 10
shared_buffers = 16MB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
if ! server "$bindir/pg_ctl" -D "$data" -l "$work/server.log" -w -t 60 start >/dev/null 2>&1; then
    tail -n 20 "$work/server.log" >&2 || true
    fail "could not start a throw-away PostgreSQL server in $data (server log above)"
fi
echo "-- PostgreSQL $("$bindir/pg_ctl" --version | awk '{ print $3 }') started on a Unix socket in $work"

export PGHOST="$work" PGPORT=5432 PGUSER=crmkit PGDATABASE=shop PGTZ=UTC PGDATESTYLE=ISO
unset PGPASSWORD PGSERVICE PGHOSTADDR PGOPTIONS
sql() { "$psql" -X -q -v ON_ERROR_STOP=1 -At -F '|' "$@"; }
sql -d postgres -c 'CREATE DATABASE shop' || fail "cannot create the database"

# The 13 receipts of the sample (local time UTC+01:00) in a timestamptz
# column, one return; then a row pg_profile skips and one crmkit rejects.
sql <<'SQL' || fail "cannot load the sales table"
CREATE TABLE sales (
  receipt serial PRIMARY KEY,
  customer_id bigint,
  sold_at timestamptz NOT NULL,
  amount numeric(12, 2),
  store integer
);
INSERT INTO sales (customer_id, sold_at, amount, store) VALUES
  (1001, '2024-07-02 10:15+01', 120.00, 4711),
  (1003, '2024-08-10 17:40+01', 310.00, 4712),
  (1003, '2024-09-01 11:05+01', 95.25, 4712),
  (1001, '2024-12-20 16:30+01', 250.00, 4711),
  (1002, '2025-01-15 09:50+01', 45.00, 4711),
  (2001, '2025-02-02 13:00+01', 12.00, 4713),
  (1001, '2025-03-14 18:20+01', 80.50, 4711),
  (1002, '2025-04-02 12:00+01', 30.00, 4711),
  (1002, '2025-04-02 12:25+01', -10.00, 4711),
  (1005, '2025-05-30 19:45+01', 35.00, 4713),
  (1004, '2025-06-20 08:55+01', 19.99, 4712),
  (1001, '2025-06-28 15:10+01', 149.50, 4712),
  (1005, '2025-06-30 00:30+01', 75.00, 4713),
  (NULL, '2025-06-28 15:10+01', 5.00, 4711),
  (1009, '2025-06-28 15:10+01', 'NaN', 4711);
SQL

"$prog" --time sold_at --set day_offset=3600 "host=$work dbname=shop user=crmkit" >"$work/out.txt" 2>"$work/err.txt" || {
    cat "$work/out.txt" "$work/err.txt"
    fail "pg_profile failed"
}
cat "$work/out.txt" "$work/err.txt"
grep -q '^pg_profile: 15 rows of sales read from database shop (1 skipped, reported above)$' "$work/out.txt" ||
    fail "the summary does not count 15 rows and 1 skipped"
grep -qF 'sales row 14: customer id is NULL; skipped' "$work/err.txt" || fail "the NULL customer id was not reported"
grep -q '^  transactions: 13 accepted, 1 rejected as nonfinite$' "$work/out.txt" ||
    fail "the NaN amount was not counted as rejected"

sql >"$work/got.txt" <<'SQL' || fail "cannot query customer_profile"
SELECT customer_id, first_purchase, last_purchase, recency_days, purchase_days, round(monetary::numeric, 2),
  round(returns_amount::numeric, 2), rfm_cell, segment, value_tier, lifecycle_stage, churn_flags, risk_level,
  next_call_due, as_of FROM customer_profile ORDER BY customer_id;
SQL
diff -u "$here/profile_expected.txt" "$work/got.txt" ||
    fail "customer_profile differs from profile_expected.txt (- expected, + got)"
echo "-- pg_profile: customer_profile has the expected values"

types="$(sql <<'SQL'
SELECT string_agg(data_type, '|' ORDER BY column_name) FROM information_schema.columns
 WHERE table_name = 'customer_profile'
   AND column_name IN ('customer_id', 'first_purchase', 'monetary', 'r_score', 'segment');
SQL
)"
[[ "$types" == "bigint|date|double precision|bigint|text" ]] || fail "column types are '$types'"
pk="$(sql -c "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid
  AND a.attnum = ANY (i.indkey) WHERE i.indrelid = 'customer_profile'::regclass AND i.indisprimary")"
[[ "$pk" == "customer_id" ]] || fail "the primary key is '$pk', not customer_id"
bad="$(sql <<'SQL'
SELECT count(*) FROM customer_profile WHERE NOT (health_score BETWEEN 0 AND 100)
  OR health_band NOT IN ('red', 'yellow', 'green') OR r_score * 100 + f_score * 10 + m_score <> rfm_cell;
SQL
)"
[[ "$bad" == 0 ]] || fail "$bad rows with a health score, health band or RFM cell out of place"
echo "-- pg_profile: column types, primary key and derived columns"

# A rerun with the connection from the environment replaces the table.
"$prog" --time sold_at --set day_offset=3600 >/dev/null 2>&1 || fail "the rerun (connection from PG* variables) failed"
rows="$(sql -c 'SELECT count(*) FROM customer_profile')"
[[ "$rows" == 6 ]] || fail "after a rerun customer_profile has $rows rows, expected 6"

# Errors carry the server's message, exit 1, and leave the table as it was.
rc=0
"$prog" --table no_such_table >/dev/null 2>"$work/err.txt" || rc=$?
((rc == 1)) || fail "a missing table gave exit code $rc, expected 1"
grep -q 'relation "no_such_table" does not exist' "$work/err.txt" ||
    fail "no server message for a missing table: $(cat "$work/err.txt")"
rc=0
"$prog" --time no_such_column >/dev/null 2>"$work/err.txt" || rc=$?
if ((rc != 1)) || ! grep -q 'column "no_such_column" does not exist' "$work/err.txt"; then
    fail "a missing column was not reported (exit code $rc): $(cat "$work/err.txt")"
fi
rows="$(sql -c 'SELECT count(*) FROM customer_profile')"
[[ "$rows" == 6 ]] || fail "a failed run changed customer_profile ($rows rows)"
rc=0
"$prog" "host=$work dbname=no_such_db" >/dev/null 2>"$work/err.txt" || rc=$?
if ((rc != 1)) || ! grep -q 'cannot connect to .*no_such_db.*does not exist' "$work/err.txt"; then
    fail "a missing database was not reported (exit code $rc): $(cat "$work/err.txt")"
fi
echo "-- pg_profile: reruns replace the table; errors reported with the server's message"

/*
 * pg_profile - profile the customers of a PostgreSQL sales table with crmkit
 * and write the profiles back into the database, through libpq.
 *
 *   pg_profile [options] [CONNINFO]          (options: --help, or db_profile.h)
 *
 * CONNINFO is a libpq connection string ("host=/run/postgresql dbname=shop",
 * "postgresql://user@localhost:5432/shop"); without it, libpq's defaults and
 * the PG* environment variables apply.
 *
 * Reads customer id, time and amount from each row of the sales table
 * (default `sales` with columns customer_id, time, amount; --table,
 * --customer, --time, --amount choose others). Customer ids are integers
 * >= 0 (any integer type, or text holding one). Times are timestamptz,
 * timestamp or date (a timestamp without time zone and a date are read as
 * UTC), epoch seconds of an integer or numeric type (rounded down), or text
 * PostgreSQL reads as a timestamptz (the session runs in UTC, so text
 * without an offset is UTC). Amounts are of any numeric type; a negative one
 * is a return. A row that cannot be read (a NULL, a negative or non-integer
 * id) is reported and skipped; rows crmkit rejects (a NaN amount) are
 * counted by reason in the summary. Rows are fetched one at a time, so the
 * table need not fit in memory twice.
 *
 * Writes the table `customer_profile` (--profile) with COPY, replacing it in
 * one transaction (a failure leaves the database as it was): one row per
 * customer, customer_id the primary key, the main columns of crmkit's result
 * under crmkit's names (db_profile.h lists them) as bigint, double
 * precision, date and text (enumerations by name: segment 'Champions',
 * value_tier 'key', risk_level 'high'; churn flags as names joined by '|'),
 * NULL where a value does not apply, and the as_of date of the analysis.
 *
 * Exit codes: 0 success, 1 failure (reported with the server's message), 2 usage error.
 */
#include "db_profile.h"

#include <libpq-fe.h>

static const char *program = "pg_profile";

/* Report a failure with libpq's or the server's message (without its final newline). */
static void pg_error(const char *what, const char *name, const char *message) {
    size_t len = message ? strlen(message) : 0;
    while (len > 0 && (message[len - 1] == '\n' || message[len - 1] == '\r')) len--;
    fprintf(stderr, "%s: %s%s%s: %.*s\n", program, what, name ? " " : "", name ? name : "", (int)len,
            message ? message : "");
}

/* Run a statement that returns no rows (or rows nobody reads). */
static int run(PGconn *conn, const char *sql, const char *what, const char *name) {
    PGresult *r = PQexec(conn, sql);
    const ExecStatusType st = PQresultStatus(r);
    const int ok = r != NULL && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK);
    if (!ok) pg_error(what, name, r ? PQresultErrorMessage(r) : PQerrorMessage(conn));
    PQclear(r);
    return ok;
}

/* Stable type OIDs of PostgreSQL's catalog (pg_type.dat), for the time column. */
enum {
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_TEXT = 25,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_BPCHAR = 1042,
    OID_VARCHAR = 1043,
    OID_DATE = 1082,
    OID_TIMESTAMP = 1114,
    OID_TIMESTAMPTZ = 1184,
    OID_NUMERIC = 1700
};

/* The SQL expression that gives the time column as epoch seconds (or a
 * number of them), chosen by the column's type. 0 after reporting. */
static int time_expression(PGconn *conn, const char *table, const char *column, const db_options *o,
                           char *out, size_t size) {
    char sql[DB_SQL_SIZE];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s LIMIT 0", column, table);
    PGresult *r = PQexec(conn, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        pg_error("cannot read the sales table", o->table, r ? PQresultErrorMessage(r) : PQerrorMessage(conn));
        PQclear(r);
        return 0;
    }
    const Oid type = PQftype(r, 0);
    PQclear(r);
    switch (type) {
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC: snprintf(out, size, "%s", column); return 1;
    case OID_DATE:
    case OID_TIMESTAMP:
    case OID_TIMESTAMPTZ: snprintf(out, size, "floor(extract(epoch from %s))::int8", column); return 1;
    case OID_TEXT:
    case OID_VARCHAR:
    case OID_BPCHAR:
        snprintf(out, size, "floor(extract(epoch from %s::timestamptz))::int8", column);
        return 1;
    default:
        fprintf(stderr,
                "%s: the time column %s has a type (oid %u) that is neither a date/time, a number of "
                "seconds nor text\n",
                program, o->time_column, (unsigned)type);
        return 0;
    }
}

/* Epoch seconds from the text of an integer or a decimal number (rounded down). */
static int parse_seconds(const char *text, int64_t *out) {
    if (db_parse_i64(text, out)) return 1;
    char *end = NULL;
    const double x = strtod(text, &end);
    if (*text == '\0' || *end != '\0' || !(x > -9.2e18 && x < 9.2e18)) return 0;
    *out = (int64_t)x;
    if ((double)*out > x) (*out)--;
    return 1;
}

/* One row of the sales query into the sales read; 0 when out of memory. */
static int read_row(const PGresult *r, db_sales *s) {
    const size_t row = ++s->rows;
    int64_t id, t;
    char *end = NULL;
    if (PQgetisnull(r, 0, 0)) {
        db_sales_skip(s, program, row, "customer id", "is NULL");
        return 1;
    }
    if (!db_parse_i64(PQgetvalue(r, 0, 0), &id) || id < 0) {
        char what[80];
        snprintf(what, sizeof what, "customer id '%.40s'", PQgetvalue(r, 0, 0));
        db_sales_skip(s, program, row, what, "is not an integer >= 0");
        return 1;
    }
    if (PQgetisnull(r, 0, 1)) {
        db_sales_skip(s, program, row, "time", "is NULL");
        return 1;
    }
    if (!parse_seconds(PQgetvalue(r, 0, 1), &t)) {
        db_sales_skip(s, program, row, "time", "is out of range");
        return 1;
    }
    if (PQgetisnull(r, 0, 2)) {
        db_sales_skip(s, program, row, "amount", "is NULL");
        return 1;
    }
    const char *text = PQgetvalue(r, 0, 2);
    const double a = strtod(text, &end); /* NaN and Infinity too: crmkit counts them */
    if (*text == '\0' || *end != '\0') {
        char what[80];
        snprintf(what, sizeof what, "amount '%.40s'", text);
        db_sales_skip(s, program, row, what, "is not a number");
        return 1;
    }
    return db_sales_add(s, (uint64_t)id, t, a);
}

static int read_sales(PGconn *conn, const db_options *o, db_sales *s) {
    char table[512], cust[256], time[256], amount[256], texpr[600], sql[DB_SQL_SIZE];
    if (!db_quote_name(o->table, table, sizeof table) ||
        !db_quote_name(o->customer_column, cust, sizeof cust) ||
        !db_quote_name(o->time_column, time, sizeof time) ||
        !db_quote_name(o->amount_column, amount, sizeof amount)) {
        fprintf(stderr, "%s: a table or column name is empty or too long\n", program);
        return 0;
    }
    if (!time_expression(conn, table, time, o, texpr, sizeof texpr)) return 0;
    snprintf(sql, sizeof sql, "SELECT %s, %s, %s FROM %s", cust, texpr, amount, table);
    if (!PQsendQuery(conn, sql)) {
        pg_error("cannot read the sales table", o->table, PQerrorMessage(conn));
        return 0;
    }
    if (!PQsetSingleRowMode(conn)) {
        pg_error("cannot read the sales table row by row", o->table, PQerrorMessage(conn));
        return 0;
    }
    int ok = 1;
    PGresult *r;
    while ((r = PQgetResult(conn)) != NULL) { /* every result until NULL, also after an error */
        const ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE && ok) {
            if (!read_row(r, s)) {
                fprintf(stderr, "%s: out of memory\n", program);
                ok = 0;
            }
        } else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && ok) {
            pg_error("error reading the sales table", o->table, PQresultErrorMessage(r));
            ok = 0;
        }
        PQclear(r);
    }
    return ok;
}

/* A growing buffer of COPY data, sent in chunks. */
typedef struct copy_buffer {
    char *data;
    size_t len, cap;
} copy_buffer;

static int append(copy_buffer *b, const char *text, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (b->len + n + 1 > cap) cap *= 2;
        char *grown = realloc(b->data, cap);
        if (grown == NULL) return 0;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, text, n);
    b->len += n;
    return 1;
}

/* A field in COPY's text format: backslash, tab, newline and carriage return escaped. */
static int append_field(copy_buffer *b, const char *text) {
    for (const char *p = text; *p; p++) {
        const char *esc = *p == '\\'   ? "\\\\"
                          : *p == '\t' ? "\\t"
                          : *p == '\n' ? "\\n"
                          : *p == '\r' ? "\\r"
                                       : NULL;
        if (!(esc ? append(b, esc, 2) : append(b, p, 1))) return 0;
    }
    return 1;
}

static int flush(PGconn *conn, copy_buffer *b) {
    if (b->len > 0 && PQputCopyData(conn, b->data, (int)b->len) != 1) return 0;
    b->len = 0;
    return 1;
}

/* COPY the result's rows into the (new, empty) profile table. */
static int copy_rows(PGconn *conn, const db_options *o, const char *table, const crm_result *res) {
    char sql[DB_SQL_SIZE];
    copy_buffer b = {NULL, 0, 0};
    db_value v;
    int ok = 1;
    snprintf(sql, sizeof sql, "COPY %s FROM STDIN", table);
    PGresult *r = PQexec(conn, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        pg_error("cannot copy into", o->profile_table, r ? PQresultErrorMessage(r) : PQerrorMessage(conn));
        PQclear(r);
        return 0;
    }
    PQclear(r);
    for (size_t row = 0; row < crm_result_rows(res) && ok; row++) {
        for (int i = 0; i < DB_PROFILE_COLUMNS && ok; i++) {
            db_profile_value(res, i, row, &v);
            ok = (i == 0 || append(&b, "\t", 1)) &&
                 (v.null ? append(&b, "\\N", 2) : append_field(&b, db_value_text(&v, db_profile_kind(i))));
        }
        ok = ok && append(&b, "\n", 1);
        if (!ok) fprintf(stderr, "%s: out of memory\n", program);
        if (ok && b.len >= 60000 && !flush(conn, &b)) {
            pg_error("cannot copy into", o->profile_table, PQerrorMessage(conn));
            ok = 0;
        }
    }
    if (ok && !flush(conn, &b)) {
        pg_error("cannot copy into", o->profile_table, PQerrorMessage(conn));
        ok = 0;
    }
    free(b.data);
    /* End the copy (cancelled after a failure) and read its outcome. */
    if (PQputCopyEnd(conn, ok ? NULL : "pg_profile failed") != 1) {
        pg_error("cannot copy into", o->profile_table, PQerrorMessage(conn));
        ok = 0;
    }
    while ((r = PQgetResult(conn)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && ok) {
            pg_error("cannot copy into", o->profile_table, PQresultErrorMessage(r));
            ok = 0;
        }
        PQclear(r);
    }
    return ok;
}

/* Replace the profile table by the result's rows, in one transaction. */
static int write_profile(PGconn *conn, const db_options *o, const crm_result *res) {
    static const char *const types[] = {"", "bigint", "double precision", "text", "date"};
    char table[512], sql[DB_SQL_SIZE];
    if (!db_quote_name(o->profile_table, table, sizeof table)) {
        fprintf(stderr, "%s: the profile table's name is empty or too long\n", program);
        return 0;
    }
    if (!run(conn, "BEGIN", "cannot start writing", o->profile_table)) return 0;
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS %s", table);
    if (!run(conn, sql, "cannot drop the old table", o->profile_table)) goto fail;
    if (!db_create_sql(table, types, sql, sizeof sql)) {
        fprintf(stderr, "%s: the profile table's definition is too long\n", program);
        goto fail;
    }
    if (!run(conn, sql, "cannot create the table", o->profile_table)) goto fail;
    if (!copy_rows(conn, o, table, res)) goto fail;
    if (!run(conn, "COMMIT", "cannot commit", o->profile_table)) goto fail;
    return 1;

fail:
    if (PQtransactionStatus(conn) != PQTRANS_IDLE)
        run(conn, "ROLLBACK", "cannot roll back", o->profile_table);
    return 0;
}

int main(int argc, char **argv) {
    db_options o;
    db_sales sales;
    PGconn *conn = NULL;
    crm_result *res = NULL;
    int status = EXIT_FAILURE;
    char where[300];
    memset(&o, 0, sizeof o);
    memset(&sales, 0, sizeof sales);
    o.program = program;
    const int parsed = db_parse_args(argc, argv, &o, "[CONNINFO]", 1);
    if (parsed) {
        crm_config_free(o.config);
        return parsed == 1 ? EXIT_SUCCESS : 2;
    }
    conn = PQconnectdb(o.target);
    if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
        /* Not the connection string: it may hold a password. libpq's message names server and database. */
        pg_error("cannot connect to the database", NULL, conn ? PQerrorMessage(conn) : "out of memory");
        goto done;
    }
    /* UTC, so that text times without an offset are UTC; no notices about missing tables. */
    if (!run(conn, "SET TIME ZONE 'UTC'", "cannot set the session's", "time zone") ||
        !run(conn, "SET client_min_messages = warning", "cannot set the session's", "message level"))
        goto done;
    if (!read_sales(conn, &o, &sales)) goto done;
    res = db_analyze(&o, &sales);
    if (res == NULL || !write_profile(conn, &o, res)) goto done;
    snprintf(where, sizeof where, "database %s", PQdb(conn));
    db_print_summary(&o, &sales, res, where);
    status = EXIT_SUCCESS;
done:
    crm_result_free(res);
    db_sales_free(&sales);
    PQfinish(conn);
    crm_config_free(o.config);
    return status;
}

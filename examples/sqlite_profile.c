/*
 * sqlite_profile - profile the customers of an SQLite database's sales table
 * with crmkit and write the profiles back into the database.
 *
 *   sqlite_profile [options] DATABASE        (options: --help, or db_profile.h)
 *
 * Reads customer id, time and amount from each row of the sales table
 * (default `sales` with columns customer_id, time, amount; --table,
 * --customer, --time, --amount choose others). Customer ids are integers >= 0.
 * Times are epoch seconds (INTEGER, or REAL rounded down) or text SQLite's
 * date functions understand ("2025-03-01", "2025-03-01 18:30:00",
 * "2025-03-01T18:30:00+01:00"; without an offset, UTC). Amounts are numbers;
 * a negative one is a return. A row that cannot be read (a NULL, a negative
 * or non-integer id, a time that is not one) is reported and skipped; rows
 * crmkit rejects are counted by reason in the summary.
 *
 * Writes the table `customer_profile` (--profile), replacing it in one
 * transaction (a failure leaves the database as it was): one row per
 * customer, customer_id the primary key, the main columns of crmkit's result
 * under crmkit's names (db_profile.h lists them), enumerations by name
 * (segment 'Champions', value_tier 'key', risk_level 'high'), churn flags as
 * names joined by '|', days as ISO dates, NULL where a value does not apply,
 * and the as_of date of the analysis.
 *
 * Exit codes: 0 success, 1 failure (reported with SQLite's message), 2 usage error.
 */
#include "db_profile.h"

#include <sqlite3.h>

static const char *program = "sqlite_profile";

static void sql_error(sqlite3 *db, const char *what, const char *name) {
    fprintf(stderr, "%s: %s %s: %s\n", program, what, name, sqlite3_errmsg(db));
}

/* An integer value of a column: INTEGER, or TEXT holding a whole number. */
static int column_i64(sqlite3_stmt *st, int col, int64_t *out) {
    switch (sqlite3_column_type(st, col)) {
    case SQLITE_INTEGER: *out = sqlite3_column_int64(st, col); return 1;
    case SQLITE_TEXT: return db_parse_i64((const char *)sqlite3_column_text(st, col), out);
    default: return 0;
    }
}

/* What and the text of its value, shortened, for a report. */
static const char *shown(sqlite3_stmt *st, int col, const char *what, char *buf, size_t size) {
    const unsigned char *text = sqlite3_column_text(st, col);
    snprintf(buf, size, "%s '%.40s'", what, text ? (const char *)text : "");
    return buf;
}

static int read_sales(sqlite3 *db, const db_options *o, db_sales *s) {
    char table[512], cust[256], time[256], amount[256], sql[DB_SQL_SIZE];
    sqlite3_stmt *st = NULL;
    if (!db_quote_name(o->table, table, sizeof table) ||
        !db_quote_name(o->customer_column, cust, sizeof cust) ||
        !db_quote_name(o->time_column, time, sizeof time) ||
        !db_quote_name(o->amount_column, amount, sizeof amount)) {
        fprintf(stderr, "%s: a table or column name is empty or too long\n", program);
        return 0;
    }
    /* The fourth column is SQLite's reading of a text time as epoch seconds. */
    snprintf(sql, sizeof sql, "SELECT %s, %s, %s, strftime('%%s', %s) FROM %s", cust, time, amount, time,
             table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        sql_error(db, "cannot read the sales table", o->table);
        return 0;
    }
    int rc;
    char buf[80];
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const size_t row = ++s->rows;
        int64_t id, t;
        double a;
        if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
            db_sales_skip(s, program, row, "customer id", "is NULL");
            continue;
        }
        if (!column_i64(st, 0, &id)) {
            db_sales_skip(s, program, row, shown(st, 0, "customer id", buf, sizeof buf), "is not an integer");
            continue;
        }
        if (id < 0) {
            db_sales_skip(s, program, row, shown(st, 0, "customer id", buf, sizeof buf), "is negative");
            continue;
        }
        switch (sqlite3_column_type(st, 1)) {
        case SQLITE_INTEGER: t = sqlite3_column_int64(st, 1); break;
        case SQLITE_FLOAT: {
            const double x = sqlite3_column_double(st, 1);
            if (!(x > -9.2e18 && x < 9.2e18)) {
                db_sales_skip(s, program, row, "time", "is out of range");
                continue;
            }
            t = (int64_t)x;
            if ((double)t > x) t--; /* rounded down */
            break;
        }
        case SQLITE_TEXT:
            if (db_parse_i64((const char *)sqlite3_column_text(st, 1), &t)) break;
            if (sqlite3_column_type(st, 3) != SQLITE_NULL &&
                db_parse_i64((const char *)sqlite3_column_text(st, 3), &t))
                break;
            db_sales_skip(s, program, row, shown(st, 1, "time", buf, sizeof buf), "is not a date or time");
            continue;
        case SQLITE_NULL: db_sales_skip(s, program, row, "time", "is NULL"); continue;
        default: db_sales_skip(s, program, row, "time", "is a blob"); continue;
        }
        switch (sqlite3_column_type(st, 2)) {
        case SQLITE_INTEGER:
        case SQLITE_FLOAT: a = sqlite3_column_double(st, 2); break;
        case SQLITE_TEXT: {
            const char *text = (const char *)sqlite3_column_text(st, 2);
            char *end = NULL;
            a = strtod(text, &end);
            if (*text != '\0' && *end == '\0') break;
            db_sales_skip(s, program, row, shown(st, 2, "amount", buf, sizeof buf), "is not an amount");
            continue;
        }
        case SQLITE_NULL: db_sales_skip(s, program, row, "amount", "is NULL"); continue;
        default: db_sales_skip(s, program, row, "amount", "is a blob"); continue;
        }
        if (!db_sales_add(s, (uint64_t)id, t, a)) {
            fprintf(stderr, "%s: out of memory\n", program);
            sqlite3_finalize(st);
            return 0;
        }
    }
    if (rc != SQLITE_DONE) sql_error(db, "error reading the sales table", o->table);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
}

static int exec(sqlite3 *db, const char *sql, const char *what, const char *name) {
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK) return 1;
    sql_error(db, what, name);
    return 0;
}

/* Replace the profile table by the result's rows, in one transaction. */
static int write_profile(sqlite3 *db, const db_options *o, const crm_result *res) {
    static const char *const types[] = {"", "INTEGER", "REAL", "TEXT", "TEXT"};
    char table[512], sql[DB_SQL_SIZE];
    size_t n = 0;
    sqlite3_stmt *st = NULL;
    db_value v;
    if (!db_quote_name(o->profile_table, table, sizeof table)) {
        fprintf(stderr, "%s: the profile table's name is empty or too long\n", program);
        return 0;
    }
    if (!exec(db, "BEGIN IMMEDIATE", "cannot start writing", o->profile_table)) return 0;
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS %s", table);
    if (!exec(db, sql, "cannot drop the old table", o->profile_table)) goto fail;

    if (!db_create_sql(table, types, sql, sizeof sql)) {
        fprintf(stderr, "%s: the profile table's definition is too long\n", program);
        goto fail;
    }
    if (!exec(db, sql, "cannot create the table", o->profile_table)) goto fail;

    n = (size_t)snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (", table);
    for (int i = 0; i < DB_PROFILE_COLUMNS && n < sizeof sql; i++)
        n += (size_t)snprintf(sql + n, sizeof sql - n, "%s?", i ? ", " : "");
    if (n < sizeof sql) n += (size_t)snprintf(sql + n, sizeof sql - n, ")");
    if (n >= sizeof sql || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        sql_error(db, "cannot prepare the rows of", o->profile_table);
        goto fail;
    }
    for (size_t row = 0; row < crm_result_rows(res); row++) {
        int rc = SQLITE_OK;
        for (int i = 0; i < DB_PROFILE_COLUMNS && rc == SQLITE_OK; i++) {
            db_profile_value(res, i, row, &v);
            if (v.null)
                rc = sqlite3_bind_null(st, i + 1);
            else if (db_profile_kind(i) == DB_INTEGER)
                rc = sqlite3_bind_int64(st, i + 1, v.integer);
            else if (db_profile_kind(i) == DB_REAL)
                rc = sqlite3_bind_double(st, i + 1, v.real);
            else
                rc = sqlite3_bind_text(st, i + 1, v.text, -1, SQLITE_TRANSIENT);
        }
        if (rc == SQLITE_OK) rc = sqlite3_step(st);
        if (rc != SQLITE_DONE) {
            sql_error(db, "cannot write a row of", o->profile_table);
            goto fail;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (!exec(db, "COMMIT", "cannot commit", o->profile_table)) goto fail;
    return 1;

fail:
    sqlite3_finalize(st);
    if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return 0;
}

int main(int argc, char **argv) {
    db_options o;
    db_sales sales;
    sqlite3 *db = NULL;
    crm_result *res = NULL;
    int status = EXIT_FAILURE;
    memset(&o, 0, sizeof o);
    memset(&sales, 0, sizeof sales);
    o.program = program;
    const int parsed = db_parse_args(argc, argv, &o, "DATABASE", 0);
    if (parsed) {
        crm_config_free(o.config);
        return parsed == 1 ? EXIT_SUCCESS : 2;
    }
    /* An existing database only: a mistyped name must not create an empty one. */
    if (sqlite3_open_v2(o.target, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: cannot open %s: %s\n", program, o.target,
                db ? sqlite3_errmsg(db) : "out of memory");
        goto done;
    }
    sqlite3_busy_timeout(db, 5000);
    if (!read_sales(db, &o, &sales)) goto done;
    res = db_analyze(&o, &sales);
    if (res == NULL || !write_profile(db, &o, res)) goto done;
    db_print_summary(&o, &sales, res, o.target);
    status = EXIT_SUCCESS;
done:
    crm_result_free(res);
    db_sales_free(&sales);
    if (sqlite3_close(db) != SQLITE_OK) {
        fprintf(stderr, "%s: closing %s: %s\n", program, o.target, sqlite3_errmsg(db));
        status = EXIT_FAILURE;
    }
    crm_config_free(o.config);
    return status;
}

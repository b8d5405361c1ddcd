/*
 * db_profile.h - what the database examples (sqlite_profile.c, pg_profile.c)
 * share: their command line, the sales read from the database, the analysis,
 * the columns of the customer_profile table they write and the summary they
 * print. Header-only (static inline functions, so a program need not use all
 * of them), so that each example stays one program; the database code itself
 * is in each example.
 *
 * Uses only the public API of crmkit.h and the C library.
 */
#ifndef CRM_EXAMPLES_DB_PROFILE_H
#define CRM_EXAMPLES_DB_PROFILE_H

#include <crmkit.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DB_MAX_REPORTED_ROWS 10 /* rows reported one by one; the rest are only counted */
#define DB_SQL_SIZE          2048

/* ---- the command line ---- */

typedef struct db_options {
    const char *program;
    const char *target; /* the database file, or the libpq connection string */
    const char *table;  /* the sales table */
    const char *customer_column;
    const char *time_column;
    const char *amount_column;
    const char *profile_table; /* the table written */
    crm_config *config;
} db_options;

static inline void db_usage(FILE *to, const char *program, const char *target) {
    fprintf(to,
            "usage: %s [options] %s\n"
            "  --table NAME        the sales table (default sales; schema.table allowed)\n"
            "  --customer COLUMN   its customer id column, integers >= 0 (default customer_id)\n"
            "  --time COLUMN       its time column (default time): epoch seconds or date/time values\n"
            "  --amount COLUMN     its amount column (default amount; negative: a return)\n"
            "  --profile NAME      the table written, replaced if it exists (default customer_profile)\n"
            "  --as-of YYYY-MM-DD  analyse as of the end of that day (default: the latest sale's day)\n"
            "  --set NAME=VALUE    set a crmkit option, e.g. --set day_offset=3600 (repeatable)\n",
            program, target);
}

/* Parse the command line into *o (o->program set by the caller). Returns
 * 0 to go on, 1 after --help, 2 on a usage error (reported). o->config must
 * be freed by the caller in every case. target_optional: the positional
 * argument may be left out (o->target is then ""). */
static inline int db_parse_args(int argc, char **argv, db_options *o, const char *target_name,
                                int target_optional) {
    crm_error err;
    const char *as_of = NULL;
    o->target = NULL;
    o->table = "sales";
    o->customer_column = "customer_id";
    o->time_column = "time";
    o->amount_column = "amount";
    o->profile_table = "customer_profile";
    if (crm_config_create(NULL, &o->config, &err) != CRM_STATUS_OK) {
        fprintf(stderr, "%s: %s\n", o->program, err.message);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            db_usage(stdout, o->program, target_name);
            return 1;
        }
        if (a[0] != '-' || a[1] == '\0') {
            if (o->target != NULL) {
                fprintf(stderr, "%s: more than one %s given\n", o->program, target_name);
                db_usage(stderr, o->program, target_name);
                return 2;
            }
            o->target = a;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "%s: %s needs a value\n", o->program, a);
            db_usage(stderr, o->program, target_name);
            return 2;
        }
        const char *v = argv[++i];
        if (strcmp(a, "--table") == 0) {
            o->table = v;
        } else if (strcmp(a, "--customer") == 0) {
            o->customer_column = v;
        } else if (strcmp(a, "--time") == 0) {
            o->time_column = v;
        } else if (strcmp(a, "--amount") == 0) {
            o->amount_column = v;
        } else if (strcmp(a, "--profile") == 0) {
            o->profile_table = v;
        } else if (strcmp(a, "--as-of") == 0) {
            as_of = v;
        } else if (strcmp(a, "--set") == 0) {
            char name[128];
            const char *eq = strchr(v, '=');
            if (eq == NULL || eq == v || (size_t)(eq - v) >= sizeof name) {
                fprintf(stderr, "%s: --set needs NAME=VALUE, not '%s'\n", o->program, v);
                return 2;
            }
            memcpy(name, v, (size_t)(eq - v));
            name[eq - v] = '\0';
            if (crm_config_set_text(o->config, name, eq + 1, &err) != CRM_STATUS_OK) {
                fprintf(stderr, "%s: --set %s: %s\n", o->program, v, err.message);
                return 2;
            }
        } else {
            fprintf(stderr, "%s: unknown option %s\n", o->program, a);
            db_usage(stderr, o->program, target_name);
            return 2;
        }
    }
    if (o->target == NULL) {
        if (!target_optional) {
            fprintf(stderr, "%s: no %s given\n", o->program, target_name);
            db_usage(stderr, o->program, target_name);
            return 2;
        }
        o->target = "";
    }
    if (as_of != NULL) {
        /* The end of that day in the calendar of day_offset (after every --set, in any order). */
        int y = 0, m = 0, d = 0, n = 0;
        int32_t day;
        int64_t offset = 0;
        if (sscanf(as_of, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || as_of[n] != '\0' ||
            crm_day_from_date(y, m, d, &day, NULL) != CRM_STATUS_OK) {
            fprintf(stderr, "%s: --as-of needs a date YYYY-MM-DD, not '%s'\n", o->program, as_of);
            return 2;
        }
        if (crm_config_get_int(o->config, CRM_OPTION_DAY_OFFSET, &offset, &err) != CRM_STATUS_OK ||
            crm_config_set_int(o->config, CRM_OPTION_AS_OF, ((int64_t)day + 1) * 86400 - 1 - offset, &err) !=
                CRM_STATUS_OK) {
            fprintf(stderr, "%s: --as-of %s: %s\n", o->program, as_of, err.message);
            return 2;
        }
    }
    return 0;
}

/* A table or column name as an SQL identifier: each dot-separated part in
 * double quotes, embedded quotes doubled ("main"."sales"). 0 when it does
 * not fit. SQLite and PostgreSQL quote alike. */
static inline int db_quote_name(const char *name, char *out, size_t size) {
    size_t n = 0;
    if (size < 3 || name[0] == '\0') return 0;
    out[n++] = '"';
    for (const char *p = name; *p; p++) {
        if (n + 4 >= size) return 0;
        if (*p == '.') {
            out[n++] = '"';
            out[n++] = '.';
            out[n++] = '"';
            continue;
        }
        if (*p == '"') out[n++] = '"';
        out[n++] = *p;
    }
    out[n++] = '"';
    out[n] = '\0';
    return 1;
}

/* ---- the sales read from the database ---- */

typedef struct db_sales {
    uint64_t *customer_id;
    int64_t *time;
    double *amount;
    size_t count, cap;
    size_t rows;    /* rows read, skipped ones included */
    size_t skipped; /* rows that could not be read (reported) */
} db_sales;

/* Append a sale; 0 when out of memory. */
static inline int db_sales_add(db_sales *s, uint64_t customer_id, int64_t time, double amount) {
    if (s->count == s->cap) {
        const size_t cap = s->cap ? 2 * s->cap : 1024;
        uint64_t *c = realloc(s->customer_id, cap * sizeof *c);
        if (c != NULL) s->customer_id = c;
        int64_t *t = c ? realloc(s->time, cap * sizeof *t) : NULL;
        if (t != NULL) s->time = t;
        double *a = t ? realloc(s->amount, cap * sizeof *a) : NULL;
        if (a == NULL) return 0;
        s->amount = a;
        s->cap = cap;
    }
    s->customer_id[s->count] = customer_id;
    s->time[s->count] = time;
    s->amount[s->count] = amount;
    s->count++;
    return 1;
}

/* Report row `row` (1-based, in the order read) as skipped, and why. */
static inline void db_sales_skip(db_sales *s, const char *program, size_t row, const char *what,
                                 const char *why) {
    s->skipped++;
    if (s->skipped <= DB_MAX_REPORTED_ROWS)
        fprintf(stderr, "%s: sales row %zu: %s %s; skipped\n", program, row, what, why);
    if (s->skipped == DB_MAX_REPORTED_ROWS + 1)
        fprintf(stderr, "%s: further skipped rows are only counted\n", program);
}

static inline void db_sales_free(db_sales *s) {
    free(s->customer_id);
    free(s->time);
    free(s->amount);
    memset(s, 0, sizeof *s);
}

/* Parse a whole decimal integer (optional sign, nothing else); 0 when it is not one. */
static inline int db_parse_i64(const char *text, int64_t *out) {
    char *end = NULL;
    if (text == NULL || *text == '\0') return 0;
    errno = 0;
    const long long v = strtoll(text, &end, 10);
    if (*end != '\0' || errno == ERANGE) return 0;
    *out = (int64_t)v;
    return 1;
}

/* ---- the analysis ---- */

/* crm_analyze over the sales (columns read in place); NULL after reporting a failure. */
static inline crm_result *db_analyze(const db_options *o, const db_sales *s) {
    crm_transactions view;
    crm_result *res = NULL;
    crm_error err;
    crm_status st =
        crm_transactions_from_columns(&view, s->customer_id, 0, s->time, 0, s->amount, 0, s->count, &err);
    if (st == CRM_STATUS_OK) st = crm_analyze(o->config, &view, NULL, NULL, &res, &err);
    if (st != CRM_STATUS_OK) {
        fprintf(stderr, "%s: analysis failed (%s): %s\n", o->program, crm_enum_name(CRM_ENUM_STATUS, st),
                err.message);
        return NULL;
    }
    return res;
}

/* ---- the customer_profile table ---- */

/* Its columns: crmkit result columns under crmkit's names, then as_of. */
static const int db_profile_columns[] = {
    CRM_COLUMN_CUSTOMER_ID,    CRM_COLUMN_FIRST_PURCHASE,  CRM_COLUMN_LAST_PURCHASE, CRM_COLUMN_TENURE_DAYS,
    CRM_COLUMN_RECENCY_DAYS,   CRM_COLUMN_PURCHASE_DAYS,   CRM_COLUMN_TRANSACTIONS,  CRM_COLUMN_MONETARY,
    CRM_COLUMN_RETURNS_AMOUNT, CRM_COLUMN_AVG_SPEND,       CRM_COLUMN_R_SCORE,       CRM_COLUMN_F_SCORE,
    CRM_COLUMN_M_SCORE,        CRM_COLUMN_RFM_CELL,        CRM_COLUMN_SEGMENT,       CRM_COLUMN_VALUE_TIER,
    CRM_COLUMN_VALUE_CLASS,    CRM_COLUMN_LIFECYCLE_STAGE, CRM_COLUMN_CHURN_FLAGS,   CRM_COLUMN_RISK_LEVEL,
    CRM_COLUMN_HEALTH_SCORE,   CRM_COLUMN_HEALTH_BAND,     CRM_COLUMN_NEXT_CALL_DUE,
};
#define DB_PROFILE_COLUMNS ((int)(sizeof db_profile_columns / sizeof *db_profile_columns) + 1)
#define DB_AS_OF_COLUMN    (-1)

/* How a profile column is stored. */
typedef enum db_kind {
    DB_INTEGER = 1, /* ids, counts, days, scores */
    DB_REAL = 2,    /* money, scores 0..100 */
    DB_TEXT = 3,    /* enumeration names; churn flags as names joined by '|' */
    DB_DATE = 4     /* day columns: an ISO date YYYY-MM-DD */
} db_kind;

/* The crmkit column of profile column i (DB_AS_OF_COLUMN for the last). */
static inline int db_profile_column(int i) {
    return i < DB_PROFILE_COLUMNS - 1 ? db_profile_columns[i] : DB_AS_OF_COLUMN;
}

static inline const char *db_profile_name(int i) {
    const int c = db_profile_column(i);
    return c == DB_AS_OF_COLUMN ? "as_of" : crm_enum_name(CRM_ENUM_COLUMN, c);
}

static inline db_kind db_profile_kind(int i) {
    const int c = db_profile_column(i);
    if (c == DB_AS_OF_COLUMN) return DB_DATE;
    const int unit = crm_column_unit(c);
    if (unit == CRM_UNIT_DAY) return DB_DATE;
    if (unit == CRM_UNIT_ENUM || unit == CRM_UNIT_FLAGS) return DB_TEXT;
    return crm_column_type(c) == CRM_TYPE_F64 ? DB_REAL : DB_INTEGER;
}

/* CREATE TABLE for the profile table (already quoted) with the database's
 * type names per db_kind (types[kind]); the first column is the key.
 * 0 when the statement does not fit in size bytes. */
static inline int db_create_sql(const char *table, const char *const types[], char *sql, size_t size) {
    char name[256];
    size_t n = (size_t)snprintf(sql, size, "CREATE TABLE %s (", table);
    for (int i = 0; i < DB_PROFILE_COLUMNS && n < size; i++) {
        db_quote_name(db_profile_name(i), name, sizeof name);
        n += (size_t)snprintf(sql + n, size - n, "%s%s %s%s", i ? ", " : "", name, types[db_profile_kind(i)],
                              i == 0 ? " PRIMARY KEY" : "");
    }
    if (n < size) n += (size_t)snprintf(sql + n, size - n, ")");
    return n < size;
}

/* One value of the table. NULL where crmkit has no value (no day, NaN). */
typedef struct db_value {
    int null;
    int64_t integer;
    double real;
    const char *text; /* static, or points into buf */
    char buf[512];
} db_value;

/* Profile column i of result row `row`. */
static inline void db_profile_value(const crm_result *res, int i, size_t row, db_value *v) {
    const int c = db_profile_column(i);
    const db_kind kind = db_profile_kind(i);
    const void *data = NULL;
    int type = CRM_TYPE_NONE;
    int32_t day = CRM_NO_DAY;
    memset(v, 0, sizeof *v);
    v->null = 1;
    if (c == DB_AS_OF_COLUMN) {
        day = crm_result_as_of_day(res);
    } else if (crm_result_column(res, c, &type, &data, NULL) != CRM_STATUS_OK) {
        return; /* not in this result: NULL */
    } else if (type == CRM_TYPE_I32) {
        day = ((const int32_t *)data)[row];
        if (day == CRM_NO_DAY) return;
        v->integer = day;
    } else if (type == CRM_TYPE_I64) {
        v->integer = ((const int64_t *)data)[row];
    } else if (type == CRM_TYPE_U64) {
        v->integer = (int64_t)((const uint64_t *)data)[row];
    } else if (type == CRM_TYPE_F64) {
        v->real = ((const double *)data)[row];
        if (v->real != v->real) return;
    }
    v->null = 0;
    if (kind == DB_DATE) {
        int32_t y, m, d;
        if (crm_date_from_day(day, &y, &m, &d, NULL) != CRM_STATUS_OK) {
            v->null = 1;
            return;
        }
        snprintf(v->buf, sizeof v->buf, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
        v->text = v->buf;
    } else if (kind == DB_TEXT && type == CRM_TYPE_U64) { /* a flag set: names joined by '|' */
        const crm_flags flags = ((const uint64_t *)data)[row];
        size_t n = 0;
        for (int bit = 0; bit < 64; bit++) {
            if (!(flags & CRM_FLAG_BIT(bit))) continue;
            const char *name = crm_enum_name(CRM_ENUM_FLAG, bit);
            const int w = name ? snprintf(v->buf + n, sizeof v->buf - n, "%s%s", n ? "|" : "", name)
                               : snprintf(v->buf + n, sizeof v->buf - n, "%sbit%d", n ? "|" : "", bit);
            if (w < 0 || (size_t)w >= sizeof v->buf - n) break;
            n += (size_t)w;
        }
        v->text = v->buf;
    } else if (kind == DB_TEXT) {
        const char *label = crm_result_label(res, c, (int32_t)v->integer);
        if (label == NULL) {
            snprintf(v->buf, sizeof v->buf, "%lld", (long long)v->integer);
            label = v->buf;
        }
        v->text = label;
    }
}

/* A value as SQL literal text (for text-format transfers): integers in
 * decimal, reals with the shortest of 15..17 digits that reads back exactly,
 * dates and names as they are. Not for NULL. */
static inline const char *db_value_text(db_value *v, const db_kind kind) {
    if (kind == DB_INTEGER) {
        snprintf(v->buf, sizeof v->buf, "%lld", (long long)v->integer);
        return v->buf;
    }
    if (kind == DB_REAL) {
        for (int digits = 15; digits <= 17; digits++) {
            snprintf(v->buf, sizeof v->buf, "%.*g", digits, v->real);
            if (strtod(v->buf, NULL) == v->real) break;
        }
        return v->buf;
    }
    return v->text;
}

/* ---- the summary ---- */

static inline void db_print_counts(const crm_result *res, int column) {
    const char *sep = "";
    printf("  %-16s", crm_enum_name(CRM_ENUM_COLUMN, column));
    for (int32_t v = 0; v < crm_result_label_count(res, column); v++) {
        int64_t customers = 0;
        if (crm_result_group(res, column, v, &customers, NULL, NULL) != CRM_STATUS_OK || customers == 0)
            continue;
        printf("%s%s %lld", sep, crm_result_label(res, column, v), (long long)customers);
        sep = ", ";
    }
    printf("\n");
}

static inline void db_print_summary(const db_options *o, const db_sales *s, const crm_result *res,
                                    const char *where) {
    int32_t y, m, d;
    printf("%s: %zu rows of %s read from %s", o->program, s->rows, o->table, where);
    if (s->skipped) printf(" (%zu skipped, reported above)", s->skipped);
    printf("\n");
    printf("  transactions: %lld accepted",
           (long long)crm_result_records(res, CRM_INPUT_TRANSACTIONS, CRM_FATE_ACCEPTED));
    for (int32_t f = 1; f < crm_enum_count(CRM_ENUM_FATE); f++) {
        const int64_t n = crm_result_records(res, CRM_INPUT_TRANSACTIONS, f);
        if (n) printf(", %lld rejected as %s", (long long)n, crm_enum_name(CRM_ENUM_FATE, f));
    }
    printf("\n");
    if (crm_date_from_day(crm_result_as_of_day(res), &y, &m, &d, NULL) == CRM_STATUS_OK)
        printf("  as of %04d-%02d-%02d: %zu customers\n", (int)y, (int)m, (int)d, crm_result_rows(res));
    db_print_counts(res, CRM_COLUMN_SEGMENT);
    db_print_counts(res, CRM_COLUMN_VALUE_TIER);
    db_print_counts(res, CRM_COLUMN_LIFECYCLE_STAGE);
    db_print_counts(res, CRM_COLUMN_RISK_LEVEL);
    printf("%s: %zu rows written to %s (%d columns)\n", o->program, crm_result_rows(res), o->profile_table,
           DB_PROFILE_COLUMNS);
}

#endif /* CRM_EXAMPLES_DB_PROFILE_H */

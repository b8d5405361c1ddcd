/* load.c - the three inputs read from delimited files into the library's
 * views: columns found by header name or position, every field parsed by
 * its type, bad lines reported as file:line: reason and counted, and
 * customer ids that are not integers mapped to keys. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csv.h"
#include "number.h"
#include "timefmt.h"

#define MAX_REPORTED 20 /* bad lines reported per file; the rest are counted */
#define YMD_MIN      19000101
#define YMD_MAX      21001231

typedef enum col_type {
    COL_ID,      /* customer id: u64, or a label mapped to a key */
    COL_TIME,    /* i64 seconds */
    COL_MONEY,   /* double: amount, cost, discount */
    COL_REAL,    /* double: value */
    COL_REF,     /* u64 complaint reference, or a label mapped to a key */
    COL_CODE,    /* i32 enumeration value by name or number */
    COL_DAY,     /* i32 day number */
    COL_TARGETED /* i32 0/1 */
} col_type;

typedef struct slot_spec {
    int field; /* crm_field */
    col_type type;
    int required;
    int code_enum;       /* CRM_ENUM_x of a COL_CODE */
    const char *aliases; /* normalised header names besides the field's own, blank-separated */
} slot_spec;

#define CUSTOMER_NAMES "customerid customer custid clientid client customerno customernumber"

static const slot_spec txn_slots[] = {
    {CRM_FIELD_CUSTOMER_ID, COL_ID, 1, 0, CUSTOMER_NAMES},
    {CRM_FIELD_TIME, COL_TIME, 1, 0,
     "time date timestamp datetime orderdate invoicedate purchasedate transactiondate"},
    {CRM_FIELD_AMOUNT, COL_MONEY, 1, 0,
     "amount total revenue sales value dollarvalue monetary monetaryvalue spend price netamount "
     "totalamount salesamount linetotal"},
    {CRM_FIELD_COST, COL_MONEY, 0, 0, "cost cogs"},
    {CRM_FIELD_DISCOUNT, COL_MONEY, 0, 0, "discount"},
};
static const slot_spec int_slots[] = {
    {CRM_FIELD_CUSTOMER_ID, COL_ID, 1, 0, CUSTOMER_NAMES},
    {CRM_FIELD_TIME, COL_TIME, 1, 0, "time date timestamp datetime"},
    {CRM_FIELD_KIND, COL_CODE, 1, CRM_ENUM_KIND, "kind type"},
    {CRM_FIELD_VALUE, COL_REAL, 0, 0, "value score"},
    {CRM_FIELD_REF, COL_REF, 0, 0, "ref reference"},
    {CRM_FIELD_PURPOSE, COL_CODE, 0, CRM_ENUM_PURPOSE, "purpose"},
};
static const slot_spec cus_slots[] = {
    {CRM_FIELD_CUSTOMER_ID, COL_ID, 1, 0, CUSTOMER_NAMES},
    {CRM_FIELD_BIRTHDAY, COL_DAY, 0, 0, "birthday birthdate dateofbirth dob"},
    {CRM_FIELD_RELATIONSHIP_START, COL_DAY, 0, 0, "relationshipstart"},
    {CRM_FIELD_MONEY, COL_CODE, 0, CRM_ENUM_ANSWER, "money"},
    {CRM_FIELD_AUTHORITY, COL_CODE, 0, CRM_ENUM_ANSWER, "authority"},
    {CRM_FIELD_NEED, COL_CODE, 0, CRM_ENUM_ANSWER, "need"},
    {CRM_FIELD_TARGETED, COL_TARGETED, 0, 0, "targeted"},
};

static const slot_spec *const input_slots[CLI_INPUTS] = {txn_slots, int_slots, cus_slots};
static const int input_nslots[CLI_INPUTS] = {5, 6, 7};

const int *cli_input_fields(int input, int *count) {
    static int fields[CLI_INPUTS][CLI_SLOTS];
    if (input < CRM_INPUT_TRANSACTIONS || input > CRM_INPUT_CUSTOMERS) return NULL;
    const int i = input - 1;
    for (int s = 0; s < input_nslots[i]; s++) fields[i][s] = input_slots[i][s].field;
    *count = input_nslots[i];
    return fields[i];
}

void cli_load_options_init(cli_load_options *o) {
    memset(o, 0, sizeof *o);
    o->header = -1;
    o->decimal = '.';
    o->time_format = TIME_AUTO;
}

int cli_load_set_column(cli_load_options *o, const char *spec, char *err, size_t errlen) {
    const char *eq = strchr(spec, '=');
    const char *dot = strchr(spec, '.');
    int input = CRM_INPUT_TRANSACTIONS;
    char name[64];
    if (eq == NULL || eq == spec || eq[1] == '\0') {
        snprintf(err, errlen, "'%s' is not FIELD=COLUMN", spec);
        return 0;
    }
    const char *field = spec;
    if (dot != NULL && dot < eq) {
        const size_t n = (size_t)(dot - spec) < sizeof name ? (size_t)(dot - spec) : sizeof name - 1;
        memcpy(name, spec, n);
        name[n] = '\0';
        input = crm_enum_value(CRM_ENUM_INPUT, name);
        if (input < CRM_INPUT_TRANSACTIONS || input > CRM_INPUT_CUSTOMERS) {
            snprintf(err, errlen, "'%s' is not an input (transactions, interactions, customers)", name);
            return 0;
        }
        field = dot + 1;
    }
    const size_t n = (size_t)(eq - field);
    if (n >= sizeof name) {
        snprintf(err, errlen, "'%s' is not FIELD=COLUMN", spec);
        return 0;
    }
    memcpy(name, field, n);
    name[n] = '\0';
    const int f = crm_enum_value(CRM_ENUM_FIELD, name);
    for (int s = 0; s < input_nslots[input - 1]; s++) {
        if (input_slots[input - 1][s].field == f) {
            o->column[input - 1][s] = eq + 1;
            return 1;
        }
    }
    snprintf(err, errlen, "%s has no field '%s'", crm_enum_name(CRM_ENUM_INPUT, input), name);
    return 0;
}

/* ---- the loaded columns ---- */

typedef struct table {
    int input; /* crm_input */
    const slot_spec *slots;
    int nslots;
    const char *path;
    int col[CLI_SLOTS]; /* column of each slot in the file, -1 when absent */
    void *data[CLI_SLOTS];
    size_t count, cap;
    long *lines; /* file line of each record (under --strict), else NULL */
    long read, malformed;
    int decimals;
    uint64_t time_integers, time_ymd; /* times read as integers, and of those the YYYYMMDD-like */
} table;

struct cli_loaded {
    table tables[CLI_INPUTS];
    cli_ids *refs;
};

typedef struct loader {
    const cli_load_options *o;
    int64_t day_offset;
    cli_data *data;
    cli_loaded *ld;
} loader;

static size_t type_size(col_type t) {
    switch (t) {
    case COL_ID:
    case COL_REF: return sizeof(uint64_t);
    case COL_TIME: return sizeof(int64_t);
    case COL_MONEY:
    case COL_REAL: return sizeof(double);
    default: return sizeof(int32_t);
    }
}

static int reserve(table *t, size_t want) {
    if (want <= t->cap) return 1;
    size_t cap = t->cap ? t->cap : 4096;
    while (cap < want) cap *= 2;
    for (int s = 0; s < t->nslots; s++) {
        if (t->col[s] < 0) continue;
        void *p = realloc(t->data[s], cap * type_size(t->slots[s].type));
        if (p == NULL) return 0;
        t->data[s] = p;
    }
    t->cap = cap;
    return 1;
}

static int reserve_lines(table *t) {
    long *p = realloc(t->lines, t->cap * sizeof *p);
    if (p == NULL) return 0;
    t->lines = p;
    return 1;
}

/* ---- ids that are labels ---- */

/* The first id that is not a canonical integer: every id read so far, in
 * every input, becomes the key of its decimal text. */
static int switch_to_labels(loader *L) {
    cli_ids *ids = ids_new();
    if (ids == NULL) return 0;
    for (int i = 0; i < CLI_INPUTS; i++) {
        table *t = &L->ld->tables[i];
        uint64_t *col = t->data[0];
        for (size_t r = 0; r < t->count; r++) {
            char text[NUM_MAX];
            const size_t len = num_write_u64(text, col[r]);
            if (!ids_intern(ids, text, len, &col[r])) {
                ids_free(ids);
                return 0;
            }
        }
    }
    L->data->ids = ids;
    return 1;
}

/* 1, 0 (not an id: empty), -1 out of memory. */
static int parse_id(loader *L, const csv_field *x, uint64_t *out) {
    if (x->len == 0) return 0;
    if (L->data->ids == NULL) {
        if (num_parse_u64(x->text, x->len, 1, out)) return 1;
        if (!switch_to_labels(L)) return -1;
    }
    return ids_intern(L->data->ids, x->text, x->len, out) ? 1 : -1;
}

/* References: integers, or labels mapped to keys 1.. (0 is "no reference"). */
static int parse_ref(loader *L, table *t, int slot, const csv_field *x, uint64_t *out) {
    if (x->len == 0) {
        *out = 0;
        return 1;
    }
    if (L->ld->refs == NULL) {
        if (num_parse_u64(x->text, x->len, 1, out)) return 1;
        cli_ids *refs = ids_new();
        if (refs == NULL) return -1;
        uint64_t *col = t->data[slot];
        for (size_t r = 0; r < t->count; r++) {
            if (col[r] == 0) continue;
            char text[NUM_MAX];
            const size_t len = num_write_u64(text, col[r]);
            if (!ids_intern(refs, text, len, &col[r])) {
                ids_free(refs);
                return -1;
            }
            col[r]++;
        }
        L->ld->refs = refs;
    }
    if (!ids_intern(L->ld->refs, x->text, x->len, out)) return -1;
    (*out)++;
    return 1;
}

/* An enumeration value by canonical name (or lower-cased), or by number;
 * absent when empty; -1 (counted by the library as unknown) otherwise. */
static int32_t parse_code(const csv_field *x, int e, int32_t absent) {
    if (x == NULL || x->len == 0) return absent;
    uint64_t v;
    if (num_parse_u64(x->text, x->len, 0, &v)) return v <= INT32_MAX ? (int32_t)v : -1;
    int32_t code = crm_enum_value(e, x->text);
    if (code >= 0 || x->len >= 64) return code;
    char lower[64];
    for (size_t i = 0; i <= x->len; i++) lower[i] = (char)tolower((unsigned char)x->text[i]);
    return crm_enum_value(e, lower);
}

/* targeted: 0/1 (other numbers passed on), true/false, yes/no; empty is 0. */
static int32_t parse_targeted(const csv_field *x) {
    const int32_t v = parse_code(x, CRM_ENUM_BOOL, 0);
    if (v >= 0 || x == NULL) return v;
    const int32_t answer = parse_code(x, CRM_ENUM_ANSWER, -1);
    return answer == CRM_ANSWER_YES ? 1 : answer == CRM_ANSWER_NO ? 0 : -1;
}

/* A field quoted for a message: at most 40 bytes, control bytes as '?'. */
static const char *shown(const csv_field *x, char *buf, size_t size) {
    size_t n = 0;
    for (size_t i = 0; i < x->len && n + 4 < size; i++) {
        if (i == 40) {
            memcpy(buf + n, "...", 3);
            n += 3;
            break;
        }
        const unsigned char c = (unsigned char)x->text[i];
        buf[n++] = c < 0x20 || c == 0x7F ? '?' : (char)c;
    }
    buf[n] = '\0';
    return buf;
}

static const char *field_name(const table *t, int slot) {
    return crm_enum_name(CRM_ENUM_FIELD, t->slots[slot].field);
}

static const char *time_hint(const loader *L, const csv_field *x) {
    if (L->o->time_format == TIME_AUTO && time_looks_day_month(x->text, x->len))
        return " (day or month first? give --time-format DD/MM/YYYY or MM/DD/YYYY)";
    if (L->o->time_format == TIME_AUTO) return " (epoch seconds or an ISO date expected; see --time-format)";
    switch (L->o->time_format) {
    case TIME_EPOCH: return " (integer seconds expected)";
    case TIME_EPOCH_MS: return " (integer milliseconds expected)";
    case TIME_ISO: return " (YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM] expected)";
    case TIME_YYYYMMDD: return " (YYYYMMDD expected)";
    case TIME_DMY: return " (DD/MM/YYYY[ HH:MM[:SS]] expected)";
    default: return " (MM/DD/YYYY[ HH:MM[:SS]] expected)";
    }
}

/* Parse one record into row t->count. 1 on success (the row is kept), 0
 * with a reason in why, -1 when memory runs out. */
static int load_record(loader *L, table *t, const csv_field *f, size_t n, char *why, size_t whylen) {
    char text[64];
    const size_t row = t->count;
    for (int s = 0; s < t->nslots; s++) {
        const int c = t->col[s];
        if (c < 0) continue;
        const csv_field *x = (size_t)c < n ? &f[c] : NULL;
        const slot_spec *spec = &t->slots[s];
        if (x == NULL && spec->required) {
            snprintf(why, whylen, "only %zu field%s, and %s is field %d", n, n == 1 ? "" : "s",
                     field_name(t, s), c + 1);
            return 0;
        }
        switch (spec->type) {
        case COL_ID: {
            const int ok = parse_id(L, x, &((uint64_t *)t->data[s])[row]);
            if (ok < 0) return -1;
            if (ok == 0) {
                snprintf(why, whylen, "empty %s", field_name(t, s));
                return 0;
            }
            break;
        }
        case COL_TIME: {
            int integer = 0;
            int64_t *v = &((int64_t *)t->data[s])[row];
            const int fmt = L->o->time_format;
            if ((fmt == TIME_AUTO || fmt == TIME_EPOCH) && num_parse_i64(x->text, x->len, v)) {
                integer = fmt == TIME_AUTO; /* the common case, inline */
            } else if (!time_parse(fmt, L->day_offset, x->text, x->len, v, &integer)) {
                if (x->len == 0)
                    snprintf(why, whylen, "empty %s", field_name(t, s));
                else
                    snprintf(why, whylen, "%s '%s' is not a time%s", field_name(t, s),
                             shown(x, text, sizeof text), time_hint(L, x));
                return 0;
            }
            if (integer) {
                t->time_integers++;
                t->time_ymd += *v >= YMD_MIN && *v <= YMD_MAX;
            }
            break;
        }
        case COL_MONEY:
        case COL_REAL: {
            double *v = &((double *)t->data[s])[row];
            int decimals = -1;
            if (x == NULL || x->len == 0) {
                /* a missing value or discount is 0; a file with costs needs one on every line */
                if (spec->required || spec->field == CRM_FIELD_COST) {
                    snprintf(why, whylen, "empty %s", field_name(t, s));
                    return 0;
                }
                *v = 0.0;
                break;
            }
            if (!num_parse_double(x->text, x->len, L->o->decimal, v, &decimals)) {
                const int comma = L->o->decimal == '.' && memchr(x->text, ',', x->len) != NULL;
                snprintf(why, whylen, "%s '%s' is not a number%s", field_name(t, s),
                         shown(x, text, sizeof text),
                         comma ? " (a decimal comma? give --decimal-comma)" : "");
                return 0;
            }
            if (spec->field == CRM_FIELD_AMOUNT && decimals > t->decimals)
                t->decimals = decimals > 9 ? 9 : decimals;
            break;
        }
        case COL_REF: {
            static const csv_field empty = {(char *)"", 0, 0};
            const int ok = parse_ref(L, t, s, x ? x : &empty, &((uint64_t *)t->data[s])[row]);
            if (ok < 0) return -1;
            break;
        }
        case COL_CODE: {
            const int32_t absent = spec->field == CRM_FIELD_KIND ? -1 : 0;
            if (x != NULL && x->len == 0 && spec->field == CRM_FIELD_KIND) {
                snprintf(why, whylen, "empty %s", field_name(t, s));
                return 0;
            }
            ((int32_t *)t->data[s])[row] = parse_code(x, spec->code_enum, absent);
            break;
        }
        case COL_DAY: {
            int32_t *v = &((int32_t *)t->data[s])[row];
            if (x == NULL || x->len == 0) {
                *v = CRM_NO_DAY;
            } else if (!time_parse_day(L->o->time_format, x->text, x->len, v)) {
                snprintf(why, whylen, "%s '%s' is not a date", field_name(t, s), shown(x, text, sizeof text));
                return 0;
            }
            break;
        }
        case COL_TARGETED: ((int32_t *)t->data[s])[row] = parse_targeted(x); break;
        }
    }
    return 1;
}

/* ---- columns ---- */

/* Lower-case letters and digits only: "Customer ID" -> "customerid". */
static void normalise(const char *s, size_t len, char *out, size_t size) {
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < size; i++)
        if (isalnum((unsigned char)s[i])) out[n++] = (char)tolower((unsigned char)s[i]);
    out[n] = '\0';
}

static int in_list(const char *word, const char *list) {
    const size_t n = strlen(word);
    if (n == 0) return 0;
    for (const char *p = list; *p;) {
        while (*p == ' ') p++;
        const char *e = p;
        while (*e && *e != ' ') e++;
        if ((size_t)(e - p) == n && memcmp(p, word, n) == 0) return 1;
        p = e;
    }
    return 0;
}

/* Whether a header field names a slot: its field name or an alias. */
static int names_slot(const slot_spec *spec, const csv_field *x) {
    char norm[64], own[64];
    const char *name = crm_enum_name(CRM_ENUM_FIELD, spec->field);
    normalise(x->text, x->len, norm, sizeof norm);
    normalise(name, strlen(name), own, sizeof own);
    return strcmp(norm, own) == 0 || in_list(norm, spec->aliases);
}

/* The column a header names: exactly, then normalised; -1 when none. */
static int find_name(const csv_field *f, size_t n, const char *name) {
    char a[64], b[64];
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].text, name) == 0) return (int)i;
    normalise(name, strlen(name), a, sizeof a);
    for (size_t i = 0; i < n && a[0]; i++) {
        normalise(f[i].text, f[i].len, b, sizeof b);
        if (strcmp(a, b) == 0) return (int)i;
    }
    return -1;
}

/* A 1-based position: the column index, or -1 when name is not a number. */
static int position(const char *name) {
    uint64_t v;
    if (!num_parse_u64(name, strlen(name), 0, &v) || v == 0 || v > 100000) return -1;
    return (int)v - 1;
}

static void list_columns(const csv_field *f, size_t n, char *buf, size_t size) {
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used + 8 < size; i++) {
        const int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", f[i].text);
        if (w < 0 || (size_t)w >= size - used) break;
        used += (size_t)w;
    }
}

/* Whether a field reads as a value of the slot's type. */
static int parses_as(const loader *L, col_type type, const csv_field *x, int need_point) {
    int64_t t;
    double v;
    int32_t day;
    int decimals = -1, integer = 0;
    switch (type) {
    case COL_TIME:
        if (!time_parse(L->o->time_format, L->day_offset, x->text, x->len, &t, &integer)) return 0;
        return !integer || x->len >= 8; /* small integers are counts, not seconds */
    case COL_DAY: return time_parse_day(L->o->time_format, x->text, x->len, &day);
    case COL_MONEY:
    case COL_REAL:
        return num_parse_double(x->text, x->len, L->o->decimal, &v, &decimals) &&
               (!need_point || decimals > 0);
    default: return 1;
    }
}

/* Decide whether the first record is a header and where each slot's column
 * is. *header: 1 when it is. Returns an exit code. */
static int resolve_columns(loader *L, table *t, const csv_field *f, size_t n, int *header) {
    const char *const *given = L->o->column[t->input - 1];
    char list[512];
    int is_header = L->o->header, named = 0, guessed = 0, defaults = 1;
    if (is_header < 0) {
        is_header = 0;
        for (int s = 0; s < t->nslots && !is_header; s++) {
            if (given[s] != NULL && position(given[s]) < 0 && find_name(f, n, given[s]) >= 0) is_header = 1;
            for (size_t i = 0; i < n && !is_header; i++) is_header = names_slot(&t->slots[s], &f[i]);
        }
        /* a header of unknown names: no field of it reads as a time */
        if (!is_header && t->slots[1].type == COL_TIME) {
            int times = 0;
            for (size_t i = 0; i < n && !times; i++) times = parses_as(L, COL_TIME, &f[i], 0);
            is_header = !times;
        }
    }
    *header = is_header;
    for (int s = 0; s < t->nslots; s++) {
        const char *name = given[s];
        t->col[s] = -1;
        if (name != NULL) {
            defaults = 0;
            t->col[s] = is_header ? find_name(f, n, name) : -1;
            named += t->col[s] >= 0;
            if (t->col[s] < 0) t->col[s] = position(name);
            if (t->col[s] >= 0) continue;
            list_columns(f, n, list, sizeof list);
            if (is_header)
                fprintf(stderr, "crmkit: %s: no column '%s' for %s (the columns are: %s)\n", t->path, name,
                        field_name(t, s), list);
            else
                fprintf(stderr, "crmkit: %s: no header line, so %s must be a column number, not '%s'\n",
                        t->path, field_name(t, s), name);
            return CLI_EXIT_INPUT;
        }
        if (is_header)
            for (size_t i = 0; i < n && t->col[s] < 0; i++)
                if (names_slot(&t->slots[s], &f[i])) t->col[s] = (int)i;
        named += t->col[s] >= 0;
    }
    if (!is_header || named == 0) {
        /* By position: the required fields first, in order. A transactions file of more
         * columns with no choice made gets its time and amount columns from the first line:
         * the first time after the customer, then the first number with a decimal mark (or
         * the first number). Optional fields follow at their positions when every required
         * one is at its own. */
        for (int s = 0; s < t->nslots; s++)
            if (given[s] == NULL && t->slots[s].required) t->col[s] = s;
        if (t->input == CRM_INPUT_TRANSACTIONS && !is_header && n > 3 && given[1] == NULL &&
            given[2] == NULL) {
            int time_col = -1, amount_col = -1;
            for (size_t i = 0; i < n && time_col < 0; i++)
                if ((int)i != t->col[0] && parses_as(L, COL_TIME, &f[i], 0)) time_col = (int)i;
            for (int point = 1; point >= 0 && amount_col < 0 && time_col >= 0; point--)
                for (size_t i = (size_t)time_col + 1; i < n && amount_col < 0; i++)
                    if ((int)i != t->col[0] && parses_as(L, COL_MONEY, &f[i], point)) amount_col = (int)i;
            if (time_col >= 0 && amount_col >= 0 && (time_col != 1 || amount_col != 2)) {
                t->col[1] = time_col;
                t->col[2] = amount_col;
                guessed = 1;
            }
        }
        for (int s = 0; s < t->nslots; s++)
            if (given[s] == NULL && !t->slots[s].required && !is_header && defaults && !guessed &&
                (size_t)s < n)
                t->col[s] = s;
        if (is_header && !L->o->quiet)
            fprintf(stderr, "crmkit: %s: the header names no known column; reading the columns by position\n",
                    t->path);
    }
    for (int s = 0; s < t->nslots; s++) {
        if (t->col[s] < 0 && t->slots[s].required) {
            list_columns(f, n, list, sizeof list);
            fprintf(
                stderr,
                "crmkit: %s: no column for %s (the columns are: %s); name it with --column %s.%s=COLUMN\n",
                t->path, field_name(t, s), list, crm_enum_name(CRM_ENUM_INPUT, t->input), field_name(t, s));
            return CLI_EXIT_INPUT;
        }
        for (int u = 0; u < s; u++)
            if (t->col[s] >= 0 && t->col[s] == t->col[u]) {
                fprintf(stderr, "crmkit: %s: %s and %s would both be read from column %d\n", t->path,
                        field_name(t, u), field_name(t, s), t->col[s] + 1);
                return CLI_EXIT_INPUT;
            }
    }
    if (guessed && !L->o->quiet)
        fprintf(stderr,
                "crmkit: %s: no header line; reading customer_id from column %d, time from column %d and "
                "amount from column %d (choose with --customer, --time, --amount)\n",
                t->path, t->col[0] + 1, t->col[1] + 1, t->col[2] + 1);
    return CLI_EXIT_OK;
}

/* ---- reading one input ---- */

static void report_line(table *t, long line, const char *why) {
    t->malformed++;
    if (t->malformed <= MAX_REPORTED) fprintf(stderr, "%s:%ld: %s\n", t->path, line, why);
}

static int load_input(loader *L, table *t) {
    char err[256], why[256];
    csv_reader *r = csv_open(t->path, L->o->delimiter, err, sizeof err);
    if (r == NULL) {
        fprintf(stderr, "crmkit: %s: %s\n", t->path, err);
        return CLI_EXIT_INPUT;
    }
    const uint64_t size = csv_size(r);
    cli_progress_stage("reading", t->path, size);
    int status = CLI_EXIT_OK, started = 0;
    csv_field *f = NULL;
    size_t n = 0;
    int got;
    while ((got = csv_next(r, &f, &n)) != CSV_END) {
        if (got == CSV_IO) {
            fprintf(stderr, "crmkit: %s: %s\n", t->path, csv_error(r));
            status = CLI_EXIT_INPUT;
            break;
        }
        if (got == CSV_BAD) {
            t->read++;
            report_line(t, csv_line(r), csv_error(r));
            if (L->o->strict) {
                status = CLI_EXIT_INPUT;
                break;
            }
            continue;
        }
        if (!started) {
            int header = 0;
            started = 1;
            status = resolve_columns(L, t, f, n, &header);
            if (status != CLI_EXIT_OK) break;
            /* room for the records at a guess of 24 bytes a line, so that few are moved */
            if (!reserve(t, size > 0 ? (size_t)(size / 24) + 1 : 4096) ||
                (L->o->strict && !reserve_lines(t))) {
                status = -1;
                break;
            }
            if (header) continue;
        }
        t->read++;
        if (t->count == t->cap) {
            if (!reserve(t, t->count + 1) || (L->o->strict && !reserve_lines(t))) {
                status = -1;
                break;
            }
        }
        const int ok = load_record(L, t, f, n, why, sizeof why);
        if (ok < 0) {
            status = -1;
            break;
        }
        if (ok == 0) {
            report_line(t, csv_line(r), why);
            if (L->o->strict) {
                status = CLI_EXIT_INPUT;
                break;
            }
            continue;
        }
        if (t->lines != NULL) t->lines[t->count] = csv_line(r);
        t->count++;
        if ((t->count & 0xFFFF) == 0) cli_progress_update(csv_offset(r));
    }
    csv_close(r);
    if (status < 0) {
        fprintf(stderr, "crmkit: %s: out of memory\n", t->path);
        return CLI_EXIT_FAILED;
    }
    if (t->malformed > MAX_REPORTED)
        fprintf(stderr, "%s: ... and %ld more bad lines (%ld in all)\n", t->path, t->malformed - MAX_REPORTED,
                t->malformed);
    if (status != CLI_EXIT_OK) return status;
    if (!started && !L->o->quiet) fprintf(stderr, "crmkit: %s: no records\n", t->path);
    if (t->time_integers > 0 && t->time_ymd == t->time_integers) {
        fprintf(stderr,
                "crmkit: %s: every time is an integer between %d and %d, which look like YYYYMMDD dates: "
                "read as seconds they would all fall in August 1970. Give --time-format YYYYMMDD "
                "(or --time-format epoch if they really are seconds).\n",
                t->path, YMD_MIN, YMD_MAX);
        return CLI_EXIT_INPUT;
    }
    return CLI_EXIT_OK;
}

/* ---- the views ---- */

static int make_views(cli_data *d, cli_loaded *ld, crm_error *err) {
    table *t = &ld->tables[0];
    crm_status st = CRM_STATUS_OK;
    if (d->has[0]) {
        st = crm_transactions_from_columns(&d->transactions, t->data[0], 0, t->data[1], 0, t->data[2], 0,
                                           t->count, err);
        for (int s = 3; s < t->nslots && st == CRM_STATUS_OK; s++)
            if (t->col[s] >= 0)
                st = crm_transactions_set_column(&d->transactions, t->slots[s].field, t->data[s], 0, err);
    }
    t = &ld->tables[1];
    if (d->has[1] && st == CRM_STATUS_OK) {
        st = crm_interactions_from_columns(&d->interactions, t->data[0], 0, t->data[1], 0, t->data[2], 0,
                                           t->count, err);
        for (int s = 3; s < t->nslots && st == CRM_STATUS_OK; s++)
            if (t->col[s] >= 0)
                st = crm_interactions_set_column(&d->interactions, t->slots[s].field, t->data[s], 0, err);
    }
    t = &ld->tables[2];
    if (d->has[2] && st == CRM_STATUS_OK) {
        st = crm_customers_from_columns(&d->customers, t->data[0], 0, t->count, err);
        for (int s = 1; s < t->nslots && st == CRM_STATUS_OK; s++)
            if (t->col[s] >= 0)
                st = crm_customers_set_column(&d->customers, t->slots[s].field, t->data[s], 0, err);
    }
    return st == CRM_STATUS_OK;
}

/* Keys in the order of the labels, so that rows come out sorted by label. */
static int sort_labels(cli_data *d, cli_loaded *ld) {
    uint64_t *map = ids_sort(d->ids);
    if (map == NULL) return 0;
    for (int i = 0; i < CLI_INPUTS; i++) {
        uint64_t *col = ld->tables[i].data[0];
        for (size_t r = 0; r < ld->tables[i].count; r++) col[r] = map[col[r]];
    }
    free(map);
    return 1;
}

int cli_load(const cli_load_options *o, int64_t day_offset, cli_data *data) {
    memset(data, 0, sizeof *data);
    cli_loaded *ld = calloc(1, sizeof *ld);
    if (ld == NULL) {
        fprintf(stderr, "crmkit: out of memory\n");
        return CLI_EXIT_FAILED;
    }
    data->loaded = ld;
    loader L = {o, day_offset, data, ld};
    for (int i = 0; i < CLI_INPUTS; i++) {
        table *t = &ld->tables[i];
        t->input = i + 1;
        t->slots = input_slots[i];
        t->nslots = input_nslots[i];
        t->path = o->path[i];
        for (int s = 0; s < CLI_SLOTS; s++) t->col[s] = -1;
        data->stats[i].path = o->path[i];
    }
    int status = CLI_EXIT_OK;
    for (int i = 0; i < CLI_INPUTS && status == CLI_EXIT_OK; i++) {
        if (o->path[i] == NULL) continue;
        data->has[i] = 1;
        status = load_input(&L, &ld->tables[i]);
        data->stats[i].lines = ld->tables[i].read;
        data->stats[i].malformed = ld->tables[i].malformed;
        data->stats[i].decimals = ld->tables[i].decimals;
    }
    cli_progress_clear();
    if (status != CLI_EXIT_OK) return status;
    crm_error err;
    if ((data->ids != NULL && !sort_labels(data, ld)) || !make_views(data, ld, &err)) {
        fprintf(stderr, "crmkit: out of memory\n");
        return CLI_EXIT_FAILED;
    }
    return CLI_EXIT_OK;
}

long cli_data_line(const cli_data *data, int input, int64_t record) {
    if (data == NULL || data->loaded == NULL || input < 1 || input > CLI_INPUTS || record < 0) return 0;
    const table *t = &data->loaded->tables[input - 1];
    if (t->lines == NULL || (uint64_t)record >= t->count) return 0;
    return t->lines[record];
}

void cli_data_free(cli_data *data) {
    if (data == NULL) return;
    if (data->loaded != NULL) {
        for (int i = 0; i < CLI_INPUTS; i++) {
            for (int s = 0; s < CLI_SLOTS; s++) free(data->loaded->tables[i].data[s]);
            free(data->loaded->tables[i].lines);
        }
        ids_free(data->loaded->refs);
        free(data->loaded);
    }
    ids_free(data->ids);
    memset(data, 0, sizeof *data);
}

/*
 * crmkit_analyze - analyse CSV exports with crmkit and print a summary.
 *
 *   crmkit_analyze [options] TRANSACTIONS.csv
 *     --interactions FILE   interactions CSV
 *     --customers FILE      customer attributes CSV
 *     --as-of YYYY-MM-DD    analyse as of the end of that day (local calendar
 *                           of day_offset); default: the latest transaction's day
 *     --set NAME=VALUE      set a crmkit option (crm_config_set_text), repeatable
 *     --csv OUT             write the full result table to OUT
 *     --top N               how many customers to list (default 10)
 *
 * Columns, named as crmkit names the fields (optional ones in brackets):
 *   transactions  customer_id,time,amount[,cost,discount]
 *   interactions  customer_id,time,kind[,value,ref,purpose]
 *   customers     customer_id[,birthday,relationship_start,money,authority,need,targeted]
 * A header line is optional; when present its column names select the
 * columns, otherwise they are read in this order (the optional ones after
 * value and ref only when the first line has them). An optional column the
 * file lacks is not supplied to crmkit. Times are epoch seconds (UTC) or ISO
 * dates/date-times in UTC ("2025-12-24", "2025-12-24T18:30:00Z"); birthday
 * and relationship_start are ISO dates. Codes are canonical names (kind
 * "call_out", purpose "value", money/authority/need "yes", "no", "unknown";
 * targeted 0/1) or numbers. Empty fields mean 0 (value, ref, discount), none
 * (purpose), no day or unknown (attributes); a file with costs needs a cost on
 * every line. Lines that cannot be parsed are reported (file, line, reason)
 * and left out; records that parse but that crmkit rejects (an unknown code
 * among them) are counted by reason.
 *
 * Uses only the public API of crmkit.h.
 */
#include <crmkit.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPORTED_LINES 20 /* per file; the rest are only counted */
#define MAX_FIELDS         64

/* ---- small utilities ---- */

static void *xrealloc(void *ptr, size_t size) {
    void *p = realloc(ptr, size ? size : 1);
    if (p == NULL) {
        fprintf(stderr, "crmkit_analyze: out of memory\n");
        exit(EXIT_FAILURE);
    }
    return p;
}

#define ISO_DAY_SIZE 40 /* room for three int32 numbers and two dashes */

/* "YYYY-MM-DD" of a day number into buf (ISO_DAY_SIZE bytes); the bare
 * number for a day outside the calendar of years 1..9999. */
static const char *iso_day(int32_t day, char *buf, size_t size) {
    int32_t y, m, d;
    if (crm_date_from_day(day, &y, &m, &d, NULL) == CRM_STATUS_OK)
        snprintf(buf, size, "%04ld-%02ld-%02ld", (long)y, (long)m, (long)d);
    else
        snprintf(buf, size, "%ld", (long)day);
    return buf;
}

/* Parse "YYYY-MM-DD" exactly; the day number into *day. The library's
 * calendar rejects dates that do not exist (2025-02-30) and year 0. */
static int parse_iso_date(const char *s, size_t len, int32_t *day) {
    if (len != 10 || s[4] != '-' || s[7] != '-') return 0;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i])) return 0;
    const int32_t y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    const int32_t m = (s[5] - '0') * 10 + (s[6] - '0');
    const int32_t d = (s[8] - '0') * 10 + (s[9] - '0');
    return crm_day_from_date(y, m, d, day, NULL) == CRM_STATUS_OK;
}

/* ---- CSV reading ---- */

typedef struct reader {
    FILE *file;
    const char *path;
    char *line;
    size_t cap;
    long number; /* 1-based line number of the line in `line` */
    long lines;  /* data lines read by next_record, malformed included */
    long malformed;
    int started; /* the first non-blank line (header or data) has been read */
} reader;

/* Read one line (any length, without the newline, '\r' stripped). Returns 0 at EOF. */
static int read_line(reader *rd) {
    size_t len = 0;
    int c;
    if (rd->cap == 0) {
        rd->cap = 256;
        rd->line = xrealloc(NULL, rd->cap);
    }
    while ((c = getc(rd->file)) != EOF && c != '\n') {
        if (len + 1 >= rd->cap) {
            rd->cap *= 2;
            rd->line = xrealloc(rd->line, rd->cap);
        }
        rd->line[len++] = (char)c;
    }
    if (c == EOF && len == 0) return 0;
    if (len > 0 && rd->line[len - 1] == '\r') len--;
    rd->line[len] = '\0';
    rd->number++;
    return 1;
}

static void report(reader *rd, const char *fmt, const char *detail) {
    rd->malformed++;
    if (rd->malformed <= MAX_REPORTED_LINES) {
        fprintf(stderr, "%s:%ld: ", rd->path, rd->number);
        fprintf(stderr, fmt, detail);
        fputc('\n', stderr);
    }
}

typedef struct field {
    const char *text; /* NUL-terminated, trimmed, quotes removed */
    size_t len;
} field;

/* Split the line in place at commas; "..." quoting with "" escapes is
 * understood. Returns the number of fields, or -1 for an unterminated quote. */
static int split(char *line, field *fields, int max) {
    int n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        char *start = p;
        char *out = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0') return -1;
                if (*p == '"') {
                    if (p[1] != '"') break;
                    p++;
                }
                *out++ = *p++;
            }
            p++; /* closing quote */
            while (*p == ' ' || *p == '\t') p++;
        } else {
            while (*p != ',' && *p != '\0') *out++ = *p++;
            while (out > start && (out[-1] == ' ' || out[-1] == '\t')) out--;
        }
        const char sep = *p;
        if (sep != ',' && sep != '\0') return -1; /* text after a closing quote */
        *out = '\0';
        if (n < max) {
            fields[n].text = start;
            fields[n].len = (size_t)(out - start);
        }
        n++;
        if (sep == '\0') break;
        p++;
    }
    return n;
}

static int parse_u64(const field *f, uint64_t *out) {
    char *end = NULL;
    if (f->len == 0 || !isdigit((unsigned char)f->text[0])) return 0;
    errno = 0;
    const unsigned long long v = strtoull(f->text, &end, 10);
    if (errno != 0 || *end != '\0') return 0;
    *out = (uint64_t)v;
    return 1;
}

/* Epoch seconds, or an ISO date / date-time in UTC. */
static int parse_time(const field *f, int64_t *out) {
    const char *s = f->text;
    char *end = NULL;
    if (f->len == 0) return 0;
    if (f->len >= 10 && s[4] == '-') {
        int32_t day;
        if (!parse_iso_date(s, 10, &day)) return 0;
        int64_t secs = 0;
        if (f->len > 10) {
            /* "THH:MM:SS" or " HH:MM:SS", then an optional Z (UTC). */
            if (f->len != 19 && !(f->len == 20 && s[19] == 'Z')) return 0;
            if ((s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':') return 0;
            for (size_t i = 11; i < 19; i++)
                if (i != 13 && i != 16 && !isdigit((unsigned char)s[i])) return 0;
            const int hh = (s[11] - '0') * 10 + (s[12] - '0');
            const int mm = (s[14] - '0') * 10 + (s[15] - '0');
            const int ss = (s[17] - '0') * 10 + (s[18] - '0');
            if (hh > 23 || mm > 59 || ss > 60) return 0;
            secs = hh * 3600 + mm * 60 + ss;
        }
        *out = (int64_t)day * 86400 + secs;
        return 1;
    }
    errno = 0;
    const long long v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0') return 0;
    *out = (int64_t)v;
    return 1;
}

/* Any number strtod accepts, "nan" and "inf" included: crmkit itself
 * rejects non-finite amounts and counts them. */
static int parse_double(const field *f, double *out) {
    char *end = NULL;
    if (f->len == 0) return 0;
    errno = 0;
    *out = strtod(f->text, &end);
    return *end == '\0' && errno != ERANGE;
}

/* A code by canonical name in enumeration e, or by number; an empty field
 * (or none) gives absent. An unknown name is passed on as -1, which crmkit
 * counts by reason (unknown_kind, unknown_code) like any invalid code. */
static int32_t parse_code(const field *f, int e, int32_t absent) {
    if (f == NULL || f->len == 0) return absent;
    if (isdigit((unsigned char)f->text[0])) {
        char *end = NULL;
        errno = 0;
        const long v = strtol(f->text, &end, 10);
        return *end == '\0' && errno == 0 && v <= INT32_MAX ? (int32_t)v : -1;
    }
    return crm_enum_value(e, f->text);
}

/* A day: an ISO date, or CRM_NO_DAY for an empty field (or none). */
static int parse_day(const field *f, int32_t *day) {
    if (f == NULL || f->len == 0) {
        *day = CRM_NO_DAY;
        return 1;
    }
    return parse_iso_date(f->text, f->len, day);
}

/* The columns of one input, named by their crm_field (the file's column
 * names are the fields' names), and where the file has them: -1 = absent
 * (optional columns only). */
#define MAX_COLUMNS 8
typedef struct layout {
    const int *fields;
    int count;
    int required;   /* the first `required` columns must be present */
    int positional; /* without a header, the first `positional` columns are read by position
                     * on every line that has them; later ones only when the first line has them */
    int col[MAX_COLUMNS];
} layout;

static const int txn_fields[] = {CRM_FIELD_CUSTOMER_ID, CRM_FIELD_TIME, CRM_FIELD_AMOUNT, CRM_FIELD_COST,
                                 CRM_FIELD_DISCOUNT};
static const int int_fields[] = {CRM_FIELD_CUSTOMER_ID, CRM_FIELD_TIME, CRM_FIELD_KIND,
                                 CRM_FIELD_VALUE,       CRM_FIELD_REF,  CRM_FIELD_PURPOSE};
static const int cus_fields[] = {CRM_FIELD_CUSTOMER_ID, CRM_FIELD_BIRTHDAY,  CRM_FIELD_RELATIONSHIP_START,
                                 CRM_FIELD_MONEY,       CRM_FIELD_AUTHORITY, CRM_FIELD_NEED,
                                 CRM_FIELD_TARGETED};

/* The field of column i on this line, or NULL when the file has no such
 * column or the line ends before it. */
static const field *column(const layout *lay, int i, const field *fields, int n) {
    const int c = lay->col[i];
    return c >= 0 && c < n ? &fields[c] : NULL;
}

/* Reads the header (or takes the positional layout when the first field is
 * a number). Returns 1 when the first line was a header, 0 when it was
 * data, -1 on an unusable header (reported). */
static int read_header(reader *rd, layout *lay) {
    field fields[MAX_FIELDS];
    char *text = rd->line;
    /* Skip a UTF-8 byte order mark, as spreadsheets write one. */
    if ((unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB && (unsigned char)text[2] == 0xBF)
        memmove(text, text + 3, strlen(text + 3) + 1);
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", text);
    const int n = split(copy, fields, MAX_FIELDS);
    for (int i = 0; i < lay->count; i++) lay->col[i] = i < lay->required ? i : -1;
    if (n <= 0 || fields[0].len == 0 || isdigit((unsigned char)fields[0].text[0])) {
        /* No header: positional columns, optional ones when there. */
        for (int i = lay->required; i < lay->count; i++) lay->col[i] = i < lay->positional || i < n ? i : -1;
        return 0;
    }
    for (int i = 0; i < lay->count; i++) {
        const char *name = crm_enum_name(CRM_ENUM_FIELD, lay->fields[i]);
        lay->col[i] = -1;
        for (int j = 0; j < n && j < MAX_FIELDS; j++)
            if (strcmp(fields[j].text, name) == 0) lay->col[i] = j;
        if (lay->col[i] < 0 && i < lay->required) {
            fprintf(stderr, "%s:%ld: header has no column '%s'\n", rd->path, rd->number, name);
            return -1;
        }
    }
    return 1;
}

static int open_reader(reader *rd, const char *path) {
    memset(rd, 0, sizeof *rd);
    rd->path = path;
    rd->file = fopen(path, "rb");
    if (rd->file == NULL) {
        fprintf(stderr, "crmkit_analyze: cannot open %s: %s\n", path, strerror(errno));
        return 0;
    }
    return 1;
}

static int close_reader(reader *rd) {
    const int ok = !ferror(rd->file);
    if (!ok) fprintf(stderr, "crmkit_analyze: error reading %s\n", rd->path);
    fclose(rd->file);
    free(rd->line);
    if (rd->malformed > MAX_REPORTED_LINES)
        fprintf(stderr, "%s: ... and %ld more malformed lines\n", rd->path,
                rd->malformed - MAX_REPORTED_LINES);
    return ok;
}

/* Split a data line and check it has every column of the layout; reports and
 * returns 0 when it does not. */
static int data_fields(reader *rd, const layout *lay, field *fields, int *nfields) {
    const int n = split(rd->line, fields, MAX_FIELDS);
    if (n < 0) {
        report(rd, "unbalanced quotes%s", "");
        return 0;
    }
    int needed = 0;
    for (int i = 0; i < lay->required; i++)
        if (lay->col[i] + 1 > needed) needed = lay->col[i] + 1;
    if (n < needed || n > MAX_FIELDS) {
        char msg[64];
        snprintf(msg, sizeof msg, "%d", n);
        report(rd, n > MAX_FIELDS ? "too many fields (%s)" : "too few fields (%s)", msg);
        return 0;
    }
    *nfields = n;
    return 1;
}

static int blank(const char *s) {
    while (*s == ' ' || *s == '\t') s++;
    return *s == '\0';
}

/* Advance to the next data line and split it into fields (pointing into
 * rd->line until the next call). Blank lines are skipped, the first non-blank
 * line goes to read_header, and data lines without every column of the layout
 * are reported, counted in rd->lines and skipped. Returns the number of
 * fields, 0 at end of file, or -1 on an unusable header (reported). */
static int next_record(reader *rd, layout *lay, field *fields) {
    while (read_line(rd)) {
        if (blank(rd->line)) continue;
        if (!rd->started) {
            rd->started = 1;
            const int h = read_header(rd, lay);
            if (h < 0) return -1;
            if (h == 1) continue;
        }
        rd->lines++;
        int n = 0;
        if (data_fields(rd, lay, fields, &n)) return n;
    }
    return 0;
}

/* Room for one more element in an array of *cap elements holding count. */
static void *reserve(void *items, size_t count, size_t *cap, size_t size) {
    if (count < *cap) return items;
    *cap = *cap ? *cap * 2 : 4096;
    return xrealloc(items, *cap * size);
}

/* Transactions; cost and discount are columns of their own, present when
 * the file has them. */
typedef struct txn_list {
    crm_transaction *items;
    double *cost, *discount;
    size_t count, cap;
    int has_cost, has_discount;
    long lines; /* data lines read, malformed included */
    long malformed;
} txn_list;

static int read_transactions(const char *path, txn_list *out) {
    reader rd;
    if (!open_reader(&rd, path)) return 0;
    layout lay = {txn_fields, 5, 3, 3, {0}};
    field f[MAX_FIELDS];
    int n;
    while ((n = next_record(&rd, &lay, f)) > 0) {
        crm_transaction t;
        double cost = 0.0, discount = 0.0;
        if (!parse_u64(&f[lay.col[0]], &t.customer_id)) {
            report(&rd, "customer_id '%s' is not an unsigned integer", f[lay.col[0]].text);
            continue;
        }
        if (!parse_time(&f[lay.col[1]], &t.time)) {
            report(&rd, "time '%s' is neither epoch seconds nor an ISO date-time", f[lay.col[1]].text);
            continue;
        }
        if (!parse_double(&f[lay.col[2]], &t.amount)) {
            report(&rd, "amount '%s' is not a number", f[lay.col[2]].text);
            continue;
        }
        /* A file with costs needs one on every line (0 is a cost, not a missing
         * one); an empty discount is no discount. */
        const field *c = column(&lay, 3, f, n), *d = column(&lay, 4, f, n);
        if (lay.col[3] >= 0 && (c == NULL || c->len == 0)) {
            report(&rd, "cost is empty%s (a file with costs needs one on every line)", "");
            continue;
        }
        if (c != NULL && !parse_double(c, &cost)) {
            report(&rd, "cost '%s' is not a number", c->text);
            continue;
        }
        if (d != NULL && d->len > 0 && !parse_double(d, &discount)) {
            report(&rd, "discount '%s' is not a number", d->text);
            continue;
        }
        const size_t cap = out->cap;
        out->items = reserve(out->items, out->count, &out->cap, sizeof *out->items);
        if (out->cap != cap) {
            out->cost = xrealloc(out->cost, out->cap * sizeof *out->cost);
            out->discount = xrealloc(out->discount, out->cap * sizeof *out->discount);
        }
        out->cost[out->count] = cost;
        out->discount[out->count] = discount;
        out->items[out->count++] = t;
    }
    out->has_cost = lay.col[3] >= 0;
    out->has_discount = lay.col[4] >= 0;
    out->lines = rd.lines;
    out->malformed = rd.malformed;
    return close_reader(&rd) && n == 0;
}

typedef struct int_list {
    crm_interaction *items;
    size_t count, cap;
    int has_purpose;
    long lines;
    long malformed;
} int_list;

static int read_interactions(const char *path, int_list *out) {
    reader rd;
    if (!open_reader(&rd, path)) return 0;
    layout lay = {int_fields, 6, 3, 5, {0}};
    field f[MAX_FIELDS];
    int n;
    while ((n = next_record(&rd, &lay, f)) > 0) {
        crm_interaction x;
        memset(&x, 0, sizeof x);
        if (!parse_u64(&f[lay.col[0]], &x.customer_id)) {
            report(&rd, "customer_id '%s' is not an unsigned integer", f[lay.col[0]].text);
            continue;
        }
        if (!parse_time(&f[lay.col[1]], &x.time)) {
            report(&rd, "time '%s' is neither epoch seconds nor an ISO date-time", f[lay.col[1]].text);
            continue;
        }
        x.kind = parse_code(&f[lay.col[2]], CRM_ENUM_KIND, -1);
        /* value, ref and purpose are optional columns, and may be empty (0, 0, none). */
        const field *v = column(&lay, 3, f, n), *ref = column(&lay, 4, f, n);
        if (v != NULL && v->len > 0 && !parse_double(v, &x.value)) {
            report(&rd, "value '%s' is not a number", v->text);
            continue;
        }
        if (ref != NULL && ref->len > 0 && !parse_u64(ref, &x.ref)) {
            report(&rd, "ref '%s' is not an unsigned integer", ref->text);
            continue;
        }
        x.purpose = parse_code(column(&lay, 5, f, n), CRM_ENUM_PURPOSE, CRM_PURPOSE_NONE);
        out->items = reserve(out->items, out->count, &out->cap, sizeof *out->items);
        out->items[out->count++] = x;
    }
    out->has_purpose = lay.col[5] >= 0;
    out->lines = rd.lines;
    out->malformed = rd.malformed;
    return close_reader(&rd) && n == 0;
}

/* Customer attributes; has[i]: the file has column i of cus_fields. */
typedef struct cus_list {
    crm_customer *items;
    size_t count, cap;
    int has[MAX_COLUMNS];
    long lines;
    long malformed;
} cus_list;

/* targeted: 0/1 (any other number is passed on and counted), true/false or
 * yes/no; empty is 0. */
static int32_t parse_targeted(const field *f) {
    const int32_t v = parse_code(f, CRM_ENUM_BOOL, 0);
    if (v >= 0 || f == NULL) return v;
    const int32_t answer = crm_enum_value(CRM_ENUM_ANSWER, f->text);
    return answer == CRM_ANSWER_YES ? 1 : answer == CRM_ANSWER_NO ? 0 : -1;
}

static int read_customers(const char *path, cus_list *out) {
    reader rd;
    if (!open_reader(&rd, path)) return 0;
    layout lay = {cus_fields, 7, 1, 1, {0}};
    field f[MAX_FIELDS];
    int n;
    while ((n = next_record(&rd, &lay, f)) > 0) {
        crm_customer c;
        if (!parse_u64(&f[lay.col[0]], &c.customer_id)) {
            report(&rd, "customer_id '%s' is not an unsigned integer", f[lay.col[0]].text);
            continue;
        }
        /* Days are ISO dates; empty fields are unknown (no day, unknown, not targeted). */
        const field *birthday = column(&lay, 1, f, n), *start = column(&lay, 2, f, n);
        if (!parse_day(birthday, &c.birthday)) {
            report(&rd, "birthday '%s' is not a date (YYYY-MM-DD)", birthday->text);
            continue;
        }
        if (!parse_day(start, &c.relationship_start)) {
            report(&rd, "relationship_start '%s' is not a date (YYYY-MM-DD)", start->text);
            continue;
        }
        c.money = parse_code(column(&lay, 3, f, n), CRM_ENUM_ANSWER, CRM_ANSWER_UNKNOWN);
        c.authority = parse_code(column(&lay, 4, f, n), CRM_ENUM_ANSWER, CRM_ANSWER_UNKNOWN);
        c.need = parse_code(column(&lay, 5, f, n), CRM_ENUM_ANSWER, CRM_ANSWER_UNKNOWN);
        c.targeted = parse_targeted(column(&lay, 6, f, n));
        out->items = reserve(out->items, out->count, &out->cap, sizeof *out->items);
        out->items[out->count++] = c;
    }
    for (int i = 0; i < lay.count; i++) out->has[i] = lay.col[i] >= 0;
    out->lines = rd.lines;
    out->malformed = rd.malformed;
    return close_reader(&rd) && n == 0;
}

/* The views of what was read: optional columns only where the files have
 * them, so that crmkit treats the others as not supplied. */
static crm_status make_views(const txn_list *tx, const int_list *ix, const cus_list *cu,
                             crm_transactions *tview, crm_interactions *iview, crm_customers *cview,
                             crm_error *err) {
    crm_status st = crm_transactions_from_array(tview, tx->items, tx->count, err);
    if (st == CRM_STATUS_OK && tx->has_cost)
        st = crm_transactions_set_column(tview, CRM_FIELD_COST, tx->cost, 0, err);
    if (st == CRM_STATUS_OK && tx->has_discount)
        st = crm_transactions_set_column(tview, CRM_FIELD_DISCOUNT, tx->discount, 0, err);
    /* The array form supplies value, ref and purpose; the file may not have purposes. */
    if (st == CRM_STATUS_OK) st = crm_interactions_from_array(iview, ix->items, ix->count, err);
    if (st == CRM_STATUS_OK && !ix->has_purpose)
        st = crm_interactions_set_column(iview, CRM_FIELD_PURPOSE, NULL, 0, err);
    /* Likewise every attribute. */
    if (st == CRM_STATUS_OK) st = crm_customers_from_array(cview, cu->items, cu->count, err);
    for (int i = 1; st == CRM_STATUS_OK && i < (int)(sizeof cus_fields / sizeof *cus_fields); i++)
        if (!cu->has[i]) st = crm_customers_set_column(cview, cus_fields[i], NULL, 0, err);
    return st;
}

/* ---- CSV writing ---- */

static void put_text(FILE *f, const char *s) {
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* The shortest of %.15g, %.16g, %.17g that reads back exactly. */
static void put_double(FILE *f, double v) {
    char buf[64];
    if (v != v) return; /* NaN: not applicable, an empty field */
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (strtod(buf, NULL) == v) break;
    }
    fputs(buf, f);
}

/* A flag set as the names of its flags joined by '|' (bitN for a position
 * this library version does not name). */
static void put_flags(FILE *f, crm_flags flags) {
    int first = 1;
    for (int bit = 0; bit < 64; bit++) {
        if (!(flags & CRM_FLAG_BIT(bit))) continue;
        const char *name = crm_enum_name(CRM_ENUM_FLAG, bit);
        if (!first) fputc('|', f);
        if (name)
            fputs(name, f);
        else
            fprintf(f, "bit%d", bit);
        first = 0;
    }
}

static int write_csv(const crm_result *res, const char *path) {
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "crmkit_analyze: cannot write %s: %s\n", path, strerror(errno));
        return 0;
    }
    /* Every column this library version knows and the result holds, in id order. */
    const int32_t known = crm_enum_count(CRM_ENUM_COLUMN);
    int *cols = xrealloc(NULL, (size_t)known * sizeof *cols);
    int *types = xrealloc(NULL, (size_t)known * sizeof *types);
    const void **data = xrealloc(NULL, (size_t)known * sizeof *data);
    int ncols = 0;
    for (int c = 0; c < known; c++) {
        if (!crm_result_has_column(res, c)) continue;
        if (crm_result_column(res, c, &types[ncols], &data[ncols], NULL) != CRM_STATUS_OK) continue;
        cols[ncols++] = c;
    }
    for (int i = 0; i < ncols; i++) {
        if (i) fputc(',', f);
        fputs(crm_enum_name(CRM_ENUM_COLUMN, cols[i]), f);
    }
    fputc('\n', f);

    const size_t rows = crm_result_rows(res);
    char day[ISO_DAY_SIZE];
    for (size_t r = 0; r < rows; r++) {
        for (int i = 0; i < ncols; i++) {
            const int c = cols[i];
            if (i) fputc(',', f);
            switch (types[i]) {
            case CRM_TYPE_U64: {
                const uint64_t v = ((const uint64_t *)data[i])[r];
                if (crm_column_unit(c) == CRM_UNIT_FLAGS)
                    put_flags(f, v);
                else
                    fprintf(f, "%llu", (unsigned long long)v);
                break;
            }
            case CRM_TYPE_I64: fprintf(f, "%lld", (long long)((const int64_t *)data[i])[r]); break;
            case CRM_TYPE_I32: {
                const int32_t v = ((const int32_t *)data[i])[r];
                if (v == CRM_NO_DAY) break;               /* not applicable: empty */
                if (crm_column_unit(c) == CRM_UNIT_DAY) { /* day numbers: ISO dates */
                    fputs(iso_day(v, day, sizeof day), f);
                } else if (crm_column_unit(c) == CRM_UNIT_ENUM) {
                    const char *label = crm_result_label(res, c, v);
                    if (label)
                        put_text(f, label);
                    else
                        fprintf(f, "%ld", (long)v);
                } else {
                    fprintf(f, "%ld", (long)v);
                }
                break;
            }
            case CRM_TYPE_F64: put_double(f, ((const double *)data[i])[r]); break;
            default: break;
            }
        }
        fputc('\n', f);
    }
    free(cols);
    free(types);
    free(data);
    const int ok = !ferror(f);
    if (fclose(f) != 0 || !ok) {
        fprintf(stderr, "crmkit_analyze: error writing %s\n", path);
        return 0;
    }
    return 1;
}

/* ---- the summary ---- */

static void print_records(const crm_result *res, int input, long lines, long malformed) {
    const int64_t total = crm_result_records_total(res, input);
    const int64_t accepted = crm_result_records(res, input, CRM_FATE_ACCEPTED);
    printf("  %-13s %10ld %10ld %10lld %10lld\n", crm_enum_name(CRM_ENUM_INPUT, input), lines, malformed,
           (long long)accepted, (long long)(total - accepted));
    for (int32_t fate = CRM_FATE_ACCEPTED + 1; fate < crm_enum_count(CRM_ENUM_FATE); fate++) {
        const int64_t n = crm_result_records(res, input, fate);
        if (n > 0) printf("      rejected, %-22s %10lld\n", crm_enum_name(CRM_ENUM_FATE, fate), (long long)n);
    }
}

static void print_cut_points(const crm_result *res) {
    static const char *const dims[3] = {
        "R  recency_days   <=", "F  frequency      >=", "M  monetary       >="};
    double t[16];
    size_t n = 0;
    if (crm_result_cut_points(res, CRM_DIM_R, t, 16, &n, NULL) != CRM_STATUS_OK) return;
    printf("\nRFM cut points (score s for reaching t_s; t_2 .. t_k):\n");
    for (int dim = 0; dim < 3; dim++) {
        if (crm_result_cut_points(res, dim, t, 16, &n, NULL) != CRM_STATUS_OK) continue;
        printf("  %s", dims[dim]);
        for (size_t i = 0; i < n && i < 16; i++) printf(" %10.6g", t[i]);
        printf("\n");
    }
}

/* Customers and revenue per value of one enumeration column, only when the
 * result has the column. */
static void print_groups(const crm_result *res, int column, const char *title, double customers_total,
                         double revenue_total) {
    if (!crm_result_has_column(res, column)) return;
    int printed = 0;
    const int32_t values = crm_result_label_count(res, column);
    for (int32_t v = 0; v < values; v++) {
        const char *label = crm_result_label(res, column, v);
        if (label == NULL) continue;
        int64_t n = 0;
        double revenue = 0.0;
        if (crm_result_group(res, column, v, &n, &revenue, NULL) != CRM_STATUS_OK) return;
        if (v == 0 && n == 0) continue; /* "none" only when someone is in it */
        if (!printed) {
            printf("\n%-26s %10s %7s %16s %7s\n", title, "customers", "share", "revenue", "share");
            printed = 1;
        }
        printf("  %-24s %10lld %6.1f%% %16.2f %6.1f%%\n", label, (long long)n,
               customers_total > 0 ? 100.0 * (double)n / customers_total : 0.0, revenue,
               revenue_total != 0 ? 100.0 * revenue / revenue_total : 0.0);
    }
}

static void print_flags(const crm_result *res, double customers_total, double revenue_total) {
    if (!crm_result_has_column(res, CRM_COLUMN_CHURN_FLAGS)) return;
    printf("\n%-26s %10s %7s %16s %7s  %s\n", "Churn-risk flags", "customers", "share", "revenue", "share",
           "reason");
    for (int32_t flag = 0; flag < crm_enum_count(CRM_ENUM_FLAG); flag++) {
        const char *name = crm_enum_name(CRM_ENUM_FLAG, flag);
        int64_t n = 0;
        double revenue = 0.0;
        if (crm_result_group(res, CRM_COLUMN_CHURN_FLAGS, flag, &n, &revenue, NULL) != CRM_STATUS_OK) return;
        const char *reason = crm_enum_description(CRM_ENUM_FLAG, flag);
        printf("  %-24s %10lld %6.1f%% %16.2f %6.1f%%  %s\n", name, (long long)n,
               customers_total > 0 ? 100.0 * (double)n / customers_total : 0.0, revenue,
               revenue_total != 0 ? 100.0 * revenue / revenue_total : 0.0, reason ? reason : "");
    }
}

/* The population figures: the complaint-handling ones (shares as percentages),
 * then any later metric of this library version under its name. */
static void print_metrics(const crm_result *res) {
    int printed = 0;
    for (int32_t m = CRM_METRIC_COMPLAINTS; m < crm_enum_count(CRM_ENUM_METRIC); m++) {
        const char *name = crm_enum_name(CRM_ENUM_METRIC, m);
        const double v = crm_result_metric(res, m);
        if (v != v) continue; /* undefined (empty base) */
        const int complaints = m <= CRM_METRIC_RECOVERY_RATE;
        if (printed < 1 + !complaints) {
            printf("\n%s\n", complaints ? "Complaint handling" : "Population figures");
            printed = 1 + !complaints;
        }
        const int share = m == CRM_METRIC_RESPONSE_WITHIN_SLA || m == CRM_METRIC_RESOLVED_WITHIN ||
                          m == CRM_METRIC_FOLLOWED_UP_WITHIN || m == CRM_METRIC_RECOVERY_RATE;
        if (share)
            printf("  %-26s %9.1f%%\n", name, 100.0 * v);
        else
            printf("  %-26s %10.6g\n", name, v);
    }
}

/* Fitted customer-value models (only when enabled with --set model=... or
 * --set spend_model=1): parameters, log-likelihood, convergence. */
static void print_models(const crm_result *res) {
    int printed = 0;
    for (int32_t kind = CRM_MODEL_KIND_NONE + 1; kind < crm_enum_count(CRM_ENUM_MODEL_KIND); kind++) {
        const char *name = crm_enum_name(CRM_ENUM_MODEL_KIND, kind);
        const crm_model *model = crm_result_model(res, kind);
        if (model == NULL) continue;
        if (!printed) {
            printf("\nCustomer-value models\n");
            printed = 1;
        }
        printf("  %-12s", name);
        for (size_t i = 0; i < crm_model_param_count(kind); i++) {
            const char *param = crm_model_param_name(kind, i);
            printf(" %s=%.6g", param ? param : "?", crm_model_param(model, i));
        }
        printf("  loglik=%.6g%s\n", crm_model_loglik(model),
               crm_model_converged(model) ? "" : "  (not converged)");
    }
}

/* Rows for the top list, sorted by monetary descending, then customer id
 * (a copy of the keys, since C99 qsort passes no context). */
typedef struct ranked {
    double monetary;
    uint64_t id;
    size_t row;
} ranked;

static int by_monetary(const void *a, const void *b) {
    const ranked *x = a, *y = b;
    if (x->monetary != y->monetary) return x->monetary > y->monetary ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static const char *label_at(const crm_result *res, int column, size_t row) {
    const int32_t *v = crm_result_i32(res, column);
    const char *s = v ? crm_result_label(res, column, v[row]) : NULL;
    return s ? s : "-";
}

/* Names of the risk flags set in a flag set, joined by ',' into buf
 * (contact_overdue is a contact-plan signal, not a reason to call). */
static const char *flag_list(crm_flags flags, char *buf, size_t size) {
    buf[0] = '\0';
    for (int32_t flag = 0; flag < crm_enum_count(CRM_ENUM_FLAG); flag++) {
        if (!(flags & CRM_FLAG_BIT(flag)) || flag == CRM_FLAG_CONTACT_OVERDUE) continue;
        const size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%s", used ? "," : "", crm_enum_name(CRM_ENUM_FLAG, flag));
    }
    return buf[0] ? buf : "-";
}

/* Customers by net monetary, descending. call_list: only high-risk customers,
 * with the reasons a caller would open the conversation with. */
static void print_ranked(const crm_result *res, size_t top, int call_list) {
    const size_t rows = crm_result_rows(res);
    const double *monetary = crm_result_f64(res, CRM_COLUMN_MONETARY);
    const uint64_t *ids = crm_result_u64(res, CRM_COLUMN_CUSTOMER_ID);
    const int32_t *risk = crm_result_i32(res, CRM_COLUMN_RISK_LEVEL);
    if (monetary == NULL || ids == NULL || rows == 0 || top == 0 || (call_list && !risk)) return;
    ranked *order = xrealloc(NULL, rows * sizeof *order);
    size_t n = 0;
    for (size_t i = 0; i < rows; i++) {
        if (monetary[i] != monetary[i]) continue; /* NaN sorts nowhere */
        if (call_list && risk[i] != CRM_RISK_HIGH) continue;
        order[n].monetary = monetary[i];
        order[n].id = ids[i];
        order[n].row = i;
        n++;
    }
    qsort(order, n, sizeof *order, by_monetary);
    const int64_t *days = crm_result_i64(res, CRM_COLUMN_PURCHASE_DAYS);
    const int32_t *recency = crm_result_i32(res, CRM_COLUMN_RECENCY_DAYS);
    const int32_t *r = crm_result_i32(res, CRM_COLUMN_R_SCORE);
    const int32_t *f = crm_result_i32(res, CRM_COLUMN_F_SCORE);
    const int32_t *m = crm_result_i32(res, CRM_COLUMN_M_SCORE);
    const double *alive = crm_result_f64(res, CRM_COLUMN_P_ALIVE);
    const double *clv = crm_result_f64(res, CRM_COLUMN_CLV);
    const double *health = crm_result_f64(res, CRM_COLUMN_HEALTH_SCORE);
    const crm_flags *flags = crm_result_u64(res, CRM_COLUMN_CHURN_FLAGS);
    if (call_list)
        printf("\nCall list: %zu high-risk customers, the %zu most valuable first\n", n, top < n ? top : n);
    else
        printf("\nTop %zu customers by net monetary\n", top < n ? top : n);
    printf("  %-20s %14s %6s %7s %5s  %-20s %-8s %-11s", "customer_id", "monetary", "days", "recency",
           "R F M", "segment", "tier", "stage");
    if (alive) printf(" %8s %11s", "P(alive)", "CLV");
    if (call_list) printf(" %6s  %s", "health", "why");
    printf("\n");
    for (size_t k = 0; k < n && k < top; k++) {
        const size_t i = order[k].row;
        printf("  %-20llu %14.2f %6lld %7ld %d %d %d  %-20s %-8s %-11s", (unsigned long long)ids[i],
               monetary[i], days ? (long long)days[i] : -1LL, recency ? (long)recency[i] : -1L,
               r ? (int)r[i] : 0, f ? (int)f[i] : 0, m ? (int)m[i] : 0, label_at(res, CRM_COLUMN_SEGMENT, i),
               label_at(res, CRM_COLUMN_VALUE_TIER, i), label_at(res, CRM_COLUMN_LIFECYCLE_STAGE, i));
        if (alive) printf(" %8.3f %11.2f", alive[i], clv ? clv[i] : 0.0);
        if (call_list) {
            char why[256];
            printf(" %6.1f  %s", health ? health[i] : 0.0,
                   flags ? flag_list(flags[i], why, sizeof why) : "-");
        }
        printf("\n");
    }
    free(order);
}

static void print_summary(const crm_result *res, const char *tpath, const txn_list *tx, const char *ipath,
                          const int_list *ix, const char *cpath, const cus_list *cu, size_t top) {
    char day[ISO_DAY_SIZE];
    printf("crmkit %s analysis of %s", crm_version_string(), tpath);
    if (ipath) printf("%s%s", cpath ? ", " : " and ", ipath);
    if (cpath) printf(" and %s", cpath);
    printf("\n\n%-15s %10s %10s %10s %10s\n", "Records", "lines", "malformed", "accepted", "rejected");
    print_records(res, CRM_INPUT_TRANSACTIONS, tx->lines, tx->malformed);
    if (ipath) print_records(res, CRM_INPUT_INTERACTIONS, ix->lines, ix->malformed);
    if (cpath) print_records(res, CRM_INPUT_CUSTOMERS, cu->lines, cu->malformed);

    const int32_t as_of_day = crm_result_as_of_day(res);
    printf("\nAs-of date: %s\n", as_of_day == CRM_NO_DAY ? "-" : iso_day(as_of_day, day, sizeof day));
    const double customers = crm_result_metric(res, CRM_METRIC_CUSTOMERS);
    const double scored = crm_result_metric(res, CRM_METRIC_SCORED_CUSTOMERS);
    const double revenue = crm_result_metric(res, CRM_METRIC_REVENUE);
    printf("Customers:  %zu", crm_result_rows(res));
    if (scored == scored) printf(" (%.0f with a purchase, %.0f prospects)", scored, customers - scored);
    printf("\nNet revenue: %.2f\n", revenue == revenue ? revenue : 0.0);

    print_cut_points(res);
    print_groups(res, CRM_COLUMN_SEGMENT, "RFM segments", customers, revenue);
    print_groups(res, CRM_COLUMN_VALUE_TIER, "Value tiers", customers, revenue);
    print_groups(res, CRM_COLUMN_CONTRIBUTION_BAND, "Contribution bands", customers, revenue);
    print_groups(res, CRM_COLUMN_TENURE_BAND, "Tenure bands", customers, revenue);
    print_groups(res, CRM_COLUMN_VALUE_CLASS, "Value classes", customers, revenue);
    print_groups(res, CRM_COLUMN_LIFECYCLE_STAGE, "Lifecycle stages", customers, revenue);
    print_groups(res, CRM_COLUMN_RISK_LEVEL, "Risk levels", customers, revenue);
    print_groups(res, CRM_COLUMN_HEALTH_BAND, "Health bands", customers, revenue);
    print_flags(res, customers, revenue);
    print_metrics(res);
    print_models(res);
    print_ranked(res, top, 0);
    print_ranked(res, top, 1);
}

/* ---- main ---- */

static void usage(FILE *to) {
    fprintf(to,
            "usage: crmkit_analyze [options] TRANSACTIONS.csv\n"
            "  --interactions FILE   interactions CSV (customer_id,time,kind[,value,ref,purpose])\n"
            "  --customers FILE      customer attributes CSV (customer_id[,birthday,relationship_start,\n"
            "                        money,authority,need,targeted])\n"
            "  --as-of YYYY-MM-DD    analyse as of the end of that day (default: latest transaction's day)\n"
            "  --set NAME=VALUE      set a crmkit option, e.g. --set ties=ntile (repeatable)\n"
            "  --csv OUT             write the full result table to OUT\n"
            "  --top N               customers to list by net monetary (default 10)\n");
}

int main(int argc, char **argv) {
    const char *tpath = NULL, *ipath = NULL, *cpath = NULL, *csv = NULL, *as_of = NULL;
    size_t top = 10;
    int status = EXIT_FAILURE;
    crm_config *config = NULL;
    crm_result *result = NULL;
    crm_error err;
    txn_list tx;
    int_list ix;
    cus_list cu;
    memset(&tx, 0, sizeof tx);
    memset(&ix, 0, sizeof ix);
    memset(&cu, 0, sizeof cu);

    if (crm_config_create(NULL, &config, &err) != CRM_STATUS_OK) {
        fprintf(stderr, "crmkit_analyze: %s\n", err.message);
        return EXIT_FAILURE;
    }
    for (int i = 1; i < argc;) {
        const char *a = argv[i];
        /* Every option takes a value; "" stands for a missing one. */
        const char *v = i + 1 < argc ? argv[i + 1] : "";
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            status = EXIT_SUCCESS;
            goto done;
        }
        if (a[0] == '-' && a[1] != '\0' && i + 1 >= argc) {
            fprintf(stderr, "crmkit_analyze: %s needs a value\n", a);
            goto usage_error;
        }
        if (strcmp(a, "--interactions") == 0) {
            ipath = v;
        } else if (strcmp(a, "--customers") == 0) {
            cpath = v;
        } else if (strcmp(a, "--as-of") == 0) {
            as_of = v;
        } else if (strcmp(a, "--csv") == 0) {
            csv = v;
        } else if (strcmp(a, "--top") == 0) {
            char *end = NULL;
            const unsigned long n = strtoul(v, &end, 10);
            if (*end != '\0' || v[0] == '-' || v[0] == '\0') {
                fprintf(stderr, "crmkit_analyze: --top needs a count, not '%s'\n", v);
                goto usage_error;
            }
            top = (size_t)n;
        } else if (strcmp(a, "--set") == 0) {
            char name[128];
            const char *eq = strchr(v, '=');
            if (eq == NULL || eq == v || (size_t)(eq - v) >= sizeof name) {
                fprintf(stderr, "crmkit_analyze: --set needs NAME=VALUE, not '%s'\n", v);
                goto usage_error;
            }
            memcpy(name, v, (size_t)(eq - v));
            name[eq - v] = '\0';
            if (crm_config_set_text(config, name, eq + 1, &err) != CRM_STATUS_OK) {
                fprintf(stderr, "crmkit_analyze: --set %s: %s\n", v, err.message);
                status = 2;
                goto done;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "crmkit_analyze: unknown option %s\n", a);
            goto usage_error;
        } else if (tpath == NULL) {
            tpath = a;
            i++;
            continue;
        } else {
            fprintf(stderr, "crmkit_analyze: more than one transactions file given\n");
            goto usage_error;
        }
        i += 2; /* an option and its value */
    }
    if (tpath == NULL) {
        fprintf(stderr, "crmkit_analyze: no transactions file given\n");
        goto usage_error;
    }
    if (as_of != NULL) {
        /* End of that day in the calendar of day_offset (after every --set, in any order). */
        int32_t day = 0;
        int64_t offset = 0;
        if (!parse_iso_date(as_of, strlen(as_of), &day)) {
            fprintf(stderr, "crmkit_analyze: --as-of needs YYYY-MM-DD, not '%s'\n", as_of);
            goto usage_error;
        }
        if (crm_config_get_int(config, CRM_OPTION_DAY_OFFSET, &offset, &err) != CRM_STATUS_OK ||
            crm_config_set_int(config, CRM_OPTION_AS_OF, ((int64_t)day + 1) * 86400 - 1 - offset, &err) !=
                CRM_STATUS_OK) {
            fprintf(stderr, "crmkit_analyze: --as-of %s: %s\n", as_of, err.message);
            status = 2;
            goto done;
        }
    }

    if (!read_transactions(tpath, &tx)) goto done;
    if (ipath && !read_interactions(ipath, &ix)) goto done;
    if (cpath && !read_customers(cpath, &cu)) goto done;

    crm_transactions tview;
    crm_interactions iview;
    crm_customers cview;
    crm_status st = make_views(&tx, &ix, &cu, &tview, &iview, &cview, &err);
    if (st == CRM_STATUS_OK)
        st = crm_analyze(config, &tview, ipath ? &iview : NULL, cpath ? &cview : NULL, &result, &err);
    if (st != CRM_STATUS_OK) {
        fprintf(stderr, "crmkit_analyze: analysis failed (%s): %s\n", crm_enum_name(CRM_ENUM_STATUS, st),
                err.message);
        goto done;
    }
    print_summary(result, tpath, &tx, ipath, &ix, cpath, &cu, top);
    if (csv) {
        if (!write_csv(result, csv)) goto done;
        printf("\nResult table (%zu rows) written to %s\n", crm_result_rows(result), csv);
    }
    status = EXIT_SUCCESS;
    goto done;

usage_error:
    usage(stderr);
    status = 2;
done:
    crm_result_free(result);
    crm_config_free(config);
    free(tx.items);
    free(tx.cost);
    free(tx.discount);
    free(ix.items);
    free(cu.items);
    return status;
}

#include "crm_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void crm_test_near_impl(double actual, double expected, double abs_tol, double rel_tol, const char *what,
                        const char *file, int line) {
    if (isnan(actual) && isnan(expected)) return;
    double diff = fabs(actual - expected);
    double scale = fmax(fabs(actual), fabs(expected));
    if (diff <= abs_tol || diff <= rel_tol * scale) return;
    print_error("%s:%d: %s = %.17g, expected %.17g (abs diff %.3g, rel diff %.3g)\n", file, line, what,
                actual, expected, diff, scale > 0 ? diff / scale : diff);
    _fail(file, line);
}

const char *crm_test_data_path(char *buf, size_t size, const char *relative) {
    snprintf(buf, size, "%s/%s", CRM_TEST_DATA_DIR, relative);
    return buf;
}

void crm_csv_read(crm_csv *csv, const char *path) {
    memset(csv, 0, sizeof *csv);
    FILE *f = fopen(path, "rb");
    if (!f) {
        print_error("cannot open %s\n", path);
        fail();
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    csv->text = malloc((size_t)len + 2);
    assert_non_null(csv->text);
    size_t got = fread(csv->text, 1, (size_t)len, f);
    fclose(f);
    csv->text[got] = '\0';
    /* count lines and columns */
    size_t lines = 0, cols = 1;
    for (size_t i = 0; i < got; i++)
        if (csv->text[i] == '\n') lines++;
    if (got > 0 && csv->text[got - 1] != '\n') lines++;
    for (char *p = csv->text; *p && *p != '\n'; p++)
        if (*p == ',') cols++;
    csv->cols = cols;
    csv->fields = calloc(lines * cols + 1, sizeof(char *));
    assert_non_null(csv->fields);
    size_t line = 0, col = 0;
    char *start = csv->text;
    for (char *p = csv->text;; p++) {
        char c = *p;
        if (c == ',' || c == '\n' || c == '\r' || c == '\0') {
            *p = '\0';
            if (col < cols) csv->fields[line * cols + col] = start;
            col++;
            if (c == '\r' && p[1] == '\n') p++;
            if (c != ',') {
                if (col > 1 || start != p) line++;
                col = 0;
            }
            start = p + 1;
            if (c == '\0') break;
        }
    }
    csv->header = csv->fields;
    csv->rows = line > 0 ? line - 1 : 0;
    csv->fields += cols;
}

void crm_csv_free(crm_csv *csv) {
    if (csv->header) free(csv->header);
    free(csv->text);
    memset(csv, 0, sizeof *csv);
}

size_t crm_csv_col(const crm_csv *csv, const char *name) {
    for (size_t i = 0; i < csv->cols; i++)
        if (csv->header[i] && strcmp(csv->header[i], name) == 0) return i;
    print_error("no column %s\n", name);
    fail();
    return 0;
}

static void *counting_alloc(void *opaque, size_t size) {
    crm_test_alloc *t = opaque;
    long index = t->attempts++;
    if (t->fail_at >= 0 && index == t->fail_at) return NULL;
    void *p = malloc(size);
    if (p) {
        t->allocations++;
        t->live++;
    }
    return p;
}

static void counting_free(void *opaque, void *ptr) {
    crm_test_alloc *t = opaque;
    if (!ptr) return;
    t->frees++;
    t->live--;
    free(ptr);
}

void crm_test_alloc_init(crm_test_alloc *t, long fail_at) {
    memset(t, 0, sizeof *t);
    t->fail_at = fail_at;
}

crm_allocator crm_test_allocator(crm_test_alloc *t) {
    crm_allocator a;
    a.alloc = counting_alloc;
    a.free = counting_free;
    a.opaque = t;
    return a;
}

uint64_t crm_rng_next(crm_rng *r) {
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double crm_rng_uniform(crm_rng *r) { return (double)(crm_rng_next(r) >> 11) * (1.0 / 9007199254740992.0); }

uint64_t crm_rng_below(crm_rng *r, uint64_t n) { return n ? crm_rng_next(r) % n : 0; }

int32_t crm_test_day(const char *iso) {
    int y, m, d;
    int32_t day;
    if (sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3) return CRM_NO_DAY;
    return crm_day_from_date(y, m, d, &day, NULL) == CRM_STATUS_OK ? day : CRM_NO_DAY;
}

void crm_test_iso(int32_t day, char *buf, size_t size) {
    int32_t y, m, d;
    if (crm_date_from_day(day, &y, &m, &d, NULL) != CRM_STATUS_OK) {
        snprintf(buf, size, "(day %ld)", (long)day);
        return;
    }
    snprintf(buf, size, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
}

crm_result *crm_test_analyze(const crm_config *config, const crm_transaction *t, size_t n) {
    crm_transactions v;
    crm_error err;
    crm_result *r = NULL;
    assert_int_equal(crm_transactions_from_array(&v, t, n, &err), CRM_STATUS_OK);
    crm_status st = crm_analyze(config, &v, NULL, NULL, &r, &err);
    if (st != CRM_STATUS_OK) print_error("crm_analyze: %s\n", err.message);
    assert_int_equal(st, CRM_STATUS_OK);
    return r;
}

size_t crm_test_load_transactions(const char *relative, crm_transaction **out) {
    char path[1024];
    crm_csv csv;
    crm_csv_read(&csv, crm_test_data_path(path, sizeof path, relative));
    size_t ci = crm_csv_col(&csv, "customer_id"), ti = crm_csv_col(&csv, "time"),
           ai = crm_csv_col(&csv, "amount");
    crm_transaction *t = calloc(csv.rows + 1, sizeof *t);
    assert_non_null(t);
    for (size_t i = 0; i < csv.rows; i++) {
        t[i].customer_id = strtoull(crm_csv_at(&csv, i, ci), NULL, 10);
        t[i].time = strtoll(crm_csv_at(&csv, i, ti), NULL, 10);
        t[i].amount = strtod(crm_csv_at(&csv, i, ai), NULL);
    }
    size_t n = csv.rows;
    crm_csv_free(&csv);
    *out = t;
    return n;
}

size_t crm_test_load_interactions(const char *relative, crm_interaction **out) {
    char path[1024];
    crm_csv csv;
    crm_csv_read(&csv, crm_test_data_path(path, sizeof path, relative));
    size_t ci = crm_csv_col(&csv, "customer_id"), ti = crm_csv_col(&csv, "time"),
           ki = crm_csv_col(&csv, "kind"), vi = crm_csv_col(&csv, "value"), ri = crm_csv_col(&csv, "ref");
    crm_interaction *x = calloc(csv.rows + 1, sizeof *x);
    assert_non_null(x);
    for (size_t i = 0; i < csv.rows; i++) {
        x[i].customer_id = strtoull(crm_csv_at(&csv, i, ci), NULL, 10);
        x[i].time = strtoll(crm_csv_at(&csv, i, ti), NULL, 10);
        x[i].kind = crm_enum_value(CRM_ENUM_KIND, crm_csv_at(&csv, i, ki));
        assert_true(x[i].kind > 0);
        x[i].value = strtod(crm_csv_at(&csv, i, vi), NULL);
        x[i].ref = strtoull(crm_csv_at(&csv, i, ri), NULL, 10);
    }
    size_t n = csv.rows;
    crm_csv_free(&csv);
    *out = x;
    return n;
}

size_t crm_test_load_cdnow_sample(crm_transaction **out) {
    char path[1024];
    FILE *f = fopen(crm_test_data_path(path, sizeof path, "cdnow/CDNOW_sample.txt"), "r");
    assert_non_null(f);
    size_t cap = 8192, n = 0;
    crm_transaction *t = calloc(cap, sizeof *t);
    assert_non_null(t);
    char line[256];
    while (fgets(line, sizeof line, f)) {
        unsigned master, id, ymd, cds;
        double dollars;
        if (sscanf(line, "%u %u %u %u %lf", &master, &id, &ymd, &cds, &dollars) != 5) continue;
        assert_true(n < cap);
        char iso[16];
        snprintf(iso, sizeof iso, "%04u-%02u-%02u", ymd / 10000, ymd / 100 % 100, ymd % 100);
        t[n].customer_id = id;
        t[n].time = (int64_t)crm_test_day(iso) * 86400;
        t[n].amount = dollars;
        n++;
    }
    fclose(f);
    *out = t;
    return n;
}

/* nightly_close.c - a POS day close with a stored state (README "Nightly
 * state"): load the state from a file, add the day's receipts, write every
 * customer's profile, store the state again. No history is read.
 *
 *   nightly_close close STATE RECEIPTS.csv PROFILES.csv
 *       STATE need not exist yet (the first day starts empty).
 *   nightly_close full PROFILES.csv RECEIPTS.csv...
 *       the same profiles from one crm_analyze over every receipt file.
 *   nightly_close receipts DAY SEED RECEIPTS.csv
 *       writes a demo day of receipts (some returns, some late receipts of
 *       earlier days).
 *
 * Receipts: CSV "customer_id,time,amount" with a header line. Profiles: every
 * column of the result, doubles written with 17 digits, so two files are
 * equal exactly when the tables are. Exit codes: 0 success, 1 failure, 2 usage. */
#include <crmkit.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct receipts {
    crm_transaction *rec;
    size_t n, cap;
} receipts;

static int read_receipts(const char *path, receipts *r) {
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "nightly_close: cannot open %s\n", path);
        return 0;
    }
    char line[256];
    int ok = fgets(line, sizeof line, f) != NULL; /* header */
    while (ok && fgets(line, sizeof line, f)) {
        if (r->n == r->cap) {
            size_t cap = r->cap ? 2 * r->cap : 1024;
            crm_transaction *p = realloc(r->rec, cap * sizeof *p);
            if (!p) {
                ok = 0;
                break;
            }
            r->rec = p;
            r->cap = cap;
        }
        unsigned long long id;
        long long t;
        double amount;
        if (sscanf(line, "%llu,%lld,%lf", &id, &t, &amount) != 3) {
            fprintf(stderr, "nightly_close: %s: bad line: %s", path, line);
            ok = 0;
            break;
        }
        r->rec[r->n].customer_id = id;
        r->rec[r->n].time = t;
        r->rec[r->n].amount = amount;
        r->n++;
    }
    fclose(f);
    return ok;
}

static int write_profiles(const char *path, const crm_result *res) {
    FILE *f = fopen(path, "w");
    if (!f) return 0;
    int ncol = crm_enum_count(CRM_ENUM_COLUMN);
    const char *sep = "";
    for (int c = 0; c < ncol; c++)
        if (crm_result_has_column(res, c)) {
            fprintf(f, "%s%s", sep, crm_enum_name(CRM_ENUM_COLUMN, c));
            sep = ",";
        }
    fputc('\n', f);
    for (size_t row = 0; row < crm_result_rows(res); row++) {
        sep = "";
        for (int c = 0; c < ncol; c++) {
            if (!crm_result_has_column(res, c)) continue;
            fputs(sep, f);
            sep = ",";
            switch (crm_column_type(c)) {
            case CRM_TYPE_U64: fprintf(f, "%" PRIu64, crm_result_u64(res, c)[row]); break;
            case CRM_TYPE_I64: fprintf(f, "%" PRId64, crm_result_i64(res, c)[row]); break;
            case CRM_TYPE_I32: fprintf(f, "%" PRId32, crm_result_i32(res, c)[row]); break;
            default: fprintf(f, "%.17g", crm_result_f64(res, c)[row]); break;
            }
        }
        fputc('\n', f);
    }
    return fclose(f) == 0;
}

static int fail(const char *what, const crm_error *err) {
    fprintf(stderr, "nightly_close: %s: %s\n", what, err->message);
    return 1;
}

static int close_day(const char *state_path, const char *receipts_path, const char *profiles_path) {
    crm_error err;
    crm_state_handle *state = NULL;
    FILE *f = fopen(state_path, "rb");
    if (f) { /* yesterday's state */
        unsigned char *bytes = NULL;
        size_t size = 0, cap = 0, got;
        unsigned char chunk[65536];
        while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
            if (size + got > cap) {
                cap = 2 * (size + got);
                unsigned char *p = realloc(bytes, cap);
                if (!p) {
                    free(bytes);
                    fclose(f);
                    return 1;
                }
                bytes = p;
            }
            memcpy(bytes + size, chunk, got);
            size += got;
        }
        fclose(f);
        crm_status st = crm_state_load(NULL, bytes, size, &state, &err);
        free(bytes);
        if (st != CRM_STATUS_OK) return fail("load", &err);
    } else if (crm_state_create(NULL, &state, &err) != CRM_STATUS_OK) {
        return fail("create", &err);
    }
    receipts r = {NULL, 0, 0};
    int code = 1;
    crm_result *res = NULL;
    unsigned char *out = NULL;
    crm_transactions view;
    if (!read_receipts(receipts_path, &r)) goto done;
    if (crm_transactions_from_array(&view, r.rec, r.n, &err) != CRM_STATUS_OK ||
        crm_state_add(state, &view, NULL, NULL, &err) != CRM_STATUS_OK) {
        fail("add", &err);
        goto done;
    }
    if (crm_state_result(state, INT64_MIN, &res, &err) != CRM_STATUS_OK) {
        fail("result", &err);
        goto done;
    }
    if (!write_profiles(profiles_path, res)) goto done;
    size_t size = 0;
    crm_state_save(state, NULL, 0, &size, NULL);
    out = malloc(size);
    if (!out || crm_state_save(state, out, size, &size, &err) != CRM_STATUS_OK) goto done;
    f = fopen(state_path, "wb");
    if (!f || fwrite(out, 1, size, f) != size) {
        if (f) fclose(f);
        goto done;
    }
    if (fclose(f) != 0) goto done;
    printf("closed %s: %zu receipts added, %zu customers, state %zu bytes\n", receipts_path, r.n,
           crm_result_rows(res), size);
    code = 0;
done:
    free(out);
    free(r.rec);
    crm_result_free(res);
    crm_state_free(state);
    return code;
}

static int full(const char *profiles_path, int n, char **paths) {
    receipts r = {NULL, 0, 0};
    crm_error err;
    crm_result *res = NULL;
    crm_transactions view;
    int code = 1;
    for (int i = 0; i < n; i++)
        if (!read_receipts(paths[i], &r)) goto done;
    if (crm_transactions_from_array(&view, r.rec, r.n, &err) != CRM_STATUS_OK ||
        crm_analyze(NULL, &view, NULL, NULL, &res, &err) != CRM_STATUS_OK) {
        fail("analyze", &err);
        goto done;
    }
    code = write_profiles(profiles_path, res) ? 0 : 1;
done:
    free(r.rec);
    crm_result_free(res);
    return code;
}

static uint64_t next(uint64_t *s) { /* splitmix64 */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int make_receipts(long day, unsigned long long seed, const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) return 1;
    uint64_t s = seed;
    fprintf(f, "customer_id,time,amount\n");
    for (int i = 0; i < 300; i++) {
        long d = day - (next(&s) % 20 == 0 ? (long)(next(&s) % 5) : 0); /* some late receipts */
        long long t = (long long)d * 86400 + (long long)(next(&s) % 86400);
        double amount = (double)(next(&s) % 50000) / 100.0;
        if (next(&s) % 15 == 0) amount = -amount / 2; /* a return */
        fprintf(f, "%llu,%lld,%.2f\n", (unsigned long long)(1 + next(&s) % 400), t, amount);
    }
    return fclose(f) == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "close") == 0) return close_day(argv[2], argv[3], argv[4]);
    if (argc >= 4 && strcmp(argv[1], "full") == 0) return full(argv[2], argc - 3, argv + 3);
    if (argc == 5 && strcmp(argv[1], "receipts") == 0)
        return make_receipts(strtol(argv[2], NULL, 10), strtoull(argv[3], NULL, 10), argv[4]);
    fprintf(stderr, "usage: nightly_close close STATE RECEIPTS.csv PROFILES.csv\n"
                    "       nightly_close full PROFILES.csv RECEIPTS.csv...\n"
                    "       nightly_close receipts DAY SEED RECEIPTS.csv\n");
    return 2;
}

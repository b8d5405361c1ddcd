/* fuzz_common.h - helpers shared by the libFuzzer targets of tests/fuzz/.
 *
 * A fuzz input is read front to back as a stream of small values; reading
 * past its end gives zeros, so every input, however short, is a valid
 * program for a target. */
#ifndef CRM_FUZZ_COMMON_H
#define CRM_FUZZ_COMMON_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crmkit.h"

typedef struct fz_reader {
    const uint8_t *p;
    size_t n;
} fz_reader;

static inline uint8_t fz_u8(fz_reader *r) {
    if (r->n == 0) return 0;
    r->n--;
    return *r->p++;
}
static inline uint64_t fz_u64(fz_reader *r) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)fz_u8(r) << (8 * i);
    return v;
}
static inline int64_t fz_i64(fz_reader *r) {
    uint64_t u = fz_u64(r);
    int64_t v;
    memcpy(&v, &u, sizeof v);
    return v;
}
static inline double fz_f64(fz_reader *r) {
    uint64_t u = fz_u64(r);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}
static inline int16_t fz_i16(fz_reader *r) {
    uint16_t u = (uint16_t)(fz_u8(r) | (fz_u8(r) << 8));
    return (int16_t)u;
}

/* Abort with a message: libFuzzer reports it as a crash and keeps the input. */
#define FZ_CHECK(cond)                                                                                       \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                         \
            abort();                                                                                         \
        }                                                                                                    \
    } while (0)

/* Some interesting values of each kind, picked by a selector byte; the rest
 * of the time a value near a base, and sometimes raw bytes. */
static inline int64_t fz_time(fz_reader *r) {
    static const int64_t special[] = {
        INT64_MIN,        INT64_MAX, CRM_TIME_MIN, CRM_TIME_MAX, CRM_TIME_MIN - 1,
        CRM_TIME_MAX + 1, 0,         -1,           1704067199,   1704067200};
    uint8_t sel = fz_u8(r);
    if (sel < 10) return special[sel];
    if (sel < 20) return fz_i64(r);
    /* 2024-01-01 plus or minus up to ~ 3.7 years in hours */
    return 1704067200 + (int64_t)fz_i16(r) * 3600;
}
static inline double fz_amount(fz_reader *r) {
    static const double special[] = {0.0,      -0.0,     1e15,  -1e15,  1.0000000000000002e15,
                                     4.9e-324, 2.2e-308, 1e308, -1e308, 0.01};
    uint8_t sel = fz_u8(r);
    if (sel < 10) return special[sel];
    if (sel == 10) return NAN;
    if (sel == 11) return INFINITY;
    if (sel == 12) return -INFINITY;
    if (sel < 20) return fz_f64(r);
    return (double)fz_i16(r) / 100.0;
}
static inline uint64_t fz_id(fz_reader *r) {
    uint8_t sel = fz_u8(r);
    if (sel == 255) return UINT64_MAX;
    if (sel == 254) return fz_u64(r);
    return sel % 16; /* few customers: many records each, id 0 among them */
}

/* Set up to `count` options from the input: option id, then a value as int
 * or real. Failures (out of range) are part of what is fuzzed. threads is
 * kept at most 4 and the fit budget small so that units stay fast. */
static inline void fz_options(fz_reader *r, crm_config *config, int count) {
    int32_t options = crm_enum_count(CRM_ENUM_OPTION);
    for (int i = 0; i < count; i++) {
        uint8_t op = fz_u8(r);
        if (op >= 200) continue;
        int option = op % options;
        if (option == CRM_OPTION_THREADS) {
            (void)crm_config_set_int(config, option, 1 + fz_u8(r) % 4, NULL);
            continue;
        }
        if (fz_u8(r) & 1) {
            (void)crm_config_set_int(config, option, (int64_t)fz_i16(r), NULL);
        } else {
            (void)crm_config_set_real(config, option, fz_f64(r), NULL);
        }
    }
    int64_t evals = 0;
    if (crm_config_get_int(config, CRM_OPTION_MAX_EVALUATIONS, &evals, NULL) == CRM_STATUS_OK && evals > 3000)
        (void)crm_config_set_int(config, CRM_OPTION_MAX_EVALUATIONS, 3000, NULL);
}

/* Records of the three inputs, built from the input bytes. */
typedef struct fz_records {
    size_t nt, ni, nc;
    crm_transaction *t;
    double *cost, *discount;
    crm_interaction *i;
    crm_customer *c;
    int with_cost, with_discount;
} fz_records;

static inline void fz_records_read(fz_reader *r, fz_records *rec) {
    memset(rec, 0, sizeof *rec);
    rec->nt = fz_u8(r) % 64;
    rec->ni = fz_u8(r) % 32;
    rec->nc = fz_u8(r) % 8;
    uint8_t cols = fz_u8(r);
    rec->with_cost = cols & 1;
    rec->with_discount = (cols >> 1) & 1;
    rec->t = calloc(rec->nt + 1, sizeof *rec->t);
    rec->cost = calloc(rec->nt + 1, sizeof *rec->cost);
    rec->discount = calloc(rec->nt + 1, sizeof *rec->discount);
    rec->i = calloc(rec->ni + 1, sizeof *rec->i);
    rec->c = calloc(rec->nc + 1, sizeof *rec->c);
    if (!rec->t || !rec->cost || !rec->discount || !rec->i || !rec->c) abort();
    for (size_t k = 0; k < rec->nt; k++) {
        rec->t[k].customer_id = fz_id(r);
        rec->t[k].time = fz_time(r);
        rec->t[k].amount = fz_amount(r);
        if (rec->with_cost) rec->cost[k] = fz_amount(r);
        if (rec->with_discount) rec->discount[k] = fz_amount(r);
    }
    for (size_t k = 0; k < rec->ni; k++) {
        rec->i[k].customer_id = fz_id(r);
        rec->i[k].time = fz_time(r);
        uint8_t kind = fz_u8(r);
        rec->i[k].kind = kind < 240 ? kind % 19 : (int32_t)fz_u64(r);
        uint8_t v = fz_u8(r);
        rec->i[k].value = v < 200 ? (double)(v % 12) : fz_amount(r);
        rec->i[k].ref = fz_u8(r) % 4;
        rec->i[k].purpose = fz_u8(r) % 5;
    }
    for (size_t k = 0; k < rec->nc; k++) {
        rec->c[k].customer_id = fz_id(r);
        uint8_t sel = fz_u8(r);
        rec->c[k].birthday = sel < 100 ? CRM_NO_DAY : (sel < 240 ? 19000 + fz_i16(r) : (int32_t)fz_u64(r));
        sel = fz_u8(r);
        rec->c[k].relationship_start =
            sel < 100 ? CRM_NO_DAY : (sel < 240 ? 19000 + fz_i16(r) : (int32_t)fz_u64(r));
        rec->c[k].money = fz_u8(r) % 4;
        rec->c[k].authority = fz_u8(r) % 4;
        rec->c[k].need = fz_u8(r) % 4;
        rec->c[k].targeted = fz_u8(r) % 3;
    }
}

static inline void fz_records_free(fz_records *rec) {
    free(rec->t);
    free(rec->cost);
    free(rec->discount);
    free(rec->i);
    free(rec->c);
}

/* Views over a subset of the records: those whose customer id maps to
 * partition `part` of `parts` (parts 1: everything). The filtered copies are
 * kept in *sub, which fz_records_free releases. */
static inline void fz_records_part(const fz_records *all, size_t parts, size_t part, fz_records *sub) {
    memset(sub, 0, sizeof *sub);
    sub->with_cost = all->with_cost;
    sub->with_discount = all->with_discount;
    sub->t = calloc(all->nt + 1, sizeof *sub->t);
    sub->cost = calloc(all->nt + 1, sizeof *sub->cost);
    sub->discount = calloc(all->nt + 1, sizeof *sub->discount);
    sub->i = calloc(all->ni + 1, sizeof *sub->i);
    sub->c = calloc(all->nc + 1, sizeof *sub->c);
    if (!sub->t || !sub->cost || !sub->discount || !sub->i || !sub->c) abort();
    for (size_t k = 0; k < all->nt; k++) {
        if (all->t[k].customer_id % parts != part) continue;
        sub->t[sub->nt] = all->t[k];
        sub->cost[sub->nt] = all->cost[k];
        sub->discount[sub->nt] = all->discount[k];
        sub->nt++;
    }
    for (size_t k = 0; k < all->ni; k++)
        if (all->i[k].customer_id % parts == part) sub->i[sub->ni++] = all->i[k];
    for (size_t k = 0; k < all->nc; k++)
        if (all->c[k].customer_id % parts == part) sub->c[sub->nc++] = all->c[k];
}

typedef struct fz_views {
    crm_transactions t;
    crm_interactions i;
    crm_customers c;
} fz_views;

static inline void fz_views_make(const fz_records *rec, fz_views *v) {
    FZ_CHECK(crm_transactions_from_array(&v->t, rec->t, rec->nt, NULL) == CRM_STATUS_OK);
    if (rec->with_cost) FZ_CHECK(crm_transactions_set_column(&v->t, CRM_FIELD_COST, rec->cost, 0, NULL) == 0);
    if (rec->with_discount)
        FZ_CHECK(crm_transactions_set_column(&v->t, CRM_FIELD_DISCOUNT, rec->discount, 0, NULL) == 0);
    FZ_CHECK(crm_interactions_from_array(&v->i, rec->i, rec->ni, NULL) == CRM_STATUS_OK);
    FZ_CHECK(crm_customers_from_array(&v->c, rec->c, rec->nc, NULL) == CRM_STATUS_OK);
}

/* Every column of a result read whole, its type checked; every label of an
 * enumeration column's values looked up; the record account checked against
 * the counts given. */
static inline void fz_check_result(const crm_result *res, const size_t given[4]) {
    int32_t columns = crm_enum_count(CRM_ENUM_COLUMN);
    size_t rows = crm_result_rows(res);
    volatile uint64_t sink = 0;
    for (int col = 0; col < columns; col++) {
        if (!crm_result_has_column(res, col)) continue;
        int type = 0;
        const void *data = NULL;
        FZ_CHECK(crm_result_column(res, col, &type, &data, NULL) == CRM_STATUS_OK);
        FZ_CHECK(type == crm_column_type(col));
        FZ_CHECK(rows == 0 || data != NULL);
        size_t size = type == CRM_TYPE_I32 ? 4 : 8;
        for (size_t row = 0; row < rows; row++) {
            uint64_t v = 0;
            memcpy(&v, (const unsigned char *)data + row * size, size);
            sink += v;
            if (crm_column_enum(col) != CRM_ENUM_NONE && type == CRM_TYPE_I32) {
                const char *label = crm_result_label(res, col, ((const int32_t *)data)[row]);
                if (label) sink += strlen(label);
            }
        }
    }
    const uint64_t *ids = crm_result_u64(res, CRM_COLUMN_CUSTOMER_ID);
    FZ_CHECK(rows == 0 || ids != NULL);
    for (size_t row = 1; row < rows; row++) FZ_CHECK(ids[row - 1] < ids[row]);
    for (size_t row = 0; row < rows; row++) FZ_CHECK(crm_result_find(res, ids[row]) == (int64_t)row);
    int32_t fates = crm_enum_count(CRM_ENUM_FATE);
    for (int input = CRM_INPUT_TRANSACTIONS; input <= CRM_INPUT_CUSTOMERS; input++) {
        int64_t sum = 0;
        for (int fate = 0; fate < fates; fate++) {
            int64_t k = crm_result_records(res, input, fate);
            FZ_CHECK(k >= 0);
            sum += k;
        }
        FZ_CHECK(sum == crm_result_records_total(res, input));
        FZ_CHECK(sum == (int64_t)given[input]);
    }
    int32_t metrics = crm_enum_count(CRM_ENUM_METRIC);
    for (int m = 0; m < metrics; m++) {
        double v = crm_result_metric(res, m);
        memcpy((void *)&sink, &v, 0);
    }
    (void)sink;
}

#endif /* CRM_FUZZ_COMMON_H */

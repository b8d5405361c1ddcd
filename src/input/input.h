/* input/input.h - the input stage: views, validation and the account of every
 * record, and the sorted accepted records of each input.
 * Internal (not installed): names use the prefix crm__. */
#ifndef CRM_INPUT_INPUT_H
#define CRM_INPUT_INPUT_H

#include "core/core.h"

/* ---- record validation (input/validate.c) ---- */

/* The account of one input's rejected records: counts by fate, and the bad
 * record with the smallest index, which strict validation reports. */
typedef struct crm__rejects {
    int strict, input;
    int64_t *counts; /* [CRM__FATE_COUNT], owned by the caller */
    int64_t index;   /* -1 while no record was rejected */
    int field, fate;
} crm__rejects;
void crm__rejects_init(crm__rejects *r, const crm_config *c, int input, int64_t counts[CRM__FATE_COUNT]);
void crm__reject(crm__rejects *r, int64_t index, int field, int fate);
/* CRM_STATUS_BAD_RECORD naming the first bad record under strict validation, else OK. */
crm_status crm__rejects_finish(const crm__rejects *r, crm_error *err);

/* Views normalised to this library's struct size (input/views.c):
 * CRM_STATUS_INVALID_ARGUMENT for struct_size 0 or a missing required column. */
crm_status crm__transactions_normalise(const crm_transactions *in, crm_transactions *out, crm_error *err);
crm_status crm__interactions_normalise(const crm_interactions *in, crm_interactions *out, crm_error *err);
crm_status crm__customers_normalise(const crm_customers *in, crm_customers *out, crm_error *err);

/* ---- validating and placing records (input/place.c) ---- */

/* One input as the placing engine sees it. Output records are elem bytes and
 * begin with the uint64 customer id. */
typedef struct crm__placer {
    size_t count; /* input records */
    size_t elem;
    int input; /* crm_input, for the account of rejections */
    void *ctx;
    /* The customer id of input record i. */
    uint64_t (*id_of)(void *ctx, size_t i);
    /* The fate of input record i (setting *field); when accepted and out is
     * not NULL, writes its output record there. accepted is its index among
     * the accepted records, in input order. Called twice per record. */
    int (*read)(void *ctx, size_t i, size_t accepted, void *out, int *field);
    /* Orders the records of one customer (by id first). */
    int (*cmp)(const void *, const void *);
} crm__placer;

/* Validate every record (counting fates; strict: CRM_STATUS_BAD_RECORD for
 * the first bad one), and return the accepted ones in *out (allocated with
 * the configuration's allocator), sorted by (id, cmp), with their count. As
 * tasks on the configuration's runner. With deferred not NULL, strict
 * validation does not fail here: *deferred receives the account (first bad
 * record included) for a caller that checks more before reporting. */
crm_status crm__place(const crm_config *c, const crm__placer *p, void **out, size_t *n,
                      int64_t counts[CRM__FATE_COUNT], crm__rejects *deferred, crm_error *err);

/* ---- transactions (input/transactions.c) ---- */

/* An accepted transaction: 24 bytes, so that tens of millions sort in
 * cache-sized buckets. Sorted by (customer, day, amount): every sum runs in
 * the same order whatever the caller's record order (a customer's records of
 * one day and amount are interchangeable). extra indexes the record's cost
 * and discount when the view has those columns. */
typedef struct crm__txrec {
    uint64_t id;
    double amount;
    int32_t day;
    uint32_t extra;
} crm__txrec;

typedef struct crm__txextra {
    double cost, discount; /* 0 where the view has no such column */
} crm__txextra;

/* The accepted transactions of one call. */
typedef struct crm__txset {
    crm__txrec *rec;
    crm__txextra *extra; /* NULL when the view has neither cost nor discount */
    size_t n;
} crm__txset;

/* Fate of transaction i of a normalised view, before the as-of check; sets *field. */
int crm__tx_fate(const crm_transactions *v, size_t i, int *field);
/* Validate and sort a normalised view's records up to as_of, counting every
 * fate into counts (strict: CRM_STATUS_BAD_RECORD for the first bad one). */
crm_status crm__tx_prepare(const crm_config *c, const crm_transactions *v, int64_t as_of, crm__txset *out,
                           int64_t counts[CRM__FATE_COUNT], crm_error *err);
void crm__txset_free(const crm_allocator *a, crm__txset *set);

/* ---- customer attributes (input/customers.c) ---- */

typedef struct crm__attrs {
    uint64_t id;
    int32_t birthday, relationship_start; /* days, CRM_NO_DAY when unknown */
    int32_t money, authority, need;       /* crm_answer */
    int32_t targeted;                     /* 0 or 1 */
} crm__attrs;

/* An accepted record with its position in the caller's view. */
typedef struct crm__indexed_attrs {
    crm__attrs a;
    int64_t index;
} crm__indexed_attrs;

/* Read and check every record of a normalised view (as_of_day INT32_MAX:
 * only the checks that do not depend on the as-of day), rejecting into rej
 * (not finished here); the accepted ones come back sorted by id, then
 * position. *out is the caller's to free. O(n log n). */
crm_status crm__attrs_collect(const crm_config *c, const crm_customers *v, int32_t as_of_day,
                              crm__rejects *rej, crm__indexed_attrs **out, size_t *m, crm_error *err);

/* Validate a normalised view against the as-of day; accepted records come
 * back sorted by id (an id given twice is rejected in every record). */
crm_status crm__attrs_prepare(const crm_config *c, const crm_customers *v, int32_t as_of_day,
                              crm__attrs **out, size_t *n, int64_t counts[CRM__FATE_COUNT], crm_error *err);

/* ---- interactions (input/interactions.c) ---- */

/* An accepted interaction record, in the order customer, time, kind, ref, value. */
typedef struct crm__ixrec {
    uint64_t id;
    int64_t time;
    double value;
    uint64_t ref;
    int32_t kind;
    int32_t day;
    int32_t purpose; /* crm_purpose */
    int64_t index;   /* position in the caller's view, for error reports */
    /* complaints only: times of the earliest response, resolution and
     * follow-up referring to it, INT64_MIN when none came by the as-of time */
    int64_t response, resolution, follow_up;
} crm__ixrec;

/* Validate, sort and link the interactions of a view (see crm_fate). Counts
 * every record's fate into counts. Under strict validation returns
 * CRM_STATUS_BAD_RECORD for the bad record with the smallest index. On success
 * *out (allocated with c's allocator) holds the accepted records sorted by
 * (customer, time, kind, ref, value). */
crm_status crm__ix_prepare(const crm_config *c, const crm_interactions *v, int64_t as_of, crm__ixrec **out,
                           size_t *n, int64_t counts[CRM__FATE_COUNT], crm_error *err);

/* The two halves of crm__ix_prepare. Place: validate each record on its own
 * (counting its fate; accepted ones are counted too) and sort; rej receives
 * the account. Link: link each customer's complaint events to their
 * complaints, drop and account for the records linking rejects, and count
 * the kept ones as accepted. */
crm_status crm__ix_place(const crm_config *c, const crm_interactions *v, int64_t as_of, crm__ixrec **out,
                         size_t *n, int64_t counts[CRM__FATE_COUNT], crm__rejects *rej, crm_error *err);
crm_status crm__ix_link(const crm_config *c, crm__ixrec *recs, size_t *n, int64_t counts[CRM__FATE_COUNT],
                        crm__rejects *rej, crm_error *err);

/* The orders of the sorted accepted records: (customer, day, amount) and
 * (customer, time, kind, ref, value, index). */
int crm__cmp_txrec(const void *a, const void *b);
int crm__cmp_ixrec(const void *a, const void *b);

#endif /* CRM_INPUT_INPUT_H */

/* core/core.h - what every stage shares: allocation, errors, the configuration,
 * strided reads, days, sorting and the segment map.
 * Internal (not installed): names use the prefix crm__. */
#ifndef CRM_CORE_CORE_H
#define CRM_CORE_CORE_H

#include "crmkit.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Sizes of this version's enumerations (the public header carries none:
 * callers ask crm_enum_count). test_config checks them against the tables. */
#define CRM__INPUT_COUNT  4
#define CRM__FATE_COUNT   12
#define CRM__GIVEN_MODELS 5 /* model kinds none .. gamma_gamma */
#define CRM__KIND_COUNT   18
#define CRM__FLAG_COUNT   13
#define CRM__COLUMN_COUNT 86
#define CRM__OPTION_COUNT 84
#define CRM__METRIC_COUNT 17

/* ---- allocation: every allocation goes through the configuration's hooks ---- */

/* A zero-size request returns a valid 1-byte block so NULL always means failure. */
void *crm__alloc(const crm_allocator *a, size_t size);
/* n * size with overflow check; zero-filled. */
void *crm__calloc(const crm_allocator *a, size_t n, size_t size);
void crm__free(const crm_allocator *a, void *p);
/* Copy of a NUL-terminated string, NULL on failure. */
char *crm__strdup(const crm_allocator *a, const char *s);

/* A growable array of fixed-size elements (the library never calls realloc:
 * the hooks have none, so growth is alloc + copy + free). */
typedef struct crm__vec {
    void *data;
    size_t len;
    size_t cap;
    size_t elem;
} crm__vec;
void crm__vec_init(crm__vec *v, size_t elem);
/* Ensure room for len + extra elements. CRM_STATUS_OK or CRM_STATUS_NO_MEMORY. */
crm_status crm__vec_reserve(const crm_allocator *a, crm__vec *v, size_t extra);
/* Append one element (copied from elem). */
crm_status crm__vec_push(const crm_allocator *a, crm__vec *v, const void *elem);
void crm__vec_free(const crm_allocator *a, crm__vec *v);

/* ---- errors ---- */

void crm__error_clear(crm_error *err);
/* Fill err (if not NULL) with status and a printf-style message; returns status. */
crm_status crm__fail(crm_error *err, crm_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* As crm__fail, naming the offending record. */
crm_status crm__fail_record(crm_error *err, crm_status status, int input, int64_t record, int field,
                            int reason, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;
/* Shorthand for the out-of-memory failure. */
crm_status crm__nomem(crm_error *err);

/* ---- configuration ---- */

typedef struct crm__rule {
    char *name;
    int32_t r_min, r_max, f_min, f_max, m_min, m_max;
} crm__rule;

struct crm_config {
    crm_allocator allocator;
    double opt[CRM__OPTION_COUNT]; /* every option as a double (ints are exact below 2^53) */
    int64_t as_of;                 /* valid when as_of_set */
    int as_of_set;
    double *cuts[3]; /* caller cut points per crm_dim, NULL = computed */
    size_t ncuts[3];
    crm__rule *rules; /* caller segment rules, NULL = default map */
    size_t nrules;
    crm_runner runner;        /* the caller's runner; run is NULL for the library's own */
    crm_progress_fn progress; /* the caller's progress callback, or NULL */
    void *progress_opaque;
    /* Models the caller gave to use instead of fitting (crm_config_set_model),
     * by crm_model_kind, as crm_model_save bytes: the core does not know models. */
    unsigned char *model_bytes[CRM__GIVEN_MODELS];
    size_t model_size[CRM__GIVEN_MODELS];
};

/* Report progress to the configuration's callback: non-zero when it asks
 * to stop (0 without a callback). */
static inline int crm__progress(const crm_config *c, int phase, int64_t done, int64_t total) {
    return c->progress ? c->progress(c->progress_opaque, phase, done, total) != 0 : 0;
}

/* Between the 3 stages of a whole analysis (crm_analyze, a nightly state's
 * result): report that done of them are finished and phase comes next;
 * CRM_STATUS_CANCELLED, with who in the message, when the callback asks to
 * stop (config.c). */
crm_status crm__report_stage(const crm_config *c, int phase, int64_t done, const char *who, crm_error *err);

/* Fill *c with every default and the given allocator (NULL: malloc/free).
 * Owns nothing, so a stack copy needs no free: used for NULL configurations. */
void crm__config_defaults(crm_config *c, const crm_allocator *allocator);
/* Name of an option, NULL for an unknown id (the table lives in config.c). */
const char *crm__option_name(int option);
/* What an option means, NULL for an unknown id. */
const char *crm__option_description(int option);
/* Option values, by id (no checks: ids are the library's own). */
static inline double crm__opt(const crm_config *c, crm_option o) { return c->opt[o]; }
static inline int64_t crm__opt_int(const crm_config *c, crm_option o) { return (int64_t)c->opt[o]; }
/* Options that must keep an order between them (key_share <= major_share,
 * ...): CRM_STATUS_BAD_OPTION naming the pair otherwise. */
crm_status crm__config_validate(const crm_config *c, crm_error *err);
/* Non-zero when two configurations give identical analyses (partitions). */
int crm__config_equal(const crm_config *a, const crm_config *b);
/* Keep a copy of a given model's bytes for kind (NULL/0: forget it). */
crm_status crm__config_set_model_bytes(crm_config *c, int kind, const void *bytes, size_t size,
                                       crm_error *err);
/* A digest of what crm__config_equal compares, the as-of apart (stored with
 * a population's bytes to catch loading under another configuration). */
uint64_t crm__config_digest(const crm_config *c);
/* Free what crm__config_copy_into allocated. */
void crm__config_release(crm_config *c);
/* Deep copy src into *dst using src's allocator. */
crm_status crm__config_copy_into(crm_config *dst, const crm_config *src, crm_error *err);

/* ---- reading the caller's strided columns ---- */

/* Element i of a column with a byte stride. memcpy, because a caller's
 * record layout (packed structs, numpy record arrays) need not keep the
 * element aligned; compilers turn it into a plain load. */
#define CRM__READ(type, name)                                                                                \
    static inline type name(const void *base, size_t stride, size_t i) {                                     \
        type v;                                                                                              \
        memcpy(&v, (const char *)base + i * stride, sizeof v);                                               \
        return v;                                                                                            \
    }
CRM__READ(uint64_t, crm__read_u64)
CRM__READ(int64_t, crm__read_i64)
CRM__READ(int32_t, crm__read_i32)
CRM__READ(double, crm__read_f64)
#undef CRM__READ

/* ---- calendar (core/calendar.c) ---- */

/* Day number of a proleptic Gregorian date, and back (any int64 range). */
int64_t crm__days_from_civil(int64_t y, int64_t m, int64_t d);
void crm__civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d);

/* ---- parallel work (core/parallel.c) ---- */

/* How many tasks a stage should make: the runner's workers, or the threads
 * option with the library's own threads, else 1. */
size_t crm__workers(const crm_config *c);
/* Run task(arg, i) for i in 0..count-1 with the configuration's runner; the
 * library's own runs them on up to `threads` threads, or in order on the
 * calling thread. Returns when every task has returned. */
void crm__parallel(const crm_config *c, size_t count, crm_task task, void *arg);
/* The [begin, end) share of part k of n items split into parts parts. */
static inline void crm__split(size_t n, size_t parts, size_t k, size_t *begin, size_t *end) {
    *begin = n / parts * k + (k < n % parts ? k : n % parts);
    *end = *begin + n / parts + (k < n % parts);
}

/* ---- days ---- */

/* floor(a / b) for b > 0. */
static inline int64_t crm__floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}
/* Day number of a time (already range-checked) in the day_offset calendar. */
static inline int32_t crm__day_of(int64_t time, int64_t day_offset) {
    return (int32_t)crm__floor_div(time + day_offset, 86400);
}

/* ---- sorting and order statistics ---- */

/* Sort n records of elem bytes whose first 8 bytes are a uint64 customer id:
 * by id (an adaptive MSD radix sort), then each id's run by cmp (which must
 * order by id first). O(n) plus the runs' sorts; n + 1 elements of scratch.
 * CRM_STATUS_NO_MEMORY on failure. */
crm_status crm__sort_by_id(const crm_allocator *a, void *data, size_t n, size_t elem,
                           int (*cmp)(const void *, const void *));
/* The same with the caller's scratch: buf holds n + 1 elements, count
 * CRM__SORT_COUNTERS counters. Cannot fail. */
#define CRM__SORT_DIGIT_BITS 11
#define CRM__SORT_COUNTERS   ((64 / CRM__SORT_DIGIT_BITS + 2) * (2 * ((size_t)1 << CRM__SORT_DIGIT_BITS) + 1))
void crm__sort_by_id_with(void *data, size_t n, size_t elem, int (*cmp)(const void *, const void *),
                          void *buf, size_t *count);

/* A key with a payload: what the keyed radix sort orders. */
typedef struct crm__kv {
    uint64_t key;
    uint64_t val;
} crm__kv;
/* Stable LSD radix sort of n pairs on the low `bits` bits of their keys, one
 * byte per pass, skipping the bytes every key shares. tmp holds n pairs.
 * Returns whichever of a and tmp holds the result. O(n * bits / 8). */
crm__kv *crm__radix_sort_kv(crm__kv *a, crm__kv *tmp, size_t n, unsigned bits);

/* Median of n doubles (reorders v); NaN for n = 0. For even n the mean of
 * the two middle values. O(n log n) worst case. */
double crm__median(double *v, size_t n);

/* ---- the segment map (core/segment_map.c) ---- */

/* Build the k^3 cell table, index ((r-1)*k + (f-1))*k + (m-1), of segment
 * values: 1 + rule index for a rule table, crm_segment values for the default
 * map (rules NULL). Validates coverage and overlaps, naming offending cells.
 * *table is allocated with a and owned by the caller. */
crm_status crm__segment_table(const crm_allocator *a, const crm__rule *rules, size_t nrules, int k,
                              int32_t **table, crm_error *err);
/* Default segment of scores on a 1..k scale (DOMAIN section 3). */
int32_t crm__default_segment(int r, int f, int m, int k);
/* A score on the 1..k scale rescaled to 1..5: 1 + floor(4(s-1)/(k-1) + 1/2). */
int crm__rescale5(int s, int k);

#endif /* CRM_CORE_CORE_H */

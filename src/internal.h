/* internal.h - declarations shared by the library's source files (not installed).
 *
 * Internal names use the prefix crm__ (two underscores) so they can never
 * clash with the public crm_ names; none of them is exported. */
#ifndef CRM_INTERNAL_H
#define CRM_INTERNAL_H

#include "crmkit.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

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
/* Ensure room for len + extra elements. CRM_OK or CRM_E_NO_MEMORY. */
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
    double opt[CRM_OPTION_COUNT]; /* every option as a double (ints are exact below 2^53) */
    int64_t as_of;                /* valid when as_of_set */
    int as_of_set;
    double *cuts[3]; /* caller cut points per crm_rfm_dim, NULL = computed */
    size_t ncuts[3];
    crm__rule *rules; /* caller segment rules, NULL = default map */
    size_t nrules;
};

/* Fill *c with every default and the given allocator (NULL: malloc/free).
 * Owns nothing, so a stack copy needs no free: used for NULL configurations. */
void crm__config_defaults(crm_config *c, const crm_allocator *allocator);
/* Option values, by id (no checks: ids are the library's own). */
static inline double crm__opt(const crm_config *c, crm_option o) { return c->opt[o]; }
static inline int64_t crm__opt_int(const crm_config *c, crm_option o) { return (int64_t)c->opt[o]; }
/* Non-zero when two configurations give identical analyses (partitions). */
int crm__config_equal(const crm_config *a, const crm_config *b);
/* Free what crm__config_copy_into allocated. */
void crm__config_release(crm_config *c);
/* Deep copy src into *dst using src's allocator. */
crm_status crm__config_copy_into(crm_config *dst, const crm_config *src, crm_error *err);

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

/* Median of n doubles (reorders v); NaN for n = 0. For even n the mean of
 * the two middle values. O(n log n) worst case. */
double crm__median(double *v, size_t n);

/* ---- models (model.c and friends) ---- */

/* Fit one model kind, reading the fitting options from c. See crm_model_fit. */
crm_status crm__model_fit(const crm_config *c, int kind, const crm_model_data *data, crm_model **out,
                          crm_error *err);

#endif /* CRM_INTERNAL_H */

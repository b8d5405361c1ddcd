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
#include <string.h>

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
/* Options that must keep an order between them (key_share <= major_share,
 * ...): CRM_E_BAD_OPTION naming the pair otherwise. */
crm_status crm__config_validate(const crm_config *c, crm_error *err);
/* Non-zero when two configurations give identical analyses (partitions). */
int crm__config_equal(const crm_config *a, const crm_config *b);
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
 * by id (radix), then each id's run by cmp (which must order by id first).
 * O(n) plus the runs' sorts; n elements of scratch. CRM_E_NO_MEMORY on failure. */
crm_status crm__sort_by_id(const crm_allocator *a, void *data, size_t n, size_t elem,
                           int (*cmp)(const void *, const void *));

/* Median of n doubles (reorders v); NaN for n = 0. For even n the mean of
 * the two middle values. O(n log n) worst case. */
double crm__median(double *v, size_t n);

/* ---- segments (segment.c) ---- */

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

/* ---- per-customer facts (summary.c) ---- */

/* Transaction facts of one customer at one as-of day. */
typedef struct crm__facts {
    int32_t first_day, last_day; /* CRM_NO_DAY without a purchase day */
    int32_t prev_day;            /* the purchase day before last_day, or CRM_NO_DAY */
    int64_t purchase_days;       /* distinct days with a purchase */
    int64_t purchase_records;    /* records with amount >= 0 */
    int64_t returns_count;
    double gross, returns_amount, monetary;
    double median_interval; /* NaN below two purchase days */
    int64_t recent_days, prior_days;
    double recent_amount, prior_amount;
    int64_t days_lookback; /* purchase days within complaint_lookback_days (health) */
    double repeat_spend;   /* mean net spend per repeat purchase day (models) */
} crm__facts;

/* Interaction facts of one customer at one as-of time. */
typedef struct crm__ifacts {
    int64_t records; /* accepted interaction records up to the as-of time */
    int32_t last_call, last_visit, last_inbound, last_outbound; /* days, CRM_NO_DAY if none */
    int64_t complaints;                                         /* opened within complaint_lookback_days */
    int64_t open_complaints; /* without resolution by the as-of time, any age */
    int64_t sla_breaches;    /* complaints of the lookback breaching any SLA */
    int64_t referrals;       /* up to the as-of time */
    double last_survey;      /* latest survey score, NaN if none */
    int64_t recent_engagement, prior_engagement;
    int64_t lookback_interactions; /* interactions of any kind within engagement_lookback_days */
    int unsubscribed;
    int advocacy; /* a referral or a survey >= advocate_survey_min within advocate_lookback_days */
    int32_t last_resolution_day; /* day of the latest complaint resolution, CRM_NO_DAY if none */
    double median_response_hours;
    /* complaint-handling tallies over complaints opened within the lookback */
    int64_t sla_ok, sla_base, resolved_ok, resolved_base, follow_ok, follow_base;
} crm__ifacts;

typedef struct crm__customer {
    uint64_t id;
    crm__facts now, prev; /* at the as-of day and at as-of day - W */
    crm__ifacts inow;
    int has_tx, has_ix; /* any accepted record of each input by the as-of time */
    int prev_any;       /* any record by the previous as-of day */
    int prev_advocacy;  /* advocacy condition at the previous as-of day */
} crm__customer;

struct crm_summary {
    crm_allocator allocator;
    crm_config config; /* deep copy */
    int64_t as_of;     /* seconds */
    int32_t as_of_day;
    int has_interactions;     /* the caller supplied interaction records (a non-empty view) */
    crm__customer *customers; /* sorted by id */
    size_t ncustomers;
    int64_t records[3][CRM_FATE_COUNT]; /* [crm_input][crm_fate] */
    int64_t totals[3];
    crm__vec response_hours; /* double: first-response hours of the lookback's answered complaints */
};

/* ---- interactions (interactions.c) ---- */

/* An accepted interaction record, in the order customer, time, kind, ref, value. */
typedef struct crm__ixrec {
    uint64_t id;
    int64_t time;
    double value;
    uint64_t ref;
    int32_t kind;
    int32_t day;
    int64_t index; /* position in the caller's view, for error reports */
    /* complaints only: times of the earliest response, resolution and
     * follow-up referring to it, INT64_MIN when none came by the as-of time */
    int64_t response, resolution, follow_up;
} crm__ixrec;

/* Validate, sort and link the interactions of a view (see crm_fate). Counts
 * every record's fate into counts. Under strict validation returns
 * CRM_E_BAD_RECORD for the bad record with the smallest index. On success
 * *out (allocated with c's allocator) holds the accepted records sorted by
 * (customer, time, kind, ref, value). */
crm_status crm__ix_prepare(const crm_config *c, const crm_interactions *v, int64_t as_of, crm__ixrec **out,
                           size_t *n, int64_t counts[CRM_FATE_COUNT], crm_error *err);
/* Interaction facts of one customer's sorted records at as_of. Appends the
 * first-response hours of the lookback's answered complaints to hours (may be
 * NULL). */
crm_status crm__ix_facts(const crm_config *c, int64_t as_of, const crm__ixrec *r, size_t n, crm__ifacts *f,
                         const crm_allocator *a, crm__vec *hours);
/* Empty interaction facts (no records). */
void crm__ix_none(crm__ifacts *f);
/* The advocacy condition (a referral, or a survey >= advocate_survey_min, within
 * advocate_lookback_days of as_of_day) over records with day <= as_of_day. */
int crm__ix_advocacy(const crm_config *c, int32_t as_of_day, const crm__ixrec *r, size_t n);

/* A hash of a summary's content: crm_score accepts only summaries whose
 * fingerprint was added to the population. */
uint64_t crm__summary_fingerprint(const crm_summary *s);

/* ---- population statistics (population.c) ---- */

/* A value with its customer id: ranks use the value, ntiles break ties by id. */
typedef struct crm__pair {
    double value;
    uint64_t id;
} crm__pair;

/* Sorted ascending by (value, id); larger values are better. */
typedef struct crm__ranked {
    crm__pair *v;
    size_t n;
} crm__ranked;

struct crm_population {
    crm_allocator allocator;
    crm_config config; /* deep copy */
    int finished;
    int have_as_of;
    int64_t as_of;
    int has_interactions; /* a summary had interaction records */
    size_t customers;     /* over every partition */
    /* gathered from the scored customers of every partition (crm__pair) */
    crm__vec r, f, m, activity, engagement;
    crm__vec intervals, prev_intervals; /* double: repeat customers' median intervals */
    crm__vec ids;                       /* uint64_t: every customer, to catch duplicates */
    crm__vec added;                     /* uint64_t: fingerprints of the summaries added */
    crm__vec mx, mtx, mT, mspend;       /* double: model inputs of the scored customers */
    /* finished statistics */
    crm__ranked rr, rf, rm, ractivity, rengagement; /* r holds -recency: larger is better */
    double *positive_above;                         /* [i]: sum of positive monetary of rm.v[i..n) */
    double expected_interval, prev_expected_interval;
    double cuts[3][9];    /* t_2..t_k per crm_rfm_dim, in "larger is better" space */
    int32_t *segments;    /* k^3 cell table */
    crm_model *models[5]; /* by crm_model_kind */
};

/* Values < v, and values <= v, in a ranked column. O(log n). */
size_t crm__count_below(const crm__ranked *c, double v);
size_t crm__count_at_most(const crm__ranked *c, double v);
/* 0-based position of (v, id) in the column's order. O(log n). */
size_t crm__position(const crm__ranked *c, double v, uint64_t id);

/* Value of RFM dimension dim for a customer, "larger is better" (R: -recency). */
double crm__dim_value(const crm_config *c, const crm__customer *cu, int32_t as_of_day, int dim);

/* Customer value (valuation.c): fit the models the configuration enables;
 * list the model columns a result gets (returns how many, written to
 * columns); fill those columns for a summary's rows. */
crm_status crm__population_models(crm_population *p, crm_error *err);
size_t crm__valuation_columns(const crm_population *p, int *columns);
crm_status crm__valuation_rows(const crm_population *p, const crm_summary *s, crm_result *r, crm_error *err);

/* ---- RFM (rfm.c) ---- */

/* Score 1..k of value v (larger is better) of customer id in dimension dim. */
int crm__rfm_score(const crm_population *p, int dim, double v, uint64_t id);
/* Fill p->cuts from the population (or copy the caller's). */
crm_status crm__rfm_cut_points(crm_population *p, crm_error *err);

/* ---- signals: tiers.c, lifecycle.c, flags.c, health.c, contact.c ---- */

int32_t crm__value_tier(const crm_population *p, double monetary);
int32_t crm__contribution_band(const crm_population *p, double monetary);
int32_t crm__tenure_band(const crm_config *c, int64_t tenure_days);
int32_t crm__value_class(const crm_config *c, int r, int f, int m);
/* Own median interval, or the population's for a single purchase day; NaN without one. */
double crm__expected_interval(const crm__facts *f, double population_e);
/* Lifecycle stage of facts f at day (see DOMAIN 5). */
int32_t crm__stage(const crm_config *c, const crm__facts *f, int advocacy, double e, int32_t day);
int64_t crm__flags(const crm_config *c, const crm__customer *cu, int32_t day, double e, int32_t tier,
                   int32_t next_call_due);
int32_t crm__risk_level(const crm_config *c, int32_t stage, int64_t flags, double p_alive);
double crm__health(const crm_population *p, const crm__customer *cu, int32_t day);
int32_t crm__health_band(const crm_config *c, double score);
/* Next call (visit = 0) or visit (visit = 1) due day, CRM_NO_DAY when none. */
int32_t crm__next_due(const crm_config *c, const crm__customer *cu, int32_t tier, int visit);

/* ---- result table (result.c) ---- */

typedef struct crm__group {
    size_t nvalues; /* values 0..nvalues-1 (bits for churn_flags) */
    int64_t *count;
    double *revenue;
} crm__group;

struct crm_result {
    crm_allocator allocator;
    size_t rows;
    void *columns[CRM_COLUMN_COUNT]; /* NULL when absent */
    int64_t as_of;
    int32_t as_of_day;
    int k;
    int have_cuts;
    double cuts[3][9]; /* in the caller's form (R as recency) */
    int64_t records[3][CRM_FATE_COUNT];
    int64_t totals[3];
    char **segment_names; /* caller rule names, index = segment value - 1 */
    size_t nsegment_names;
    crm__group groups[CRM_COLUMN_COUNT];
    double metrics[CRM_METRIC_COUNT];
    crm_model *models[5];
};

/* Allocate a result with rows rows and the listed columns (zeroed). */
crm_status crm__result_create(const crm_allocator *a, size_t rows, const int *columns, size_t ncolumns,
                              crm_result **out, crm_error *err);
/* Tally the groups of every enumeration column present, weighting revenue by monetary. */
crm_status crm__result_groups(crm_result *r, size_t nsegments, crm_error *err);

/* ---- models (model.c and friends) ---- */

/* Fit one model kind, reading the fitting options from c. See crm_model_fit. */
crm_status crm__model_fit(const crm_config *c, int kind, const crm_model_data *data, crm_model **out,
                          crm_error *err);

#endif /* CRM_INTERNAL_H */

/* population/population.h - population statistics over every partition: ranked columns,
 * cut points, shares, median intervals.
 * Internal (not installed): names use the prefix crm__. */
#ifndef CRM_POPULATION_POPULATION_H
#define CRM_POPULATION_POPULATION_H

#include "models/valuation.h"
#include "summary/summary.h"

/* ---- population statistics (population/) ---- */

/* A value with its customer id: ranks use the value, ntiles break ties by
 * id. Kept as the value's order key (an unsigned integer with the numeric
 * order of the double), so the keyed radix sort orders pairs directly. */
typedef crm__kv crm__pair; /* key: crm__order_key(value); val: customer id */

static inline uint64_t crm__order_key(double v) {
    uint64_t b;
    if (v == 0) v = 0; /* -0.0 and +0.0 share a key */
    memcpy(&b, &v, sizeof b);
    return (b >> 63) ? ~b : b | (UINT64_C(1) << 63);
}
static inline double crm__pair_value(const crm__pair *p) {
    uint64_t b = (p->key >> 63) ? p->key & ~(UINT64_C(1) << 63) : ~p->key;
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}
static inline crm__pair crm__pair_of(double value, uint64_t id) {
    crm__pair p;
    p.key = crm__order_key(value);
    p.val = id;
    return p;
}

/* Sorted ascending by (value, id); larger values are better. The distinct
 * values with the count of values below each are what look-ups search. */
typedef struct crm__ranked {
    crm__pair *v; /* borrowed from the population's gathered column */
    size_t n;
    double *distinct; /* ndistinct values, ascending */
    size_t *below;    /* [j]: values < distinct[j]; below[ndistinct] = n */
    size_t ndistinct;
} crm__ranked;

/* Where a value stands in a ranked column: how many values lie strictly
 * below it and how many at or below it. */
typedef struct crm__standing {
    size_t below, at_most;
} crm__standing;

struct crm_population {
    crm_allocator allocator;
    crm_config config; /* deep copy */
    int finished;
    int have_as_of;
    int64_t as_of;
    int has_interactions; /* a summary had interaction records */
    int has_contacts;     /* a summary had an outbound call or visit */
    int has_cost;         /* a summary had a cost column: profit is known */
    size_t customers;     /* over every partition */
    /* gathered from the scored customers of every partition (crm__pair) */
    crm__vec r, f, m, activity, engagement;
    crm__vec profit; /* crm__pair: profit of the scored customers whose summary had costs */
    crm__vec intervals, prev_intervals; /* double: repeat customers' median intervals */
    crm__vec ids;                       /* uint64_t: every customer, to catch duplicates */
    crm__vec added;                     /* uint64_t: fingerprints of the summaries added */
    crm__vec model_inputs;              /* crm__model_input of the scored customers */
    /* finished statistics */
    crm__ranked rr, rf, rm, ractivity, rengagement; /* r holds -recency: larger is better */
    crm__ranked rprofit;
    double *positive_above; /* [i]: sum of positive monetary of rm.v[i..n) */
    double expected_interval, prev_expected_interval;
    double cuts[3][9];    /* t_2..t_k per crm_dim, in "larger is better" space */
    int32_t *segments;    /* k^3 cell table */
    crm_model *models[5]; /* by crm_model_kind */
};

/* The ranked column of an RFM dimension. */
static inline const crm__ranked *crm__rfm_column(const crm_population *p, int dim) {
    return dim == CRM_DIM_R ? &p->rr : dim == CRM_DIM_F ? &p->rf : &p->rm;
}

/* Rank look-ups (population/rank.c). crm__stand: O(log distinct values).
 * crm__position: 0-based position of (v, id) in the column's order, given
 * v's standing; O(log ties). */
crm__standing crm__stand(const crm__ranked *c, double v);
/* The standings of n values at once (one sort and one walk instead of n
 * searches: for columns with many distinct values). When by_at_most is not
 * NULL, picked[i] receives by_at_most[out[i].at_most] (read in order, not at
 * random). CRM_STATUS_NO_MEMORY. */
crm_status crm__stand_all(const crm_allocator *a, const crm__ranked *c, const double *values, size_t n,
                          crm__standing *out, const double *by_at_most, double *picked);
/* Sort pairs by (value, id): radix, stable; CRM_STATUS_NO_MEMORY. The _with
 * form takes a buffer of n pairs and cannot fail. */
crm_status crm__sort_pairs(const crm_allocator *a, crm__pair *v, size_t n);
void crm__sort_pairs_with(crm__pair *v, size_t n, crm__pair *buf);
size_t crm__position(const crm__ranked *c, crm__standing s, uint64_t id);

/* Value of RFM dimension dim for a customer, "larger is better" (R: -recency). */
double crm__dim_value(const crm_config *c, const crm__customer *cu, int32_t as_of_day, int dim);

/* Sort n gathered columns of crm__pair into ranked columns, as tasks
 * (population/rank.c); CRM_STATUS_NO_MEMORY. out[k] keeps pointing into v[k]. */
crm_status crm__rank_all(const crm_config *c, crm__vec *const *v, crm__ranked *const *out, size_t n);
void crm__ranked_free(const crm_allocator *a, crm__ranked *c);

/* Fill p->cuts from the ranked columns, or copy the caller's (population/cut_points.c). */
crm_status crm__rfm_cut_points(crm_population *p, crm_error *err);

#endif /* CRM_POPULATION_POPULATION_H */

/* population.c - statistics over every partition of the customer base:
 * sorted value columns for ranks and ntiles, tier shares, the population
 * expected interval, cut points, the segment table and fitted models.
 *
 * Every statistic is a function of the multiset of customers, never of the
 * order partitions were added in: columns are sorted by (value, id) and sums
 * run in that order, so a partitioned analysis equals a single one. */
#include "population/population.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_u64(const void *pa, const void *pb) {
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

crm_status crm_population_create(const crm_config *config, crm_population **out, crm_error *err) {
    crm__error_clear(err);
    if (!out) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_population_create: out is NULL");
    *out = NULL;
    crm_config defaults;
    if (!config) {
        crm__config_defaults(&defaults, NULL);
        config = &defaults;
    }
    crm_status vst = crm__config_validate(config, err);
    if (vst != CRM_STATUS_OK) return vst;
    crm_population *p = crm__calloc(&config->allocator, 1, sizeof *p);
    if (!p) return crm__nomem(err);
    p->allocator = config->allocator;
    crm_status st = crm__config_copy_into(&p->config, config, err);
    if (st != CRM_STATUS_OK) {
        crm__free(&config->allocator, p);
        return st;
    }
    crm__vec_init(&p->r, sizeof(crm__pair));
    crm__vec_init(&p->f, sizeof(crm__pair));
    crm__vec_init(&p->m, sizeof(crm__pair));
    crm__vec_init(&p->activity, sizeof(crm__pair));
    crm__vec_init(&p->engagement, sizeof(crm__pair));
    crm__vec_init(&p->profit, sizeof(crm__pair));
    crm__vec_init(&p->intervals, sizeof(double));
    crm__vec_init(&p->prev_intervals, sizeof(double));
    crm__vec_init(&p->ids, sizeof(uint64_t));
    crm__vec_init(&p->added, sizeof(uint64_t));
    crm__vec_init(&p->model_inputs, sizeof(crm__model_input));
    *out = p;
    return CRM_STATUS_OK;
}

void crm_population_free(crm_population *p) {
    if (!p) return;
    crm_allocator a = p->allocator;
    crm__vec *vecs[] = {&p->r,
                        &p->f,
                        &p->m,
                        &p->activity,
                        &p->engagement,
                        &p->intervals,
                        &p->prev_intervals,
                        &p->ids,
                        &p->added,
                        &p->model_inputs,
                        &p->profit};
    for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++) crm__vec_free(&a, vecs[i]);
    crm__free(&a, p->positive_above);
    crm__free(&a, p->segments);
    crm__ranked *ranked[6] = {&p->rr, &p->rf, &p->rm, &p->ractivity, &p->rengagement, &p->rprofit};
    for (int k = 0; k < 6; k++) crm__ranked_free(&a, ranked[k]);
    for (int k = 0; k < 5; k++) crm_model_free(p->models[k]);
    crm__config_release(&p->config);
    crm__free(&a, p);
}

/* Value of dimension dim for a customer, in "larger is better" space. */
double crm__dim_value(const crm_config *c, const crm__customer *cu, int32_t as_of_day, int dim) {
    switch (dim) {
    case CRM_DIM_R: return -(double)(as_of_day - cu->now.last_day);
    case CRM_DIM_F:
        return (double)(crm__opt_int(c, CRM_OPTION_FREQUENCY_BASIS) == CRM_FREQUENCY_RECORDS
                            ? cu->now.purchase_records
                            : cu->now.purchase_days);
    default: return cu->now.monetary;
    }
}

/* Where the next element of a reserved vector goes (NULL while it has no room). */
static void *tail(crm__vec *v) { return v->data ? (char *)v->data + v->len * v->elem : NULL; }

crm_status crm_population_add(crm_population *p, const crm_summary *s, crm_error *err) {
    crm__error_clear(err);
    if (!p || !s) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_population_add: NULL argument");
    if (p->finished)
        return crm__fail(err, CRM_STATUS_STATE, "crm_population_add: the population is already finished");
    if (p->have_as_of && p->as_of != s->as_of)
        return crm__fail(err, CRM_STATUS_MISMATCH,
                         "partitions have different as-of times (%lld and %lld): set the as_of option",
                         (long long)p->as_of, (long long)s->as_of);
    crm_config cs = s->config, cp = p->config;
    cs.as_of_set = cp.as_of_set = 0; /* the as-of is compared above, defaulted or not */
    if (!crm__config_equal(&cs, &cp))
        return crm__fail(err, CRM_STATUS_MISMATCH, "the summary was made with a different configuration");
    const crm_allocator *a = &p->allocator;
    const crm_config *c = &p->config;
    double unit = crm__opt(c, CRM_OPTION_TIME_UNIT_DAYS);
    /* Model inputs only when a model will be fitted on them. */
    int models =
        crm__opt_int(c, CRM_OPTION_MODEL) != CRM_MODEL_KIND_NONE || crm__opt_int(c, CRM_OPTION_SPEND_MODEL);
    crm__vec *cols[] = {&p->r, &p->f, &p->m, &p->activity, &p->engagement, &p->profit, &p->model_inputs};
    size_t scored = 0;
    for (size_t i = 0; i < s->ncustomers; i++) scored += s->customers[i].now.purchase_days > 0;
    for (size_t i = 0; i < sizeof cols / sizeof cols[0] - !models; i++)
        if (crm__vec_reserve(a, cols[i], scored) != CRM_STATUS_OK) return crm__nomem(err);
    if (crm__vec_reserve(a, &p->ids, s->ncustomers) != CRM_STATUS_OK ||
        crm__vec_reserve(a, &p->intervals, scored) != CRM_STATUS_OK ||
        crm__vec_reserve(a, &p->prev_intervals, s->ncustomers) != CRM_STATUS_OK ||
        crm__vec_reserve(a, &p->added, 1) != CRM_STATUS_OK)
        return crm__nomem(err);
    /* Everything is reserved: append in place. */
    uint64_t *ids = tail(&p->ids);
    double *intervals = tail(&p->intervals), *prev_intervals = tail(&p->prev_intervals);
    crm__pair *r = tail(&p->r), *f = tail(&p->f), *m = tail(&p->m), *activity = tail(&p->activity),
              *engagement = tail(&p->engagement), *profit = tail(&p->profit);
    crm__model_input *mi = tail(&p->model_inputs);
    size_t ni = 0, npi = 0, ns = 0, np = 0;
    for (size_t i = 0; i < s->ncustomers; i++) {
        const crm__customer *cu = &s->customers[i];
        ids[i] = cu->id;
        if (cu->prev.purchase_days > 1) prev_intervals[npi++] = cu->prev.median_interval;
        if (cu->now.purchase_days == 0) continue;
        if (cu->now.purchase_days > 1) intervals[ni++] = cu->now.median_interval;
        r[ns] = crm__pair_of(crm__dim_value(c, cu, s->as_of_day, CRM_DIM_R), cu->id);
        f[ns] = crm__pair_of(crm__dim_value(c, cu, s->as_of_day, CRM_DIM_F), cu->id);
        m[ns] = crm__pair_of(crm__dim_value(c, cu, s->as_of_day, CRM_DIM_M), cu->id);
        activity[ns] = crm__pair_of((double)cu->now.purchase_days, cu->id);
        engagement[ns] = crm__pair_of((double)cu->inow->lookback_interactions, cu->id);
        if (models) mi[ns] = crm__model_input_of(&cu->now, s->as_of_day, unit);
        if (s->has_cost) profit[np++] = crm__pair_of(crm__profit_of(c, cu, 1), cu->id);
        ns++;
    }
    p->ids.len += s->ncustomers;
    p->intervals.len += ni;
    p->prev_intervals.len += npi;
    p->r.len += ns;
    p->f.len += ns;
    p->m.len += ns;
    p->activity.len += ns;
    p->engagement.len += ns;
    p->profit.len += np;
    if (models) p->model_inputs.len += ns;
    uint64_t fingerprint = crm__summary_fingerprint(s);
    crm__vec_push(a, &p->added, &fingerprint);
    p->customers += s->ncustomers;
    p->have_as_of = 1;
    p->as_of = s->as_of;
    p->has_interactions |= s->has_interactions;
    p->has_contacts |= s->has_contacts;
    p->has_cost |= s->has_cost;
    return CRM_STATUS_OK;
}

static double median_of(crm__vec *v, double fallback) {
    return v->len ? crm__median(v->data, v->len) : fallback;
}

crm_status crm_population_finish(crm_population *p, crm_error *err) {
    crm__error_clear(err);
    if (!p) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_population_finish: population is NULL");
    if (p->finished) return crm__fail(err, CRM_STATUS_STATE, "crm_population_finish: already finished");
    if (!p->have_as_of)
        return crm__fail(err, CRM_STATUS_NO_DATA, "crm_population_finish: no summary was added");
    const crm_allocator *a = &p->allocator;
    const crm_config *c = &p->config;
    /* A finish that failed may be retried: drop what it had made. */
    crm__free(a, p->positive_above);
    crm__free(a, p->segments);
    p->positive_above = NULL;
    p->segments = NULL;
    for (int k = 0; k < 5; k++) {
        crm_model_free(p->models[k]);
        p->models[k] = NULL;
    }

    /* A customer in two partitions would be counted twice: refuse it. */
    uint64_t *ids = p->ids.data;
    int sorted = 1; /* one partition's ids come sorted */
    for (size_t i = 1; i < p->ids.len && sorted; i++) sorted = ids[i - 1] < ids[i];
    if (!sorted && crm__sort_by_id(a, ids, p->ids.len, sizeof *ids, cmp_u64) != CRM_STATUS_OK)
        return crm__nomem(err);
    for (size_t i = 1; i < p->ids.len; i++)
        if (ids[i] == ids[i - 1])
            return crm__fail(err, CRM_STATUS_MISMATCH,
                             "customer %llu appears in two partitions: partition by customer id",
                             (unsigned long long)ids[i]);

    crm__vec *gathered[6] = {&p->r, &p->f, &p->m, &p->activity, &p->engagement, &p->profit};
    crm__ranked *ranked[6] = {&p->rr, &p->rf, &p->rm, &p->ractivity, &p->rengagement, &p->rprofit};
    if (crm__rank_all(c, gathered, ranked, 6) != CRM_STATUS_OK) return crm__nomem(err);

    /* Suffix sums of positive monetary, summed from the top in sorted order. */
    size_t n = p->rm.n;
    p->positive_above = crm__calloc(a, n + 1, sizeof(double));
    if (!p->positive_above) return crm__nomem(err);
    for (size_t i = n; i-- > 0;)
        p->positive_above[i] =
            p->positive_above[i + 1] + (crm__pair_value(&p->rm.v[i]) > 0 ? crm__pair_value(&p->rm.v[i]) : 0);

    double fallback = crm__opt(c, CRM_OPTION_DEFAULT_INTERVAL_DAYS);
    p->expected_interval = median_of(&p->intervals, fallback);
    p->prev_expected_interval = median_of(&p->prev_intervals, fallback);

    crm_status st = crm__rfm_cut_points(p, err);
    if (st != CRM_STATUS_OK) return st;
    st = crm__segment_table(a, c->rules, c->nrules, (int)crm__opt_int(c, CRM_OPTION_RFM_BINS), &p->segments,
                            err);
    if (st != CRM_STATUS_OK) return st;
    st = crm__fit_models(c, p->model_inputs.data, p->model_inputs.len, p->models, err);
    if (st != CRM_STATUS_OK) return st;
    p->finished = 1;
    /* Scoring reads the distinct values, the suffix sums and the fitted
     * models: what only the finish needed goes now. The sorted pairs stay
     * only where ntile positions are looked up in them. */
    crm__vec *done[] = {&p->ids, &p->intervals, &p->prev_intervals, &p->model_inputs, &p->profit};
    p->rprofit.v = NULL;
    for (size_t k = 0; k < sizeof done / sizeof done[0]; k++) crm__vec_free(a, done[k]);
    if (crm__opt_int(c, CRM_OPTION_TIES) == CRM_TIES_SHARED)
        for (int k = 0; k < 5; k++) { /* profit never needs positions either */
            crm__vec_free(a, gathered[k]);
            ranked[k]->v = NULL; /* n stays: scores divide by it */
        }
    return CRM_STATUS_OK;
}

/* valuation.c - customer value from the fitted models (DOMAIN section 10):
 * fit the enabled models once on the whole population, then give each
 * customer P(alive), expected purchases, expected spend and CLV.
 *
 * Everything is invariant to the time unit: horizons and the discount rate
 * are configured in days and per year and converted to the model's unit
 * (crm__clv_terms_of, shared with crm_model_clv). */
#include "models/valuation.h"
#include "models/models.h"

#include <math.h>
#include <string.h>

/* A model data view over n crm__model_input rows (strided, no copy). */
static crm_model_data view_of(const crm__model_input *in, size_t n) {
    crm_model_data d;
    (void)crm_model_data_init(&d, NULL);
    d.count = n;
    d.x = &in->x;
    d.t_x = &in->t_x;
    d.T = &in->T;
    d.x_stride = d.t_x_stride = d.T_stride = sizeof *in;
    return d;
}

static int purchase_kind(const crm_config *c) { return (int)crm__opt_int(c, CRM_OPTION_MODEL); }

/* The model the caller gave for kind (crm_config_set_model), loaded into
 * *slot: 1 when there is one (st set), 0 when it is to be fitted. */
static int given_model(const crm_config *c, int kind, crm_model **slot, crm_status *st, crm_error *err) {
    if (c->model_size[kind] == 0) return 0;
    *st = crm_model_load(c, c->model_bytes[kind], c->model_size[kind], slot, err);
    if (*st != CRM_STATUS_OK) return 1;
    const double unit = crm__opt(c, CRM_OPTION_TIME_UNIT_DAYS), given = crm_model_time_unit_days(*slot);
    if (!isnan(given) && given != unit) { /* NaN: fitted on the caller's rows, unit not known */
        crm_model_free(*slot);
        *slot = NULL;
        *st = crm__fail(
            err, CRM_STATUS_MISMATCH,
            "the %s model given (or kept by a nightly state) was fitted with time_unit_days %g, the "
            "analysis uses %g",
            crm_enum_name(CRM_ENUM_MODEL_KIND, kind), given, unit);
    }
    return 1;
}

/* Keep a model that could not be fitted (status and reason, NaN
 * parameters) when the failure is one of the data's, not the caller's. */
static crm_status fit_or_keep_reason(const crm_config *c, int kind, const crm_model_data *d, crm_model **slot,
                                     crm_error *err) {
    crm_status st = crm_model_fit(c, kind, d, slot, err);
    /* A fit that did not converge is kept and reported by its handle. */
    if (st == CRM_STATUS_OK || st == CRM_STATUS_NOT_CONVERGED) return CRM_STATUS_OK;
    if (st != CRM_STATUS_NOT_IDENTIFIED && st != CRM_STATUS_NUMERIC) return st;
    const char *why = err ? err->message : "the data cannot identify the model";
    if (crm__model_unfitted(c, kind, (int)st, why, slot) != CRM_STATUS_OK) return crm__nomem(err);
    return CRM_STATUS_OK;
}

crm_status crm__fit_models(const crm_config *c, const crm__model_input *in, size_t n,
                           crm_model *models[CRM__MODEL_SLOTS], crm_error *err) {
    int kind = purchase_kind(c);
    crm_error local;
    if (err == NULL) err = &local; /* the reason of a failed fit is kept in its model */
    /* Without a single purchase there is nothing to fit: no model columns. */
    if (n == 0) return CRM_STATUS_OK;
    crm_status given_st = CRM_STATUS_OK;
    if (kind != CRM_MODEL_KIND_NONE && given_model(c, kind, &models[kind], &given_st, err)) {
        if (given_st != CRM_STATUS_OK) return given_st;
    } else if (kind != CRM_MODEL_KIND_NONE) {
        crm_model_data d = view_of(in, n);
        crm_status st = fit_or_keep_reason(c, kind, &d, &models[kind], err);
        if (st != CRM_STATUS_OK) return st;
    }
    if (crm__opt_int(c, CRM_OPTION_SPEND_MODEL) &&
        given_model(c, CRM_MODEL_KIND_GAMMA_GAMMA, &models[CRM_MODEL_KIND_GAMMA_GAMMA], &given_st, err)) {
        if (given_st != CRM_STATUS_OK) return given_st;
    } else if (crm__opt_int(c, CRM_OPTION_SPEND_MODEL)) {
        /* Gamma-Gamma on the repeat customers with a positive mean spend. */
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            m += in[i].x > 0 && in[i].repeat_spend > 0 && isfinite(in[i].repeat_spend);
        if (m == 0) {
            if (crm__model_unfitted(c, CRM_MODEL_KIND_GAMMA_GAMMA, CRM_STATUS_NOT_IDENTIFIED,
                                    "Gamma-Gamma: no repeat customer with a positive net spend per repeat "
                                    "purchase day",
                                    &models[CRM_MODEL_KIND_GAMMA_GAMMA]) != CRM_STATUS_OK)
                return crm__nomem(err);
        } else {
            double *buf = crm__calloc(&c->allocator, 2 * m, sizeof *buf);
            if (!buf) return crm__nomem(err);
            double *gx = buf, *gm = buf + m;
            for (size_t i = 0, j = 0; i < n; i++)
                if (in[i].x > 0 && in[i].repeat_spend > 0 && isfinite(in[i].repeat_spend)) {
                    gx[j] = in[i].x;
                    gm[j++] = in[i].repeat_spend;
                }
            crm_model_data d;
            (void)crm_model_data_init(&d, NULL);
            d.x = gx;
            d.spend = gm;
            d.count = m;
            crm_status st = fit_or_keep_reason(c, CRM_MODEL_KIND_GAMMA_GAMMA, &d,
                                               &models[CRM_MODEL_KIND_GAMMA_GAMMA], err);
            crm__free(&c->allocator, buf);
            if (st != CRM_STATUS_OK) return st;
        }
    }
    /* The analysis knows the unit its summaries are in: the models keep it. */
    for (int k = 0; k < CRM__MODEL_SLOTS; k++)
        if (models[k]) models[k]->time_unit_days = crm__opt(c, CRM_OPTION_TIME_UNIT_DAYS);
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

int crm__has_purchase_model(const crm_config *c, crm_model *const models[CRM__MODEL_SLOTS]) {
    int kind = purchase_kind(c);
    return kind != CRM_MODEL_KIND_NONE && models[kind] != NULL;
}

int crm__has_spend_model(crm_model *const models[CRM__MODEL_SLOTS]) {
    return models[CRM_MODEL_KIND_GAMMA_GAMMA] != NULL;
}

/* The customers [0, n) of one part (value_customers below does every part). */
static crm_status value_part(const crm_config *c, crm_model *const models[CRM__MODEL_SLOTS],
                             const crm__model_input *in, size_t n, crm__value *out, crm_error *err) {
    const crm_allocator *a = &c->allocator;
    const crm_model *purchase = crm__has_purchase_model(c, models) ? models[purchase_kind(c)] : NULL;
    const crm_model *gg = models[CRM_MODEL_KIND_GAMMA_GAMMA];
    for (size_t i = 0; i < n; i++)
        out[i].p_alive = out[i].expected_purchases = out[i].expected_spend = out[i].clv = NAN;
    /* Models that could not be fitted keep their columns NaN (their handle says why). */
    if (purchase && !crm__model_usable(purchase)) purchase = NULL;
    int spend_on = crm__opt_int(c, CRM_OPTION_SPEND_MODEL) != 0;
    if (gg && !crm__model_usable(gg)) gg = NULL;
    if ((!purchase && !gg) || n == 0) return CRM_STATUS_OK;
    double *buf = crm__calloc(a, 4 * n, sizeof(double));
    if (!buf) return crm__nomem(err);
    double *result = buf, *sp = buf + n, *gx = buf + 2 * n, *gm = buf + 3 * n;
    crm_model_data d = view_of(in, n);
    crm_status st = CRM_STATUS_OK;
    /* Expected spend per purchase day: with spend_model, the Gamma-Gamma
     * conditional mean, NaN where it was not fitted or has no mean (q <= 1);
     * without it, the observed average spend (0 when not positive). */
    for (size_t i = 0; i < n; i++) sp[i] = spend_on ? NAN : (in[i].avg_spend > 0 ? in[i].avg_spend : 0);
    if (gg) {
        /* Gamma-Gamma conditions on a positive repeat spend; others get the population mean. */
        for (size_t i = 0; i < n; i++) {
            int conditioned = in[i].x > 0 && in[i].repeat_spend > 0;
            gx[i] = conditioned ? in[i].x : 0;
            gm[i] = conditioned ? in[i].repeat_spend : 0;
        }
        crm_model_data g;
        (void)crm_model_data_init(&g, NULL);
        g.x = gx;
        g.spend = gm;
        g.count = n;
        st = crm_model_expected_spend(gg, &g, result, err);
        for (size_t i = 0; st == CRM_STATUS_OK && i < n; i++) sp[i] = out[i].expected_spend = result[i];
    }
    if (st == CRM_STATUS_OK && purchase) st = crm_model_p_alive(purchase, &d, result, err);
    for (size_t i = 0; st == CRM_STATUS_OK && purchase && i < n; i++) out[i].p_alive = result[i];
    if (st == CRM_STATUS_OK && purchase)
        st = crm_model_expected_purchases(purchase, crm__clv_terms_of(c).horizon, &d, result, err);
    for (size_t i = 0; st == CRM_STATUS_OK && purchase && i < n; i++) out[i].expected_purchases = result[i];
    if (st == CRM_STATUS_OK && purchase) {
        /* Unknown spends as 0 here; their CLV is set to NaN below. */
        for (size_t i = 0; i < n; i++) gm[i] = isnan(sp[i]) ? 0 : sp[i];
        crm_model_data v = d;
        v.spend = gm;
        v.spend_stride = sizeof *gm;
        st = crm_model_clv(purchase, NULL, c, &v, result, err);
    }
    /* A spend that is not known leaves CLV unknown. */
    for (size_t i = 0; st == CRM_STATUS_OK && purchase && i < n; i++)
        out[i].clv = isnan(sp[i]) ? NAN : result[i];
    crm__free(a, buf);
    return st;
}

/* Every figure is a customer's own (the models' functions work row by row),
 * so the customers are valued in parts on the analysis's threads: the same
 * numbers, bit for bit, whatever the number of parts. */
typedef struct value_job {
    const crm_config *c;
    crm_model *const *models;
    const crm__model_input *in;
    crm__value *out;
    size_t n, parts;
    crm_status *status; /* [part] */
    crm_error *errors;  /* [part] */
} value_job;

static void value_task(void *arg, size_t part) {
    const value_job *job = arg;
    size_t b, e;
    crm__split(job->n, job->parts, part, &b, &e);
    job->status[part] =
        e > b ? value_part(job->c, job->models, job->in + b, e - b, job->out + b, &job->errors[part])
              : CRM_STATUS_OK;
}

crm_status crm__value_customers(const crm_config *c, crm_model *const models[CRM__MODEL_SLOTS],
                                const crm__model_input *in, size_t n, crm__value *out, crm_error *err) {
    const size_t workers = crm__workers(c);
    if (workers <= 1 || n < 256) return value_part(c, models, in, n, out, err); /* not worth a thread */
    value_job job = {c, models, in, out, n, workers, NULL, NULL};
    job.status = crm__calloc(&c->allocator, job.parts, sizeof *job.status);
    job.errors = crm__calloc(&c->allocator, job.parts, sizeof *job.errors);
    crm_status st = CRM_STATUS_OK;
    if (!job.status || !job.errors) {
        st = crm__nomem(err);
    } else {
        crm__parallel(c, job.parts, value_task, &job);
        for (size_t k = 0; k < job.parts && st == CRM_STATUS_OK; k++) /* the first part's failure */
            if (job.status[k] != CRM_STATUS_OK) {
                st = job.status[k];
                if (err) *err = job.errors[k];
            }
    }
    crm__free(&c->allocator, job.status);
    crm__free(&c->allocator, job.errors);
    return st;
}

crm_model *crm__model_clone(const crm_allocator *a, const crm_model *m) {
    crm_model *copy = crm__alloc(a, sizeof *copy);
    if (!copy) return NULL;
    *copy = *m;
    copy->allocator = *a;
    return copy;
}

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

crm_status crm__fit_models(const crm_config *c, const crm__model_input *in, size_t n,
                           crm_model *models[CRM__MODEL_SLOTS], crm_error *err) {
    int kind = purchase_kind(c);
    /* Without a single purchase there is nothing to fit: no model columns. */
    if (n == 0) return CRM_STATUS_OK;
    if (kind != CRM_MODEL_KIND_NONE) {
        crm_model_data d = view_of(in, n);
        crm_status st = crm_model_fit(c, kind, &d, &models[kind], err);
        /* A fit that did not converge is kept and reported by its handle. */
        if (st != CRM_STATUS_OK && st != CRM_STATUS_NOT_CONVERGED) return st;
    }
    if (crm__opt_int(c, CRM_OPTION_SPEND_MODEL)) {
        /* Gamma-Gamma on the repeat customers with a positive mean spend. */
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            m += in[i].x > 0 && in[i].repeat_spend > 0 && isfinite(in[i].repeat_spend);
        if (m > 0) {
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
            crm_status st =
                crm_model_fit(c, CRM_MODEL_KIND_GAMMA_GAMMA, &d, &models[CRM_MODEL_KIND_GAMMA_GAMMA], err);
            crm__free(&c->allocator, buf);
            if (st != CRM_STATUS_OK && st != CRM_STATUS_NOT_CONVERGED) return st;
        }
    }
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

crm_status crm__value_customers(const crm_config *c, crm_model *const models[CRM__MODEL_SLOTS],
                                const crm__model_input *in, size_t n, crm__value *out, crm_error *err) {
    const crm_allocator *a = &c->allocator;
    const crm_model *purchase = crm__has_purchase_model(c, models) ? models[purchase_kind(c)] : NULL;
    const crm_model *gg = models[CRM_MODEL_KIND_GAMMA_GAMMA];
    for (size_t i = 0; i < n; i++)
        out[i].p_alive = out[i].expected_purchases = out[i].expected_spend = out[i].clv = NAN;
    if ((!purchase && !gg) || n == 0) return CRM_STATUS_OK;
    double *buf = crm__calloc(a, 4 * n, sizeof(double));
    if (!buf) return crm__nomem(err);
    double *result = buf, *sp = buf + n, *gx = buf + 2 * n, *gm = buf + 3 * n;
    crm_model_data d = view_of(in, n);
    crm_status st = CRM_STATUS_OK;
    /* Expected spend per purchase day: the Gamma-Gamma conditional mean when
     * fitted; the observed average spend (0 when not positive) without it,
     * and where the model's mean does not exist (q <= 1 for a customer it
     * cannot condition on). */
    for (size_t i = 0; i < n; i++) sp[i] = in[i].avg_spend > 0 ? in[i].avg_spend : 0;
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
        for (size_t i = 0; st == CRM_STATUS_OK && i < n; i++) {
            if (isfinite(result[i])) sp[i] = result[i];
            out[i].expected_spend = sp[i];
        }
    }
    if (st == CRM_STATUS_OK && purchase) st = crm_model_p_alive(purchase, &d, result, err);
    for (size_t i = 0; st == CRM_STATUS_OK && purchase && i < n; i++) out[i].p_alive = result[i];
    if (st == CRM_STATUS_OK && purchase)
        st = crm_model_expected_purchases(purchase, crm__clv_terms_of(c).horizon, &d, result, err);
    for (size_t i = 0; st == CRM_STATUS_OK && purchase && i < n; i++) out[i].expected_purchases = result[i];
    if (st == CRM_STATUS_OK && purchase) {
        crm_model_data v = d;
        v.spend = sp;
        v.spend_stride = sizeof *sp;
        st = crm_model_clv(purchase, NULL, c, &v, result, err);
    }
    for (size_t i = 0; st == CRM_STATUS_OK && purchase && i < n; i++) out[i].clv = result[i];
    crm__free(a, buf);
    return st;
}

crm_model *crm__model_clone(const crm_allocator *a, const crm_model *m) {
    crm_model *copy = crm__alloc(a, sizeof *copy);
    if (!copy) return NULL;
    *copy = *m;
    copy->allocator = *a;
    return copy;
}

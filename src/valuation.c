/* valuation.c - customer value from the fitted models (DOMAIN section 10):
 * fit the enabled models once on the whole population, then give each
 * customer P(alive), expected purchases, expected spend and CLV.
 *
 * Everything is invariant to the time unit: horizons and the discount rate
 * are configured in days and per year and converted to the model's unit. */
#include "model_internal.h"

#include <math.h>
#include <string.h>

static crm_model_data view(const crm__vec *x, const crm__vec *tx, const crm__vec *T) {
    crm_model_data d;
    memset(&d, 0, sizeof d);
    d.x = x->data;
    d.t_x = tx->data;
    d.T = T->data;
    d.count = x->len;
    return d;
}

crm_status crm__population_models(crm_population *p, crm_error *err) {
    const crm_config *c = &p->config;
    int kind = (int)crm__opt_int(c, CRM_OPT_MODEL);
    int spend = crm__opt_int(c, CRM_OPT_SPEND_MODEL) != 0;
    /* Without a single purchase there is nothing to fit: no model columns. */
    if (p->mx.len == 0) return CRM_OK;
    if (kind != CRM_MODEL_NONE) {
        crm_model_data d = view(&p->mx, &p->mtx, &p->mT);
        crm_status st = crm_model_fit(c, kind, &d, &p->models[kind], err);
        /* A fit that did not converge is kept and reported by its handle. */
        if (st != CRM_OK && st != CRM_E_NOT_CONVERGED) return st;
    }
    if (spend) {
        /* Gamma-Gamma on the repeat customers with a positive mean spend. */
        const double *x = p->mx.data, *m = p->mspend.data;
        crm__vec gx, gm;
        crm__vec_init(&gx, sizeof(double));
        crm__vec_init(&gm, sizeof(double));
        crm_status st = CRM_OK;
        for (size_t i = 0; i < p->mx.len && st == CRM_OK; i++) {
            if (!(x[i] > 0 && m[i] > 0 && isfinite(m[i]))) continue;
            st = crm__vec_push(&p->allocator, &gx, &x[i]);
            if (st == CRM_OK) st = crm__vec_push(&p->allocator, &gm, &m[i]);
        }
        if (st != CRM_OK) {
            st = crm__nomem(err);
        } else if (gx.len > 0) {
            crm_model_data d;
            memset(&d, 0, sizeof d);
            d.x = gx.data;
            d.spend = gm.data;
            d.count = gx.len;
            st = crm_model_fit(c, CRM_MODEL_GAMMA_GAMMA, &d, &p->models[CRM_MODEL_GAMMA_GAMMA], err);
            if (st == CRM_E_NOT_CONVERGED) st = CRM_OK;
        }
        crm__vec_free(&p->allocator, &gx);
        crm__vec_free(&p->allocator, &gm);
        if (st != CRM_OK) return st;
    }
    crm__error_clear(err);
    return CRM_OK;
}

size_t crm__valuation_columns(const crm_population *p, int *columns) {
    size_t n = 0;
    int kind = (int)crm__opt_int(&p->config, CRM_OPT_MODEL);
    if (kind != CRM_MODEL_NONE && p->models[kind]) {
        columns[n++] = CRM_COL_P_ALIVE;
        columns[n++] = CRM_COL_EXPECTED_PURCHASES;
        columns[n++] = CRM_COL_CLV;
    }
    if (p->models[CRM_MODEL_GAMMA_GAMMA]) columns[n++] = CRM_COL_EXPECTED_SPEND;
    return n;
}

/* A copy owned by the result (models hold no pointers). */
static crm_status clone_model(const crm_allocator *a, const crm_model *m, crm_model **out) {
    *out = NULL;
    if (!m) return CRM_OK;
    crm_model *copy = crm__alloc(a, sizeof *copy);
    if (!copy) return CRM_E_NO_MEMORY;
    *copy = *m;
    copy->allocator = *a;
    *out = copy;
    return CRM_OK;
}

crm_status crm__valuation_rows(const crm_population *p, const crm_summary *s, crm_result *r, crm_error *err) {
    const crm_config *c = &p->config;
    const crm_allocator *a = &r->allocator;
    int kind = (int)crm__opt_int(c, CRM_OPT_MODEL);
    const crm_model *purchase = kind != CRM_MODEL_NONE ? p->models[kind] : NULL;
    const crm_model *gg = p->models[CRM_MODEL_GAMMA_GAMMA];
    for (int k = 0; k < 5; k++)
        if (clone_model(a, p->models[k], &r->models[k]) != CRM_OK) return crm__nomem(err);
    if (!purchase && !gg) return CRM_OK;

    double *alive = r->columns[CRM_COL_P_ALIVE], *expected = r->columns[CRM_COL_EXPECTED_PURCHASES],
           *clv = r->columns[CRM_COL_CLV], *espend = r->columns[CRM_COL_EXPECTED_SPEND];
    const double *x = r->columns[CRM_COL_X], *tx = r->columns[CRM_COL_T_X], *T = r->columns[CRM_COL_T],
                 *avg = r->columns[CRM_COL_AVG_SPEND];
    /* Model inputs of the scored rows, packed (prospects have none). */
    size_t n = 0;
    for (size_t i = 0; i < s->ncustomers; i++) n += s->customers[i].now.purchase_days > 0;
    double *buf = crm__calloc(a, 7 * (n + 1), sizeof(double));
    if (!buf) return crm__nomem(err);
    double *px = buf, *ptx = buf + (n + 1), *pT = buf + 2 * (n + 1), *pm = buf + 3 * (n + 1),
           *out = buf + 4 * (n + 1), *sp = buf + 5 * (n + 1), *gx = buf + 6 * (n + 1);
    size_t j = 0;
    for (size_t i = 0; i < s->ncustomers; i++) {
        const crm__facts *f = &s->customers[i].now;
        if (f->purchase_days == 0) continue;
        px[j] = x[i];
        ptx[j] = tx[i];
        pT[j] = T[i];
        /* Gamma-Gamma conditions on a positive repeat spend; others get the population mean. */
        pm[j] = (x[i] > 0 && f->repeat_spend > 0) ? f->repeat_spend : 0;
        j++;
    }
    crm_model_data d;
    memset(&d, 0, sizeof d);
    d.x = px;
    d.t_x = ptx;
    d.T = pT;
    d.count = n;
    crm_status st = CRM_OK;
    /* Expected spend per purchase day: the Gamma-Gamma conditional mean when
     * fitted; the observed average spend (0 when not positive) without it, and
     * where the model's mean does not exist (q <= 1 for a customer it cannot
     * condition on). */
    for (size_t i = 0, k = 0; i < s->ncustomers; i++)
        if (s->customers[i].now.purchase_days > 0) {
            sp[k] = avg[i] > 0 ? avg[i] : 0;
            k++;
        }
    if (gg) {
        crm_model_data g = d;
        for (size_t k = 0; k < n; k++) gx[k] = pm[k] > 0 ? px[k] : 0; /* x = 0: nothing to condition on */
        g.x = gx;
        g.spend = pm;
        st = crm_model_expected_spend(gg, &g, out, err);
        for (size_t k = 0; st == CRM_OK && k < n; k++)
            if (isfinite(out[k])) sp[k] = out[k];
    }
    double unit = crm__opt(c, CRM_OPT_TIME_UNIT_DAYS);
    double horizon_days = crm__opt(c, CRM_OPT_HORIZON_DAYS);
    double horizon = horizon_days / unit;
    /* Monthly steps, fixed in days so CLV does not depend on the unit. */
    int64_t steps = (int64_t)floor(horizon_days / (365.25 / 12.0) + 0.5);
    if (steps < 1) steps = 1;
    double rate = pow(1.0 + crm__opt(c, CRM_OPT_DISCOUNT_RATE), unit / 365.25) - 1.0;
    for (size_t i = 0; i < s->ncustomers; i++) {
        if (alive) alive[i] = NAN;
        if (expected) expected[i] = NAN;
        if (clv) clv[i] = NAN;
        if (espend) espend[i] = NAN;
    }
    if (st == CRM_OK && purchase) st = crm_model_p_alive(purchase, &d, out, err);
    for (size_t i = 0, k = 0; st == CRM_OK && purchase && i < s->ncustomers; i++)
        if (s->customers[i].now.purchase_days > 0) alive[i] = out[k++];
    if (st == CRM_OK && purchase) st = crm_model_expected_purchases(purchase, horizon, &d, out, err);
    for (size_t i = 0, k = 0; st == CRM_OK && purchase && i < s->ncustomers; i++)
        if (s->customers[i].now.purchase_days > 0) expected[i] = out[k++];
    if (st == CRM_OK && purchase) {
        crm_model_data v = d;
        v.spend = sp;
        st = crm_model_clv(purchase, NULL, &v, horizon, steps, rate, crm__opt(c, CRM_OPT_MARGIN), out, err);
    }
    for (size_t i = 0, k = 0; st == CRM_OK && i < s->ncustomers; i++) {
        if (s->customers[i].now.purchase_days == 0) continue;
        if (purchase) clv[i] = out[k];
        if (gg) espend[i] = sp[k];
        k++;
    }
    crm__free(a, buf);
    return st;
}

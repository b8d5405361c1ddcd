/* predict.c - what a model says of customers: per-row P(alive), expected
 * purchases and expected spend, the figures of a new customer, and customer
 * lifetime value with the analysis's convention (crm__clv_terms_of), which
 * is why the analysis's clv column and crm_model_clv agree. Every per-row
 * function checks the rows as fitting does (data.c) and names the first row
 * it cannot use or whose value is not finite. */
#include "models/models.h"
#include "models/special.h"

#include <math.h>

/* The failure of a call given a model of the wrong family. */
static crm_status wrong_kind(crm_error *err, int purchase) {
    if (purchase)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "a purchase model (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB) is needed");
    return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "a Gamma-Gamma model is needed");
}

/* Common checks of the per-row functions. purchase: 1 needs a purchase
 * model, 0 a Gamma-Gamma model. */
static crm_status check_predict(const crm_model *model, int purchase, const crm_model_data *data,
                                const double *out, unsigned need, crm_error *err) {
    if (model == NULL) {
        (void)crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model is NULL");
        return CRM_STATUS_INVALID_ARGUMENT;
    }
    int is_purchase = model->kind != CRM_MODEL_KIND_GAMMA_GAMMA;
    if (is_purchase != purchase) return wrong_kind(err, purchase);
    if (!crm__model_usable(model)) return crm__model_unusable(model, err);
    need |= crm__need_of_kind(model->kind);
    crm_status st = crm__model_check_columns(data, need, err);
    if (st != CRM_STATUS_OK) return st;
    if (data->count > 0 && out == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "out is NULL");
    return crm__model_check_rows(data, need, err);
}

/* Common checks of the figures of a new customer. */
static crm_status check_new(const crm_model *model, double t, const double *out, crm_error *err) {
    if (model == NULL || out == NULL)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model or out is NULL");
    if (model->kind == CRM_MODEL_KIND_GAMMA_GAMMA) return wrong_kind(err, 1);
    if (!crm__model_usable(model)) return crm__model_unusable(model, err);
    if (!(t >= 0) || !isfinite(t))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "t must be finite and >= 0");
    return CRM_STATUS_OK;
}

/* BG/BB counts opportunities: the horizon of a probability must be whole. */
static crm_status check_whole_horizon(const crm_model *model, double t, crm_error *err) {
    if (model->kind == CRM_MODEL_KIND_BGBB && t != floor(t))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "BG/BB: the horizon t must be a whole number of transaction opportunities");
    /* The probabilities sum over the opportunities: O(t) per value. */
    if (model->kind == CRM_MODEL_KIND_BGBB && t > CRM_MODEL_OPPORTUNITIES_MAX)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "BG/BB: the horizon t is above CRM_MODEL_OPPORTUNITIES_MAX (1e5) opportunities");
    return CRM_STATUS_OK;
}

static crm_status not_finite(crm_error *err, size_t i) {
    return crm__fail_record(err, CRM_STATUS_NUMERIC, CRM_INPUT_NONE, (int64_t)i, CRM_FIELD_NONE, 0,
                            "model row %lu: the prediction is not finite", (unsigned long)i);
}

/* One row of a purchase model's view. */
typedef struct purchase_row {
    double x, tx, T;
} purchase_row;

static purchase_row row_at(const crm_model_data *d, size_t i) {
    purchase_row r;
    r.x = crm__model_col(d->x, d->x_stride, i);
    r.tx = crm__model_col(d->t_x, d->t_x_stride, i);
    r.T = crm__model_col(d->T, d->T_stride, i);
    return r;
}

/* E[X(T, T+t) | x, t_x, T] = P(alive) E[X(T, T+t) | x, T, alive]. */
static double expected_row(const crm__model_ops *ops, const double *p, double t, double x, double tx,
                           double T) {
    if (t == 0) return 0;
    double pa = ops->p_alive(p, x, tx, T);
    return pa == 0 ? 0 : pa * ops->expected_alive(p, t, x, T);
}

/* P(alive) (expected = 0) or E[X(T, T+t)] (expected = 1) of every row of
 * checked data. */
static crm_status purchase_rows(const crm_model *model, const crm_model_data *data, int expected, double t,
                                double *out, crm_error *err) {
    const crm__model_ops *ops = crm__model_ops_of(model->kind);
    for (size_t i = 0; i < data->count; i++) {
        purchase_row r = row_at(data, i);
        double v = expected ? expected_row(ops, model->param, t, r.x, r.tx, r.T)
                            : ops->p_alive(model->param, r.x, r.tx, r.T);
        if (!isfinite(v)) return not_finite(err, i);
        out[i] = v;
    }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_p_alive(const crm_model *model, const crm_model_data *data, double *out,
                             crm_error *err) {
    crm_status st = check_predict(model, 1, data, out, CRM__NEED_X | CRM__NEED_TIMES, err);
    if (st != CRM_STATUS_OK) return st;
    return purchase_rows(model, data, 0, 0, out, err);
}

crm_status crm_model_expected_purchases(const crm_model *model, double t, const crm_model_data *data,
                                        double *out, crm_error *err) {
    crm_status st = check_predict(model, 1, data, out, CRM__NEED_X | CRM__NEED_TIMES, err);
    if (st != CRM_STATUS_OK) return st;
    if (!(t >= 0) || !isfinite(t))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "horizon t must be finite and >= 0");
    return purchase_rows(model, data, 1, t, out, err);
}

crm_status crm_model_expected_spend(const crm_model *model, const crm_model_data *data, double *out,
                                    crm_error *err) {
    crm_status st = check_predict(model, 0, data, out, CRM__NEED_X | CRM__NEED_SPEND, err);
    if (st != CRM_STATUS_OK) return st;
    for (size_t i = 0; i < data->count; i++) {
        double x = crm__model_col(data->x, data->x_stride, i);
        double m = x > 0 ? crm__model_col(data->spend, data->spend_stride, i) : 0;
        out[i] = crm__gg_expected_spend(model->param, x, m);
    }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_expected_purchases_new(const crm_model *model, double t, double *out, crm_error *err) {
    crm_status st = check_new(model, t, out, err);
    if (st != CRM_STATUS_OK) return st;
    /* A new customer: x = t_x = T = 0 (FHL 2005 eq. 7 is eq. 10 there). */
    double v = expected_row(crm__model_ops_of(model->kind), model->param, t, 0, 0, 0);
    if (!isfinite(v)) return crm__fail(err, CRM_STATUS_NUMERIC, "E[X(t)] is not finite");
    *out = v;
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_prob_purchases(const crm_model *model, double t, int64_t n, double *out,
                                    crm_error *err) {
    crm_status st = check_new(model, t, out, err);
    if (st != CRM_STATUS_OK) return st;
    if (n < 0) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "n must be >= 0");
    st = check_whole_horizon(model, t, err);
    if (st != CRM_STATUS_OK) return st;
    double v = crm__model_ops_of(model->kind)->prob(model->param, t, n);
    if (!isfinite(v)) return crm__fail(err, CRM_STATUS_NUMERIC, "P(X(t) = n) is not finite");
    *out = v < 0 ? 0 : v;
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

/* P(X(T, T+t) = n | x, t_x, T): alive at T (and then the posterior
 * population's P(X(t) = n)), or dead, which leaves n = 0. */
static double cond_prob_row(const crm__model_ops *ops, const double *p, double t, int64_t n, double x,
                            double tx, double T) {
    if (t == 0) return n == 0 ? 1 : 0;
    double pa = ops->p_alive(p, x, tx, T);
    double v = pa > 0 ? pa * ops->prob_alive(p, t, n, x, T) : 0;
    if (n == 0) v += 1 - pa;
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

crm_status crm_model_prob_purchases_conditional(const crm_model *model, double t, int64_t n,
                                                const crm_model_data *data, double *out, crm_error *err) {
    crm_status st = check_predict(model, 1, data, out, CRM__NEED_X | CRM__NEED_TIMES, err);
    if (st != CRM_STATUS_OK) return st;
    if (!(t >= 0) || !isfinite(t))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "horizon t must be finite and >= 0");
    if (n < 0) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "n must be >= 0");
    st = check_whole_horizon(model, t, err);
    if (st != CRM_STATUS_OK) return st;
    const crm__model_ops *ops = crm__model_ops_of(model->kind);
    for (size_t i = 0; i < data->count; i++) {
        purchase_row r = row_at(data, i);
        double v = cond_prob_row(ops, model->param, t, n, r.x, r.tx, r.T);
        if (!isfinite(v)) return not_finite(err, i);
        out[i] = v;
    }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

/* P(alive) (expected = 0) or E[X(T, T+t)] (expected = 1) over the grid
 * x_values x tx_values at T, row-major by x. */
static crm_status grid(const crm_model *model, int expected, double t, double T, const double *x_values,
                       size_t nx, const double *tx_values, size_t ntx, double *out, crm_error *err) {
    if (model == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model is NULL");
    if (model->kind == CRM_MODEL_KIND_GAMMA_GAMMA) return wrong_kind(err, 1);
    if (!crm__model_usable(model)) return crm__model_unusable(model, err);
    if ((nx > 0 && x_values == NULL) || (ntx > 0 && tx_values == NULL) || (nx > 0 && ntx > 0 && out == NULL))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "x_values, tx_values or out is NULL");
    if (!(T >= 0) || !isfinite(T))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "T must be finite and >= 0");
    if (expected && (!(t >= 0) || !isfinite(t)))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "horizon t must be finite and >= 0");
    for (size_t i = 0; i < nx; i++) {
        double x = x_values[i];
        if (!(x >= 0 && x <= CRM_MODEL_X_MAX) || x != floor(x))
            return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                             "x_values[%lu] must be a whole number in [0, CRM_MODEL_X_MAX]",
                             (unsigned long)i);
    }
    for (size_t j = 0; j < ntx; j++)
        if (!(tx_values[j] >= 0 && tx_values[j] <= T))
            return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "tx_values[%lu] must be in [0, T]",
                             (unsigned long)j);
    int discrete = model->kind == CRM_MODEL_KIND_BGBB;
    if (discrete && (T != floor(T) || T > CRM_MODEL_X_MAX))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "BG/BB: n (T) must be a whole number");
    for (size_t j = 0; discrete && j < ntx; j++)
        if (tx_values[j] != floor(tx_values[j]))
            return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "BG/BB: tx_values[%lu] must be a whole number",
                             (unsigned long)j);
    const crm__model_ops *ops = crm__model_ops_of(model->kind);
    for (size_t i = 0; i < nx; i++)
        for (size_t j = 0; j < ntx; j++) {
            double x = x_values[i], tx = tx_values[j], v;
            if ((x == 0 && tx > 0) || (discrete && x > tx))
                v = NAN; /* cannot occur: no repeat purchase, no recency (BG/BB: x <= t_x) */
            else {
                v = expected ? expected_row(ops, model->param, t, x, tx, T)
                             : ops->p_alive(model->param, x, tx, T);
                if (!isfinite(v))
                    return crm__fail(err, CRM_STATUS_NUMERIC, "grid cell (%lu, %lu) is not finite",
                                     (unsigned long)i, (unsigned long)j);
            }
            out[i * ntx + j] = v;
        }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_p_alive_matrix(const crm_model *model, double T, const double *x_values, size_t nx,
                                    const double *tx_values, size_t ntx, double *out, crm_error *err) {
    return grid(model, 0, 0, T, x_values, nx, tx_values, ntx, out, err);
}

crm_status crm_model_expected_purchases_matrix(const crm_model *model, double t, double T,
                                               const double *x_values, size_t nx, const double *tx_values,
                                               size_t ntx, double *out, crm_error *err) {
    return grid(model, 1, t, T, x_values, nx, tx_values, ntx, out, err);
}

crm_status crm_model_alive_path(const crm_model *model, const double *times, size_t n, double step,
                                size_t points, double *out, crm_error *err) {
    if (model == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model is NULL");
    if (model->kind == CRM_MODEL_KIND_GAMMA_GAMMA) return wrong_kind(err, 1);
    if (model->kind == CRM_MODEL_KIND_BGBB)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "alive paths over continuous purchase times are not defined for BG/BB "
                         "(use crm_model_p_alive on (x, t_x, n) rows)");
    if (!crm__model_usable(model)) return crm__model_unusable(model, err);
    if (times == NULL || n == 0) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "no purchase time given");
    if (points > 0 && out == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "out is NULL");
    if (!(step > 0) || !isfinite(step))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "step must be finite and > 0");
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(times[i]))
            return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "times[%lu] is not finite", (unsigned long)i);
        if (i > 0 && times[i] < times[i - 1])
            return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                             "times must be in ascending order (times[%lu])", (unsigned long)i);
    }
    const crm__model_ops *ops = crm__model_ops_of(model->kind);
    double first = times[0], last = first, x = 0;
    size_t next = 1;
    for (size_t k = 0; k < points; k++) {
        double T = (double)k * step;
        /* The purchases up to first + T; equal times are one purchase. */
        while (next < n && times[next] - first <= T) {
            if (times[next] > last) {
                x += 1;
                last = times[next];
            }
            next++;
        }
        double v = ops->p_alive(model->param, x, last - first, T);
        if (!isfinite(v))
            return crm__fail(err, CRM_STATUS_NUMERIC, "P(alive) at point %lu is not finite",
                             (unsigned long)k);
        out[k] = v;
    }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_expected_cumulative(const crm_model *model, const double *birth, size_t n_customers,
                                         const double *times, size_t n_times, double *out, crm_error *err) {
    if (model == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model is NULL");
    if (model->kind == CRM_MODEL_KIND_GAMMA_GAMMA) return wrong_kind(err, 1);
    if (!crm__model_usable(model)) return crm__model_unusable(model, err);
    if ((n_customers > 0 && birth == NULL) || (n_times > 0 && (times == NULL || out == NULL)))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "birth, times or out is NULL");
    for (size_t i = 0; i < n_customers; i++)
        if (!isfinite(birth[i]))
            return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "birth[%lu] is not finite", (unsigned long)i);
    for (size_t j = 0; j < n_times; j++)
        if (!isfinite(times[j]))
            return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "times[%lu] is not finite", (unsigned long)j);
    const crm__model_ops *ops = crm__model_ops_of(model->kind);
    for (size_t j = 0; j < n_times; j++) {
        double sum = 0, comp = 0;
        for (size_t i = 0; i < n_customers; i++) {
            double age = times[j] - birth[i];
            if (!(age > 0)) continue;
            /* A customer born at birth[i] is a new customer then: E[X(age)]. */
            double v = expected_row(ops, model->param, age, 0, 0, 0);
            if (!isfinite(v))
                return crm__fail(err, CRM_STATUS_NUMERIC, "E[X(%.6g)] of customer %lu is not finite", age,
                                 (unsigned long)i);
            crm__ksum(&sum, &comp, v);
        }
        out[j] = sum + comp;
    }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

/* log of b e^(-delta b v) (1 + v)^-s dv/dw at v = w / (1 - w): the
 * integrand of E[1 / (delta + mu)], mu ~ gamma(s, b), over w in (0, 1). */
typedef struct dert_ctx {
    double s, db;
} dert_ctx;

static double dert_integrand(void *vctx, double lw, double l1mw) {
    const dert_ctx *c = vctx;
    return -c->db * exp(lw - l1mw) + (c->s - 2) * l1mw;
}

/* Pareto/NBD DERT (Fader, Hardie & Lee 2005b eq. 2): alive at T, the
 * purchase rate has mean (r+x)/(alpha+T) and the drop-out rate
 * mu ~ gamma(s, beta+T), so the discounted residual transactions are
 * P(alive) (r+x)/(alpha+T) E[1/(delta+mu)], and
 * E[1/(delta+mu)] = int_0^inf e^(-delta u) (b/(b+u))^s du, b = beta+T
 * (the paper's b^s delta^(s-1) U(s, s; delta b), by quadrature). */
static double pnbd_dert_row(const double *p, double delta, double x, double tx, double T) {
    double r = p[0], al = p[1], s = p[2], b = p[3] + T;
    double pa = crm__paretonbd_ops.p_alive(p, x, tx, T);
    if (pa == 0) return 0;
    dert_ctx c = {s, delta * b};
    double e = b * exp(crm__log_quad01(dert_integrand, &c));
    return pa * (r + x) / (al + T) * e;
}

static crm_status dert_check(const crm_model *model, double delta, crm_error *err) {
    if (model && model->kind != CRM_MODEL_KIND_PARETO_NBD)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "DERT is defined here for Pareto/NBD models only");
    if (!(delta > 0) || !isfinite(delta))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "the discount rate delta must be finite and > 0");
    return CRM_STATUS_OK;
}

crm_status crm_model_dert(const crm_model *model, double delta, const crm_model_data *data, double *out,
                          crm_error *err) {
    crm_status st = check_predict(model, 1, data, out, CRM__NEED_X | CRM__NEED_TIMES, err);
    if (st != CRM_STATUS_OK) return st;
    st = dert_check(model, delta, err);
    if (st != CRM_STATUS_OK) return st;
    for (size_t i = 0; i < data->count; i++) {
        purchase_row r = row_at(data, i);
        double v = pnbd_dert_row(model->param, delta, r.x, r.tx, r.T);
        if (!isfinite(v)) return not_finite(err, i);
        out[i] = v;
    }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_clv_dert(const crm_model *purchase_model, const crm_model *spend_model,
                              const crm_config *config, const crm_model_data *data, double *out,
                              crm_error *err) {
    crm_config defaults;
    config = crm__config_or_defaults(config, &defaults);
    crm_status st = crm__config_validate(config, err);
    if (st != CRM_STATUS_OK) return st;
    crm__clv_terms terms = crm__clv_terms_of(config);
    double delta = log1p(terms.rate);
    if (purchase_model && purchase_model->kind != CRM_MODEL_KIND_PARETO_NBD)
        return dert_check(purchase_model, delta, err);
    if (!(delta > 0))
        return crm__fail(err, CRM_STATUS_BAD_OPTION,
                         "DERT needs a discount_rate above 0 (the sum is infinite)");
    /* The expected spend per row as crm_model_clv takes it, times DERT. */
    if (spend_model && spend_model->kind != CRM_MODEL_KIND_GAMMA_GAMMA)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "the spend model must be a Gamma-Gamma model");
    if (spend_model && !crm__model_usable(spend_model)) return crm__model_unusable(spend_model, err);
    if (data == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model data is NULL");
    int have_spend = data->spend != NULL;
    if (spend_model == NULL && !have_spend && data->count > 0)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "no spend model and no spend column");
    unsigned need = CRM__NEED_X | CRM__NEED_TIMES | (have_spend ? CRM__NEED_SPEND_FINITE : 0);
    st = check_predict(purchase_model, 1, data, out, need, err);
    if (st != CRM_STATUS_OK) return st;
    for (size_t i = 0; i < data->count; i++) {
        purchase_row r = row_at(data, i);
        double spend;
        if (spend_model) {
            double m = have_spend && r.x > 0 ? crm__model_col(data->spend, data->spend_stride, i) : 0;
            spend = crm__gg_expected_spend(spend_model->param, m > 0 ? r.x : 0, m > 0 ? m : 0);
        } else {
            spend = crm__model_col(data->spend, data->spend_stride, i);
            if (!isfinite(spend)) spend = 0;
            if (spend < 0)
                return crm__model_bad_row(err, i, CRM_FIELD_AMOUNT, CRM_FATE_VALUE_RANGE,
                                          "spend is negative (E[spend] must be >= 0)");
        }
        double v = terms.margin * spend * pnbd_dert_row(purchase_model->param, delta, r.x, r.tx, r.T);
        if (isnan(v) && !(spend_model && isnan(spend))) return not_finite(err, i);
        out[i] = v;
    }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm__clv_terms crm__clv_terms_of(const crm_config *c) {
    crm__clv_terms t;
    double unit = crm__opt(c, CRM_OPTION_TIME_UNIT_DAYS);
    double horizon_days = crm__opt(c, CRM_OPTION_HORIZON_DAYS);
    t.horizon = horizon_days / unit;
    /* Monthly steps, fixed in days so CLV does not depend on the unit. */
    t.steps = (int64_t)floor(horizon_days / (365.25 / 12.0) + 0.5);
    if (t.steps < 1) t.steps = 1;
    t.rate = pow(1.0 + crm__opt(c, CRM_OPTION_DISCOUNT_RATE), unit / 365.25) - 1.0;
    t.margin = crm__opt(c, CRM_OPTION_MARGIN);
    return t;
}

/* CLV of every row with the terms of a validated configuration: the
 * horizon is at least 0, steps at least 1, the rate per unit above -1 and
 * the margin finite, so only the models and the rows need checking. */
static crm_status clv_rows(const crm_model *purchase_model, const crm_model *spend_model,
                           crm__clv_terms terms, const crm_model_data *data, double *out, crm_error *err) {
    if (purchase_model == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "purchase model is NULL");
    if (spend_model && spend_model->kind != CRM_MODEL_KIND_GAMMA_GAMMA)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "the spend model must be a Gamma-Gamma model");
    if (spend_model && !crm__model_usable(spend_model)) return crm__model_unusable(spend_model, err);
    /* Without a spend model the row's spend column is E[spend]; with one, the
     * Gamma-Gamma conditional mean (its population mean where there is no
     * spend column, or x = 0). */
    if (data == NULL) {
        (void)crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model data is NULL");
        return CRM_STATUS_INVALID_ARGUMENT;
    }
    int have_spend = data->spend != NULL;
    if (spend_model == NULL && !have_spend && data->count > 0) {
        (void)crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "no spend model and no spend column");
        return CRM_STATUS_INVALID_ARGUMENT;
    }
    /* With a spend model a row whose spend is not positive gets the
     * population mean (the analysis's rule for customers whose returns ate
     * their repeat spend); without one the spend is E[spend] and must be >= 0. */
    unsigned need = CRM__NEED_X | CRM__NEED_TIMES | (have_spend ? CRM__NEED_SPEND_FINITE : 0);
    crm_status st = check_predict(purchase_model, 1, data, out, need, err);
    if (st != CRM_STATUS_OK) return st;
    const crm__model_ops *ops = crm__model_ops_of(purchase_model->kind);
    double ldisc = log1p(terms.rate);
    for (size_t i = 0; i < data->count; i++) {
        purchase_row r = row_at(data, i);
        double spend;
        if (spend_model) {
            double m = have_spend && r.x > 0 ? crm__model_col(data->spend, data->spend_stride, i) : 0;
            spend = crm__gg_expected_spend(spend_model->param, m > 0 ? r.x : 0, m > 0 ? m : 0);
        } else {
            spend = crm__model_col(data->spend, data->spend_stride, i);
            if (!isfinite(spend)) spend = 0; /* x = 0 rows may carry no spend */
            if (spend < 0)
                return crm__model_bad_row(err, i, CRM_FIELD_AMOUNT, CRM_FATE_VALUE_RANGE,
                                          "spend is negative (E[spend] must be >= 0)");
        }
        /* P(alive) does not depend on the horizon: once per row. */
        double pa = ops->p_alive(purchase_model->param, r.x, r.tx, r.T);
        double sum = 0, prev = 0;
        for (int64_t k = 1; k <= terms.steps && pa > 0; k++) {
            double ti = terms.horizon * (double)k / (double)terms.steps;
            double e = ops->expected_alive(purchase_model->param, ti, r.x, r.T);
            sum += (e - prev) * exp(-ti * ldisc);
            prev = e;
        }
        double v = terms.margin * spend * pa * sum;
        if (isnan(v) && !(spend_model && isnan(spend))) return not_finite(err, i);
        out[i] = v;
    }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_clv(const crm_model *purchase_model, const crm_model *spend_model,
                         const crm_config *config, const crm_model_data *data, double *out, crm_error *err) {
    crm_config defaults;
    config = crm__config_or_defaults(config, &defaults);
    crm_status st = crm__config_validate(config, err);
    if (st != CRM_STATUS_OK) return st;
    return clv_rows(purchase_model, spend_model, crm__clv_terms_of(config), data, out, err);
}

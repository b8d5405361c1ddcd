/* predict.c - what a model says of customers: per-row P(alive), expected
 * purchases and expected spend, the figures of a new customer, and customer
 * lifetime value with the analysis's convention (crm__clv_terms_of), which
 * is why the analysis's clv column and crm_model_clv agree. Every per-row
 * function checks the rows as fitting does (data.c) and names the first row
 * it cannot use or whose value is not finite. */
#include "models/models.h"

#include <math.h>

/* The failure of a call given a model of the wrong family. */
static crm_status wrong_kind(crm_error *err, int purchase) {
    if (purchase)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "a purchase model (BG/NBD, MBG/NBD, Pareto/NBD) is needed");
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
    double v = crm__model_ops_of(model->kind)->prob(model->param, t, n);
    if (!isfinite(v)) return crm__fail(err, CRM_STATUS_NUMERIC, "P(X(t) = n) is not finite");
    *out = v < 0 ? 0 : v;
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

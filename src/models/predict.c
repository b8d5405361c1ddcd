/* predict.c - what a model says of customers: per-row P(alive), expected
 * purchases and expected spend, the figures of a new customer, and customer
 * lifetime value with the analysis's convention (crm__clv_terms_of), which
 * is why the analysis's clv column and crm_model_clv agree. Every per-row
 * function checks the rows as fitting does (data.c) and names the first row
 * it cannot use or whose value is not finite. */
#include "models/models.h"

#include <math.h>

/* Common checks of the per-row functions. purchase: 1 needs a purchase
 * model, 0 a Gamma-Gamma model. */
static crm_status check_predict(const crm_model *model, int purchase, const crm_model_data *data,
                                const double *out, unsigned need, crm_error *err) {
    if (model == NULL) {
        (void)crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model is NULL");
        return CRM_STATUS_INVALID_ARGUMENT;
    }
    if (purchase && model->kind == CRM_MODEL_KIND_GAMMA_GAMMA)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "a purchase model (BG/NBD, MBG/NBD, Pareto/NBD) is needed");
    if (!purchase && model->kind != CRM_MODEL_KIND_GAMMA_GAMMA)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "a Gamma-Gamma model is needed");
    crm_status st = crm__model_check_columns(data, need, err);
    if (st != CRM_STATUS_OK) return st;
    if (data->count > 0 && out == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "out is NULL");
    return crm__model_check_rows(data, need, err);
}

static crm_status not_finite(crm_error *err, size_t i) {
    return crm__fail_record(err, CRM_STATUS_NUMERIC, CRM_INPUT_NONE, (int64_t)i, CRM_FIELD_NONE, 0,
                            "model row %lu: the prediction is not finite", (unsigned long)i);
}

/* E[X(T, T+t) | x, t_x, T] = P(alive) E[X(T, T+t) | x, T, alive]. */
static double expected_row(const crm__model_ops *ops, const double *p, double t, double x, double tx,
                           double T) {
    if (t == 0) return 0;
    double pa = ops->p_alive(p, x, tx, T);
    return pa == 0 ? 0 : pa * ops->expected_alive(p, t, x, T);
}

crm_status crm_model_p_alive(const crm_model *model, const crm_model_data *data, double *out,
                             crm_error *err) {
    crm_status st = check_predict(model, 1, data, out, CRM__NEED_X | CRM__NEED_TIMES, err);
    if (st != CRM_STATUS_OK) return st;
    const crm__model_ops *ops = crm__model_ops_of(model->kind);
    for (size_t i = 0; i < data->count; i++) {
        double v = ops->p_alive(model->param, crm__model_col(data->x, data->x_stride, i),
                                crm__model_col(data->t_x, data->t_x_stride, i),
                                crm__model_col(data->T, data->T_stride, i));
        if (!isfinite(v)) return not_finite(err, i);
        out[i] = v;
    }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_expected_purchases(const crm_model *model, double t, const crm_model_data *data,
                                        double *out, crm_error *err) {
    crm_status st = check_predict(model, 1, data, out, CRM__NEED_X | CRM__NEED_TIMES, err);
    if (st != CRM_STATUS_OK) return st;
    if (!(t >= 0) || !isfinite(t))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "horizon t must be finite and >= 0");
    const crm__model_ops *ops = crm__model_ops_of(model->kind);
    for (size_t i = 0; i < data->count; i++) {
        double v = expected_row(ops, model->param, t, crm__model_col(data->x, data->x_stride, i),
                                crm__model_col(data->t_x, data->t_x_stride, i),
                                crm__model_col(data->T, data->T_stride, i));
        if (!isfinite(v)) return not_finite(err, i);
        out[i] = v;
    }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_expected_spend(const crm_model *model, const crm_model_data *data, double *out,
                                    crm_error *err) {
    crm_status st = check_predict(model, 0, data, out, CRM__NEED_X | CRM__NEED_SPEND, err);
    if (st != CRM_STATUS_OK) return st;
    for (size_t i = 0; i < data->count; i++) {
        double x = crm__model_col(data->x, data->x_stride, i);
        out[i] = crm__gg_expected_spend(model->param, x,
                                        x > 0 ? crm__model_col(data->spend, data->spend_stride, i) : 0);
    }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_expected_purchases_new(const crm_model *model, double t, double *out, crm_error *err) {
    if (model == NULL || out == NULL)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model or out is NULL");
    if (model->kind == CRM_MODEL_KIND_GAMMA_GAMMA)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "a purchase model (BG/NBD, MBG/NBD, Pareto/NBD) is needed");
    if (!(t >= 0) || !isfinite(t))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "t must be finite and >= 0");
    /* A new customer: x = t_x = T = 0 (FHL 2005 eq. 7 is eq. 10 there). */
    double v = expected_row(crm__model_ops_of(model->kind), model->param, t, 0, 0, 0);
    if (!isfinite(v)) return crm__fail(err, CRM_STATUS_NUMERIC, "E[X(t)] is not finite");
    *out = v;
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_prob_purchases(const crm_model *model, double t, int64_t n, double *out,
                                    crm_error *err) {
    if (model == NULL || out == NULL)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model or out is NULL");
    if (model->kind == CRM_MODEL_KIND_GAMMA_GAMMA)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "a purchase model (BG/NBD, MBG/NBD, Pareto/NBD) is needed");
    if (!(t >= 0) || !isfinite(t))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "t must be finite and >= 0");
    if (n < 0) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "n must be >= 0");
    double v = crm__model_ops_of(model->kind)->prob(model->param, t, n);
    if (!isfinite(v)) return crm__fail(err, CRM_STATUS_NUMERIC, "P(X(t) = n) is not finite");
    *out = v < 0 ? 0 : v;
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

/* CLV with the horizon and steps in the data's time unit and the discount
 * rate per time unit. */
static crm_status clv_in_units(const crm_model *purchase_model, const crm_model *spend_model,
                               const crm_model_data *data, double horizon, int64_t steps,
                               double discount_rate, double margin, double *out, crm_error *err) {
    if (purchase_model == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "purchase model is NULL");
    if (spend_model && spend_model->kind != CRM_MODEL_KIND_GAMMA_GAMMA)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "the spend model must be a Gamma-Gamma model");
    if (!(horizon >= 0) || !isfinite(horizon))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "horizon must be >= 0");
    if (steps < 1) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "steps must be >= 1");
    if (!(discount_rate > -1) || !isfinite(discount_rate))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "discount_rate must be finite and > -1");
    if (!isfinite(margin)) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "margin must be finite");
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
    double ldisc = log1p(discount_rate);
    for (size_t i = 0; i < data->count; i++) {
        double x = crm__model_col(data->x, data->x_stride, i),
               tx = crm__model_col(data->t_x, data->t_x_stride, i);
        double T = crm__model_col(data->T, data->T_stride, i);
        double spend;
        if (spend_model) {
            double m = have_spend && x > 0 ? crm__model_col(data->spend, data->spend_stride, i) : 0;
            spend = crm__gg_expected_spend(spend_model->param, m > 0 ? x : 0, m > 0 ? m : 0);
        } else {
            spend = crm__model_col(data->spend, data->spend_stride, i);
            if (!isfinite(spend)) spend = 0; /* x = 0 rows may carry no spend */
            if (spend < 0)
                return crm__model_bad_row(err, i, CRM_FIELD_AMOUNT, CRM_FATE_VALUE_RANGE,
                                          "spend is negative (E[spend] must be >= 0)");
        }
        /* P(alive) does not depend on the horizon: once per row. */
        double pa = ops->p_alive(purchase_model->param, x, tx, T);
        double sum = 0, prev = 0;
        for (int64_t k = 1; k <= steps && pa > 0; k++) {
            double ti = horizon * (double)k / (double)steps;
            double e = ops->expected_alive(purchase_model->param, ti, x, T);
            sum += (e - prev) * exp(-ti * ldisc);
            prev = e;
        }
        double v = margin * spend * pa * sum;
        if (isnan(v)) return not_finite(err, i);
        out[i] = v;
    }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_clv(const crm_model *purchase_model, const crm_model *spend_model,
                         const crm_config *config, const crm_model_data *data, double *out, crm_error *err) {
    crm_config defaults;
    if (config == NULL) {
        crm__config_defaults(&defaults, NULL);
        config = &defaults;
    }
    crm_status st = crm__config_validate(config, err);
    if (st != CRM_STATUS_OK) return st;
    crm__clv_terms t = crm__clv_terms_of(config);
    return clv_in_units(purchase_model, spend_model, data, t.horizon, t.steps, t.rate, t.margin, out, err);
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

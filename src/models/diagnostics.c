/* diagnostics.c - what judges a model rather than predicts with it: the
 * log-likelihood of caller-given rows at the model's parameters (in total
 * and per row), confidence intervals from the standard errors, AIC and BIC,
 * and the Gamma-Gamma independence check (the correlation of frequency and
 * mean spend among repeat buyers). */
#include "models/models.h"
#include "models/special.h"

#include <math.h>
#include <string.h>

/* The log-likelihood of one row, through the kind's own likelihood on a
 * one-row crm__rows (so it is the fit's formula, not a copy of it). */
static double row_loglik(const crm__model_ops *ops, const double *p, double x, double tx, double T,
                         double m) {
    crm__rows r;
    memset(&r, 0, sizeof r);
    double xs[1] = {x}, txs[1] = {tx}, Ts[1] = {T}, ws[1] = {1}, ms[1] = {m}, lms[1] = {0};
    uint32_t itx[1] = {0}, iT[1] = {0};
    double times[2] = {tx, T}, work[8];
    int64_t stamp[2] = {-1, -1};
    size_t gstart[2] = {0, 1};
    r.n = 1;
    r.x = xs;
    r.w = ws;
    r.wsum = 1;
    r.ngroups = 1;
    r.gstart = gstart;
    if (ops->kind == CRM_MODEL_KIND_GAMMA_GAMMA) {
        lms[0] = log(m);
        r.m = ms;
        r.logm = lms;
    } else {
        r.tx = txs;
        r.T = Ts;
        r.itx = itx;
        r.iT = iT;
        r.times = times;
        r.ntimes = tx == T ? 1 : 2;
        iT[0] = tx == T ? 0 : 1;
        r.work = work;
        r.stamp = stamp;
    }
    return ops->loglik(p, &r, NULL);
}

crm_status crm_model_loglik_rows(const crm_model *model, const crm_model_data *data, double *out,
                                 double *total, crm_error *err) {
    if (model == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model is NULL");
    if (!crm__model_usable(model)) return crm__model_unusable(model, err);
    int gg = model->kind == CRM_MODEL_KIND_GAMMA_GAMMA;
    unsigned need = CRM__NEED_X | CRM__USE_WEIGHT | (gg ? CRM__NEED_SPEND : CRM__NEED_TIMES) |
                    crm__need_of_kind(model->kind);
    crm_status st = crm__model_check_columns(data, need, err);
    if (st != CRM_STATUS_OK) return st;
    st = crm__model_check_rows(data, need, err);
    if (st != CRM_STATUS_OK) return st;
    const crm__model_ops *ops = crm__model_ops_of(model->kind);
    double sum = 0, comp = 0;
    for (size_t i = 0; i < data->count; i++) {
        double x = crm__model_col(data->x, data->x_stride, i), v = 0;
        if (gg) {
            if (x > 0)
                v = row_loglik(ops, model->param, x, 0, 0,
                               crm__model_col(data->spend, data->spend_stride, i));
        } else {
            double tx = crm__model_col(data->t_x, data->t_x_stride, i);
            double T = crm__model_col(data->T, data->T_stride, i);
            v = row_loglik(ops, model->param, x, tx, T, 0);
        }
        if (isnan(v) || v == INFINITY)
            return crm__fail_record(err, CRM_STATUS_NUMERIC, CRM_INPUT_NONE, (int64_t)i, CRM_FIELD_NONE, 0,
                                    "model row %lu: the log-likelihood is not a number", (unsigned long)i);
        if (out) out[i] = v;
        double w = data->weight ? crm__model_col(data->weight, data->weight_stride, i) : 1;
        if (w > 0) crm__ksum(&sum, &comp, w * v);
    }
    if (total) *total = sum + comp;
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

/* The standard normal quantile of probability u in (0, 1): Newton's method
 * on 0.5 erfc(-z / sqrt 2) = u from a bisection bracket. */
static double normal_quantile(double u) {
    double lo = -40, hi = 40, z = 0;
    for (int i = 0; i < 200; i++) {
        double f = 0.5 * erfc(-z / sqrt(2.0)) - u;
        if (f > 0)
            hi = z;
        else
            lo = z;
        double step = f / (exp(-0.5 * z * z) / sqrt(2 * 3.14159265358979323846));
        double nz = z - step;
        if (!(nz > lo && nz < hi)) nz = 0.5 * (lo + hi);
        if (fabs(nz - z) <= 1e-15 * (1 + fabs(z))) return nz;
        z = nz;
    }
    return z;
}

crm_status crm_model_confint(const crm_model *model, double level, int log_scale, double *lower,
                             double *upper, crm_error *err) {
    if (model == NULL || lower == NULL || upper == NULL)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model, lower or upper is NULL");
    if (!(level > 0 && level < 1))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "level must be in (0, 1)");
    double z = normal_quantile(0.5 + 0.5 * level);
    for (size_t i = 0; i < model->nparams; i++) {
        double p = model->param[i], se = model->se[i];
        if (log_scale) {
            /* Delta method: the standard error of log p is se / p. */
            double h = z * se / p;
            lower[i] = p * exp(-h);
            upper[i] = p * exp(h);
        } else {
            lower[i] = p - z * se;
            upper[i] = p + z * se;
        }
    }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

double crm_model_aic(const crm_model *model) {
    if (model == NULL) return NAN;
    return 2.0 * (double)model->nparams - 2.0 * model->loglik;
}

double crm_model_bic(const crm_model *model) {
    if (model == NULL || !(model->nobs > 0)) return NAN;
    return (double)model->nparams * log(model->nobs) - 2.0 * model->loglik;
}

crm_status crm_model_spend_correlation(const crm_model_data *data, double *out, crm_error *err) {
    unsigned need = CRM__NEED_X | CRM__NEED_SPEND | CRM__USE_WEIGHT;
    if (out == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "out is NULL");
    crm_status st = crm__model_check_columns(data, need, err);
    if (st != CRM_STATUS_OK) return st;
    st = crm__model_check_rows(data, need, err);
    if (st != CRM_STATUS_OK) return st;
    /* Two passes: the means, then the centred moments. */
    double W = 0, mx = 0, mm = 0;
    for (size_t i = 0; i < data->count; i++) {
        double x = crm__model_col(data->x, data->x_stride, i);
        double w = data->weight ? crm__model_col(data->weight, data->weight_stride, i) : 1;
        if (!(x > 0 && w > 0)) continue;
        W += w;
        mx += w * x;
        mm += w * crm__model_col(data->spend, data->spend_stride, i);
    }
    if (!(W > 0)) return crm__fail(err, CRM_STATUS_NO_DATA, "no row with x > 0 and weight > 0");
    mx /= W;
    mm /= W;
    double sxx = 0, smm = 0, sxm = 0;
    for (size_t i = 0; i < data->count; i++) {
        double x = crm__model_col(data->x, data->x_stride, i);
        double w = data->weight ? crm__model_col(data->weight, data->weight_stride, i) : 1;
        if (!(x > 0 && w > 0)) continue;
        double dx = x - mx, dm = crm__model_col(data->spend, data->spend_stride, i) - mm;
        sxx += w * dx * dx;
        smm += w * dm * dm;
        sxm += w * dx * dm;
    }
    *out = sxx > 0 && smm > 0 ? sxm / sqrt(sxx * smm) : NAN;
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

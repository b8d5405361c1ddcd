/* fit.c - maximum-likelihood fitting: the objective the minimiser works on
 * and the driver that checks the rows, compresses them, minimises and fills
 * the model. Every kind is fitted the same way; the kinds differ only in
 * their crm__model_ops.
 *
 * Parameters are estimated on their logarithms (so they stay positive) by
 * BFGS (optimize.c) minimising
 *     f(theta) = -loglik(exp(theta)) / W + l2_penalty * sum_i theta_i^2,
 * W the number of customers: the mean negative log-likelihood per customer
 * plus an optional ridge penalty on the log-parameters, which shrinks every
 * parameter towards 1 (in the data's time unit) with a strength that does
 * not depend on the number of customers. BG/NBD, MBG/NBD and Gamma-Gamma have
 * analytic gradients; Pareto/NBD uses finite differences (forward far from
 * the optimum, central near it). Converged means
 * max |df/dtheta| <= tolerance * max(1, |f|). The reported log-likelihood is
 * the unpenalised total. */
#include "models/models.h"
#include "models/optimize.h"

#include <math.h>

/* Log-parameters are kept within +-40: every parameter stays finite and positive. */
#define CRM_MODEL_LOG_BOUND 40.0

double crm__fit_loglik(void *vctx, const double *theta, double *grad) {
    const crm__fit_ctx *ctx = vctx;
    size_t n = ctx->ops->nparams;
    double p[CRM__MODEL_MAX_PARAMS] = {0};
    for (size_t i = 0; i < n; i++) p[i] = exp(theta[i]);
    return ctx->ops->loglik(p, ctx->rows, grad);
}

/* f(theta) above, and its gradient when grad is not NULL. */
static double objective(void *vctx, const double *theta, double *grad) {
    const crm__fit_ctx *ctx = vctx;
    size_t n = ctx->ops->nparams;
    double g[CRM__MODEL_MAX_PARAMS];
    double ll = crm__fit_loglik(vctx, theta, grad ? g : NULL);
    if (!isfinite(ll)) return INFINITY;
    double W = ctx->rows->wsum, f = -ll / W;
    for (size_t i = 0; i < n; i++) {
        f += ctx->l2 * theta[i] * theta[i];
        if (grad) grad[i] = -g[i] / W + 2 * ctx->l2 * theta[i];
    }
    return f;
}

crm_status crm__model_fit_ex(const crm_config *c, int kind, const crm_model_data *data, int want_stderr,
                             crm_model **out, crm_error *err) {
    if (out == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    if (c == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "configuration is NULL");
    const crm__model_ops *ops = crm__model_ops_of(kind);
    if (ops == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "unknown model kind %d", kind);
    int gg = kind == CRM_MODEL_KIND_GAMMA_GAMMA;
    unsigned need = (gg ? CRM__NEED_X | CRM__NEED_SPEND : CRM__NEED_X | CRM__NEED_TIMES) | CRM__USE_WEIGHT;
    crm_status st = crm__model_check_columns(data, need, err);
    if (st != CRM_STATUS_OK) return st;
    if (data->count == 0) return crm__fail(err, CRM_STATUS_NO_DATA, "no model rows");
    st = crm__model_check_rows(data, need, err);
    if (st != CRM_STATUS_OK) return st;

    const crm_allocator *A = &c->allocator;
    crm__rows rows;
    st = crm__rows_compress(A, data, gg, &rows);
    if (st != CRM_STATUS_OK) {
        crm__rows_free(A, &rows);
        if (st == CRM_STATUS_NO_DATA)
            return crm__fail(err, st, gg ? "no row with x > 0 and weight > 0" : "no row with weight > 0");
        return crm__nomem(err);
    }
    crm_model *m = NULL;
    if (crm__model_alloc(c, ops, &m) != CRM_STATUS_OK) {
        crm__rows_free(A, &rows);
        return crm__nomem(err);
    }

    crm__fit_ctx ctx = {ops, &rows, crm__opt(c, CRM_OPTION_L2_PENALTY)};
    double theta[CRM__MODEL_MAX_PARAMS], p0[CRM__MODEL_MAX_PARAMS];
    ops->start(&rows, p0);
    for (size_t i = 0; i < ops->nparams; i++) theta[i] = log(p0[i]);
    crm__opt_result res;
    crm__minimize(ops->nparams, theta, objective, &ctx, ops->analytic_grad,
                  crm__opt_int(c, CRM_OPTION_MAX_ITERATIONS), crm__opt(c, CRM_OPTION_TOLERANCE),
                  CRM_MODEL_LOG_BOUND, &res);
    double ll = crm__fit_loglik(&ctx, theta, NULL);
    int finite = res.finite && isfinite(ll);
    for (size_t i = 0; i < ops->nparams; i++) finite = finite && isfinite(theta[i]);
    if (!finite) {
        crm__rows_free(A, &rows);
        crm_model_free(m);
        return crm__fail(err, CRM_STATUS_NUMERIC,
                         "the %s log-likelihood is not finite at the starting values",
                         crm__model_label(kind));
    }
    for (size_t i = 0; i < ops->nparams; i++) m->param[i] = exp(theta[i]);
    m->loglik = ll;
    m->converged = res.converged;
    m->iterations = res.iterations;
    if (want_stderr) crm__standard_errors(&ctx, theta, m->se);
    double W = rows.wsum;
    crm__rows_free(A, &rows);
    *out = m;
    if (!res.converged)
        return crm__fail(
            err, CRM_STATUS_NOT_CONVERGED,
            "model fit did not converge in %lld iterations (max |gradient| %.3g, mean log-likelihood %.6g)",
            (long long)res.iterations, res.grad_max, ll / W);
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_fit(const crm_config *config, int kind, const crm_model_data *data, crm_model **out,
                         crm_error *err) {
    crm_config defaults;
    return crm__model_fit_ex(crm__config_or_defaults(config, &defaults), kind, data, 1, out, err);
}

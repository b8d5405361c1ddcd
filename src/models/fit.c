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
 * the unpenalised total. With spend_q_constraint, Gamma-Gamma's q is 1 + e^theta.
 *
 * Before minimising, the rows are checked for what can identify the model
 * (check_identified); after it, the parameters for the limits the
 * likelihood may rise towards (find_limits). Every likelihood evaluation is
 * counted against max_evaluations and fit_seconds and reported to the
 * progress callback (crm__fit_loglik), which can stop the minimiser. */
#include "models/models.h"
#include "models/optimize.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Log-parameters are kept within +-40: every parameter stays finite and positive. */
#define CRM_MODEL_LOG_BOUND 40.0
/* A shape parameter above this is at its limit (crm_limit): the
 * heterogeneity it describes has a coefficient of variation below 1%
 * (BTYD bounds the parameters at the same value). */
#define CRM_MODEL_LIMIT_SHAPE 1e4

void crm__fit_params(const crm__fit_ctx *ctx, const double *theta, double *p) {
    for (size_t i = 0; i < ctx->ops->nparams; i++) p[i] = exp(theta[i]);
    if (ctx->q_shift) p[1] += 1;
}

/* Count one evaluation; set ctx->stop when a budget is spent or the
 * progress callback asks to stop. */
static void count_evaluation(crm__fit_ctx *ctx) {
    ctx->evals++;
    if (ctx->config == NULL) return;
    if (crm__progress(ctx->config, CRM_PHASE_FIT, ctx->evals, ctx->max_evals)) {
        ctx->stop = CRM__STOP_CANCEL;
        return;
    }
    if (ctx->evals >= ctx->max_evals) ctx->stop = CRM__STOP_BUDGET;
    if (ctx->max_clock > 0 && (double)clock() - ctx->start_clock > ctx->max_clock)
        ctx->stop = CRM__STOP_BUDGET;
}

double crm__fit_loglik(void *vctx, const double *theta, double *grad) {
    crm__fit_ctx *ctx = vctx;
    if (ctx->stop) return NAN;
    count_evaluation(ctx);
    double p[CRM__MODEL_MAX_PARAMS] = {0};
    crm__fit_params(ctx, theta, p);
    double ll = ctx->ops->loglik(p, ctx->rows, grad);
    /* d/dtheta of q = 1 + e^theta is (q - 1), not q: rescale the log-q gradient. */
    if (grad && ctx->q_shift) grad[1] *= (p[1] - 1) / p[1];
    return ll;
}

/* f(theta) above, and its gradient when grad is not NULL. */
static double objective(void *vctx, const double *theta, double *grad) {
    const crm__fit_ctx *ctx = vctx;
    size_t n = ctx->ops->nparams;
    double g[CRM__MODEL_MAX_PARAMS];
    double ll = crm__fit_loglik(vctx, theta, grad ? g : NULL);
    if (!isfinite(ll)) return ctx->stop ? NAN : INFINITY;
    double W = ctx->rows->wsum, f = -ll / W;
    for (size_t i = 0; i < n; i++) {
        f += ctx->l2 * theta[i] * theta[i];
        if (grad) grad[i] = -g[i] / W + 2 * ctx->l2 * theta[i];
    }
    return f;
}

/* CRM_STATUS_NOT_IDENTIFIED when the compressed rows cannot identify the
 * parameters of ops (see crm_model_fit), else CRM_STATUS_OK. */
static crm_status check_identified(const crm__model_ops *ops, const crm__rows *rows, crm_error *err) {
    const char *label = crm__model_label(ops->kind);
    double need = (double)ops->nparams + 1;
    if (rows->wsum < need)
        return crm__fail(err, CRM_STATUS_NOT_IDENTIFIED,
                         "%s: %.6g customers cannot identify %lu parameters (at least %.0f are needed)",
                         label, rows->wsum, (unsigned long)ops->nparams, need);
    if (ops->kind == CRM_MODEL_KIND_GAMMA_GAMMA) {
        if (rows->n < 2)
            return crm__fail(err, CRM_STATUS_NOT_IDENTIFIED,
                             "%s: every repeat customer has the same x and mean spend: the spread of spend "
                             "cannot be estimated",
                             label);
        return CRM_STATUS_OK;
    }
    double repeat = 0, maxT = 0;
    for (size_t i = 0; i < rows->n; i++) {
        repeat += rows->w[i] * rows->x[i];
        if (rows->T[i] > maxT) maxT = rows->T[i];
    }
    if (!(maxT > 0))
        return crm__fail(err, CRM_STATUS_NOT_IDENTIFIED,
                         "%s: every T is 0 (every first purchase at the end of observation): no time was "
                         "observed to estimate purchase and drop-out rates from",
                         label);
    if (!(repeat > 0))
        return crm__fail(err, CRM_STATUS_NOT_IDENTIFIED,
                         "%s: no customer has a repeat purchase (every x = 0): the purchase rate cannot be "
                         "estimated",
                         label);
    return CRM_STATUS_OK;
}

/* The limits the fitted parameters are at, and the sentence saying so. */
static uint32_t find_limits(const crm_model *m, char *msg, size_t cap) {
    const double *p = m->param;
    uint32_t lim = 0;
    if (m->kind == CRM_MODEL_KIND_GAMMA_GAMMA) return 0;
    if (m->kind == CRM_MODEL_KIND_BGBB) {
        /* alpha + beta and gamma + delta: the concentrations of p and theta. */
        if (p[0] + p[1] > CRM_MODEL_LIMIT_SHAPE) lim |= CRM_LIMIT_BIT(CRM_LIMIT_COMMON_PURCHASE_RATE);
        if (p[2] + p[3] > CRM_MODEL_LIMIT_SHAPE) lim |= CRM_LIMIT_BIT(CRM_LIMIT_COMMON_DROPOUT);
        if (p[2] / (p[2] + p[3]) < 1e-6) lim |= CRM_LIMIT_BIT(CRM_LIMIT_NO_DROPOUT);
        msg[0] = '\0';
        if (lim)
            snprintf(msg, cap,
                     "at the limit of %s%s%s (BG/BB: p ~ beta(alpha, beta) = %.6g mean, theta mean %.6g)",
                     (lim & CRM_LIMIT_BIT(CRM_LIMIT_COMMON_PURCHASE_RATE)) ? "one transaction probability "
                                                                           : "",
                     (lim & CRM_LIMIT_BIT(CRM_LIMIT_COMMON_DROPOUT)) ? "one drop-out probability " : "",
                     (lim & CRM_LIMIT_BIT(CRM_LIMIT_NO_DROPOUT)) ? "no drop-out" : "", p[0] / (p[0] + p[1]),
                     p[2] / (p[2] + p[3]));
        return lim;
    }
    if (p[0] > CRM_MODEL_LIMIT_SHAPE) lim |= CRM_LIMIT_BIT(CRM_LIMIT_COMMON_PURCHASE_RATE);
    if (m->kind == CRM_MODEL_KIND_PARETO_NBD) {
        if (p[2] > CRM_MODEL_LIMIT_SHAPE) lim |= CRM_LIMIT_BIT(CRM_LIMIT_COMMON_DROPOUT);
        if (p[2] / p[3] < 1e-6) lim |= CRM_LIMIT_BIT(CRM_LIMIT_NO_DROPOUT);
    } else {
        if (p[2] + p[3] > CRM_MODEL_LIMIT_SHAPE) lim |= CRM_LIMIT_BIT(CRM_LIMIT_COMMON_DROPOUT);
        if (p[2] / (p[2] + p[3]) < 1e-6) lim |= CRM_LIMIT_BIT(CRM_LIMIT_NO_DROPOUT);
    }
    char rate[100] = "", drop[100] = "";
    if (lim & CRM_LIMIT_BIT(CRM_LIMIT_COMMON_PURCHASE_RATE))
        snprintf(rate, sizeof rate, "one purchase rate for every customer (r/alpha = %.6g per time unit)",
                 p[0] / p[1]);
    if ((lim & CRM_LIMIT_BIT(CRM_LIMIT_COMMON_DROPOUT)) && m->kind == CRM_MODEL_KIND_PARETO_NBD)
        snprintf(drop, sizeof drop, "one drop-out rate for every customer (s/beta = %.6g per time unit)",
                 p[2] / p[3]);
    else if (lim & CRM_LIMIT_BIT(CRM_LIMIT_COMMON_DROPOUT))
        snprintf(drop, sizeof drop, "one drop-out probability for every customer (a/(a+b) = %.6g)",
                 p[2] / (p[2] + p[3]));
    const char *none = (lim & CRM_LIMIT_BIT(CRM_LIMIT_NO_DROPOUT)) ? "no drop-out" : "";
    msg[0] = '\0';
    if (lim)
        snprintf(msg, cap, "at the limit of %s%s%s%s%s", rate, rate[0] && (drop[0] || none[0]) ? "; " : "",
                 drop, drop[0] && none[0] ? "; " : "", none);
    return lim;
}

crm_status crm__model_fit_ex(const crm_config *c, int kind, const crm_model_data *data, int want_stderr,
                             crm_model **out, crm_error *err) {
    if (out == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    if (c == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "configuration is NULL");
    const crm__model_ops *ops = crm__model_ops_of(kind);
    if (ops == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "unknown model kind %d", kind);
    int gg = kind == CRM_MODEL_KIND_GAMMA_GAMMA;
    unsigned need = (gg ? CRM__NEED_X | CRM__NEED_SPEND : CRM__NEED_X | CRM__NEED_TIMES) | CRM__USE_WEIGHT |
                    crm__need_of_kind(kind);
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
    st = check_identified(ops, &rows, err);
    if (st != CRM_STATUS_OK) {
        crm__rows_free(A, &rows);
        return st;
    }
    crm_model *m = NULL;
    if (crm__model_alloc(c, ops, &m) != CRM_STATUS_OK) {
        crm__rows_free(A, &rows);
        return crm__nomem(err);
    }

    crm__fit_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.ops = ops;
    ctx.rows = &rows;
    ctx.l2 = crm__opt(c, CRM_OPTION_L2_PENALTY);
    ctx.q_shift = gg && crm__opt_int(c, CRM_OPTION_SPEND_Q_CONSTRAINT);
    ctx.config = c;
    ctx.max_evals = crm__opt_int(c, CRM_OPTION_MAX_EVALUATIONS);
    ctx.start_clock = (double)clock();
    ctx.max_clock = crm__opt(c, CRM_OPTION_FIT_SECONDS) * (double)CLOCKS_PER_SEC;
    double theta[CRM__MODEL_MAX_PARAMS], p0[CRM__MODEL_MAX_PARAMS];
    ops->start(&rows, p0);
    if (ctx.q_shift && p0[1] <= 1) p0[1] = 2;
    for (size_t i = 0; i < ops->nparams; i++) theta[i] = log(ctx.q_shift && i == 1 ? p0[i] - 1 : p0[i]);
    crm__opt_result res;
    crm__minimize(ops->nparams, theta, objective, &ctx, ops->analytic_grad,
                  crm__opt_int(c, CRM_OPTION_MAX_ITERATIONS), crm__opt(c, CRM_OPTION_TOLERANCE),
                  CRM_MODEL_LOG_BOUND, &ctx.stop, &res);
    int stopped = ctx.stop;
    ctx.stop = 0; /* the figures at the best point are computed whatever the budget */
    ctx.config = NULL;
    double ll = stopped == CRM__STOP_CANCEL ? NAN : crm__fit_loglik(&ctx, theta, NULL);
    int finite = res.finite && isfinite(ll);
    for (size_t i = 0; i < ops->nparams; i++) finite = finite && isfinite(theta[i]);
    if (stopped == CRM__STOP_CANCEL || !finite) {
        crm__rows_free(A, &rows);
        crm_model_free(m);
        if (stopped == CRM__STOP_CANCEL)
            return crm__fail(err, CRM_STATUS_CANCELLED, "%s fit cancelled by the progress callback",
                             crm__model_label(kind));
        return crm__fail(err, CRM_STATUS_NUMERIC,
                         "the %s log-likelihood is not finite at the starting values",
                         crm__model_label(kind));
    }
    crm__fit_params(&ctx, theta, m->param);
    m->loglik = ll;
    m->converged = res.converged && !stopped;
    m->iterations = res.iterations;
    m->nobs = rows.wsum;
    m->limits = find_limits(m, m->message, sizeof m->message);
    /* The standard errors' Hessian counts against the budgets and the callback too. */
    ctx.config = c;
    if (want_stderr && !stopped && !m->limits) crm__standard_errors(&ctx, theta, m->se);
    if (ctx.stop == CRM__STOP_CANCEL) {
        crm__rows_free(A, &rows);
        crm_model_free(m);
        return crm__fail(err, CRM_STATUS_CANCELLED, "%s fit cancelled by the progress callback",
                         crm__model_label(kind));
    }
    double W = rows.wsum;
    crm__rows_free(A, &rows);
    if (gg && m->param[1] <= 1) {
        size_t len = strlen(m->message);
        snprintf(m->message + len, sizeof m->message - len,
                 "%sq = %.6g <= 1: the population has no mean spend (set spend_q_constraint to keep q > 1)",
                 len ? "; " : "", m->param[1]);
    }
    *out = m;
    if (!m->converged) {
        char why[80];
        if (stopped)
            snprintf(why, sizeof why, "stopped by its budget after %lld likelihood evaluations",
                     (long long)ctx.evals);
        else
            snprintf(why, sizeof why, "did not converge in %lld iterations", (long long)res.iterations);
        m->status = CRM_STATUS_NOT_CONVERGED;
        snprintf(m->message, sizeof m->message,
                 "%s fit %s (max |gradient| %.3g, mean log-likelihood %.6g): the best point reached",
                 crm__model_label(kind), why, res.grad_max, ll / W);
        return crm__fail(err, CRM_STATUS_NOT_CONVERGED, "%s", m->message);
    }
    m->status = CRM_STATUS_OK;
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_fit(const crm_config *config, int kind, const crm_model_data *data, crm_model **out,
                         crm_error *err) {
    crm_config defaults;
    return crm__model_fit_ex(crm__config_or_defaults(config, &defaults), kind, data, 1, out, err);
}

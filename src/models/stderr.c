/* stderr.c - standard errors of fitted parameters. They come from the
 * curvature of the log-likelihood at its maximum, which the minimiser never
 * needs in exact form, so it is measured separately after the fit (and can
 * be skipped, crm__model_fit_ex).
 *
 * The standard errors are the square roots of the diagonal of the inverse of
 * the negative Hessian of the total log-likelihood in the natural
 * parameters. The Hessian is obtained by finite differences in log space
 * (crm__fd_probe; of the analytic gradient where the kind has one, else of
 * the log-likelihood itself) and mapped to natural space exactly:
 *     H_nat = D^-1 (H_log - diag(grad_log)) D^-1,  D = diag(params). */
#include "models/models.h"
#include "models/optimize.h"

#include <math.h>
#include <string.h>

/* Invert the symmetric positive definite n x n matrix a (Cholesky); 0 when
 * it is not positive definite. */
static int spd_inverse(size_t n, double a[CRM__MODEL_MAX_PARAMS][CRM__MODEL_MAX_PARAMS],
                       double inv[CRM__MODEL_MAX_PARAMS][CRM__MODEL_MAX_PARAMS]) {
    double l[CRM__MODEL_MAX_PARAMS][CRM__MODEL_MAX_PARAMS];
    memset(l, 0, sizeof l);
    for (size_t j = 0; j < n; j++) {
        double s = a[j][j];
        for (size_t k = 0; k < j; k++) s -= l[j][k] * l[j][k];
        if (!(s > 0) || !isfinite(s)) return 0;
        l[j][j] = sqrt(s);
        for (size_t i = j + 1; i < n; i++) {
            double t = a[i][j];
            for (size_t k = 0; k < j; k++) t -= l[i][k] * l[j][k];
            l[i][j] = t / l[j][j];
        }
    }
    /* Solve L L' X = I column by column. */
    for (size_t c = 0; c < n; c++) {
        double y[CRM__MODEL_MAX_PARAMS];
        for (size_t i = 0; i < n; i++) {
            double t = i == c ? 1 : 0;
            for (size_t k = 0; k < i; k++) t -= l[i][k] * y[k];
            y[i] = t / l[i][i];
        }
        for (size_t i = n; i-- > 0;) {
            double t = y[i];
            for (size_t k = i + 1; k < n; k++) t -= l[k][i] * inv[k][c];
            inv[i][c] = t / l[i][i];
        }
    }
    return 1;
}

/* Hessian of the log-likelihood in log space as central differences of the
 * analytic gradient g (written too), symmetric only up to the differencing
 * error; 0 when a value is not finite. */
static int hessian_from_gradient(const crm__fit_ctx *ctx, const double *theta, double *g,
                                 double H[CRM__MODEL_MAX_PARAMS][CRM__MODEL_MAX_PARAMS]) {
    const double h = 1e-4;
    size_t n = ctx->ops->nparams;
    double fp[CRM__MODEL_MAX_PARAMS], fm[CRM__MODEL_MAX_PARAMS];
    double gp[CRM__MODEL_MAX_PARAMS * CRM__MODEL_MAX_PARAMS],
        gm[CRM__MODEL_MAX_PARAMS * CRM__MODEL_MAX_PARAMS];
    if (!isfinite(crm__fit_loglik((void *)ctx, theta, g))) return 0;
    crm__fd_probe(n, theta, h, crm__fit_loglik, (void *)ctx, fp, fm, gp, gm);
    for (size_t j = 0; j < n; j++) {
        if (!isfinite(fp[j]) || !isfinite(fm[j])) return 0;
        for (size_t i = 0; i < n; i++) H[i][j] = (gp[j * n + i] - gm[j * n + i]) / (2 * h);
    }
    return 1;
}

/* Hessian (lower triangle and diagonal) and gradient g of the log-likelihood
 * in log space from its values alone: second differences. */
static void hessian_from_values(const crm__fit_ctx *ctx, const double *theta, double *g,
                                double H[CRM__MODEL_MAX_PARAMS][CRM__MODEL_MAX_PARAMS]) {
    const double h = 2e-4;
    size_t n = ctx->ops->nparams;
    double th[CRM__MODEL_MAX_PARAMS], fp[CRM__MODEL_MAX_PARAMS], fm[CRM__MODEL_MAX_PARAMS];
    double f0 = crm__numeric_gradient(n, theta, crm__fit_loglik, (void *)ctx, CRM__FD_CENTRAL_STEP, g);
    crm__fd_probe(n, theta, h, crm__fit_loglik, (void *)ctx, fp, fm, NULL, NULL);
    memcpy(th, theta, n * sizeof *th);
    for (size_t i = 0; i < n; i++) {
        H[i][i] = (fp[i] - 2 * f0 + fm[i]) / (h * h);
        for (size_t j = 0; j < i; j++) {
            double v[4];
            for (int k = 0; k < 4; k++) {
                th[i] = theta[i] + ((k & 1) ? -h : h);
                th[j] = theta[j] + ((k & 2) ? -h : h);
                v[k] = crm__fit_loglik((void *)ctx, th, NULL);
            }
            th[i] = theta[i];
            th[j] = theta[j];
            H[i][j] = (v[0] - v[1] - v[2] + v[3]) / (4 * h * h);
        }
    }
}

void crm__standard_errors(const crm__fit_ctx *ctx, const double *theta, double *se) {
    size_t n = ctx->ops->nparams;
    double H[CRM__MODEL_MAX_PARAMS][CRM__MODEL_MAX_PARAMS], g[CRM__MODEL_MAX_PARAMS];
    for (size_t i = 0; i < n; i++) se[i] = NAN;
    if (ctx->ops->analytic_grad) {
        if (!hessian_from_gradient(ctx, theta, g, H)) return;
    } else {
        hessian_from_values(ctx, theta, g, H);
    }
    /* Negative Hessian in log space with the gradient term of the change of variables. */
    double A[CRM__MODEL_MAX_PARAMS][CRM__MODEL_MAX_PARAMS], inv[CRM__MODEL_MAX_PARAMS][CRM__MODEL_MAX_PARAMS];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j <= i; j++) {
            double v = ctx->ops->analytic_grad ? 0.5 * (H[i][j] + H[j][i]) : H[i][j];
            if (i == j) v -= g[i];
            A[i][j] = A[j][i] = -v;
        }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (!isfinite(A[i][j])) return;
    if (!spd_inverse(n, A, inv)) return;
    for (size_t i = 0; i < n; i++) se[i] = exp(theta[i]) * sqrt(inv[i][i]);
}

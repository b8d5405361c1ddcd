/* optimize.c - BFGS with a backtracking line search (Nocedal & Wright 2006,
 * algorithm 6.1 with the inverse-Hessian update 6.17 and the initial scaling
 * 6.20). Small dense problems only: no allocation, everything on the stack. */
#include "models/optimize.h"

#include <math.h>
#include <string.h>

void crm__fd_probe(size_t n, const double *x, double h, crm__objective fn, void *ctx, double *fp, double *fm,
                   double *gp, double *gm) {
    double xt[CRM__OPT_MAX_DIM];
    memcpy(xt, x, n * sizeof *xt);
    for (size_t i = 0; i < n; i++) {
        xt[i] = x[i] + h;
        fp[i] = fn(ctx, xt, gp ? gp + i * n : NULL);
        if (fm) {
            xt[i] = x[i] - h;
            fm[i] = fn(ctx, xt, gm ? gm + i * n : NULL);
        }
        xt[i] = x[i];
    }
}

double crm__numeric_gradient(size_t n, const double *x, crm__objective fn, void *ctx, double h,
                             double *grad) {
    double fp[CRM__OPT_MAX_DIM], fm[CRM__OPT_MAX_DIM];
    double f0 = fn(ctx, x, NULL);
    crm__fd_probe(n, x, h, fn, ctx, fp, fm, NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        if (isfinite(fp[i]) && isfinite(fm[i]))
            grad[i] = (fp[i] - fm[i]) / (2 * h);
        else if (isfinite(fp[i]))
            grad[i] = (fp[i] - f0) / h;
        else if (isfinite(fm[i]))
            grad[i] = (f0 - fm[i]) / h;
        else
            grad[i] = NAN;
    }
    return f0;
}

/* Numeric gradient at x where f(x) = f0 is known: forward differences (n
 * evaluations) while the gradient is large, central ones (2n, accurate to
 * ~1e-10) near the optimum, where the convergence test needs them. */
static void numeric_gradient_at(size_t n, const double *x, double f0, crm__objective fn, void *ctx,
                                double *grad) {
    double fp[CRM__OPT_MAX_DIM], fm[CRM__OPT_MAX_DIM];
    const double hf = 1.5e-8; /* ~ sqrt(DBL_EPSILON) */
    crm__fd_probe(n, x, hf, fn, ctx, fp, NULL, NULL, NULL);
    double big = 0;
    for (size_t i = 0; i < n; i++) {
        grad[i] = isfinite(fp[i]) ? (fp[i] - f0) / hf : NAN;
        if (!(fabs(grad[i]) <= big)) big = fabs(grad[i]);
    }
    if (big > 1e-4 * fmax(1.0, fabs(f0))) return;
    crm__fd_probe(n, x, CRM__FD_CENTRAL_STEP, fn, ctx, fp, fm, NULL, NULL);
    for (size_t i = 0; i < n; i++)
        if (isfinite(fp[i]) && isfinite(fm[i])) grad[i] = (fp[i] - fm[i]) / (2 * CRM__FD_CENTRAL_STEP);
}

static double max_abs(size_t n, const double *v) {
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        double a = fabs(v[i]);
        if (!(a <= m)) m = a; /* NaN propagates as the maximum */
    }
    return m;
}

static int all_finite(size_t n, const double *v) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i])) return 0;
    return 1;
}

static void set_identity(size_t n, double h[CRM__OPT_MAX_DIM][CRM__OPT_MAX_DIM], double scale) {
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) h[i][j] = i == j ? scale : 0;
}

void crm__minimize(size_t n, double *x, crm__objective fn, void *ctx, int analytic_grad, int64_t max_iter,
                   double tol, double bound, const int *stop, crm__opt_result *res) {
#define STOPPED (stop && *stop)
    double g[CRM__OPT_MAX_DIM], d[CRM__OPT_MAX_DIM], xn[CRM__OPT_MAX_DIM], gn[CRM__OPT_MAX_DIM];
    double s[CRM__OPT_MAX_DIM], y[CRM__OPT_MAX_DIM], hy[CRM__OPT_MAX_DIM];
    double H[CRM__OPT_MAX_DIM][CRM__OPT_MAX_DIM];
    memset(res, 0, sizeof *res);
    for (size_t i = 0; i < n; i++) {
        x[i] = fmin(bound, fmax(-bound, x[i]));
        g[i] = NAN; /* until evaluated */
    }
    double f = fn(ctx, x, analytic_grad ? g : NULL);
    if (!analytic_grad && isfinite(f)) numeric_gradient_at(n, x, f, fn, ctx, g);
    res->f = f;
    res->grad_max = max_abs(n, g);
    if (STOPPED) {
        res->finite = isfinite(f);
        return;
    }
    if (!isfinite(f) || !all_finite(n, g)) return;
    res->finite = 1;
    set_identity(n, H, 1);
    int fresh = 1; /* H is the (unscaled) identity: no curvature information yet */
    int64_t it = 0;
    for (;;) {
        double scale = fmax(1.0, fabs(f));
        double gmax = max_abs(n, g);
        if (gmax <= tol * scale) {
            res->converged = 1;
            break;
        }
        if (it >= max_iter) break;
        it++;
        /* Search direction d = -H g; fall back to steepest descent if it is not downhill. */
        double slope = 0;
        for (size_t i = 0; i < n; i++) {
            double v = 0;
            for (size_t j = 0; j < n; j++) v -= H[i][j] * g[j];
            d[i] = v;
            slope += v * g[i];
        }
        if (!(slope < 0)) {
            set_identity(n, H, 1);
            fresh = 1;
            slope = 0;
            for (size_t i = 0; i < n; i++) {
                d[i] = -g[i];
                slope -= g[i] * g[i];
            }
        }
        /* Keep trial steps moderate in log space: a step of 3 multiplies a parameter by e^3. */
        double step = 1, dmax = max_abs(n, d);
        if (dmax * step > 3) step = 3 / dmax;
        double fnew = NAN;
        int accepted = 0;
        for (int ls = 0; ls < 60; ls++) {
            for (size_t i = 0; i < n; i++) xn[i] = fmin(bound, fmax(-bound, x[i] + step * d[i]));
            /* Without an analytic gradient, differentiate only accepted points. */
            fnew = fn(ctx, xn, analytic_grad ? gn : NULL);
            if (STOPPED) break;
            if (isfinite(fnew) && fnew <= f + 1e-4 * step * slope) {
                if (!analytic_grad) numeric_gradient_at(n, xn, fnew, fn, ctx, gn);
                if (STOPPED) break;
                if (all_finite(n, gn)) {
                    accepted = 1;
                    break;
                }
            }
            /* Quadratic interpolation of the step, safeguarded to [0.1, 0.5] of the old one. */
            double shrink = 0.5;
            if (isfinite(fnew)) {
                double denom = 2 * (fnew - f - step * slope);
                if (denom > 0) {
                    double q = -slope * step / denom;
                    shrink = fmin(0.5, fmax(0.1, q));
                }
            }
            step *= shrink;
        }
        if (STOPPED) break;
        if (!accepted) {
            if (!fresh) { /* stale curvature: retry once from steepest descent */
                set_identity(n, H, 1);
                fresh = 1;
                continue;
            }
            if (gmax <= sqrt(tol) * scale) res->converged = 1; /* at the noise floor of f */
            break;
        }
        double sy = 0, yy = 0, ss = 0;
        for (size_t i = 0; i < n; i++) {
            s[i] = xn[i] - x[i];
            y[i] = gn[i] - g[i];
            sy += s[i] * y[i];
            yy += y[i] * y[i];
            ss += s[i] * s[i];
        }
        memcpy(x, xn, n * sizeof *x);
        memcpy(g, gn, n * sizeof *g);
        double fold = f;
        f = fnew;
        if (sy > 1e-12 * sqrt(ss * yy) && sy > 0) {
            if (fresh) { /* N&W 6.20: scale the identity before the first update */
                set_identity(n, H, sy / yy);
                fresh = 0;
            }
            double rho = 1 / sy, yhy = 0;
            for (size_t i = 0; i < n; i++) {
                double v = 0;
                for (size_t j = 0; j < n; j++) v += H[i][j] * y[j];
                hy[i] = v;
                yhy += y[i] * v;
            }
            /* H+ = H - rho (H y s' + s y' H) + (rho^2 y'Hy + rho) s s' */
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < n; j++)
                    H[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
        /* No representable progress although the step was accepted: the noise floor. */
        if (fold - f <= 4e-16 * fabs(f) && max_abs(n, g) <= sqrt(tol) * scale) {
            res->converged = 1;
            break;
        }
    }
    res->f = f;
    res->grad_max = max_abs(n, g);
    res->iterations = it;
#undef STOPPED
}

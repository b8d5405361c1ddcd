/* optimize.h - a small unconstrained minimiser for the model fits (not installed). */
#ifndef CRM_OPTIMIZE_H
#define CRM_OPTIMIZE_H

#include <stddef.h>
#include <stdint.h>

/* Largest problem the minimiser handles (the models have at most 4 parameters). */
#define CRM__OPT_MAX_DIM 8

/* Objective: returns f(x) (+inf or NaN where undefined) and, when grad is
 * not NULL, writes the gradient. ctx is passed through untouched. */
typedef double (*crm__objective)(void *ctx, const double *x, double *grad);

typedef struct crm__opt_result {
    double f;           /* objective at the returned point */
    double grad_max;    /* max |gradient| there */
    int64_t iterations; /* BFGS iterations taken */
    int converged;      /* 1 when the gradient test was met */
    int finite;         /* 0 when the objective was not finite at the start */
} crm__opt_result;

/* Minimise fn over R^n (n <= CRM__OPT_MAX_DIM) from x (overwritten by the
 * best point found) by BFGS with a backtracking Armijo line search.
 * analytic_grad = 0 makes the minimiser differentiate f itself, only at
 * accepted points: forward differences while the gradient is large, central
 * ones near the optimum.
 * Coordinates are kept within [-bound, bound] (the models work in log space,
 * so this keeps every parameter finite and positive). Converged when
 * max |grad| <= tol * max(1, |f|); when no step can lower f any more the
 * point is accepted as converged if max |grad| <= sqrt(tol) * max(1, |f|)
 * (the gradient is then at the noise floor of f). stop, when not NULL, is
 * read after every evaluation of fn: once it is non-zero the minimiser
 * returns at once with x the best point accepted so far. */
void crm__minimize(size_t n, double *x, crm__objective fn, void *ctx, int analytic_grad, int64_t max_iter,
                   double tol, double bound, const int *stop, crm__opt_result *res);

/* Central-difference step in log-parameter space: about cbrt(DBL_EPSILON). */
#define CRM__FD_CENTRAL_STEP 6e-6

/* The one finite-difference routine every numeric derivative here is built
 * on (the minimiser's gradients, the standard errors' Hessians): fn at
 * x + h e_i into fp[i] and, when fm is not NULL, at x - h e_i into fm[i], for
 * each coordinate i < n, the plus side first. When gp is not NULL fn's own
 * gradient is asked for too: at x + h e_i into gp[i * n .. i * n + n - 1],
 * and at x - h e_i into gm likewise (gm needs fm). */
void crm__fd_probe(size_t n, const double *x, double h, crm__objective fn, void *ctx, double *fp, double *fm,
                   double *gp, double *gm);

/* Gradient of fn at x by central differences with step h (one-sided where
 * a side is not finite). Returns f(x). */
double crm__numeric_gradient(size_t n, const double *x, crm__objective fn, void *ctx, double h, double *grad);

#endif /* CRM_OPTIMIZE_H */

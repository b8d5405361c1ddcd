/* special.h - special functions for the customer-value models (not installed).
 *
 * Everything here is pure and reentrant: no errno, no signgam, no global
 * state (C99 lgamma() writes the global signgam, so it is not used). */
#ifndef CRM_SPECIAL_H
#define CRM_SPECIAL_H

#include <math.h>

/* log Gamma(x) and digamma(x) for x > 0 (absolute error ~1e-15 near the
 * zeros of log Gamma, relative ~1e-15 elsewhere). */
double crm__lgamma(double x);
double crm__digamma(double x);
/* log B(a, b) for a, b > 0. */
double crm__lbeta(double a, double b);
/* log Gamma(x + d) - log Gamma(x) and digamma(x + d) - digamma(x) for x > 0,
 * x + d > 0, accurate to the size of the difference (not of log Gamma(x))
 * when x is huge: the parameters of a model near a limit (a shape of 1e12)
 * keep their likelihood differences exact. */
double crm__lgamma_ratio(double x, double d);
double crm__digamma_diff(double x, double d);

/* log(e^a + e^b) without overflow; -inf operands allowed. */
double crm__logaddexp(double a, double b);
/* log(e^a - e^b) for a >= b; -inf when a == b. */
double crm__logdiffexp(double a, double b);
/* 1 / (1 + e^u), exactly 0 or 1 in the tails, never raising overflow. */
double crm__logistic_neg(double u);
/* (1 - e^(c L)) / c, continuous at c = 0 (where it is -L). */
double crm__one_minus_pow_over(double c, double L);

/* Compensated summation step (Neumaier 1974): *sum += v, with the rounding
 * error carried in *comp; the total is *sum + *comp. */
static inline void crm__ksum(double *sum, double *comp, double v) {
    double t = *sum + v;
    if (fabs(*sum) >= fabs(v))
        *comp += (*sum - t) + v;
    else
        *comp += (v - t) + *sum;
    *sum = t;
}

/* Regularized incomplete beta I_x(a, b) for a, b > 0; y = 1 - x is passed
 * separately so that tails near x = 1 keep their accuracy. */
double crm__betainc(double a, double b, double x, double y);

/* log 2F1(rho, t; rho + 1; z) for rho, t > 0 and 0 <= z < 1, given
 * lz = log z (-inf for z = 0) and l1mz = log(1 - z). This is the Gauss
 * hypergeometric function of the Pareto/NBD likelihood (Fader, Hardie & Lee
 * 2005, "A note on deriving the Pareto/NBD model and related expressions").
 * Log-scaled power series while it converges quickly; otherwise Euler's
 * integral rho * int_0^1 u^(rho-1) (1 - z u)^(-t) du by tanh-sinh quadrature. */
double crm__log_hyp2f1_pnbd(double rho, double t, double lz, double l1mz);

/* sum_{k >= 1} (A)_k (a)_(k-1) / ((C)_k k!) z^k for 0 <= z < 1 and C > 0:
 * 2F1(A, a - 1; C; z) = 1 + (a - 1) * this, which lets BG/NBD-type
 * expectations divide by (a - 1) without cancellation. */
double crm__hyp2f1_tail(double A, double a, double C, double z);

/* log of int_0^1 exp(f(u)) du by tanh-sinh (double-exponential) quadrature.
 * f receives log u and log(1 - u), both accurate near the ends, and returns
 * the log integrand (-inf allowed). Relative accuracy ~1e-13 for integrands
 * that are smooth inside (0, 1), whatever their end-point behaviour. */
typedef double (*crm__log_integrand)(void *ctx, double lu, double l1mu);
double crm__log_quad01(crm__log_integrand f, void *ctx);
/* The same over (lo, hi), 0 <= lo < hi <= 1: f still receives log u and
 * log(1 - u) of the point u of (lo, hi), exact at an end that is 0 or 1.
 * For integrands concentrated on a small part of (0, 1). */
double crm__log_quad_range(crm__log_integrand f, void *ctx, double lo, double hi);

#endif /* CRM_SPECIAL_H */

/* paretonbd.c - Pareto/NBD (Schmittlein, Morrison & Colombo 1987),
 * in the forms of Fader, Hardie & Lee 2005, "A note on deriving the
 * Pareto/NBD model and related expressions" (FHL-note) and Fader & Hardie,
 * "Deriving an expression for P(X(t) = x) under the Pareto/NBD model" (2006).
 *
 * Likelihood (FHL-note eq. 19-21): with rho = r+s+x,
 *   L = Gamma(r+x) alpha^r beta^s / Gamma(r)
 *       * [ (alpha+T)^-(r+x) (beta+T)^-s + s/rho (G(t_x) - G(T)) ]
 *   G(tau) = 2F1(rho, u; rho+1; |alpha-beta| / (m+tau)) / (m+tau)^rho
 * where m = max(alpha, beta) and u = s+1 when alpha >= beta, else r+x, so the
 * argument of 2F1 always lies in [0, 1). Everything is evaluated in logs
 * (large x makes G both huge and tiny); G(t_x) - G(T) by log-diff-exp.
 * (s/rho)(G(t_x) - G(T)) equals s times the integral over (t_x, T) of
 * (alpha+tau)^-(r+x) (beta+tau)^-(s+1): dying at tau after the last purchase. */
#include "models/models.h"
#include "models/special.h"

#include <math.h>

/* log G(tau) given log(alpha+tau), log(beta+tau). */
static double pnbd_log_g(const double *p, double x, double la, double lb) {
    double r = p[0], al = p[1], s = p[2], be = p[3];
    double rho = r + s + x;
    int a_ge_b = al >= be;
    double lmax = a_ge_b ? la : lb, lmin = a_ge_b ? lb : la;
    double u = a_ge_b ? s + 1 : r + x;
    double delta = fabs(al - be);
    double lz = delta > 0 ? log(delta) - lmax : -INFINITY;
    return crm__log_hyp2f1_pnbd(rho, u, lz, lmin - lmax) - rho * lmax;
}

/* log of the bracket above for one row, split into its two parts; lsr is
 * log(s / (r+s+x)). */
static void pnbd_parts(const double *p, double x, double lsr, double la_T, double lb_T, double lg_tx,
                       double lg_T, int tx_is_T, double *a1, double *a2) {
    double r = p[0], s = p[2];
    *a1 = -(r + x) * la_T - s * lb_T;
    *a2 = tx_is_T ? -INFINITY : lsr + crm__logdiffexp(lg_tx, lg_T);
}

/* log G at the distinct time j for the current x group, computed once per
 * group: d->stamp[j] records the generation d->gen (one per group) of LG[j]. */
static double memo_log_g(const double *p, double x, crm__rows *d, uint32_t j) {
    size_t nt = d->ntimes;
    double *LA = d->work, *LB = d->work + nt, *LG = d->work + 2 * nt;
    if (d->stamp[j] != d->gen) {
        LG[j] = pnbd_log_g(p, x, LA[j], LB[j]);
        d->stamp[j] = d->gen;
    }
    return LG[j];
}

/* grad stays unwritten: the signature is the ops table's. */
static double pnbd_loglik(const double *p, crm__rows *d,
                          double *grad) { /* NOLINT(readability-non-const-parameter) */
    double r = p[0], al = p[1], s = p[2], be = p[3];
    (void)grad; /* no analytic gradient: the minimiser differentiates numerically */
    if (!(r > 0 && al > 0 && s > 0 && be > 0) || !isfinite(r + al + s + be)) return NAN;
    size_t nt = d->ntimes;
    double *LA = d->work, *LB = d->work + nt;
    for (size_t j = 0; j < nt; j++) {
        LA[j] = log(al + d->times[j]);
        LB[j] = log(be + d->times[j]);
    }
    /* Neumaier-compensated sums: the numeric gradient divides rounding noise
     * of the total by its step, so the total is kept to a few ulps. */
    double ll = 0, llc = 0;
    for (size_t g = 0; g < d->ngroups; g++) {
        size_t i0 = d->gstart[g], i1 = d->gstart[g + 1];
        double x = d->x[i0], wg = 0, lsr = log(s) - log(r + s + x);
        /* G depends on (x, time) only: memoise it per group (a new generation). */
        d->gen++;
        for (size_t i = i0; i < i1; i++) {
            double w = d->w[i];
            uint32_t jt = d->itx[i], jT = d->iT[i];
            double a1, a2;
            wg += w;
            if (jt == jT) {
                pnbd_parts(p, x, lsr, LA[jT], LB[jT], 0, 0, 1, &a1, &a2);
            } else {
                double lg_tx = memo_log_g(p, x, d, jt), lg_T = memo_log_g(p, x, d, jT);
                pnbd_parts(p, x, lsr, LA[jT], LB[jT], lg_tx, lg_T, 0, &a1, &a2);
            }
            crm__ksum(&ll, &llc, w * crm__logaddexp(a1, a2));
        }
        crm__ksum(&ll, &llc, wg * crm__lgamma(r + x));
    }
    crm__ksum(&ll, &llc, d->wsum * (r * log(al) + s * log(be) - crm__lgamma(r)));
    ll += llc;
    return ll;
}

static void pnbd_start(const crm__rows *d, double *p) {
    double mean_T;
    p[0] = 1;
    p[1] = crm__start_alpha(d, &mean_T);
    p[2] = 1;
    p[3] = mean_T; /* mean lifetime of the order of the observation time */
}

/* Log-odds of having died: (s/rho)(G(t_x) - G(T)) over the alive part (FHL-note eq. 18). */
static double pnbd_dead_log_odds(const double *p, double x, double tx, double T) {
    double r = p[0], al = p[1], s = p[2], be = p[3];
    double la_T = log(al + T), lb_T = log(be + T);
    double a1, a2;
    if (tx == T) return -INFINITY;
    double lg_tx = pnbd_log_g(p, x, log(al + tx), log(be + tx));
    double lg_T = pnbd_log_g(p, x, la_T, lb_T);
    pnbd_parts(p, x, log(s) - log(r + s + x), la_T, lb_T, lg_tx, lg_T, 0, &a1, &a2);
    return a2 - a1;
}

static double pnbd_p_alive(const double *p, double x, double tx, double T) {
    return crm__logistic_neg(pnbd_dead_log_odds(p, x, tx, T));
}

/* FHL-note eq. 22 (Schmittlein et al. 1987): E = P(alive) E_alive with
 * E_alive = (r+x)(beta+T) / ((alpha+T)(s-1)) [1 - ((beta+T)/(beta+T+t))^(s-1)],
 * the bracket over (s-1) by expm1 so that s = 1 needs no special case. */
static double pnbd_expected_alive(const double *p, double t, double x, double T) {
    double r = p[0], al = p[1], s = p[2], be = p[3];
    if (t == 0) return 0;
    double L = -log1p(t / (be + T));
    return (r + x) * (be + T) / (al + T) * crm__one_minus_pow_over(s - 1, L);
}

typedef struct pnbd_prob_ctx {
    double r, al, s, be, t, n;
} pnbd_prob_ctx;

/* log of t (t u)^n (alpha + t u)^-(r+n) (beta + t u)^-(s+1), tau = t u. */
static double pnbd_prob_integrand(void *ctx, double lu, double l1mu) {
    const pnbd_prob_ctx *c = ctx;
    double u = exp(lu), tau = c->t * u;
    double v = log(c->t) - (c->r + c->n) * log(c->al + tau) - (c->s + 1) * log(c->be + tau);
    (void)l1mu;
    if (c->n > 0) v += c->n * (log(c->t) + lu);
    return v;
}

/* P(X(t) = n): alive at t with n purchases, plus death at tau < t after n
 * purchases (Fader & Hardie 2006, eq. 6 written as the integral it comes
 * from, which tanh-sinh quadrature evaluates without the cancellation of the
 * closed form's difference of hypergeometric sums). */
static double pnbd_prob(const double *p, double t, int64_t n) {
    double r = p[0], al = p[1], s = p[2], be = p[3];
    if (t == 0) return n == 0 ? 1 : 0;
    double dn = (double)n;
    double lnb = crm__nbd_logpmf(r, al, t, n);
    double alive = exp(lnb + s * (log(be) - log(be + t)));
    pnbd_prob_ctx c = {r, al, s, be, t, dn};
    double li = crm__log_quad01(pnbd_prob_integrand, &c);
    double dead = exp(crm__lgamma(r + dn) - crm__lgamma(r) - crm__lgamma(dn + 1) + r * log(al) + log(s) +
                      s * log(be) + li);
    double v = alive + dead;
    return v > 1 ? 1 : v;
}

const crm__model_ops crm__paretonbd_ops = {CRM_MODEL_KIND_PARETO_NBD,
                                           4,
                                           {"r", "alpha", "s", "beta"},
                                           0,
                                           pnbd_loglik,
                                           pnbd_start,
                                           pnbd_p_alive,
                                           pnbd_expected_alive,
                                           pnbd_prob};

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

/* Whether the hypergeometric form suits a row whose earliest time is tau0:
 * its power series is short (the terms needed grow as 1 - z shrinks, z the
 * argument at tau0) and the normalising terms r log alpha + s log beta it is
 * combined with are small enough to add without losing the result to
 * rounding. Elsewhere (s or beta running off towards the common drop-out
 * limit) the death integral is integrated directly (pnbd_log_death_gl). */
static int pnbd_series_ok(const double *p, double x, double tau0) {
    double r = p[0], al = p[1], s = p[2], be = p[3];
    int a_ge_b = al >= be;
    double m = a_ge_b ? al : be, u = a_ge_b ? s + 1 : r + x;
    double z = fabs(al - be) / (m + tau0), omz = (fmin(al, be) + tau0) / (m + tau0);
    double need = (u * z + 10 * sqrt(u * z) + 40) / omz;
    double mag = r * fabs(log(al)) + s * fabs(log(be)) + (r + s + x) * fabs(log(m + tau0));
    return need < 500 && mag < 1e3;
}

/* Gauss-Legendre nodes and weights on [-1, 1], 20 points (the positive half). */
static const double gl_x[10] = {
    0.0765265211334973, 0.2277858511416451, 0.3737060887154195, 0.5108670019508271, 0.6360536807265150,
    0.7463319064601508, 0.8391169718222188, 0.9122344282513259, 0.9639719272779138, 0.9931285991850949};
static const double gl_w[10] = {
    0.1527533871307258, 0.1491729864726037, 0.1420961093183820, 0.1316886384491766, 0.1181945319615184,
    0.1019301198172404, 0.0832767415767048, 0.0626720483341091, 0.0406014298003869, 0.0176140071391521};

/* The death integrand of one row: (alpha/(alpha+tau))^r (alpha+tau)^-x
 * times the Pareto density (s/beta) (1+tau/beta)^-(s+1), in forms that stay
 * exact for huge r, alpha, s and beta (the common drop-out limit). */
typedef struct pnbd_death {
    double r, al, s1, be, x, lc; /* s1 = s + 1, lc = log(s / beta) */
} pnbd_death;

static double pnbd_log_death_at(const pnbd_death *d, double tau) {
    double v = d->lc - d->r * log1p(tau / d->al) - d->s1 * log1p(tau / d->be);
    return d->x > 0 ? v - d->x * log(d->al + tau) : v;
}

/* log of the death term: the integral of the death integrand over (t_x, T),
 * by 20-point Gauss-Legendre on panels. The log integrand phi is convex and
 * decreasing, so a panel starting at tau whose width is 8 / |phi'(tau)| sees
 * phi fall by at most 8, and a width of 1.5 times the distance to the nearest
 * singularity (-min(alpha, beta)) keeps the rule's error below 1e-20; the
 * integral stops once what remains, at most e^phi / |phi'|, is below 1e-17 of
 * the sum. About log(T / min(alpha, beta)) / log(2.5) panels at worst. */
static double pnbd_log_death_gl(const double *p, double x, double tx, double T) {
    double r = p[0], al = p[1], s = p[2], be = p[3];
    pnbd_death d = {r, al, s + 1, be, x, log(s) - log(be)};
    double k = r + x, mn = fmin(al, be);
    double a = tx, lmax = pnbd_log_death_at(&d, tx), sum = 0;
    for (int panel = 0; panel < 4000 && a < T; panel++) {
        double slope = k / (al + a) + (s + 1) / (be + a); /* |phi'(a)| */
        if (sum > 0 && pnbd_log_death_at(&d, a) - lmax - log(slope) < log(sum) - 40) break;
        double h = fmin(T - a, fmin(8 / slope, 1.5 * (mn + a)));
        double c = a + 0.5 * h, hh = 0.5 * h, acc = 0;
        for (int i = 0; i < 10; i++)
            acc += gl_w[i] * (exp(pnbd_log_death_at(&d, c - hh * gl_x[i]) - lmax) +
                              exp(pnbd_log_death_at(&d, c + hh * gl_x[i]) - lmax));
        sum += hh * acc;
        a = (h == T - a) ? T : a + h;
    }
    return sum > 0 ? lmax + log(sum) : -INFINITY;
}

/* The two parts of a row's likelihood bracket, normalised by
 * alpha^r beta^s: *a1 = log of (alpha/(alpha+T))^r (alpha+T)^-x (beta/(beta+T))^s,
 * alive at T; *a2 = log of the death integral over (t_x, T). lg_tx and lg_T
 * are log G at t_x and T when the hypergeometric form is used (series != 0). */
static void pnbd_parts(const double *p, double x, double tx, double T, int series, double lg_tx, double lg_T,
                       double *a1, double *a2) {
    double r = p[0], al = p[1], s = p[2], be = p[3];
    *a1 = -r * log1p(T / al) - s * log1p(T / be);
    if (x > 0) *a1 -= x * log(al + T);
    if (tx == T)
        *a2 = -INFINITY;
    else if (series)
        *a2 = log(s) - log(r + s + x) + r * log(al) + s * log(be) + crm__logdiffexp(lg_tx, lg_T);
    else
        *a2 = pnbd_log_death_gl(p, x, tx, T);
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
        double x = d->x[i0], wg = 0;
        /* G depends on (x, time) only: memoise it per group (a new generation). */
        d->gen++;
        for (size_t i = i0; i < i1; i++) {
            double w = d->w[i];
            uint32_t jt = d->itx[i], jT = d->iT[i];
            double a1, a2;
            wg += w;
            if (jt == jT) {
                pnbd_parts(p, x, d->tx[i], d->T[i], 0, 0, 0, &a1, &a2);
            } else if (pnbd_series_ok(p, x, d->tx[i])) {
                double lg_tx = memo_log_g(p, x, d, jt), lg_T = memo_log_g(p, x, d, jT);
                pnbd_parts(p, x, d->tx[i], d->T[i], 1, lg_tx, lg_T, &a1, &a2);
            } else {
                pnbd_parts(p, x, d->tx[i], d->T[i], 0, 0, 0, &a1, &a2);
            }
            crm__ksum(&ll, &llc, w * crm__logaddexp(a1, a2));
        }
        crm__ksum(&ll, &llc, wg * crm__lgamma_ratio(r, x));
    }
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

/* Log-odds of having died: the death part over the alive part (FHL-note eq. 18). */
static double pnbd_dead_log_odds(const double *p, double x, double tx, double T) {
    double al = p[1], be = p[3];
    double a1, a2;
    if (tx == T) return -INFINITY;
    if (pnbd_series_ok(p, x, tx)) {
        double lg_tx = pnbd_log_g(p, x, log(al + tx), log(be + tx));
        double lg_T = pnbd_log_g(p, x, log(al + T), log(be + T));
        pnbd_parts(p, x, tx, T, 1, lg_tx, lg_T, &a1, &a2);
    } else {
        pnbd_parts(p, x, tx, T, 0, 0, 0, &a1, &a2);
    }
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

/* log of t tau^n alpha^r (alpha + tau)^-(r+n) (s/beta) (1 + tau/beta)^-(s+1),
 * tau = t u: the death density at tau after n purchases, in forms that stay
 * exact for huge r, alpha, s, beta. */
static double pnbd_prob_integrand(void *ctx, double lu, double l1mu) {
    const pnbd_prob_ctx *c = ctx;
    double u = exp(lu), tau = c->t * u;
    double v =
        log(c->t) - c->r * log1p(tau / c->al) - (c->s + 1) * log1p(tau / c->be) + log(c->s) - log(c->be);
    (void)l1mu;
    if (c->n > 0) v += c->n * (log(c->t) + lu - log(c->al + tau));
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
    double alive = exp(lnb - s * log1p(t / be));
    pnbd_prob_ctx c = {r, al, s, be, t, dn};
    double li = crm__log_quad01(pnbd_prob_integrand, &c);
    double dead = exp(crm__lgamma_ratio(r, dn) - crm__lgamma(dn + 1) + li);
    double v = alive + dead;
    return v > 1 ? 1 : v;
}

/* Alive at T after x repeat purchases: lambda ~ gamma(r+x, alpha+T) and
 * mu ~ gamma(s, beta+T), memoryless from there on. */
static double pnbd_prob_alive(const double *p, double t, int64_t n, double x, double T) {
    double q[4] = {p[0] + x, p[1] + T, p[2], p[3] + T};
    return pnbd_prob(q, t, n);
}

const crm__model_ops crm__paretonbd_ops = {CRM_MODEL_KIND_PARETO_NBD,
                                           4,
                                           {"r", "alpha", "s", "beta"},
                                           0,
                                           pnbd_loglik,
                                           pnbd_start,
                                           pnbd_p_alive,
                                           pnbd_expected_alive,
                                           pnbd_prob,
                                           pnbd_prob_alive};

/* bgnbd.c - BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers
 * the easy way", Marketing Science 24(2)), and the likelihood, start and
 * P(X(t) = n) it shares with MBG/NBD (mbgnbd.c).
 *
 * The two models differ only in when a customer may drop out: BG/NBD after
 * each repeat purchase, MBG/NBD also right after the first one (Batislam,
 * Denizel & Filiztekin 2007). With e = 0 (BG) or 1 (MBG) the individual
 * likelihood is
 *   L = B(a, b+x+e)/B(a, b) Gamma(r+x) alpha^r / Gamma(r)
 *       * (alpha+T)^-(r+x) [1 + c ((alpha+T)/(alpha+t_x))^(r+x)],  c = a/(b+x-1+e)
 * where for BG/NBD the bracket's second term is present only for x > 0
 * (FHL 2005 eq. 6). */
#include "models/models.h"
#include "models/special.h"

#include <math.h>

/* Written so that every term stays exact when shapes and scales run off
 * towards a limit together (r and alpha, or a and b, of 1e12 and more):
 * r log alpha - (r+x) log(alpha+t) as -r log1p(t/alpha) - x log(alpha+t),
 * and the log-gamma and digamma terms as differences (crm__lgamma_ratio). */
double crm__bg_family_loglik(const double *p, crm__rows *d, double *grad, int modified) {
    double r = p[0], al = p[1], a = p[2], b = p[3];
    if (!(r > 0 && al > 0 && a > 0 && b > 0) || !isfinite(r + al + a + b)) return NAN;
    double e = modified ? 1 : 0;
    size_t nt = d->ntimes;
    /* Per distinct time: log(alpha+t), log1p(t/alpha), 1/(alpha+t), t/(alpha(alpha+t)). */
    double *LA = d->work, *L1 = d->work + nt, *IA = d->work + 2 * nt, *RA = d->work + 3 * nt;
    for (size_t j = 0; j < nt; j++) {
        double t = d->times[j], v = al + t;
        LA[j] = log(v);
        L1[j] = log1p(t / al);
        IA[j] = 1 / v;
        RA[j] = t / (al * v);
    }
    double ll = 0, gr = 0, gal = 0, ga = 0, gb = 0;
    for (size_t g = 0; g < d->ngroups; g++) {
        size_t i0 = d->gstart[g], i1 = d->gstart[g + 1];
        double x = d->x[i0], k = r + x, wg = 0;
        if (!modified && x == 0) {
            /* No repeat purchase: L = (alpha/(alpha+T))^r. */
            double sll = 0, sal = 0;
            for (size_t i = i0; i < i1; i++) {
                double w = d->w[i];
                uint32_t jT = d->iT[i];
                wg += w;
                sll += w * L1[jT];
                sal += w * RA[jT];
            }
            ll -= r * sll;
            gr -= sll;
            gal += r * sal;
        } else {
            /* -r log1p(t_x/alpha) - x log(alpha+t_x) + log(q + c) with
             * q = ((alpha+t_x)/(alpha+T))^(r+x) in (0, 1]: no overflow for any x. */
            double bx = b + x - 1 + e, c = a / bx;
            double sll = 0, sr = 0, sal = 0, s2 = 0;
            for (size_t i = i0; i < i1; i++) {
                double w = d->w[i];
                uint32_t jt = d->itx[i], jT = d->iT[i];
                double q = exp(-k * (L1[jT] - L1[jt]));
                double S = q + c, inv = 1 / S;
                double w1 = q * inv, w2 = c * inv;
                double dI = (d->T[i] - d->tx[i]) * IA[jt] * IA[jT]; /* IA[jt] - IA[jT] */
                wg += w;
                sll += w * (log(S) - r * L1[jt] - x * LA[jt]);
                sr += w * (w1 * L1[jT] + w2 * L1[jt]);
                sal += w * (r * RA[jt] - x * IA[jt] + w1 * k * dI);
                s2 += w * w2;
            }
            ll += sll;
            gr -= sr;
            gal += sal;
            ga += s2 / a;
            gb -= s2 / bx;
        }
        /* Gamma(r+x)/Gamma(r) B(a, b+x+e)/B(a, b), the beta ratio as
         * Gamma(b+x+e)/Gamma(b) over Gamma(a+b+x+e)/Gamma(a+b). */
        double dab = crm__digamma_diff(a + b, x + e);
        ll += wg * (crm__lgamma_ratio(r, x) + crm__lgamma_ratio(b, x + e) - crm__lgamma_ratio(a + b, x + e));
        gr += wg * crm__digamma_diff(r, x);
        gb += wg * (crm__digamma_diff(b, x + e) - dab);
        ga -= wg * dab;
    }
    if (grad) {
        grad[0] = r * gr;
        grad[1] = al * gal;
        grad[2] = a * ga;
        grad[3] = b * gb;
    }
    return ll;
}

double crm__start_alpha(const crm__rows *d, double *mean_T) {
    double sx = 0, sT = 0;
    for (size_t i = 0; i < d->n; i++) {
        sx += d->w[i] * d->x[i];
        sT += d->w[i] * d->T[i];
    }
    double meanT = sT / d->wsum;
    if (!(meanT > 0)) meanT = 1;
    *mean_T = meanT;
    double alpha = sx > 0 ? sT / sx : 10 * meanT;
    return alpha > 1e-8 ? alpha : 1e-8;
}

void crm__bg_family_start(const crm__rows *d, double *p) {
    double mean_T;
    /* r = 1 and alpha = (total time) / (repeat purchases): the pooled rate. */
    p[0] = 1;
    p[1] = crm__start_alpha(d, &mean_T);
    p[2] = 1;
    p[3] = 2;
}

double crm__nbd_logpmf(double r, double alpha, double t, int64_t n) {
    double ll = crm__lgamma_ratio(r, (double)n) - crm__lgamma((double)n + 1) - r * log1p(t / alpha);
    if (n > 0) ll += (double)n * (log(t) - log(alpha + t));
    return ll;
}

/* FHL 2005 eq. 8 (BG/NBD); for MBG/NBD the same argument with a drop-out
 * chance at time 0: P = B(a,b+n+1)/B(a,b) NBD(n) + B(a+1,b+n)/B(a,b) P(NBD >= n).
 * The NBD tail P(N(t) >= n) is the regularized incomplete beta
 * I_{t/(alpha+t)}(n, r), so no 1 - sum cancellation. */
double crm__bg_family_prob(const double *p, double t, int64_t n, int modified) {
    double r = p[0], al = p[1], a = p[2], b = p[3];
    if (t == 0) {
        if (n != 0) return 0;
        return 1;
    }
    double dn = (double)n;
    double e = modified ? 1 : 0;
    /* B(a, b+n+e)/B(a, b) and B(a+1, b+n-1+e)/B(a, b) as log-gamma
     * differences, exact for huge a and b. */
    double lfirst = crm__lgamma_ratio(b, dn + e) - crm__lgamma_ratio(a + b, dn + e);
    double first = exp(lfirst + crm__nbd_logpmf(r, al, t, n));
    double second = 0;
    if (n > 0 || modified) {
        double tail = n > 0 ? crm__betainc(dn, r, t / (al + t), al / (al + t)) : 1;
        double d = dn - 1 + e;
        second = exp(log(a) + crm__lgamma_ratio(b, d) - crm__lgamma_ratio(a + b, d + 1)) * tail;
    }
    double v = first + second;
    return v > 1 ? 1 : v;
}

/* log of c ((alpha+T)/(alpha+t_x))^(r+x): the odds of having dropped out. */
static double bg_dead_log_odds(const double *p, double x, double tx, double T, int modified) {
    double r = p[0], al = p[1], a = p[2], b = p[3];
    return log(a) - log(b + x - 1 + (modified ? 1 : 0)) + (r + x) * (log(al + T) - log(al + tx));
}

double crm__bg_family_p_alive(const double *p, double x, double tx, double T, int modified) {
    /* FHL 2005 note "Computing P(alive) using the BG/NBD model": 1 for x = 0;
     * MBG/NBD customers may have left right after the first purchase. */
    if (!modified && x == 0) return 1;
    return crm__logistic_neg(bg_dead_log_odds(p, x, tx, T, modified));
}

static double bgnbd_p_alive(const double *p, double x, double tx, double T) {
    return crm__bg_family_p_alive(p, x, tx, T, 0);
}

/* Conditional expectation, FHL 2005 eq. 10 (MBG/NBD: Batislam et al. 2007),
 * E = P(alive) E_alive, after Euler's transformation of 2F1(r+x, b+x+e; C; z),
 * C = a+b+x-1+e:
 *   y^(r+x) 2F1(r+x, b+x+e; C; z) = y^(a-1) 2F1(C-r-x, a-1; C; z)
 * with y = (alpha+T)/(alpha+T+t), z = 1 - y. Splitting off the factor (a-1)
 * of every term gives
 *   E_alive = C [ (1 - y^(a-1))/(a-1) - y^(a-1) G ],
 * G = sum_k (C-r-x)_k (a)_(k-1) / ((C)_k k!) z^k, finite at a = 1 and free
 * of the huge terms the original series has for large x. */
typedef struct bg_alive_ctx {
    double a, bx, k, tau, lb;
} bg_alive_ctx;

/* log of p^(a-2) (1-p)^(b'-1) / B(a, b') [1 - (1 + p tau)^-k]. */
static double bg_alive_integrand(void *vctx, double lp, double l1mp) {
    const bg_alive_ctx *c = vctx;
    double q = -expm1(-c->k * log1p(exp(lp) * c->tau));
    if (!(q > 0)) return -INFINITY;
    return (c->a - 2) * lp + (c->bx - 1) * l1mp + log(q) - c->lb;
}

/* The same expectation as an integral over the posterior drop-out
 * probability: given lambda and p, an active customer buys
 * (1 - e^(-lambda p t)) / p times on average before leaving; averaging over
 * lambda ~ gamma(r+x, alpha+T) and p ~ beta(a, b+x+e) gives
 *   E_alive = E_p[ (1 - (1 + p t/(alpha+T))^-(r+x)) / p ].
 * Used when z is so close to 1 that the series would need thousands of terms. */
double crm__bg_family_expected_alive_quad(const double *p, double t, double x, double T, int modified) {
    double r = p[0], al = p[1], a = p[2], b = p[3];
    double bx = b + x + (modified ? 1 : 0);
    bg_alive_ctx c = {a, bx, r + x, t / (al + T), crm__lbeta(a, bx)};
    double n = a + bx;
    if (n > 1e4) {
        /* p ~ beta(a, b') is then concentrated within a few standard
         * deviations of its mean: integrate over mean +- 50 sd only. */
        double m = a / n, sd = sqrt(m * (1 - m) / (n + 1));
        double lo = fmax(0.0, m - 50 * sd), hi = fmin(1.0, m + 50 * sd);
        return exp(crm__log_quad_range(bg_alive_integrand, &c, lo, hi));
    }
    return exp(crm__log_quad01(bg_alive_integrand, &c));
}

double crm__bg_family_expected_alive(const double *p, double t, double x, double T, int modified) {
    double r = p[0], al = p[1], a = p[2], b = p[3];
    double e = modified ? 1 : 0;
    if (t == 0) return 0;
    double C = a + b + x - 1 + e, A = a + b - 1 + e - r;
    double L = -log1p(t / (al + T)), z = t / (al + T + t);
    /* The series below loses accuracy to cancellation as a grows (1e-13 at
     * a = 100) and needs about 40 / -log z terms: beyond a = 50 or 2000 terms
     * the integral over the drop-out probability is used instead, so the
     * series never runs long and no a cancels the expectation to 0. */
    if (a >= 50 || 40 / -log(z) > 2000) return crm__bg_family_expected_alive_quad(p, t, x, T, modified);
    double G = crm__hyp2f1_tail(A, a, C, z);
    double v = C * (crm__one_minus_pow_over(a - 1, L) - exp((a - 1) * L) * G);
    return v > 0 ? v : 0;
}

static double bgnbd_expected_alive(const double *p, double t, double x, double T) {
    return crm__bg_family_expected_alive(p, t, x, T, 0);
}

static double bgnbd_prob(const double *p, double t, int64_t n) { return crm__bg_family_prob(p, t, n, 0); }

double crm__bg_family_prob_alive(const double *p, double t, int64_t n, double x, double T, int modified) {
    /* Alive at T after x repeat purchases (and, for MBG/NBD, the chance at
     * the first one): lambda ~ gamma(r+x, alpha+T), p ~ beta(a, b+x+e), and
     * the next drop-out chance comes after the next purchase, as in a
     * BG/NBD customer's start. */
    double q[4] = {p[0] + x, p[1] + T, p[2], p[3] + x + (modified ? 1 : 0)};
    return crm__bg_family_prob(q, t, n, 0);
}

static double bgnbd_prob_alive(const double *p, double t, int64_t n, double x, double T) {
    return crm__bg_family_prob_alive(p, t, n, x, T, 0);
}

static double bgnbd_loglik(const double *p, crm__rows *rows, double *grad) {
    return crm__bg_family_loglik(p, rows, grad, 0);
}

const crm__model_ops crm__bgnbd_ops = {CRM_MODEL_KIND_BGNBD,
                                       4,
                                       {"r", "alpha", "a", "b"},
                                       1,
                                       bgnbd_loglik,
                                       crm__bg_family_start,
                                       bgnbd_p_alive,
                                       bgnbd_expected_alive,
                                       bgnbd_prob,
                                       bgnbd_prob_alive};

/* bgbb.c - BG/BB (Fader, Hardie & Shang 2010, "Customer-base analysis in a
 * discrete-time noncontractual setting", Marketing Science 29(6)).
 *
 * A customer alive at a transaction opportunity transacts with probability
 * p ~ beta(alpha, beta) and, at the start of each opportunity, becomes
 * inactive for good with probability theta ~ beta(gamma, delta). A row is
 * (x, t_x, n): x transactions in the n opportunities after the first one,
 * the last at opportunity t_x (0 when x = 0). The likelihood (FHS 2010
 * eq. 5) is
 *   L = B(a+x, b+n-x)/B(a,b) B(g, d+n)/B(g,d)
 *     + sum_{i=0}^{n-t_x-1} B(a+x, b+t_x-x+i)/B(a,b) B(g+1, d+t_x+i)/B(g,d),
 * summed here in logs (log-sum-exp). P(alive) is that of opportunity n+1
 * (FHS 2010 eq. 11, as BTYD's bgbb.PAlive); expectations follow from the
 * posterior p ~ beta(a+x, b+n-x) and theta ~ beta(g, d+n+1) of a customer
 * alive at n+1. Parameters are (alpha, beta, gamma, delta); time is counted
 * in opportunities. */
#include "models/models.h"
#include "models/special.h"

#include <math.h>

/* log of the individual likelihood of one (x, t_x, n) row. */
static double bgbb_row_loglik(const double *p, double lab, double lgd, double x, double tx, double n) {
    double a = p[0], b = p[1], g = p[2], d = p[3];
    double lp = crm__lbeta(a + x, b + n - x) - lab + crm__lbeta(g, d + n) - lgd;
    double m = n - tx;
    for (double i = 0; i < m; i += 1)
        lp =
            crm__logaddexp(lp, crm__lbeta(a + x, b + tx - x + i) - lab + crm__lbeta(g + 1, d + tx + i) - lgd);
    return lp;
}

static double bgbb_loglik(const double *p, crm__rows *rows, double *grad) {
    (void)grad; /* no analytic gradient: finite differences */
    double a = p[0], b = p[1], g = p[2], d = p[3];
    if (!(a > 0 && b > 0 && g > 0 && d > 0) || !isfinite(a + b + g + d)) return NAN;
    double lab = crm__lbeta(a, b), lgd = crm__lbeta(g, d), ll = 0, comp = 0;
    for (size_t i = 0; i < rows->n; i++)
        crm__ksum(&ll, &comp, rows->w[i] * bgbb_row_loglik(p, lab, lgd, rows->x[i], rows->tx[i], rows->T[i]));
    return ll + comp;
}

static void bgbb_start(const crm__rows *rows, double *p) {
    (void)rows;
    p[0] = 1;
    p[1] = 1;
    p[2] = 1;
    p[3] = 1;
}

/* P(alive at opportunity n+1 | x, t_x, n) (FHS 2010 eq. 11). */
static double bgbb_p_alive(const double *p, double x, double tx, double n) {
    double a = p[0], b = p[1], g = p[2], d = p[3];
    double lab = crm__lbeta(a, b), lgd = crm__lbeta(g, d);
    double lalive = crm__lbeta(a + x, b + n - x) - lab + crm__lbeta(g, d + n + 1) - lgd;
    double v = exp(lalive - bgbb_row_loglik(p, lab, lgd, x, tx, n));
    return v > 1 ? 1 : v;
}

/* sum_{k=0}^{N-1} B(g, D+k)/B(g, D): the expected number of the N
 * opportunities from one a customer alive at it is still alive at, for
 * theta ~ beta(g, D). Term by term for whole N up to 10^4; otherwise the
 * closed form (g+D-1)/(g-1) [1 - Gamma(D+N)Gamma(g+D-1)/(Gamma(D)Gamma(g+D-1+N))]
 * (its limit D (digamma(D+N) - digamma(D)) at g = 1), which also gives
 * non-integer N a value. */
static double alive_opportunities(double g, double D, double N) {
    if (N <= 0) return 0;
    if (N == floor(N) && N <= 1e4) {
        double s = 0, term = 1;
        for (double k = 0; k < N; k += 1) {
            s += term;
            term *= (D + k) / (g + D + k);
        }
        return s;
    }
    if (fabs(g - 1) < 1e-9) return D * crm__digamma_diff(D, N);
    double u = crm__lgamma_ratio(D, N) - crm__lgamma_ratio(g + D - 1, N);
    return (g + D - 1) / (g - 1) * -expm1(u);
}

/* E[X(n, n+t) | x, n, alive at n+1]: E[p] times the opportunities alive. */
static double bgbb_expected_alive(const double *p, double t, double x, double n) {
    double a = p[0], b = p[1], g = p[2], d = p[3];
    if (t == 0) return 0;
    return (a + x) / (a + b + n) * alive_opportunities(g, d + n + 1, t);
}

/* log of C(j, k) B(a+k, b+j-k)/B(a, b): the beta-binomial probability of k
 * transactions in j opportunities alive. */
static double betabinom_log(double a, double b, double j, double k) {
    return crm__lgamma(j + 1) - crm__lgamma(k + 1) - crm__lgamma(j - k + 1) + crm__lbeta(a + k, b + j - k) -
           crm__lbeta(a, b);
}

/* P(X(t) = k) of a new customer (FHS 2010 eq. 7); t a whole number (NaN otherwise). */
static double bgbb_prob(const double *p, double t, int64_t k) {
    double a = p[0], b = p[1], g = p[2], d = p[3], dk = (double)k;
    if (t != floor(t)) return NAN;
    if (dk > t) return 0;
    double lgd = crm__lbeta(g, d);
    double v = exp(betabinom_log(a, b, t, dk) + crm__lbeta(g, d + t) - lgd);
    for (double i = dk; i < t; i += 1) v += exp(betabinom_log(a, b, i, dk) + crm__lbeta(g + 1, d + i) - lgd);
    return v > 1 ? 1 : v;
}

/* P(X(n, n+t) = k | x, n, alive at n+1): alive at j of the t opportunities
 * (j = 1 .. t: dropping out at the start of opportunity n+1+j, or alive at
 * all t), and beta-binomial transactions in those j. */
static double bgbb_prob_alive(const double *p, double t, int64_t k, double x, double n) {
    double a = p[0] + x, b = p[1] + n - x, g = p[2], d = p[3] + n + 1, dk = (double)k;
    if (t != floor(t)) return NAN;
    if (t < 1) return k == 0 ? 1 : 0;
    if (dk > t) return 0;
    double lgd = crm__lbeta(g, d);
    double v = exp(betabinom_log(a, b, t, dk) + crm__lbeta(g, d + t - 1) - lgd);
    for (double j = dk > 1 ? dk : 1; j < t; j += 1)
        v += exp(betabinom_log(a, b, j, dk) + crm__lbeta(g + 1, d + j - 1) - lgd);
    return v > 1 ? 1 : v;
}

const crm__model_ops crm__bgbb_ops = {CRM_MODEL_KIND_BGBB,
                                      4,
                                      {"alpha", "beta", "gamma", "delta"},
                                      0,
                                      bgbb_loglik,
                                      bgbb_start,
                                      bgbb_p_alive,
                                      bgbb_expected_alive,
                                      bgbb_prob,
                                      bgbb_prob_alive};

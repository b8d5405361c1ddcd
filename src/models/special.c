/* special.c - log-gamma, digamma, incomplete beta, hypergeometric series and
 * a tanh-sinh quadrature, written for the customer-value models. */
#include "models/special.h"

#include <float.h>
#include <math.h>

#define CRM_LN_SQRT_2PI 0.91893853320467274178
#define CRM_EULER_GAMMA 0.57721566490153286061
#define CRM_PI          3.14159265358979323846

double crm__lgamma(double x) {
    if (isnan(x) || x < 0) return NAN;
    if (x == 0) return INFINITY;
    if (isinf(x)) return INFINITY;
    if (x < 1e-8) return -log(x) - CRM_EULER_GAMMA * x; /* Taylor: error O(x^2) */
    double shift = 0;
    if (x < 10) {
        /* Gamma(x) = Gamma(x + k) / (x (x+1) ... (x+k-1)); the product stays finite. */
        double prod = 1;
        while (x < 10) {
            prod *= x;
            x += 1;
        }
        shift = log(prod);
    }
    /* Stirling series (Abramowitz & Stegun 6.1.40); next term < 3e-17 at x = 10. */
    double z = 1 / x, z2 = z * z;
    double series =
        z *
        (1.0 / 12 - z2 * (1.0 / 360 -
                          z2 * (1.0 / 1260 -
                                z2 * (1.0 / 1680 - z2 * (1.0 / 1188 - z2 * (691.0 / 360360 - z2 / 156.0))))));
    return (x - 0.5) * log(x) - x + CRM_LN_SQRT_2PI + series - shift;
}

double crm__digamma(double x) {
    if (isnan(x) || x <= 0) return NAN;
    if (isinf(x)) return INFINITY;
    double acc = 0;
    while (x < 12) { /* psi(x) = psi(x + 1) - 1/x */
        acc -= 1 / x;
        x += 1;
    }
    /* Asymptotic series (A&S 6.3.18); next term < 1e-16 at x = 12. */
    double z = 1 / x, z2 = z * z;
    return acc + log(x) - 0.5 * z -
           z2 * (1.0 / 12 -
                 z2 * (1.0 / 120 -
                       z2 * (1.0 / 252 - z2 * (1.0 / 240 - z2 * (1.0 / 132 - z2 * 691.0 / 32760)))));
}

double crm__lbeta(double a, double b) { return crm__lgamma(a) + crm__lgamma(b) - crm__lgamma(a + b); }

/* x log1p(u) / (x u) - 1 = log1p(u)/u - 1 for |u| < 1, by its series where it is small. */
static double log1p_over_minus1(double u) {
    if (fabs(u) < 1e-3) return u * (-0.5 + u * (1.0 / 3 + u * (-0.25 + u * 0.2)));
    return log1p(u) / u - 1;
}

double crm__lgamma_ratio(double x, double d) {
    if (d == 0) return 0;
    if (x < 1e3 || !(fabs(d) < 0.5 * x)) return crm__lgamma(x + d) - crm__lgamma(x);
    /* Stirling's series (A&S 6.1.40) differenced term by term:
     * (x+d-1/2) log(x+d) - (x-1/2) log x - d = d log(x+d) + d (log1p(u)/u - 1) - log1p(u)/2,
     * u = d/x, then 1/(12 y) - 1/(360 y^3) at y = x+d minus at y = x. */
    double u = d / x, y = x + d;
    double v = d * log(y) + d * log1p_over_minus1(u) - 0.5 * log1p(u);
    v += (-d / (x * y)) / 12;
    v -= (1 / (y * y * y) - 1 / (x * x * x)) / 360;
    return v;
}

double crm__digamma_diff(double x, double d) {
    if (d == 0) return 0;
    if (x < 1e3 || !(fabs(d) < 0.5 * x)) return crm__digamma(x + d) - crm__digamma(x);
    /* psi(y) = log y - 1/(2y) - 1/(12 y^2) + 1/(120 y^4) - ... differenced. */
    double y = x + d, u = d / x;
    double v = log1p(u) + 0.5 * d / (x * y);
    v += d * (x + y) / (x * x * y * y) / 12;
    v += (1 / (y * y * y * y) - 1 / (x * x * x * x)) / 120;
    return v;
}

double crm__logaddexp(double a, double b) {
    if (a < b) {
        double t = a;
        a = b;
        b = t;
    }
    if (b == -INFINITY) return a;
    /* log rather than log1p: the result is a log, needed to absolute (not
     * relative) accuracy, and glibc's log is several times faster. */
    return a + log(1 + exp(b - a));
}

double crm__logdiffexp(double a, double b) {
    if (b == -INFINITY) return a;
    if (!(a > b)) return -INFINITY;
    double d = b - a; /* < 0 */
    /* log(1 - e^d): Maechler's log1mexp switch; expm1 keeps near-equal differences accurate. */
    return a + (d > -0.6931471805599453 ? log(-expm1(d)) : log(1 - exp(d)));
}

double crm__logistic_neg(double u) {
    if (u > 0) {
        if (u > 708) return 0; /* 1/(1+e^u) < 3.4e-308: report 0 without underflow */
        double e = exp(-u);
        return e / (1 + e);
    }
    if (u < -40) return 1; /* 1/(1+e^u) rounds to 1 */
    return 1 / (1 + exp(u));
}

double crm__one_minus_pow_over(double c, double L) {
    if (c == 0) return -L;
    return -expm1(c * L) / c;
}

/* Continued fraction of the incomplete beta function (DLMF 8.17.22), by the
 * modified Lentz method. Converges quickly for x < (a + 1) / (a + b + 2). */
static double betacf(double a, double b, double x) {
    const double tiny = 1e-300;
    double qab = a + b, qap = a + 1, qam = a - 1;
    double c = 1, d = 1 - qab * x / qap;
    if (fabs(d) < tiny) d = tiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 100000; m++) {
        double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1 + aa * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1 + aa / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1 + aa * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1 + aa / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < 4 * DBL_EPSILON) break;
    }
    return h;
}

double crm__betainc(double a, double b, double x, double y) {
    if (!(x > 0)) return 0;
    if (!(y > 0)) return 1;
    double lpre = a * log(x) + b * log(y) - crm__lbeta(a, b);
    if (x < (a + 1) / (a + b + 2)) return exp(lpre) * betacf(a, b, x) / a;
    return 1 - exp(lpre) * betacf(b, a, y) / b;
}

/* ---- tanh-sinh quadrature in log space ---- */

/* log(1 + e^v) without overflow. */
static double softplus(double v) { return v > 0 ? v + log1p(exp(-v)) : log1p(exp(v)); }

/* Running log-sum-exp. */
typedef struct lse_acc {
    double m; /* current maximum */
    double s; /* sum of e^(v - m) */
} lse_acc;

static void lse_add(lse_acc *acc, double v) {
    if (v == -INFINITY || isnan(v)) return;
    if (v <= acc->m) {
        acc->s += exp(v - acc->m);
    } else {
        acc->s = acc->s * exp(acc->m - v) + 1;
        acc->m = v;
    }
}

static double lse_value(const lse_acc *acc) { return acc->s > 0 ? acc->m + log(acc->s) : -INFINITY; }

/* Log of the transformed integrand at node s: u = logistic(pi sinh s), so
 * du/ds = pi cosh s u (1 - u) (Takahasi & Mori 1974). */
static double ts_node(crm__log_integrand f, void *ctx, double s) {
    double y = CRM_PI * sinh(s);
    double lu = -softplus(-y), l1mu = -softplus(y);
    double v = f(ctx, lu, l1mu);
    if (v == -INFINITY || isnan(v)) return -INFINITY;
    return v + log(CRM_PI * cosh(s)) + lu + l1mu;
}

typedef struct quad_range {
    crm__log_integrand f;
    void *ctx;
    double lo, w, lw; /* w = hi - lo, lw = log w */
    int lo0, hi1;     /* lo == 0, hi == 1 */
} quad_range;

/* The integrand of crm__log_quad_range at v in (0, 1): u = lo + w v. */
static double range_integrand(void *vctx, double lv, double l1mv) {
    const quad_range *q = vctx;
    double u = q->lo + q->w * exp(lv);
    double lu = q->lo0 ? q->lw + lv : log(u);
    double l1mu = q->hi1 ? q->lw + l1mv : log1p(-u);
    return q->f(q->ctx, lu, l1mu) + q->lw;
}

double crm__log_quad_range(crm__log_integrand f, void *ctx, double lo, double hi) {
    quad_range q = {f, ctx, lo, hi - lo, log(hi - lo), lo == 0, hi == 1};
    if (q.lo0 && q.hi1) return crm__log_quad01(f, ctx);
    return crm__log_quad01(range_integrand, &q);
}

double crm__log_quad01(crm__log_integrand f, void *ctx) {
    const double smax = 12; /* pi sinh 12 ~ 2.5e5: the weights vanish far earlier */
    double h = 0.5;
    lse_acc acc = {-INFINITY, 0};
    lse_add(&acc, ts_node(f, ctx, 0));
    /* Walk outwards on each side until the nodes no longer matter. */
    int kneg = 0, kpos = 0;
    for (int side = -1; side <= 1; side += 2) {
        int small = 0, k = 1;
        for (; k * h <= smax; k++) {
            double v = ts_node(f, ctx, side * k * h);
            lse_add(&acc, v);
            if (v < lse_value(&acc) - 50) {
                if (++small >= 3) break;
            } else {
                small = 0;
            }
        }
        if (side < 0)
            kneg = k;
        else
            kpos = k;
    }
    double prev = lse_value(&acc) + log(h);
    double lo = -kneg * h, hi = kpos * h;
    /* Halve the step, adding the new (odd) nodes, until the sum settles. */
    for (int level = 0; level < 8; level++) {
        h *= 0.5;
        long nodes = (long)floor((hi - lo) / (2 * h) + 0.5);
        for (long j = 0; j < nodes; j++) lse_add(&acc, ts_node(f, ctx, lo + h * (double)(2 * j + 1)));
        double cur = lse_value(&acc) + log(h);
        if (level >= 1 && fabs(cur - prev) <= 1e-14 + 8 * DBL_EPSILON * fabs(cur)) return cur;
        prev = cur;
    }
    return prev;
}

/* ---- hypergeometric functions ---- */

typedef struct pnbd_euler {
    double rho, t, lz, l1mz;
} pnbd_euler;

/* log of rho u^(rho-1) (1 - z u)^(-t), with 1 - z u = (1 - z) + z (1 - u). */
static double pnbd_euler_integrand(void *ctx, double lu, double l1mu) {
    const pnbd_euler *e = ctx;
    double l1mzu = crm__logaddexp(e->l1mz, e->lz + l1mu);
    return log(e->rho) + (e->rho - 1) * lu - e->t * l1mzu;
}

double crm__log_hyp2f1_pnbd(double rho, double t, double lz, double l1mz) {
    if (lz == -INFINITY) return 0;
    double z = exp(lz), omz = exp(l1mz);
    /* The terms are rho/(rho+k) times negative-binomial weights (t)_k z^k / k!,
     * whose mass sits near k = t z / (1 - z): estimate the terms needed. */
    double tz = t * z;
    double need = (tz + 10 * sqrt(tz) + 40) / omz;
    if (need < 4000) {
        double term = 1, sum = 1, lscale = 0;
        for (int k = 0; k < 20000; k++) {
            double ratio = (rho + k) * (t + k) / ((rho + k + 1) * (k + 1.0)) * z;
            term *= ratio;
            sum += term;
            if (sum > 1e250) { /* rescale: the sum may exceed DBL_MAX for large t */
                sum *= 1e-250;
                term *= 1e-250;
                lscale += 250 * 2.302585092994046;
            }
            /* Later ratios are below z * max(1, (t+k+1)/(k+2)): bound the tail
             * (only once the terms are small, to spare a division per term). */
            if (term <= 1e-17 * sum) {
                double rb = z * fmax(1.0, (t + k + 1) / (k + 2.0));
                if (rb < 1 && term * rb <= 1e-17 * sum * (1 - rb)) break;
            }
        }
        return log(sum) + lscale;
    }
    pnbd_euler e = {rho, t, lz, l1mz};
    return crm__log_quad01(pnbd_euler_integrand, &e);
}

double crm__hyp2f1_tail(double A, double a, double C, double z) {
    if (z <= 0) return 0;
    double term = A / C * z, sum = term;
    for (long ik = 1; ik < 10000000L && term != 0; ik++) {
        double k = (double)ik;
        double ratio = (A + k) * (a + k - 1) / ((C + k) * (k + 1)) * z;
        term *= ratio;
        sum += term;
        double r = fmax(fabs(ratio), z); /* later ratios tend to z */
        if (r < 1 && fabs(term) * r / (1 - r) <= 1e-17 * fabs(sum)) break;
    }
    return sum;
}

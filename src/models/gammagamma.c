/* gammagamma.c - Gamma-Gamma model of spend per purchase (Fader,
 * Hardie & Lee 2005b, "RFM and CLV: using iso-value curves for customer base
 * analysis", JMR 42(4); Fader & Hardie 2013, "The Gamma-Gamma model of
 * monetary value"). Given x purchases with mean spend m, x m ~ gamma(p x, nu)
 * and nu ~ gamma(q, gamma), so the density of m is
 *   f(m | x) = Gamma(px+q) / (Gamma(px) Gamma(q)) gamma^q m^(px-1) x^(px) / (gamma + m x)^(px+q)
 * (the full density, as CLVTools reports it). */
#include "models/models.h"
#include "models/special.h"

#include <math.h>

static double gg_loglik(const double *p, crm__rows *d, double *grad) {
    double pp = p[0], q = p[1], g = p[2];
    if (!(pp > 0 && q > 0 && g > 0) || !isfinite(pp + q + g)) return NAN;
    double ll = 0, gp = 0, gq = 0, gg = 0;
    for (size_t k = 0; k < d->ngroups; k++) {
        size_t i0 = d->gstart[k], i1 = d->gstart[k + 1];
        double x = d->x[i0], px = pp * x, lx = log(x);
        double wg = 0, sll = 0, slm = 0, slv = 0, siv = 0;
        for (size_t i = i0; i < i1; i++) {
            double w = d->w[i], v = g + d->m[i] * x, lv = log(v);
            wg += w;
            sll += w * ((px - 1) * d->logm[i] - (px + q) * lv);
            slm += w * d->logm[i];
            slv += w * lv;
            siv += w / v;
        }
        double psi_pxq = crm__digamma(px + q);
        ll += sll + wg * (crm__lgamma(px + q) - crm__lgamma(px) + px * lx);
        gp += x * (wg * (psi_pxq - crm__digamma(px) + lx) + slm - slv);
        gq += wg * psi_pxq - slv;
        gg -= (px + q) * siv;
    }
    double W = d->wsum, lg = log(g);
    ll += W * (q * lg - crm__lgamma(q));
    if (grad) {
        gq += W * (lg - crm__digamma(q));
        gg += W * q / g;
        grad[0] = pp * gp;
        grad[1] = q * gq;
        grad[2] = g * gg;
    }
    return ll;
}

static void gg_start(const crm__rows *d, double *p) {
    double sm = 0;
    for (size_t i = 0; i < d->n; i++) sm += d->w[i] * d->m[i];
    /* p = 1, q = 2: gamma is then the mean spend p gamma / (q - 1). */
    p[0] = 1;
    p[1] = 2;
    p[2] = sm / d->wsum;
}

double crm__gg_expected_spend(const double *p, double x, double m) {
    double pp = p[0], q = p[1], g = p[2];
    if (x == 0) return q > 1 ? pp * g / (q - 1) : NAN;
    /* FHL 2005b eq. 5: a weighted mean of the population mean and m. */
    double den = pp * x + q - 1;
    return den > 0 ? pp * (g + m * x) / den : NAN;
}

const crm__model_ops crm__gammagamma_ops = {
    CRM_MODEL_KIND_GAMMA_GAMMA, 3, {"p", "q", "gamma", NULL}, 1, gg_loglik, gg_start, NULL, NULL, NULL, NULL};

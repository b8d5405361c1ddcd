/* money.c - rounding money sums to 15 significant digits (see money.h). */
#include "core/money.h"
#include "core/core.h"

/* Powers of ten that are exact in a double. */
static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

double crm__money_round(double v) {
    if (v == 0 || !isfinite(v)) return v;
    double a = fabs(v);
    /* k decimals keep 15 significant digits: 1e14 <= a * 10^k < 1e15. log10
     * can be off by one next to a power of ten; the loop corrects it. */
    int k = 14 - (int)floor(log10(a));
    for (int guard = 0; guard < 2; guard++) {
        double scaled = k >= 0 ? (k <= 22 ? a * p10[k] : 0) : (k >= -22 ? a / p10[-k] : 0);
        if (scaled >= 1e15)
            k--;
        else if (scaled < 1e14 && scaled > 0)
            k++;
        else
            break;
    }
    if (k > 22 || k < -22) return v; /* below 1e-8 or beyond 1e36: leave as is */
    double r = k >= 0 ? nearbyint(a * p10[k]) / p10[k] : nearbyint(a / p10[-k]) * p10[-k];
    return v < 0 ? -r : r;
}

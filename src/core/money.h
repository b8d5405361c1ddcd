/* core/money.h - sums of money that tie when their decimal totals tie.
 *
 * Amounts arrive as doubles nearest to decimal prices. A plain running sum
 * drifts (19.66 + 10.14 + 10.63 + 7.47 - 8.65 gives 39.250000000000007, not
 * 39.25), and a drift of one unit in the last place is enough to split a tie
 * in a rank-based score. So sums are kept compensated (Neumaier) and the
 * total is rounded to 15 significant decimal digits, the precision every
 * double carries: two sums whose exact decimal totals agree give the same
 * double. Internal (not installed). */
#ifndef CRM_CORE_MONEY_H
#define CRM_CORE_MONEY_H

#include <math.h>

typedef struct crm__money {
    double sum, carry;
} crm__money;

static inline void crm__money_add(crm__money *m, double x) {
    double t = m->sum + x;
    if (fabs(m->sum) >= fabs(x))
        m->carry += (m->sum - t) + x;
    else
        m->carry += (x - t) + m->sum;
    m->sum = t;
}

/* v rounded to 15 significant decimal digits (0, NaN and infinities as they are). */
double crm__money_round(double v);

static inline double crm__money_value(const crm__money *m) { return crm__money_round(m->sum + m->carry); }

#endif /* CRM_CORE_MONEY_H */

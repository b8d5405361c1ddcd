/* rfm.c - a customer's RFM scores (DOMAIN section 3).
 *
 * Values are compared in "larger is better" space (recency negated), so one
 * rule serves all three dimensions. */
#include "signals/signals.h"

static int has_caller_cuts(const crm_config *c, int dim) { return c->cuts[dim] != NULL; }

crm__standings crm__standings_of(const crm_population *p, const crm__customer *cu, int32_t as_of_day,
                                 const crm__standing *m) {
    crm__standings s;
    const crm_config *c = &p->config;
    s.r = crm__stand(&p->rr, crm__dim_value(c, cu, as_of_day, CRM_DIM_R));
    s.f = crm__stand(&p->rf, crm__dim_value(c, cu, as_of_day, CRM_DIM_F));
    s.m = m ? *m : crm__stand(&p->rm, crm__dim_value(c, cu, as_of_day, CRM_DIM_M));
    s.activity = crm__stand(&p->ractivity, (double)cu->now.purchase_days);
    s.engagement.below = s.engagement.at_most = 0;
    if (p->has_interactions)
        s.engagement = crm__stand(&p->rengagement, (double)cu->inow->lookback_interactions);
    return s;
}

int crm__rfm_score(const crm_population *p, int dim, double v, crm__standing s, uint64_t id) {
    const crm_config *c = &p->config;
    int k = (int)crm__opt_int(c, CRM_OPTION_RFM_BINS);
    const crm__ranked *col = crm__rfm_column(p, dim);
    if (!has_caller_cuts(c, dim) && crm__opt_int(c, CRM_OPTION_TIES) == CRM_TIES_NTILE) {
        size_t pos = crm__position(col, s, id), n = col->n;
        /* A population loaded from bytes may not hold the customer (crafted
         * bytes): keep the score in 1..k, never divide by zero. */
        if (!n) return 1;
        if (pos >= n) pos = n - 1;
        size_t q = n / (size_t)k, rem = n % (size_t)k;
        size_t tile = pos < rem * (q + 1) ? pos / (q + 1) : rem + (pos - rem * (q + 1)) / q;
        return (int)tile + 1; /* pos < n: crm_score only scores customers of the population */
    }
    if (!has_caller_cuts(c, dim)) {
        /* shared: 1 + floor(k L / n), L = customers strictly worse */
        size_t below = s.below;
        if (!col->n) return 1;
        if (below >= col->n) below = col->n - 1; /* as above */
        return 1 + (int)(((uint64_t)k * below) / col->n);
    }
    int score = 1;
    for (int t = 0; t < k - 1; t++)
        if (v >= p->cuts[dim][t]) score++;
    return score;
}

/* rfm.c - a customer's RFM scores (DOMAIN section 3).
 *
 * Values are compared in "larger is better" space (recency negated), so one
 * rule serves all three dimensions. */
#include "signals/signals.h"

static int has_caller_cuts(const crm_config *c, int dim) { return c->cuts[dim] != NULL; }

int crm__rfm_score(const crm_population *p, int dim, double v, uint64_t id) {
    const crm_config *c = &p->config;
    int k = (int)crm__opt_int(c, CRM_OPTION_RFM_BINS);
    const crm__ranked *col = crm__rfm_column(p, dim);
    if (!has_caller_cuts(c, dim) && crm__opt_int(c, CRM_OPTION_TIES) == CRM_TIES_NTILE) {
        size_t pos = crm__position(col, v, id), n = col->n;
        size_t q = n / (size_t)k, rem = n % (size_t)k;
        size_t tile = pos < rem * (q + 1) ? pos / (q + 1) : rem + (pos - rem * (q + 1)) / q;
        return (int)tile + 1; /* pos < n: crm_score only scores customers of the population */
    }
    if (!has_caller_cuts(c, dim)) {
        /* shared: 1 + floor(k L / n), L = customers strictly worse */
        size_t below = crm__count_below(col, v);
        return 1 + (int)(((uint64_t)k * below) / col->n);
    }
    int score = 1;
    for (int s = 0; s < k - 1; s++)
        if (v >= p->cuts[dim][s]) score++;
    return score;
}

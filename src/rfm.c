/* rfm.c - RFM scores and cut points (DOMAIN section 3).
 *
 * Values are compared in "larger is better" space (recency negated), so one
 * rule serves all three dimensions. */
#include "internal.h"

#include <math.h>
#include <string.h>

static const crm__ranked *column(const crm_population *p, int dim) {
    return dim == CRM_DIM_R ? &p->rr : dim == CRM_DIM_F ? &p->rf : &p->rm;
}

/* First 0-based position of NTILE(k) tile t (0-based) over n rows. */
static size_t tile_start(size_t n, size_t k, size_t t) {
    size_t q = n / k, rem = n % k;
    return t < rem ? t * (q + 1) : rem * (q + 1) + (t - rem) * q;
}

static int has_caller_cuts(const crm_config *c, int dim) { return c->cuts[dim] != NULL; }

int crm__rfm_score(const crm_population *p, int dim, double v, uint64_t id) {
    const crm_config *c = &p->config;
    int k = (int)crm__opt_int(c, CRM_OPT_RFM_BINS);
    const crm__ranked *col = column(p, dim);
    if (!has_caller_cuts(c, dim) && crm__opt_int(c, CRM_OPT_TIES) == CRM_TIES_NTILE) {
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

crm_status crm__rfm_cut_points(crm_population *p, crm_error *err) {
    const crm_config *c = &p->config;
    int k = (int)crm__opt_int(c, CRM_OPT_RFM_BINS);
    int ntile = crm__opt_int(c, CRM_OPT_TIES) == CRM_TIES_NTILE;
    for (int dim = 0; dim < 3; dim++) {
        double *t = p->cuts[dim];
        if (has_caller_cuts(c, dim)) {
            if (c->ncuts[dim] != (size_t)(k - 1))
                return crm__fail(err, CRM_E_BAD_RULES,
                                 "cut points for %c: %zu thresholds given, rfm_bins %d needs %d", "RFM"[dim],
                                 c -> ncuts[dim], k, k - 1);
            for (int s = 0; s < k - 1; s++) t[s] = dim == CRM_DIM_R ? -c->cuts[dim][s] : c->cuts[dim][s];
            continue;
        }
        const crm__ranked *col = column(p, dim);
        size_t n = col->n;
        for (int s = 0; s < k - 1; s++) t[s] = INFINITY;
        if (n == 0) continue;
        if (ntile) {
            for (int s = 0; s < k - 1; s++) {
                size_t start = tile_start(n, (size_t)k, (size_t)s + 1);
                if (start < n) t[s] = col->v[start].value;
            }
            continue;
        }
        /* shared: t_s is the smallest value whose score reaches s */
        for (size_t i = 0; i < n; i++) {
            if (i > 0 && col->v[i].value == col->v[i - 1].value) continue;
            int score = 1 + (int)(((uint64_t)k * i) / n);
            for (int s = 2; s <= score; s++)
                if (t[s - 2] == INFINITY) t[s - 2] = col->v[i].value;
        }
    }
    return CRM_OK;
}

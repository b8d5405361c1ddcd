/* cut_points.c - the RFM cut points of a population (DOMAIN section 3):
 * computed from the ranked columns under the ties policy, or the caller's.
 * In "larger is better" space (recency negated). */
#include "population/population.h"

#include <math.h>

/* First 0-based position of NTILE(k) tile t (0-based) over n rows. */
static size_t tile_start(size_t n, size_t k, size_t t) {
    size_t q = n / k, rem = n % k;
    return t < rem ? t * (q + 1) : rem * (q + 1) + (t - rem) * q;
}

crm_status crm__rfm_cut_points(crm_population *p, crm_error *err) {
    const crm_config *c = &p->config;
    int k = (int)crm__opt_int(c, CRM_OPTION_RFM_BINS);
    int ntile = crm__opt_int(c, CRM_OPTION_TIES) == CRM_TIES_NTILE;
    for (int dim = 0; dim < 3; dim++) {
        double *t = p->cuts[dim];
        if (c->cuts[dim] != NULL) {
            if (c->ncuts[dim] != (size_t)(k - 1))
                return crm__fail(err, CRM_STATUS_BAD_RULES,
                                 "cut points for %c: %zu thresholds given, rfm_bins %d needs %d", "RFM"[dim],
                                 c -> ncuts[dim], k, k - 1);
            for (int s = 0; s < k - 1; s++) t[s] = dim == CRM_DIM_R ? -c->cuts[dim][s] : c->cuts[dim][s];
            continue;
        }
        const crm__ranked *col = crm__rfm_column(p, dim);
        size_t n = col->n;
        for (int s = 0; s < k - 1; s++) t[s] = INFINITY;
        if (n == 0) continue;
        if (ntile) {
            for (int s = 0; s < k - 1; s++) {
                size_t start = tile_start(n, (size_t)k, (size_t)s + 1);
                if (start < n) t[s] = crm__pair_value(&col->v[start]);
            }
            continue;
        }
        /* shared: t_s is the smallest value whose score reaches s */
        for (size_t i = 0; i < n; i++) {
            if (i > 0 && col->v[i].key == col->v[i - 1].key) continue;
            int score = 1 + (int)(((uint64_t)k * i) / n);
            for (int s = 2; s <= score; s++)
                if (t[s - 2] == INFINITY) t[s - 2] = crm__pair_value(&col->v[i]);
        }
    }
    return CRM_STATUS_OK;
}

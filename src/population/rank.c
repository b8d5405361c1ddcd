/* rank.c - the one rank and search module: ranked columns of (value, id)
 * pairs and the counts RFM scores, tiers and health read from them.
 *
 * A column is sorted once by (value, id) with a radix sort, then condensed
 * into its distinct values with the count of values below each. Most
 * columns (recency, frequency, activity, engagement) have few distinct
 * values, so the per-customer look-ups stay in cache; only monetary has
 * about one distinct value per customer. */
#include "population/population.h"

#include <string.h>

crm_status crm__sort_pairs(const crm_allocator *a, crm__pair *v, size_t n) {
    if (n < 2) return CRM_STATUS_OK;
    crm__pair *buf = crm__calloc(a, n, sizeof *buf);
    if (!buf) return CRM_STATUS_NO_MEMORY;
    /* Ties are ordered by id: unless the pairs come in id order already (one
     * partition's do), sort by id first; the sort by key is stable. */
    int sorted = 1;
    for (size_t i = 1; i < n && sorted; i++) sorted = v[i - 1].val < v[i].val;
    crm__pair *at = v;
    if (!sorted) {
        for (size_t i = 0; i < n; i++) { /* swap key and id: the sort reads the key */
            uint64_t k = at[i].key;
            at[i].key = at[i].val;
            at[i].val = k;
        }
        at = crm__radix_sort_kv(at, at == v ? buf : v, n, 64);
        for (size_t i = 0; i < n; i++) {
            uint64_t k = at[i].key;
            at[i].key = at[i].val;
            at[i].val = k;
        }
    }
    at = crm__radix_sort_kv(at, at == v ? buf : v, n, 64);
    if (at != v) memcpy(v, at, n * sizeof *v);
    crm__free(a, buf);
    return CRM_STATUS_OK;
}

crm_status crm__stand_all(const crm_allocator *a, const crm__ranked *c, const double *values, size_t n,
                          crm__standing *out, const double *by_at_most, double *picked) {
    crm__pair *v = crm__calloc(a, n + 1, sizeof *v);
    if (!v) return CRM_STATUS_NO_MEMORY;
    for (size_t i = 0; i < n; i++) v[i] = crm__pair_of(values[i], i); /* ascending ids: the tie order */
    crm_status st = crm__sort_pairs(a, v, n);
    if (st != CRM_STATUS_OK) {
        crm__free(a, v);
        return st;
    }
    /* One walk over both sorted sequences instead of a search per value. */
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        double value = crm__pair_value(&v[i]);
        while (j < c->ndistinct && c->distinct[j] < value) j++;
        crm__standing *s = &out[v[i].val];
        s->below = c->ndistinct ? c->below[j] : 0;
        s->at_most = j < c->ndistinct && c->distinct[j] == value ? c->below[j + 1] : s->below;
        if (by_at_most) picked[v[i].val] = by_at_most[s->at_most]; /* at_most only grows: sequential */
    }
    crm__free(a, v);
    return CRM_STATUS_OK;
}

void crm__ranked_free(const crm_allocator *a, crm__ranked *c) {
    crm__free(a, c->distinct);
    crm__free(a, c->below);
    c->distinct = NULL;
    c->below = NULL;
    c->ndistinct = 0;
}

crm_status crm__rank(const crm_allocator *a, crm__vec *v, crm__ranked *out) {
    crm__ranked_free(a, out);
    out->v = v->data;
    out->n = v->len;
    size_t n = out->n;
    if (crm__sort_pairs(a, out->v, n) != CRM_STATUS_OK) return CRM_STATUS_NO_MEMORY;
    size_t nd = 0;
    for (size_t i = 0; i < n; i++) nd += i == 0 || out->v[i].key != out->v[i - 1].key;
    out->distinct = crm__calloc(a, nd + 1, sizeof *out->distinct);
    out->below = crm__calloc(a, nd + 1, sizeof *out->below);
    if (!out->distinct || !out->below) {
        crm__ranked_free(a, out);
        return CRM_STATUS_NO_MEMORY;
    }
    for (size_t i = 0, j = 0; i < n; i++)
        if (i == 0 || out->v[i].key != out->v[i - 1].key) {
            out->distinct[j] = crm__pair_value(&out->v[i]);
            out->below[j++] = i;
        }
    out->below[nd] = n;
    out->ndistinct = nd;
    return CRM_STATUS_OK;
}

crm__standing crm__stand(const crm__ranked *c, double v) {
    crm__standing s;
    size_t lo = 0, hi = c->ndistinct;
    while (lo < hi) { /* first distinct value >= v */
        size_t mid = lo + (hi - lo) / 2;
        if (c->distinct[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    s.below = c->ndistinct ? c->below[lo] : 0;
    s.at_most = lo < c->ndistinct && c->distinct[lo] == v ? c->below[lo + 1] : s.below;
    return s;
}

size_t crm__position(const crm__ranked *c, crm__standing s, uint64_t id) {
    size_t lo = s.below, hi = s.at_most; /* the run of v, ordered by id */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->v[mid].val < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

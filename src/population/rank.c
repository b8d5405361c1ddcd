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

void crm__sort_pairs_with(crm__pair *v, size_t n, crm__pair *buf) {
    if (n < 2) return;
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
}

crm_status crm__sort_pairs(const crm_allocator *a, crm__pair *v, size_t n) {
    if (n < 2) return CRM_STATUS_OK;
    crm__pair *buf = crm__calloc(a, n, sizeof *buf);
    if (!buf) return CRM_STATUS_NO_MEMORY;
    crm__sort_pairs_with(v, n, buf);
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

/* Sorting the gathered columns, one task each (their buffers were allocated first). */
typedef struct rank_job {
    crm__vec *const *v;
    crm__pair *const *buf;
} rank_job;

static void sort_column(void *arg, size_t k) {
    const rank_job *job = arg;
    crm__sort_pairs_with(job->v[k]->data, job->v[k]->len, job->buf[k]);
}

crm_status crm__rank_all(const crm_config *c, crm__vec *const *v, crm__ranked *const *out, size_t n) {
    const crm_allocator *a = &c->allocator;
    crm__pair *buf[8] = {NULL};
    crm_status st = n <= 8 ? CRM_STATUS_OK : CRM_STATUS_INVALID_ARGUMENT;
    for (size_t k = 0; st == CRM_STATUS_OK && k < n; k++) {
        crm__ranked_free(a, out[k]);
        buf[k] = crm__calloc(a, v[k]->len + 1, sizeof *buf[k]);
        if (!buf[k]) st = CRM_STATUS_NO_MEMORY;
    }
    if (st == CRM_STATUS_OK) {
        rank_job job = {v, buf};
        crm__parallel(c, n, sort_column, &job);
    }
    for (size_t k = 0; k < n && k < 8; k++) crm__free(a, buf[k]);
    /* Condense each sorted column into its distinct values. */
    for (size_t k = 0; st == CRM_STATUS_OK && k < n; k++) {
        crm__ranked *r = out[k];
        r->v = v[k]->data;
        r->n = v[k]->len;
        size_t nd = 0;
        for (size_t i = 0; i < r->n; i++) nd += i == 0 || r->v[i].key != r->v[i - 1].key;
        r->distinct = crm__calloc(a, nd + 1, sizeof *r->distinct);
        r->below = crm__calloc(a, nd + 1, sizeof *r->below);
        if (!r->distinct || !r->below) {
            crm__ranked_free(a, r);
            st = CRM_STATUS_NO_MEMORY;
            break;
        }
        for (size_t i = 0, j = 0; i < r->n; i++)
            if (i == 0 || r->v[i].key != r->v[i - 1].key) {
                r->distinct[j] = crm__pair_value(&r->v[i]);
                r->below[j++] = i;
            }
        r->below[nd] = r->n;
        r->ndistinct = nd;
    }
    return st;
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

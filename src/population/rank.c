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

/* The value as an unsigned key with the same order (-0 and +0 alike). */
static uint64_t order_key(double v) {
    if (v == 0) v = 0; /* -0.0 -> +0.0 */
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return (b >> 63) ? ~b : b | (UINT64_C(1) << 63);
}

/* Stable LSD radix sort of pairs by key(pair); digits that are the same
 * for every pair are skipped, so small integers sort in a few passes. */
static void radix_pairs(crm__pair *v, crm__pair *buf, size_t n, int by_id) {
    size_t count[256];
    crm__pair *from = v, *to = buf;
    for (int d = 0; d < 8; d++) {
        memset(count, 0, sizeof count);
        int shift = 8 * d;
        for (size_t i = 0; i < n; i++) {
            uint64_t k = by_id ? from[i].id : order_key(from[i].value);
            count[(k >> shift) & 0xff]++;
        }
        uint64_t k0 = by_id ? from[0].id : order_key(from[0].value);
        if (count[(k0 >> shift) & 0xff] == n) continue;
        size_t pos = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++) {
            uint64_t k = by_id ? from[i].id : order_key(from[i].value);
            to[count[(k >> shift) & 0xff]++] = from[i];
        }
        crm__pair *t = from;
        from = to;
        to = t;
    }
    if (from != v) memcpy(v, from, n * sizeof *v);
}

crm_status crm__sort_pairs(const crm_allocator *a, crm__pair *v, size_t n) {
    if (n < 2) return CRM_STATUS_OK;
    crm__pair *buf = crm__calloc(a, n, sizeof *buf);
    if (!buf) return CRM_STATUS_NO_MEMORY;
    int sorted = 1;
    for (size_t i = 1; i < n && sorted; i++) sorted = v[i - 1].id < v[i].id;
    if (!sorted) radix_pairs(v, buf, n, 1);
    radix_pairs(v, buf, n, 0);
    crm__free(a, buf);
    return CRM_STATUS_OK;
}

crm_status crm__stand_all(const crm_allocator *a, const crm__ranked *c, const double *values, size_t n,
                          crm__standing *out, const double *by_at_most, double *picked) {
    crm__pair *v = crm__calloc(a, n + 1, sizeof *v);
    if (!v) return CRM_STATUS_NO_MEMORY;
    for (size_t i = 0; i < n; i++) {
        v[i].value = values[i];
        v[i].id = i; /* ascending: the sort by value keeps it as the tie order */
    }
    crm_status st = crm__sort_pairs(a, v, n);
    if (st != CRM_STATUS_OK) {
        crm__free(a, v);
        return st;
    }
    /* One walk over both sorted sequences instead of a search per value. */
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        while (j < c->ndistinct && c->distinct[j] < v[i].value) j++;
        crm__standing *s = &out[v[i].id];
        s->below = c->ndistinct ? c->below[j] : 0;
        s->at_most = j < c->ndistinct && c->distinct[j] == v[i].value ? c->below[j + 1] : s->below;
        if (by_at_most) picked[v[i].id] = by_at_most[s->at_most]; /* at_most only grows: sequential */
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
    for (size_t i = 0; i < n; i++) nd += i == 0 || out->v[i].value != out->v[i - 1].value;
    out->distinct = crm__calloc(a, nd + 1, sizeof *out->distinct);
    out->below = crm__calloc(a, nd + 1, sizeof *out->below);
    if (!out->distinct || !out->below) {
        crm__ranked_free(a, out);
        return CRM_STATUS_NO_MEMORY;
    }
    for (size_t i = 0, j = 0; i < n; i++)
        if (i == 0 || out->v[i].value != out->v[i - 1].value) {
            out->distinct[j] = out->v[i].value;
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
        if (c->v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

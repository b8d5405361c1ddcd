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
    crm__pair *buf = crm__calloc(a, n + 1, sizeof *buf);
    if (!buf) return CRM_STATUS_NO_MEMORY;
    if (n > 1) {
        /* Ties in value are ordered by id: sort by id first unless the pairs
         * already come in id order (one partition does), then stably by value. */
        int sorted = 1;
        for (size_t i = 1; i < n && sorted; i++) sorted = out->v[i - 1].id < out->v[i].id;
        if (!sorted) radix_pairs(out->v, buf, n, 1);
        radix_pairs(out->v, buf, n, 0);
    }
    crm__free(a, buf);
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

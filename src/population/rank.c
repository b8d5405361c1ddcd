/* rank.c - the one rank and search module: ranked columns of (value, id)
 * pairs and the counts RFM scores, tiers and health read from them. */
#include "population/population.h"

#include <stdlib.h>

static int cmp_pair(const void *pa, const void *pb) {
    const crm__pair *a = pa, *b = pb;
    if (a->value != b->value) return a->value < b->value ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

size_t crm__count_below(const crm__ranked *c, double v) {
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->v[mid].value < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t crm__count_at_most(const crm__ranked *c, double v) {
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->v[mid].value <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t crm__position(const crm__ranked *c, double v, uint64_t id) {
    crm__pair key = {v, id};
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_pair(&c->v[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void crm__rank(crm__vec *v, crm__ranked *out) {
    out->v = v->data;
    out->n = v->len;
    if (out->n > 1) qsort(out->v, out->n, sizeof *out->v, cmp_pair); /* data is NULL while empty */
}

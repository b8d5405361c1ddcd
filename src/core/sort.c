/* sort.c - sorting records by customer id: an LSD radix sort on the leading
 * uint64 key, then each customer's run ordered by the record comparator.
 * Radix sorting by id is linear and leaves only short runs to compare,
 * which is most of the cost of an analysis. */
#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static uint64_t key_of(const void *elem) {
    uint64_t k;
    memcpy(&k, elem, sizeof k);
    return k;
}

/* Insertion sort for short runs; qsort beyond. */
static void sort_run(char *base, size_t n, size_t elem, int (*cmp)(const void *, const void *), char *tmp) {
    if (n < 2) return;
    if (n > 24) {
        qsort(base, n, elem, cmp);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        if (cmp(base + (i - 1) * elem, base + i * elem) <= 0) continue;
        memcpy(tmp, base + i * elem, elem);
        size_t j = i;
        while (j > 0 && cmp(base + (j - 1) * elem, tmp) > 0) {
            memcpy(base + j * elem, base + (j - 1) * elem, elem);
            j--;
        }
        memcpy(base + j * elem, tmp, elem);
    }
}

crm_status crm__sort_by_id(const crm_allocator *a, void *data, size_t n, size_t elem,
                           int (*cmp)(const void *, const void *)) {
    if (n < 2) return CRM_STATUS_OK;
    char *src = data;
    char *buf = crm__calloc(a, n + 1, elem); /* + 1: the insertion sort's spare element */
    size_t(*count)[256] = crm__calloc(a, 8, sizeof *count);
    if (!buf || !count) {
        crm__free(a, buf);
        crm__free(a, count);
        return CRM_STATUS_NO_MEMORY;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t k = key_of(src + i * elem);
        for (int d = 0; d < 8; d++) count[d][(k >> (8 * d)) & 0xff]++;
    }
    char *from = src, *to = buf;
    for (int d = 0; d < 8; d++) {
        /* A digit that is the same for every record moves nothing. */
        if (count[d][(key_of(src) >> (8 * d)) & 0xff] == n) continue;
        size_t pos = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = count[d][b];
            count[d][b] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++) {
            const char *e = from + i * elem;
            memcpy(to + count[d][(key_of(e) >> (8 * d)) & 0xff]++ * elem, e, elem);
        }
        char *t = from;
        from = to;
        to = t;
    }
    if (from != src) memcpy(src, from, n * elem);
    char *spare = buf + n * elem;
    for (size_t i = 0; i < n;) {
        uint64_t k = key_of(src + i * elem);
        size_t j = i + 1;
        while (j < n && key_of(src + j * elem) == k) j++;
        sort_run(src + i * elem, j - i, elem, cmp, spare);
        i = j;
    }
    crm__free(a, count);
    crm__free(a, buf);
    return CRM_STATUS_OK;
}

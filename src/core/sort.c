/* sort.c - the library's two radix sorts. Records by customer id: an
 * adaptive most-significant-digit radix sort on the leading uint64 key, then
 * each customer's run ordered by the record comparator. Key-value pairs by
 * key: a stable least-significant-digit sort on the bits that vary (ranked
 * columns, the models' row compression).
 *
 * Why MSD and adaptive: an analysis sorts millions of records of up to a
 * few million customers. Splitting on the highest bits in which the keys
 * differ (sequential ids 1..1e6 and scattered 64-bit ids alike) gives
 * buckets that fit in cache after one pass, where a least-significant-digit
 * sort needs eight passes over all the records. Scattering is stable, so
 * records of one customer keep the caller's order, which is usually time
 * order already: the per-customer runs are then cheap to finish. */
#include "core/core.h"

#include <stdlib.h>
#include <string.h>

#define DIGIT_BITS CRM__SORT_DIGIT_BITS
#define SMALL      32 /* insertion sort at or below this many records */

static uint64_t key_of(const void *elem) {
    uint64_t k;
    memcpy(&k, elem, sizeof k);
    return k;
}

/* Insertion sort by cmp (which orders by id first); tmp holds one element. */
static void insertion(char *base, size_t n, size_t elem, int (*cmp)(const void *, const void *), char *tmp) {
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

/* Sort n elements of data by (id, cmp); buf has room for n elements, tmp
 * for one; count holds 2^DIGIT_BITS + 1 counters per recursion level. */
static void msd(char *data, char *buf, size_t n, size_t elem, int (*cmp)(const void *, const void *),
                char *tmp, size_t *count) {
    if (n <= SMALL) {
        insertion(data, n, elem, cmp, tmp);
        return;
    }
    uint64_t lo = key_of(data), hi = lo;
    for (size_t i = 1; i < n; i++) {
        uint64_t k = key_of(data + i * elem);
        if (k < lo) lo = k;
        if (k > hi) hi = k;
    }
    if (lo == hi) { /* one customer: order the run by the comparator */
        if (n > 64)
            qsort(data, n, elem, cmp);
        else
            insertion(data, n, elem, cmp, tmp);
        return;
    }
    int top = 63;
    while (!((lo ^ hi) >> top & 1)) top--;
    int bits = top + 1 < DIGIT_BITS ? top + 1 : DIGIT_BITS;
    int shift = top + 1 - bits;
    size_t buckets = (size_t)1 << bits, mask = buckets - 1;
    memset(count, 0, (buckets + 1) * sizeof *count);
    for (size_t i = 0; i < n; i++) count[((key_of(data + i * elem) >> shift) & mask) + 1]++;
    for (size_t b = 0; b < buckets; b++) count[b + 1] += count[b];
    /* count[b] is now the start of bucket b; scatter stably into buf. */
    size_t *next = count + buckets + 1;
    memcpy(next, count, buckets * sizeof *next);
    for (size_t i = 0; i < n; i++) {
        const char *e = data + i * elem;
        memcpy(buf + next[(key_of(e) >> shift) & mask]++ * elem, e, elem);
    }
    memcpy(data, buf, n * elem);
    size_t *deeper = next + buckets; /* the next level's counters */
    for (size_t b = 0; b < buckets; b++) {
        size_t start = count[b], m = count[b + 1] - start;
        if (m > 1) msd(data + start * elem, buf + start * elem, m, elem, cmp, tmp, deeper);
    }
}

void crm__sort_by_id_with(void *data, size_t n, size_t elem, int (*cmp)(const void *, const void *),
                          void *buf, size_t *count) {
    if (n < 2) return;
    msd(data, buf, n, elem, cmp, (char *)buf + n * elem, count);
}

crm_status crm__sort_by_id(const crm_allocator *a, void *data, size_t n, size_t elem,
                           int (*cmp)(const void *, const void *)) {
    if (n < 2) return CRM_STATUS_OK;
    char *buf = crm__calloc(a, n + 1, elem); /* + 1: the insertion sort's spare element */
    size_t *count = crm__calloc(a, CRM__SORT_COUNTERS, sizeof *count);
    if (!buf || !count) {
        crm__free(a, buf);
        crm__free(a, count);
        return CRM_STATUS_NO_MEMORY;
    }
    crm__sort_by_id_with(data, n, elem, cmp, buf, count);
    crm__free(a, count);
    crm__free(a, buf);
    return CRM_STATUS_OK;
}

crm__kv *crm__radix_sort_kv(crm__kv *a, crm__kv *tmp, size_t n, unsigned bits) {
    size_t count[8][256];
    unsigned passes = (bits + 7) / 8;
    if (passes > 8) passes = 8;
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++) {
        uint64_t k = a[i].key;
        for (unsigned p = 0; p < passes; p++) count[p][(k >> (8 * p)) & 0xff]++;
    }
    for (unsigned p = 0; p < passes; p++) {
        size_t *c = count[p], sum = 0;
        int trivial = 0;
        for (int j = 0; j < 256; j++)
            if (c[j] == n) trivial = 1;
        if (trivial) continue;
        for (int j = 0; j < 256; j++) {
            size_t v = c[j];
            c[j] = sum;
            sum += v;
        }
        for (size_t i = 0; i < n; i++) tmp[c[(a[i].key >> (8 * p)) & 0xff]++] = a[i];
        crm__kv *t = a;
        a = tmp;
        tmp = t;
    }
    return a;
}

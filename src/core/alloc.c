/* alloc.c - allocation through the caller's hooks, growable arrays, medians. */
#include "core/core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void *crm__alloc(const crm_allocator *a, size_t size) {
    /* Never ask for 0 bytes: malloc(0) may return NULL, which would look like failure. */
    return a->alloc(a->opaque, size ? size : 1);
}

void *crm__calloc(const crm_allocator *a, size_t n, size_t size) {
    if (size != 0 && n > SIZE_MAX / size) return NULL;
    size_t bytes = n * size;
    void *p = crm__alloc(a, bytes);
    if (p) memset(p, 0, bytes > 0 ? bytes : 1);
    return p;
}

void crm__free(const crm_allocator *a, void *p) {
    if (p) a->free(a->opaque, p);
}

char *crm__strdup(const crm_allocator *a, const char *s) {
    size_t n = strlen(s) + 1;
    char *p = crm__alloc(a, n);
    if (p) memcpy(p, s, n);
    return p;
}

void crm__vec_init(crm__vec *v, size_t elem) {
    v->data = NULL;
    v->len = 0;
    v->cap = 0;
    v->elem = elem;
}

crm_status crm__vec_reserve(const crm_allocator *a, crm__vec *v, size_t extra) {
    if (extra > SIZE_MAX - v->len) return CRM_STATUS_NO_MEMORY;
    size_t need = v->len + extra;
    if (need <= v->cap) return CRM_STATUS_OK;
    size_t cap = v->cap ? v->cap : 16;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (cap > SIZE_MAX / v->elem) return CRM_STATUS_NO_MEMORY;
    /* Not zeroed: only [0, len) is ever read, and slack never written is
     * never touched (no pages for it). */
    void *p = crm__alloc(a, cap * v->elem);
    if (!p) return CRM_STATUS_NO_MEMORY;
    if (v->len) memcpy(p, v->data, v->len * v->elem);
    crm__free(a, v->data);
    v->data = p;
    v->cap = cap;
    return CRM_STATUS_OK;
}

crm_status crm__vec_push(const crm_allocator *a, crm__vec *v, const void *elem) {
    crm_status st = crm__vec_reserve(a, v, 1);
    if (st != CRM_STATUS_OK) return st;
    memcpy((char *)v->data + v->len * v->elem, elem, v->elem);
    v->len++;
    return CRM_STATUS_OK;
}

void crm__vec_free(const crm_allocator *a, crm__vec *v) {
    crm__free(a, v->data);
    crm__vec_init(v, v->elem);
}

/* The k-th smallest of v[0..n) (0-based), reordering v: quickselect with a
 * median-of-three pivot; insertion sort for short ranges. */
static double select_kth(double *v, size_t n, size_t k) {
    size_t lo = 0, hi = n; /* [lo, hi) holds the k-th */
    while (hi - lo > 16) {
        size_t mid = lo + (hi - lo) / 2;
        double a = v[lo], b = v[mid], c = v[hi - 1];
        double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        size_t i = lo, j = hi - 1;
        for (;;) { /* Hoare partition: [lo, j] <= pivot <= [j + 1, hi) */
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i >= j) break;
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
            i++;
            j--;
        }
        if (k <= j)
            hi = j + 1;
        else
            lo = j + 1;
    }
    for (size_t i = lo + 1; i < hi; i++) {
        double x = v[i];
        size_t j = i;
        while (j > lo && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
    return v[k];
}

double crm__median(double *v, size_t n) {
    if (n == 0) return NAN;
    double upper = select_kth(v, n, n / 2);
    if (n % 2) return upper;
    /* After the select every value left of n/2 is <= upper: the lower middle is their maximum. */
    double lower = v[0];
    for (size_t i = 1; i < n / 2; i++)
        if (v[i] > lower) lower = v[i];
    return (lower + upper) / 2.0;
}

/* place.c - validating an input's records and placing the accepted ones,
 * grouped by customer id, in one array: the shared engine of every input.
 *
 * Records go into buckets of the highest bits in which the ids differ while
 * they are validated, so the big array is written once and then sorted
 * bucket by bucket in cache, with no second array of the same size. The
 * input is read in parts that run as tasks: pass 1 counts each part's
 * accepted records per bucket, from which every part knows where its records
 * go; pass 2 writes them exactly where one pass over the whole input would.
 * Within a customer the records keep the caller's order until the
 * comparator orders them. */
#include "input/input.h"

#include <string.h>

#define BUCKET_BITS  11
#define NBUCKETS     ((size_t)1 << BUCKET_BITS)
#define MIN_BUCKETED ((size_t)1 << 16) /* below this a plain sort is as fast */

typedef struct plan {
    int bucketed, shift;
    uint64_t mask;
} plan;

static size_t bucket_of(const plan *b, uint64_t id) { return (size_t)((id >> b->shift) & b->mask); }

/* Buckets from the range of every record's id (rejected ones too). */
static void plan_buckets(const crm__placer *p, plan *b) {
    b->bucketed = 0;
    if (p->count < MIN_BUCKETED) return;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < p->count; i++) {
        uint64_t id = p->id_of(p->ctx, i);
        if (id < lo) lo = id;
        if (id > hi) hi = id;
    }
    if (lo == hi) return;
    int top = 63;
    while (!((lo ^ hi) >> top & 1)) top--;
    int bits = top + 1 < BUCKET_BITS ? top + 1 : BUCKET_BITS;
    b->shift = top + 1 - bits;
    b->mask = ((uint64_t)1 << bits) - 1;
    b->bucketed = 1;
}

typedef struct job {
    const crm__placer *p;
    const plan *b;
    size_t parts;
    size_t *counts;     /* [part][bucket]: accepted records (pass 1); then write positions (pass 2) */
    size_t *accepted;   /* [part]: accepted records (pass 1); then the index of its first one */
    int64_t *fates;     /* [part][fate]: rejections (pass 1) */
    int64_t *first_bad; /* [part]: the first rejected record, or -1 */
    int *first_field, *first_fate;
    char *out;
} job;

static void count_part(void *arg, size_t part) {
    job *j = arg;
    const crm__placer *p = j->p;
    size_t *counts = j->counts + part * NBUCKETS, b0, e0, accepted = 0;
    int64_t *fates = j->fates + part * CRM__FATE_COUNT;
    crm__split(p->count, j->parts, part, &b0, &e0);
    j->first_bad[part] = -1;
    for (size_t i = b0; i < e0; i++) {
        int field, fate = p->read(p->ctx, i, 0, NULL, &field);
        if (fate != CRM_FATE_ACCEPTED) {
            fates[fate]++;
            if (j->first_bad[part] < 0) {
                j->first_bad[part] = (int64_t)i;
                j->first_field[part] = field;
                j->first_fate[part] = fate;
            }
            continue;
        }
        accepted++;
        if (j->b->bucketed) counts[bucket_of(j->b, p->id_of(p->ctx, i))]++;
    }
    j->accepted[part] = accepted;
}

static void place_part(void *arg, size_t part) {
    job *j = arg;
    const crm__placer *p = j->p;
    size_t *next = j->counts + part * NBUCKETS, m = j->accepted[part], b0, e0;
    crm__split(p->count, j->parts, part, &b0, &e0);
    for (size_t i = b0; i < e0; i++) {
        size_t at = j->b->bucketed ? next[bucket_of(j->b, p->id_of(p->ctx, i))] : m;
        int field;
        if (p->read(p->ctx, i, m, j->out + at * p->elem, &field) != CRM_FATE_ACCEPTED) continue;
        if (j->b->bucketed) next[bucket_of(j->b, p->id_of(p->ctx, i))]++;
        m++;
    }
}

/* Sorting the buckets, in parts of the bucket range (a task each). */
typedef struct sort_job {
    const crm__placer *p;
    char *out;
    const size_t *start; /* NBUCKETS + 1 bucket starts */
    size_t parts;
    char **buf;        /* [part]: room for the largest bucket + 1 */
    size_t **counters; /* [part]: CRM__SORT_COUNTERS */
} sort_job;

static void sort_part(void *arg, size_t part) {
    const sort_job *j = arg;
    size_t b0, e0;
    crm__split(NBUCKETS, j->parts, part, &b0, &e0);
    for (size_t k = b0; k < e0; k++)
        crm__sort_by_id_with(j->out + j->start[k] * j->p->elem, j->start[k + 1] - j->start[k], j->p->elem,
                             j->p->cmp, j->buf[part], j->counters[part]);
}

static crm_status sort_buckets(const crm_config *c, const crm__placer *p, char *out, const size_t *start,
                               size_t largest) {
    const crm_allocator *a = &c->allocator;
    size_t workers = crm__workers(c);
    sort_job sj;
    sj.p = p;
    sj.out = out;
    sj.start = start;
    sj.parts = workers > 1 ? 4 * workers : 1;
    sj.buf = crm__calloc(a, sj.parts, sizeof *sj.buf);
    sj.counters = crm__calloc(a, sj.parts, sizeof *sj.counters);
    crm_status st = sj.buf && sj.counters ? CRM_STATUS_OK : CRM_STATUS_NO_MEMORY;
    for (size_t k = 0; st == CRM_STATUS_OK && k < sj.parts; k++) {
        sj.buf[k] = crm__calloc(a, largest + 1, p->elem);
        sj.counters[k] = crm__calloc(a, CRM__SORT_COUNTERS, sizeof **sj.counters);
        if (!sj.buf[k] || !sj.counters[k]) st = CRM_STATUS_NO_MEMORY;
    }
    if (st == CRM_STATUS_OK) crm__parallel(c, sj.parts, sort_part, &sj);
    for (size_t k = 0; sj.buf && sj.counters && k < sj.parts; k++) {
        crm__free(a, sj.buf[k]);
        crm__free(a, sj.counters[k]);
    }
    crm__free(a, sj.buf);
    crm__free(a, sj.counters);
    return st;
}

crm_status crm__place(const crm_config *c, const crm__placer *p, void **out, size_t *n,
                      int64_t counts[CRM__FATE_COUNT], crm__rejects *deferred, crm_error *err) {
    const crm_allocator *a = &c->allocator;
    *out = NULL;
    *n = 0;
    plan b;
    plan_buckets(p, &b);
    job j;
    memset(&j, 0, sizeof j);
    j.p = p;
    j.b = &b;
    size_t workers = crm__workers(c);
    j.parts = workers > 1 && p->count >= MIN_BUCKETED ? 2 * workers : 1;
    j.counts = crm__calloc(a, j.parts * NBUCKETS, sizeof *j.counts);
    j.accepted = crm__calloc(a, j.parts, sizeof *j.accepted);
    j.fates = crm__calloc(a, j.parts * CRM__FATE_COUNT, sizeof *j.fates);
    j.first_bad = crm__calloc(a, j.parts, sizeof *j.first_bad);
    j.first_field = crm__calloc(a, 2 * j.parts, sizeof *j.first_field);
    size_t *start = crm__calloc(a, NBUCKETS + 1, sizeof *start);
    crm_status st = CRM_STATUS_OK;
    if (!j.counts || !j.accepted || !j.fates || !j.first_bad || !j.first_field || !start) {
        st = crm__nomem(err);
        goto done;
    }
    j.first_fate = j.first_field + j.parts;
    crm__parallel(c, j.parts, count_part, &j);
    /* The account of every record, and strict validation's first bad one. */
    crm__rejects rej;
    crm__rejects_init(&rej, c, p->input, counts);
    size_t m = 0;
    for (size_t k = 0; k < j.parts; k++) {
        for (int f = 1; f < CRM__FATE_COUNT; f++) counts[f] += j.fates[k * CRM__FATE_COUNT + (size_t)f];
        if (j.first_bad[k] >= 0 && (rej.index < 0 || j.first_bad[k] < rej.index)) {
            rej.index = j.first_bad[k];
            rej.field = j.first_field[k];
            rej.fate = j.first_fate[k];
        }
        size_t accepted = j.accepted[k];
        j.accepted[k] = m; /* now: the index of the part's first accepted record */
        m += accepted;
    }
    if (deferred)
        *deferred = rej; /* the caller finds more bad records, then reports the first */
    else
        st = crm__rejects_finish(&rej, err);
    if (st != CRM_STATUS_OK) goto done;
    j.out = crm__calloc(a, m + 1, p->elem);
    if (!j.out) {
        st = crm__nomem(err);
        goto done;
    }
    if (b.bucketed) {
        /* Bucket k holds the parts' records in part order: exact starts. */
        size_t pos = 0, largest = 0;
        for (size_t k = 0; k < NBUCKETS; k++) {
            start[k] = pos;
            for (size_t part = 0; part < j.parts; part++) {
                size_t cnt = j.counts[part * NBUCKETS + k];
                j.counts[part * NBUCKETS + k] = pos;
                pos += cnt;
            }
            if (pos - start[k] > largest) largest = pos - start[k];
        }
        start[NBUCKETS] = pos;
        crm__parallel(c, j.parts, place_part, &j);
        st = sort_buckets(c, p, j.out, start, largest);
    } else {
        crm__parallel(c, j.parts, place_part, &j);
        st = crm__sort_by_id(a, j.out, m, p->elem, p->cmp);
    }
    if (st != CRM_STATUS_OK) {
        st = crm__nomem(err);
        goto done;
    }
    counts[CRM_FATE_ACCEPTED] += (int64_t)m;
    *out = j.out;
    *n = m;
    j.out = NULL;
done:
    crm__free(a, j.out);
    crm__free(a, start);
    crm__free(a, j.counts);
    crm__free(a, j.accepted);
    crm__free(a, j.fates);
    crm__free(a, j.first_bad);
    crm__free(a, j.first_field);
    return st;
}

/* transactions.c - validate, account for and sort the caller's transactions
 * (DOMAIN section 2): every record is accepted or rejected with a reason. */
#include "input/input.h"

#include <math.h>
#include <string.h>

static int cmp_txrec(const void *pa, const void *pb) {
    const crm__txrec *a = pa, *b = pb;
    if (a->id != b->id) return a->id < b->id ? -1 : 1;
    if (a->day != b->day) return a->day < b->day ? -1 : 1;
    return (a->amount > b->amount) - (a->amount < b->amount);
}

int crm__tx_fate(const crm_transactions *v, size_t i, int *field) {
    int64_t t = crm__read_i64(v->time, v->time_stride, i);
    double amount = crm__read_f64(v->amount, v->amount_stride, i);
    *field = CRM_FIELD_NONE;
    if (!isfinite(amount)) {
        *field = CRM_FIELD_AMOUNT;
        return CRM_FATE_NONFINITE;
    }
    double cost = v->cost ? crm__read_f64(v->cost, v->cost_stride, i) : 0;
    double discount = v->discount ? crm__read_f64(v->discount, v->discount_stride, i) : 0;
    if (!isfinite(cost))
        *field = CRM_FIELD_COST;
    else if (!isfinite(discount))
        *field = CRM_FIELD_DISCOUNT;
    if (*field != CRM_FIELD_NONE) return CRM_FATE_NONFINITE;
    if (t < CRM_TIME_MIN || t > CRM_TIME_MAX) {
        *field = CRM_FIELD_TIME;
        return CRM_FATE_TIME_RANGE;
    }
    if (fabs(amount) > CRM_AMOUNT_MAX)
        *field = CRM_FIELD_AMOUNT;
    else if (fabs(cost) > CRM_AMOUNT_MAX)
        *field = CRM_FIELD_COST;
    else if (discount < 0 || discount > CRM_AMOUNT_MAX)
        *field = CRM_FIELD_DISCOUNT;
    return *field != CRM_FIELD_NONE ? CRM_FATE_VALUE_RANGE : CRM_FATE_ACCEPTED;
}

void crm__txset_free(const crm_allocator *a, crm__txset *set) {
    crm__free(a, set->rec);
    crm__free(a, set->extra);
    set->rec = NULL;
    set->extra = NULL;
    set->n = 0;
}

/* Records are placed into buckets of the highest differing id bits while
 * they are validated, so the big array is written once and sorted bucket
 * by bucket in cache, with no second array of the same size. */
#define BUCKET_BITS  11
#define MIN_BUCKETED ((size_t)1 << 16) /* below this a plain sort is as fast */

typedef struct bucketing {
    int shift;
    uint64_t mask;
    size_t *start; /* 2^BUCKET_BITS + 1 entries */
    size_t *fill;
} bucketing;

static size_t bucket_of(const bucketing *b, uint64_t id) { return (size_t)((id >> b->shift) & b->mask); }

/* Plan buckets over every record's id (rejected ones too: a bucket may then
 * hold fewer records than reserved, compacted later). 0 when one bucket
 * would hold everything. */
static int plan_buckets(const crm_transactions *v, bucketing *b) {
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < v->count; i++) {
        uint64_t id = crm__read_u64(v->customer_id, v->customer_id_stride, i);
        if (id < lo) lo = id;
        if (id > hi) hi = id;
    }
    if (lo == hi) return 0;
    int top = 63;
    while (!((lo ^ hi) >> top & 1)) top--;
    int bits = top + 1 < BUCKET_BITS ? top + 1 : BUCKET_BITS;
    b->shift = top + 1 - bits;
    b->mask = ((uint64_t)1 << bits) - 1;
    size_t nb = (size_t)1 << BUCKET_BITS;
    memset(b->start, 0, (nb + 1) * sizeof *b->start);
    for (size_t i = 0; i < v->count; i++)
        b->start[bucket_of(b, crm__read_u64(v->customer_id, v->customer_id_stride, i)) + 1]++;
    for (size_t k = 0; k < nb; k++) b->start[k + 1] += b->start[k];
    memcpy(b->fill, b->start, nb * sizeof *b->fill);
    return 1;
}

/* Validating and placing records, in parts of the input that run as tasks.
 * Pass 1 counts each part's accepted records per bucket; from those counts
 * every part knows where its records go, so pass 2 writes them in the order
 * one pass over the whole input would. */
typedef struct place_job {
    const crm_config *c;
    const crm_transactions *v;
    int64_t as_of, offset;
    const bucketing *b; /* NULL: no buckets (small input) */
    size_t parts;
    size_t *counts;     /* [part][bucket]: accepted records (pass 1); then write positions (pass 2) */
    size_t *accepted;   /* [part]: accepted records (pass 1); then the index of its first one */
    int64_t *fates;     /* [part][fate]: rejections (pass 1) */
    int64_t *first_bad; /* [part]: the first rejected record, or -1 */
    int *first_field, *first_fate;
    crm__txrec *recs;
    crm__txextra *extra;
} place_job;

/* Fate of record i, with the as-of check; sets *field. */
static int fate_of(const place_job *job, size_t i, int *field) {
    int fate = crm__tx_fate(job->v, i, field);
    if (fate == CRM_FATE_ACCEPTED && crm__read_i64(job->v->time, job->v->time_stride, i) > job->as_of) {
        *field = CRM_FIELD_TIME;
        return CRM_FATE_AFTER_AS_OF;
    }
    return fate;
}

static void count_part(void *arg, size_t part) {
    place_job *job = arg;
    const crm_transactions *v = job->v;
    size_t nb = job->b ? (size_t)1 << BUCKET_BITS : 1;
    size_t *counts = job->counts + part * nb, b0, e0, accepted = 0;
    int64_t *fates = job->fates + part * CRM__FATE_COUNT;
    crm__split(v->count, job->parts, part, &b0, &e0);
    job->first_bad[part] = -1;
    for (size_t i = b0; i < e0; i++) {
        int field, fate = fate_of(job, i, &field);
        if (fate != CRM_FATE_ACCEPTED) {
            fates[fate]++;
            if (job->first_bad[part] < 0) {
                job->first_bad[part] = (int64_t)i;
                job->first_field[part] = field;
                job->first_fate[part] = fate;
            }
            continue;
        }
        accepted++;
        if (job->b) counts[bucket_of(job->b, crm__read_u64(v->customer_id, v->customer_id_stride, i))]++;
    }
    job->accepted[part] = accepted;
}

static void place_part(void *arg, size_t part) {
    place_job *job = arg;
    const crm_transactions *v = job->v;
    size_t nb = job->b ? (size_t)1 << BUCKET_BITS : 1;
    size_t *next = job->counts + part * nb, m = job->accepted[part], b0, e0;
    crm__split(v->count, job->parts, part, &b0, &e0);
    for (size_t i = b0; i < e0; i++) {
        int field;
        if (fate_of(job, i, &field) != CRM_FATE_ACCEPTED) continue;
        crm__txrec r;
        r.id = crm__read_u64(v->customer_id, v->customer_id_stride, i);
        r.amount = crm__read_f64(v->amount, v->amount_stride, i);
        r.day = crm__day_of(crm__read_i64(v->time, v->time_stride, i), job->offset);
        r.extra = (uint32_t)m;
        if (job->extra) {
            job->extra[m].cost = v->cost ? crm__read_f64(v->cost, v->cost_stride, i) : 0;
            job->extra[m].discount = v->discount ? crm__read_f64(v->discount, v->discount_stride, i) : 0;
        }
        job->recs[job->b ? next[bucket_of(job->b, r.id)]++ : m] = r;
        m++;
    }
}

/* Sorting the buckets, in parts of the bucket range (a task each). */
typedef struct sort_job {
    crm__txrec *recs;
    const size_t *start; /* 2^BUCKET_BITS + 1 bucket starts */
    size_t parts;
    crm__txrec **buf;  /* [part]: room for the largest bucket + 1 */
    size_t **counters; /* [part]: CRM__SORT_COUNTERS */
} sort_job;

static void sort_part(void *arg, size_t part) {
    const sort_job *job = arg;
    size_t b0, e0;
    crm__split((size_t)1 << BUCKET_BITS, job->parts, part, &b0, &e0);
    for (size_t k = b0; k < e0; k++)
        crm__sort_by_id_with(job->recs + job->start[k], job->start[k + 1] - job->start[k], sizeof *job->recs,
                             cmp_txrec, job->buf[part], job->counters[part]);
}

crm_status crm__tx_prepare(const crm_config *c, const crm_transactions *v, int64_t as_of, crm__txset *out,
                           int64_t counts[CRM__FATE_COUNT], crm_error *err) {
    const crm_allocator *a = &c->allocator;
    int has_extra = v->cost != NULL || v->discount != NULL;
    size_t nb = (size_t)1 << BUCKET_BITS;
    out->rec = NULL;
    out->extra = NULL;
    out->n = 0;
    if (has_extra && v->count > UINT32_MAX)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "transactions: more than 4294967295 records with cost or discount in one call "
                         "(split the customers into partitions)");
    place_job job;
    memset(&job, 0, sizeof job);
    job.c = c;
    job.v = v;
    job.as_of = as_of;
    job.offset = crm__opt_int(c, CRM_OPTION_DAY_OFFSET);
    size_t workers = crm__workers(c);
    job.parts = workers > 1 && v->count >= MIN_BUCKETED ? 2 * workers : 1;
    bucketing b;
    b.start = crm__calloc(a, 2 * nb + 2, sizeof *b.start);
    b.fill = b.start ? b.start + nb + 1 : NULL;
    job.counts = crm__calloc(a, job.parts * nb, sizeof *job.counts);
    job.accepted = crm__calloc(a, job.parts, sizeof *job.accepted);
    job.fates = crm__calloc(a, job.parts * CRM__FATE_COUNT, sizeof *job.fates);
    job.first_bad = crm__calloc(a, job.parts, sizeof *job.first_bad);
    job.first_field = crm__calloc(a, 2 * job.parts, sizeof *job.first_field);
    job.first_fate = job.first_field ? job.first_field + job.parts : NULL;
    crm_status st = CRM_STATUS_OK;
    if (!b.start || !job.counts || !job.accepted || !job.fates || !job.first_bad || !job.first_field) {
        st = crm__nomem(err);
        goto done;
    }
    job.b = v->count >= MIN_BUCKETED && plan_buckets(v, &b) ? &b : NULL;
    crm__parallel(c, job.parts, count_part, &job);
    /* The account of every record, and strict validation's first bad one. */
    crm__rejects rej;
    crm__rejects_init(&rej, c, CRM_INPUT_TRANSACTIONS, counts);
    size_t m = 0;
    for (size_t k = 0; k < job.parts; k++) {
        for (int f = 1; f < CRM__FATE_COUNT; f++) counts[f] += job.fates[k * CRM__FATE_COUNT + f];
        if (job.first_bad[k] >= 0 && (rej.index < 0 || job.first_bad[k] < rej.index)) {
            rej.index = job.first_bad[k];
            rej.field = job.first_field[k];
            rej.fate = job.first_fate[k];
        }
        size_t n = job.accepted[k];
        job.accepted[k] = m; /* now: the index of the part's first accepted record */
        m += n;
    }
    st = crm__rejects_finish(&rej, err);
    if (st != CRM_STATUS_OK) goto done;
    job.recs = crm__calloc(a, m + 1, sizeof *job.recs);
    job.extra = has_extra ? crm__calloc(a, m + 1, sizeof *job.extra) : NULL;
    if (!job.recs || (has_extra && !job.extra)) {
        st = crm__nomem(err);
        goto done;
    }
    if (job.b) {
        /* Bucket k holds the parts' records in part order: exact starts. */
        size_t pos = 0, largest = 0;
        for (size_t k = 0; k < nb; k++) {
            b.start[k] = pos;
            for (size_t part = 0; part < job.parts; part++) {
                size_t n = job.counts[part * nb + k];
                job.counts[part * nb + k] = pos;
                pos += n;
            }
            if (pos - b.start[k] > largest) largest = pos - b.start[k];
        }
        b.start[nb] = pos;
        crm__parallel(c, job.parts, place_part, &job);
        sort_job sj;
        sj.recs = job.recs;
        sj.start = b.start;
        sj.parts = workers > 1 ? 4 * workers : 1;
        sj.buf = crm__calloc(a, sj.parts, sizeof *sj.buf);
        sj.counters = crm__calloc(a, sj.parts, sizeof *sj.counters);
        for (size_t k = 0; sj.buf && sj.counters && k < sj.parts; k++) {
            sj.buf[k] = crm__calloc(a, largest + 1, sizeof **sj.buf);
            sj.counters[k] = crm__calloc(a, CRM__SORT_COUNTERS, sizeof **sj.counters);
            if (!sj.buf[k] || !sj.counters[k]) st = CRM_STATUS_NO_MEMORY;
        }
        if (!sj.buf || !sj.counters) st = CRM_STATUS_NO_MEMORY;
        if (st == CRM_STATUS_OK)
            crm__parallel(c, sj.parts, sort_part, &sj);
        else
            st = crm__nomem(err);
        for (size_t k = 0; sj.buf && sj.counters && k < sj.parts; k++) {
            crm__free(a, sj.buf[k]);
            crm__free(a, sj.counters[k]);
        }
        crm__free(a, sj.buf);
        crm__free(a, sj.counters);
    } else {
        crm__parallel(c, job.parts, place_part, &job);
        if (crm__sort_by_id(a, job.recs, m, sizeof *job.recs, cmp_txrec) != CRM_STATUS_OK)
            st = crm__nomem(err);
    }
    if (st == CRM_STATUS_OK) {
        counts[CRM_FATE_ACCEPTED] += (int64_t)m;
        out->rec = job.recs;
        out->extra = job.extra;
        out->n = m;
        job.recs = NULL;
        job.extra = NULL;
    }
done:
    crm__free(a, job.recs);
    crm__free(a, job.extra);
    crm__free(a, b.start);
    crm__free(a, job.counts);
    crm__free(a, job.accepted);
    crm__free(a, job.fates);
    crm__free(a, job.first_bad);
    crm__free(a, job.first_field);
    return st;
}

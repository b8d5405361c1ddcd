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

crm_status crm__tx_prepare(const crm_config *c, const crm_transactions *v, int64_t as_of, crm__txset *out,
                           int64_t counts[CRM__FATE_COUNT], crm_error *err) {
    const crm_allocator *a = &c->allocator;
    int64_t offset = crm__opt_int(c, CRM_OPTION_DAY_OFFSET);
    int has_extra = v->cost != NULL || v->discount != NULL;
    size_t nb = (size_t)1 << BUCKET_BITS;
    out->rec = NULL;
    out->extra = NULL;
    out->n = 0;
    if (has_extra && v->count > UINT32_MAX)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "transactions: more than 4294967295 records with cost or discount in one call "
                         "(split the customers into partitions)");
    crm__rejects rej;
    crm__rejects_init(&rej, c, CRM_INPUT_TRANSACTIONS, counts);
    crm__txrec *recs = crm__calloc(a, v->count, sizeof *recs);
    crm__txextra *extra = has_extra ? crm__calloc(a, v->count, sizeof *extra) : NULL;
    bucketing b;
    b.start = crm__calloc(a, 2 * nb + 2, sizeof *b.start);
    b.fill = b.start + nb + 1;
    if (!recs || (has_extra && !extra) || !b.start) {
        crm__free(a, recs);
        crm__free(a, extra);
        crm__free(a, b.start);
        return crm__nomem(err);
    }
    int bucketed = v->count >= MIN_BUCKETED && plan_buckets(v, &b);
    size_t m = 0;
    for (size_t i = 0; i < v->count; i++) {
        int field;
        int fate = crm__tx_fate(v, i, &field);
        int64_t t = crm__read_i64(v->time, v->time_stride, i);
        if (fate == CRM_FATE_ACCEPTED && t > as_of) {
            fate = CRM_FATE_AFTER_AS_OF;
            field = CRM_FIELD_TIME;
        }
        if (fate != CRM_FATE_ACCEPTED) {
            crm__reject(&rej, (int64_t)i, field, fate);
            if (rej.strict) break; /* the first bad record is the one reported */
            continue;
        }
        crm__txrec r;
        r.id = crm__read_u64(v->customer_id, v->customer_id_stride, i);
        r.amount = crm__read_f64(v->amount, v->amount_stride, i);
        r.day = crm__day_of(t, offset);
        r.extra = (uint32_t)m;
        if (has_extra) {
            extra[m].cost = v->cost ? crm__read_f64(v->cost, v->cost_stride, i) : 0;
            extra[m].discount = v->discount ? crm__read_f64(v->discount, v->discount_stride, i) : 0;
        }
        recs[bucketed ? b.fill[bucket_of(&b, r.id)]++ : m] = r;
        m++;
    }
    crm_status st = crm__rejects_finish(&rej, err);
    if (st == CRM_STATUS_OK && !bucketed &&
        crm__sort_by_id(a, recs, m, sizeof *recs, cmp_txrec) != CRM_STATUS_OK)
        st = crm__nomem(err);
    if (st == CRM_STATUS_OK && bucketed) {
        /* Close the gaps rejected records left, then sort each bucket. */
        size_t largest = 0, w = 0;
        for (size_t k = 0; k < nb; k++) {
            size_t len = b.fill[k] - b.start[k];
            if (w != b.start[k] && len) memmove(recs + w, recs + b.start[k], len * sizeof *recs);
            b.start[k] = w;
            w += len;
            if (len > largest) largest = len;
        }
        b.start[nb] = w;
        crm__txrec *buf = crm__calloc(a, largest + 1, sizeof *buf);
        size_t *counters = crm__calloc(a, CRM__SORT_COUNTERS, sizeof *counters);
        if (!buf || !counters)
            st = crm__nomem(err);
        else
            for (size_t k = 0; k < nb; k++)
                crm__sort_by_id_with(recs + b.start[k], b.start[k + 1] - b.start[k], sizeof *recs, cmp_txrec,
                                     buf, counters);
        crm__free(a, buf);
        crm__free(a, counters);
    }
    crm__free(a, b.start);
    if (st != CRM_STATUS_OK) {
        crm__free(a, recs);
        crm__free(a, extra);
        return st;
    }
    counts[CRM_FATE_ACCEPTED] += (int64_t)m;
    out->rec = recs;
    out->extra = extra;
    out->n = m;
    return CRM_STATUS_OK;
}

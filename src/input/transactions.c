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

int crm__cmp_txrec(const void *a, const void *b) { return cmp_txrec(a, b); }

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
    if (isinf(cost)) /* NaN: this record's cost is not known */
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
    else if (!isnan(cost) && fabs(cost) > CRM_AMOUNT_MAX)
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

/* The placing engine's view of a transactions view (input/place.c). */
typedef struct tx_reader {
    const crm_transactions *v;
    int64_t as_of, offset;
    crm__txextra *extra; /* NULL without cost and discount */
} tx_reader;

static uint64_t tx_id(void *ctx, size_t i) {
    const tx_reader *r = ctx;
    return crm__read_u64(r->v->customer_id, r->v->customer_id_stride, i);
}

static int tx_read(void *ctx, size_t i, size_t accepted, void *out, int *field) {
    const tx_reader *r = ctx;
    const crm_transactions *v = r->v;
    int fate = crm__tx_fate(v, i, field);
    int64_t t = crm__read_i64(v->time, v->time_stride, i);
    if (fate == CRM_FATE_ACCEPTED && t > r->as_of) {
        *field = CRM_FIELD_TIME;
        return CRM_FATE_AFTER_AS_OF;
    }
    if (fate != CRM_FATE_ACCEPTED || !out) return fate;
    crm__txrec rec;
    rec.id = crm__read_u64(v->customer_id, v->customer_id_stride, i);
    rec.amount = crm__read_f64(v->amount, v->amount_stride, i);
    rec.day = crm__day_of(t, r->offset);
    rec.extra = (uint32_t)accepted;
    memcpy(out, &rec, sizeof rec);
    if (r->extra) {
        r->extra[accepted].cost = v->cost ? crm__read_f64(v->cost, v->cost_stride, i) : 0;
        r->extra[accepted].discount = v->discount ? crm__read_f64(v->discount, v->discount_stride, i) : 0;
    }
    return fate;
}

crm_status crm__tx_prepare(const crm_config *c, const crm_transactions *v, int64_t as_of, crm__txset *out,
                           int64_t counts[CRM__FATE_COUNT], crm_error *err) {
    const crm_allocator *a = &c->allocator;
    int has_extra = v->cost != NULL || v->discount != NULL;
    out->rec = NULL;
    out->extra = NULL;
    out->n = 0;
    if (has_extra && v->count > UINT32_MAX)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "transactions: more than 4294967295 records with cost or discount in one call "
                         "(split the customers into partitions)");
    tx_reader r = {v, as_of, crm__opt_int(c, CRM_OPTION_DAY_OFFSET), NULL};
    /* Cost and discount by acceptance index: sized for every record, as
     * acceptance is only known while placing. */
    if (has_extra && !(r.extra = crm__calloc(a, v->count + 1, sizeof *r.extra))) return crm__nomem(err);
    crm__placer p = {v->count, sizeof(crm__txrec), CRM_INPUT_TRANSACTIONS, &r, tx_id, tx_read, cmp_txrec};
    void *recs = NULL;
    size_t n = 0;
    crm_status st = crm__place(c, &p, &recs, &n, counts, NULL, err);
    if (st != CRM_STATUS_OK) {
        crm__free(a, r.extra);
        return st;
    }
    out->rec = recs;
    out->extra = r.extra;
    out->n = n;
    return CRM_STATUS_OK;
}

/* transactions.c - validate, account for and sort the caller's transactions
 * (DOMAIN section 2): every record is accepted or rejected with a reason. */
#include "input/input.h"

#include <math.h>

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

crm_status crm__tx_prepare(const crm_config *c, const crm_transactions *v, int64_t as_of, crm__txset *out,
                           int64_t counts[CRM__FATE_COUNT], crm_error *err) {
    const crm_allocator *a = &c->allocator;
    int64_t offset = crm__opt_int(c, CRM_OPTION_DAY_OFFSET);
    int has_extra = v->cost != NULL || v->discount != NULL;
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
    if (!recs || (has_extra && !extra)) {
        crm__free(a, recs);
        crm__free(a, extra);
        return crm__nomem(err);
    }
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
        recs[m].id = crm__read_u64(v->customer_id, v->customer_id_stride, i);
        recs[m].amount = crm__read_f64(v->amount, v->amount_stride, i);
        recs[m].day = crm__day_of(t, offset);
        recs[m].extra = (uint32_t)m;
        if (has_extra) {
            extra[m].cost = v->cost ? crm__read_f64(v->cost, v->cost_stride, i) : 0;
            extra[m].discount = v->discount ? crm__read_f64(v->discount, v->discount_stride, i) : 0;
        }
        m++;
    }
    crm_status st = crm__rejects_finish(&rej, err);
    if (st == CRM_STATUS_OK && crm__sort_by_id(a, recs, m, sizeof *recs, cmp_txrec) != CRM_STATUS_OK)
        st = crm__nomem(err);
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

/* customers.c - validate and account for customer attributes: birthday,
 * relationship start and the MAN qualification (DOMAIN sections 11 and 13).
 * At most one record per customer: an id given twice is rejected in every
 * record, so the outcome does not depend on the caller's record order. */
#include "input/input.h"

static int cmp_indexed(const void *pa, const void *pb) {
    const crm__indexed_attrs *x = pa, *y = pb;
    if (x->a.id != y->a.id) return x->a.id < y->a.id ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

static int32_t read_code(const int32_t *col, size_t stride, size_t i, int32_t absent) {
    return col ? crm__read_i32(col, stride, i) : absent;
}

static int day_ok(int32_t d) { return d == CRM_NO_DAY || (d >= CRM_TIME_MIN_DAYS && d <= CRM_TIME_MAX_DAYS); }

/* Fate of one record; sets *field. The as-of checks come after the range
 * checks and before the codes, so INT32_MAX skips them without changing
 * which fate the other checks give. */
static int attrs_fate(const crm__attrs *a, int32_t as_of_day, int *field) {
    *field = CRM_FIELD_NONE;
    if (!day_ok(a->birthday))
        *field = CRM_FIELD_BIRTHDAY;
    else if (!day_ok(a->relationship_start))
        *field = CRM_FIELD_RELATIONSHIP_START;
    if (*field != CRM_FIELD_NONE) return CRM_FATE_TIME_RANGE;
    if (a->birthday != CRM_NO_DAY && a->birthday > as_of_day) {
        *field = CRM_FIELD_BIRTHDAY; /* born after the analysed day */
        return CRM_FATE_VALUE_RANGE;
    }
    if (a->relationship_start != CRM_NO_DAY && a->relationship_start > as_of_day) {
        *field = CRM_FIELD_RELATIONSHIP_START;
        return CRM_FATE_AFTER_AS_OF;
    }
    const int32_t answers[3] = {a->money, a->authority, a->need};
    static const int fields[3] = {CRM_FIELD_MONEY, CRM_FIELD_AUTHORITY, CRM_FIELD_NEED};
    for (int k = 0; k < 3; k++)
        if (answers[k] < CRM_ANSWER_UNKNOWN || answers[k] > CRM_ANSWER_YES) {
            *field = fields[k];
            return CRM_FATE_UNKNOWN_CODE;
        }
    if (a->targeted != 0 && a->targeted != 1) {
        *field = CRM_FIELD_TARGETED;
        return CRM_FATE_UNKNOWN_CODE;
    }
    return CRM_FATE_ACCEPTED;
}

crm_status crm__attrs_collect(const crm_config *c, const crm_customers *v, int32_t as_of_day,
                              crm__rejects *rej, crm__indexed_attrs **out, size_t *m, crm_error *err) {
    const crm_allocator *al = &c->allocator;
    *out = NULL;
    *m = 0;
    crm__indexed_attrs *recs = crm__calloc(al, v->count + 1, sizeof *recs);
    if (!recs) return crm__nomem(err);
    size_t k = 0;
    for (size_t i = 0; i < v->count; i++) {
        crm__attrs a;
        a.id = crm__read_u64(v->customer_id, v->customer_id_stride, i);
        a.birthday = read_code(v->birthday, v->birthday_stride, i, CRM_NO_DAY);
        a.relationship_start = read_code(v->relationship_start, v->relationship_start_stride, i, CRM_NO_DAY);
        a.money = read_code(v->money, v->money_stride, i, CRM_ANSWER_UNKNOWN);
        a.authority = read_code(v->authority, v->authority_stride, i, CRM_ANSWER_UNKNOWN);
        a.need = read_code(v->need, v->need_stride, i, CRM_ANSWER_UNKNOWN);
        a.targeted = read_code(v->targeted, v->targeted_stride, i, 0);
        int field;
        int fate = attrs_fate(&a, as_of_day, &field);
        if (fate != CRM_FATE_ACCEPTED) {
            crm__reject(rej, (int64_t)i, field, fate);
            continue;
        }
        recs[k].a = a;
        recs[k].index = (int64_t)i;
        k++;
    }
    if (crm__sort_by_id(al, recs, k, sizeof *recs, cmp_indexed) != CRM_STATUS_OK) {
        crm__free(al, recs);
        return crm__nomem(err);
    }
    *out = recs;
    *m = k;
    return CRM_STATUS_OK;
}

crm_status crm__attrs_prepare(const crm_config *c, const crm_customers *v, int32_t as_of_day,
                              crm__attrs **out, size_t *n, int64_t counts[CRM__FATE_COUNT], crm_error *err) {
    const crm_allocator *al = &c->allocator;
    crm__rejects rej;
    crm__rejects_init(&rej, c, CRM_INPUT_CUSTOMERS, counts);
    crm__indexed_attrs *recs;
    size_t m;
    crm_status st = crm__attrs_collect(c, v, as_of_day, &rej, &recs, &m, err);
    if (st != CRM_STATUS_OK) return st;
    crm__attrs *kept = crm__calloc(al, m + 1, sizeof *kept);
    if (!kept) {
        crm__free(al, recs);
        return crm__nomem(err);
    }
    size_t nkept = 0;
    for (size_t j = 0; j < m;) {
        size_t k = j;
        while (k < m && recs[k].a.id == recs[j].a.id) k++;
        if (k - j > 1)
            for (size_t q = j; q < k; q++)
                crm__reject(&rej, recs[q].index, CRM_FIELD_CUSTOMER_ID, CRM_FATE_DUPLICATE_CUSTOMER);
        else
            kept[nkept++] = recs[j].a;
        j = k;
    }
    crm__free(al, recs);
    st = crm__rejects_finish(&rej, err);
    if (st != CRM_STATUS_OK) {
        crm__free(al, kept);
        return st;
    }
    counts[CRM_FATE_ACCEPTED] += (int64_t)nkept;
    *out = kept;
    *n = nkept;
    return CRM_STATUS_OK;
}

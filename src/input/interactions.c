/* interactions.c - validate, link and aggregate interaction records
 * (DOMAIN sections 1, 2, 6 and 9): contacts, complaints and their handling,
 * referrals, surveys, engagement and subscription state. */
#include "input/input.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_ixrec(const void *pa, const void *pb) {
    const crm__ixrec *a = pa, *b = pb;
    if (a->id != b->id) return a->id < b->id ? -1 : 1;
    if (a->time != b->time) return a->time < b->time ? -1 : 1;
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    if (a->ref != b->ref) return a->ref < b->ref ? -1 : 1;
    if (a->value != b->value) return a->value < b->value ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* Complaints of one customer ordered by reference, for linking events. */
static int cmp_by_ref(const void *pa, const void *pb) {
    const crm__ixrec *a = *(const crm__ixrec *const *)pa, *b = *(const crm__ixrec *const *)pb;
    if (a->ref != b->ref) return a->ref < b->ref ? -1 : 1;
    if (a->time != b->time) return a->time < b->time ? -1 : 1;
    /* Two complaints with one reference at one time: the more severe one is
     * kept, whatever the caller's order. */
    if (a->value != b->value) return a->value > b->value ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

static int is_complaint_event(int32_t kind) {
    return kind == CRM_KIND_COMPLAINT_RESPONSE || kind == CRM_KIND_COMPLAINT_RESOLUTION ||
           kind == CRM_KIND_FOLLOW_UP;
}

/* Fate of one record before linking; sets *field. */
static int basic_fate(const crm_config *c, int64_t as_of, int64_t t, int32_t kind, double value,
                      int32_t purpose, int *field) {
    *field = CRM_FIELD_NONE;
    if (t < CRM_TIME_MIN || t > CRM_TIME_MAX) {
        *field = CRM_FIELD_TIME;
        return CRM_FATE_TIME_RANGE;
    }
    if (kind <= CRM_KIND_NONE || kind >= CRM__KIND_COUNT) {
        *field = CRM_FIELD_KIND;
        return CRM_FATE_UNKNOWN_KIND;
    }
    if (!isfinite(value)) {
        *field = CRM_FIELD_VALUE;
        return CRM_FATE_NONFINITE;
    }
    if (purpose < CRM_PURPOSE_NONE || purpose > CRM_PURPOSE_ACTION) {
        *field = CRM_FIELD_PURPOSE;
        return CRM_FATE_UNKNOWN_CODE;
    }
    if ((kind == CRM_KIND_SURVEY && (value < 0 || value > crm__opt(c, CRM_OPTION_SURVEY_SCALE_MAX))) ||
        (kind == CRM_KIND_COMPLAINT && value != 0 && value != 1)) {
        *field = CRM_FIELD_VALUE;
        return CRM_FATE_VALUE_RANGE;
    }
    if (t > as_of) {
        *field = CRM_FIELD_TIME;
        return CRM_FATE_AFTER_AS_OF;
    }
    return CRM_FATE_ACCEPTED;
}

/* Link one customer's events [r, r + n) to their complaints: reject orphans,
 * events before their complaint and repeated complaint references (fate is
 * written into the record's kind as its negation), and store on each
 * complaint the earliest response, resolution and follow-up. */
static void link_customer(crm__ixrec *r, size_t n, crm__ixrec **scratch) {
    size_t nc = 0;
    for (size_t i = 0; i < n; i++)
        if (r[i].kind == CRM_KIND_COMPLAINT) {
            r[i].response = r[i].resolution = r[i].follow_up = INT64_MIN;
            scratch[nc++] = &r[i];
        }
    qsort(scratch, nc, sizeof(crm__ixrec *), cmp_by_ref);
    /* A repeated reference: the earliest complaint keeps it. */
    size_t u = 0;
    for (size_t i = 0; i < nc; i++) {
        if (u > 0 && scratch[u - 1]->ref == scratch[i]->ref) {
            scratch[i]->kind = -CRM_FATE_DUPLICATE_COMPLAINT;
            continue;
        }
        scratch[u++] = scratch[i];
    }
    nc = u;
    for (size_t i = 0; i < n; i++) {
        if (!is_complaint_event(r[i].kind)) continue;
        size_t lo = 0, hi = nc;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (scratch[mid]->ref < r[i].ref)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == nc || scratch[lo]->ref != r[i].ref) {
            r[i].kind = -CRM_FATE_NO_COMPLAINT;
            continue;
        }
        crm__ixrec *cp = scratch[lo];
        if (r[i].time < cp->time) {
            r[i].kind = -CRM_FATE_BEFORE_COMPLAINT;
            continue;
        }
        /* Records run in time order, so the first event of a kind is the
         * earliest. A follow-up counts from the resolution on: one made
         * before the complaint was resolved does not follow it up. */
        if (r[i].kind == CRM_KIND_FOLLOW_UP && cp->resolution == INT64_MIN) continue;
        int64_t *slot = r[i].kind == CRM_KIND_COMPLAINT_RESPONSE     ? &cp->response
                        : r[i].kind == CRM_KIND_COMPLAINT_RESOLUTION ? &cp->resolution
                                                                     : &cp->follow_up;
        if (*slot == INT64_MIN) *slot = r[i].time;
    }
}

/* The placing engine's view of an interactions view (input/place.c). */
typedef struct ix_reader {
    const crm_config *c;
    const crm_interactions *v;
    int64_t as_of, offset;
} ix_reader;

static uint64_t ix_id(void *ctx, size_t i) {
    const ix_reader *r = ctx;
    return crm__read_u64(r->v->customer_id, r->v->customer_id_stride, i);
}

static int ix_read(void *ctx, size_t i, size_t accepted, void *out, int *field) {
    const ix_reader *r = ctx;
    const crm_interactions *v = r->v;
    (void)accepted;
    crm__ixrec rec;
    memset(&rec, 0, sizeof rec);
    rec.time = crm__read_i64(v->time, v->time_stride, i);
    rec.kind = crm__read_i32(v->kind, v->kind_stride, i);
    rec.value = v->value ? crm__read_f64(v->value, v->value_stride, i) : 0.0;
    rec.purpose = v->purpose ? crm__read_i32(v->purpose, v->purpose_stride, i) : CRM_PURPOSE_NONE;
    int fate = basic_fate(r->c, r->as_of, rec.time, rec.kind, rec.value, rec.purpose, field);
    if (fate != CRM_FATE_ACCEPTED || !out) return fate;
    rec.id = crm__read_u64(v->customer_id, v->customer_id_stride, i);
    rec.ref = v->ref ? crm__read_u64(v->ref, v->ref_stride, i) : 0;
    rec.index = (int64_t)i;
    rec.day = crm__day_of(rec.time, r->offset);
    memcpy(out, &rec, sizeof rec);
    return fate;
}

int crm__cmp_ixrec(const void *pa, const void *pb) { return cmp_ixrec(pa, pb); }

crm_status crm__ix_place(const crm_config *c, const crm_interactions *v, int64_t as_of, crm__ixrec **out,
                         size_t *n, int64_t counts[CRM__FATE_COUNT], crm__rejects *rej, crm_error *err) {
    ix_reader r = {c, v, as_of, crm__opt_int(c, CRM_OPTION_DAY_OFFSET)};
    crm__placer p = {v->count, sizeof(crm__ixrec), CRM_INPUT_INTERACTIONS, &r, ix_id, ix_read, cmp_ixrec};
    void *placed = NULL;
    crm_status st = crm__place(c, &p, &placed, n, counts, rej, err);
    *out = placed;
    return st;
}

crm_status crm__ix_link(const crm_config *c, crm__ixrec *recs, size_t *n, int64_t counts[CRM__FATE_COUNT],
                        crm__rejects *rej, crm_error *err) {
    const crm_allocator *a = &c->allocator;
    size_t m = *n;
    crm__ixrec **scratch = crm__calloc(a, m + 1, sizeof(crm__ixrec *));
    if (!scratch) return crm__nomem(err);
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && recs[j].id == recs[i].id) j++;
        link_customer(recs + i, j - i, scratch);
        i = j;
    }
    crm__free(a, scratch);
    /* Count and drop the records linking rejected. */
    size_t kept = 0;
    for (size_t i = 0; i < m; i++) {
        if (recs[i].kind < 0) {
            crm__reject(rej, recs[i].index, CRM_FIELD_REF, -recs[i].kind);
            continue;
        }
        recs[kept++] = recs[i];
    }
    counts[CRM_FATE_ACCEPTED] += (int64_t)kept;
    *n = kept;
    return CRM_STATUS_OK;
}

crm_status crm__ix_prepare(const crm_config *c, const crm_interactions *v, int64_t as_of, crm__ixrec **out,
                           size_t *n, int64_t counts[CRM__FATE_COUNT], crm_error *err) {
    const crm_allocator *a = &c->allocator;
    crm__ixrec *recs = NULL;
    size_t m = 0;
    /* Records that fail on their own are counted here; complaint events
     * that link to nothing are counted after the link. */
    crm__rejects rej;
    crm_status st = crm__ix_place(c, v, as_of, &recs, &m, counts, &rej, err);
    if (st != CRM_STATUS_OK) return st;
    counts[CRM_FATE_ACCEPTED] -= (int64_t)m; /* recounted after linking */
    st = crm__ix_link(c, recs, &m, counts, &rej, err);
    /* Strict validation then reports the first bad record of either kind. */
    if (st == CRM_STATUS_OK) st = crm__rejects_finish(&rej, err);
    if (st != CRM_STATUS_OK) {
        crm__free(a, recs);
        return st;
    }
    *out = recs;
    *n = m;
    return CRM_STATUS_OK;
}

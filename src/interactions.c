/* interactions.c - validate, link and aggregate interaction records
 * (DOMAIN sections 1, 2, 6 and 9): contacts, complaints and their handling,
 * referrals, surveys, engagement and subscription state. */
#include "internal.h"

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
static int basic_fate(const crm_config *c, int64_t as_of, int64_t t, int32_t kind, double value, int *field) {
    *field = CRM_FIELD_NONE;
    if (t < CRM_TIME_MIN || t > CRM_TIME_MAX) {
        *field = CRM_FIELD_TIME;
        return CRM_REJECT_TIME_RANGE;
    }
    if (kind <= CRM_KIND_NONE || kind >= CRM_KIND_COUNT) {
        *field = CRM_FIELD_KIND;
        return CRM_REJECT_UNKNOWN_KIND;
    }
    if (!isfinite(value)) {
        *field = CRM_FIELD_VALUE;
        return CRM_REJECT_NONFINITE;
    }
    if ((kind == CRM_KIND_SURVEY && (value < 0 || value > crm__opt(c, CRM_OPT_SURVEY_SCALE_MAX))) ||
        (kind == CRM_KIND_COMPLAINT && value != 0 && value != 1)) {
        *field = CRM_FIELD_VALUE;
        return CRM_REJECT_VALUE_RANGE;
    }
    if (t > as_of) {
        *field = CRM_FIELD_TIME;
        return CRM_REJECT_AFTER_AS_OF;
    }
    return CRM_RECORD_ACCEPTED;
}

static const char *reason_text(int fate) {
    switch (fate) {
    case CRM_REJECT_TIME_RANGE: return "time is outside 0001-01-01..9999-12-31";
    case CRM_REJECT_UNKNOWN_KIND: return "kind is not a known interaction kind";
    case CRM_REJECT_NONFINITE: return "value is NaN or infinite";
    case CRM_REJECT_VALUE_RANGE: return "value is out of range for its kind";
    case CRM_REJECT_AFTER_AS_OF: return "time is later than the as-of time";
    case CRM_REJECT_NO_COMPLAINT: return "refers to no complaint of this customer";
    case CRM_REJECT_BEFORE_COMPLAINT: return "is earlier than the complaint it refers to";
    case CRM_REJECT_DUPLICATE_COMPLAINT: return "repeats the reference of an earlier complaint";
    default: return "is invalid";
    }
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
            scratch[i]->kind = -CRM_REJECT_DUPLICATE_COMPLAINT;
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
            r[i].kind = -CRM_REJECT_NO_COMPLAINT;
            continue;
        }
        crm__ixrec *cp = scratch[lo];
        if (r[i].time < cp->time) {
            r[i].kind = -CRM_REJECT_BEFORE_COMPLAINT;
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

crm_status crm__ix_prepare(const crm_config *c, const crm_interactions *v, int64_t as_of, crm__ixrec **out,
                           size_t *n, int64_t counts[CRM_FATE_COUNT], crm_error *err) {
    const crm_allocator *a = &c->allocator;
    int strict = crm__opt_int(c, CRM_OPT_VALIDATION) == CRM_VALIDATION_STRICT;
    int64_t offset = crm__opt_int(c, CRM_OPT_DAY_OFFSET);
    size_t ids = v->customer_id_stride ? v->customer_id_stride : sizeof(uint64_t);
    size_t ts = v->time_stride ? v->time_stride : sizeof(int64_t);
    size_t ks = v->kind_stride ? v->kind_stride : sizeof(int32_t);
    size_t vs = v->value_stride ? v->value_stride : sizeof(double);
    size_t rs = v->ref_stride ? v->ref_stride : sizeof(uint64_t);
    int64_t bad_index = -1;
    int bad_fate = 0, bad_field = 0;

    crm__ixrec *recs = crm__calloc(a, v->count, sizeof *recs);
    crm__ixrec **scratch = crm__calloc(a, v->count, sizeof(crm__ixrec *));
    if (!recs || !scratch) {
        crm__free(a, recs);
        crm__free(a, scratch);
        return crm__nomem(err);
    }
    size_t m = 0;
    for (size_t i = 0; i < v->count; i++) {
        crm__ixrec rec;
        memset(&rec, 0, sizeof rec);
        rec.id = crm__read_u64(v->customer_id, ids, i);
        rec.time = crm__read_i64(v->time, ts, i);
        rec.kind = crm__read_i32(v->kind, ks, i);
        rec.value = v->value ? crm__read_f64(v->value, vs, i) : 0.0;
        rec.ref = v->ref ? crm__read_u64(v->ref, rs, i) : 0;
        rec.index = (int64_t)i;
        int field;
        int fate = basic_fate(c, as_of, rec.time, rec.kind, rec.value, &field);
        if (fate != CRM_RECORD_ACCEPTED) {
            counts[fate]++;
            if (bad_index < 0) {
                bad_index = (int64_t)i;
                bad_fate = fate;
                bad_field = field;
            }
            continue;
        }
        rec.day = crm__day_of(rec.time, offset);
        recs[m++] = rec;
    }
    if (crm__sort_by_id(a, recs, m, sizeof *recs, cmp_ixrec) != CRM_OK) {
        crm__free(a, recs);
        crm__free(a, scratch);
        return crm__nomem(err);
    }
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && recs[j].id == recs[i].id) j++;
        link_customer(recs + i, j - i, scratch);
        i = j;
    }
    /* Count and drop the records linking rejected. */
    size_t kept = 0;
    for (size_t i = 0; i < m; i++) {
        if (recs[i].kind < 0) {
            int fate = -recs[i].kind;
            counts[fate]++;
            if (bad_index < 0 || recs[i].index < bad_index) {
                bad_index = recs[i].index;
                bad_fate = fate;
                bad_field = CRM_FIELD_REF;
            }
            continue;
        }
        recs[kept++] = recs[i];
    }
    counts[CRM_RECORD_ACCEPTED] += (int64_t)kept;
    crm__free(a, scratch);
    if (strict && bad_index >= 0) {
        crm__free(a, recs);
        return crm__fail_record(err, CRM_E_BAD_RECORD, CRM_INPUT_INTERACTIONS, bad_index, bad_field, bad_fate,
                                "interaction %lld: %s (validation is strict)", (long long)bad_index,
                                reason_text(bad_fate));
    }
    *out = recs;
    *n = kept;
    return CRM_OK;
}

void crm__ix_none(crm__ifacts *f) {
    memset(f, 0, sizeof *f);
    f->last_call = f->last_visit = f->last_inbound = f->last_outbound = CRM_NO_DAY;
    f->last_resolution_day = CRM_NO_DAY;
    f->last_survey = NAN;
    f->median_response_hours = NAN;
}

static int is_inbound(int32_t k) {
    return k == CRM_KIND_CALL_IN || k == CRM_KIND_VISIT_IN || k == CRM_KIND_EMAIL_IN ||
           k == CRM_KIND_MESSAGE_IN;
}
static int is_outbound(int32_t k) {
    return k == CRM_KIND_CALL_OUT || k == CRM_KIND_VISIT_OUT || k == CRM_KIND_EMAIL_OUT ||
           k == CRM_KIND_MESSAGE_OUT;
}

int crm__ix_advocacy(const crm_config *c, int32_t as_of_day, const crm__ixrec *r, size_t n) {
    int64_t lookback = crm__opt_int(c, CRM_OPT_ADVOCATE_LOOKBACK_DAYS);
    double survey_min = crm__opt(c, CRM_OPT_ADVOCATE_SURVEY_MIN);
    for (size_t i = 0; i < n; i++) {
        if (r[i].day > as_of_day) break;
        if ((int64_t)as_of_day - r[i].day >= lookback) continue;
        if (r[i].kind == CRM_KIND_REFERRAL) return 1;
        if (r[i].kind == CRM_KIND_SURVEY && r[i].value >= survey_min) return 1;
    }
    return 0;
}

/* Complaint handling of one complaint opened within the lookback
 * (DOMAIN 6 and 9); updates the tallies and returns 1 on any breach. */
static int complaint_handling(const crm_config *c, int64_t as_of, const crm__ixrec *cp, crm__ifacts *f) {
    int64_t sla = cp->value == 1 ? crm__opt_int(c, CRM_OPT_SLA_MAJOR_SECONDS)
                                 : crm__opt_int(c, CRM_OPT_SLA_NORMAL_SECONDS);
    int64_t resolve = crm__opt_int(c, CRM_OPT_RESOLUTION_SECONDS);
    int64_t follow = crm__opt_int(c, CRM_OPT_FOLLOW_UP_SECONDS);
    int breach = 0;
    /* First response within its SLA; "passed" is judged at the as-of time. */
    if (cp->response != INT64_MIN) {
        int ok = cp->response - cp->time <= sla;
        f->sla_base++;
        f->sla_ok += ok;
        breach |= !ok;
    } else if (as_of - cp->time > sla) {
        f->sla_base++;
        breach = 1;
    }
    if (cp->resolution != INT64_MIN) {
        int ok = cp->resolution - cp->time <= resolve;
        f->resolved_base++;
        f->resolved_ok += ok;
        breach |= !ok;
        if (cp->follow_up != INT64_MIN) {
            int fok = cp->follow_up - cp->resolution <= follow;
            f->follow_base++;
            f->follow_ok += fok;
            breach |= !fok;
        } else if (as_of - cp->resolution > follow) {
            f->follow_base++;
            breach = 1;
        }
    } else if (as_of - cp->time > resolve) {
        f->resolved_base++;
        breach = 1;
    }
    return breach;
}

crm_status crm__ix_facts(const crm_config *c, int64_t as_of, const crm__ixrec *r, size_t n, crm__ifacts *f,
                         const crm_allocator *a, crm__vec *hours) {
    int64_t offset = crm__opt_int(c, CRM_OPT_DAY_OFFSET);
    int32_t as_of_day = crm__day_of(as_of, offset);
    int64_t w = crm__opt_int(c, CRM_OPT_WINDOW_DAYS);
    int64_t complaint_lookback = crm__opt_int(c, CRM_OPT_COMPLAINT_LOOKBACK_DAYS);
    int64_t engagement_lookback = crm__opt_int(c, CRM_OPT_ENGAGEMENT_LOOKBACK_DAYS);
    crm__ix_none(f);
    f->records = (int64_t)n;
    int32_t subscription = 0;
    size_t hours_start = hours ? hours->len : 0;
    for (size_t i = 0; i < n; i++) {
        const crm__ixrec *x = &r[i];
        int64_t age = (int64_t)as_of_day - x->day;
        if (age < engagement_lookback) f->lookback_interactions++;
        if (x->kind == CRM_KIND_CALL_OUT) f->last_call = x->day;
        if (x->kind == CRM_KIND_VISIT_OUT) f->last_visit = x->day;
        if (is_inbound(x->kind)) f->last_inbound = x->day;
        if (is_outbound(x->kind)) f->last_outbound = x->day;
        switch (x->kind) {
        case CRM_KIND_REFERRAL: f->referrals++; break;
        case CRM_KIND_SURVEY: f->last_survey = x->value; break;
        case CRM_KIND_ENGAGEMENT:
            if (age < w)
                f->recent_engagement++;
            else if (age < 2 * w)
                f->prior_engagement++;
            break;
        case CRM_KIND_UNSUBSCRIBE:
        case CRM_KIND_RESUBSCRIBE: subscription = x->kind; break;
        case CRM_KIND_COMPLAINT:
            if (x->resolution == INT64_MIN) f->open_complaints++;
            if (age < complaint_lookback) {
                f->complaints++;
                if (complaint_handling(c, as_of, x, f)) f->sla_breaches++;
                if (x->resolution != INT64_MIN) {
                    int32_t d = crm__day_of(x->resolution, offset);
                    if (f->last_resolution_day == CRM_NO_DAY || d > f->last_resolution_day)
                        f->last_resolution_day = d;
                }
                if (x->response != INT64_MIN && hours) {
                    double h = (double)(x->response - x->time) / 3600.0;
                    if (crm__vec_push(a, hours, &h) != CRM_OK) return CRM_E_NO_MEMORY;
                }
            }
            break;
        default: break;
        }
    }
    f->unsubscribed = subscription == CRM_KIND_UNSUBSCRIBE;
    f->advocacy = crm__ix_advocacy(c, as_of_day, r, n);
    if (hours && hours->len > hours_start) {
        /* Sorting this customer's tail in place is harmless: the population
         * median does not depend on the order of the values. */
        f->median_response_hours = crm__median((double *)hours->data + hours_start, hours->len - hours_start);
    }
    return CRM_OK;
}

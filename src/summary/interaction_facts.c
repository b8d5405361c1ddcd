/* interaction_facts.c - a customer's interaction facts at the as-of time
 * (DOMAIN sections 1, 6 and 9): contacts, complaints and their handling,
 * referrals, surveys, engagement and subscription state. */
#include "summary/summary.h"

#include <math.h>

const crm__ifacts crm__ifacts_none = {
    .last_call = CRM_NO_DAY,
    .last_visit = CRM_NO_DAY,
    .last_inbound = CRM_NO_DAY,
    .last_outbound = CRM_NO_DAY,
    .last_survey = NAN,
    .last_resolution_day = CRM_NO_DAY,
    .median_response_hours = NAN,
    .last_issue_day = CRM_NO_DAY,
};

static int is_inbound(int32_t k) {
    return k == CRM_KIND_CALL_IN || k == CRM_KIND_VISIT_IN || k == CRM_KIND_EMAIL_IN ||
           k == CRM_KIND_MESSAGE_IN;
}
static int is_outbound(int32_t k) {
    return k == CRM_KIND_CALL_OUT || k == CRM_KIND_VISIT_OUT || k == CRM_KIND_EMAIL_OUT ||
           k == CRM_KIND_MESSAGE_OUT;
}

int crm__ix_advocacy(const crm_config *c, int32_t as_of_day, const crm__ixrec *r, size_t n) {
    int64_t lookback = crm__opt_int(c, CRM_OPTION_ADVOCATE_LOOKBACK_DAYS);
    double survey_min = crm__opt(c, CRM_OPTION_ADVOCATE_SURVEY_MIN);
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
    int64_t sla = cp->value == 1 ? crm__opt_int(c, CRM_OPTION_SLA_MAJOR_SECONDS)
                                 : crm__opt_int(c, CRM_OPTION_SLA_NORMAL_SECONDS);
    int64_t resolve = crm__opt_int(c, CRM_OPTION_RESOLUTION_SECONDS);
    int64_t follow = crm__opt_int(c, CRM_OPTION_FOLLOW_UP_SECONDS);
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
    int64_t offset = crm__opt_int(c, CRM_OPTION_DAY_OFFSET);
    int32_t as_of_day = crm__day_of(as_of, offset);
    int64_t w = crm__opt_int(c, CRM_OPTION_WINDOW_DAYS);
    int64_t complaint_lookback = crm__opt_int(c, CRM_OPTION_COMPLAINT_LOOKBACK_DAYS);
    int64_t engagement_lookback = crm__opt_int(c, CRM_OPTION_ENGAGEMENT_LOOKBACK_DAYS);
    *f = crm__ifacts_none;
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
        if (is_outbound(x->kind)) {
            f->last_outbound = x->day;
            if (age < 365) f->outbound_by_purpose[x->purpose]++;
        }
        switch (x->kind) { /* what service a customer took, for its cost */
        case CRM_KIND_CALL_IN:
        case CRM_KIND_CALL_OUT: f->calls++; break;
        case CRM_KIND_VISIT_IN:
        case CRM_KIND_VISIT_OUT: f->visits++; break;
        case CRM_KIND_EMAIL_IN:
        case CRM_KIND_EMAIL_OUT: f->emails++; break;
        case CRM_KIND_MESSAGE_IN:
        case CRM_KIND_MESSAGE_OUT: f->messages++; break;
        case CRM_KIND_COMPLAINT: f->all_complaints++; break;
        default: break;
        }
        if (x->kind == CRM_KIND_COMPLAINT ||
            (x->kind == CRM_KIND_SURVEY && x->value <= crm__opt(c, CRM_OPTION_DETRACTOR_MAX)))
            f->last_issue_day = x->day; /* records run in time order */
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
                    if (crm__vec_push(a, hours, &h) != CRM_STATUS_OK) return CRM_STATUS_NO_MEMORY;
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
    return CRM_STATUS_OK;
}

/* rows.c - writing a customer's row into the columnar result: the one place
 * the stages' per-customer structs meet the table. */
#include "result/result.h"

#include <math.h>

/* Store v into column c at row i when the result holds that column. */
#define PUT(r, c, ctype, i, v)                                                                               \
    do {                                                                                                     \
        if ((r)->columns[c]) ((ctype *)(r)->columns[c])[i] = (v);                                            \
    } while (0)

void crm__result_write_row(crm_result *r, size_t i, const crm__customer *cu, int32_t day, int k,
                           const crm__profile *p) {
    const crm__facts *f = &cu->now;
    const crm__ifacts *x = cu->inow;
    int scored = f->purchase_days > 0;
    PUT(r, CRM_COLUMN_CUSTOMER_ID, uint64_t, i, cu->id);
    /* summary */
    PUT(r, CRM_COLUMN_FIRST_PURCHASE, int32_t, i, f->first_day);
    PUT(r, CRM_COLUMN_LAST_PURCHASE, int32_t, i, f->last_day);
    PUT(r, CRM_COLUMN_TENURE_DAYS, int32_t, i, scored ? day - f->first_day : CRM_NO_DAY);
    PUT(r, CRM_COLUMN_RECENCY_DAYS, int32_t, i, scored ? day - f->last_day : CRM_NO_DAY);
    PUT(r, CRM_COLUMN_PURCHASE_DAYS, int64_t, i, f->purchase_days);
    PUT(r, CRM_COLUMN_TRANSACTIONS, int64_t, i, f->purchase_records);
    PUT(r, CRM_COLUMN_MONETARY, double, i, f->monetary);
    PUT(r, CRM_COLUMN_GROSS, double, i, f->gross);
    PUT(r, CRM_COLUMN_RETURNS_AMOUNT, double, i, f->returns_amount);
    PUT(r, CRM_COLUMN_RETURNS_COUNT, int64_t, i, f->returns_count);
    PUT(r, CRM_COLUMN_AVG_SPEND, double, i, scored ? p->model.avg_spend : NAN);
    PUT(r, CRM_COLUMN_MEDIAN_INTERVAL_DAYS, double, i, f->median_interval);
    PUT(r, CRM_COLUMN_RECENT_PURCHASE_DAYS, int64_t, i, f->recent_days);
    PUT(r, CRM_COLUMN_PRIOR_PURCHASE_DAYS, int64_t, i, f->prior_days);
    PUT(r, CRM_COLUMN_RECENT_AMOUNT, double, i, f->recent_amount);
    PUT(r, CRM_COLUMN_PRIOR_AMOUNT, double, i, f->prior_amount);
    /* RFM */
    PUT(r, CRM_COLUMN_R_SCORE, int32_t, i, p->score[0]);
    PUT(r, CRM_COLUMN_F_SCORE, int32_t, i, p->score[1]);
    PUT(r, CRM_COLUMN_M_SCORE, int32_t, i, p->score[2]);
    if (scored) {
        const int32_t *s = p->score;
        PUT(r, CRM_COLUMN_RFM_CELL, int32_t, i,
            k <= 9 ? 100 * s[0] + 10 * s[1] + s[2] : 121 * s[0] + 11 * s[1] + s[2]);
        PUT(r, CRM_COLUMN_RFM_TOTAL, int32_t, i, s[0] + s[1] + s[2]);
    }
    PUT(r, CRM_COLUMN_SEGMENT, int32_t, i, p->segment);
    /* tiers, lifecycle, flags, health, contact plan */
    PUT(r, CRM_COLUMN_VALUE_TIER, int32_t, i, p->tier);
    PUT(r, CRM_COLUMN_CONTRIBUTION_BAND, int32_t, i, p->band);
    PUT(r, CRM_COLUMN_TENURE_BAND, int32_t, i, p->tenure_band);
    PUT(r, CRM_COLUMN_VALUE_CLASS, int32_t, i, p->value_class);
    PUT(r, CRM_COLUMN_LIFECYCLE_STAGE, int32_t, i, p->stage);
    PUT(r, CRM_COLUMN_PREVIOUS_STAGE, int32_t, i, p->previous_stage);
    PUT(r, CRM_COLUMN_EXPECTED_INTERVAL_DAYS, double, i, p->expected_interval);
    PUT(r, CRM_COLUMN_OVERDUE_RATIO, double, i, p->overdue_ratio);
    PUT(r, CRM_COLUMN_CHURN_FLAGS, crm_flags, i, p->flags);
    PUT(r, CRM_COLUMN_RISK_LEVEL, int32_t, i, p->risk);
    PUT(r, CRM_COLUMN_HEALTH_SCORE, double, i, p->health);
    PUT(r, CRM_COLUMN_HEALTH_BAND, int32_t, i, p->health_band);
    PUT(r, CRM_COLUMN_NEXT_CALL_DUE, int32_t, i, p->next_call_due);
    PUT(r, CRM_COLUMN_NEXT_VISIT_DUE, int32_t, i, p->next_visit_due);
    PUT(r, CRM_COLUMN_CONTACT_OVERDUE, int32_t, i, p->contact_overdue);
    /* interactions */
    PUT(r, CRM_COLUMN_LAST_CALL, int32_t, i, x->last_call);
    PUT(r, CRM_COLUMN_LAST_VISIT, int32_t, i, x->last_visit);
    PUT(r, CRM_COLUMN_LAST_INBOUND, int32_t, i, x->last_inbound);
    PUT(r, CRM_COLUMN_LAST_OUTBOUND, int32_t, i, x->last_outbound);
    PUT(r, CRM_COLUMN_COMPLAINTS, int64_t, i, x->complaints);
    PUT(r, CRM_COLUMN_OPEN_COMPLAINTS, int64_t, i, x->open_complaints);
    PUT(r, CRM_COLUMN_SLA_BREACHES, int64_t, i, x->sla_breaches);
    PUT(r, CRM_COLUMN_REFERRALS, int64_t, i, x->referrals);
    PUT(r, CRM_COLUMN_LAST_SURVEY_SCORE, double, i, x->last_survey);
    PUT(r, CRM_COLUMN_RECENT_ENGAGEMENT, int64_t, i, x->recent_engagement);
    PUT(r, CRM_COLUMN_PRIOR_ENGAGEMENT, int64_t, i, x->prior_engagement);
    PUT(r, CRM_COLUMN_UNSUBSCRIBED, int32_t, i, x->unsubscribed);
    PUT(r, CRM_COLUMN_MEDIAN_RESPONSE_HOURS, double, i, x->median_response_hours);
    /* models */
    PUT(r, CRM_COLUMN_X, double, i, p->model.x);
    PUT(r, CRM_COLUMN_T_X, double, i, p->model.t_x);
    PUT(r, CRM_COLUMN_T, double, i, p->model.T);
    PUT(r, CRM_COLUMN_REPEAT_SPEND, double, i, p->model.repeat_spend);
    PUT(r, CRM_COLUMN_P_ALIVE, double, i, p->value.p_alive);
    PUT(r, CRM_COLUMN_EXPECTED_PURCHASES, double, i, p->value.expected_purchases);
    PUT(r, CRM_COLUMN_EXPECTED_SPEND, double, i, p->value.expected_spend);
    PUT(r, CRM_COLUMN_CLV, double, i, p->value.clv);
    /* Part II */
    PUT(r, CRM_COLUMN_NEXT_BIRTHDAY, int32_t, i, p->keys.next_birthday);
    PUT(r, CRM_COLUMN_NEXT_ANNIVERSARY, int32_t, i, p->keys.next_anniversary);
    PUT(r, CRM_COLUMN_RELATIONSHIP_YEARS, int32_t, i, p->keys.relationship_years);
    PUT(r, CRM_COLUMN_NEXT_KEY_DATE, int32_t, i, p->keys.next_key_date);
    PUT(r, CRM_COLUMN_KEY_DATE_KIND, int32_t, i, p->keys.kind);
    PUT(r, CRM_COLUMN_CARE_DUE, int32_t, i, p->keys.care_due);
    PUT(r, CRM_COLUMN_MILESTONE_ANNIVERSARY, int32_t, i, p->keys.milestone);
    PUT(r, CRM_COLUMN_GROSS_PROFIT, double, i, p->gross_profit);
    PUT(r, CRM_COLUMN_SERVICE_COST, double, i, p->service_cost);
    PUT(r, CRM_COLUMN_PROFIT, double, i, p->profit);
    PUT(r, CRM_COLUMN_PROFIT_COVERAGE, double, i, p->profit_coverage);
    PUT(r, CRM_COLUMN_PROFIT_CLASS, int32_t, i, p->profit_class);
    PUT(r, CRM_COLUMN_CUSTOMER_STATE, int32_t, i, p->state);
    PUT(r, CRM_COLUMN_QUALIFICATION, int32_t, i, p->qualification);
    PUT(r, CRM_COLUMN_MAN_KNOWN, int32_t, i, p->man_known);
    PUT(r, CRM_COLUMN_MIX_VALUE, double, i, p->mix.value);
    PUT(r, CRM_COLUMN_MIX_RELATIONSHIP, double, i, p->mix.relationship);
    PUT(r, CRM_COLUMN_MIX_ACTION, double, i, p->mix.action);
    PUT(r, CRM_COLUMN_MIX_DISTANCE, double, i, p->mix.distance);
    PUT(r, CRM_COLUMN_REPEAT_PURCHASE_DAYS, int64_t, i, p->repeat_purchase_days);
    PUT(r, CRM_COLUMN_DISCOUNT_SHARE, double, i, p->discount_share);
    PUT(r, CRM_COLUMN_DISCOUNTED_DAYS_SHARE, double, i, p->discounted_days_share);
    PUT(r, CRM_COLUMN_CHURN_CAUSE, int32_t, i, p->churn_cause);
    PUT(r, CRM_COLUMN_WIN_BACK, int32_t, i, p->win_back);
}

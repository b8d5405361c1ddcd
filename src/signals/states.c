/* states.c - customer states and the MAN qualification of prospects
 * (docs/DEFINITIONS.md section 13). */
#include "signals/signals.h"

int32_t crm__customer_state(const crm_config *c, const crm__customer *cu, int32_t stage) {
    const crm__facts *f = &cu->now;
    const crm__attrs *at = cu->attrs;
    if (f->purchase_days == 0 && at && at->money == CRM_ANSWER_NO && at->authority == CRM_ANSWER_NO &&
        at->need == CRM_ANSWER_NO)
        return CRM_STATE_NON_CUSTOMER;
    if (stage == CRM_STAGE_LAPSED) return CRM_STATE_LOST;
    if (f->purchase_days >= crm__opt_int(c, CRM_OPTION_LOYAL_MIN_PURCHASE_DAYS) &&
        (stage == CRM_STAGE_STABLE || stage == CRM_STAGE_ADVOCATE) && f->days_last_year >= 2)
        return CRM_STATE_LOYAL;
    if (f->purchase_days > 0) return CRM_STATE_ACTUAL;
    if (at && at->targeted) return CRM_STATE_TARGET;
    return CRM_STATE_POTENTIAL; /* need is yes, or any record without a purchase */
}

int32_t crm__man_known(const crm__customer *cu) {
    const crm__attrs *at = cu->attrs;
    if (!at) return 0;
    return (at->money != CRM_ANSWER_UNKNOWN) + (at->authority != CRM_ANSWER_UNKNOWN) +
           (at->need != CRM_ANSWER_UNKNOWN);
}

int32_t crm__qualification(const crm__customer *cu) {
    if (cu->now.purchase_days > 0) return CRM_QUALIFICATION_NONE;
    const crm__attrs *at = cu->attrs;
    /* unknown counts as no */
    int m = at && at->money == CRM_ANSWER_YES, a = at && at->authority == CRM_ANSWER_YES,
        n = at && at->need == CRM_ANSWER_YES;
    if (m && a && n) return CRM_QUALIFICATION_IDEAL;
    if (m && a) return CRM_QUALIFICATION_DEVELOP_NEED;
    if (m && n) return CRM_QUALIFICATION_FIND_DECISION_MAKER;
    if (a && n) return CRM_QUALIFICATION_OFFER_FINANCING;
    if (m || a || n) return CRM_QUALIFICATION_CULTIVATE;
    return CRM_QUALIFICATION_STOP_CONTACT;
}

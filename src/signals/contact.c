/* contact.c - the contact plan (DOMAIN section 8): call and visit cadences by
 * value tier, counted from the latest outbound contact. */
#include "signals/signals.h"

static int64_t cadence(const crm_config *c, int32_t tier, int visit) {
    switch (tier) {
    case CRM_TIER_KEY: return crm__opt_int(c, visit ? CRM_OPTION_VISIT_DAYS_KEY : CRM_OPTION_CALL_DAYS_KEY);
    case CRM_TIER_MAJOR:
        return crm__opt_int(c, visit ? CRM_OPTION_VISIT_DAYS_MAJOR : CRM_OPTION_CALL_DAYS_MAJOR);
    case CRM_TIER_REGULAR:
        return crm__opt_int(c, visit ? CRM_OPTION_VISIT_DAYS_REGULAR : CRM_OPTION_CALL_DAYS_REGULAR);
    case CRM_TIER_MINOR:
        return crm__opt_int(c, visit ? CRM_OPTION_VISIT_DAYS_MINOR : CRM_OPTION_CALL_DAYS_MINOR);
    default: return 0;
    }
}

int32_t crm__next_due(const crm_config *c, const crm__customer *cu, int32_t tier, int visit) {
    int64_t every = cadence(c, tier, visit);
    if (every <= 0 || cu->now.purchase_days == 0) return CRM_NO_DAY;
    int32_t last = visit ? cu->inow->last_visit : cu->inow->last_call;
    int64_t from = last != CRM_NO_DAY ? last : cu->now.first_day;
    int64_t due = from + every;
    return due > CRM_TIME_MAX_DAYS ? CRM_TIME_MAX_DAYS : (int32_t)due;
}

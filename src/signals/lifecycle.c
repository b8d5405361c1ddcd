/* lifecycle.c - lifecycle stages (DOMAIN section 5): each customer measured
 * against their own purchase rhythm, first matching rule wins. */
#include "signals/signals.h"

#include <math.h>

static double clamp(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

double crm__expected_interval(const crm__rhythm *f, double population_e) {
    if (f->purchase_days == 0) return NAN;
    return f->purchase_days > 1 ? f->median_interval : population_e;
}

int32_t crm__stage(const crm_config *c, const crm__rhythm *f, int advocacy, double e, int32_t day) {
    if (f->purchase_days == 0) return CRM_STAGE_PROSPECT;
    double at_risk_after =
        clamp(crm__opt(c, CRM_OPTION_AT_RISK_MULTIPLE) * e, crm__opt(c, CRM_OPTION_AT_RISK_MIN_DAYS),
              crm__opt(c, CRM_OPTION_AT_RISK_MAX_DAYS));
    double lapsed_after =
        clamp(crm__opt(c, CRM_OPTION_LAPSED_MULTIPLE) * e, crm__opt(c, CRM_OPTION_LAPSED_MIN_DAYS),
              crm__opt(c, CRM_OPTION_LAPSED_MAX_DAYS));
    double recency = (double)(day - f->last_day);
    int64_t tenure = (int64_t)day - f->first_day;
    if (recency > lapsed_after) return CRM_STAGE_LAPSED;
    if (recency > at_risk_after) return CRM_STAGE_AT_RISK;
    if (f->purchase_days >= 2 && (double)(f->last_day - f->prev_day) > lapsed_after)
        return CRM_STAGE_REACTIVATED;
    if (tenure < crm__opt_int(c, CRM_OPTION_NEW_TENURE_DAYS)) return CRM_STAGE_NEW;
    if (f->purchase_days >= 2 && tenure >= crm__opt_int(c, CRM_OPTION_ADVOCATE_TENURE_DAYS) && advocacy)
        return CRM_STAGE_ADVOCATE;
    return CRM_STAGE_STABLE;
}

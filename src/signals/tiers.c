/* tiers.c - value tiers, contribution bands, tenure bands and value classes
 * (DOMAIN section 4). Ties always share a tier: every rule compares with the
 * customers holding strictly more. */
#include "signals/signals.h"

int32_t crm__value_tier(const crm_population *p, double monetary, double above) {
    const crm_config *c = &p->config;
    if (!(monetary > 0) || !(p->positive_above[0] > 0)) return CRM_TIER_MINOR;
    /* A = share of positive net monetary held by customers with strictly more. */
    double share = above / p->positive_above[0];
    if (share < crm__opt(c, CRM_OPTION_KEY_SHARE)) return CRM_TIER_KEY;
    if (share < crm__opt(c, CRM_OPTION_MAJOR_SHARE)) return CRM_TIER_MAJOR;
    if (share < crm__opt(c, CRM_OPTION_REGULAR_SHARE)) return CRM_TIER_REGULAR;
    return CRM_TIER_MINOR;
}

int32_t crm__contribution_band(const crm_population *p, crm__standing m) {
    const crm_config *c = &p->config;
    size_t n = p->rm.n;
    /* B = fraction of scored customers with strictly more net monetary. */
    double b = (double)(n - m.at_most) / (double)n;
    if (b < crm__opt(c, CRM_OPTION_HEAD_FRACTION)) return CRM_CONTRIBUTION_HEAD;
    if (b < crm__opt(c, CRM_OPTION_WAIST_FRACTION)) return CRM_CONTRIBUTION_WAIST;
    return CRM_CONTRIBUTION_BASE;
}

int32_t crm__tenure_band(const crm_config *c, int64_t tenure_days) {
    if (tenure_days >= crm__opt_int(c, CRM_OPTION_STRATEGIC_TENURE_DAYS)) return CRM_TENURE_STRATEGIC;
    if (tenure_days >= crm__opt_int(c, CRM_OPTION_GROWTH_TENURE_DAYS)) return CRM_TENURE_GROWTH;
    return CRM_TENURE_NEW;
}

int32_t crm__value_class(const crm_config *c, int r, int f, int m) {
    int k = (int)crm__opt_int(c, CRM_OPTION_RFM_BINS);
    double r5 = crm__rescale5(r, k);
    double fm = (crm__rescale5(f, k) + crm__rescale5(m, k)) / 2.0;
    int active = r5 >= crm__opt(c, CRM_OPTION_ACTIVE_R_MIN);
    int valuable = fm >= crm__opt(c, CRM_OPTION_VALUABLE_FM_MIN);
    if (active) return valuable ? CRM_CLASS_HIGH_VALUE_ACTIVE : CRM_CLASS_REGULAR_STABLE;
    return valuable ? CRM_CLASS_DORMANT_HIGH_POTENTIAL : CRM_CLASS_LOW_VALUE_AT_RISK;
}

/* flags.c - churn-risk flags and the risk level (DOMAIN section 6). */
#include "signals/signals.h"

#include <math.h>

crm_flags crm__flags(const crm_config *c, const crm__customer *cu, int32_t day, double e, int32_t tier,
                     int contact_overdue) {
    const crm__facts *f = &cu->now;
    const crm__ifacts *x = cu->inow;
    double drop = crm__opt(c, CRM_OPTION_DROP_RATIO);
    int64_t min_prior = crm__opt_int(c, CRM_OPTION_DROP_MIN_PRIOR);
    crm_flags flags = 0;
    if (f->purchase_days > 0) {
        int64_t recency = (int64_t)day - f->last_day;
        if (recency > crm__opt_int(c, CRM_OPTION_INACTIVE_DAYS)) flags |= CRM_FLAG_BIT(CRM_FLAG_INACTIVE);
        if ((double)recency > crm__opt(c, CRM_OPTION_OVERDUE_MULTIPLE) * e)
            flags |= CRM_FLAG_BIT(CRM_FLAG_OVERDUE);
        if (f->prior_days >= min_prior && (double)f->recent_days < drop * (double)f->prior_days)
            flags |= CRM_FLAG_BIT(CRM_FLAG_FREQUENCY_DROP);
        if (f->prior_amount > 0 && f->recent_amount < drop * f->prior_amount)
            flags |= CRM_FLAG_BIT(CRM_FLAG_SPEND_DROP);
        if ((tier == CRM_TIER_KEY || tier == CRM_TIER_MAJOR) &&
            recency > crm__opt_int(c, CRM_OPTION_VALUE_LAPSING_DAYS))
            flags |= CRM_FLAG_BIT(CRM_FLAG_VALUE_LAPSING);
        if (contact_overdue) flags |= CRM_FLAG_BIT(CRM_FLAG_CONTACT_OVERDUE);
    }
    if (x->prior_engagement >= min_prior && (double)x->recent_engagement < drop * (double)x->prior_engagement)
        flags |= CRM_FLAG_BIT(CRM_FLAG_ENGAGEMENT_DROP);
    if (x->unsubscribed) flags |= CRM_FLAG_BIT(CRM_FLAG_UNSUBSCRIBED);
    if (x->open_complaints > 0) flags |= CRM_FLAG_BIT(CRM_FLAG_OPEN_COMPLAINT);
    if (x->sla_breaches > 0) flags |= CRM_FLAG_BIT(CRM_FLAG_SLA_BREACH);
    if (!isnan(x->last_survey) && x->last_survey <= crm__opt(c, CRM_OPTION_DETRACTOR_MAX))
        flags |= CRM_FLAG_BIT(CRM_FLAG_DETRACTOR);
    return flags;
}

int32_t crm__risk_level(const crm_config *c, int32_t stage, crm_flags flags, double p_alive) {
    if (stage == CRM_STAGE_PROSPECT) return CRM_RISK_NONE;
    int both = (flags & CRM_FLAG_BIT(CRM_FLAG_OPEN_COMPLAINT)) && (flags & CRM_FLAG_BIT(CRM_FLAG_SLA_BREACH));
    if (stage == CRM_STAGE_LAPSED || (flags & CRM_FLAG_BIT(CRM_FLAG_VALUE_LAPSING)) || both ||
        (!isnan(p_alive) && p_alive < crm__opt(c, CRM_OPTION_RISK_P_ALIVE_HIGH)))
        return CRM_RISK_HIGH;
    /* Contact-plan signals (an overdue call, an off mix) do not raise the risk. */
    crm_flags plan = CRM_FLAG_BIT(CRM_FLAG_CONTACT_OVERDUE) | CRM_FLAG_BIT(CRM_FLAG_MIX_OFF);
    if ((flags & ~plan) != 0 || (!isnan(p_alive) && p_alive < crm__opt(c, CRM_OPTION_RISK_P_ALIVE_MEDIUM)))
        return CRM_RISK_MEDIUM;
    return CRM_RISK_LOW;
}

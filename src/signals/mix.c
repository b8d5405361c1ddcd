/* mix.c - the 7:2:1 communication mix of outbound contacts (docs/DEFINITIONS.md
 * section 14): value, relationship and action shares and their distance
 * from the targets. */
#include "signals/signals.h"

#include <math.h>

crm__mix crm__mix_of(const crm_config *c, const int64_t by_purpose[4]) {
    crm__mix x;
    double n = (double)(by_purpose[CRM_PURPOSE_VALUE] + by_purpose[CRM_PURPOSE_RELATIONSHIP] +
                        by_purpose[CRM_PURPOSE_ACTION]);
    x.contacts = (int64_t)n;
    x.value = x.relationship = x.action = x.distance = NAN;
    if (n == 0) return x;
    x.value = (double)by_purpose[CRM_PURPOSE_VALUE] / n;
    x.relationship = (double)by_purpose[CRM_PURPOSE_RELATIONSHIP] / n;
    x.action = (double)by_purpose[CRM_PURPOSE_ACTION] / n;
    x.distance = 0.5 * (fabs(x.value - crm__opt(c, CRM_OPTION_MIX_TARGET_VALUE)) +
                        fabs(x.relationship - crm__opt(c, CRM_OPTION_MIX_TARGET_RELATIONSHIP)) +
                        fabs(x.action - crm__opt(c, CRM_OPTION_MIX_TARGET_ACTION)));
    return x;
}

int crm__mix_off(const crm_config *c, const crm__mix *x) {
    /* The margin keeps a distance of exactly the tolerance (9:0:1 over 10
     * contacts is 0.2) on the right side in binary arithmetic too. */
    return x->contacts >= crm__opt_int(c, CRM_OPTION_MIX_MIN_CONTACTS) &&
           x->distance > crm__opt(c, CRM_OPTION_MIX_TOLERANCE) + 1e-9;
}

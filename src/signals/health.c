/* health.c - the health score (DOMAIN section 7): a weighted mean of the
 * components that have data; a missing component is left out, never 0. */
#include "signals/signals.h"

#include <math.h>

/* 100 (L + E/2) / n over the scored customers, larger values better. */
static double percentile_rank(const crm__ranked *col, crm__standing s) {
    return 100.0 * ((double)s.below + (double)(s.at_most - s.below) / 2.0) / (double)col->n;
}

double crm__health(const crm_population *p, const crm__customer *cu, const crm__standings *st) {
    const crm_config *c = &p->config;
    const crm__facts *f = &cu->now;
    if (f->purchase_days == 0) return NAN;
    double sum = 0, weights = 0, w;
    w = crm__opt(c, CRM_OPTION_WEIGHT_SCALE);
    sum += w * percentile_rank(&p->rm, st->m);
    weights += w;
    w = crm__opt(c, CRM_OPTION_WEIGHT_ACTIVITY);
    sum += w * percentile_rank(&p->ractivity, st->activity);
    weights += w;
    w = crm__opt(c, CRM_OPTION_WEIGHT_RECENCY);
    sum += w * percentile_rank(&p->rr, st->r);
    weights += w;
    if (p->has_interactions) {
        w = crm__opt(c, CRM_OPTION_WEIGHT_ENGAGEMENT);
        sum += w * percentile_rank(&p->rengagement, st->engagement);
        weights += w;
        double days = f->days_lookback > 1 ? (double)f->days_lookback : 1.0;
        double ratio = (double)cu->inow->complaints / days;
        w = crm__opt(c, CRM_OPTION_WEIGHT_COMPLAINTS);
        sum += w * 100.0 * (1.0 - (ratio < 1 ? ratio : 1));
        weights += w;
    }
    if (!isnan(cu->inow->last_survey)) {
        w = crm__opt(c, CRM_OPTION_WEIGHT_SATISFACTION);
        sum += w * cu->inow->last_survey * 100.0 / crm__opt(c, CRM_OPTION_SURVEY_SCALE_MAX);
        weights += w;
    }
    return weights > 0 ? sum / weights : NAN;
}

int32_t crm__health_band(const crm_config *c, double score) {
    if (isnan(score)) return CRM_HEALTH_NONE;
    if (score < crm__opt(c, CRM_OPTION_HEALTH_RED_BELOW)) return CRM_HEALTH_RED;
    if (score > crm__opt(c, CRM_OPTION_HEALTH_GREEN_ABOVE)) return CRM_HEALTH_GREEN;
    return CRM_HEALTH_YELLOW;
}

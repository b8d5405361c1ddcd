/* health.c - the health score (DOMAIN section 7): a weighted mean of the
 * components that have data; a missing component is left out, never 0. */
#include "signals/signals.h"

#include <math.h>

/* 100 (L + E/2) / n over the scored customers, larger values better. */
static double percentile_rank(const crm__ranked *col, double v) {
    size_t below = crm__count_below(col, v), at_most = crm__count_at_most(col, v);
    return 100.0 * ((double)below + (double)(at_most - below) / 2.0) / (double)col->n;
}

double crm__health(const crm_population *p, const crm__customer *cu, int32_t day) {
    const crm_config *c = &p->config;
    const crm__facts *f = &cu->now;
    if (f->purchase_days == 0) return NAN;
    double sum = 0, weights = 0, w;
    w = crm__opt(c, CRM_OPTION_WEIGHT_SCALE);
    sum += w * percentile_rank(&p->rm, f->monetary);
    weights += w;
    w = crm__opt(c, CRM_OPTION_WEIGHT_ACTIVITY);
    sum += w * percentile_rank(&p->ractivity, (double)f->purchase_days);
    weights += w;
    w = crm__opt(c, CRM_OPTION_WEIGHT_RECENCY);
    sum += w * percentile_rank(&p->rr, -(double)(day - f->last_day));
    weights += w;
    if (p->has_interactions) {
        w = crm__opt(c, CRM_OPTION_WEIGHT_ENGAGEMENT);
        sum += w * percentile_rank(&p->rengagement, (double)cu->inow.lookback_interactions);
        weights += w;
        double days = f->days_lookback > 1 ? (double)f->days_lookback : 1.0;
        double ratio = (double)cu->inow.complaints / days;
        w = crm__opt(c, CRM_OPTION_WEIGHT_COMPLAINTS);
        sum += w * 100.0 * (1.0 - (ratio < 1 ? ratio : 1));
        weights += w;
    }
    if (!isnan(cu->inow.last_survey)) {
        w = crm__opt(c, CRM_OPTION_WEIGHT_SATISFACTION);
        sum += w * cu->inow.last_survey * 100.0 / crm__opt(c, CRM_OPTION_SURVEY_SCALE_MAX);
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

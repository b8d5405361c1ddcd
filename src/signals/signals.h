/* signals/signals.h - per-customer signals: RFM scores, tiers, lifecycle, flags,
 * health and the contact plan, read from a customer's facts and the population.
 * Internal (not installed): names use the prefix crm__. */
#ifndef CRM_SIGNALS_SIGNALS_H
#define CRM_SIGNALS_SIGNALS_H

#include "population/population.h"

/* Where a customer stands in each ranked column, looked up once (rfm.c):
 * R (-recency), F, M, activity (purchase days) and engagement (interactions
 * within the lookback; when the population has interaction records). m: the
 * monetary standing when already known (crm__stand_all), else NULL. */
typedef struct crm__standings {
    crm__standing r, f, m, activity, engagement;
} crm__standings;
crm__standings crm__standings_of(const crm_population *p, const crm__customer *cu, int32_t as_of_day,
                                 const crm__standing *m);

/* Score 1..k in dimension dim of a customer (id) with value v standing at s (rfm.c). */
int crm__rfm_score(const crm_population *p, int dim, double v, crm__standing s, uint64_t id);

/* ---- tiers.c, lifecycle.c, flags.c, health.c, contact.c ---- */

/* Tier of a customer from its monetary and the positive monetary held by
 * customers with strictly more (p->positive_above at its standing's at_most);
 * band from its monetary standing m. */
int32_t crm__value_tier(const crm_population *p, double monetary, double above);
int32_t crm__contribution_band(const crm_population *p, crm__standing m);
int32_t crm__tenure_band(const crm_config *c, int64_t tenure_days);
int32_t crm__value_class(const crm_config *c, int r, int f, int m);
/* Own median interval, or the population's for a single purchase day; NaN without one. */
double crm__expected_interval(const crm__rhythm *f, double population_e);
/* Lifecycle stage of facts f at day (see DOMAIN 5). */
int32_t crm__stage(const crm_config *c, const crm__rhythm *f, int advocacy, double e, int32_t day);
/* Churn flags of a customer; contact_overdue: the scheduled call is overdue
 * (raised only where the caller supplied contact records). */
crm_flags crm__flags(const crm_config *c, const crm__customer *cu, int32_t day, double e, int32_t tier,
                     int contact_overdue);
int32_t crm__risk_level(const crm_config *c, int32_t stage, crm_flags flags, double p_alive);
double crm__health(const crm_population *p, const crm__customer *cu, const crm__standings *st);
int32_t crm__health_band(const crm_config *c, double score);
/* Next call (visit = 0) or visit (visit = 1) due day, CRM_NO_DAY when none. */
int32_t crm__next_due(const crm_config *c, const crm__customer *cu, int32_t tier, int visit);

/* ---- Part II (docs/DEFINITIONS.md sections 11-16) ---- */

/* Key dates of a customer at day (key_dates.c); CRM_NO_DAY where not applicable. */
typedef struct crm__key_dates {
    int32_t next_birthday, next_anniversary, relationship_years, next_key_date;
    int32_t kind; /* crm_key_date */
    int32_t care_due, milestone;
} crm__key_dates;
crm__key_dates crm__key_dates_of(const crm_config *c, const crm__customer *cu, int32_t day);

/* Profit class of a customer with a purchase day and this profit (profit.c). */
int32_t crm__profit_class(const crm_population *p, double profit);

/* Customer state (first match), qualification of a prospect and how many of
 * money, authority and need are known (states.c). */
int32_t crm__customer_state(const crm_config *c, const crm__customer *cu, int32_t stage);
int32_t crm__qualification(const crm__customer *cu);
int32_t crm__man_known(const crm__customer *cu);

/* The 7:2:1 mix of purposed outbound contacts (mix.c); shares NaN without any. */
typedef struct crm__mix {
    int64_t contacts;
    double value, relationship, action, distance;
} crm__mix;
crm__mix crm__mix_of(const crm_config *c, const int64_t by_purpose[4]);
int crm__mix_off(const crm_config *c, const crm__mix *x);

/* Churn cause of an at-risk or lapsed customer and its win-back action (win_back.c). */
int32_t crm__churn_cause(const crm__customer *cu, int32_t stage, int price_sensitive);
int32_t crm__win_back(int32_t cause);

#endif /* CRM_SIGNALS_SIGNALS_H */

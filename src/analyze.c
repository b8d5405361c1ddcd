/* analyze.c - scoring a summary against its population into the result
 * table, and crm_analyze, the whole pipeline in one call. */
#include "internal.h"

#include <math.h>
#include <string.h>

/* Columns every analysis produces; model columns are added when fitted. */
static const int base_columns[] = {
    CRM_COL_CUSTOMER_ID,
    CRM_COL_FIRST_PURCHASE,
    CRM_COL_LAST_PURCHASE,
    CRM_COL_TENURE_DAYS,
    CRM_COL_RECENCY_DAYS,
    CRM_COL_PURCHASE_DAYS,
    CRM_COL_TRANSACTIONS,
    CRM_COL_MONETARY,
    CRM_COL_GROSS,
    CRM_COL_RETURNS_AMOUNT,
    CRM_COL_RETURNS_COUNT,
    CRM_COL_AVG_SPEND,
    CRM_COL_MEDIAN_INTERVAL_DAYS,
    CRM_COL_RECENT_PURCHASE_DAYS,
    CRM_COL_PRIOR_PURCHASE_DAYS,
    CRM_COL_RECENT_AMOUNT,
    CRM_COL_PRIOR_AMOUNT,
    CRM_COL_R_SCORE,
    CRM_COL_F_SCORE,
    CRM_COL_M_SCORE,
    CRM_COL_RFM_CELL,
    CRM_COL_RFM_TOTAL,
    CRM_COL_SEGMENT,
    CRM_COL_VALUE_TIER,
    CRM_COL_CONTRIBUTION_BAND,
    CRM_COL_TENURE_BAND,
    CRM_COL_VALUE_CLASS,
    CRM_COL_LIFECYCLE_STAGE,
    CRM_COL_PREVIOUS_STAGE,
    CRM_COL_EXPECTED_INTERVAL_DAYS,
    CRM_COL_OVERDUE_RATIO,
    CRM_COL_CHURN_FLAGS,
    CRM_COL_RISK_LEVEL,
    CRM_COL_HEALTH_SCORE,
    CRM_COL_HEALTH_BAND,
    CRM_COL_LAST_CALL,
    CRM_COL_LAST_VISIT,
    CRM_COL_NEXT_CALL_DUE,
    CRM_COL_NEXT_VISIT_DUE,
    CRM_COL_CONTACT_OVERDUE,
    CRM_COL_COMPLAINTS,
    CRM_COL_OPEN_COMPLAINTS,
    CRM_COL_SLA_BREACHES,
    CRM_COL_REFERRALS,
    CRM_COL_LAST_SURVEY_SCORE,
    CRM_COL_RECENT_ENGAGEMENT,
    CRM_COL_PRIOR_ENGAGEMENT,
    CRM_COL_UNSUBSCRIBED,
    CRM_COL_X,
    CRM_COL_T_X,
    CRM_COL_T,
    CRM_COL_REPEAT_SPEND,
    CRM_COL_MEDIAN_RESPONSE_HOURS,
    CRM_COL_LAST_INBOUND,
    CRM_COL_LAST_OUTBOUND,
};
#define NBASE (sizeof base_columns / sizeof base_columns[0])

#define I32(r, c) ((int32_t *)(r)->columns[c])
#define I64(r, c) ((int64_t *)(r)->columns[c])
#define F64(r, c) ((double *)(r)->columns[c])

/* Compared by content, not address: a freed summary's address may be
 * reused by another one whose customers the population has never seen. */
static int was_added(const crm_population *p, const crm_summary *s) {
    const uint64_t *added = p->added.data;
    uint64_t fingerprint = crm__summary_fingerprint(s);
    for (size_t i = 0; i < p->added.len; i++)
        if (added[i] == fingerprint) return 1;
    return 0;
}

static double share(int64_t ok, int64_t base) { return base > 0 ? (double)ok / (double)base : NAN; }

/* Population figures of the rows of this result (DOMAIN section 9). */
static crm_status fill_metrics(crm_result *r, const crm_summary *s, crm_error *err) {
    int64_t t[6] = {0}, complaints = 0, open = 0, breaches = 0, resolved = 0, recovered = 0, scored = 0;
    double revenue = 0;
    for (size_t i = 0; i < s->ncustomers; i++) {
        const crm__customer *cu = &s->customers[i];
        const crm__ifacts *x = &cu->inow;
        scored += cu->now.purchase_days > 0;
        revenue += cu->now.monetary;
        complaints += x->complaints;
        open += x->open_complaints;
        breaches += x->sla_breaches;
        t[0] += x->sla_ok;
        t[1] += x->sla_base;
        t[2] += x->resolved_ok;
        t[3] += x->resolved_base;
        t[4] += x->follow_ok;
        t[5] += x->follow_base;
        if (x->last_resolution_day != CRM_NO_DAY) {
            resolved++;
            recovered += cu->now.purchase_days > 0 && cu->now.last_day > x->last_resolution_day;
        }
    }
    r->metrics[CRM_METRIC_CUSTOMERS] = (double)s->ncustomers;
    r->metrics[CRM_METRIC_SCORED_CUSTOMERS] = (double)scored;
    r->metrics[CRM_METRIC_REVENUE] = revenue;
    r->metrics[CRM_METRIC_COMPLAINTS] = (double)complaints;
    r->metrics[CRM_METRIC_OPEN_COMPLAINTS] = (double)open;
    r->metrics[CRM_METRIC_SLA_BREACHES] = (double)breaches;
    r->metrics[CRM_METRIC_RESPONSE_WITHIN_SLA] = share(t[0], t[1]);
    r->metrics[CRM_METRIC_RESOLVED_WITHIN] = share(t[2], t[3]);
    r->metrics[CRM_METRIC_FOLLOWED_UP_WITHIN] = share(t[4], t[5]);
    r->metrics[CRM_METRIC_RECOVERY_RATE] = share(recovered, resolved);
    size_t nh = s->response_hours.len;
    if (nh) {
        double *tmp = crm__calloc(&r->allocator, nh, sizeof *tmp);
        if (!tmp) return crm__nomem(err);
        memcpy(tmp, s->response_hours.data, nh * sizeof *tmp);
        r->metrics[CRM_METRIC_MEDIAN_RESPONSE_HOURS] = crm__median(tmp, nh);
        crm__free(&r->allocator, tmp);
    }
    return CRM_OK;
}

static crm_status copy_segment_names(crm_result *r, const crm_config *c, crm_error *err) {
    if (!c->nrules) return CRM_OK;
    r->segment_names = crm__calloc(&r->allocator, c->nrules, sizeof(char *));
    if (!r->segment_names) return crm__nomem(err);
    for (size_t i = 0; i < c->nrules; i++) {
        r->segment_names[i] = crm__strdup(&r->allocator, c->rules[i].name);
        if (!r->segment_names[i]) return crm__nomem(err);
        r->nsegment_names = i + 1;
    }
    return CRM_OK;
}

/* Summary and RFM columns of row i. */
static void fill_summary_row(crm_result *r, size_t i, const crm_population *p, const crm__customer *cu,
                             int32_t day) {
    const crm_config *c = &p->config;
    const crm__facts *f = &cu->now;
    int scored = f->purchase_days > 0;
    double unit = crm__opt(c, CRM_OPT_TIME_UNIT_DAYS);
    ((uint64_t *)r->columns[CRM_COL_CUSTOMER_ID])[i] = cu->id;
    I32(r, CRM_COL_FIRST_PURCHASE)[i] = f->first_day;
    I32(r, CRM_COL_LAST_PURCHASE)[i] = f->last_day;
    I32(r, CRM_COL_TENURE_DAYS)[i] = scored ? day - f->first_day : CRM_NO_DAY;
    I32(r, CRM_COL_RECENCY_DAYS)[i] = scored ? day - f->last_day : CRM_NO_DAY;
    I64(r, CRM_COL_PURCHASE_DAYS)[i] = f->purchase_days;
    I64(r, CRM_COL_TRANSACTIONS)[i] = f->purchase_records;
    F64(r, CRM_COL_MONETARY)[i] = f->monetary;
    F64(r, CRM_COL_GROSS)[i] = f->gross;
    F64(r, CRM_COL_RETURNS_AMOUNT)[i] = f->returns_amount;
    I64(r, CRM_COL_RETURNS_COUNT)[i] = f->returns_count;
    F64(r, CRM_COL_AVG_SPEND)[i] = scored ? f->monetary / (double)f->purchase_days : NAN;
    F64(r, CRM_COL_MEDIAN_INTERVAL_DAYS)[i] = f->median_interval;
    I64(r, CRM_COL_RECENT_PURCHASE_DAYS)[i] = f->recent_days;
    I64(r, CRM_COL_PRIOR_PURCHASE_DAYS)[i] = f->prior_days;
    F64(r, CRM_COL_RECENT_AMOUNT)[i] = f->recent_amount;
    F64(r, CRM_COL_PRIOR_AMOUNT)[i] = f->prior_amount;
    F64(r, CRM_COL_X)[i] = scored ? (double)(f->purchase_days - 1) : NAN;
    F64(r, CRM_COL_T_X)[i] = scored ? (double)(f->last_day - f->first_day) / unit : NAN;
    F64(r, CRM_COL_T)[i] = scored ? (double)(day - f->first_day) / unit : NAN;
    F64(r, CRM_COL_REPEAT_SPEND)[i] = f->repeat_spend;
    if (!scored) return; /* scores and segment stay 0 = none */
    int k = (int)crm__opt_int(c, CRM_OPT_RFM_BINS);
    int sc[3];
    for (int d = 0; d < 3; d++) sc[d] = crm__rfm_score(p, d, crm__dim_value(c, cu, day, d), cu->id);
    I32(r, CRM_COL_R_SCORE)[i] = sc[0];
    I32(r, CRM_COL_F_SCORE)[i] = sc[1];
    I32(r, CRM_COL_M_SCORE)[i] = sc[2];
    I32(r, CRM_COL_RFM_CELL)
    [i] = k <= 9 ? 100 * sc[0] + 10 * sc[1] + sc[2] : 121 * sc[0] + 11 * sc[1] + sc[2];
    I32(r, CRM_COL_RFM_TOTAL)[i] = sc[0] + sc[1] + sc[2];
    I32(r, CRM_COL_SEGMENT)[i] = p->segments[((sc[0] - 1) * k + (sc[1] - 1)) * k + (sc[2] - 1)];
    I32(r, CRM_COL_VALUE_CLASS)[i] = crm__value_class(c, sc[0], sc[1], sc[2]);
}

/* Relationship-signal columns of row i (DOMAIN sections 4-9). */
static void fill_signal_row(crm_result *r, size_t i, const crm_population *p, const crm__customer *cu,
                            int32_t day, int32_t prev_day, double p_alive) {
    const crm_config *c = &p->config;
    const crm__facts *f = &cu->now;
    const crm__ifacts *x = &cu->inow;
    int scored = f->purchase_days > 0;
    int32_t tier = CRM_TIER_NONE;
    if (scored) {
        tier = crm__value_tier(p, f->monetary);
        I32(r, CRM_COL_VALUE_TIER)[i] = tier;
        I32(r, CRM_COL_CONTRIBUTION_BAND)[i] = crm__contribution_band(p, f->monetary);
        I32(r, CRM_COL_TENURE_BAND)[i] = crm__tenure_band(c, (int64_t)day - f->first_day);
    }
    double e = crm__expected_interval(f, p->expected_interval);
    int32_t stage = crm__stage(c, f, x->advocacy, e, day);
    I32(r, CRM_COL_LIFECYCLE_STAGE)[i] = stage;
    int32_t prev = CRM_STAGE_NONE;
    if (cu->prev_any)
        prev = crm__stage(c, &cu->prev, cu->prev_advocacy,
                          crm__expected_interval(&cu->prev, p->prev_expected_interval), prev_day);
    I32(r, CRM_COL_PREVIOUS_STAGE)[i] = prev;
    F64(r, CRM_COL_EXPECTED_INTERVAL_DAYS)[i] = e;
    F64(r, CRM_COL_OVERDUE_RATIO)[i] = scored ? (double)(day - f->last_day) / e : NAN;
    int32_t call_due = crm__next_due(c, cu, tier, 0);
    I32(r, CRM_COL_NEXT_CALL_DUE)[i] = call_due;
    I32(r, CRM_COL_NEXT_VISIT_DUE)[i] = crm__next_due(c, cu, tier, 1);
    I32(r, CRM_COL_CONTACT_OVERDUE)[i] = call_due != CRM_NO_DAY && day > call_due;
    int64_t flags = crm__flags(c, cu, day, e, tier, call_due);
    I64(r, CRM_COL_CHURN_FLAGS)[i] = flags;
    I32(r, CRM_COL_RISK_LEVEL)[i] = crm__risk_level(c, stage, flags, p_alive);
    double health = crm__health(p, cu, day);
    F64(r, CRM_COL_HEALTH_SCORE)[i] = health;
    I32(r, CRM_COL_HEALTH_BAND)[i] = crm__health_band(c, health);
    I32(r, CRM_COL_LAST_CALL)[i] = x->last_call;
    I32(r, CRM_COL_LAST_VISIT)[i] = x->last_visit;
    I32(r, CRM_COL_LAST_INBOUND)[i] = x->last_inbound;
    I32(r, CRM_COL_LAST_OUTBOUND)[i] = x->last_outbound;
    I64(r, CRM_COL_COMPLAINTS)[i] = x->complaints;
    I64(r, CRM_COL_OPEN_COMPLAINTS)[i] = x->open_complaints;
    I64(r, CRM_COL_SLA_BREACHES)[i] = x->sla_breaches;
    I64(r, CRM_COL_REFERRALS)[i] = x->referrals;
    F64(r, CRM_COL_LAST_SURVEY_SCORE)[i] = x->last_survey;
    I64(r, CRM_COL_RECENT_ENGAGEMENT)[i] = x->recent_engagement;
    I64(r, CRM_COL_PRIOR_ENGAGEMENT)[i] = x->prior_engagement;
    I32(r, CRM_COL_UNSUBSCRIBED)[i] = x->unsubscribed;
    F64(r, CRM_COL_MEDIAN_RESPONSE_HOURS)[i] = x->median_response_hours;
}

crm_status crm_score(const crm_population *p, const crm_summary *s, crm_result **out, crm_error *err) {
    crm__error_clear(err);
    if (!p || !s || !out) return crm__fail(err, CRM_E_INVALID_ARGUMENT, "crm_score: NULL argument");
    *out = NULL;
    if (!p->finished) return crm__fail(err, CRM_E_STATE, "crm_score: call crm_population_finish first");
    if (!was_added(p, s))
        return crm__fail(err, CRM_E_MISMATCH, "crm_score: the summary was not added to this population");
    const crm_config *c = &p->config;
    int columns[CRM_COLUMN_COUNT];
    size_t ncolumns = 0;
    for (size_t i = 0; i < NBASE; i++) columns[ncolumns++] = base_columns[i];
    size_t nmodel = crm__valuation_columns(p, columns + ncolumns);
    ncolumns += nmodel;
    crm_result *r;
    crm_status st = crm__result_create(&p->allocator, s->ncustomers, columns, ncolumns, &r, err);
    if (st != CRM_OK) return st;
    r->as_of = s->as_of;
    r->as_of_day = s->as_of_day;
    r->k = (int)crm__opt_int(c, CRM_OPT_RFM_BINS);
    r->have_cuts = p->rm.n > 0 || c->cuts[0] || c->cuts[1] || c->cuts[2];
    for (int d = 0; d < 3; d++)
        for (int t = 0; t < r->k - 1; t++) r->cuts[d][t] = d == CRM_DIM_R ? -p->cuts[d][t] : p->cuts[d][t];
    memcpy(r->records, s->records, sizeof r->records);
    memcpy(r->totals, s->totals, sizeof r->totals);
    int32_t prev_day = s->as_of_day - (int32_t)crm__opt_int(c, CRM_OPT_WINDOW_DAYS);
    /* Summary columns first: the models read x, t_x, T and spend from them,
     * and the risk level reads P(alive) from the models. */
    for (size_t i = 0; i < s->ncustomers; i++) fill_summary_row(r, i, p, &s->customers[i], s->as_of_day);
    st = crm__valuation_rows(p, s, r, err);
    if (st != CRM_OK) goto fail;
    const double *p_alive = crm_result_f64(r, CRM_COL_P_ALIVE);
    for (size_t i = 0; i < s->ncustomers; i++)
        fill_signal_row(r, i, p, &s->customers[i], s->as_of_day, prev_day, p_alive ? p_alive[i] : NAN);
    st = copy_segment_names(r, c, err);
    if (st == CRM_OK) st = crm__result_groups(r, c->nrules ? c->nrules : CRM_SEGMENT_LOST, err);
    if (st == CRM_OK) st = fill_metrics(r, s, err);
    if (st != CRM_OK) goto fail;
    *out = r;
    return CRM_OK;
fail:
    crm_result_free(r);
    return st;
}

crm_status crm_analyze(const crm_config *config, const crm_transactions *transactions,
                       const crm_interactions *interactions, crm_result **out, crm_error *err) {
    crm__error_clear(err);
    if (!out) return crm__fail(err, CRM_E_INVALID_ARGUMENT, "crm_analyze: out is NULL");
    *out = NULL;
    crm_summary *s = NULL;
    crm_population *p = NULL;
    crm_status st = crm_summarize(config, transactions, interactions, &s, err);
    if (st == CRM_OK) st = crm_population_create(config, &p, err);
    if (st == CRM_OK) st = crm_population_add(p, s, err);
    if (st == CRM_OK) st = crm_population_finish(p, err);
    if (st == CRM_OK) st = crm_score(p, s, out, err);
    crm_population_free(p);
    crm_summary_free(s);
    return st;
}

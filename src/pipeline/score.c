/* score.c - crm_score: each customer of a summary scored against the
 * finished population. The stages hand explicit per-customer structs along
 * (model inputs, values, the profile); the result table is written once,
 * row by row, at the end. */
#include "result/result.h"
#include "signals/signals.h"

#include <math.h>
#include <string.h>

/* Columns every analysis produces; model value columns are added when fitted. */
static const int base_columns[] = {
    CRM_COLUMN_CUSTOMER_ID,
    CRM_COLUMN_FIRST_PURCHASE,
    CRM_COLUMN_LAST_PURCHASE,
    CRM_COLUMN_TENURE_DAYS,
    CRM_COLUMN_RECENCY_DAYS,
    CRM_COLUMN_PURCHASE_DAYS,
    CRM_COLUMN_TRANSACTIONS,
    CRM_COLUMN_MONETARY,
    CRM_COLUMN_GROSS,
    CRM_COLUMN_RETURNS_AMOUNT,
    CRM_COLUMN_RETURNS_COUNT,
    CRM_COLUMN_AVG_SPEND,
    CRM_COLUMN_MEDIAN_INTERVAL_DAYS,
    CRM_COLUMN_RECENT_PURCHASE_DAYS,
    CRM_COLUMN_PRIOR_PURCHASE_DAYS,
    CRM_COLUMN_RECENT_AMOUNT,
    CRM_COLUMN_PRIOR_AMOUNT,
    CRM_COLUMN_R_SCORE,
    CRM_COLUMN_F_SCORE,
    CRM_COLUMN_M_SCORE,
    CRM_COLUMN_RFM_CELL,
    CRM_COLUMN_RFM_TOTAL,
    CRM_COLUMN_SEGMENT,
    CRM_COLUMN_VALUE_TIER,
    CRM_COLUMN_CONTRIBUTION_BAND,
    CRM_COLUMN_TENURE_BAND,
    CRM_COLUMN_VALUE_CLASS,
    CRM_COLUMN_LIFECYCLE_STAGE,
    CRM_COLUMN_PREVIOUS_STAGE,
    CRM_COLUMN_EXPECTED_INTERVAL_DAYS,
    CRM_COLUMN_OVERDUE_RATIO,
    CRM_COLUMN_CHURN_FLAGS,
    CRM_COLUMN_RISK_LEVEL,
    CRM_COLUMN_HEALTH_SCORE,
    CRM_COLUMN_HEALTH_BAND,
    CRM_COLUMN_LAST_CALL,
    CRM_COLUMN_LAST_VISIT,
    CRM_COLUMN_NEXT_CALL_DUE,
    CRM_COLUMN_NEXT_VISIT_DUE,
    CRM_COLUMN_CONTACT_OVERDUE,
    CRM_COLUMN_COMPLAINTS,
    CRM_COLUMN_OPEN_COMPLAINTS,
    CRM_COLUMN_SLA_BREACHES,
    CRM_COLUMN_REFERRALS,
    CRM_COLUMN_LAST_SURVEY_SCORE,
    CRM_COLUMN_RECENT_ENGAGEMENT,
    CRM_COLUMN_PRIOR_ENGAGEMENT,
    CRM_COLUMN_UNSUBSCRIBED,
    CRM_COLUMN_X,
    CRM_COLUMN_T_X,
    CRM_COLUMN_T,
    CRM_COLUMN_REPEAT_SPEND,
    CRM_COLUMN_MEDIAN_RESPONSE_HOURS,
    CRM_COLUMN_LAST_INBOUND,
    CRM_COLUMN_LAST_OUTBOUND,
    CRM_COLUMN_NEXT_BIRTHDAY,
    CRM_COLUMN_NEXT_ANNIVERSARY,
    CRM_COLUMN_RELATIONSHIP_YEARS,
    CRM_COLUMN_NEXT_KEY_DATE,
    CRM_COLUMN_KEY_DATE_KIND,
    CRM_COLUMN_CARE_DUE,
    CRM_COLUMN_MILESTONE_ANNIVERSARY,
    CRM_COLUMN_GROSS_PROFIT,
    CRM_COLUMN_SERVICE_COST,
    CRM_COLUMN_PROFIT,
    CRM_COLUMN_PROFIT_COVERAGE,
    CRM_COLUMN_PROFIT_CLASS,
    CRM_COLUMN_CUSTOMER_STATE,
    CRM_COLUMN_QUALIFICATION,
    CRM_COLUMN_MAN_KNOWN,
    CRM_COLUMN_MIX_VALUE,
    CRM_COLUMN_MIX_RELATIONSHIP,
    CRM_COLUMN_MIX_ACTION,
    CRM_COLUMN_MIX_DISTANCE,
    CRM_COLUMN_REPEAT_PURCHASE_DAYS,
    CRM_COLUMN_DISCOUNT_SHARE,
    CRM_COLUMN_DISCOUNTED_DAYS_SHARE,
    CRM_COLUMN_CHURN_CAUSE,
    CRM_COLUMN_WIN_BACK,
};
#define NBASE (sizeof base_columns / sizeof base_columns[0])

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
        const crm__ifacts *x = cu->inow;
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
    /* The 7:2:1 mix pooled over the rows, when purposes were supplied. */
    if (s->has_purpose) {
        int64_t pooled[4] = {0, 0, 0, 0};
        for (size_t i = 0; i < s->ncustomers; i++)
            for (int k = 0; k < 4; k++) pooled[k] += s->customers[i].inow->outbound_by_purpose[k];
        crm__mix mix = crm__mix_of(&s->config, pooled);
        r->metrics[CRM_METRIC_MIX_VALUE] = mix.value;
        r->metrics[CRM_METRIC_MIX_RELATIONSHIP] = mix.relationship;
        r->metrics[CRM_METRIC_MIX_ACTION] = mix.action;
        r->metrics[CRM_METRIC_MIX_DISTANCE] = mix.distance;
    }
    crm_status st = crm__profit_metrics(r, err);
    if (st != CRM_STATUS_OK) return st;
    size_t nh = s->response_hours.len;
    if (nh) {
        double *tmp = crm__calloc(&r->allocator, nh, sizeof *tmp);
        if (!tmp) return crm__nomem(err);
        memcpy(tmp, s->response_hours.data, nh * sizeof *tmp);
        r->metrics[CRM_METRIC_MEDIAN_RESPONSE_HOURS] = crm__median(tmp, nh);
        crm__free(&r->allocator, tmp);
    }
    return CRM_STATUS_OK;
}

static crm_status copy_segment_names(crm_result *r, const crm_config *c, crm_error *err) {
    if (!c->nrules) return CRM_STATUS_OK;
    r->segment_names = crm__calloc(&r->allocator, c->nrules, sizeof(char *));
    if (!r->segment_names) return crm__nomem(err);
    for (size_t i = 0; i < c->nrules; i++) {
        r->segment_names[i] = crm__strdup(&r->allocator, c->rules[i].name);
        if (!r->segment_names[i]) return crm__nomem(err);
        r->nsegment_names = i + 1;
    }
    return CRM_STATUS_OK;
}

/* A copy owned by the result (models hold no pointers). */
static crm_status clone_models(const crm_allocator *a, crm_model *const from[CRM__MODEL_SLOTS],
                               crm_model *to[CRM__MODEL_SLOTS]) {
    for (int k = 0; k < CRM__MODEL_SLOTS; k++) {
        if (!from[k]) continue;
        to[k] = crm__model_clone(a, from[k]);
        if (!to[k]) return CRM_STATUS_NO_MEMORY;
    }
    return CRM_STATUS_OK;
}

/* Part II of a customer's profile (docs/DEFINITIONS.md sections 11-16):
 * what needs an input that was not supplied stays not applicable. */
static void practice_of(const crm_population *p, const crm_summary *s, const crm__customer *cu,
                        crm__profile *pf) {
    const crm_config *c = &p->config;
    const crm__facts *f = &cu->now;
    int scored = f->purchase_days > 0;
    pf->keys = crm__key_dates_of(c, cu, s->as_of_day);
    pf->service_cost = crm__service_cost(c, cu->inow);
    /* Costs are known when any partition's transactions had a cost column, as
     * in one analysis of them all: a partition without transactions (its
     * prospects) has no cost column of its own. */
    const int has_cost = s->has_cost || p->has_cost;
    pf->gross_profit = has_cost ? f->gross_profit : NAN;
    pf->profit = crm__profit_of(c, cu, has_cost);
    pf->profit_coverage = has_cost && f->monetary != 0 ? f->costed_net / f->monetary : NAN;
    pf->profit_class = scored ? crm__profit_class(p, pf->profit) : CRM_PROFIT_CLASS_NONE;
    pf->state = crm__customer_state(c, cu, pf->stage);
    pf->qualification = crm__qualification(cu);
    pf->man_known = crm__man_known(cu);
    int64_t none[4] = {0, 0, 0, 0};
    pf->mix = crm__mix_of(c, s->has_purpose ? cu->inow->outbound_by_purpose : none);
    if (s->has_purpose && crm__mix_off(c, &pf->mix)) pf->flags |= CRM_FLAG_BIT(CRM_FLAG_MIX_OFF);
    pf->repeat_purchase_days = scored ? f->purchase_days - 1 : 0;
    pf->discount_share = s->has_discount && f->list_value > 0 ? f->discount / f->list_value : NAN;
    pf->discounted_days_share =
        s->has_discount && scored ? (double)f->discounted_days / (double)f->purchase_days : NAN;
    int price_sensitive = s->has_discount && f->purchase_days >= 3 &&
                          pf->discounted_days_share >= crm__opt(c, CRM_OPTION_PRICE_SENSITIVE_SHARE);
    if (price_sensitive) pf->flags |= CRM_FLAG_BIT(CRM_FLAG_PRICE_SENSITIVE);
    pf->churn_cause = crm__churn_cause(cu, pf->stage, price_sensitive);
    pf->win_back = crm__win_back(pf->churn_cause);
}

/* The profile of one customer (DOMAIN sections 3-8); value holds what the
 * models said of it (NaN without models). */
static void profile_of(const crm_population *p, const crm_summary *s, const crm__customer *cu,
                       int32_t prev_day, const crm__value *value, const crm__standing *m, double above,
                       crm__profile *pf) {
    const crm_config *c = &p->config;
    int32_t day = s->as_of_day;
    const crm__facts *f = &cu->now;
    int k = (int)crm__opt_int(c, CRM_OPTION_RFM_BINS);
    int scored = f->purchase_days > 0;
    memset(pf, 0, sizeof *pf);
    pf->model.x = pf->model.t_x = pf->model.T = pf->model.repeat_spend = pf->model.avg_spend = NAN;
    pf->value = *value;
    crm__standings st;
    if (scored) {
        pf->model = crm__model_input_of(f, day, crm__opt(c, CRM_OPTION_TIME_UNIT_DAYS));
        st = crm__standings_of(p, cu, day, m);
        const crm__standing dims[3] = {st.r, st.f, st.m};
        for (int d = 0; d < 3; d++)
            pf->score[d] = crm__rfm_score(p, d, crm__dim_value(c, cu, day, d), dims[d], cu->id);
        const int32_t *sc = pf->score;
        pf->segment = p->segments[((sc[0] - 1) * k + (sc[1] - 1)) * k + (sc[2] - 1)];
        pf->value_class = crm__value_class(c, sc[0], sc[1], sc[2]);
        pf->tier = crm__value_tier(p, f->monetary, above);
        pf->band = crm__contribution_band(p, st.m);
        pf->tenure_band = crm__tenure_band(c, (int64_t)day - f->first_day);
    }
    crm__rhythm now = crm__rhythm_of(f);
    double e = crm__expected_interval(&now, p->expected_interval);
    pf->expected_interval = e;
    pf->overdue_ratio = scored ? (double)(day - f->last_day) / e : NAN;
    pf->stage = crm__stage(c, &now, cu->inow->advocacy, e, day);
    pf->previous_stage =
        cu->prev_any ? crm__stage(c, &cu->prev, cu->prev_advocacy,
                                  crm__expected_interval(&cu->prev, p->prev_expected_interval), prev_day)
                     : CRM_STAGE_NONE;
    pf->next_call_due = crm__next_due(c, cu, pf->tier, 0);
    pf->next_visit_due = crm__next_due(c, cu, pf->tier, 1);
    /* "Overdue" needs to know the calls made: without any contact record in
     * the input, no call can be known to be overdue. */
    pf->contact_overdue = p->has_contacts && pf->next_call_due != CRM_NO_DAY && day > pf->next_call_due;
    pf->flags = crm__flags(c, cu, day, e, pf->tier, pf->contact_overdue);
    practice_of(p, s, cu, pf);
    pf->risk = crm__risk_level(c, pf->stage, pf->flags, value->p_alive);
    pf->health = scored ? crm__health(p, cu, &st) : NAN;
    pf->health_band = crm__health_band(c, pf->health);
}

/* Where each scored customer of s stands in monetary (packed in customer
 * order): monetary has about one distinct value per customer, so one sort
 * and one walk beat a search per customer. */
static crm_status monetary_standings(const crm_population *p, const crm_summary *s, crm__standing **out,
                                     double **above, crm_error *err) {
    const crm_allocator *a = &p->allocator;
    size_t n = 0;
    for (size_t i = 0; i < s->ncustomers; i++) n += s->customers[i].now.purchase_days > 0;
    double *m = crm__calloc(a, n + 1, sizeof *m), *ab = crm__calloc(a, n + 1, sizeof *ab);
    crm__standing *st = crm__calloc(a, n + 1, sizeof *st);
    crm_status status = m && st && ab ? CRM_STATUS_OK : CRM_STATUS_NO_MEMORY;
    for (size_t i = 0, j = 0; status == CRM_STATUS_OK && i < s->ncustomers; i++)
        if (s->customers[i].now.purchase_days > 0) m[j++] = s->customers[i].now.monetary;
    if (status == CRM_STATUS_OK) status = crm__stand_all(a, &p->rm, m, n, st, p->positive_above, ab);
    crm__free(a, m);
    if (status != CRM_STATUS_OK) {
        crm__free(a, st);
        crm__free(a, ab);
        return crm__nomem(err);
    }
    *out = st;
    *above = ab;
    return CRM_STATUS_OK;
}

/* What the models say of each scored customer of s (packed in customer order). */
static crm_status value_summary(const crm_population *p, const crm_summary *s, crm__value **out,
                                crm_error *err) {
    const crm_config *c = &p->config;
    const crm_allocator *a = &p->allocator;
    *out = NULL; /* without models every customer's values are NaN */
    if (!crm__has_purchase_model(c, p->models) && !crm__has_spend_model(p->models)) return CRM_STATUS_OK;
    size_t n = 0;
    for (size_t i = 0; i < s->ncustomers; i++) n += s->customers[i].now.purchase_days > 0;
    crm__model_input *in = crm__calloc(a, n + 1, sizeof *in);
    crm__value *values = crm__calloc(a, n + 1, sizeof *values);
    if (!in || !values) {
        crm__free(a, in);
        crm__free(a, values);
        return crm__nomem(err);
    }
    double unit = crm__opt(c, CRM_OPTION_TIME_UNIT_DAYS);
    for (size_t i = 0, j = 0; i < s->ncustomers; i++)
        if (s->customers[i].now.purchase_days > 0)
            in[j++] = crm__model_input_of(&s->customers[i].now, s->as_of_day, unit);
    crm_status st = crm__value_customers(c, p->models, in, n, values, err);
    crm__free(a, in);
    if (st != CRM_STATUS_OK) {
        crm__free(a, values);
        return st;
    }
    *out = values;
    return CRM_STATUS_OK;
}

/* Writing the rows of one part of a summary's customers (a task). */
typedef struct rows_job {
    const crm_population *p;
    const crm_summary *s;
    crm_result *r;
    const crm__value *values;
    const crm__standing *mst;
    const double *above;
    int32_t prev_day;
    size_t parts;
    size_t *first_scored; /* [part]: scored customers before the part */
} rows_job;

static void write_rows(void *arg, size_t part) {
    const rows_job *job = arg;
    const crm_summary *s = job->s;
    const crm__value none = {NAN, NAN, NAN, NAN};
    size_t b, e, j = job->first_scored[part];
    crm__split(s->ncustomers, job->parts, part, &b, &e);
    for (size_t i = b; i < e; i++) {
        const crm__customer *cu = &s->customers[i];
        crm__profile pf;
        int scored = cu->now.purchase_days > 0;
        profile_of(job->p, s, cu, job->prev_day, scored && job->values ? &job->values[j] : &none,
                   scored ? &job->mst[j] : NULL, scored ? job->above[j] : 0, &pf);
        j += (size_t)scored;
        crm__result_write_row(job->r, i, cu, s->as_of_day, job->r->k, &pf);
    }
}

crm_status crm_score(const crm_population *p, const crm_summary *s, crm_result **out, crm_error *err) {
    crm__error_clear(err);
    if (!p || !s || !out) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_score: NULL argument");
    *out = NULL;
    if (!p->finished) return crm__fail(err, CRM_STATUS_STATE, "crm_score: call crm_population_finish first");
    if (!was_added(p, s))
        return crm__fail(err, CRM_STATUS_MISMATCH, "crm_score: the summary was not added to this population");
    const crm_config *c = &p->config;
    int columns[CRM__COLUMN_COUNT];
    size_t ncolumns = 0;
    for (size_t i = 0; i < NBASE; i++) columns[ncolumns++] = base_columns[i];
    if (crm__has_purchase_model(c, p->models)) {
        columns[ncolumns++] = CRM_COLUMN_P_ALIVE;
        columns[ncolumns++] = CRM_COLUMN_EXPECTED_PURCHASES;
        columns[ncolumns++] = CRM_COLUMN_CLV;
    }
    if (crm__has_spend_model(p->models)) columns[ncolumns++] = CRM_COLUMN_EXPECTED_SPEND;
    crm__value *values = NULL;
    crm__standing *mst = NULL;
    double *above = NULL;
    crm_status st = value_summary(p, s, &values, err);
    if (st == CRM_STATUS_OK) st = monetary_standings(p, s, &mst, &above, err);
    if (st != CRM_STATUS_OK) {
        crm__free(&p->allocator, values);
        return st;
    }
    crm_result *r;
    st = crm__result_create(&p->allocator, s->ncustomers, columns, ncolumns, &r, err);
    if (st != CRM_STATUS_OK) {
        crm__free(&p->allocator, values);
        crm__free(&p->allocator, mst);
        crm__free(&p->allocator, above);
        return st;
    }
    r->as_of = s->as_of;
    r->as_of_day = s->as_of_day;
    r->k = (int)crm__opt_int(c, CRM_OPTION_RFM_BINS);
    r->have_cuts = p->rm.n > 0 || c->cuts[0] || c->cuts[1] || c->cuts[2];
    for (int d = 0; d < 3; d++)
        for (int t = 0; t < r->k - 1; t++) r->cuts[d][t] = d == CRM_DIM_R ? -p->cuts[d][t] : p->cuts[d][t];
    memcpy(r->records, s->records, sizeof r->records);
    memcpy(r->totals, s->totals, sizeof r->totals);
    int32_t prev_day = s->as_of_day - (int32_t)crm__opt_int(c, CRM_OPTION_WINDOW_DAYS);
    /* Rows in parts that run as tasks: each part starts at a known row and
     * a known scored index, and writes only its own rows. */
    rows_job job = {p, s, r, values, mst, above, prev_day, 0, NULL};
    job.parts = crm__workers(c) > 1 ? 4 * crm__workers(c) : 1;
    job.first_scored = crm__calloc(&p->allocator, job.parts, sizeof *job.first_scored);
    if (!job.first_scored) {
        st = crm__nomem(err);
    } else {
        for (size_t k = 0, j = 0; k < job.parts; k++) {
            size_t b, e;
            crm__split(s->ncustomers, job.parts, k, &b, &e);
            job.first_scored[k] = j;
            for (size_t i = b; i < e; i++) j += s->customers[i].now.purchase_days > 0;
        }
        crm__parallel(c, job.parts, write_rows, &job);
    }
    crm__free(&p->allocator, job.first_scored);
    if (st != CRM_STATUS_OK) {
        crm__free(&p->allocator, values);
        crm__free(&p->allocator, mst);
        crm__free(&p->allocator, above);
        crm_result_free(r);
        return st;
    }
    crm__free(&p->allocator, values);
    crm__free(&p->allocator, mst);
    crm__free(&p->allocator, above);
    st = clone_models(&r->allocator, p->models, r->models) == CRM_STATUS_OK ? CRM_STATUS_OK : crm__nomem(err);
    if (st == CRM_STATUS_OK) st = copy_segment_names(r, c, err);
    if (st == CRM_STATUS_OK) st = crm__result_groups(r, c->nrules ? c->nrules : CRM_SEGMENT_LOST, err);
    if (st == CRM_STATUS_OK) st = fill_metrics(r, s, err);
    if (st != CRM_STATUS_OK) {
        crm_result_free(r);
        return st;
    }
    *out = r;
    return CRM_STATUS_OK;
}

/* test_signals.c - relationship signals (DOMAIN sections 4-9) on hand-built
 * scenarios, one per rule, with the boundaries of every threshold. */
#include "crm_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define D             20000
#define AT(day, hour) ((int64_t)(day)*86400 + (int64_t)(hour)*3600)
#define H             3600

/* A small growable record set. */
typedef struct scenario {
    crm_transaction tx[512];
    size_t ntx;
    crm_interaction ix[256];
    size_t nix;
} scenario;

static void buy(scenario *s, uint64_t id, int day, double amount) {
    crm_transaction *t = &s->tx[s->ntx++];
    t->customer_id = id;
    t->time = AT(day, 12);
    t->amount = amount;
}

static void act(scenario *s, uint64_t id, int64_t time, int32_t kind, double value, uint64_t ref) {
    crm_interaction *x = &s->ix[s->nix++];
    memset(x, 0, sizeof *x);
    x->customer_id = id;
    x->time = time;
    x->kind = kind;
    x->value = value;
    x->ref = ref;
}

/* Background customers so that population statistics are not degenerate. */
static void background(scenario *s) {
    for (uint64_t id = 900; id < 910; id++) buy(s, id, D - 3 - (int)(id - 900), 5);
}

static crm_result *run_cfg(scenario *s, crm_config *cfg, int with_interactions) {
    crm_transactions tv;
    crm_interactions iv;
    crm_transactions_from_array(&tv, s->tx, s->ntx, NULL);
    crm_interactions_from_array(&iv, s->ix, s->nix, NULL);
    crm_result *r = NULL;
    crm_error err;
    crm_status st = crm_analyze(cfg, &tv, with_interactions ? &iv : NULL, NULL, &r, &err);
    if (st != CRM_STATUS_OK) print_error("%s\n", err.message);
    assert_int_equal(st, CRM_STATUS_OK);
    return r;
}

static crm_result *run(scenario *s, int with_interactions) {
    crm_config *cfg;
    assert_int_equal(crm_config_create(NULL, &cfg, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, AT(D, 23), NULL), CRM_STATUS_OK);
    crm_result *r = run_cfg(s, cfg, with_interactions);
    crm_config_free(cfg);
    return r;
}

static int32_t i32(const crm_result *r, int col, uint64_t id) {
    int64_t i = crm_result_find(r, id);
    assert_true(i >= 0);
    return crm_result_i32(r, col)[i];
}
static int64_t i64(const crm_result *r, int col, uint64_t id) {
    int64_t i = crm_result_find(r, id);
    assert_true(i >= 0);
    return crm_result_i64(r, col)[i];
}
static crm_flags flags_of(const crm_result *r, uint64_t id) {
    int64_t i = crm_result_find(r, id);
    assert_true(i >= 0);
    return crm_result_u64(r, CRM_COLUMN_CHURN_FLAGS)[i];
}
static double f64(const crm_result *r, int col, uint64_t id) {
    int64_t i = crm_result_find(r, id);
    assert_true(i >= 0);
    return crm_result_f64(r, col)[i];
}
#define STAGE(r, id)          crm_enum_name(CRM_ENUM_STAGE, i32(r, CRM_COLUMN_LIFECYCLE_STAGE, id))
#define HAS_FLAG(r, id, flag) ((flags_of(r, id) & CRM_FLAG_BIT(flag)) != 0)

static void test_own_rhythm(void **state) {
    (void)state;
    static scenario s;
    memset(&s, 0, sizeof s);
    background(&s);
    for (int w = 0; w < 10; w++) buy(&s, 1, D - 20 - 7 * w, 10);   /* weekly, absent 20 days */
    for (int y = 0; y < 4; y++) buy(&s, 2, D - 100 - 365 * y, 10); /* yearly, absent 100 days */
    for (int w = 0; w < 20; w++) buy(&s, 3, D - 14 - 7 * w, 10);   /* weekly, absent exactly 14 */
    for (int w = 0; w < 10; w++) buy(&s, 4, D - 61 - 7 * w, 10);   /* weekly, absent 61: lapsed */
    crm_result *r = run(&s, 0);
    assert_string_equal(STAGE(r, 1), "at_risk");
    assert_near(f64(r, CRM_COLUMN_EXPECTED_INTERVAL_DAYS, 1), 7, 0, 0);
    assert_near(f64(r, CRM_COLUMN_OVERDUE_RATIO, 1), 20.0 / 7.0, 1e-12, 0);
    assert_true(HAS_FLAG(r, 1, CRM_FLAG_OVERDUE));
    assert_false(HAS_FLAG(r, 1, CRM_FLAG_INACTIVE));
    assert_string_equal(STAGE(r, 2), "stable");
    assert_true(HAS_FLAG(r, 2, CRM_FLAG_INACTIVE)); /* the fixed 90-day rule still flags it */
    assert_false(HAS_FLAG(r, 2, CRM_FLAG_OVERDUE));
    assert_string_equal(STAGE(r, 3), "stable"); /* 14 is not more than clamp(2*7, 14, 365) */
    assert_string_equal(STAGE(r, 4), "lapsed"); /* 61 > clamp(4*7, 60, 730) */
    assert_int_equal(i32(r, CRM_COLUMN_RISK_LEVEL, 4), CRM_RISK_HIGH);
    crm_result_free(r);
}

static void test_new_reactivated_and_previous(void **state) {
    (void)state;
    static scenario s;
    memset(&s, 0, sizeof s);
    background(&s);
    buy(&s, 1, D - 30, 10); /* first seen 30 days ago */
    buy(&s, 1, D - 2, 10);
    for (int k = 0; k < 6; k++) buy(&s, 2, D - 355 - 10 * k, 10); /* every 10 days ... */
    buy(&s, 2, D - 5, 10);                                        /* ... then back after 300 days */
    crm_result *r = run(&s, 0);
    assert_string_equal(STAGE(r, 1), "new");
    assert_int_equal(i32(r, CRM_COLUMN_PREVIOUS_STAGE, 1), CRM_STAGE_NONE); /* no record 90 days ago */
    assert_string_equal(STAGE(r, 2), "reactivated");
    /* 90 days ago customer 2 had been silent 265 days against a 10-day rhythm */
    assert_int_equal(i32(r, CRM_COLUMN_PREVIOUS_STAGE, 2), CRM_STAGE_LAPSED);
    crm_result_free(r);
}

static void test_advocate(void **state) {
    (void)state;
    static scenario s;
    memset(&s, 0, sizeof s);
    background(&s);
    for (uint64_t id = 1; id <= 4; id++) {
        buy(&s, id, D - 200, 10);
        buy(&s, id, D - 4, 10);
        buy(&s, id, D - 100, 10);
    }
    act(&s, 1, AT(D - 40, 10), CRM_KIND_REFERRAL, 0, 0);  /* promoter with a referral */
    act(&s, 2, AT(D - 40, 10), CRM_KIND_SURVEY, 9, 0);    /* survey score 9 */
    act(&s, 3, AT(D - 40, 10), CRM_KIND_SURVEY, 8, 0);    /* 8 is not enough */
    act(&s, 4, AT(D - 365, 10), CRM_KIND_REFERRAL, 0, 0); /* referral outside the last 365 days */
    crm_result *r = run(&s, 1);
    assert_string_equal(STAGE(r, 1), "advocate");
    assert_int_equal(i64(r, CRM_COLUMN_REFERRALS, 1), 1);
    assert_string_equal(STAGE(r, 2), "advocate");
    assert_string_equal(STAGE(r, 3), "stable");
    assert_near(f64(r, CRM_COLUMN_LAST_SURVEY_SCORE, 3), 8, 0, 0);
    assert_string_equal(STAGE(r, 4), "stable");
    assert_true(isnan(f64(r, CRM_COLUMN_LAST_SURVEY_SCORE, 1)));
    crm_result_free(r);
}

static void test_value_lapsing_and_tiers(void **state) {
    (void)state;
    static scenario s;
    memset(&s, 0, sizeof s);
    /* 75 + 10 + 10 + 5 x 1 = 100: the tied 10s share 0.75 -> both key, where a
     * running total would have put the second into major. */
    buy(&s, 1, D - 91, 75);
    buy(&s, 2, D - 90, 10);
    buy(&s, 3, D - 1, 10);
    for (uint64_t id = 10; id < 15; id++) buy(&s, id, D - 1, 1);
    crm_result *r = run(&s, 0);
    assert_int_equal(i32(r, CRM_COLUMN_VALUE_TIER, 1), CRM_TIER_KEY);
    assert_int_equal(i32(r, CRM_COLUMN_VALUE_TIER, 2), CRM_TIER_KEY);
    assert_int_equal(i32(r, CRM_COLUMN_VALUE_TIER, 3), CRM_TIER_KEY);
    assert_int_equal(i32(r, CRM_COLUMN_VALUE_TIER, 10),
                     CRM_TIER_REGULAR); /* share 95/100: not < 0.95, < 0.99 */
    /* Bands: B = customers with more / 8: 0 -> head; the 10s 1/8 -> head; the 1s 3/8 -> waist */
    assert_int_equal(i32(r, CRM_COLUMN_CONTRIBUTION_BAND, 2), CRM_CONTRIBUTION_HEAD);
    assert_int_equal(i32(r, CRM_COLUMN_CONTRIBUTION_BAND, 3), CRM_CONTRIBUTION_HEAD);
    assert_int_equal(i32(r, CRM_COLUMN_CONTRIBUTION_BAND, 12), CRM_CONTRIBUTION_WAIST);
    /* Key customer silent 91 days: value_lapsing; 90 days: not (boundary). */
    assert_true(HAS_FLAG(r, 1, CRM_FLAG_VALUE_LAPSING));
    assert_true(HAS_FLAG(r, 1, CRM_FLAG_INACTIVE));
    assert_false(HAS_FLAG(r, 2, CRM_FLAG_VALUE_LAPSING));
    assert_false(HAS_FLAG(r, 2, CRM_FLAG_INACTIVE));
    assert_int_equal(i32(r, CRM_COLUMN_RISK_LEVEL, 1), CRM_RISK_HIGH);
    /* Tenure bands at their boundaries */
    crm_result_free(r);
    memset(&s, 0, sizeof s);
    buy(&s, 1, D - 1095, 1);
    buy(&s, 2, D - 1094, 1);
    buy(&s, 3, D - 365, 1);
    buy(&s, 4, D - 364, 1);
    r = run(&s, 0);
    assert_int_equal(i32(r, CRM_COLUMN_TENURE_BAND, 1), CRM_TENURE_STRATEGIC);
    assert_int_equal(i32(r, CRM_COLUMN_TENURE_BAND, 2), CRM_TENURE_GROWTH);
    assert_int_equal(i32(r, CRM_COLUMN_TENURE_BAND, 3), CRM_TENURE_GROWTH);
    assert_int_equal(i32(r, CRM_COLUMN_TENURE_BAND, 4), CRM_TENURE_NEW);
    crm_result_free(r);
}

static void test_complaint_sla(void **state) {
    (void)state;
    static scenario s;
    memset(&s, 0, sizeof s);
    background(&s);
    int64_t t0 = AT(D - 10, 8);
    for (uint64_t id = 1; id <= 5; id++) buy(&s, id, D - 20, 10);
    /* 1: major, answered after 3 h: breach. 2: major, after 1 h: fine. */
    act(&s, 1, t0, CRM_KIND_COMPLAINT, 1, 11);
    act(&s, 1, t0 + 3 * H, CRM_KIND_COMPLAINT_RESPONSE, 0, 11);
    act(&s, 2, t0, CRM_KIND_COMPLAINT, 1, 21);
    act(&s, 2, t0 + 1 * H, CRM_KIND_COMPLAINT_RESPONSE, 0, 21);
    /* 3: normal, answered after exactly 24 h: fine; 4: 24 h + 1 s: breach. */
    act(&s, 3, t0, CRM_KIND_COMPLAINT, 0, 31);
    act(&s, 3, t0 + 24 * H, CRM_KIND_COMPLAINT_RESPONSE, 0, 31);
    act(&s, 4, t0, CRM_KIND_COMPLAINT, 0, 41);
    act(&s, 4, t0 + 24 * H + 1, CRM_KIND_COMPLAINT_RESPONSE, 0, 41);
    /* everyone resolved within 24 h and followed up within 72 h of it ... */
    for (uint64_t id = 1; id <= 4; id++) {
        act(&s, id, t0 + 24 * H, CRM_KIND_COMPLAINT_RESOLUTION, 0, id * 10 + 1);
        act(&s, id, t0 + 96 * H, CRM_KIND_FOLLOW_UP, 0, id * 10 + 1);
    }
    /* 5: answered in time, resolved, never followed up although 72 h passed */
    act(&s, 5, t0, CRM_KIND_COMPLAINT, 0, 51);
    act(&s, 5, t0 + H, CRM_KIND_COMPLAINT_RESPONSE, 0, 51);
    act(&s, 5, t0 + 2 * H, CRM_KIND_COMPLAINT_RESOLUTION, 0, 51);
    /* 6: a prospect with a complaint still open, never answered */
    act(&s, 6, AT(D - 2, 8), CRM_KIND_COMPLAINT, 0, 61);
    crm_result *r = run(&s, 1);
    assert_int_equal(i64(r, CRM_COLUMN_SLA_BREACHES, 1), 1);
    assert_true(HAS_FLAG(r, 1, CRM_FLAG_SLA_BREACH));
    assert_int_equal(i64(r, CRM_COLUMN_SLA_BREACHES, 2), 0);
    assert_int_equal(i64(r, CRM_COLUMN_SLA_BREACHES, 3), 0);
    assert_int_equal(i64(r, CRM_COLUMN_SLA_BREACHES, 4), 1);
    assert_int_equal(i64(r, CRM_COLUMN_SLA_BREACHES, 5), 1);
    assert_near(f64(r, CRM_COLUMN_MEDIAN_RESPONSE_HOURS, 1), 3, 0, 0);
    assert_int_equal(i64(r, CRM_COLUMN_COMPLAINTS, 3), 1);
    assert_int_equal(i64(r, CRM_COLUMN_OPEN_COMPLAINTS, 3), 0);
    assert_string_equal(STAGE(r, 6), "prospect");
    assert_int_equal(i64(r, CRM_COLUMN_OPEN_COMPLAINTS, 6), 1);
    assert_true(HAS_FLAG(r, 6, CRM_FLAG_OPEN_COMPLAINT));
    assert_true(HAS_FLAG(r, 6, CRM_FLAG_SLA_BREACH)); /* 24 h passed without an answer */
    assert_int_equal(i32(r, CRM_COLUMN_RISK_LEVEL, 6), CRM_RISK_NONE);
    assert_true(isnan(f64(r, CRM_COLUMN_HEALTH_SCORE, 6)));
    /* Population figures: 6 complaints; responses within SLA 3 of 5 answered +
     * 1 unanswered past its SLA = 3/6; resolved within 24 h 5 of 5 resolved + 1
     * open past 24 h = 5/6; followed up within 72 h: 4 followed up late (96 h
     * after opening = 72 h after resolution: fine) ... */
    assert_near(crm_result_metric(r, CRM_METRIC_COMPLAINTS), 6, 0, 0);
    assert_near(crm_result_metric(r, CRM_METRIC_OPEN_COMPLAINTS), 1, 0, 0);
    assert_near(crm_result_metric(r, CRM_METRIC_RESPONSE_WITHIN_SLA), 3.0 / 6.0, 1e-12, 0);
    assert_near(crm_result_metric(r, CRM_METRIC_RESOLVED_WITHIN), 5.0 / 6.0, 1e-12, 0);
    assert_near(crm_result_metric(r, CRM_METRIC_FOLLOWED_UP_WITHIN), 4.0 / 5.0, 1e-12, 0);
    assert_near(crm_result_metric(r, CRM_METRIC_MEDIAN_RESPONSE_HOURS), 3, 1e-12, 0); /* 1,1,3,24,24+1/3600 */
    /* Nobody bought after their latest resolution. */
    assert_near(crm_result_metric(r, CRM_METRIC_RECOVERY_RATE), 0, 0, 0);
    assert_near(crm_result_metric(r, CRM_METRIC_SLA_BREACHES), 4, 0, 0);
    crm_result_free(r);
}

static void test_complaint_linking(void **state) {
    (void)state;
    static scenario s;
    memset(&s, 0, sizeof s);
    background(&s);
    buy(&s, 1, D - 20, 10);
    act(&s, 1, AT(D - 10, 8), CRM_KIND_COMPLAINT, 0, 5);
    act(&s, 1, AT(D - 10, 7), CRM_KIND_COMPLAINT_RESPONSE, 0, 5);  /* 1: before its complaint */
    act(&s, 1, AT(D - 9, 7), CRM_KIND_COMPLAINT_RESPONSE, 0, 6);   /* 2: no such complaint */
    act(&s, 1, AT(D - 9, 9), CRM_KIND_COMPLAINT, 0, 5);            /* 3: the reference again */
    act(&s, 2, AT(D - 9, 9), CRM_KIND_COMPLAINT_RESOLUTION, 0, 5); /* 4: customer 1's complaint */
    act(&s, 1, AT(D - 9, 9), 99, 0, 0);                            /* 5: unknown kind */
    act(&s, 1, AT(D - 9, 9), CRM_KIND_SURVEY, 11, 0);              /* 6: score above 10 */
    act(&s, 1, AT(D - 9, 9), CRM_KIND_SURVEY, NAN, 0);             /* 7: NaN value */
    act(&s, 1, AT(D + 9, 9), CRM_KIND_SURVEY, 5, 0);               /* 8: after the as-of */
    act(&s, 1, AT(D - 8, 9), CRM_KIND_COMPLAINT, 2, 7);            /* 9: severity 2 */
    crm_result *r = run(&s, 1);
    assert_int_equal(crm_result_records_total(r, CRM_INPUT_INTERACTIONS), 10);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_ACCEPTED), 1);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_BEFORE_COMPLAINT), 1);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_NO_COMPLAINT), 2);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_DUPLICATE_COMPLAINT), 1);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_UNKNOWN_KIND), 1);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_VALUE_RANGE), 2);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_NONFINITE), 1);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_AFTER_AS_OF), 1);
    assert_int_equal(crm_result_find(r, 2), -1); /* its only record was rejected */
    assert_int_equal(i64(r, CRM_COLUMN_OPEN_COMPLAINTS, 1), 1);
    crm_result_free(r);
    /* Strict validation names the earliest bad record, whatever the check. */
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, AT(D, 23), NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_VALIDATION, CRM_VALIDATION_STRICT, NULL),
                     CRM_STATUS_OK);
    crm_transactions tv;
    crm_interactions iv;
    crm_transactions_from_array(&tv, s.tx, s.ntx, NULL);
    crm_interactions_from_array(&iv, s.ix, s.nix, NULL);
    crm_result *none = NULL;
    assert_int_equal(crm_analyze(cfg, &tv, &iv, NULL, &none, &err), CRM_STATUS_BAD_RECORD);
    assert_int_equal(err.input, CRM_INPUT_INTERACTIONS);
    assert_int_equal(err.record, 1);
    assert_int_equal(err.reason, CRM_FATE_BEFORE_COMPLAINT);
    assert_non_null(strstr(err.message, "interaction 1"));
    crm_interactions_from_array(&iv, s.ix + 5, 5, NULL);
    assert_int_equal(crm_analyze(cfg, &tv, &iv, NULL, &none, &err), CRM_STATUS_BAD_RECORD);
    assert_int_equal(err.record, 0);
    assert_int_equal(err.field, CRM_FIELD_KIND);
    assert_int_equal(err.reason, CRM_FATE_UNKNOWN_KIND);
    crm_config_free(cfg);
}

static void test_health_leaves_out_missing(void **state) {
    (void)state;
    static scenario s;
    memset(&s, 0, sizeof s);
    buy(&s, 1, D - 5, 10); /* A: 1 purchase day, 10, recency 5 */
    buy(&s, 2, D - 9, 15); /* B: 2 purchase days, 30, recency 1 */
    buy(&s, 2, D - 1, 15);
    crm_result *r = run(&s, 0);
    /* Ranks among 2: the worse 100 * (0 + 1/2) / 2 = 25, the better 75. */
    assert_near(f64(r, CRM_COLUMN_HEALTH_SCORE, 1), 25, 1e-12, 0);
    assert_near(f64(r, CRM_COLUMN_HEALTH_SCORE, 2), 75, 1e-12, 0);
    assert_int_equal(i32(r, CRM_COLUMN_HEALTH_BAND, 1), CRM_HEALTH_RED);
    assert_int_equal(i32(r, CRM_COLUMN_HEALTH_BAND, 2), CRM_HEALTH_YELLOW); /* 75 is not above 75 */
    crm_result_free(r);
    r = run(&s, 1); /* an empty interaction view supplies no records: same scores */
    assert_near(f64(r, CRM_COLUMN_HEALTH_SCORE, 1), 25, 1e-12, 0);
    assert_near(f64(r, CRM_COLUMN_HEALTH_SCORE, 2), 75, 1e-12, 0);
    crm_result_free(r);
    act(&s, 1, AT(D - 3, 9), CRM_KIND_SURVEY, 8, 0);
    r = run(&s, 1);
    /* A: scale 25, activity 25, recency 25, engagement 75 (1 vs 0), complaints
     * 100, satisfaction 80 -> 330 / 6. B has no survey: left out, not 0:
     * (75 + 75 + 75 + 25 + 100) / 5. */
    assert_near(f64(r, CRM_COLUMN_HEALTH_SCORE, 1), 55, 1e-12, 0);
    assert_near(f64(r, CRM_COLUMN_HEALTH_SCORE, 2), 70, 1e-12, 0);
    crm_result_free(r);
    /* Complaints: 2 complaints over 1 purchase day -> min(1, 2) -> 0 points. */
    act(&s, 1, AT(D - 3, 10), CRM_KIND_COMPLAINT, 0, 1);
    act(&s, 1, AT(D - 3, 11), CRM_KIND_COMPLAINT, 0, 2);
    r = run(&s, 1);
    /* A: 25, 25, 25, engagement 75, complaints 0, satisfaction 80 -> 230 / 6 */
    assert_near(f64(r, CRM_COLUMN_HEALTH_SCORE, 1), 230.0 / 6.0, 1e-12, 0);
    crm_result_free(r);
}

static void test_engagement_subscription_and_contact(void **state) {
    (void)state;
    static scenario s;
    memset(&s, 0, sizeof s);
    for (uint64_t id = 1; id <= 12; id++) buy(&s, id, D - 50 - (int)id, 100.0 * (double)id);
    /* 12 is key; engagement: 4 in the prior window, 1 in the recent one */
    for (int k = 0; k < 4; k++) act(&s, 12, AT(D - 100 - k, 9), CRM_KIND_ENGAGEMENT, 0, 0);
    act(&s, 12, AT(D - 10, 9), CRM_KIND_ENGAGEMENT, 0, 0);
    act(&s, 12, AT(D - 40, 9), CRM_KIND_CALL_OUT, 0, 0); /* next call due D - 40 + 30 = D - 10 */
    act(&s, 12, AT(D - 45, 9), CRM_KIND_VISIT_OUT, 0, 0);
    act(&s, 12, AT(D - 44, 9), CRM_KIND_CALL_IN, 0, 0);
    act(&s, 11, AT(D - 30, 9), CRM_KIND_UNSUBSCRIBE, 0, 0);
    act(&s, 11, AT(D - 20, 9), CRM_KIND_RESUBSCRIBE, 0, 0);
    act(&s, 10, AT(D - 20, 9), CRM_KIND_RESUBSCRIBE, 0, 0);
    act(&s, 10, AT(D - 10, 9), CRM_KIND_UNSUBSCRIBE, 0, 0);
    act(&s, 9, AT(D - 10, 9), CRM_KIND_SURVEY, 6, 0); /* detractor: 6 or lower */
    act(&s, 8, AT(D - 10, 9), CRM_KIND_SURVEY, 7, 0);
    crm_result *r = run(&s, 1);
    assert_int_equal(i64(r, CRM_COLUMN_PRIOR_ENGAGEMENT, 12), 4);
    assert_int_equal(i64(r, CRM_COLUMN_RECENT_ENGAGEMENT, 12), 1);
    assert_true(HAS_FLAG(r, 12, CRM_FLAG_ENGAGEMENT_DROP));
    assert_int_equal(i32(r, CRM_COLUMN_VALUE_TIER, 12), CRM_TIER_KEY);
    assert_int_equal(i32(r, CRM_COLUMN_LAST_CALL, 12), D - 40);
    assert_int_equal(i32(r, CRM_COLUMN_LAST_VISIT, 12), D - 45);
    assert_int_equal(i32(r, CRM_COLUMN_LAST_INBOUND, 12), D - 44);
    assert_int_equal(i32(r, CRM_COLUMN_LAST_OUTBOUND, 12), D - 40);
    assert_int_equal(i32(r, CRM_COLUMN_NEXT_CALL_DUE, 12), D - 10);
    assert_int_equal(i32(r, CRM_COLUMN_NEXT_VISIT_DUE, 12), D - 45 + 91);
    assert_int_equal(i32(r, CRM_COLUMN_CONTACT_OVERDUE, 12), 1);
    assert_true(HAS_FLAG(r, 12, CRM_FLAG_CONTACT_OVERDUE));
    assert_false(HAS_FLAG(r, 11, CRM_FLAG_UNSUBSCRIBED));
    assert_int_equal(i32(r, CRM_COLUMN_UNSUBSCRIBED, 10), 1);
    assert_true(HAS_FLAG(r, 10, CRM_FLAG_UNSUBSCRIBED));
    assert_true(HAS_FLAG(r, 9, CRM_FLAG_DETRACTOR));
    assert_false(HAS_FLAG(r, 8, CRM_FLAG_DETRACTOR));
    /* Customer 1 (share above 7700/7800) is regular; without an outbound
     * contact the plan counts from the first purchase, D - 51. */
    assert_int_equal(i32(r, CRM_COLUMN_VALUE_TIER, 1), CRM_TIER_REGULAR);
    assert_int_equal(i32(r, CRM_COLUMN_NEXT_CALL_DUE, 1), D - 51 + 182);
    assert_int_equal(i32(r, CRM_COLUMN_NEXT_VISIT_DUE, 1), D - 51 + 365);
    assert_int_equal(i32(r, CRM_COLUMN_CONTACT_OVERDUE, 1), 0);
    /* Flag names and reasons for a contact list */
    assert_string_equal(crm_enum_name(CRM_ENUM_FLAG, CRM_FLAG_ENGAGEMENT_DROP), "engagement_drop");
    int64_t n;
    double revenue;
    crm_error err;
    assert_int_equal(crm_result_group(r, CRM_COLUMN_CHURN_FLAGS, CRM_FLAG_UNSUBSCRIBED, &n, &revenue, &err),
                     CRM_STATUS_OK);
    assert_int_equal(n, 1);
    assert_near(revenue, 1000, 0, 0);
    assert_int_equal(crm_result_group(r, CRM_COLUMN_CHURN_FLAGS, 64, &n, NULL, &err), CRM_STATUS_NOT_FOUND);
    assert_int_equal(crm_result_group(r, CRM_COLUMN_CHURN_FLAGS, -1, &n, NULL, &err), CRM_STATUS_NOT_FOUND);
    assert_int_equal(crm_result_group(r, CRM_COLUMN_MONETARY, 0, &n, NULL, &err),
                     CRM_STATUS_INVALID_ARGUMENT);
    crm_result_free(r);
}

static void test_drops_and_windows(void **state) {
    (void)state;
    static scenario s;
    memset(&s, 0, sizeof s);
    background(&s);
    /* prior window (D-180, D-90]: 4 days spending 40; recent: 1 day spending 10 */
    for (int k = 0; k < 4; k++) buy(&s, 1, D - 100 - 10 * k, 10);
    buy(&s, 1, D - 5, 10);
    /* prior 2 days, recent 1 day: 1 < 0.5 * 2 is false -> no frequency drop; spend 30 vs 20 */
    buy(&s, 2, D - 100, 10);
    buy(&s, 2, D - 120, 10);
    buy(&s, 2, D - 5, 30);
    crm_result *r = run(&s, 0);
    assert_true(HAS_FLAG(r, 1, CRM_FLAG_FREQUENCY_DROP));
    assert_true(HAS_FLAG(r, 1, CRM_FLAG_SPEND_DROP));
    assert_false(HAS_FLAG(r, 2, CRM_FLAG_FREQUENCY_DROP));
    assert_false(HAS_FLAG(r, 2, CRM_FLAG_SPEND_DROP));
    crm_result_free(r);
}

static void test_prospects_from_unknown_customers(void **state) {
    (void)state;
    static scenario s;
    memset(&s, 0, sizeof s);
    background(&s);
    act(&s, 77, AT(D - 3, 9), CRM_KIND_EMAIL_IN, 0, 0);
    act(&s, 78, AT(D - 3, 9), CRM_KIND_ENGAGEMENT, 0, 0);
    crm_result *r = run(&s, 1);
    assert_int_equal(crm_result_rows(r), 12);
    for (uint64_t id = 77; id <= 78; id++) {
        assert_string_equal(STAGE(r, id), "prospect");
        assert_int_equal(i32(r, CRM_COLUMN_VALUE_TIER, id), CRM_TIER_NONE);
        assert_int_equal(i32(r, CRM_COLUMN_RISK_LEVEL, id), CRM_RISK_NONE);
        assert_int_equal(i32(r, CRM_COLUMN_R_SCORE, id), 0);
        assert_int_equal(i32(r, CRM_COLUMN_RECENCY_DAYS, id), CRM_NO_DAY);
        assert_int_equal(i32(r, CRM_COLUMN_NEXT_CALL_DUE, id), CRM_NO_DAY);
    }
    int64_t n;
    assert_int_equal(crm_result_group(r, CRM_COLUMN_LIFECYCLE_STAGE, CRM_STAGE_PROSPECT, &n, NULL, NULL),
                     CRM_STATUS_OK);
    assert_int_equal(n, 2);
    assert_near(crm_result_metric(r, CRM_METRIC_CUSTOMERS), 12, 0, 0);
    assert_near(crm_result_metric(r, CRM_METRIC_SCORED_CUSTOMERS), 10, 0, 0);
    assert_true(isnan(crm_result_metric(r, CRM_METRIC_RECOVERY_RATE)));
    crm_result_free(r);
    /* Interactions alone: the as-of defaults to the end of the latest one's day. */
    crm_interactions iv;
    crm_interactions_from_array(&iv, s.ix, s.nix, NULL);
    assert_int_equal(crm_analyze(NULL, NULL, &iv, NULL, &r, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_result_rows(r), 2);
    assert_int_equal(crm_result_as_of_day(r), D - 3);
    crm_result_free(r);
}

static void test_recovery_rate(void **state) {
    (void)state;
    static scenario s;
    memset(&s, 0, sizeof s);
    background(&s);
    for (uint64_t id = 1; id <= 4; id++) {
        buy(&s, id, D - 60, 10);
        act(&s, id, AT(D - 50, 9), CRM_KIND_COMPLAINT, 0, 1);
        act(&s, id, AT(D - 50, 10), CRM_KIND_COMPLAINT_RESPONSE, 0, 1);
        act(&s, id, AT(D - 49, 9), CRM_KIND_COMPLAINT_RESOLUTION, 0, 1);
    }
    buy(&s, 1, D - 10, 10); /* bought again after the resolution */
    buy(&s, 2, D - 49, 10); /* same day as the resolution: not after it */
    crm_result *r = run(&s, 1);
    assert_near(crm_result_metric(r, CRM_METRIC_RECOVERY_RATE), 0.25, 1e-12, 0);
    crm_result_free(r);
}

/* Two complaints with one reference at one time: the major one is kept
 * whatever the input order. A follow-up made before the resolution does
 * not follow it up. */
static void test_complaint_ties_and_early_follow_up(void **state) {
    (void)state;
    static scenario s;
    int64_t sla[2];
    for (int order = 0; order < 2; order++) {
        memset(&s, 0, sizeof s);
        background(&s);
        buy(&s, 1, D - 20, 10);
        int64_t t0 = AT(D - 10, 8);
        act(&s, 1, t0, CRM_KIND_COMPLAINT, order ? 1 : 0, 9);
        act(&s, 1, t0, CRM_KIND_COMPLAINT, order ? 0 : 1, 9);
        act(&s, 1, t0 + 3 * H, CRM_KIND_COMPLAINT_RESPONSE, 0, 9); /* late for a major one only */
        act(&s, 1, t0 + 5 * H, CRM_KIND_COMPLAINT_RESOLUTION, 0, 9);
        act(&s, 1, t0 + 6 * H, CRM_KIND_FOLLOW_UP, 0, 9);
        /* customer 2: followed up before the resolution, never after it */
        buy(&s, 2, D - 20, 10);
        act(&s, 2, t0, CRM_KIND_COMPLAINT, 0, 1);
        act(&s, 2, t0 + 1 * H, CRM_KIND_COMPLAINT_RESPONSE, 0, 1);
        act(&s, 2, t0 + 4 * H, CRM_KIND_FOLLOW_UP, 0, 1);
        act(&s, 2, t0 + 5 * H, CRM_KIND_COMPLAINT_RESOLUTION, 0, 1);
        crm_result *r = run(&s, 1);
        sla[order] = i64(r, CRM_COLUMN_SLA_BREACHES, 1);
        assert_int_equal(i64(r, CRM_COLUMN_SLA_BREACHES, 2), 1);
        assert_near(crm_result_metric(r, CRM_METRIC_FOLLOWED_UP_WITHIN), 0.5, 0, 0);
        assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_DUPLICATE_COMPLAINT), 1);
        crm_result_free(r);
    }
    assert_int_equal(sla[0], 1);
    assert_int_equal(sla[1], 1);
}

/* A rejected interaction is no interaction: health stays what it is without
 * interactions (it once added the engagement and complaint components). */
static void test_rejected_interactions_change_nothing(void **state) {
    (void)state;
    crm_transaction t[4] = {
        {1, AT(D - 40, 9), 50}, {1, AT(D - 10, 9), 20}, {2, AT(D - 5, 9), 80}, {3, AT(D - 90, 9), 5}};
    crm_interaction x[1];
    memset(x, 0, sizeof x);
    x[0].customer_id = 1, x[0].time = AT(D - 3, 9), x[0].kind = 99; /* unknown kind: rejected */
    crm_config *cfg;
    assert_int_equal(crm_config_create(NULL, &cfg, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, AT(D, 23), NULL), CRM_STATUS_OK);
    crm_transactions tv;
    crm_interactions iv;
    crm_transactions_from_array(&tv, t, 4, NULL);
    crm_interactions_from_array(&iv, x, 1, NULL);
    crm_result *plain = NULL, *with = NULL;
    assert_int_equal(crm_analyze(cfg, &tv, NULL, NULL, &plain, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_analyze(cfg, &tv, &iv, NULL, &with, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_result_records(with, CRM_INPUT_INTERACTIONS, CRM_FATE_UNKNOWN_KIND), 1);
    for (size_t i = 0; i < 3; i++)
        assert_true(crm_result_f64(plain, CRM_COLUMN_HEALTH_SCORE)[i] ==
                    crm_result_f64(with, CRM_COLUMN_HEALTH_SCORE)[i]);
    crm_result_free(plain);
    crm_result_free(with);
    crm_config_free(cfg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rejected_interactions_change_nothing),
        cmocka_unit_test(test_own_rhythm),
        cmocka_unit_test(test_new_reactivated_and_previous),
        cmocka_unit_test(test_advocate),
        cmocka_unit_test(test_value_lapsing_and_tiers),
        cmocka_unit_test(test_complaint_sla),
        cmocka_unit_test(test_complaint_linking),
        cmocka_unit_test(test_health_leaves_out_missing),
        cmocka_unit_test(test_engagement_subscription_and_contact),
        cmocka_unit_test(test_drops_and_windows),
        cmocka_unit_test(test_prospects_from_unknown_customers),
        cmocka_unit_test(test_recovery_rate),
        cmocka_unit_test(test_complaint_ties_and_early_follow_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

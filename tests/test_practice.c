/* test_practice.c - Part II of docs/DEFINITIONS.md (sections 11-16) on
 * hand-computed scenarios: key dates, profit and the 80/20/30 figures,
 * customer states and MAN qualification, the 7:2:1 mix, price sensitivity,
 * churn causes and win-back actions; and partitions equal one call. */
#include "crm_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define AT(day, h) ((int64_t)(day)*86400 + (h)*3600)

static int32_t day_of(const char *iso) { return crm_test_day(iso); }

static crm_config *config_at(int32_t day) {
    crm_config *cfg = NULL;
    assert_int_equal(crm_config_create(NULL, &cfg, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, (int64_t)day * 86400 + 86399, NULL),
                     CRM_STATUS_OK);
    return cfg;
}

/* The inputs of a scenario, any of them optional. */
typedef struct inputs {
    crm_transaction tx[64];
    double cost[64], discount[64];
    size_t ntx;
    crm_interaction ix[64];
    size_t nix;
    crm_customer cu[16];
    size_t ncu;
    int with_cost, with_discount;
} inputs;

static void sale(inputs *in, uint64_t id, int32_t day, double amount, double cost, double discount) {
    size_t i = in->ntx++;
    in->tx[i] = (crm_transaction){id, AT(day, 10), amount};
    in->cost[i] = cost;
    in->discount[i] = discount;
}

static void contact(inputs *in, uint64_t id, int32_t day, int32_t kind, int32_t purpose, double value,
                    uint64_t ref) {
    size_t i = in->nix++;
    memset(&in->ix[i], 0, sizeof in->ix[i]);
    in->ix[i].customer_id = id;
    in->ix[i].time = AT(day, 12) + (int64_t)i; /* distinct times */
    in->ix[i].kind = kind;
    in->ix[i].purpose = purpose;
    in->ix[i].value = value;
    in->ix[i].ref = ref;
}

static void attrs(inputs *in, uint64_t id, int32_t birthday, int32_t start, int32_t m, int32_t a, int32_t n,
                  int32_t targeted) {
    in->cu[in->ncu++] = (crm_customer){id, birthday, start, m, a, n, targeted};
}

static crm_result *run(const crm_config *cfg, const inputs *in) {
    crm_transactions tv;
    crm_interactions iv;
    crm_customers cv;
    crm_transactions_from_array(&tv, in->tx, in->ntx, NULL);
    if (in->with_cost) crm_transactions_set_column(&tv, CRM_FIELD_COST, in->cost, 0, NULL);
    if (in->with_discount) crm_transactions_set_column(&tv, CRM_FIELD_DISCOUNT, in->discount, 0, NULL);
    crm_interactions_from_array(&iv, in->ix, in->nix, NULL);
    crm_customers_from_array(&cv, in->cu, in->ncu, NULL);
    crm_result *r = NULL;
    crm_error err;
    crm_status st =
        crm_analyze(cfg, in->ntx ? &tv : NULL, in->nix ? &iv : NULL, in->ncu ? &cv : NULL, &r, &err);
    if (st != CRM_STATUS_OK) print_error("crm_analyze: %s\n", err.message);
    assert_int_equal(st, CRM_STATUS_OK);
    return r;
}

static int64_t row(const crm_result *r, uint64_t id) {
    int64_t i = crm_result_find(r, id);
    if (i < 0) fail_msg("customer %llu has no row", (unsigned long long)id);
    return i;
}
static int32_t i32(const crm_result *r, int col, uint64_t id) { return crm_result_i32(r, col)[row(r, id)]; }
static double f64(const crm_result *r, int col, uint64_t id) { return crm_result_f64(r, col)[row(r, id)]; }
static const char *name(const crm_result *r, int col, uint64_t id) {
    return crm_result_label(r, col, i32(r, col, id));
}
static int flag(const crm_result *r, uint64_t id, int f) {
    return (crm_result_u64(r, CRM_COLUMN_CHURN_FLAGS)[row(r, id)] & CRM_FLAG_BIT(f)) != 0;
}

/* ---- 11 key dates ---- */

static void test_key_dates(void **state) {
    (void)state;
    int32_t D = day_of("2023-02-20");
    inputs in;
    memset(&in, 0, sizeof in);
    attrs(&in, 1, day_of("1992-02-29"), day_of("2013-03-01"), 0, 0, 0, 0); /* leap birthday, 10 years */
    sale(&in, 2, day_of("2020-02-20"), 10, 0, 0); /* anniversary of the first purchase */
    sale(&in, 2, day_of("2023-01-10"), 10, 0, 0);
    attrs(&in, 3, day_of("2000-12-25"), D, 0, 0, 0, 0);                    /* the relationship starts today */
    attrs(&in, 4, day_of("1980-06-15"), CRM_NO_DAY, 0, 0, 0, 0);           /* no anniversary */
    attrs(&in, 5, day_of("1990-03-05"), day_of("2021-03-05"), 0, 0, 0, 0); /* both on one day */
    crm_config *cfg = config_at(D);
    crm_result *r = run(cfg, &in);
    assert_int_equal(i32(r, CRM_COLUMN_NEXT_BIRTHDAY, 1), day_of("2023-02-28"));
    assert_int_equal(i32(r, CRM_COLUMN_NEXT_ANNIVERSARY, 1), day_of("2023-03-01"));
    assert_int_equal(i32(r, CRM_COLUMN_RELATIONSHIP_YEARS, 1), 10);
    assert_int_equal(i32(r, CRM_COLUMN_MILESTONE_ANNIVERSARY, 1), 1);
    assert_int_equal(i32(r, CRM_COLUMN_NEXT_KEY_DATE, 1), day_of("2023-02-28"));
    assert_string_equal(name(r, CRM_COLUMN_KEY_DATE_KIND, 1), "birthday");
    assert_int_equal(i32(r, CRM_COLUMN_CARE_DUE, 1), 1); /* 8 days <= 14 */

    assert_int_equal(i32(r, CRM_COLUMN_NEXT_BIRTHDAY, 2), CRM_NO_DAY);
    assert_int_equal(i32(r, CRM_COLUMN_NEXT_ANNIVERSARY, 2), D);
    assert_int_equal(i32(r, CRM_COLUMN_RELATIONSHIP_YEARS, 2), 3);
    assert_int_equal(i32(r, CRM_COLUMN_MILESTONE_ANNIVERSARY, 2), 1);
    assert_string_equal(name(r, CRM_COLUMN_KEY_DATE_KIND, 2), "anniversary");
    assert_int_equal(i32(r, CRM_COLUMN_CARE_DUE, 2), 1);

    assert_int_equal(i32(r, CRM_COLUMN_NEXT_ANNIVERSARY, 3), D);
    assert_int_equal(i32(r, CRM_COLUMN_RELATIONSHIP_YEARS, 3), 0);
    assert_int_equal(i32(r, CRM_COLUMN_MILESTONE_ANNIVERSARY, 3), 0);
    assert_int_equal(i32(r, CRM_COLUMN_NEXT_BIRTHDAY, 3), day_of("2023-12-25"));
    assert_string_equal(name(r, CRM_COLUMN_KEY_DATE_KIND, 3), "anniversary");

    assert_int_equal(i32(r, CRM_COLUMN_NEXT_ANNIVERSARY, 4), CRM_NO_DAY);
    assert_int_equal(i32(r, CRM_COLUMN_RELATIONSHIP_YEARS, 4), CRM_NO_DAY);
    assert_int_equal(i32(r, CRM_COLUMN_NEXT_BIRTHDAY, 4), day_of("2023-06-15"));
    assert_int_equal(i32(r, CRM_COLUMN_CARE_DUE, 4), 0);

    assert_string_equal(name(r, CRM_COLUMN_KEY_DATE_KIND, 5), "birthday"); /* a tie goes to the birthday */
    assert_int_equal(i32(r, CRM_COLUMN_RELATIONSHIP_YEARS, 5), 2);
    assert_int_equal(i32(r, CRM_COLUMN_CARE_DUE, 5), 1); /* 13 days */
    crm_result_free(r);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_CARE_LEAD_DAYS, 12, NULL), CRM_STATUS_OK);
    r = run(cfg, &in);
    assert_int_equal(i32(r, CRM_COLUMN_CARE_DUE, 5), 0);
    assert_int_equal(i32(r, CRM_COLUMN_CARE_DUE, 1), 1);
    crm_result_free(r);
    crm_config_free(cfg);
}

/* ---- 12 profit and the 80/20/30 rule ---- */

static void test_profit(void **state) {
    (void)state;
    int32_t D = day_of("2023-02-20");
    inputs in;
    memset(&in, 0, sizeof in);
    in.with_cost = 1;
    sale(&in, 10, D - 20, 100, 60, 0);
    contact(&in, 10, D - 5, CRM_KIND_CALL_IN, 0, 0, 0);
    contact(&in, 10, D - 4, CRM_KIND_CALL_OUT, 0, 0, 0);
    sale(&in, 11, D - 30, 50, 20, 0);
    sale(&in, 12, D - 40, 80, 90, 0);
    contact(&in, 12, D - 3, CRM_KIND_COMPLAINT, 0, 0, 1);
    sale(&in, 13, D - 50, 200, 100, 0);
    sale(&in, 13, D - 45, -50, -25, 0); /* a return: the goods come back */
    sale(&in, 14, D - 60, 30, NAN, 0);  /* no cost known */
    sale(&in, 14, D - 59, 20, 5, 0);
    crm_config *cfg = config_at(D);
    assert_int_equal(crm_config_set_text(cfg, "cost_call", "2", NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "cost_complaint", "10", NULL), CRM_STATUS_OK);
    crm_result *r = run(cfg, &in);
    assert_near(f64(r, CRM_COLUMN_GROSS_PROFIT, 10), 40, 0, 0);
    assert_near(f64(r, CRM_COLUMN_SERVICE_COST, 10), 4, 0, 0);
    assert_near(f64(r, CRM_COLUMN_PROFIT, 10), 36, 0, 0);
    assert_near(f64(r, CRM_COLUMN_PROFIT, 12), -20, 0, 0);
    assert_near(f64(r, CRM_COLUMN_GROSS_PROFIT, 13), 75, 0, 0);
    assert_near(f64(r, CRM_COLUMN_PROFIT_COVERAGE, 13), 1, 0, 0);
    assert_near(f64(r, CRM_COLUMN_GROSS_PROFIT, 14), 15, 0, 0);
    assert_near(f64(r, CRM_COLUMN_PROFIT_COVERAGE, 14), 0.4, 1e-15, 0);
    assert_string_equal(name(r, CRM_COLUMN_PROFIT_CLASS, 13), "top");
    assert_string_equal(name(r, CRM_COLUMN_PROFIT_CLASS, 10), "profitable"); /* 1 of 5 above: not < 0.2 */
    assert_string_equal(name(r, CRM_COLUMN_PROFIT_CLASS, 14), "profitable");
    assert_string_equal(name(r, CRM_COLUMN_PROFIT_CLASS, 12), "unprofitable");
    /* 136 in all; the top fifth (one customer) holds 75; losses 20 against gains 156 */
    assert_near(crm_result_metric(r, CRM_METRIC_TOP20_PROFIT_SHARE), 75.0 / 136.0, 0, 1e-15);
    assert_near(crm_result_metric(r, CRM_METRIC_UNPROFITABLE_LOSS_SHARE), 20.0 / 156.0, 0, 1e-15);
    double xs[8], ys[8];
    size_t n = 0;
    crm_error err;
    assert_int_equal(crm_result_whale_curve(r, xs, ys, 8, &n, &err), CRM_STATUS_OK);
    assert_int_equal(n, 6);
    const double want[6] = {0, 75, 111, 141, 156, 136};
    for (size_t i = 0; i < n; i++) {
        assert_near(xs[i], (double)i / 5.0, 0, 1e-15);
        assert_near(ys[i], want[i] / 136.0, 0, 1e-15);
    }
    assert_int_equal(crm_result_whale_curve(r, NULL, NULL, 0, &n, &err), CRM_STATUS_OK);
    assert_int_equal(n, 6);
    crm_result_free(r);
    /* Without a cost column nothing of profit applies. */
    in.with_cost = 0;
    r = run(cfg, &in);
    assert_true(isnan(f64(r, CRM_COLUMN_PROFIT, 10)));
    assert_true(isnan(f64(r, CRM_COLUMN_GROSS_PROFIT, 10)));
    assert_near(f64(r, CRM_COLUMN_SERVICE_COST, 10), 4, 0, 0);
    assert_string_equal(name(r, CRM_COLUMN_PROFIT_CLASS, 10), "none");
    assert_true(isnan(crm_result_metric(r, CRM_METRIC_TOP20_PROFIT_SHARE)));
    assert_int_equal(crm_result_whale_curve(r, xs, ys, 8, &n, &err), CRM_STATUS_NOT_FOUND);
    crm_result_free(r);
    crm_config_free(cfg);
}

/* ---- 13 customer states and MAN ---- */

static void test_states_and_qualification(void **state) {
    (void)state;
    int32_t D = day_of("2023-02-20");
    enum { NO = CRM_ANSWER_NO, YES = CRM_ANSWER_YES, UNK = CRM_ANSWER_UNKNOWN };
    inputs in;
    memset(&in, 0, sizeof in);
    attrs(&in, 1, CRM_NO_DAY, CRM_NO_DAY, NO, NO, NO, 0);
    attrs(&in, 2, CRM_NO_DAY, CRM_NO_DAY, YES, YES, YES, 0);
    attrs(&in, 3, CRM_NO_DAY, CRM_NO_DAY, YES, YES, UNK, 1);
    attrs(&in, 4, CRM_NO_DAY, CRM_NO_DAY, NO, YES, YES, 0);
    attrs(&in, 5, CRM_NO_DAY, CRM_NO_DAY, YES, NO, YES, 0);
    attrs(&in, 6, CRM_NO_DAY, CRM_NO_DAY, YES, UNK, UNK, 0);
    sale(&in, 20, D - 1000, 10, 0, 0); /* lapsed long ago */
    sale(&in, 20, D - 990, 10, 0, 0);
    for (int k = 0; k < 4; k++) sale(&in, 21, D - 300 + 100 * k - (k == 3 ? 90 : 0), 10, 0, 0); /* steady */
    sale(&in, 22, D - 5, 10, 0, 0);                                                             /* new */
    crm_config *cfg = config_at(D);
    crm_result *r = run(cfg, &in);
    assert_string_equal(name(r, CRM_COLUMN_CUSTOMER_STATE, 1), "non_customer");
    assert_string_equal(name(r, CRM_COLUMN_QUALIFICATION, 1), "stop_contact");
    assert_int_equal(i32(r, CRM_COLUMN_MAN_KNOWN, 1), 3);
    assert_string_equal(name(r, CRM_COLUMN_CUSTOMER_STATE, 2), "potential");
    assert_string_equal(name(r, CRM_COLUMN_QUALIFICATION, 2), "ideal");
    assert_string_equal(name(r, CRM_COLUMN_CUSTOMER_STATE, 3), "target");
    assert_string_equal(name(r, CRM_COLUMN_QUALIFICATION, 3), "develop_need");
    assert_int_equal(i32(r, CRM_COLUMN_MAN_KNOWN, 3), 2);
    assert_string_equal(name(r, CRM_COLUMN_QUALIFICATION, 4), "offer_financing");
    assert_string_equal(name(r, CRM_COLUMN_QUALIFICATION, 5), "find_decision_maker");
    assert_string_equal(name(r, CRM_COLUMN_QUALIFICATION, 6), "cultivate");
    assert_string_equal(name(r, CRM_COLUMN_CUSTOMER_STATE, 6), "potential");
    assert_string_equal(name(r, CRM_COLUMN_CUSTOMER_STATE, 20), "lost");
    assert_string_equal(name(r, CRM_COLUMN_LIFECYCLE_STAGE, 21), "stable");
    assert_string_equal(name(r, CRM_COLUMN_CUSTOMER_STATE, 21), "loyal");
    assert_string_equal(name(r, CRM_COLUMN_CUSTOMER_STATE, 22), "actual");
    assert_string_equal(name(r, CRM_COLUMN_QUALIFICATION, 22), "none");
    assert_int_equal(i32(r, CRM_COLUMN_MAN_KNOWN, 22), 0);
    crm_result_free(r);
    /* loyal needs loyal_min_purchase_days */
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_LOYAL_MIN_PURCHASE_DAYS, 5, NULL), CRM_STATUS_OK);
    r = run(cfg, &in);
    assert_string_equal(name(r, CRM_COLUMN_CUSTOMER_STATE, 21), "actual");
    crm_result_free(r);
    crm_config_free(cfg);
}

/* ---- 14 the 7:2:1 mix ---- */

static void test_mix(void **state) {
    (void)state;
    int32_t D = day_of("2023-02-20");
    inputs in;
    memset(&in, 0, sizeof in);
    for (int k = 0; k < 10; k++) /* 9:0:1 is exactly 0.2 from 7:2:1: not off */
        contact(&in, 1, D - 10 - k, CRM_KIND_EMAIL_OUT, k < 9 ? CRM_PURPOSE_VALUE : CRM_PURPOSE_ACTION, 0, 0);
    for (int k = 0; k < 10; k++) /* 5:5:0 is 0.3 away: off */
        contact(&in, 2, D - 10 - k, CRM_KIND_CALL_OUT, k < 5 ? CRM_PURPOSE_VALUE : CRM_PURPOSE_RELATIONSHIP,
                0, 0);
    for (int k = 0; k < 3; k++) contact(&in, 3, D - 10 - k, CRM_KIND_VISIT_OUT, CRM_PURPOSE_ACTION, 0, 0);
    contact(&in, 3, D - 2, CRM_KIND_CALL_IN, CRM_PURPOSE_VALUE, 0, 0);    /* inbound: ignored */
    contact(&in, 3, D - 400, CRM_KIND_CALL_OUT, CRM_PURPOSE_VALUE, 0, 0); /* older than 365 days */
    for (int k = 0; k < 3; k++) sale(&in, (uint64_t)k + 1, D - 50, 10, 0, 0);
    crm_config *cfg = config_at(D);
    crm_result *r = run(cfg, &in);
    assert_near(f64(r, CRM_COLUMN_MIX_VALUE, 1), 0.9, 1e-15, 0);
    assert_near(f64(r, CRM_COLUMN_MIX_DISTANCE, 1), 0.2, 1e-12, 0);
    assert_false(flag(r, 1, CRM_FLAG_MIX_OFF));
    assert_near(f64(r, CRM_COLUMN_MIX_DISTANCE, 2), 0.3, 1e-12, 0);
    assert_true(flag(r, 2, CRM_FLAG_MIX_OFF));
    assert_near(f64(r, CRM_COLUMN_MIX_ACTION, 3), 1.0, 0, 0);
    assert_false(flag(r, 3, CRM_FLAG_MIX_OFF)); /* 3 contacts < mix_min_contacts */
    /* pooled: 14 value, 5 relationship, 4 action */
    assert_near(crm_result_metric(r, CRM_METRIC_MIX_VALUE), 14.0 / 23.0, 0, 1e-15);
    assert_near(crm_result_metric(r, CRM_METRIC_MIX_ACTION), 4.0 / 23.0, 0, 1e-15);
    int32_t risk_with_mix = i32(r, CRM_COLUMN_RISK_LEVEL, 2);
    crm_result_free(r);
    /* mix_off does not raise the risk level: without purposes the risk is the same */
    crm_interaction copy[64];
    memcpy(copy, in.ix, sizeof copy);
    for (size_t i = 0; i < in.nix; i++) in.ix[i].purpose = CRM_PURPOSE_NONE;
    r = run(cfg, &in);
    assert_int_equal(i32(r, CRM_COLUMN_RISK_LEVEL, 2), risk_with_mix);
    assert_true(isnan(f64(r, CRM_COLUMN_MIX_VALUE, 2)));
    crm_result_free(r);
    memcpy(in.ix, copy, sizeof copy);
    crm_config_free(cfg);
}

/* ---- 15 price sensitivity and 16 churn causes ---- */

static void test_price_and_churn_causes(void **state) {
    (void)state;
    int32_t D = day_of("2023-02-20");
    inputs in;
    memset(&in, 0, sizeof in);
    in.with_discount = 1;
    for (int k = 0; k < 4; k++)
        sale(&in, 1, D - 400 + 20 * k, 100, 0, k < 2 ? 20 : 0); /* lapsed, discounted */
    sale(&in, 2, D - 400, 10, 0, 0);                            /* lapsed, complained */
    sale(&in, 2, D - 390, 10, 0, 0);
    contact(&in, 2, D - 300, CRM_KIND_COMPLAINT, 0, 0, 7);
    sale(&in, 3, D - 500, 10, 0, 0); /* the gaps grew */
    sale(&in, 3, D - 490, 10, 0, 0);
    sale(&in, 3, D - 480, 10, 0, 0);
    sale(&in, 3, D - 200, 10, 0, 0);
    sale(&in, 4, D - 400, 10, 0, 0); /* lapsed, nothing to tell why */
    sale(&in, 4, D - 390, 10, 0, 0);
    sale(&in, 5, D - 3, 10, 0, 0); /* active */
    crm_config *cfg = config_at(D);
    crm_result *r = run(cfg, &in);
    assert_near(f64(r, CRM_COLUMN_DISCOUNT_SHARE, 1), 40.0 / 440.0, 0, 1e-15);
    assert_near(f64(r, CRM_COLUMN_DISCOUNTED_DAYS_SHARE, 1), 0.5, 0, 0);
    assert_true(flag(r, 1, CRM_FLAG_PRICE_SENSITIVE));
    assert_int_equal(crm_result_i64(r, CRM_COLUMN_REPEAT_PURCHASE_DAYS)[row(r, 1)], 3);
    assert_string_equal(name(r, CRM_COLUMN_LIFECYCLE_STAGE, 1), "lapsed");
    assert_string_equal(name(r, CRM_COLUMN_CHURN_CAUSE, 1), "price");
    assert_string_equal(name(r, CRM_COLUMN_WIN_BACK, 1), "limited_time_offer");
    assert_string_equal(name(r, CRM_COLUMN_CHURN_CAUSE, 2), "service");
    assert_string_equal(name(r, CRM_COLUMN_WIN_BACK, 2), "show_service_improvements");
    assert_string_equal(name(r, CRM_COLUMN_CHURN_CAUSE, 3), "need_faded");
    assert_string_equal(name(r, CRM_COLUMN_WIN_BACK, 3), "light_touch");
    assert_string_equal(name(r, CRM_COLUMN_CHURN_CAUSE, 4), "unknown");
    assert_string_equal(name(r, CRM_COLUMN_WIN_BACK, 4), "needs_survey");
    assert_string_equal(name(r, CRM_COLUMN_CHURN_CAUSE, 5), "none");
    assert_false(flag(r, 4, CRM_FLAG_PRICE_SENSITIVE));
    crm_result_free(r);
    /* Without a discount column the price measures do not apply. */
    in.with_discount = 0;
    r = run(cfg, &in);
    assert_true(isnan(f64(r, CRM_COLUMN_DISCOUNT_SHARE, 1)));
    assert_false(flag(r, 1, CRM_FLAG_PRICE_SENSITIVE));
    assert_string_not_equal(name(r, CRM_COLUMN_CHURN_CAUSE, 1), "price");
    crm_result_free(r);
    crm_config_free(cfg);
}

/* ---- boundaries ---- */

static void test_boundaries(void **state) {
    (void)state;
    int32_t D = day_of("2023-02-20");
    enum { NO = CRM_ANSWER_NO, YES = CRM_ANSWER_YES, UNK = CRM_ANSWER_UNKNOWN };
    inputs in;
    memset(&in, 0, sizeof in);
    in.with_cost = in.with_discount = 1;
    /* key dates exactly care_lead_days (14) away, and one day more */
    attrs(&in, 1, day_of("1990-03-06"), CRM_NO_DAY, UNK, UNK, UNK, 0);
    attrs(&in, 2, day_of("1990-03-07"), CRM_NO_DAY, UNK, UNK, UNK, 0);
    /* the two MAN combinations test_states did not cover; all unknown */
    attrs(&in, 3, CRM_NO_DAY, CRM_NO_DAY, NO, NO, YES, 0);
    attrs(&in, 4, CRM_NO_DAY, CRM_NO_DAY, NO, YES, NO, 0);
    attrs(&in, 5, CRM_NO_DAY, CRM_NO_DAY, YES, NO, NO, 0);
    /* profit exactly 0, and a tie at the 20 % line: 10 customers, two share the 2nd place */
    sale(&in, 10, D - 10, 50, 50, 0);
    const double profits[9] = {90, 80, 80, 40, 30, 20, 10, 5, 1};
    for (int k = 0; k < 9; k++) sale(&in, 11 + (uint64_t)k, D - 10, 100 + profits[k], 100, 0);
    /* two purchase days, both discounted: too few days to be price sensitive */
    sale(&in, 30, D - 30, 10, 0, 1);
    sale(&in, 30, D - 20, 10, 0, 1);
    /* three purchase days, two discounted (67 %): price sensitive */
    for (int k = 0; k < 3; k++) sale(&in, 31, D - 30 + 5 * k, 10, 0, k < 2 ? 1 : 0);
    /* lapsed, complained and price sensitive: the service cause comes first */
    for (int k = 0; k < 3; k++) sale(&in, 32, D - 400 + 10 * k, 10, 0, 2);
    contact(&in, 32, D - 380, CRM_KIND_SURVEY, 0, 3, 0);
    crm_config *cfg = config_at(D);
    crm_result *r = run(cfg, &in);
    assert_int_equal(i32(r, CRM_COLUMN_CARE_DUE, 1), 1);
    assert_int_equal(i32(r, CRM_COLUMN_CARE_DUE, 2), 0);
    assert_string_equal(name(r, CRM_COLUMN_QUALIFICATION, 3), "cultivate");
    assert_string_equal(name(r, CRM_COLUMN_QUALIFICATION, 4), "cultivate");
    assert_string_equal(name(r, CRM_COLUMN_QUALIFICATION, 5), "cultivate");
    assert_string_equal(name(r, CRM_COLUMN_QUALIFICATION, 1), "stop_contact"); /* unknown counts as no */
    assert_int_equal(i32(r, CRM_COLUMN_MAN_KNOWN, 1), 0);
    assert_string_equal(name(r, CRM_COLUMN_CUSTOMER_STATE, 1), "potential");
    assert_near(f64(r, CRM_COLUMN_PROFIT, 10), 0, 0, 0);
    assert_string_equal(name(r, CRM_COLUMN_PROFIT_CLASS, 10), "profitable"); /* 0 is not a loss */
    /* 13 customers with a profit: up to 2 above stay below a share of 0.2; 90 (0 above), 80 (1 above) */
    assert_string_equal(name(r, CRM_COLUMN_PROFIT_CLASS, 11), "top");
    assert_string_equal(name(r, CRM_COLUMN_PROFIT_CLASS, 12), "top");
    assert_string_equal(name(r, CRM_COLUMN_PROFIT_CLASS, 13), "top"); /* ties share the class */
    assert_false(flag(r, 30, CRM_FLAG_PRICE_SENSITIVE));
    assert_true(flag(r, 31, CRM_FLAG_PRICE_SENSITIVE));
    assert_true(flag(r, 32, CRM_FLAG_PRICE_SENSITIVE));
    assert_string_equal(name(r, CRM_COLUMN_CHURN_CAUSE, 32), "service");
    crm_result_free(r);
    crm_config_free(cfg);
}

/* Without the optional inputs, what needs them is not applicable. */
static void test_without_optional_inputs(void **state) {
    (void)state;
    int32_t D = day_of("2023-02-20");
    inputs in;
    memset(&in, 0, sizeof in);
    for (uint64_t id = 1; id <= 5; id++) sale(&in, id, D - 30 * (int32_t)id, 10.0 * (double)id, 0, 0);
    contact(&in, 1, D - 3, CRM_KIND_CALL_OUT, 0, 0, 0);
    crm_config *cfg = config_at(D);
    crm_result *r = run(cfg, &in);
    for (uint64_t id = 1; id <= 5; id++) {
        assert_int_equal(i32(r, CRM_COLUMN_NEXT_BIRTHDAY, id), CRM_NO_DAY);
        assert_true(isnan(f64(r, CRM_COLUMN_PROFIT, id)));
        assert_true(isnan(f64(r, CRM_COLUMN_PROFIT_COVERAGE, id)));
        assert_string_equal(name(r, CRM_COLUMN_PROFIT_CLASS, id), "none");
        assert_true(isnan(f64(r, CRM_COLUMN_MIX_VALUE, id)));
        assert_true(isnan(f64(r, CRM_COLUMN_DISCOUNT_SHARE, id)));
        assert_false(flag(r, id, CRM_FLAG_MIX_OFF));
        assert_false(flag(r, id, CRM_FLAG_PRICE_SENSITIVE));
        assert_int_equal(i32(r, CRM_COLUMN_MAN_KNOWN, id), 0);
        /* the anniversary of the first purchase needs no optional input */
        assert_true(i32(r, CRM_COLUMN_NEXT_ANNIVERSARY, id) != CRM_NO_DAY);
    }
    for (int m = CRM_METRIC_TOP20_PROFIT_SHARE; m <= CRM_METRIC_MIX_DISTANCE; m++)
        assert_true(isnan(crm_result_metric(r, m)));
    crm_result_free(r);
    crm_config_free(cfg);
}

/* ---- partitions ---- */

static void test_partitions_with_every_input(void **state) {
    (void)state;
    int32_t D = day_of("2023-02-20");
    inputs all;
    memset(&all, 0, sizeof all);
    all.with_cost = all.with_discount = 1;
    crm_rng rng = {99};
    for (uint64_t id = 1; id <= 12; id++) {
        for (int k = 0; k < 4; k++)
            sale(&all, id, D - (int32_t)crm_rng_below(&rng, 600), (double)(1 + crm_rng_below(&rng, 300)),
                 k == 3 ? NAN : (double)crm_rng_below(&rng, 100), (double)(crm_rng_below(&rng, 3) * 5));
        contact(&all, id, D - (int32_t)crm_rng_below(&rng, 300), CRM_KIND_EMAIL_OUT,
                (int32_t)crm_rng_below(&rng, 4), 0, 0);
        attrs(&all, id, day_of("1985-05-05") + (int32_t)id, CRM_NO_DAY, (int32_t)(id % 3), 2, 1,
              (int32_t)(id % 2));
    }
    crm_config *cfg = config_at(D);
    assert_int_equal(crm_config_set_text(cfg, "cost_email", "1.5", NULL), CRM_STATUS_OK);
    crm_result *whole = run(cfg, &all);
    crm_population *pop;
    assert_int_equal(crm_population_create(cfg, &pop, NULL), CRM_STATUS_OK);
    inputs part[2];
    crm_summary *s[2];
    for (int k = 0; k < 2; k++) {
        memset(&part[k], 0, sizeof part[k]);
        part[k].with_cost = part[k].with_discount = 1;
    }
    for (size_t i = 0; i < all.ntx; i++) {
        inputs *q = &part[all.tx[i].customer_id % 2];
        sale(q, all.tx[i].customer_id, (int32_t)(all.tx[i].time / 86400), all.tx[i].amount, all.cost[i],
             all.discount[i]);
    }
    for (size_t i = 0; i < all.nix; i++) {
        inputs *q = &part[all.ix[i].customer_id % 2];
        q->ix[q->nix++] = all.ix[i];
    }
    for (size_t i = 0; i < all.ncu; i++) {
        inputs *q = &part[all.cu[i].customer_id % 2];
        q->cu[q->ncu++] = all.cu[i];
    }
    for (int k = 0; k < 2; k++) {
        crm_transactions tv;
        crm_interactions iv;
        crm_customers cv;
        crm_transactions_from_array(&tv, part[k].tx, part[k].ntx, NULL);
        crm_transactions_set_column(&tv, CRM_FIELD_COST, part[k].cost, 0, NULL);
        crm_transactions_set_column(&tv, CRM_FIELD_DISCOUNT, part[k].discount, 0, NULL);
        crm_interactions_from_array(&iv, part[k].ix, part[k].nix, NULL);
        crm_customers_from_array(&cv, part[k].cu, part[k].ncu, NULL);
        assert_int_equal(crm_summarize(cfg, &tv, &iv, &cv, &s[k], NULL), CRM_STATUS_OK);
        assert_int_equal(crm_population_add(pop, s[k], NULL), CRM_STATUS_OK);
    }
    assert_int_equal(crm_population_finish(pop, NULL), CRM_STATUS_OK);
    for (int k = 0; k < 2; k++) {
        crm_result *r;
        assert_int_equal(crm_score(pop, s[k], &r, NULL), CRM_STATUS_OK);
        for (size_t i = 0; i < crm_result_rows(r); i++) {
            int64_t j = row(whole, crm_result_u64(r, CRM_COLUMN_CUSTOMER_ID)[i]);
            for (int c = 0; c < crm_enum_count(CRM_ENUM_COLUMN); c++) {
                if (!crm_result_has_column(r, c)) continue;
                int type;
                const void *a, *b;
                crm_result_column(r, c, &type, &a, NULL);
                crm_result_column(whole, c, &type, &b, NULL);
                size_t sz = type == CRM_TYPE_I32 ? 4 : 8;
                if (memcmp((const char *)a + i * sz, (const char *)b + (size_t)j * sz, sz) != 0)
                    fail_msg("column %s differs for customer %llu", crm_enum_name(CRM_ENUM_COLUMN, c),
                             (unsigned long long)crm_result_u64(r, CRM_COLUMN_CUSTOMER_ID)[i]);
            }
        }
        crm_result_free(r);
        crm_summary_free(s[k]);
    }
    crm_population_free(pop);
    crm_result_free(whole);
    crm_config_free(cfg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_dates),
        cmocka_unit_test(test_profit),
        cmocka_unit_test(test_states_and_qualification),
        cmocka_unit_test(test_mix),
        cmocka_unit_test(test_price_and_churn_causes),
        cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_without_optional_inputs),
        cmocka_unit_test(test_partitions_with_every_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

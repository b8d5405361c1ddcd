/* test_rfm.c - RFM scores, ties policies, cut points, caller cut points and
 * segment maps (DOMAIN section 3), on hand-computed fixtures. */
#include "crm_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "population/population.h"
#include "signals/signals.h"

#define DAY0      19000 /* 2022-01-08 */
#define NOON(day) ((int64_t)(day)*86400 + 43200)

/* Ten customers (ids 1..10) with 1,1,1,1,1,1,2,2,3,5 purchase days, all
 * last buying on DAY0 and spending 10 per purchase day. */
static size_t tie_fixture(crm_transaction *t) {
    static const int freq[10] = {1, 1, 1, 1, 1, 1, 2, 2, 3, 5};
    size_t n = 0;
    for (int c = 0; c < 10; c++)
        for (int j = 0; j < freq[c]; j++) {
            t[n].customer_id = (uint64_t)c + 1;
            t[n].time = NOON(DAY0 - 7 * j);
            t[n].amount = 10;
            n++;
        }
    return n;
}

static void test_shared_ties(void **state) {
    (void)state;
    crm_transaction t[32];
    size_t n = tie_fixture(t);
    crm_result *r = crm_test_analyze(NULL, t, n);
    static const int32_t want[10] = {1, 1, 1, 1, 1, 1, 4, 4, 5, 5};
    const int32_t *f = crm_result_i32(r, CRM_COLUMN_F_SCORE);
    for (int i = 0; i < 10; i++) assert_int_equal(f[i], want[i]);
    /* Everyone bought on DAY0: every recency ties, so every R score is 1. */
    const int32_t *rs = crm_result_i32(r, CRM_COLUMN_R_SCORE);
    for (int i = 0; i < 10; i++) assert_int_equal(rs[i], 1);
    /* Cut points: score 4 is first reached by 2 purchase days, 5 by 3. */
    double cuts[9];
    size_t k;
    crm_error err;
    assert_int_equal(crm_result_cut_points(r, CRM_DIM_F, cuts, 9, &k, &err), CRM_STATUS_OK);
    assert_int_equal(k, 4);
    assert_near(cuts[0], 2, 0, 0);
    assert_near(cuts[1], 2, 0, 0);
    assert_near(cuts[2], 2, 0, 0);
    assert_near(cuts[3], 3, 0, 0);
    /* No recency reaches a score above 1: thresholds are -inf (recency <= -inf). */
    assert_int_equal(crm_result_cut_points(r, CRM_DIM_R, cuts, 9, &k, &err), CRM_STATUS_OK);
    for (int i = 0; i < 4; i++) assert_true(isinf(cuts[i]) && cuts[i] < 0);
    crm_result_free(r);
}

static void test_ntile_ties(void **state) {
    (void)state;
    crm_transaction t[32];
    size_t n = tie_fixture(t);
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_TIES, CRM_TIES_NTILE, &err), CRM_STATUS_OK);
    crm_result *r = crm_test_analyze(cfg, t, n);
    static const int32_t want[10] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
    const int32_t *f = crm_result_i32(r, CRM_COLUMN_F_SCORE);
    for (int i = 0; i < 10; i++) assert_int_equal(f[i], want[i]);
    /* Tiles start at positions 2, 4, 6, 8 of 1,1,1,1,1,1,2,2,3,5. */
    double cuts[9];
    size_t k;
    assert_int_equal(crm_result_cut_points(r, CRM_DIM_F, cuts, 9, &k, &err), CRM_STATUS_OK);
    assert_near(cuts[0], 1, 0, 0);
    assert_near(cuts[1], 1, 0, 0);
    assert_near(cuts[2], 2, 0, 0);
    assert_near(cuts[3], 3, 0, 0);
    crm_result_free(r);
    crm_config_free(cfg);
}

/* NTILE(5) over 7 rows: tiles of 2, 2, 1, 1, 1 (the first n mod k get one more). */
static void test_ntile_uneven(void **state) {
    (void)state;
    crm_transaction t[7];
    for (int c = 0; c < 7; c++) {
        t[c].customer_id = (uint64_t)(c + 1);
        t[c].time = NOON(DAY0);
        t[c].amount = 10.0 * (c + 1);
    }
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "ties", "ntile", &err), CRM_STATUS_OK);
    crm_result *r = crm_test_analyze(cfg, t, 7);
    static const int32_t want[7] = {1, 1, 2, 2, 3, 4, 5};
    for (int i = 0; i < 7; i++) assert_int_equal(crm_result_i32(r, CRM_COLUMN_M_SCORE)[i], want[i]);
    crm_result_free(r);
    crm_config_free(cfg);
}

static void test_shared_formula(void **state) {
    (void)state;
    /* Seven distinct spends: score = 1 + floor(5 L / 7) for L = 0..6. */
    crm_transaction t[7];
    for (int c = 0; c < 7; c++) {
        t[c].customer_id = (uint64_t)(100 - c); /* ids descending: order must not matter */
        t[c].time = NOON(DAY0 - c);             /* recency c days */
        t[c].amount = 5.0 + c;
    }
    crm_result *r = crm_test_analyze(NULL, t, 7);
    /* Rows sorted by id: row 0 is id 94 (c = 6). */
    for (int row = 0; row < 7; row++) {
        int c = 6 - row;
        int m_expected = 1 + (5 * c) / 7;       /* L = customers with less spend = c */
        int r_expected = 1 + (5 * (6 - c)) / 7; /* L = customers with more recency days = 6 - c */
        assert_int_equal(crm_result_i32(r, CRM_COLUMN_M_SCORE)[row], m_expected);
        assert_int_equal(crm_result_i32(r, CRM_COLUMN_R_SCORE)[row], r_expected);
        int f = crm_result_i32(r, CRM_COLUMN_F_SCORE)[row];
        assert_int_equal(f, 1); /* every F ties */
        assert_int_equal(crm_result_i32(r, CRM_COLUMN_RFM_CELL)[row], 100 * r_expected + 10 * f + m_expected);
        assert_int_equal(crm_result_i32(r, CRM_COLUMN_RFM_TOTAL)[row], r_expected + f + m_expected);
    }
    crm_result_free(r);
}

static void test_caller_cut_points(void **state) {
    (void)state;
    crm_transaction t[32];
    size_t n = tie_fixture(t);
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    const double f_cuts[4] = {2, 3, 4, 5};
    assert_int_equal(crm_config_set_cut_points(cfg, CRM_DIM_F, f_cuts, 4, &err), CRM_STATUS_OK);
    const double r_cuts[4] = {30, 20, 10, 0}; /* recency <= t: nonincreasing */
    assert_int_equal(crm_config_set_cut_points(cfg, CRM_DIM_R, r_cuts, 4, &err), CRM_STATUS_OK);
    crm_result *r = crm_test_analyze(cfg, t, n);
    static const int32_t want_f[10] = {1, 1, 1, 1, 1, 1, 2, 2, 3, 5};
    for (int i = 0; i < 10; i++) {
        assert_int_equal(crm_result_i32(r, CRM_COLUMN_F_SCORE)[i], want_f[i]);
        assert_int_equal(crm_result_i32(r, CRM_COLUMN_R_SCORE)[i], 5); /* recency 0 reaches all four */
    }
    double cuts[9];
    size_t k;
    assert_int_equal(crm_result_cut_points(r, CRM_DIM_R, cuts, 9, &k, &err), CRM_STATUS_OK);
    assert_near(cuts[0], 30, 0, 0);
    assert_near(cuts[3], 0, 0, 0);
    crm_result_free(r);

    /* Out of order, NaN, and the wrong count for rfm_bins. */
    const double bad[4] = {2, 1, 4, 5};
    assert_int_equal(crm_config_set_cut_points(cfg, CRM_DIM_M, bad, 4, &err), CRM_STATUS_BAD_RULES);
    assert_non_null(strstr(err.message, "out of order"));
    const double inc[2] = {1, 2};
    assert_int_equal(crm_config_set_cut_points(cfg, CRM_DIM_R, inc, 2, &err), CRM_STATUS_BAD_RULES);
    const double nan_cut[1] = {NAN};
    assert_int_equal(crm_config_set_cut_points(cfg, CRM_DIM_M, nan_cut, 1, &err), CRM_STATUS_BAD_RULES);
    const double three[3] = {1, 2, 3};
    assert_int_equal(crm_config_set_cut_points(cfg, CRM_DIM_M, three, 3, &err), CRM_STATUS_OK);
    crm_transactions v;
    crm_transactions_from_array(&v, t, n, NULL);
    crm_result *none = NULL;
    assert_int_equal(crm_analyze(cfg, &v, NULL, NULL, &none, &err), CRM_STATUS_BAD_RULES);
    assert_null(none);
    assert_non_null(strstr(err.message, "rfm_bins 5 needs 4"));
    assert_int_equal(crm_config_set_cut_points(cfg, CRM_DIM_M, NULL, 0, &err),
                     CRM_STATUS_OK); /* back to computed */
    assert_int_equal(crm_analyze(cfg, &v, NULL, NULL, &none, &err), CRM_STATUS_OK);
    crm_result_free(none);
    crm_config_free(cfg);
}

static void test_default_segments(void **state) {
    (void)state;
    assert_int_equal(crm__default_segment(5, 5, 5, 5), CRM_SEGMENT_CHAMPIONS);
    assert_int_equal(crm__default_segment(5, 1, 1, 5), CRM_SEGMENT_NEW_CUSTOMERS);
    assert_int_equal(crm__default_segment(4, 1, 2, 5), CRM_SEGMENT_PROMISING);          /* FM 1.5 */
    assert_int_equal(crm__default_segment(4, 2, 3, 5), CRM_SEGMENT_POTENTIAL_LOYALIST); /* FM 2.5 */
    assert_int_equal(crm__default_segment(3, 3, 4, 5), CRM_SEGMENT_LOYAL_CUSTOMERS);    /* FM 3.5 */
    assert_int_equal(crm__default_segment(3, 5, 5, 5), CRM_SEGMENT_LOYAL_CUSTOMERS);
    assert_int_equal(crm__default_segment(3, 1, 1, 5), CRM_SEGMENT_ABOUT_TO_SLEEP);
    assert_int_equal(crm__default_segment(2, 2, 2, 5), CRM_SEGMENT_NEED_ATTENTION);
    assert_int_equal(crm__default_segment(2, 1, 1, 5), CRM_SEGMENT_HIBERNATING);
    assert_int_equal(crm__default_segment(2, 4, 5, 5), CRM_SEGMENT_AT_RISK);
    assert_int_equal(crm__default_segment(1, 3, 3, 5), CRM_SEGMENT_AT_RISK);
    assert_int_equal(crm__default_segment(1, 4, 4, 5), CRM_SEGMENT_CANT_LOSE_THEM);
    assert_int_equal(crm__default_segment(1, 2, 3, 5), CRM_SEGMENT_HIBERNATING);
    assert_int_equal(crm__default_segment(1, 1, 1, 5), CRM_SEGMENT_LOST);
    /* Rescaling for k != 5: 1 + floor(4(s-1)/(k-1) + 1/2). */
    assert_int_equal(crm__rescale5(1, 3), 1);
    assert_int_equal(crm__rescale5(2, 3), 3);
    assert_int_equal(crm__rescale5(3, 3), 5);
    assert_int_equal(crm__rescale5(2, 4), 2); /* 1 + floor(1.83) */
    assert_int_equal(crm__rescale5(3, 4), 4); /* 1 + floor(3.17) */
    assert_int_equal(crm__rescale5(10, 10), 5);
    assert_int_equal(crm__rescale5(5, 10), 3); /* 1 + floor(2.28) */
    assert_int_equal(crm__rescale5(2, 2), 5);
    assert_string_equal(crm_enum_name(CRM_ENUM_SEGMENT, CRM_SEGMENT_CANT_LOSE_THEM), "Can't Lose Them");
    assert_int_equal(crm_enum_value(CRM_ENUM_SEGMENT, "Need Attention"), CRM_SEGMENT_NEED_ATTENTION);
}

static void test_rule_tables(void **state) {
    (void)state;
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    const crm_segment_rule good[2] = {{"cold", 1, 3, 1, 6, 1, 6}, {"warm", 3, 6, 1, 6, 1, 6}};
    assert_int_equal(crm_config_set_segment_rules(cfg, good, 2, &err), CRM_STATUS_OK);
    crm_transaction t[32];
    size_t n = tie_fixture(t);
    for (size_t i = 0; i < n; i++) /* customers 1-5 long gone: R 1; the rest R 1 + floor(5*5/10) = 3 */
        if (t[i].customer_id <= 5) t[i].time -= 400 * 86400;
    crm_result *r = crm_test_analyze(cfg, t, n);
    const int32_t *seg = crm_result_i32(r, CRM_COLUMN_SEGMENT);
    assert_string_equal(crm_result_label(r, CRM_COLUMN_SEGMENT, seg[0]), "cold");
    assert_string_equal(crm_result_label(r, CRM_COLUMN_SEGMENT, seg[9]), "warm");
    assert_int_equal(crm_result_label_count(r, CRM_COLUMN_SEGMENT), 3); /* none, cold, warm */
    assert_int_equal(crm_result_label_count(r, CRM_COLUMN_VALUE_TIER), 5);
    assert_int_equal(crm_result_label_count(r, CRM_COLUMN_MONETARY), 0);
    int64_t count;
    assert_int_equal(crm_result_group(r, CRM_COLUMN_SEGMENT, 1, &count, NULL, &err), CRM_STATUS_OK);
    assert_int_equal(count, 5);
    double revenue;
    assert_int_equal(crm_result_group(r, CRM_COLUMN_SEGMENT, 2, &count, &revenue, &err), CRM_STATUS_OK);
    assert_int_equal(count, 5);
    assert_near(revenue, 10.0 * (2 + 2 + 3 + 5 + 1), 0, 0); /* customers 6-10 */
    crm_result_free(r);

    /* Overlap: R 2 belongs to both rules. */
    const crm_segment_rule overlap[2] = {{"a", 1, 3, 1, 6, 1, 6}, {"b", 2, 6, 1, 6, 1, 6}};
    assert_int_equal(crm_config_set_segment_rules(cfg, overlap, 2, &err), CRM_STATUS_BAD_RULES);
    assert_non_null(strstr(err.message, "overlap"));
    assert_non_null(strstr(err.message, "211 (rules 0 and 1)"));
    /* Gap: no rule covers R = 5. */
    const crm_segment_rule gap[1] = {{"a", 1, 5, 1, 6, 1, 6}};
    assert_int_equal(crm_config_set_segment_rules(cfg, gap, 1, &err), CRM_STATUS_BAD_RULES);
    assert_non_null(strstr(err.message, "25 cells uncovered: 511, 512"));
    /* No name. */
    const crm_segment_rule unnamed[1] = {{"", 1, 6, 1, 6, 1, 6}};
    assert_int_equal(crm_config_set_segment_rules(cfg, unnamed, 1, &err), CRM_STATUS_INVALID_ARGUMENT);
    /* A valid table for k = 5 no longer fits once rfm_bins is 4... */
    assert_int_equal(crm_config_set_segment_rules(cfg, good, 2, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_RFM_BINS, 6, &err), CRM_STATUS_OK);
    crm_transactions v;
    crm_transactions_from_array(&v, t, n, NULL);
    assert_int_equal(crm_analyze(cfg, &v, NULL, NULL, &r, &err), CRM_STATUS_BAD_RULES);
    assert_non_null(strstr(err.message, "uncovered"));
    /* ...and n = 0 restores the default map. */
    assert_int_equal(crm_config_set_segment_rules(cfg, NULL, 0, &err), CRM_STATUS_OK);
    assert_int_equal(crm_analyze(cfg, &v, NULL, NULL, &r, &err), CRM_STATUS_OK);
    /* Customer 10 at k = 6: R = 1 + floor(6*5/10) = 4, rescaled 1 + floor(4*3/5 + 1/2) = 3; F = M = 6 -> 5.
     */
    assert_int_equal(crm_result_i32(r, CRM_COLUMN_R_SCORE)[9], 4);
    assert_string_equal(crm_result_label(r, CRM_COLUMN_SEGMENT, crm_result_i32(r, CRM_COLUMN_SEGMENT)[9]),
                        "Loyal Customers");
    crm_result_free(r);
    crm_config_free(cfg);
}

/* k = 10: cell codes become R*121 + F*11 + M; scores run 1..10. */
static void test_ten_bins(void **state) {
    (void)state;
    crm_transaction t[20];
    for (int c = 0; c < 20; c++) {
        t[c].customer_id = (uint64_t)c + 1;
        t[c].time = NOON(DAY0 - c);
        t[c].amount = 1.0 + c;
    }
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_RFM_BINS, 10, &err), CRM_STATUS_OK);
    crm_result *r = crm_test_analyze(cfg, t, 20);
    for (int c = 0; c < 20; c++) {
        int m = 1 + (10 * c) / 20, rr = 1 + (10 * (19 - c)) / 20;
        assert_int_equal(crm_result_i32(r, CRM_COLUMN_M_SCORE)[c], m);
        assert_int_equal(crm_result_i32(r, CRM_COLUMN_R_SCORE)[c], rr);
        assert_int_equal(crm_result_i32(r, CRM_COLUMN_RFM_CELL)[c], 121 * rr + 11 * 1 + m);
    }
    crm_result_free(r);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_RFM_BINS, 11, &err), CRM_STATUS_BAD_OPTION);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_RFM_BINS, 1, &err), CRM_STATUS_BAD_OPTION);
    crm_config_free(cfg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_ties),       cmocka_unit_test(test_ntile_ties),
        cmocka_unit_test(test_ntile_uneven),      cmocka_unit_test(test_shared_formula),
        cmocka_unit_test(test_caller_cut_points), cmocka_unit_test(test_default_segments),
        cmocka_unit_test(test_rule_tables),       cmocka_unit_test(test_ten_bins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_alloc.c - every allocation goes through the caller's hooks, and a
 * failure at any allocation point gives CRM_STATUS_NO_MEMORY with nothing leaked. */
#include "crm_test.h"

#include <stdlib.h>
#include <string.h>

#define D 19500

static crm_transaction tx[64];
static crm_interaction ix[32];
static crm_customer cu[6];
static double cost[64], discount[64];
static size_t ntx, nix;

static int setup(void **state) {
    (void)state;
    crm_rng rng = {11};
    for (ntx = 0; ntx < 64; ntx++) {
        tx[ntx].customer_id = 1 + crm_rng_below(&rng, 12);
        tx[ntx].time = (int64_t)(D - (int)crm_rng_below(&rng, 400)) * 86400;
        tx[ntx].amount = (double)crm_rng_below(&rng, 100) - 5;
        cost[ntx] = tx[ntx].amount * 0.6;
        discount[ntx] = ntx % 3 ? 0 : 2;
    }
    /* attributes: customers 1-3, 15 (attributes only: a prospect row) and a duplicated 16 */
    static const uint64_t ids[6] = {1, 2, 3, 15, 16, 16};
    for (size_t i = 0; i < 6; i++) {
        memset(&cu[i], 0, sizeof cu[i]);
        cu[i].customer_id = ids[i];
        cu[i].birthday = 7000 + (int32_t)i;
        cu[i].relationship_start = D - 500;
        cu[i].money = CRM_ANSWER_YES;
    }
    static const int32_t kinds[] = {
        CRM_KIND_COMPLAINT, CRM_KIND_COMPLAINT_RESPONSE, CRM_KIND_COMPLAINT_RESOLUTION,
        CRM_KIND_SURVEY,    CRM_KIND_ENGAGEMENT,         CRM_KIND_CALL_OUT,
        CRM_KIND_REFERRAL,  CRM_KIND_FOLLOW_UP};
    for (nix = 0; nix < 32; nix++) {
        ix[nix].customer_id = 1 + nix % 14; /* 13 and 14 are prospects */
        ix[nix].time = (int64_t)(D - 30 + (int)nix) * 86400;
        ix[nix].kind = kinds[nix % 8];
        ix[nix].ref = 1;
        ix[nix].value = ix[nix].kind == CRM_KIND_SURVEY ? 7 : 0;
        ix[nix].purpose = ix[nix].kind == CRM_KIND_CALL_OUT ? CRM_PURPOSE_RELATIONSHIP : CRM_PURPOSE_NONE;
    }
    return 0;
}

/* One whole use of the library under an allocator failing at fail_at.
 * Returns the final status; *attempts receives the allocations tried. */
static crm_status run_once(long fail_at, int partitioned, long *attempts) {
    crm_test_alloc counter;
    crm_test_alloc_init(&counter, fail_at);
    crm_allocator a = crm_test_allocator(&counter);
    crm_error err;
    crm_config *cfg = NULL, *clone = NULL;
    crm_result *r = NULL;
    crm_summary *s = NULL;
    crm_population *p = NULL;
    crm_status st = crm_config_create(&a, &cfg, &err);
    if (st == CRM_STATUS_OK) {
        const crm_segment_rule rules[2] = {{"low", 1, 3, 1, 6, 1, 6}, {"high", 3, 6, 1, 6, 1, 6}};
        st = crm_config_set_segment_rules(cfg, rules, 2, &err);
    }
    if (st == CRM_STATUS_OK) {
        const double cuts[4] = {1, 2, 3, 4};
        st = crm_config_set_cut_points(cfg, CRM_DIM_F, cuts, 4, &err);
    }
    if (st == CRM_STATUS_OK) st = crm_config_clone(cfg, &clone, &err);
    crm_transactions tv;
    crm_interactions iv;
    crm_customers cv;
    crm_transactions_from_array(&tv, tx, ntx, NULL);
    crm_transactions_set_column(&tv, CRM_FIELD_COST, cost, 0, NULL);
    crm_transactions_set_column(&tv, CRM_FIELD_DISCOUNT, discount, 0, NULL);
    crm_interactions_from_array(&iv, ix, nix, NULL);
    crm_customers_from_array(&cv, cu, 6, NULL);
    if (st == CRM_STATUS_OK && !partitioned) st = crm_analyze(clone, &tv, &iv, &cv, &r, &err);
    if (st == CRM_STATUS_OK && partitioned) {
        st = crm_summarize(clone, &tv, &iv, &cv, &s, &err);
        if (st == CRM_STATUS_OK) st = crm_population_create(clone, &p, &err);
        if (st == CRM_STATUS_OK) st = crm_population_add(p, s, &err);
        if (st == CRM_STATUS_OK) st = crm_population_finish(p, &err);
        if (st == CRM_STATUS_OK) st = crm_score(p, s, &r, &err);
    }
    if (st == CRM_STATUS_OK) {
        assert_int_equal(crm_result_rows(r), 15);
        assert_int_equal(crm_result_records(r, CRM_INPUT_CUSTOMERS, CRM_FATE_DUPLICATE_CUSTOMER), 2);
    }
    if (st != CRM_STATUS_OK) {
        assert_int_equal(st, CRM_STATUS_NO_MEMORY);
        assert_int_equal(err.status, CRM_STATUS_NO_MEMORY);
        assert_null(r);
    }
    crm_result_free(r);
    crm_population_free(p);
    crm_summary_free(s);
    crm_config_free(clone);
    crm_config_free(cfg);
    assert_int_equal(counter.live, 0); /* nothing leaked, on success or failure */
    *attempts = counter.attempts;
    return st;
}

static void check_every_point(int partitioned) {
    long attempts = 0, total;
    assert_int_equal(run_once(-1, partitioned, &total), CRM_STATUS_OK);
    assert_true(total > 10);
    for (long k = 0; k < total; k++) {
        crm_status st = run_once(k, partitioned, &attempts);
        assert_int_equal(st, CRM_STATUS_NO_MEMORY);
        assert_true(attempts <= total);
    }
    print_message("%ld allocation points checked\n", total);
}

static void test_analyze_every_allocation(void **state) {
    (void)state;
    check_every_point(0);
}

static void test_partitioned_every_allocation(void **state) {
    (void)state;
    check_every_point(1);
}

static void test_bad_allocator(void **state) {
    (void)state;
    crm_allocator a = {NULL, NULL, NULL};
    crm_config *cfg = (crm_config *)&a;
    crm_error err;
    assert_int_equal(crm_config_create(&a, &cfg, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_null(cfg);
    assert_int_equal(crm_config_create(NULL, NULL, &err), CRM_STATUS_INVALID_ARGUMENT);
}

/* A finish that failed (cut points that do not fit rfm_bins) may be
 * retried without leaking what the failed attempt made. */
static void test_finish_retry(void **state) {
    (void)state;
    crm_test_alloc counter;
    crm_test_alloc_init(&counter, -1);
    crm_allocator a = crm_test_allocator(&counter);
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(&a, &cfg, &err), CRM_STATUS_OK);
    const double cuts[2] = {1, 2};
    assert_int_equal(crm_config_set_cut_points(cfg, CRM_DIM_F, cuts, 2, &err), CRM_STATUS_OK);
    crm_transactions tv;
    crm_transactions_from_array(&tv, tx, ntx, NULL);
    crm_summary *s;
    crm_population *p;
    assert_int_equal(crm_summarize(cfg, &tv, NULL, NULL, &s, &err), CRM_STATUS_OK);
    assert_int_equal(crm_population_create(cfg, &p, &err), CRM_STATUS_OK);
    assert_int_equal(crm_population_add(p, s, &err), CRM_STATUS_OK);
    assert_int_equal(crm_population_finish(p, &err), CRM_STATUS_BAD_RULES);
    assert_int_equal(crm_population_finish(p, &err), CRM_STATUS_BAD_RULES);
    crm_population_free(p);
    crm_summary_free(s);
    crm_config_free(cfg);
    assert_int_equal(counter.live, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_analyze_every_allocation),
        cmocka_unit_test(test_partitioned_every_allocation),
        cmocka_unit_test(test_bad_allocator),
        cmocka_unit_test(test_finish_retry),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}

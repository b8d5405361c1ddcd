/* test_bad_input.c - every bad input of the README table "Bad input" (issue
 * 14): what each gets, its status, fate, field and the record accounting
 * (accepted + rejected = total). One test per row or small group of rows. */
#include "crm_test.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define D          19700 /* a day number: 2023-12-09 */
#define AT(day, h) ((int64_t)(day)*86400 + (h)*3600)

/* ---- helpers ---- */

static int64_t accounted(const crm_result *r, int input) {
    int64_t sum = 0;
    for (int f = 0; f < crm_enum_count(CRM_ENUM_FATE); f++) sum += crm_result_records(r, input, f);
    return sum;
}

/* Accepted + every rejection = total, for the three inputs. */
static void assert_accounting(const crm_result *r) {
    for (int input = CRM_INPUT_TRANSACTIONS; input <= CRM_INPUT_CUSTOMERS; input++)
        assert_int_equal(accounted(r, input), crm_result_records_total(r, input));
}

static crm_config *config_with(int64_t as_of, int strict) {
    crm_config *cfg = NULL;
    assert_int_equal(crm_config_create(NULL, &cfg, NULL), CRM_STATUS_OK);
    if (as_of != INT64_MIN)
        assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, as_of, NULL), CRM_STATUS_OK);
    if (strict)
        assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_VALIDATION, CRM_VALIDATION_STRICT, NULL),
                         CRM_STATUS_OK);
    return cfg;
}

/* One good transaction (record 0) and one bad one (record 1), with optional
 * cost/discount columns. Skip mode: the bad record gets fate with the good
 * one accepted; strict mode: CRM_STATUS_BAD_RECORD naming record 1, field. */
typedef struct tx_case {
    int64_t time;
    double amount;
    double cost;     /* used when has_cost */
    double discount; /* used when has_discount */
    int has_cost, has_discount;
    int fate;  /* CRM_FATE_ACCEPTED: the record is accepted */
    int field; /* crm_field named by strict validation */
} tx_case;

static void run_tx_case(const tx_case *c) {
    uint64_t id[2] = {1, 2};
    int64_t tm[2] = {AT(D, 9), c->time};
    double amount[2] = {10.0, c->amount};
    double cost[2] = {5.0, c->cost};
    double discount[2] = {0.0, c->discount};
    for (int strict = 0; strict <= 1; strict++) {
        crm_config *cfg = config_with(AT(D + 1, 0), strict);
        crm_transactions v;
        crm_error err;
        assert_int_equal(crm_transactions_from_columns(&v, id, 0, tm, 0, amount, 0, 2, &err), CRM_STATUS_OK);
        if (c->has_cost) assert_int_equal(crm_transactions_set_column(&v, CRM_FIELD_COST, cost, 0, NULL), 0);
        if (c->has_discount)
            assert_int_equal(crm_transactions_set_column(&v, CRM_FIELD_DISCOUNT, discount, 0, NULL), 0);
        crm_result *r = NULL;
        crm_status s = crm_analyze(cfg, &v, NULL, NULL, &r, &err);
        if (c->fate == CRM_FATE_ACCEPTED || !strict) {
            assert_int_equal(s, CRM_STATUS_OK);
            assert_accounting(r);
            assert_int_equal(crm_result_records_total(r, CRM_INPUT_TRANSACTIONS), 2);
            int64_t bad = c->fate == CRM_FATE_ACCEPTED ? 0 : 1;
            assert_int_equal(crm_result_records(r, CRM_INPUT_TRANSACTIONS, CRM_FATE_ACCEPTED), 2 - bad);
            if (bad) assert_int_equal(crm_result_records(r, CRM_INPUT_TRANSACTIONS, c->fate), 1);
            assert_int_equal(crm_result_rows(r), 2 - bad);
        } else {
            assert_int_equal(s, CRM_STATUS_BAD_RECORD);
            assert_null(r);
            assert_int_equal(err.status, CRM_STATUS_BAD_RECORD);
            assert_int_equal(err.input, CRM_INPUT_TRANSACTIONS);
            assert_int_equal(err.record, 1);
            assert_int_equal(err.field, c->field);
            assert_int_equal(err.reason, c->fate);
        }
        crm_result_free(r);
        crm_config_free(cfg);
    }
}

/* One transaction of customer 1 plus the n records of input (interactions
 * or customer attributes) in iv or cv; returns the result of skip mode,
 * checks strict mode names record bad_record (-1: none) of that input with
 * field and fate. */
static crm_result *run_with(int input, const crm_interactions *iv, const crm_customers *cv, size_t n,
                            int64_t bad_record, int field, int fate) {
    crm_transaction t = {1, AT(D, 9), 10.0};
    crm_result *r = NULL;
    crm_error err;
    crm_transactions tv;
    assert_int_equal(crm_transactions_from_array(&tv, &t, 1, NULL), CRM_STATUS_OK);
    crm_config *strict = config_with(AT(D + 1, 0), 1);
    crm_status s = crm_analyze(strict, &tv, iv, cv, &r, &err);
    if (bad_record < 0) {
        assert_int_equal(s, CRM_STATUS_OK);
        crm_result_free(r);
    } else {
        assert_int_equal(s, CRM_STATUS_BAD_RECORD);
        assert_int_equal(err.input, input);
        assert_int_equal(err.record, bad_record);
        assert_int_equal(err.field, field);
        assert_int_equal(err.reason, fate);
    }
    crm_config_free(strict);
    crm_config *cfg = config_with(AT(D + 1, 0), 0);
    r = NULL;
    assert_int_equal(crm_analyze(cfg, &tv, iv, cv, &r, &err), CRM_STATUS_OK);
    assert_accounting(r);
    assert_int_equal(crm_result_records_total(r, input), (int64_t)n);
    crm_config_free(cfg);
    return r;
}

/* run_with for interactions. */
static crm_result *run_ix(const crm_interaction *ix, size_t n, int64_t bad_record, int field, int fate) {
    crm_interactions iv;
    assert_int_equal(crm_interactions_from_array(&iv, ix, n, NULL), CRM_STATUS_OK);
    return run_with(CRM_INPUT_INTERACTIONS, &iv, NULL, n, bad_record, field, fate);
}

/* run_with for customer attribute records. */
static crm_result *run_cust(const crm_customer *cu, size_t n, int64_t bad_record, int field, int fate) {
    crm_customers cv;
    assert_int_equal(crm_customers_from_array(&cv, cu, n, NULL), CRM_STATUS_OK);
    return run_with(CRM_INPUT_CUSTOMERS, NULL, &cv, n, bad_record, field, fate);
}

/* ---- NULL pointers and impossible counts ---- */

static void test_null_pointers(void **state) {
    (void)state;
    crm_error err;
    crm_result *r = NULL;
    crm_transaction t = {1, AT(D, 9), 10.0};
    crm_transactions v;
    assert_int_equal(crm_transactions_from_array(&v, &t, 1, NULL), CRM_STATUS_OK);
    /* out NULL; every input NULL; a view with struct_size 0. */
    assert_int_equal(crm_analyze(NULL, &v, NULL, NULL, NULL, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(err.status, CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_analyze(NULL, NULL, NULL, NULL, &r, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_null(r);
    crm_transactions zero;
    memset(&zero, 0, sizeof zero);
    assert_int_equal(crm_analyze(NULL, &zero, NULL, NULL, &r, &err), CRM_STATUS_INVALID_ARGUMENT);
    /* Views and their constructors. */
    assert_int_equal(crm_transactions_init_sized(NULL, sizeof v, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_transactions_from_array(&v, NULL, 1, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_transactions_set_column(NULL, CRM_FIELD_COST, NULL, 0, &err),
                     CRM_STATUS_INVALID_ARGUMENT);
    /* Configuration. */
    assert_int_equal(crm_config_create(NULL, NULL, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_config_set_int(NULL, CRM_OPTION_RFM_BINS, 5, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_config_set_text(NULL, "rfm_bins", "5", &err), CRM_STATUS_INVALID_ARGUMENT);
    crm_config *cfg = config_with(INT64_MIN, 0);
    assert_int_equal(crm_config_set_text(cfg, NULL, "5", &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_config_set_text(cfg, "rfm_bins", NULL, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_config_get_int(cfg, CRM_OPTION_RFM_BINS, NULL, &err), CRM_STATUS_INVALID_ARGUMENT);
    /* Partitioned pipeline. */
    crm_summary *sm = NULL;
    assert_int_equal(crm_summarize(cfg, &v, NULL, NULL, NULL, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_population_add(NULL, NULL, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_population_finish(NULL, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_score(NULL, NULL, &r, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_summarize(cfg, &v, NULL, NULL, &sm, &err), CRM_STATUS_OK);
    crm_population *pop = NULL;
    assert_int_equal(crm_population_create(cfg, &pop, &err), CRM_STATUS_OK);
    assert_int_equal(crm_population_add(pop, NULL, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_score(pop, sm, NULL, &err), CRM_STATUS_INVALID_ARGUMENT);
    crm_population_free(pop);
    crm_summary_free(sm);
    /* Result readers on NULL: 0, NULL, INT64_MIN. */
    assert_int_equal(crm_result_rows(NULL), 0);
    assert_null(crm_result_f64(NULL, CRM_COLUMN_MONETARY));
    assert_int_equal(crm_result_records(NULL, CRM_INPUT_TRANSACTIONS, CRM_FATE_ACCEPTED), 0);
    assert_int_equal(crm_result_records_total(NULL, CRM_INPUT_TRANSACTIONS), 0);
    assert_true(crm_result_find(NULL, 1) < 0);
    assert_true(crm_result_as_of(NULL) == INT64_MIN);
    assert_null(crm_result_model(NULL, CRM_MODEL_KIND_BGNBD));
    int type;
    const void *data;
    assert_int_equal(crm_result_column(NULL, CRM_COLUMN_MONETARY, &type, &data, &err),
                     CRM_STATUS_INVALID_ARGUMENT);
    /* Models and states. */
    crm_model *m = NULL;
    assert_int_equal(crm_model_fit(cfg, CRM_MODEL_KIND_BGNBD, NULL, &m, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_model_load(cfg, NULL, 10, &m, &err), CRM_STATUS_INVALID_ARGUMENT);
    crm_state_handle *st = NULL;
    assert_int_equal(crm_state_load(cfg, NULL, 10, &st, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_state_add(NULL, &v, NULL, NULL, &err), CRM_STATUS_INVALID_ARGUMENT);
    /* Every *_free accepts NULL. */
    crm_result_free(NULL);
    crm_model_free(NULL);
    crm_state_free(NULL);
    crm_config_free(cfg);
}

static void test_huge_count_null_columns(void **state) {
    (void)state;
    crm_error err;
    crm_result *r = NULL;
    crm_transactions tv;
    crm_interactions iv;
    crm_customers cv;
    assert_int_equal(crm_transactions_init(&tv, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_interactions_init(&iv, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_customers_init(&cv, NULL), CRM_STATUS_OK);
    tv.count = SIZE_MAX;
    iv.count = SIZE_MAX - 1;
    cv.count = SIZE_MAX / 2;
    assert_int_equal(crm_analyze(NULL, &tv, NULL, NULL, &r, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_analyze(NULL, NULL, &iv, NULL, &r, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_analyze(NULL, NULL, NULL, &cv, &r, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_null(r);
    assert_int_equal(crm_transactions_from_columns(&tv, NULL, 0, NULL, 0, NULL, 0, SIZE_MAX, &err),
                     CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_transactions_from_array(&tv, NULL, SIZE_MAX, &err), CRM_STATUS_INVALID_ARGUMENT);
    crm_model_data md;
    assert_int_equal(crm_model_data_init(&md, NULL), CRM_STATUS_OK);
    md.count = SIZE_MAX;
    crm_model *m = NULL;
    assert_int_equal(crm_model_fit(NULL, CRM_MODEL_KIND_BGNBD, &md, &m, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_null(m);
}

/* ---- transactions ---- */

static void test_amount_nonfinite(void **state) {
    (void)state;
    const double bad[3] = {NAN, INFINITY, -INFINITY};
    for (int i = 0; i < 3; i++) {
        tx_case c = {AT(D, 10), bad[i], 0, 0, 0, 0, CRM_FATE_NONFINITE, CRM_FIELD_AMOUNT};
        run_tx_case(&c);
    }
}

static void test_amount_subnormal_accepted(void **state) {
    (void)state;
    tx_case c = {AT(D, 10), 1e-310, 0, 0, 0, 0, CRM_FATE_ACCEPTED, CRM_FIELD_NONE};
    run_tx_case(&c);
    tx_case neg = {AT(D, 10), -1e-310, 0, 0, 0, 0, CRM_FATE_ACCEPTED, CRM_FIELD_NONE};
    run_tx_case(&neg);
}

static void test_amount_huge(void **state) {
    (void)state;
    tx_case c = {AT(D, 10), 2e15, 0, 0, 0, 0, CRM_FATE_VALUE_RANGE, CRM_FIELD_AMOUNT};
    run_tx_case(&c);
    tx_case neg = {AT(D, 10), -2e15, 0, 0, 0, 0, CRM_FATE_VALUE_RANGE, CRM_FIELD_AMOUNT};
    run_tx_case(&neg);
    tx_case edge = {AT(D, 10), CRM_AMOUNT_MAX, 0, 0, 0, 0, CRM_FATE_ACCEPTED, CRM_FIELD_NONE};
    run_tx_case(&edge);
}

static void test_cost(void **state) {
    (void)state;
    tx_case nan_cost = {AT(D, 10), 10, NAN, 0, 1, 0, CRM_FATE_ACCEPTED, CRM_FIELD_NONE};
    run_tx_case(&nan_cost);
    tx_case inf_cost = {AT(D, 10), 10, INFINITY, 0, 1, 0, CRM_FATE_NONFINITE, CRM_FIELD_COST};
    run_tx_case(&inf_cost);
    tx_case huge_cost = {AT(D, 10), 10, 2e15, 0, 1, 0, CRM_FATE_VALUE_RANGE, CRM_FIELD_COST};
    run_tx_case(&huge_cost);
}

static void test_discount(void **state) {
    (void)state;
    tx_case neg = {AT(D, 10), 10, 0, -1.0, 0, 1, CRM_FATE_VALUE_RANGE, CRM_FIELD_DISCOUNT};
    run_tx_case(&neg);
    tx_case nan_d = {AT(D, 10), 10, 0, NAN, 0, 1, CRM_FATE_NONFINITE, CRM_FIELD_DISCOUNT};
    run_tx_case(&nan_d);
}

static void test_time_range(void **state) {
    (void)state;
    const int64_t bad[4] = {INT64_MIN, INT64_MAX, CRM_TIME_MIN - 1, CRM_TIME_MAX + 1};
    for (int i = 0; i < 4; i++) {
        tx_case c = {bad[i], 10, 0, 0, 0, 0, CRM_FATE_TIME_RANGE, CRM_FIELD_TIME};
        run_tx_case(&c);
    }
}

static void test_after_as_of(void **state) {
    (void)state;
    tx_case c = {AT(D + 5, 0), 10, 0, 0, 0, 0, CRM_FATE_AFTER_AS_OF, CRM_FIELD_TIME};
    run_tx_case(&c);
}

static void test_extreme_ids(void **state) {
    (void)state;
    crm_transaction t[2] = {{0, AT(D, 9), 10.0}, {UINT64_MAX, AT(D, 10), 20.0}};
    crm_result *r = crm_test_analyze(NULL, t, 2);
    assert_int_equal(crm_result_rows(r), 2);
    const uint64_t *id = crm_result_u64(r, CRM_COLUMN_CUSTOMER_ID);
    assert_true(id[0] == 0);
    assert_true(id[1] == UINT64_MAX);
    assert_int_equal(crm_result_find(r, 0), 0);
    assert_int_equal(crm_result_find(r, UINT64_MAX), 1);
    assert_int_equal(crm_result_records(r, CRM_INPUT_TRANSACTIONS, CRM_FATE_ACCEPTED), 2);
    assert_accounting(r);
    crm_result_free(r);
}

static void test_exact_duplicates(void **state) {
    (void)state;
    crm_transaction t[2] = {{7, AT(D, 9), 10.0}, {7, AT(D, 9), 10.0}};
    crm_result *r = crm_test_analyze(NULL, t, 2);
    assert_int_equal(crm_result_rows(r), 1);
    assert_int_equal(crm_result_records(r, CRM_INPUT_TRANSACTIONS, CRM_FATE_ACCEPTED), 2);
    assert_int_equal(crm_result_i64(r, CRM_COLUMN_TRANSACTIONS)[0], 2);
    assert_int_equal(crm_result_i64(r, CRM_COLUMN_PURCHASE_DAYS)[0], 1);
    assert_near(crm_result_f64(r, CRM_COLUMN_MONETARY)[0], 20.0, 0, 0);
    assert_accounting(r);
    crm_result_free(r);
}

/* ---- interactions ---- */

static void test_complaint_chains(void **state) {
    (void)state;
    /* A response with no complaint. */
    crm_interaction orphan[1] = {{1, AT(D, 10), 0, 42, CRM_KIND_COMPLAINT_RESPONSE, 0}};
    crm_result *r = run_ix(orphan, 1, 0, CRM_FIELD_REF, CRM_FATE_NO_COMPLAINT);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_NO_COMPLAINT), 1);
    crm_result_free(r);
    /* A response before its complaint. */
    crm_interaction early[2] = {{1, AT(D, 12), 0, 42, CRM_KIND_COMPLAINT, 0},
                                {1, AT(D, 10), 0, 42, CRM_KIND_COMPLAINT_RESPONSE, 0}};
    r = run_ix(early, 2, 1, CRM_FIELD_REF, CRM_FATE_BEFORE_COMPLAINT);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_BEFORE_COMPLAINT), 1);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_ACCEPTED), 1);
    crm_result_free(r);
    /* The same complaint reference twice: the later one is rejected. */
    crm_interaction dup[2] = {{1, AT(D, 10), 0, 42, CRM_KIND_COMPLAINT, 0},
                              {1, AT(D, 11), 0, 42, CRM_KIND_COMPLAINT, 0}};
    r = run_ix(dup, 2, 1, CRM_FIELD_REF, CRM_FATE_DUPLICATE_COMPLAINT);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_DUPLICATE_COMPLAINT), 1);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_ACCEPTED), 1);
    crm_result_free(r);
}

static void test_unknown_kind_and_purpose(void **state) {
    (void)state;
    crm_interaction kind[2] = {{1, AT(D, 10), 0, 0, 999, 0}, {1, AT(D, 10), 0, 0, -1, 0}};
    crm_result *r = run_ix(kind, 2, 0, CRM_FIELD_KIND, CRM_FATE_UNKNOWN_KIND);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_UNKNOWN_KIND), 2);
    crm_result_free(r);
    crm_interaction purpose[1] = {{1, AT(D, 10), 0, 0, CRM_KIND_CALL_OUT, 77}};
    r = run_ix(purpose, 1, 0, CRM_FIELD_PURPOSE, CRM_FATE_UNKNOWN_CODE);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_UNKNOWN_CODE), 1);
    crm_result_free(r);
    crm_interaction nan_value[1] = {{1, AT(D, 10), NAN, 0, CRM_KIND_SURVEY, 0}};
    r = run_ix(nan_value, 1, 0, CRM_FIELD_VALUE, CRM_FATE_NONFINITE);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_NONFINITE), 1);
    crm_result_free(r);
}

/* ---- customer attributes ---- */

static void test_customer_attributes(void **state) {
    (void)state;
    /* Duplicate ids: every record of the id is rejected. */
    crm_customer dup[3] = {{5, CRM_NO_DAY, CRM_NO_DAY, 0, 0, 0, 0},
                           {5, CRM_NO_DAY, CRM_NO_DAY, 0, 0, 0, 1},
                           {6, CRM_NO_DAY, CRM_NO_DAY, 0, 0, 0, 0}};
    crm_result *r = run_cust(dup, 3, 0, CRM_FIELD_CUSTOMER_ID, CRM_FATE_DUPLICATE_CUSTOMER);
    assert_int_equal(crm_result_records(r, CRM_INPUT_CUSTOMERS, CRM_FATE_DUPLICATE_CUSTOMER), 2);
    assert_int_equal(crm_result_records(r, CRM_INPUT_CUSTOMERS, CRM_FATE_ACCEPTED), 1);
    crm_result_free(r);
    /* A birthday after the as-of day: born after the analysed day, value_range. */
    crm_customer late[1] = {{1, D + 400, CRM_NO_DAY, 0, 0, 0, 0}};
    r = run_cust(late, 1, 0, CRM_FIELD_BIRTHDAY, CRM_FATE_VALUE_RANGE);
    assert_int_equal(crm_result_records(r, CRM_INPUT_CUSTOMERS, CRM_FATE_VALUE_RANGE), 1);
    assert_int_equal(crm_result_rows(r), 1); /* customer 1 stays, from its transaction */
    crm_result_free(r);
    /* MAN codes and targeted outside their values. */
    crm_customer man[1] = {{1, CRM_NO_DAY, CRM_NO_DAY, 3, 0, 0, 0}};
    r = run_cust(man, 1, 0, CRM_FIELD_MONEY, CRM_FATE_UNKNOWN_CODE);
    assert_int_equal(crm_result_records(r, CRM_INPUT_CUSTOMERS, CRM_FATE_UNKNOWN_CODE), 1);
    crm_result_free(r);
    crm_customer need[1] = {{1, CRM_NO_DAY, CRM_NO_DAY, 0, 0, -1, 0}};
    r = run_cust(need, 1, 0, CRM_FIELD_NEED, CRM_FATE_UNKNOWN_CODE);
    crm_result_free(r);
    crm_customer targeted[1] = {{1, CRM_NO_DAY, CRM_NO_DAY, 0, 0, 0, 2}};
    r = run_cust(targeted, 1, 0, CRM_FIELD_TARGETED, CRM_FATE_UNKNOWN_CODE);
    assert_int_equal(crm_result_records(r, CRM_INPUT_CUSTOMERS, CRM_FATE_UNKNOWN_CODE), 1);
    crm_result_free(r);
}

/* ---- options and rule tables ---- */

static void test_options(void **state) {
    (void)state;
    crm_error err;
    crm_config *cfg = config_with(INT64_MIN, 0);
    int64_t bins = 0;
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_RFM_BINS, 11, &err), CRM_STATUS_BAD_OPTION);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_RFM_BINS, 1, &err), CRM_STATUS_BAD_OPTION);
    assert_int_equal(crm_config_set_text(cfg, "rfm_bins", "11", &err), CRM_STATUS_BAD_OPTION);
    assert_int_equal(crm_config_set_int(cfg, 100000, 1, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_config_set_int(cfg, -1, 1, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_config_set_text(cfg, "no_such_option", "1", &err), CRM_STATUS_BAD_OPTION);
    assert_int_equal(crm_config_set_text(cfg, "rfm_bins", "five", &err), CRM_STATUS_BAD_OPTION);
    assert_int_equal(crm_config_set_text(cfg, "rfm_bins", "5x", &err), CRM_STATUS_BAD_OPTION);
    assert_int_equal(crm_config_set_text(cfg, "rfm_bins", "", &err), CRM_STATUS_BAD_OPTION);
    assert_int_equal(crm_config_set_text(cfg, "ties", "sideways", &err), CRM_STATUS_BAD_OPTION);
    assert_int_equal(crm_config_set_real(cfg, CRM_OPTION_DROP_RATIO, NAN, &err), CRM_STATUS_BAD_OPTION);
    assert_int_equal(crm_config_set_text(cfg, "drop_ratio", "nan", &err), CRM_STATUS_BAD_OPTION);
    assert_int_equal(crm_config_set_real(cfg, CRM_OPTION_RFM_BINS, 4.5, &err), CRM_STATUS_BAD_OPTION);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_DROP_RATIO, 1, &err), CRM_STATUS_WRONG_TYPE);
    /* The configuration is unchanged by every failure. */
    assert_int_equal(crm_config_get_int(cfg, CRM_OPTION_RFM_BINS, &bins, NULL), CRM_STATUS_OK);
    assert_int_equal(bins, 5);
    double ratio = 0;
    assert_int_equal(crm_config_get_real(cfg, CRM_OPTION_DROP_RATIO, &ratio, NULL), CRM_STATUS_OK);
    assert_near(ratio, 0.5, 0, 0);
    crm_config_free(cfg);
}

static void test_rule_tables(void **state) {
    (void)state;
    crm_error err;
    crm_config *cfg = config_with(INT64_MIN, 0);
    /* Covers every cell of k = 5: accepted. */
    crm_segment_rule all[1] = {{"all", 1, 6, 1, 6, 1, 6}};
    assert_int_equal(crm_config_set_segment_rules(cfg, all, 1, &err), CRM_STATUS_OK);
    /* Overlap, gap, empty name, NULL name, NULL table. */
    crm_segment_rule overlap[2] = {{"a", 1, 6, 1, 6, 1, 6}, {"b", 1, 2, 1, 2, 1, 2}};
    assert_int_equal(crm_config_set_segment_rules(cfg, overlap, 2, &err), CRM_STATUS_BAD_RULES);
    crm_segment_rule gap[1] = {{"a", 1, 5, 1, 6, 1, 6}};
    assert_int_equal(crm_config_set_segment_rules(cfg, gap, 1, &err), CRM_STATUS_BAD_RULES);
    crm_segment_rule inverted[1] = {{"a", 6, 1, 1, 6, 1, 6}};
    assert_int_equal(crm_config_set_segment_rules(cfg, inverted, 1, &err), CRM_STATUS_BAD_RULES);
    crm_segment_rule empty[1] = {{"", 1, 6, 1, 6, 1, 6}};
    assert_int_equal(crm_config_set_segment_rules(cfg, empty, 1, &err), CRM_STATUS_INVALID_ARGUMENT);
    crm_segment_rule noname[1] = {{NULL, 1, 6, 1, 6, 1, 6}};
    assert_int_equal(crm_config_set_segment_rules(cfg, noname, 1, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_config_set_segment_rules(cfg, NULL, 3, &err), CRM_STATUS_INVALID_ARGUMENT);
    /* A valid table that no longer fits after rfm_bins changes: the analysis says so. */
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_RFM_BINS, 4, &err), CRM_STATUS_OK);
    crm_transaction t = {1, AT(D, 9), 10.0};
    crm_transactions v;
    assert_int_equal(crm_transactions_from_array(&v, &t, 1, NULL), CRM_STATUS_OK);
    crm_result *r = NULL;
    assert_int_equal(crm_analyze(cfg, &v, NULL, NULL, &r, &err), CRM_STATUS_OK);
    crm_result_free(r);
    crm_segment_rule wide[1] = {{"all", 1, 6, 1, 6, 1, 6}};
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_RFM_BINS, 5, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_segment_rules(cfg, wide, 1, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_RFM_BINS, 6, &err), CRM_STATUS_OK);
    r = NULL;
    assert_int_equal(crm_analyze(cfg, &v, NULL, NULL, &r, &err), CRM_STATUS_BAD_RULES);
    assert_null(r);
    /* Cut points: NaN, out of order. */
    double nan_cuts[2] = {1.0, NAN};
    assert_int_equal(crm_config_set_cut_points(cfg, CRM_DIM_M, nan_cuts, 2, &err), CRM_STATUS_BAD_RULES);
    double desc[2] = {5.0, 1.0};
    assert_int_equal(crm_config_set_cut_points(cfg, CRM_DIM_M, desc, 2, &err), CRM_STATUS_BAD_RULES);
    crm_config_free(cfg);
}

/* ---- model data ---- */

static crm_status fit(const double *x, const double *tx, const double *T, const double *w, size_t n,
                      crm_error *err) {
    crm_model_data md;
    assert_int_equal(crm_model_data_init(&md, NULL), CRM_STATUS_OK);
    md.count = n;
    md.x = x;
    md.t_x = tx;
    md.T = T;
    md.weight = w;
    crm_model *m = NULL;
    crm_status s = crm_model_fit(NULL, CRM_MODEL_KIND_BGNBD, &md, &m, err);
    if (s != CRM_STATUS_OK && s != CRM_STATUS_NOT_CONVERGED) assert_null(m);
    crm_model_free(m);
    return s;
}

static void test_degenerate_model_data(void **state) {
    (void)state;
    crm_error err;
    const double x[4] = {0, 1, 2, 0}, tx[4] = {0, 5, 8, 0}, T[4] = {10, 10, 10, 10};
    const double zero[4] = {0, 0, 0, 0};
    /* Every T = 0 (so every x = 0 and t_x = 0). */
    assert_int_equal(fit(zero, zero, zero, NULL, 4, &err), CRM_STATUS_NOT_IDENTIFIED);
    /* No repeat purchase. */
    assert_int_equal(fit(zero, zero, T, NULL, 4, &err), CRM_STATUS_NOT_IDENTIFIED);
    /* One customer. */
    assert_int_equal(fit(x + 1, tx + 1, T + 1, NULL, 1, &err), CRM_STATUS_NOT_IDENTIFIED);
    /* A negative weight names its row. */
    const double w[4] = {1, 1, -1, 1};
    assert_int_equal(fit(x, tx, T, w, 4, &err), CRM_STATUS_BAD_RECORD);
    assert_int_equal(err.record, 2);
    /* A NaN row names its row. */
    const double xn[4] = {0, 1, NAN, 0};
    assert_int_equal(fit(xn, tx, T, NULL, 4, &err), CRM_STATUS_BAD_RECORD);
    assert_int_equal(err.record, 2);
    const double Tn[4] = {10, NAN, 10, 10};
    assert_int_equal(fit(x, tx, Tn, NULL, 4, &err), CRM_STATUS_BAD_RECORD);
    assert_int_equal(err.record, 1);
    /* Every weight 0: no data. */
    assert_int_equal(fit(x, tx, T, zero, 4, &err), CRM_STATUS_NO_DATA);
}

/* ---- strict validation names the first bad record ---- */

static void test_strict_names_transaction(void **state) {
    (void)state;
    crm_transaction t[3] = {{1, AT(D, 9), 10.0}, {2, AT(D, 9), NAN}, {3, AT(D, 9), 10.0}};
    crm_interaction ix[2] = {{1, AT(D, 10), 0, 0, CRM_KIND_CALL_IN, 0},
                             {1, AT(D, 10), 0, 0, 999, 0}}; /* also bad */
    crm_transactions tv;
    crm_interactions iv;
    assert_int_equal(crm_transactions_from_array(&tv, t, 3, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_interactions_from_array(&iv, ix, 2, NULL), CRM_STATUS_OK);
    /* With an explicit as-of and without one (the default as-of comes from
     * the data: the NaN transaction must still be the one named). */
    const int64_t as_ofs[2] = {AT(D + 1, 0), INT64_MIN};
    for (int k = 0; k < 2; k++) {
        crm_config *cfg = config_with(as_ofs[k], 1);
        crm_result *r = NULL;
        crm_error err;
        assert_int_equal(crm_analyze(cfg, &tv, &iv, NULL, &r, &err), CRM_STATUS_BAD_RECORD);
        assert_null(r);
        assert_int_equal(err.input, CRM_INPUT_TRANSACTIONS);
        assert_int_equal(err.record, 1);
        assert_int_equal(err.field, CRM_FIELD_AMOUNT);
        assert_int_equal(err.reason, CRM_FATE_NONFINITE);
        assert_true(strlen(err.message) > 0);
        crm_config_free(cfg);
    }
}

/* ---- truncated stored bytes ---- */

static void test_truncated_loads(void **state) {
    (void)state;
    crm_error err;
    /* A model. */
    crm_model *m = NULL;
    const double p[4] = {0.25, 4.0, 0.8, 2.5};
    assert_int_equal(crm_model_from_params(NULL, CRM_MODEL_KIND_BGNBD, p, 4, &m, &err), CRM_STATUS_OK);
    size_t size = 0;
    assert_int_equal(crm_model_save(m, NULL, 0, &size, &err), CRM_STATUS_SHORT_BUFFER);
    unsigned char *buf = malloc(size);
    assert_non_null(buf);
    assert_int_equal(crm_model_save(m, buf, size, &size, &err), CRM_STATUS_OK);
    crm_model_free(m);
    for (size_t cut = 0; cut < size; cut++) {
        m = NULL;
        crm_status s = crm_model_load(NULL, buf, cut, &m, &err);
        assert_true(s == CRM_STATUS_CORRUPT || (cut == 0 && s == CRM_STATUS_INVALID_ARGUMENT));
        assert_null(m);
    }
    assert_int_equal(crm_model_load(NULL, buf, size, &m, &err), CRM_STATUS_OK);
    crm_model_free(m);
    free(buf);
    /* A nightly state. */
    crm_state_handle *st = NULL;
    assert_int_equal(crm_state_create(NULL, &st, &err), CRM_STATUS_OK);
    crm_transaction t[2] = {{1, AT(D, 9), 10.0}, {2, AT(D, 10), 20.0}};
    crm_transactions v;
    assert_int_equal(crm_transactions_from_array(&v, t, 2, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_state_add(st, &v, NULL, NULL, &err), CRM_STATUS_OK);
    assert_int_equal(crm_state_save(st, NULL, 0, &size, &err), CRM_STATUS_OK); /* asks the size */
    buf = malloc(size);
    assert_non_null(buf);
    assert_int_equal(crm_state_save(st, buf, size, &size, &err), CRM_STATUS_OK);
    crm_state_free(st);
    for (size_t cut = 0; cut < size; cut++) {
        st = NULL;
        crm_status s = crm_state_load(NULL, buf, cut, &st, &err);
        assert_true(s == CRM_STATUS_CORRUPT || (cut == 0 && s == CRM_STATUS_INVALID_ARGUMENT));
        assert_null(st);
    }
    free(buf);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_pointers),
        cmocka_unit_test(test_huge_count_null_columns),
        cmocka_unit_test(test_amount_nonfinite),
        cmocka_unit_test(test_amount_subnormal_accepted),
        cmocka_unit_test(test_amount_huge),
        cmocka_unit_test(test_cost),
        cmocka_unit_test(test_discount),
        cmocka_unit_test(test_time_range),
        cmocka_unit_test(test_after_as_of),
        cmocka_unit_test(test_extreme_ids),
        cmocka_unit_test(test_exact_duplicates),
        cmocka_unit_test(test_complaint_chains),
        cmocka_unit_test(test_unknown_kind_and_purpose),
        cmocka_unit_test(test_customer_attributes),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_rule_tables),
        cmocka_unit_test(test_degenerate_model_data),
        cmocka_unit_test(test_strict_names_transaction),
        cmocka_unit_test(test_truncated_loads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

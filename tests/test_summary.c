/* test_summary.c - customer summaries (DOMAIN section 2) on hand-computed
 * fixtures, every bad-input path with its accounting, and the CDNOW
 * calibration summary reproduced for all 2,357 customers. */
#include "crm_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D             19000
#define AT(day, hour) ((int64_t)(day)*86400 + (int64_t)(hour)*3600)
#define END_OF(day)   ((int64_t)(day)*86400 + 86399)

static crm_config *config_as_of(int64_t as_of) {
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    if (as_of != INT64_MIN)
        assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, as_of, &err), CRM_STATUS_OK);
    return cfg;
}

static const crm_transaction fixture[] = {
    {7, AT(D - 200, 10), 50.00}, {7, AT(D - 200, 15), 25.00}, /* one purchase day */
    {7, AT(D - 120, 9), 0.00},                                /* a free order is a purchase */
    {7, AT(D - 100, 9), -10.00},                              /* a return is not */
    {7, AT(D - 60, 9), 40.00},   {7, AT(D - 10, 9), 30.00},
    {3, AT(D - 5, 23), 12.50},   {3, AT(D + 1, 1), 99.00}, /* after the as-of: rejected */
};
#define NFIX (sizeof fixture / sizeof fixture[0])

static void test_hand_fixture(void **state) {
    (void)state;
    crm_config *cfg = config_as_of(END_OF(D));
    crm_result *r = crm_test_analyze(cfg, fixture, NFIX);
    assert_int_equal(crm_result_rows(r), 2);
    assert_int_equal(crm_result_as_of_day(r), D);
    /* Row 0 is customer 3, row 1 customer 7. */
    assert_int_equal(crm_result_u64(r, CRM_COLUMN_CUSTOMER_ID)[0], 3);
    assert_int_equal(crm_result_u64(r, CRM_COLUMN_CUSTOMER_ID)[1], 7);
    int64_t i = crm_result_find(r, 7);
    assert_int_equal(i, 1);
    assert_int_equal(crm_result_find(r, 8), -1);
    assert_int_equal(crm_result_i32(r, CRM_COLUMN_FIRST_PURCHASE)[i], D - 200);
    assert_int_equal(crm_result_i32(r, CRM_COLUMN_LAST_PURCHASE)[i], D - 10);
    assert_int_equal(crm_result_i32(r, CRM_COLUMN_TENURE_DAYS)[i], 200);
    assert_int_equal(crm_result_i32(r, CRM_COLUMN_RECENCY_DAYS)[i], 10);
    assert_int_equal(crm_result_i64(r, CRM_COLUMN_PURCHASE_DAYS)[i], 4);
    assert_int_equal(crm_result_i64(r, CRM_COLUMN_TRANSACTIONS)[i], 5);
    assert_near(crm_result_f64(r, CRM_COLUMN_GROSS)[i], 145.0, 1e-12, 0);
    assert_near(crm_result_f64(r, CRM_COLUMN_RETURNS_AMOUNT)[i], 10.0, 1e-12, 0);
    assert_int_equal(crm_result_i64(r, CRM_COLUMN_RETURNS_COUNT)[i], 1);
    assert_near(crm_result_f64(r, CRM_COLUMN_MONETARY)[i], 135.0, 1e-12, 0);
    assert_near(crm_result_f64(r, CRM_COLUMN_AVG_SPEND)[i], 33.75, 1e-12, 0);
    assert_near(crm_result_f64(r, CRM_COLUMN_MEDIAN_INTERVAL_DAYS)[i], 60.0, 0, 0); /* gaps 80, 60, 50 */
    /* recent (D-90, D]: D-60 and D-10; prior (D-180, D-90]: D-120 free order and the D-100 return */
    assert_int_equal(crm_result_i64(r, CRM_COLUMN_RECENT_PURCHASE_DAYS)[i], 2);
    assert_near(crm_result_f64(r, CRM_COLUMN_RECENT_AMOUNT)[i], 70.0, 1e-12, 0);
    assert_int_equal(crm_result_i64(r, CRM_COLUMN_PRIOR_PURCHASE_DAYS)[i], 1);
    assert_near(crm_result_f64(r, CRM_COLUMN_PRIOR_AMOUNT)[i], -10.0, 1e-12, 0);
    /* Model inputs in weeks (the default time unit): x = 3, t_x = 190/7, T = 200/7;
     * repeat spend = (135 - 75) / 3. */
    assert_near(crm_result_f64(r, CRM_COLUMN_X)[i], 3.0, 0, 0);
    assert_near(crm_result_f64(r, CRM_COLUMN_T_X)[i], 190.0 / 7.0, 1e-12, 0);
    assert_near(crm_result_f64(r, CRM_COLUMN_T)[i], 200.0 / 7.0, 1e-12, 0);
    assert_near(crm_result_f64(r, CRM_COLUMN_REPEAT_SPEND)[i], 20.0, 1e-12, 0);
    /* Customer 3: one purchase day, so no interval. */
    assert_true(isnan(crm_result_f64(r, CRM_COLUMN_MEDIAN_INTERVAL_DAYS)[0]));
    assert_true(isnan(crm_result_f64(r, CRM_COLUMN_REPEAT_SPEND)[0]));
    assert_near(crm_result_f64(r, CRM_COLUMN_X)[0], 0.0, 0, 0);
    /* Accounting: 7 accepted, 1 after the as-of. */
    assert_int_equal(crm_result_records_total(r, CRM_INPUT_TRANSACTIONS), 8);
    assert_int_equal(crm_result_records(r, CRM_INPUT_TRANSACTIONS, CRM_FATE_ACCEPTED), 7);
    assert_int_equal(crm_result_records(r, CRM_INPUT_TRANSACTIONS, CRM_FATE_AFTER_AS_OF), 1);
    crm_result_free(r);
    crm_config_free(cfg);
}

static void test_default_as_of(void **state) {
    (void)state;
    /* Default: the last second of the day of the latest transaction. */
    crm_result *r = crm_test_analyze(NULL, fixture, NFIX);
    assert_int_equal(crm_result_as_of(r), END_OF(D + 1));
    assert_int_equal(crm_result_as_of_day(r), D + 1);
    assert_int_equal(crm_result_records(r, CRM_INPUT_TRANSACTIONS, CRM_FATE_ACCEPTED), 8);
    crm_result_free(r);
}

static void test_even_median_and_day_offset(void **state) {
    (void)state;
    const crm_transaction t[] = {
        {1, AT(D - 100, 12), 1}, {1, AT(D - 90, 12), 1}, {1, AT(D - 70, 12), 1},
        {1, AT(D - 40, 12), 1},  {1, AT(D, 12), 1}, /* gaps 10, 20, 30, 40: median 25 */
        {2, AT(D - 1, 20), 5},   {2, AT(D, 3), 5},  /* two UTC days, one day at UTC+8 */
    };
    crm_config *cfg = config_as_of(END_OF(D));
    crm_result *r = crm_test_analyze(cfg, t, 7);
    assert_near(crm_result_f64(r, CRM_COLUMN_MEDIAN_INTERVAL_DAYS)[0], 25.0, 0, 0);
    assert_int_equal(crm_result_i64(r, CRM_COLUMN_PURCHASE_DAYS)[1], 2);
    crm_result_free(r);
    crm_error err;
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_DAY_OFFSET, 8 * 3600, &err), CRM_STATUS_OK);
    /* The as-of moment 23:59:59 UTC is already the next local day at UTC+8. */
    r = crm_test_analyze(cfg, t, 7);
    assert_int_equal(crm_result_as_of_day(r), D + 1);
    assert_int_equal(crm_result_i32(r, CRM_COLUMN_RECENCY_DAYS)[1], 1);
    crm_result_free(r);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, END_OF(D) - 8 * 3600, &err), CRM_STATUS_OK);
    r = crm_test_analyze(cfg, t, 7);
    assert_int_equal(crm_result_as_of_day(r), D);
    assert_int_equal(crm_result_i64(r, CRM_COLUMN_PURCHASE_DAYS)[1], 1);
    assert_int_equal(crm_result_i32(r, CRM_COLUMN_LAST_PURCHASE)[1], D);
    assert_int_equal(crm_result_i32(r, CRM_COLUMN_RECENCY_DAYS)[1], 0);
    crm_result_free(r);
    crm_config_free(cfg);
}

/* A record before 1970 (negative time) falls on the right day. */
static void test_negative_times(void **state) {
    (void)state;
    const crm_transaction t[] = {{1, -1, 10}, {1, -86400, 10}, {1, -86401, 10}};
    crm_result *r = crm_test_analyze(NULL, t, 3);
    assert_int_equal(crm_result_i32(r, CRM_COLUMN_LAST_PURCHASE)[0], -1);
    assert_int_equal(crm_result_i32(r, CRM_COLUMN_FIRST_PURCHASE)[0], -2);
    assert_int_equal(crm_result_i64(r, CRM_COLUMN_PURCHASE_DAYS)[0], 2);
    assert_int_equal(crm_result_as_of(r), -1);
    crm_result_free(r);
}

static const crm_transaction bad[] = {
    {1, AT(D - 3, 9), 10.0},         {1, AT(D - 2, 9), NAN}, /* 1: NaN amount */
    {2, AT(D - 2, 9), INFINITY},                             /* 2: infinite amount */
    {2, (int64_t)300000000000, 5.0},                         /* 3: year 11476 */
    {3, AT(D - 1, 9), 7.0},          {3, INT64_MIN, 5.0},    /* 5: far before year 1 */
};
#define NBAD (sizeof bad / sizeof bad[0])

static void test_bad_records_skipped(void **state) {
    (void)state;
    crm_result *r = crm_test_analyze(NULL, bad, NBAD);
    assert_int_equal(crm_result_rows(r), 2); /* customer 2 has no valid record */
    assert_int_equal(crm_result_records(r, CRM_INPUT_TRANSACTIONS, CRM_FATE_ACCEPTED), 2);
    assert_int_equal(crm_result_records(r, CRM_INPUT_TRANSACTIONS, CRM_FATE_NONFINITE), 2);
    assert_int_equal(crm_result_records(r, CRM_INPUT_TRANSACTIONS, CRM_FATE_TIME_RANGE), 2);
    assert_int_equal(crm_result_records_total(r, CRM_INPUT_TRANSACTIONS), 6);
    assert_int_equal(crm_result_records_total(r, CRM_INPUT_INTERACTIONS), 0);
    int64_t sum = 0;
    for (int f = 0; f < crm_enum_count(CRM_ENUM_FATE); f++)
        sum += crm_result_records(r, CRM_INPUT_TRANSACTIONS, f);
    assert_int_equal(sum, 6);
    assert_string_equal(crm_enum_name(CRM_ENUM_FATE, CRM_FATE_NONFINITE), "nonfinite");
    assert_string_equal(crm_enum_name(CRM_ENUM_FATE, CRM_FATE_TIME_RANGE), "time_range");
    assert_null(crm_enum_name(CRM_ENUM_FATE, crm_enum_count(CRM_ENUM_FATE)));
    crm_result_free(r);
}

static void test_bad_records_strict(void **state) {
    (void)state;
    crm_config *cfg = config_as_of(INT64_MIN);
    crm_error err;
    assert_int_equal(crm_config_set_text(cfg, "validation", "strict", &err), CRM_STATUS_OK);
    crm_transactions v;
    crm_transactions_from_array(&v, bad, NBAD, NULL);
    crm_result *r = (crm_result *)&err; /* must be reset to NULL */
    assert_int_equal(crm_analyze(cfg, &v, NULL, NULL, &r, &err), CRM_STATUS_BAD_RECORD);
    assert_null(r);
    assert_int_equal(err.status, CRM_STATUS_BAD_RECORD);
    assert_int_equal(err.input, CRM_INPUT_TRANSACTIONS);
    assert_int_equal(err.record, 1);
    assert_int_equal(err.field, CRM_FIELD_AMOUNT);
    assert_int_equal(err.reason, CRM_FATE_NONFINITE);
    assert_non_null(strstr(err.message, "transaction 1"));
    /* The first bad record may be a time out of range. */
    crm_transactions_from_array(&v, bad + 3, 3, NULL);
    assert_int_equal(crm_analyze(cfg, &v, NULL, NULL, &r, &err), CRM_STATUS_BAD_RECORD);
    assert_int_equal(err.record, 0);
    assert_int_equal(err.field, CRM_FIELD_TIME);
    assert_int_equal(err.reason, CRM_FATE_TIME_RANGE);
    /* After the as-of is bad under strict validation too. */
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, END_OF(D - 3), &err), CRM_STATUS_OK);
    crm_transactions_from_array(&v, fixture, NFIX, NULL);
    assert_int_equal(crm_analyze(cfg, &v, NULL, NULL, &r, &err), CRM_STATUS_BAD_RECORD);
    assert_int_equal(err.reason, CRM_FATE_AFTER_AS_OF);
    assert_int_equal(err.record, 7); /* the only record after D - 3 */
    crm_config_free(cfg);
}

static void test_invalid_arguments(void **state) {
    (void)state;
    crm_error err;
    crm_result *r = NULL;
    crm_transactions v;
    memset(&v, 0, sizeof v);
    /* A view whose struct_size was never set */
    assert_int_equal(crm_analyze(NULL, &v, NULL, NULL, &r, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_non_null(strstr(err.message, "struct_size"));
    /* NULL columns with a count */
    assert_int_equal(crm_transactions_init(&v, NULL), CRM_STATUS_OK);
    v.count = 3;
    assert_int_equal(crm_analyze(NULL, &v, NULL, NULL, &r, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_non_null(strstr(err.message, "NULL"));
    assert_null(r);
    assert_int_equal(crm_transactions_from_array(&v, NULL, 3, NULL), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_transactions_from_array_sized(NULL, sizeof v, fixture, 3, NULL),
                     CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_transactions_from_columns(&v, NULL, 0, NULL, 0, NULL, 0, 2, NULL),
                     CRM_STATUS_INVALID_ARGUMENT);
    /* No input at all, no output pointer */
    assert_int_equal(crm_analyze(NULL, NULL, NULL, NULL, &r, &err), CRM_STATUS_INVALID_ARGUMENT);
    crm_transactions_from_array(&v, fixture, NFIX, NULL);
    assert_int_equal(crm_analyze(NULL, &v, NULL, NULL, NULL, &err), CRM_STATUS_INVALID_ARGUMENT);
    /* Zero records */
    crm_transactions_from_array(&v, NULL, 0, NULL);
    assert_int_equal(crm_analyze(NULL, &v, NULL, NULL, &r, &err), CRM_STATUS_NO_DATA);
    assert_non_null(strstr(err.message, "no records"));
    /* Every record rejected */
    crm_transactions_from_array(&v, bad + 1, 3, NULL);
    assert_int_equal(crm_analyze(NULL, &v, NULL, NULL, &r, &err), CRM_STATUS_NO_DATA);
    assert_non_null(strstr(err.message, "all 3 records were rejected"));
    /* Every record after an explicit as-of */
    crm_config *cfg = config_as_of(0);
    crm_transactions_from_array(&v, fixture, NFIX, NULL);
    assert_int_equal(crm_analyze(cfg, &v, NULL, NULL, &r, &err), CRM_STATUS_NO_DATA);
    crm_config_free(cfg);
    /* err may be NULL */
    assert_int_equal(crm_analyze(NULL, NULL, NULL, NULL, &r, NULL), CRM_STATUS_INVALID_ARGUMENT);
    /* The result accessors tolerate NULL */
    assert_int_equal(crm_result_rows(NULL), 0);
    assert_null(crm_result_f64(NULL, CRM_COLUMN_MONETARY));
    assert_int_equal(crm_result_records(NULL, CRM_INPUT_TRANSACTIONS, 0), 0);
    crm_result_free(NULL);
    crm_summary_free(NULL);
    crm_population_free(NULL);
    crm_config_free(NULL);
}

/* Strided columns: amounts every third double of a buffer. */
static void test_strided_columns(void **state) {
    (void)state;
    uint64_t ids[NFIX];
    int64_t times[NFIX];
    double amounts[3 * NFIX];
    for (size_t i = 0; i < NFIX; i++) {
        ids[i] = fixture[i].customer_id;
        times[i] = fixture[i].time;
        amounts[3 * i] = fixture[i].amount;
        amounts[3 * i + 1] = amounts[3 * i + 2] = NAN; /* must never be read */
    }
    crm_transactions v;
    assert_int_equal(crm_transactions_from_columns(&v, ids, 0, times, sizeof(int64_t), amounts,
                                                   3 * sizeof(double), NFIX, NULL),
                     CRM_STATUS_OK);
    crm_config *cfg = config_as_of(END_OF(D));
    crm_result *a = NULL, *b = crm_test_analyze(cfg, fixture, NFIX);
    crm_error err;
    assert_int_equal(crm_analyze(cfg, &v, NULL, NULL, &a, &err), CRM_STATUS_OK);
    for (int c = 0; c < crm_enum_count(CRM_ENUM_COLUMN); c++) {
        assert_int_equal(crm_result_has_column(a, c), crm_result_has_column(b, c));
        if (!crm_result_has_column(a, c)) continue;
        int ta, tb;
        const void *da, *db;
        assert_int_equal(crm_result_column(a, c, &ta, &da, &err), CRM_STATUS_OK);
        assert_int_equal(crm_result_column(b, c, &tb, &db, &err), CRM_STATUS_OK);
        size_t size = ta == CRM_TYPE_I32 ? 4 : 8;
        assert_memory_equal(da, db, size * crm_result_rows(a));
    }
    crm_result_free(a);
    crm_result_free(b);
    crm_config_free(cfg);
}

/* A packed record layout (25-byte records at an odd address, as an ERP's
 * #pragma pack structs or a numpy record array may be) reads the same. */
static void test_misaligned_columns(void **state) {
    (void)state;
    enum { STRIDE = 25 };
    unsigned char *buf = calloc(1 + NFIX * STRIDE, 1);
    unsigned char *base = buf + 1;
    for (size_t i = 0; i < NFIX; i++) {
        memcpy(base + i * STRIDE, &fixture[i].customer_id, 8);
        memcpy(base + i * STRIDE + 8, &fixture[i].time, 8);
        memcpy(base + i * STRIDE + 16, &fixture[i].amount, 8);
    }
    crm_transactions v;
    assert_int_equal(crm_transactions_from_columns(&v, (const uint64_t *)(const void *)base, STRIDE,
                                                   (const int64_t *)(const void *)(base + 8), STRIDE,
                                                   (const double *)(const void *)(base + 16), STRIDE, NFIX,
                                                   NULL),
                     CRM_STATUS_OK);
    crm_config *cfg = config_as_of(END_OF(D));
    crm_result *a = NULL, *b = crm_test_analyze(cfg, fixture, NFIX);
    assert_int_equal(crm_analyze(cfg, &v, NULL, NULL, &a, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_result_rows(a), crm_result_rows(b));
    assert_memory_equal(crm_result_f64(a, CRM_COLUMN_MONETARY), crm_result_f64(b, CRM_COLUMN_MONETARY),
                        crm_result_rows(a) * sizeof(double));
    assert_memory_equal(crm_result_i32(a, CRM_COLUMN_RECENCY_DAYS),
                        crm_result_i32(b, CRM_COLUMN_RECENCY_DAYS), crm_result_rows(a) * sizeof(int32_t));
    crm_result_free(a);
    crm_result_free(b);
    crm_config_free(cfg);
    free(buf);
}

/* CDNOW sample, as-of 1997-09-30, in weeks: x, t_x and T (and zbar) of all
 * 2,357 customers as in cdnow_customers_summary*.csv (2 decimals). */
static void test_cdnow_summary(void **state) {
    (void)state;
    char path[1024];
    crm_transaction *t = NULL;
    size_t n = crm_test_load_cdnow_sample(&t);
    assert_int_equal(n, 6919);
    crm_config *cfg = config_as_of(END_OF(crm_test_day("1997-09-30")));
    crm_result *r = crm_test_analyze(cfg, t, n);
    assert_int_equal(crm_result_records(r, CRM_INPUT_TRANSACTIONS, CRM_FATE_ACCEPTED) +
                         crm_result_records(r, CRM_INPUT_TRANSACTIONS, CRM_FATE_AFTER_AS_OF),
                     6919);
    crm_csv e;
    crm_csv_read(
        &e, crm_test_data_path(path, sizeof path, "cdnow/cdnow_customers_summary_with_transactions.csv"));
    assert_int_equal(e.rows, 2357);
    assert_int_equal(crm_result_rows(r), 2357);
    long mismatches = 0;
    const double *x = crm_result_f64(r, CRM_COLUMN_X), *tx = crm_result_f64(r, CRM_COLUMN_T_X),
                 *T = crm_result_f64(r, CRM_COLUMN_T), *zbar = crm_result_f64(r, CRM_COLUMN_REPEAT_SPEND);
    for (size_t row = 0; row < e.rows; row++) {
        int64_t i = crm_result_find(r, strtoull(crm_csv_at(&e, row, crm_csv_col(&e, "ID")), NULL, 10));
        assert_true(i >= 0);
        double want[4] = {atof(crm_csv_at(&e, row, crm_csv_col(&e, "x"))),
                          atof(crm_csv_at(&e, row, crm_csv_col(&e, "t_x"))),
                          atof(crm_csv_at(&e, row, crm_csv_col(&e, "T"))),
                          atof(crm_csv_at(&e, row, crm_csv_col(&e, "zbar")))};
        double got[4] = {x[i], tx[i], T[i], isnan(zbar[i]) ? 0.0 : zbar[i]};
        for (int k = 0; k < 4; k++) /* the file is rounded to 2 decimals: allow half a unit */
            if (fabs(got[k] - want[k]) > 0.005 + 1e-9 && mismatches++ < 10)
                print_error("ID %s field %d: got %.4f want %.2f\n", crm_csv_at(&e, row, 0), k, got[k],
                            want[k]);
    }
    assert_int_equal(mismatches, 0);
    crm_csv_free(&e);
    crm_result_free(r);
    crm_config_free(cfg);
    free(t);
}

/* Amounts beyond CRM_AMOUNT_MAX are rejected (their sums could overflow),
 * and a return made before the first purchase of the first day still
 * belongs to that day, not to the repeat purchases. */
static void test_amount_range_and_first_day_return(void **state) {
    (void)state;
    const crm_transaction t[] = {
        {1, AT(D - 10, 9), -20.0}, {1, AT(D - 10, 10), 100.0}, {1, AT(D, 9), 50.0}, /* return first, same day
                                                                                     */
        {2, AT(D, 9), 1e308},      {2, AT(D, 10), 2e15},       {2, AT(D, 11), -1e16}, {2, AT(D, 12), 5.0},
    };
    crm_config *cfg = config_as_of(END_OF(D));
    crm_result *r = crm_test_analyze(cfg, t, 7);
    assert_near(crm_result_f64(r, CRM_COLUMN_REPEAT_SPEND)[0], 50.0, 0, 0);
    assert_near(crm_result_f64(r, CRM_COLUMN_MONETARY)[0], 130.0, 0, 0);
    assert_near(crm_result_f64(r, CRM_COLUMN_MONETARY)[1], 5.0, 0, 0);
    assert_int_equal(crm_result_records(r, CRM_INPUT_TRANSACTIONS, CRM_FATE_VALUE_RANGE), 3);
    crm_result_free(r);
    crm_error err;
    assert_int_equal(crm_config_set_text(cfg, "validation", "strict", &err), CRM_STATUS_OK);
    crm_transactions v;
    crm_transactions_from_array(&v, t, 7, NULL);
    assert_int_equal(crm_analyze(cfg, &v, NULL, NULL, &r, &err), CRM_STATUS_BAD_RECORD);
    assert_int_equal(err.record, 3);
    assert_int_equal(err.field, CRM_FIELD_AMOUNT);
    assert_int_equal(err.reason, CRM_FATE_VALUE_RANGE);
    crm_config_free(cfg);
}

/* Only an interaction that is accepted can set the default as-of; under
 * strict validation a set of bad interactions names the first one. */
static void test_default_as_of_from_interactions(void **state) {
    (void)state;
    crm_interaction x[3];
    memset(x, 0, sizeof x);
    x[0].customer_id = 1, x[0].time = AT(D - 5, 9), x[0].kind = CRM_KIND_ENGAGEMENT;
    x[1].customer_id = 1, x[1].time = AT(D, 9), x[1].kind = CRM_KIND_SURVEY, x[1].value = NAN;
    x[2].customer_id = 1, x[2].time = AT(D + 3, 9), x[2].kind = CRM_KIND_COMPLAINT_RESPONSE, x[2].ref = 4;
    crm_interactions iv;
    crm_interactions_from_array(&iv, x, 3, NULL);
    crm_result *r = NULL;
    crm_error err;
    assert_int_equal(crm_analyze(NULL, NULL, &iv, NULL, &r, &err), CRM_STATUS_OK);
    assert_int_equal(crm_result_as_of_day(r), D - 5);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_NONFINITE), 1);
    assert_int_equal(crm_result_records(r, CRM_INPUT_INTERACTIONS, CRM_FATE_AFTER_AS_OF), 1);
    crm_result_free(r);
    crm_config *cfg = config_as_of(INT64_MIN);
    assert_int_equal(crm_config_set_text(cfg, "validation", "strict", &err), CRM_STATUS_OK);
    crm_interactions_from_array(&iv, x + 1, 2, NULL);
    assert_int_equal(crm_analyze(cfg, NULL, &iv, NULL, &r, &err), CRM_STATUS_BAD_RECORD);
    assert_int_equal(err.input, CRM_INPUT_INTERACTIONS);
    assert_int_equal(err.record, 0);
    crm_config_free(cfg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_fixture),
        cmocka_unit_test(test_default_as_of),
        cmocka_unit_test(test_even_median_and_day_offset),
        cmocka_unit_test(test_negative_times),
        cmocka_unit_test(test_bad_records_skipped),
        cmocka_unit_test(test_bad_records_strict),
        cmocka_unit_test(test_invalid_arguments),
        cmocka_unit_test(test_strided_columns),
        cmocka_unit_test(test_misaligned_columns),
        cmocka_unit_test(test_amount_range_and_first_day_return),
        cmocka_unit_test(test_default_as_of_from_interactions),
        cmocka_unit_test(test_cdnow_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

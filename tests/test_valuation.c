/* test_valuation.c - the models inside the analysis: columns appear when
 * enabled, values equal the model functions applied to the table's own
 * x, t_x, T, the time unit changes nothing, risk levels read P(alive), and
 * the calibration/holdout split reproduces CDNOW's summaries. */
#include "crm_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static crm_transaction *cdnow;
static size_t ncdnow;

static int setup(void **state) {
    (void)state;
    ncdnow = crm_test_load_cdnow_sample(&cdnow);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    free(cdnow);
    return 0;
}

static int64_t end_of(const char *iso) { return (int64_t)crm_test_day(iso) * 86400 + 86399; }

static crm_result *analyze(const char *model, int spend, double unit) {
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, end_of("1997-09-30"), &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "model", model, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_SPEND_MODEL, spend, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_real(cfg, CRM_OPTION_TIME_UNIT_DAYS, unit, &err), CRM_STATUS_OK);
    crm_result *r = crm_test_analyze(cfg, cdnow, ncdnow);
    crm_config_free(cfg);
    return r;
}

/* BG/NBD on CDNOW through the analysis equals the published MLE, and every
 * column equals the model's own functions on the table's x, t_x, T. */
static void test_bgnbd_in_analysis(void **state) {
    (void)state;
    crm_result *r = analyze("bgnbd", 1, 7);
    const crm_model *m = crm_result_model(r, CRM_MODEL_KIND_BGNBD);
    assert_non_null(m);
    const double want[4] = {0.242593, 4.413531, 0.792886, 2.425753};
    for (size_t i = 0; i < 4; i++) assert_near(crm_model_param(m, i), want[i], 0, 1e-4);
    assert_near(crm_model_loglik(m), -9582.4256, 0, 1e-6);
    const crm_model *gg = crm_result_model(r, CRM_MODEL_KIND_GAMMA_GAMMA);
    assert_non_null(gg);
    /* The analysis's models know their time unit, and a saved one keeps it. */
    assert_true(crm_model_time_unit_days(m) == 7 && crm_model_time_unit_days(gg) == 7);
    unsigned char saved[400];
    size_t size = 0;
    crm_model *back = NULL;
    assert_int_equal(crm_model_save(m, saved, sizeof saved, &size, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_model_load(NULL, saved, size, &back, NULL), CRM_STATUS_OK);
    assert_true(crm_model_time_unit_days(back) == 7);
    crm_model_free(back);
    /* Gamma-Gamma here uses net spend per repeat day (returns included): close to, not equal to, zbar's fit.
     */
    assert_true(crm_result_has_column(r, CRM_COLUMN_P_ALIVE));
    assert_true(crm_result_has_column(r, CRM_COLUMN_EXPECTED_PURCHASES));
    assert_true(crm_result_has_column(r, CRM_COLUMN_EXPECTED_SPEND));
    assert_true(crm_result_has_column(r, CRM_COLUMN_CLV));
    assert_null(crm_result_model(r, CRM_MODEL_KIND_PARETO_NBD));
    size_t n = crm_result_rows(r);
    crm_model_data d;
    assert_int_equal(crm_model_data_init(&d, NULL), CRM_STATUS_OK);
    d.x = crm_result_f64(r, CRM_COLUMN_X);
    d.t_x = crm_result_f64(r, CRM_COLUMN_T_X);
    d.T = crm_result_f64(r, CRM_COLUMN_T);
    d.count = n;
    double *alive = malloc(n * sizeof *alive), *exp52 = malloc(n * sizeof *exp52);
    crm_error err;
    assert_int_equal(crm_model_p_alive(m, &d, alive, &err), CRM_STATUS_OK);
    assert_int_equal(crm_model_expected_purchases(m, 365.0 / 7.0, &d, exp52, &err), CRM_STATUS_OK);
    const double *pa = crm_result_f64(r, CRM_COLUMN_P_ALIVE),
                 *ep = crm_result_f64(r, CRM_COLUMN_EXPECTED_PURCHASES);
    const int32_t *risk = crm_result_i32(r, CRM_COLUMN_RISK_LEVEL);
    for (size_t i = 0; i < n; i++) {
        assert_true(pa[i] == alive[i]);
        assert_true(ep[i] == exp52[i]);
        assert_true(pa[i] >= 0 && pa[i] <= 1);
        if (pa[i] < 0.3)
            assert_int_equal(risk[i], CRM_RISK_HIGH);
        else if (pa[i] < 0.7)
            assert_true(risk[i] >= CRM_RISK_MEDIUM);
        assert_true(crm_result_f64(r, CRM_COLUMN_CLV)[i] >= 0);
    }
    /* Customer 1 (x 2, t_x 30.43, T 38.86): E[X(39 weeks)] = 1.226 in the paper. */
    int64_t row = crm_result_find(r, 1);
    double e39;
    crm_model_data one = d;
    one.x += row;
    one.t_x += row;
    one.T += row;
    one.count = 1;
    assert_int_equal(crm_model_expected_purchases(m, 39, &one, &e39, &err), CRM_STATUS_OK);
    assert_near(e39, 1.226, 0.0006, 0);
    free(alive);
    free(exp52);
    crm_result_free(r);
}

/* Days or weeks: the fitted parameters scale, P(alive), expected purchases
 * and CLV do not change. */
static void test_time_unit_invariance(void **state) {
    (void)state;
    const char *models[3] = {"bgnbd", "mbgnbd", "pareto_nbd"};
    for (int k = 0; k < 3; k++) {
        crm_result *weeks = analyze(models[k], 1, 7), *days = analyze(models[k], 1, 1);
        size_t n = crm_result_rows(weeks);
        const int cols[4] = {CRM_COLUMN_P_ALIVE, CRM_COLUMN_EXPECTED_PURCHASES, CRM_COLUMN_EXPECTED_SPEND,
                             CRM_COLUMN_CLV};
        for (int c = 0; c < 4; c++) {
            const double *a = crm_result_f64(weeks, cols[c]), *b = crm_result_f64(days, cols[c]);
            for (size_t i = 0; i < n; i++) assert_near(a[i], b[i], 1e-7, 2e-5);
        }
        crm_result_free(weeks);
        crm_result_free(days);
    }
}

static void test_models_off_and_prospects_only(void **state) {
    (void)state;
    crm_result *r = analyze("none", 0, 7);
    assert_false(crm_result_has_column(r, CRM_COLUMN_P_ALIVE));
    assert_false(crm_result_has_column(r, CRM_COLUMN_CLV));
    assert_true(crm_result_has_column(r, CRM_COLUMN_X));
    assert_null(crm_result_model(r, CRM_MODEL_KIND_BGNBD));
    crm_result_free(r);
    /* A population without any purchase fits nothing and fails nothing. */
    crm_interaction x = {5, 1000000, 0, 0, CRM_KIND_ENGAGEMENT, 0};
    crm_interactions iv;
    crm_interactions_from_array(&iv, &x, 1, NULL);
    crm_config *cfg;
    assert_int_equal(crm_config_create(NULL, &cfg, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "model", "bgnbd", NULL), CRM_STATUS_OK);
    assert_int_equal(crm_analyze(cfg, NULL, &iv, NULL, &r, NULL), CRM_STATUS_OK);
    assert_false(crm_result_has_column(r, CRM_COLUMN_P_ALIVE));
    crm_result_free(r);
    crm_config_free(cfg);
}

/* Spends spread over many orders of magnitude give a Gamma-Gamma fit with
 * q <= 1, whose population mean does not exist: customers it cannot
 * condition on (one purchase day, or a net repeat spend <= 0 after returns)
 * have no expected spend and no CLV (NaN, the model's message says why), and
 * the analysis still succeeds. With spend_q_constraint the fit keeps q > 1
 * and every customer has both. */
static void test_gamma_gamma_without_mean(void **state) {
    (void)state;
    enum { N = 300 };
    crm_transaction *t = calloc(N * 4, sizeof *t);
    size_t n = 0;
    crm_rng rng = {77};
    const int64_t day0 = 19000;
    for (int c = 0; c < N; c++) {
        double spend = exp(12.0 * crm_rng_uniform(&rng));
        int days = c % 5 == 0 ? 1 : 3;
        for (int k = 0; k < days; k++) {
            t[n].customer_id = (uint64_t)c + 1;
            t[n].time = (day0 - 30 * k - (int64_t)crm_rng_below(&rng, 20)) * 86400;
            t[n].amount = spend * (0.8 + 0.4 * crm_rng_uniform(&rng));
            n++;
        }
        if (c == 7) {                   /* returns larger than the repeat purchases: net repeat spend < 0 */
            t[n] = t[n - (size_t)days]; /* on the latest purchase day: a repeat day */
            t[n].amount = -10.0 * t[n].amount;
            n++;
        }
    }
    crm_config *cfg;
    assert_int_equal(crm_config_create(NULL, &cfg, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "model", "bgnbd", NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "spend_model", "1", NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_real(cfg, CRM_OPTION_TIME_UNIT_DAYS, 1, NULL), CRM_STATUS_OK);
    crm_result *r = crm_test_analyze(cfg, t, n);
    const crm_model *gg = crm_result_model(r, CRM_MODEL_KIND_GAMMA_GAMMA);
    assert_non_null(gg);
    print_message("Gamma-Gamma q = %g: %s\n", crm_model_param(gg, 1), crm_model_message(gg));
    assert_true(crm_model_param(gg, 1) <= 1); /* the case under test */
    assert_non_null(strstr(crm_model_message(gg), "no mean spend"));
    const double *spend = crm_result_f64(r, CRM_COLUMN_EXPECTED_SPEND),
                 *clv = crm_result_f64(r, CRM_COLUMN_CLV), *x = crm_result_f64(r, CRM_COLUMN_X),
                 *rs = crm_result_f64(r, CRM_COLUMN_REPEAT_SPEND);
    size_t unknown = 0;
    for (size_t i = 0; i < crm_result_rows(r); i++) {
        int conditioned = x[i] > 0 && rs[i] > 0;
        /* p x + q > 1 for every repeat customer here: their conditional mean exists. */
        if (conditioned) assert_true(isfinite(spend[i]) && spend[i] > 0 && isfinite(clv[i]));
        if (!conditioned) assert_true(isnan(spend[i]) && isnan(clv[i]));
        unknown += !conditioned;
    }
    assert_true(unknown >= N / 5);
    int64_t row = crm_result_find(r, 8);
    assert_true(row >= 0 && isnan(spend[row])); /* net repeat spend negative: population mean, none */
    crm_result_free(r);
    /* spend_q_constraint: q > 1, every customer valued. */
    assert_int_equal(crm_config_set_text(cfg, "spend_q_constraint", "1", NULL), CRM_STATUS_OK);
    r = crm_test_analyze(cfg, t, n);
    gg = crm_result_model(r, CRM_MODEL_KIND_GAMMA_GAMMA);
    assert_true(crm_model_param(gg, 1) > 1);
    assert_int_equal(crm_model_status(gg), CRM_STATUS_OK);
    spend = crm_result_f64(r, CRM_COLUMN_EXPECTED_SPEND);
    clv = crm_result_f64(r, CRM_COLUMN_CLV);
    for (size_t i = 0; i < crm_result_rows(r); i++) assert_true(isfinite(spend[i]) && isfinite(clv[i]));
    crm_result_free(r);
    crm_config_free(cfg);
    free(t);
}

/* crm_model_clv with the analysis's configuration reproduces the clv
 * column: the same model, the table's own x, t_x, T, and the spend the
 * analysis uses without a spend model (avg_spend, 0 when not positive). */
static void test_clv_column_from_model(void **state) {
    (void)state;
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "model", "bgnbd", &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_SPEND_MODEL, 0, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_real(cfg, CRM_OPTION_TIME_UNIT_DAYS, 7, &err), CRM_STATUS_OK);
    /* Not the defaults, so that each term of the convention is exercised. */
    assert_int_equal(crm_config_set_real(cfg, CRM_OPTION_HORIZON_DAYS, 730, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_real(cfg, CRM_OPTION_DISCOUNT_RATE, 0.15, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_real(cfg, CRM_OPTION_MARGIN, 0.4, &err), CRM_STATUS_OK);
    crm_result *r = crm_test_analyze(cfg, cdnow, ncdnow);
    const crm_model *m = crm_result_model(r, CRM_MODEL_KIND_BGNBD);
    assert_non_null(m);
    assert_null(crm_result_model(r, CRM_MODEL_KIND_GAMMA_GAMMA));
    size_t n = crm_result_rows(r);
    const double *x = crm_result_f64(r, CRM_COLUMN_X), *t_x = crm_result_f64(r, CRM_COLUMN_T_X),
                 *T = crm_result_f64(r, CRM_COLUMN_T), *avg = crm_result_f64(r, CRM_COLUMN_AVG_SPEND),
                 *clv = crm_result_f64(r, CRM_COLUMN_CLV);
    assert_true(x && t_x && T && avg && clv);
    /* The scored rows (a purchase day, so x is a number), compacted. */
    double *cx = malloc(n * sizeof *cx), *ctx = malloc(n * sizeof *ctx), *cT = malloc(n * sizeof *cT);
    double *sp = malloc(n * sizeof *sp), *want = malloc(n * sizeof *want), *out = malloc(n * sizeof *out);
    assert_true(cx && ctx && cT && sp && want && out);
    size_t k = 0, clipped = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i])) continue;
        cx[k] = x[i];
        ctx[k] = t_x[i];
        cT[k] = T[i];
        sp[k] = fmax(avg[i], 0);
        clipped += !(avg[i] > 0);
        want[k] = clv[i];
        k++;
    }
    assert_int_equal(k, 2357);
    assert_true(clipped > 0); /* some customers' returns exceed their purchases */
    crm_model_data d;
    assert_int_equal(crm_model_data_init(&d, &err), CRM_STATUS_OK);
    d.x = cx;
    d.t_x = ctx;
    d.T = cT;
    d.spend = sp;
    d.count = k;
    assert_int_equal(crm_model_clv(m, NULL, cfg, &d, out, &err), CRM_STATUS_OK);
    for (size_t i = 0; i < k; i++) assert_true(out[i] == want[i]); /* bit for bit: one computation */
    free(cx);
    free(ctx);
    free(cT);
    free(sp);
    free(want);
    free(out);
    crm_result_free(r);
    crm_config_free(cfg);
}

/* Calibration to 1997-09-30, holdout to 1998-06-30: the calibration summary
 * is CDNOW's, and the holdout counts are the purchase days after it. */
static void test_calibration_split(void **state) {
    (void)state;
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    crm_transactions v;
    crm_transactions_from_array(&v, cdnow, ncdnow, NULL);
    crm_result *r = NULL;
    assert_int_equal(crm_calibration_split(cfg, &v, end_of("1997-09-30"), end_of("1998-06-30"), &r, &err),
                     CRM_STATUS_OK);
    assert_int_equal(crm_result_rows(r), 2357);
    char path[1024];
    crm_csv e;
    crm_csv_read(&e, crm_test_data_path(path, sizeof path, "cdnow/cdnow_customers_summary.csv"));
    const double *x = crm_result_f64(r, CRM_COLUMN_X), *T = crm_result_f64(r, CRM_COLUMN_T);
    const int64_t *holdout = crm_result_i64(r, CRM_COLUMN_HOLDOUT_PURCHASES);
    assert_non_null(holdout);
    const double *hspend = crm_result_f64(r, CRM_COLUMN_HOLDOUT_SPEND);
    const double *hdur = crm_result_f64(r, CRM_COLUMN_HOLDOUT_DURATION);
    assert_non_null(hspend);
    assert_non_null(hdur);
    int64_t total = 0;
    double spend_total = 0;
    for (size_t i = 0; i < crm_result_rows(r); i++) {
        spend_total += hspend[i];
        assert_near(hdur[i], 273.0 / 7, 1e-12, 0); /* 1997-09-30 .. 1998-06-30 in weeks */
    }
    for (size_t row = 0; row < e.rows; row++) {
        int64_t i = crm_result_find(r, strtoull(crm_csv_at(&e, row, 0), NULL, 10));
        assert_true(i >= 0);
        assert_near(x[i], atof(crm_csv_at(&e, row, crm_csv_col(&e, "frequency"))), 0, 0);
        assert_near(T[i], atof(crm_csv_at(&e, row, crm_csv_col(&e, "T"))), 0.005 + 1e-9, 0);
        total += holdout[i];
    }
    /* Independent count of holdout purchase days from the raw records. */
    int64_t want = 0, cal_end = crm_test_day("1997-09-30"), hold_end = crm_test_day("1998-06-30");
    double want_spend = 0;
    for (size_t i = 0; i < ncdnow; i++) {
        int64_t day = cdnow[i].time / 86400;
        if (day <= cal_end || day > hold_end) continue;
        want_spend += cdnow[i].amount;
        int repeat = 0;
        for (size_t j = 0; j < i; j++)
            repeat |= cdnow[j].customer_id == cdnow[i].customer_id && cdnow[j].time / 86400 == day;
        want += !repeat;
    }
    assert_int_equal(total, want);
    assert_near(spend_total, want_spend, 1e-6, 1e-12);
    crm_csv_free(&e);
    crm_result_free(r);
    assert_int_equal(crm_calibration_split(cfg, &v, end_of("1998-06-30"), end_of("1997-09-30"), &r, &err),
                     CRM_STATUS_INVALID_ARGUMENT);
    crm_config_free(cfg);
}

/* Whole days, range checks and strict validation of the split. */
static void test_calibration_edges(void **state) {
    (void)state;
    const crm_transaction t[] = {
        {1, 1000 * 86400 + 9 * 3600, 10},
        {1, 1050 * 86400 + 15 * 3600, 10}, /* later on the calibration day */
        {1, 1060 * 86400, 10},
    };
    crm_transactions v;
    crm_transactions_from_array(&v, t, 3, NULL);
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "validation", "strict", &err), CRM_STATUS_OK);
    crm_result *r = NULL;
    /* calibration_end at noon of day 1050 stands for the whole day */
    assert_int_equal(crm_calibration_split(cfg, &v, 1050 * 86400 + 12 * 3600, 1100 * 86400, &r, &err),
                     CRM_STATUS_OK);
    assert_near(crm_result_f64(r, CRM_COLUMN_X)[0], 1, 0, 0);
    assert_int_equal(crm_result_i64(r, CRM_COLUMN_HOLDOUT_PURCHASES)[0], 1);
    assert_near(crm_result_f64(r, CRM_COLUMN_HOLDOUT_SPEND)[0], 10, 0, 0);
    assert_near(crm_result_f64(r, CRM_COLUMN_HOLDOUT_DURATION)[0], 50.0 / 7, 1e-12, 0);
    crm_result_free(r);
    /* a record after the holdout is bad under strict validation */
    assert_int_equal(crm_calibration_split(cfg, &v, 1050 * 86400, 1055 * 86400, &r, &err),
                     CRM_STATUS_BAD_RECORD);
    assert_int_equal(err.record, 2);
    /* times out of range */
    assert_int_equal(crm_calibration_split(cfg, &v, 1050 * 86400, INT64_MAX, &r, &err),
                     CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_calibration_split(cfg, &v, INT64_MIN, 1050 * 86400, &r, &err),
                     CRM_STATUS_INVALID_ARGUMENT);
    assert_null(r);
    crm_config_free(cfg);
}

/* Issue 10's degenerate analysis: YYYYMMDD integers read as epoch seconds
 * put every purchase within one day, so T = 0 for everyone. The analysis
 * succeeds; the purchase model is kept with NaN parameters and the reason,
 * and the model columns are NaN (not "converged after 0 iterations"). */
static void test_unidentified_in_analysis(void **state) {
    (void)state;
    enum { N = 40 };
    crm_transaction t[N];
    for (int i = 0; i < N; i++) {
        t[i].customer_id = (uint64_t)(i % 10) + 1;
        t[i].time = 20240101 + (i % 28);
        t[i].amount = 10 + i;
    }
    crm_config *cfg;
    assert_int_equal(crm_config_create(NULL, &cfg, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "model", "bgnbd", NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "spend_model", "1", NULL), CRM_STATUS_OK);
    crm_result *r = crm_test_analyze(cfg, t, N);
    const crm_model *m = crm_result_model(r, CRM_MODEL_KIND_BGNBD);
    assert_non_null(m);
    assert_int_equal(crm_model_status(m), CRM_STATUS_NOT_IDENTIFIED);
    assert_non_null(strstr(crm_model_message(m), "every T is 0"));
    assert_true(isnan(crm_model_param(m, 0)));
    assert_false(crm_model_converged(m));
    const crm_model *gg = crm_result_model(r, CRM_MODEL_KIND_GAMMA_GAMMA);
    assert_non_null(gg);
    assert_int_equal(crm_model_status(gg), CRM_STATUS_NOT_IDENTIFIED);
    for (size_t i = 0; i < crm_result_rows(r); i++) {
        assert_true(isnan(crm_result_f64(r, CRM_COLUMN_P_ALIVE)[i]));
        assert_true(isnan(crm_result_f64(r, CRM_COLUMN_EXPECTED_PURCHASES)[i]));
        assert_true(isnan(crm_result_f64(r, CRM_COLUMN_EXPECTED_SPEND)[i]));
        assert_true(isnan(crm_result_f64(r, CRM_COLUMN_CLV)[i]));
    }
    /* Predicting with it says why. */
    crm_model_data d;
    assert_int_equal(crm_model_data_init(&d, NULL), CRM_STATUS_OK);
    double x = 1, tx = 1, T = 2, out;
    d.x = &x;
    d.t_x = &tx;
    d.T = &T;
    d.count = 1;
    crm_error err;
    assert_int_equal(crm_model_p_alive(m, &d, &out, &err), CRM_STATUS_NOT_IDENTIFIED);
    assert_non_null(strstr(err.message, "every T is 0"));
    crm_result_free(r);
    crm_config_free(cfg);
}

typedef struct stop_at {
    int phase;    /* stop when this phase is reported */
    int calls[4]; /* reports per phase */
} stop_at;

/* Models fitted once (on the calibration period) value a later analysis
 * without a new fit: the later result's models are the given ones, its
 * p_alive is the given model's on its own rows, and the configuration's
 * copies travel with clones; a given model in another time unit is refused. */
static void test_given_models(void **state) {
    (void)state;
    crm_result *first = analyze("bgnbd", 1, 7); /* up to 1997-09-30 */
    const crm_model *bg = crm_result_model(first, CRM_MODEL_KIND_BGNBD);
    const crm_model *gg = crm_result_model(first, CRM_MODEL_KIND_GAMMA_GAMMA);
    assert_non_null(bg);
    assert_non_null(gg);
    crm_config *cfg, *clone;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, end_of("1998-06-30"), &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "model", "bgnbd", &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_SPEND_MODEL, 1, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_real(cfg, CRM_OPTION_TIME_UNIT_DAYS, 7, &err), CRM_STATUS_OK);
    /* Refused: a kind the model is not, a kind that is no model, no config. */
    assert_int_equal(crm_config_set_model(cfg, CRM_MODEL_KIND_PARETO_NBD, bg, &err),
                     CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_config_set_model(cfg, CRM_MODEL_KIND_NONE, NULL, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_config_set_model(NULL, CRM_MODEL_KIND_BGNBD, bg, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_config_set_model(cfg, CRM_MODEL_KIND_BGNBD, bg, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_model(cfg, CRM_MODEL_KIND_GAMMA_GAMMA, gg, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_clone(cfg, &clone, &err), CRM_STATUS_OK);
    crm_result_free(first); /* the configuration keeps its own copies */
    crm_result *later = crm_test_analyze(clone, cdnow, ncdnow);
    const crm_model *used = crm_result_model(later, CRM_MODEL_KIND_BGNBD);
    assert_non_null(used);
    const double want[4] = {0.242593, 4.413531, 0.792886, 2.425753}; /* the calibration fit */
    for (size_t i = 0; i < 4; i++) assert_near(crm_model_param(used, i), want[i], 0, 1e-4);
    const size_t n = crm_result_rows(later);
    const double *alive = crm_result_f64(later, CRM_COLUMN_P_ALIVE);
    crm_model_data d;
    assert_int_equal(crm_model_data_init(&d, NULL), CRM_STATUS_OK);
    d.count = n;
    d.x = crm_result_f64(later, CRM_COLUMN_X);
    d.t_x = crm_result_f64(later, CRM_COLUMN_T_X);
    d.T = crm_result_f64(later, CRM_COLUMN_T);
    d.x_stride = d.t_x_stride = d.T_stride = sizeof(double);
    double *want_alive = malloc(n * sizeof *want_alive);
    assert_int_equal(crm_model_p_alive(used, &d, want_alive, &err), CRM_STATUS_OK);
    for (size_t i = 0; i < n; i++) assert_true(alive[i] == want_alive[i]);
    free(want_alive);
    /* Without the given models the full period is fitted anew: other parameters. */
    assert_int_equal(crm_config_set_model(cfg, CRM_MODEL_KIND_BGNBD, NULL, &err), CRM_STATUS_OK);
    crm_result *refit = crm_test_analyze(cfg, cdnow, ncdnow);
    assert_true(fabs(crm_model_param(crm_result_model(refit, CRM_MODEL_KIND_BGNBD), 0) - want[0]) > 1e-3);
    /* A model in weeks does not value an analysis in days. */
    assert_int_equal(crm_config_set_real(clone, CRM_OPTION_TIME_UNIT_DAYS, 1, &err), CRM_STATUS_OK);
    crm_transactions tv;
    crm_result *bad = NULL;
    assert_int_equal(crm_transactions_from_array(&tv, cdnow, ncdnow, &err), CRM_STATUS_OK);
    assert_int_equal(crm_analyze(clone, &tv, NULL, NULL, &bad, &err), CRM_STATUS_MISMATCH);
    assert_null(bad);
    assert_non_null(strstr(err.message, "time_unit_days"));
    crm_result_free(later);
    crm_result_free(refit);
    crm_config_free(clone);
    crm_config_free(cfg);
}

static int stop_at_phase(void *opaque, int phase, int64_t done, int64_t total) {
    stop_at *s = opaque;
    assert_true(phase >= 0 && phase < 4);
    assert_true(done >= 0 && done <= total);
    s->calls[phase]++;
    return phase == s->phase;
}

/* The progress callback hears every stage of crm_analyze and the fit's
 * evaluations, and stops the analysis at any of them. */
static void test_analysis_progress_and_cancel(void **state) {
    (void)state;
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, end_of("1997-09-30"), NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "model", "pareto_nbd", NULL), CRM_STATUS_OK);
    crm_transactions view;
    assert_int_equal(crm_transactions_from_array(&view, cdnow, ncdnow, NULL), CRM_STATUS_OK);
    for (int phase = -1; phase < 4; phase++) {
        stop_at s = {phase, {0, 0, 0, 0}};
        assert_int_equal(crm_config_set_progress(cfg, stop_at_phase, &s, NULL), CRM_STATUS_OK);
        crm_result *r = NULL;
        crm_status st = crm_analyze(cfg, &view, NULL, NULL, &r, &err);
        if (phase < 0) {
            assert_int_equal(st, CRM_STATUS_OK);
            assert_int_equal(s.calls[CRM_PHASE_SUMMARIZE], 1);
            assert_int_equal(s.calls[CRM_PHASE_POPULATION], 1);
            assert_int_equal(s.calls[CRM_PHASE_SCORE], 2);
            assert_true(s.calls[CRM_PHASE_FIT] > 50);
            crm_result_free(r);
        } else {
            assert_int_equal(st, CRM_STATUS_CANCELLED);
            assert_int_equal(err.status, CRM_STATUS_CANCELLED);
            assert_null(r);
            assert_int_equal(s.calls[phase], 1);
        }
    }
    crm_config_free(cfg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bgnbd_in_analysis),
        cmocka_unit_test(test_time_unit_invariance),
        cmocka_unit_test(test_models_off_and_prospects_only),
        cmocka_unit_test(test_gamma_gamma_without_mean),
        cmocka_unit_test(test_clv_column_from_model),
        cmocka_unit_test(test_given_models),
        cmocka_unit_test(test_unidentified_in_analysis),
        cmocka_unit_test(test_analysis_progress_and_cancel),
        cmocka_unit_test(test_calibration_split),
        cmocka_unit_test(test_calibration_edges),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* test_bgbb.c - BG/BB (issue 10): the fit on the donations data of Fader,
 * Hardie & Shang (2010) against the published MLE and expectations, a
 * brute-force check of the likelihood and P(alive) by integration over p and
 * theta, the discrete-time row checks, and the generic functions (log-
 * likelihood rows, save/load, confidence intervals, probabilities) for the
 * kind; and tracking over calendar time (crm_model_expected_cumulative) on
 * CDNOW against the per-customer sum. */
#include "crm_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- donations (tests/data/cdnow/README.md) ---- */

typedef struct donations {
    size_t n;
    double x[32], tx[32], T[32], w[32];
} donations;

static void donations_load(donations *d) {
    char path[1024];
    crm_csv csv;
    crm_csv_read(&csv, crm_test_data_path(path, sizeof path, "cdnow/donations.csv"));
    size_t cx = crm_csv_col(&csv, "frequency"), ct = crm_csv_col(&csv, "recency");
    size_t cn = crm_csv_col(&csv, "periods"), cw = crm_csv_col(&csv, "weights");
    assert_true(csv.rows == 22);
    d->n = csv.rows;
    double total = 0;
    for (size_t i = 0; i < d->n; i++) {
        d->x[i] = strtod(crm_csv_at(&csv, i, cx), NULL);
        d->tx[i] = strtod(crm_csv_at(&csv, i, ct), NULL);
        d->T[i] = strtod(crm_csv_at(&csv, i, cn), NULL);
        d->w[i] = strtod(crm_csv_at(&csv, i, cw), NULL);
        total += d->w[i];
    }
    crm_csv_free(&csv);
    assert_true(total == 11104);
}

static crm_model_data donations_data(const donations *d) {
    crm_model_data m;
    assert_int_equal(crm_model_data_init(&m, NULL), CRM_STATUS_OK);
    m.x = d->x;
    m.t_x = d->tx;
    m.T = d->T;
    m.weight = d->w;
    m.count = d->n;
    return m;
}

static crm_model *fit_donations(void) {
    donations d;
    donations_load(&d);
    crm_model_data md = donations_data(&d);
    crm_model *m = NULL;
    crm_error err;
    crm_status st = crm_model_fit(NULL, CRM_MODEL_KIND_BGBB, &md, &m, &err);
    if (st != CRM_STATUS_OK) print_error("fit failed: %s\n", err.message);
    assert_int_equal(st, CRM_STATUS_OK);
    assert_true(crm_model_converged(m));
    return m;
}

/* A model data view of one row (x, t_x, n) held by the caller. */
static crm_model_data one_row(double *x, double *tx, double *n) {
    crm_model_data d;
    assert_int_equal(crm_model_data_init(&d, NULL), CRM_STATUS_OK);
    d.x = x;
    d.t_x = tx;
    d.T = n;
    d.count = 1;
    return d;
}

static double row1(const crm_model *m, int what, double t, double x, double tx, double n) {
    crm_model_data d = one_row(&x, &tx, &n);
    double out = NAN;
    crm_status st =
        what == 0 ? crm_model_p_alive(m, &d, &out, NULL) : crm_model_expected_purchases(m, t, &d, &out, NULL);
    assert_int_equal(st, CRM_STATUS_OK);
    return out;
}

/* ---- brute force: integration over p and theta ---- */

/* The individual likelihood of (x, t_x, n) (alive = 0) or the joint
 * probability of it and being alive at n+1 (alive = 1), by the midpoint rule
 * over p = sin^2 u and theta = sin^2 v (which turns the beta densities'
 * end-point singularities into bounded integrands for shapes above 1/2),
 * with the death time enumerated inside: alive for tau opportunities,
 * tau = t_x .. n. Nothing of the closed form is used. */
static double brute(const double *prm, double x, double tx, double n, int alive) {
    const int N = 1500;
    double a = prm[0], b = prm[1], g = prm[2], dl = prm[3];
    double lab = lgamma(a) + lgamma(b) - lgamma(a + b), lgd = lgamma(g) + lgamma(dl) - lgamma(g + dl);
    double h = (3.14159265358979323846 / 2) / N, sum = 0;
    for (int i = 0; i < N; i++) {
        double u = (i + 0.5) * h, s = sin(u), c = cos(u), p = s * s;
        /* beta(a, b) density times dp/du = 2 sin cos */
        double fp = 2 * exp((2 * a - 1) * log(s) + (2 * b - 1) * log(c) - lab);
        for (int j = 0; j < N; j++) {
            double v = (j + 0.5) * h, s2 = sin(v), c2 = cos(v), th = s2 * s2;
            double gt = 2 * exp((2 * g - 1) * log(s2) + (2 * dl - 1) * log(c2) - lgd);
            double lik;
            if (alive)
                lik = pow(p, x) * pow(1 - p, n - x) * pow(1 - th, n + 1);
            else {
                lik = pow(p, x) * pow(1 - p, n - x) * pow(1 - th, n);
                for (double tau = tx; tau < n; tau += 1)
                    lik += pow(p, x) * pow(1 - p, tau - x) * th * pow(1 - th, tau);
            }
            sum += fp * gt * lik;
        }
    }
    return sum * h * h;
}

static void test_bgbb_donations(void **state) {
    (void)state;
    crm_model *m = fit_donations();
    /* FHS 2010 / Hardie's note: 1.203522, 0.749716, 0.656718, 2.783443, LL -33225.581. */
    const double want[4] = {1.203522, 0.749716, 0.656718, 2.783443};
    for (size_t i = 0; i < 4; i++) assert_near(crm_model_param(m, i), want[i], 0, 2e-4);
    assert_near(crm_model_loglik(m), -33225.581, 2e-3, 0);
    for (size_t i = 0; i < 4; i++) {
        double se = crm_model_stderr(m, i);
        assert_true(se > 0 && se < want[i]);
    }
    assert_string_equal(crm_model_param_name(CRM_MODEL_KIND_BGBB, 0), "alpha");
    assert_string_equal(crm_model_param_name(CRM_MODEL_KIND_BGBB, 3), "delta");
    assert_int_equal(crm_model_param_count(CRM_MODEL_KIND_BGBB), 4);

    /* P(alive at n+1): 0.11, 0.59, 0.93 (FHS 2010). */
    assert_near(row1(m, 0, 0, 0, 0, 6), 0.11, 0.005, 0);
    assert_near(row1(m, 0, 0, 2, 4, 6), 0.59, 0.005, 0);
    assert_near(row1(m, 0, 0, 6, 6, 6), 0.93, 0.005, 0);
    /* Conditional expectations over the next 10 opportunities. */
    assert_near(row1(m, 1, 10, 0, 0, 6), 0.1302169, 0, 1e-4);
    assert_near(row1(m, 1, 10, 4, 5, 6), 3.627858, 0, 1e-4);
    /* Unconditional E[X(10)] of a new customer. */
    double e10 = NAN;
    assert_int_equal(crm_model_expected_purchases_new(m, 10, &e10, NULL), CRM_STATUS_OK);
    assert_near(e10, 3.179805, 0, 1e-4);
    /* The closed form for non-integer or long horizons against the sum. */
    double a = crm_model_param(m, 0), b = crm_model_param(m, 1), g = crm_model_param(m, 2),
           dl = crm_model_param(m, 3);
    double e20000 = NAN;
    assert_int_equal(crm_model_expected_purchases_new(m, 20000, &e20000, NULL), CRM_STATUS_OK);
    double sum = 0, term = 1; /* sum_{k=1}^{N} B(g, dl+k)/B(g, dl) */
    for (int k = 1; k <= 20000; k++) {
        term *= (dl + k - 1) / (g + dl + k - 1);
        sum += term;
    }
    assert_near(e20000, a / (a + b) * sum, 0, 1e-9);
    crm_model_free(m);
}

static void test_bgbb_brute_force(void **state) {
    (void)state;
    CRM_TEST_SKIP_UNDER_VALGRIND(); /* a 1500 x 1500 integration grid per row */
    const double prm[4] = {1.203522, 0.749716, 0.656718, 2.783443};
    crm_model *m = NULL;
    assert_int_equal(crm_model_from_params(NULL, CRM_MODEL_KIND_BGBB, prm, 4, &m, NULL), CRM_STATUS_OK);
    const double rows[4][3] = {{0, 0, 6}, {2, 4, 6}, {6, 6, 6}, {1, 1, 3}};
    for (size_t r = 0; r < 4; r++) {
        double x = rows[r][0], tx = rows[r][1], n = rows[r][2];
        crm_model_data d = one_row(&x, &tx, &n);
        double ll = NAN;
        assert_int_equal(crm_model_loglik_rows(m, &d, &ll, NULL, NULL), CRM_STATUS_OK);
        double L = brute(prm, x, tx, n, 0), A = brute(prm, x, tx, n, 1);
        assert_near(ll, log(L), 2e-3, 0);
        assert_near(row1(m, 0, 0, x, tx, n), A / L, 2e-3, 0);
    }
    /* P(X(t) = k) and P(X(n, n+t) = k | row) sum to 1 over k and match the means. */
    double tot = 0, mean = 0, ctot = 0, cmean = 0;
    double x = 2, tx = 4, n = 6;
    crm_model_data d = one_row(&x, &tx, &n);
    for (int64_t k = 0; k <= 8; k++) {
        double v = NAN, c = NAN;
        assert_int_equal(crm_model_prob_purchases(m, 7, k, &v, NULL), CRM_STATUS_OK);
        assert_int_equal(crm_model_prob_purchases_conditional(m, 7, k, &d, &c, NULL), CRM_STATUS_OK);
        tot += v;
        mean += (double)k * v;
        ctot += c;
        cmean += (double)k * c;
    }
    double e7 = NAN;
    assert_int_equal(crm_model_expected_purchases_new(m, 7, &e7, NULL), CRM_STATUS_OK);
    assert_near(tot, 1, 1e-12, 0);
    assert_near(mean, e7, 1e-12, 0);
    assert_near(ctot, 1, 1e-12, 0);
    assert_near(cmean, row1(m, 1, 7, x, tx, n), 1e-12, 0);
    /* Probabilities need whole horizons; alive paths are refused. */
    double v = NAN;
    assert_int_equal(crm_model_prob_purchases(m, 2.5, 1, &v, NULL), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_model_prob_purchases_conditional(m, 2.5, 1, &d, &v, NULL),
                     CRM_STATUS_INVALID_ARGUMENT);
    double times[2] = {0, 1}, path[2];
    assert_int_equal(crm_model_alive_path(m, times, 2, 1, 2, path, NULL), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_model_dert(m, 0.1, &d, &v, NULL), CRM_STATUS_INVALID_ARGUMENT);
    crm_model_free(m);
}

static void test_bgbb_bad_rows(void **state) {
    (void)state;
    const double prm[4] = {1, 1, 1, 1};
    crm_model *m = NULL;
    assert_int_equal(crm_model_from_params(NULL, CRM_MODEL_KIND_BGBB, prm, 4, &m, NULL), CRM_STATUS_OK);
    /* x > t_x, non-integer t_x, non-integer n, t_x > n, n beyond CRM_MODEL_OPPORTUNITIES_MAX
     * (the likelihood costs O(n - t_x): a fuzzer's n of 1e7 made a fit take minutes) */
    const double bad[5][3] = {{3, 2, 6}, {1, 1.5, 6}, {1, 1, 6.5}, {1, 7, 6}, {1, 1, 2e5}};
    for (size_t r = 0; r < 5; r++) {
        double x = bad[r][0], tx = bad[r][1], n = bad[r][2], out = NAN;
        crm_model_data d = one_row(&x, &tx, &n);
        crm_error err;
        assert_int_equal(crm_model_p_alive(m, &d, &out, &err), CRM_STATUS_BAD_RECORD);
        assert_int_equal(crm_model_loglik_rows(m, &d, &out, NULL, NULL), CRM_STATUS_BAD_RECORD);
        crm_model *f = NULL;
        assert_int_equal(crm_model_fit(NULL, CRM_MODEL_KIND_BGBB, &d, &f, NULL), CRM_STATUS_BAD_RECORD);
        assert_null(f);
    }
    /* The same rows are fine for the continuous-time models where they make sense. */
    double x = 3, tx = 2, n = 6, out = NAN;
    crm_model *bg = NULL;
    assert_int_equal(crm_model_from_params(NULL, CRM_MODEL_KIND_BGNBD, prm, 4, &bg, NULL), CRM_STATUS_OK);
    crm_model_data d = one_row(&x, &tx, &n);
    assert_int_equal(crm_model_p_alive(bg, &d, &out, NULL), CRM_STATUS_OK);
    /* Matrices: cells with x > t_x are NaN; a non-integer n is refused. */
    double xs[2] = {0, 3}, txs[2] = {2, 4}, grid[4];
    assert_int_equal(crm_model_p_alive_matrix(m, 6, xs, 2, txs, 2, grid, NULL), CRM_STATUS_OK);
    assert_true(isnan(grid[0]) && isnan(grid[2]) && isfinite(grid[3]));
    assert_int_equal(crm_model_p_alive_matrix(m, 6.5, xs, 2, txs, 2, grid, NULL),
                     CRM_STATUS_INVALID_ARGUMENT);
    /* Probability horizons are bounded (found by fuzz_model_fit: t = 1e15 never ended). */
    double p = NAN;
    assert_int_equal(crm_model_prob_purchases(m, 1e15, 1, &p, NULL), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_model_prob_purchases(m, CRM_MODEL_OPPORTUNITIES_MAX + 1, 1, &p, NULL),
                     CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_model_prob_purchases(m, 1000, 1, &p, NULL), CRM_STATUS_OK);
    assert_true(p > 0 && p < 1);
    double one_x = 1, one_tx = 1, one_n = 6;
    d.x = &one_x;
    d.t_x = &one_tx;
    d.T = &one_n;
    assert_int_equal(crm_model_prob_purchases_conditional(m, 1e15, 0, &d, &out, NULL),
                     CRM_STATUS_INVALID_ARGUMENT);
    crm_model_free(bg);
    crm_model_free(m);
}

static void test_bgbb_generic(void **state) {
    (void)state;
    crm_model *m = fit_donations();
    donations d;
    donations_load(&d);
    crm_model_data md = donations_data(&d);
    double total = NAN, rows[32];
    assert_int_equal(crm_model_loglik_rows(m, &md, rows, &total, NULL), CRM_STATUS_OK);
    assert_near(total, crm_model_loglik(m), 1e-8, 0);
    /* AIC, BIC, confidence intervals */
    assert_near(crm_model_aic(m), 8 - 2 * crm_model_loglik(m), 1e-9, 0);
    assert_near(crm_model_bic(m), 4 * log(11104.0) - 2 * crm_model_loglik(m), 1e-9, 0);
    double lo[4], hi[4];
    assert_int_equal(crm_model_confint(m, 0.95, 0, lo, hi, NULL), CRM_STATUS_OK);
    for (size_t i = 0; i < 4; i++)
        assert_true(lo[i] < crm_model_param(m, i) && crm_model_param(m, i) < hi[i]);
    /* save / load */
    size_t size = 0;
    assert_int_equal(crm_model_save(m, NULL, 0, &size, NULL), CRM_STATUS_SHORT_BUFFER);
    unsigned char *buf = malloc(size);
    assert_non_null(buf);
    assert_int_equal(crm_model_save(m, buf, size, &size, NULL), CRM_STATUS_OK);
    crm_model *back = NULL;
    assert_int_equal(crm_model_load(NULL, buf, size, &back, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_model_kind_of(back), CRM_MODEL_KIND_BGBB);
    for (size_t i = 0; i < 4; i++) assert_true(crm_model_param(back, i) == crm_model_param(m, i));
    assert_true(row1(back, 0, 0, 2, 4, 6) == row1(m, 0, 0, 2, 4, 6));
    free(buf);
    crm_model_free(back);
    crm_model_free(m);
}

/* CDNOW (weeks): births max(T) - T as BTYD's bgnbd.ExpectedCumulativeTransactions
 * takes them; the cumulative expectation at each week against the sum of
 * every customer's E[X(age)], and a sanity check against the 2,457 repeat
 * transactions of the calibration period. */
static void test_expected_cumulative(void **state) {
    (void)state;
    char path[1024];
    crm_csv csv;
    crm_csv_read(&csv, crm_test_data_path(path, sizeof path, "cdnow/cdnow_customers_summary.csv"));
    size_t cT = crm_csv_col(&csv, "T"), n = csv.rows;
    double *birth = malloc(n * sizeof *birth), maxT = 0;
    assert_non_null(birth);
    for (size_t i = 0; i < n; i++) {
        birth[i] = strtod(crm_csv_at(&csv, i, cT), NULL);
        if (birth[i] > maxT) maxT = birth[i];
    }
    crm_csv_free(&csv);
    for (size_t i = 0; i < n; i++) birth[i] = maxT - birth[i];
    const double prm[4] = {0.243, 4.414, 0.793, 2.426};
    crm_model *m = NULL;
    assert_int_equal(crm_model_from_params(NULL, CRM_MODEL_KIND_BGNBD, prm, 4, &m, NULL), CRM_STATUS_OK);
    double times[79], cum[79];
    for (int j = 0; j <= 78; j++) times[j] = j;
    times[39] = maxT; /* the end of calibration */
    assert_int_equal(crm_model_expected_cumulative(m, birth, n, times, 79, cum, NULL), CRM_STATUS_OK);
    assert_true(cum[0] == 0);
    for (int j = 1; j <= 78; j++) {
        assert_true(cum[j] >= cum[j - 1]);
        if (j % 13 != 0 && j != 39) continue;
        double ref = 0;
        for (size_t i = 0; i < n; i++) {
            double e = 0;
            if (times[j] > birth[i])
                assert_int_equal(crm_model_expected_purchases_new(m, times[j] - birth[i], &e, NULL),
                                 CRM_STATUS_OK);
            ref += e;
        }
        assert_near(cum[j], ref, 0, 1e-12);
    }
    assert_near(cum[39], 2457, 0, 0.05);
    /* one customer born at 0 is E[X(t)]; BG/BB works in opportunities */
    double b0 = 0, t7 = 7, one = NAN, e7 = NAN;
    assert_int_equal(crm_model_expected_cumulative(m, &b0, 1, &t7, 1, &one, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_model_expected_purchases_new(m, 7, &e7, NULL), CRM_STATUS_OK);
    assert_true(one == e7);
    /* bad arguments */
    double nan_birth = NAN;
    assert_int_equal(crm_model_expected_cumulative(m, &nan_birth, 1, &t7, 1, &one, NULL),
                     CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_model_expected_cumulative(m, NULL, 1, &t7, 1, &one, NULL),
                     CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_model_expected_cumulative(NULL, &b0, 1, &t7, 1, &one, NULL),
                     CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_model_expected_cumulative(m, &b0, 0, &t7, 1, &one, NULL), CRM_STATUS_OK);
    assert_true(one == 0);
    crm_model_free(m);
    const double gg[3] = {6.25, 3.74, 15.44};
    assert_int_equal(crm_model_from_params(NULL, CRM_MODEL_KIND_GAMMA_GAMMA, gg, 3, &m, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_model_expected_cumulative(m, &b0, 1, &t7, 1, &one, NULL),
                     CRM_STATUS_INVALID_ARGUMENT);
    crm_model_free(m);
    const double bb[4] = {1.203522, 0.749716, 0.656718, 2.783443};
    assert_int_equal(crm_model_from_params(NULL, CRM_MODEL_KIND_BGBB, bb, 4, &m, NULL), CRM_STATUS_OK);
    double births[2] = {0, 3}, t10 = 10, two = NAN, e3 = NAN;
    assert_int_equal(crm_model_expected_cumulative(m, births, 2, &t10, 1, &two, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_model_expected_purchases_new(m, 10, &e7, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_model_expected_purchases_new(m, 7, &e3, NULL), CRM_STATUS_OK);
    assert_near(two, e7 + e3, 0, 1e-14);
    crm_model_free(m);
    free(birth);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bgbb_donations),      cmocka_unit_test(test_bgbb_brute_force),
        cmocka_unit_test(test_bgbb_bad_rows),       cmocka_unit_test(test_bgbb_generic),
        cmocka_unit_test(test_expected_cumulative),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* fuzz_model_fit: crm_model_fit of every kind on arbitrary (x, t_x, T,
 * spend, weight), then every per-row prediction on the same rows. A fit
 * either fails with a status or gives a model; predictions on rows the fit
 * accepted never crash. The fit budget is kept small so units stay fast. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static double fz_model_value(fz_reader *r) {
    static const double special[] = {0, 1, 2, 0.5, 1e7, 1e15, -1, 4.9e-324, 1e308, 52};
    uint8_t sel = fz_u8(r);
    if (sel < 10) return special[sel];
    if (sel == 10) return NAN;
    if (sel == 11) return INFINITY;
    if (sel < 24) return fz_f64(r);
    return (double)(sel % 64);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_reader r = {data, size};
    crm_config *config = NULL;
    if (crm_config_create(NULL, &config, NULL) != CRM_STATUS_OK) abort();
    (void)crm_config_set_int(config, CRM_OPTION_MAX_EVALUATIONS, 2000, NULL);
    (void)crm_config_set_int(config, CRM_OPTION_MAX_ITERATIONS, 200, NULL);
    if (fz_u8(&r) & 1) (void)crm_config_set_real(config, CRM_OPTION_L2_PENALTY, fz_model_value(&r), NULL);
    if (fz_u8(&r) & 1) (void)crm_config_set_int(config, CRM_OPTION_SPEND_Q_CONSTRAINT, 1, NULL);
    int kind = fz_u8(&r) % 7; /* 1..5 the model kinds (5: BG/BB), 0 and 6 not kinds */
    size_t n = fz_u8(&r) % 48;
    int with_weight = fz_u8(&r) & 1;
    double *col = calloc(5 * (n + 1), sizeof *col);
    if (!col) abort();
    double *x = col, *tx = col + n + 1, *T = col + 2 * (n + 1), *spend = col + 3 * (n + 1),
           *w = col + 4 * (n + 1);
    for (size_t i = 0; i < n; i++) {
        x[i] = fz_model_value(&r);
        tx[i] = fz_model_value(&r);
        T[i] = fz_model_value(&r);
        spend[i] = fz_model_value(&r);
        w[i] = with_weight ? fz_model_value(&r) : 1;
    }
    crm_model_data md;
    FZ_CHECK(crm_model_data_init(&md, NULL) == CRM_STATUS_OK);
    md.count = n;
    md.x = x;
    md.t_x = tx;
    md.T = T;
    md.spend = spend;
    md.weight = with_weight ? w : NULL;
    crm_model *model = NULL;
    crm_error err;
    crm_status st = crm_model_fit(config, kind, &md, &model, &err);
    if (kind == 0 || kind == 6) FZ_CHECK(st == CRM_STATUS_INVALID_ARGUMENT);
    if (st == CRM_STATUS_BAD_RECORD) FZ_CHECK(err.record >= 0 && (size_t)err.record < n);
    if (model) {
        FZ_CHECK(st == CRM_STATUS_OK || st == CRM_STATUS_NOT_CONVERGED);
        double *out = calloc(n + 1, sizeof *out);
        if (!out) abort();
        (void)crm_model_p_alive(model, &md, out, NULL);
        (void)crm_model_expected_purchases(model, fz_model_value(&r), &md, out, NULL);
        (void)crm_model_expected_spend(model, &md, out, NULL);
        (void)crm_model_prob_purchases(model, fz_model_value(&r), fz_u8(&r), out, NULL);
        (void)crm_model_loglik_rows(model, &md, out, NULL, NULL);
        (void)crm_model_clv(model, model, config, &md, out, NULL);
        double lo[4], hi[4];
        (void)crm_model_confint(model, 0.95, 1, lo, hi, NULL);
        (void)lo;
        (void)hi;
        /* Saved and loaded, the model is the same. */
        unsigned char buf[512];
        size_t len = 0;
        FZ_CHECK(crm_model_save(model, buf, sizeof buf, &len, NULL) == CRM_STATUS_OK);
        crm_model *back = NULL;
        FZ_CHECK(crm_model_load(config, buf, len, &back, NULL) == CRM_STATUS_OK);
        for (size_t i = 0; i < crm_model_param_count(kind); i++) {
            double a = crm_model_param(model, i), b = crm_model_param(back, i);
            FZ_CHECK(memcmp(&a, &b, sizeof a) == 0);
        }
        crm_model_free(back);
        free(out);
        crm_model_free(model);
    }
    free(col);
    crm_config_free(config);
    return 0;
}

/* fuzz_rules: segment rule tables and cut points. A table the
 * configuration accepts must then give an analysis whose segment column
 * holds 1 + a rule index for every scored customer, with the rule's name as
 * its label; a rejected table must leave the previous map in place. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {"champions", "", "at risk", "x", "lost"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_reader r = {data, size};
    crm_config *config = NULL;
    if (crm_config_create(NULL, &config, NULL) != CRM_STATUS_OK) abort();
    int64_t k = 2 + fz_u8(&r) % 9;
    FZ_CHECK(crm_config_set_int(config, CRM_OPTION_RFM_BINS, k, NULL) == CRM_STATUS_OK);
    size_t n = fz_u8(&r) % 40;
    crm_segment_rule rules[40];
    for (size_t i = 0; i < n; i++) {
        uint8_t nm = fz_u8(&r);
        rules[i].name = nm == 255 ? NULL : names[nm % 5];
        int32_t *b = &rules[i].r_min;
        for (int j = 0; j < 6; j++) {
            uint8_t v = fz_u8(&r);
            b[j] = v >= 250 ? (int32_t)fz_u64(&r) : v % 13 - 1;
        }
    }
    crm_error err;
    crm_status st = crm_config_set_segment_rules(config, n ? rules : NULL, n, &err);
    FZ_CHECK(st == CRM_STATUS_OK || st == CRM_STATUS_BAD_RULES || st == CRM_STATUS_INVALID_ARGUMENT);
    FZ_CHECK(memchr(err.message, 0, sizeof err.message) != NULL);
    int rules_set = st == CRM_STATUS_OK && n > 0;
    /* Cut points of one dimension, any count. */
    double cuts[12];
    size_t nc = fz_u8(&r) % 12;
    for (size_t i = 0; i < nc; i++) cuts[i] = fz_amount(&r);
    int dim = fz_u8(&r) % 4;
    (void)crm_config_set_cut_points(config, dim, nc ? cuts : NULL, nc, NULL);
    if (fz_u8(&r) & 1) (void)crm_config_set_int(config, CRM_OPTION_RFM_BINS, 2 + fz_u8(&r) % 9, NULL);
    fz_records rec;
    fz_records_read(&r, &rec);
    fz_views v;
    fz_views_make(&rec, &v);
    crm_result *res = NULL;
    st = crm_analyze(config, &v.t, &v.i, &v.c, &res, &err);
    if (st == CRM_STATUS_OK) {
        size_t given[4] = {0, rec.nt, rec.ni, rec.nc};
        fz_check_result(res, given);
        const int32_t *seg = crm_result_i32(res, CRM_COLUMN_SEGMENT);
        int32_t labels = crm_result_label_count(res, CRM_COLUMN_SEGMENT);
        if (rules_set && seg) FZ_CHECK(labels == (int32_t)n + 1);
        for (size_t row = 0; seg && row < crm_result_rows(res); row++) {
            FZ_CHECK(seg[row] >= 0 && seg[row] < labels);
            if (seg[row] > 0) FZ_CHECK(crm_result_label(res, CRM_COLUMN_SEGMENT, seg[row]) != NULL);
        }
        crm_result_free(res);
    }
    fz_records_free(&rec);
    crm_config_free(config);
    return 0;
}

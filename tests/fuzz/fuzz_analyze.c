/* fuzz_analyze: crm_analyze on arbitrary records and options. Every input
 * must give a status; a result must account for every record given
 * (accepted + rejected = total, per input) and have every column readable;
 * a strict-validation failure must name a record that exists. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_reader r = {data, size};
    crm_config *config = NULL;
    if (crm_config_create(NULL, &config, NULL) != CRM_STATUS_OK) abort();
    fz_options(&r, config, fz_u8(&r) % 6);
    uint8_t which = fz_u8(&r);
    fz_records rec;
    fz_records_read(&r, &rec);
    fz_views v;
    fz_views_make(&rec, &v);
    const crm_transactions *t = (which & 1) ? &v.t : NULL;
    const crm_interactions *in = (which & 2) ? &v.i : NULL;
    const crm_customers *c = (which & 4) ? &v.c : NULL;
    crm_result *res = NULL;
    crm_error err;
    crm_status st = crm_analyze(config, t, in, c, &res, &err);
    FZ_CHECK(err.status == (int32_t)st);
    FZ_CHECK(err.message[sizeof err.message - 1] == '\0' || memchr(err.message, 0, sizeof err.message));
    if (st == CRM_STATUS_OK) {
        FZ_CHECK(res != NULL);
        size_t given[4] = {0, t ? rec.nt : 0, in ? rec.ni : 0, c ? rec.nc : 0};
        fz_check_result(res, given);
        crm_result_free(res);
    } else {
        FZ_CHECK(res == NULL);
        if (!t && !in && !c) FZ_CHECK(st == CRM_STATUS_INVALID_ARGUMENT);
        if (st == CRM_STATUS_BAD_RECORD) {
            size_t n = err.input == CRM_INPUT_TRANSACTIONS   ? rec.nt
                       : err.input == CRM_INPUT_INTERACTIONS ? rec.ni
                       : err.input == CRM_INPUT_CUSTOMERS    ? rec.nc
                                                             : 0;
            FZ_CHECK(err.record >= 0 && (size_t)err.record < n);
            FZ_CHECK(err.reason > 0);
        }
    }
    fz_records_free(&rec);
    crm_config_free(config);
    return 0;
}

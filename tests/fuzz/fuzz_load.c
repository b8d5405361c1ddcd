/* fuzz_load: crm_model_load and crm_state_load on arbitrary bytes (the
 * first byte chooses: bit 0 model or state, bit 1 a state's configuration
 * enabling BG/NBD and Gamma-Gamma, so that a kept fit is used). Nothing
 * past the given size may be read (the bytes are copied into a buffer of
 * exactly that size, so ASan sees any overread). A model that loads must
 * save back to the same bytes; a state that loads must save to bytes that
 * load again with the same models and fit time (not byte-equal: a varint
 * may have more bytes than it needs), and give a result whose record
 * account adds up. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    int which = data[0] & 1;
    size_t n = size - 1;
    unsigned char *bytes = malloc(n ? n : 1);
    if (!bytes) abort();
    memcpy(bytes, data + 1, n);
    crm_error err;
    if (which == 0) {
        crm_model *model = NULL;
        crm_status st = crm_model_load(NULL, bytes, n, &model, &err);
        FZ_CHECK((st == CRM_STATUS_OK) == (model != NULL));
        if (model) {
            size_t len = 0;
            FZ_CHECK(crm_model_save(model, NULL, 0, &len, NULL) == CRM_STATUS_SHORT_BUFFER);
            unsigned char *again = malloc(len);
            if (!again) abort();
            FZ_CHECK(crm_model_save(model, again, len, &len, NULL) == CRM_STATUS_OK);
            FZ_CHECK(len == n && memcmp(again, bytes, n) == 0);
            (void)crm_model_message(model);
            for (size_t i = 0; i < crm_model_param_count(crm_model_kind_of(model)); i++)
                (void)crm_model_param(model, i);
            free(again);
            crm_model_free(model);
        } else {
            FZ_CHECK(st == CRM_STATUS_CORRUPT || st == CRM_STATUS_VERSION);
        }
    } else {
        crm_config *cfg = NULL;
        if (data[0] & 2) {
            if (crm_config_create(NULL, &cfg, NULL) != CRM_STATUS_OK) abort();
            FZ_CHECK(crm_config_set_int(cfg, CRM_OPTION_MODEL, CRM_MODEL_KIND_BGNBD, NULL) == CRM_STATUS_OK);
            FZ_CHECK(crm_config_set_int(cfg, CRM_OPTION_SPEND_MODEL, 1, NULL) == CRM_STATUS_OK);
        }
        crm_state_handle *state = NULL;
        crm_status st = crm_state_load(cfg, bytes, n, &state, &err);
        FZ_CHECK((st == CRM_STATUS_OK) == (state != NULL));
        if (state) {
            size_t len = 0;
            (void)crm_state_save(state, NULL, 0, &len, NULL);
            unsigned char *again = malloc(len ? len : 1);
            if (!again) abort();
            FZ_CHECK(crm_state_save(state, again, len, &len, NULL) == CRM_STATUS_OK);
            free(again); /* not byte-equal: a varint may have more bytes than it needs */
            crm_result *res = NULL;
            if (crm_state_result(state, INT64_MIN, &res, NULL) == CRM_STATUS_OK) {
                int32_t fates = crm_enum_count(CRM_ENUM_FATE);
                for (int input = CRM_INPUT_TRANSACTIONS; input <= CRM_INPUT_CUSTOMERS; input++) {
                    int64_t sum = 0;
                    for (int fate = 0; fate < fates; fate++) sum += crm_result_records(res, input, fate);
                    FZ_CHECK(sum == crm_result_records_total(res, input));
                }
                crm_result_free(res);
            }
            crm_state_free(state);
        } else {
            /* MISMATCH: stored day_offset / survey_scale_max differ from the defaults */
            FZ_CHECK(st == CRM_STATUS_CORRUPT || st == CRM_STATUS_VERSION || st == CRM_STATUS_MISMATCH);
        }
        crm_config_free(cfg);
    }
    free(bytes);
    return 0;
}

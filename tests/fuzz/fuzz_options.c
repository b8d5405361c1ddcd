/* fuzz_options: option setting by name and text (crm_config_set_text), by
 * id (set_int, set_real), reading back, reset and clone. A successful set
 * must read back inside the option's bounds; a failed one must leave the
 * option unchanged. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    crm_config *config = NULL;
    if (crm_config_create(NULL, &config, NULL) != CRM_STATUS_OK) abort();
    int32_t options = crm_enum_count(CRM_ENUM_OPTION);
    /* The input: "name\0value\0name\0value..." for set_text, then the tail
     * as (id, int|real) settings. */
    char *text = malloc(size + 1);
    if (!text) abort();
    memcpy(text, data, size);
    text[size] = '\0';
    size_t pos = 0;
    for (int pair = 0; pair < 8 && pos < size; pair++) {
        const char *name = text + pos;
        pos += strlen(name) + 1;
        if (pos > size) break;
        const char *value = text + pos;
        pos += strlen(value) + 1;
        int32_t id = crm_enum_value(CRM_ENUM_OPTION, name);
        double before = NAN, after = NAN;
        if (id >= 0) FZ_CHECK(crm_config_get_real(config, id, &before, NULL) == CRM_STATUS_OK || id == 0);
        crm_error err;
        crm_status st = crm_config_set_text(config, name, value, &err);
        FZ_CHECK(st == CRM_STATUS_OK || st == CRM_STATUS_BAD_OPTION);
        FZ_CHECK(memchr(err.message, 0, sizeof err.message) != NULL);
        if (st == CRM_STATUS_OK) {
            FZ_CHECK(id >= 0);
            double lo = 0, hi = 0;
            FZ_CHECK(crm_option_bounds(id, &lo, &hi, NULL) == CRM_STATUS_OK);
            FZ_CHECK(crm_config_get_real(config, id, &after, NULL) == CRM_STATUS_OK);
            FZ_CHECK(after >= lo && after <= hi);
        } else if (id >= 0) {
            FZ_CHECK(crm_config_get_real(config, id, &after, NULL) == CRM_STATUS_OK || id == 0);
            FZ_CHECK(memcmp(&before, &after, sizeof before) == 0);
        }
    }
    fz_reader r = {data + (pos < size ? pos : size), pos < size ? size - pos : 0};
    while (r.n > 0) {
        int64_t raw = fz_i64(&r);
        int option = (int)(raw % (options + 4)) - 2; /* unknown ids on both sides */
        double before = NAN;
        int known = crm_config_get_real(config, option, &before, NULL) == CRM_STATUS_OK;
        crm_status st = (fz_u8(&r) & 1) ? crm_config_set_int(config, option, fz_i64(&r), NULL)
                                        : crm_config_set_real(config, option, fz_f64(&r), NULL);
        if (option < 0 || option >= options) FZ_CHECK(st == CRM_STATUS_INVALID_ARGUMENT);
        if (st != CRM_STATUS_OK && known) {
            double after = NAN;
            FZ_CHECK(crm_config_get_real(config, option, &after, NULL) == CRM_STATUS_OK);
            FZ_CHECK(memcmp(&before, &after, sizeof before) == 0);
        }
        if (fz_u8(&r) == 7) (void)crm_config_reset(config, option, NULL);
    }
    crm_config *copy = NULL;
    FZ_CHECK(crm_config_clone(config, &copy, NULL) == CRM_STATUS_OK);
    for (int option = 1; option < options; option++) {
        double a = NAN, b = NAN;
        FZ_CHECK(crm_config_get_real(config, option, &a, NULL) == CRM_STATUS_OK);
        FZ_CHECK(crm_config_get_real(copy, option, &b, NULL) == CRM_STATUS_OK);
        FZ_CHECK(memcmp(&a, &b, sizeof a) == 0);
    }
    crm_config_free(copy);
    crm_config_free(config);
    free(text);
    return 0;
}

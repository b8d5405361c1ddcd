/* fuzz_population: crm_population_load on arbitrary bytes (default
 * configuration). Nothing past the given size may be read (the bytes are
 * copied into a buffer of exactly that size, so ASan sees any overread);
 * whatever loads must save back to the same bytes, and an unfinished
 * population must finish or fail cleanly. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    unsigned char *bytes = malloc(size ? size : 1);
    if (!bytes) abort();
    if (size) memcpy(bytes, data, size);
    crm_error err;
    crm_population *p = NULL;
    crm_status st = crm_population_load(NULL, bytes, size, &p, &err);
    FZ_CHECK((st == CRM_STATUS_OK) == (p != NULL));
    if (p) {
        size_t len = 0;
        FZ_CHECK(crm_population_save(p, NULL, 0, &len, NULL) == CRM_STATUS_OK);
        unsigned char *again = malloc(len ? len : 1);
        if (!again) abort();
        FZ_CHECK(crm_population_save(p, again, len, &len, NULL) == CRM_STATUS_OK);
        FZ_CHECK(len == size && memcmp(again, bytes, size) == 0);
        free(again);
        (void)crm_population_finish(p, NULL);
        crm_population_free(p);
    } else {
        FZ_CHECK(st == CRM_STATUS_CORRUPT || st == CRM_STATUS_VERSION || st == CRM_STATUS_MISMATCH);
    }
    free(bytes);
    return 0;
}

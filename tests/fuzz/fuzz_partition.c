/* fuzz_partition: the partitioned pipeline (crm_summarize of each
 * partition, one population, crm_score of each) against one crm_analyze
 * over everything: every row of every partition must equal the row of the
 * same customer in the single result, bit for bit, in every column, and
 * every customer must be in exactly one partition. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PARTS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_reader r = {data, size};
    crm_config *config = NULL;
    if (crm_config_create(NULL, &config, NULL) != CRM_STATUS_OK) abort();
    fz_options(&r, config, fz_u8(&r) % 5);
    /* Partitions share the as-of time: set it (the default depends on the data). */
    int64_t as_of = 1704067200 + (int64_t)fz_i16(&r) * 3600;
    (void)crm_config_set_int(config, CRM_OPTION_AS_OF, as_of, NULL);
    /* Strict validation would fail per partition at different records: skip. */
    (void)crm_config_set_int(config, CRM_OPTION_VALIDATION, CRM_VALIDATION_SKIP, NULL);
    size_t parts = 1 + fz_u8(&r) % MAX_PARTS;
    fz_records all;
    fz_records_read(&r, &all);
    fz_views v;
    fz_views_make(&all, &v);
    crm_result *whole = NULL;
    crm_status st = crm_analyze(config, &v.t, &v.i, &v.c, &whole, NULL);
    if (st != CRM_STATUS_OK) {
        FZ_CHECK(whole == NULL);
        fz_records_free(&all);
        crm_config_free(config);
        return 0;
    }
    size_t given[4] = {0, all.nt, all.ni, all.nc};
    fz_check_result(whole, given);

    fz_records sub[MAX_PARTS];
    crm_summary *sum[MAX_PARTS] = {0};
    crm_population *pop = NULL;
    FZ_CHECK(crm_population_create(config, &pop, NULL) == CRM_STATUS_OK);
    for (size_t p = 0; p < parts; p++) {
        fz_records_part(&all, parts, p, &sub[p]);
        fz_views pv;
        fz_views_make(&sub[p], &pv);
        crm_status ps = crm_summarize(config, &pv.t, &pv.i, &pv.c, &sum[p], NULL);
        FZ_CHECK(ps == CRM_STATUS_OK || ps == CRM_STATUS_NO_DATA);
        if (ps == CRM_STATUS_OK) FZ_CHECK(crm_population_add(pop, sum[p], NULL) == CRM_STATUS_OK);
    }
    FZ_CHECK(crm_population_finish(pop, NULL) == CRM_STATUS_OK);
    int32_t columns = crm_enum_count(CRM_ENUM_COLUMN);
    size_t rows_seen = 0;
    for (size_t p = 0; p < parts; p++) {
        if (!sum[p]) continue;
        crm_result *res = NULL;
        FZ_CHECK(crm_score(pop, sum[p], &res, NULL) == CRM_STATUS_OK);
        size_t rows = crm_result_rows(res);
        rows_seen += rows;
        const uint64_t *ids = crm_result_u64(res, CRM_COLUMN_CUSTOMER_ID);
        for (int col = 0; col < columns; col++) {
            FZ_CHECK(crm_result_has_column(res, col) == crm_result_has_column(whole, col));
            if (!crm_result_has_column(res, col)) continue;
            int type = 0;
            const void *a = NULL, *b = NULL;
            FZ_CHECK(crm_result_column(res, col, &type, &a, NULL) == CRM_STATUS_OK);
            FZ_CHECK(crm_result_column(whole, col, &type, &b, NULL) == CRM_STATUS_OK);
            size_t esize = type == CRM_TYPE_I32 ? 4 : 8;
            for (size_t row = 0; row < rows; row++) {
                int64_t at = crm_result_find(whole, ids[row]);
                FZ_CHECK(at >= 0);
                if (memcmp((const char *)a + row * esize, (const char *)b + (size_t)at * esize, esize) != 0) {
                    fprintf(stderr, "partition %zu of %zu: customer %llu differs in column %s\n", p, parts,
                            (unsigned long long)ids[row], crm_enum_name(CRM_ENUM_COLUMN, col));
                    abort();
                }
            }
        }
        crm_result_free(res);
    }
    FZ_CHECK(rows_seen == crm_result_rows(whole));
    crm_population_free(pop);
    for (size_t p = 0; p < parts; p++) {
        crm_summary_free(sum[p]);
        fz_records_free(&sub[p]);
    }
    crm_result_free(whole);
    fz_records_free(&all);
    crm_config_free(config);
    return 0;
}

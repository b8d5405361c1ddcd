/* crm_compare.h - comparing result tables bit for bit in tests. Header-only
 * and public-API-only, so that a test built against the shared library
 * without the support library (test_determinism_shared) can use it too. */
#ifndef CRM_COMPARE_H
#define CRM_COMPARE_H

#include <setjmp.h> /* what cmocka.h needs before it */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crmkit.h"

/* Bytes per value of a column. */
static inline size_t crm_compare_elem_size(int column) {
    return crm_column_type(column) == CRM_TYPE_I32 ? 4 : 8;
}

/* Row ra of a equals row rb of b in every column, bit for bit. */
static inline void crm_compare_rows(const crm_result *a, size_t ra, const crm_result *b, size_t rb) {
    for (int c = 0; c < crm_enum_count(CRM_ENUM_COLUMN); c++) {
        assert_int_equal(crm_result_has_column(a, c), crm_result_has_column(b, c));
        if (!crm_result_has_column(a, c)) continue;
        int type;
        const void *da, *db;
        assert_int_equal(crm_result_column(a, c, &type, &da, NULL), CRM_STATUS_OK);
        assert_int_equal(crm_result_column(b, c, &type, &db, NULL), CRM_STATUS_OK);
        size_t s = crm_compare_elem_size(c);
        if (memcmp((const char *)da + ra * s, (const char *)db + rb * s, s) != 0) {
            print_error("column %s differs at rows %zu / %zu\n", crm_enum_name(CRM_ENUM_COLUMN, c), ra, rb);
            fail();
        }
    }
}

/* Score one partition's summary with the finished population and compare
 * each row with the same customer's row of whole (one analysis of every
 * partition); returns the partition's row count. */
static inline size_t crm_compare_partition(const crm_population *pop, const crm_summary *summary,
                                           const crm_result *whole) {
    crm_result *r = NULL;
    assert_int_equal(crm_score(pop, summary, &r, NULL), CRM_STATUS_OK);
    const uint64_t *ids = crm_result_u64(r, CRM_COLUMN_CUSTOMER_ID);
    for (size_t i = 0; i < crm_result_rows(r); i++) {
        int64_t j = crm_result_find(whole, ids[i]);
        assert_true(j >= 0);
        crm_compare_rows(r, i, whole, (size_t)j);
    }
    size_t rows = crm_result_rows(r);
    crm_result_free(r);
    return rows;
}

#endif /* CRM_COMPARE_H */

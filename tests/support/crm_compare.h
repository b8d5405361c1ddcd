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

#endif /* CRM_COMPARE_H */

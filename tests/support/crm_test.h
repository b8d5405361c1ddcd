/* crm_test.h - helpers shared by the cmocka test executables. */
#ifndef CRM_TEST_H
#define CRM_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "crmkit.h"

/* The few tests that take seconds natively (model fits at their limits,
 * every corrupted byte of a saved state) would take many minutes under
 * valgrind; tests/run.sh's valgrind stage sets CRM_TEST_UNDER_VALGRIND and
 * they skip there. They still run in the debug and sanitizer stages. */
#define CRM_TEST_SKIP_UNDER_VALGRIND()                                                                       \
    do {                                                                                                     \
        if (getenv("CRM_TEST_UNDER_VALGRIND")) {                                                             \
            print_message("skipped under valgrind (runs in the debug and sanitizer stages)\n");              \
            skip();                                                                                          \
        }                                                                                                    \
    } while (0)

/* Double comparison with a printed message (cmocka 1.1.5 has no
 * assert_double_equal and its float assertion casts to float). Passes when
 * |a - b| <= abs_tol or |a - b| <= rel_tol * max(|a|, |b|); NaN equals NaN. */
void crm_test_near_impl(double actual, double expected, double abs_tol, double rel_tol, const char *what,
                        const char *file, int line);
#define assert_near(actual, expected, abs_tol, rel_tol)                                                      \
    crm_test_near_impl((actual), (expected), (abs_tol), (rel_tol), #actual, __FILE__, __LINE__)

/* Path of a file under the test data folder (tests/data of the source tree,
 * or the CMake cache variable CRM_TEST_DATA_DIR), written into buf. Returns buf. */
const char *crm_test_data_path(char *buf, size_t size, const char *relative);

/* A CSV file read whole: rows x cols fields as strings (header excluded). */
typedef struct crm_csv {
    char *text;    /* owned buffer holding every field, NUL-separated */
    char **fields; /* rows * cols pointers into text */
    char **header; /* cols pointers */
    size_t rows;
    size_t cols;
} crm_csv;
/* Read a comma-separated file with a header line. Fails the test on error. */
void crm_csv_read(crm_csv *csv, const char *path);
void crm_csv_free(crm_csv *csv);
/* Column index of a header name; fails the test when absent. */
size_t crm_csv_col(const crm_csv *csv, const char *name);
static inline const char *crm_csv_at(const crm_csv *csv, size_t row, size_t col) {
    return csv->fields[row * csv->cols + col];
}

/* An allocator that counts allocations and can fail the n-th one, for
 * testing every allocation failure path and leaks. */
typedef struct crm_test_alloc {
    long allocations; /* successful allocations so far */
    long frees;       /* frees of non-NULL pointers */
    long live;        /* allocations - frees */
    long fail_at;     /* fail the allocation with this 0-based index; -1 = never */
    long attempts;    /* allocation attempts so far */
} crm_test_alloc;
void crm_test_alloc_init(crm_test_alloc *t, long fail_at);
crm_allocator crm_test_allocator(crm_test_alloc *t);

/* Deterministic pseudo-random numbers (splitmix64), for generated data. */
typedef struct crm_rng {
    uint64_t state;
} crm_rng;
uint64_t crm_rng_next(crm_rng *r);
double crm_rng_uniform(crm_rng *r);             /* [0, 1) */
uint64_t crm_rng_below(crm_rng *r, uint64_t n); /* [0, n) */

/* crm_analyze over n transactions (config may be NULL); fails the test,
 * printing the library's message, unless it succeeds. Caller frees. */
crm_result *crm_test_analyze(const crm_config *config, const crm_transaction *t, size_t n);

/* Day number (days since 1970-01-01) of an ISO date YYYY-MM-DD, through the
 * library's calendar (CRM_NO_DAY when it is not a date); and back. */
int32_t crm_test_day(const char *iso);
void crm_test_iso(int32_t day, char *buf, size_t size);

/* Read tests/data/conformance/transactions_small.csv (and interactions) into
 * arrays owned by the caller (free()). */
size_t crm_test_load_transactions(const char *relative, crm_transaction **out);
size_t crm_test_load_interactions(const char *relative, crm_interaction **out);

/* Read tests/data/cdnow/CDNOW_sample.txt (sample id, date, dollars) into
 * transactions at midnight UTC of their date; caller frees. Returns the count. */
size_t crm_test_load_cdnow_sample(crm_transaction **out);

#endif

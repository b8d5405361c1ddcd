/* consumer.c - a program outside the crmkit tree, built against an installed
 * crmkit (pkg-config and find_package) by check_install.sh, and against the
 * source tree added with add_subdirectory() by ../subproject/. */
#include <crmkit.h>

#include <stdio.h>

int main(void) {
    /* The header and the library it was linked with must agree. */
    if (crm_version() != CRM_VERSION_NUMBER) {
        fprintf(stderr, "consumer: header %d, library %d\n", CRM_VERSION_NUMBER, crm_version());
        return 1;
    }
    const crm_transaction records[3] = {
        {1001, 1700000000, 25.0}, /* customer 1001 buys twice */
        {1002, 1700086400, 40.0},
        {1001, 1700604800, 15.5},
    };
    crm_transactions view;
    crm_result *result = NULL;
    crm_error err;
    crm_status st = crm_transactions_from_array(&view, records, 3, &err);
    if (st == CRM_STATUS_OK) st = crm_analyze(NULL, &view, NULL, NULL, &result, &err);
    if (st != CRM_STATUS_OK) {
        fprintf(stderr, "consumer: analysis failed (%s): %s\n", crm_enum_name(CRM_ENUM_STATUS, st),
                err.message);
        return 1;
    }
    const size_t rows = crm_result_rows(result);
    crm_result_free(result);
    if (rows != 2) {
        fprintf(stderr, "consumer: expected 2 rows, got %zu\n", rows);
        return 1;
    }
    printf("consumer: crmkit %s, %zu customers\n", crm_version_string(), rows);
    return 0;
}

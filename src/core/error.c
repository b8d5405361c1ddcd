/* error.c - filling crm_error. */
#include "core/core.h"

#include <stdio.h>
#include <string.h>

void crm__error_clear(crm_error *err) {
    if (!err) return;
    memset(err, 0, sizeof *err);
    err->record = -1;
}

/* clang-analyzer 14 reports every vsnprintf on a va_start'ed list as
 * uninitialized (a false positive); hence the NOLINTs below. */
static void set_fields(crm_error *err, crm_status status, int input, int64_t record, int field, int reason) {
    err->status = (int32_t)status;
    err->input = input;
    err->record = record;
    err->field = field;
    err->reason = reason;
}

crm_status crm__fail(crm_error *err, crm_status status, const char *fmt, ...) {
    if (err) {
        set_fields(err, status, CRM_INPUT_NONE, -1, CRM_FIELD_NONE, 0);
        va_list ap;
        va_start(ap, fmt);
        /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

crm_status crm__fail_record(crm_error *err, crm_status status, int input, int64_t record, int field,
                            int reason, const char *fmt, ...) {
    if (err) {
        set_fields(err, status, input, record, field, reason);
        va_list ap;
        va_start(ap, fmt);
        /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

crm_status crm__nomem(crm_error *err) {
    return crm__fail(err, CRM_STATUS_NO_MEMORY, "out of memory: the allocator returned NULL");
}

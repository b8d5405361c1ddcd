/* validate.c - the one account of rejected records every input shares: a
 * count per fate, and the first bad record (by index) for strict validation,
 * described with the field's name and the fate's text from names.c. */
#include "input/input.h"

void crm__rejects_init(crm__rejects *r, const crm_config *c, int input, int64_t counts[CRM__FATE_COUNT]) {
    r->strict = crm__opt_int(c, CRM_OPTION_VALIDATION) == CRM_VALIDATION_STRICT;
    r->input = input;
    r->counts = counts;
    r->index = -1;
    r->field = CRM_FIELD_NONE;
    r->fate = CRM_FATE_ACCEPTED;
}

void crm__reject(crm__rejects *r, int64_t index, int field, int fate) {
    r->counts[fate]++;
    if (r->index < 0 || index < r->index) {
        r->index = index;
        r->field = field;
        r->fate = fate;
    }
}

crm_status crm__rejects_finish(const crm__rejects *r, crm_error *err) {
    if (!r->strict || r->index < 0) return CRM_STATUS_OK;
    static const char *const record_names[] = {"record", "transaction", "interaction", "customer"};
    const char *field = crm_enum_name(CRM_ENUM_FIELD, r->field);
    return crm__fail_record(err, CRM_STATUS_BAD_RECORD, r->input, r->index, r->field, r->fate,
                            "%s %lld: %s %s (%s; validation is strict)", record_names[r->input],
                            (long long)r->index, r->field != CRM_FIELD_NONE ? field : "record",
                            crm_enum_description(CRM_ENUM_FATE, r->fate),
                            crm_enum_name(CRM_ENUM_FATE, r->fate));
}

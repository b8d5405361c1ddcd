/* input.c - input views over the caller's arrays (no copies). */
#include "internal.h"

#include <stddef.h>

crm_status crm_transactions_from_array(crm_transactions *view, const crm_transaction *records, size_t n) {
    if (!view || (n > 0 && !records)) return CRM_E_INVALID_ARGUMENT;
    view->customer_id = records ? &records[0].customer_id : NULL;
    view->time = records ? &records[0].time : NULL;
    view->amount = records ? &records[0].amount : NULL;
    view->customer_id_stride = view->time_stride = view->amount_stride = sizeof(crm_transaction);
    view->count = n;
    return CRM_OK;
}

crm_status crm_transactions_from_columns(crm_transactions *view, const uint64_t *customer_id,
                                         size_t customer_id_stride, const int64_t *time, size_t time_stride,
                                         const double *amount, size_t amount_stride, size_t n) {
    if (!view || (n > 0 && (!customer_id || !time || !amount))) return CRM_E_INVALID_ARGUMENT;
    view->customer_id = customer_id;
    view->customer_id_stride = customer_id_stride ? customer_id_stride : sizeof *customer_id;
    view->time = time;
    view->time_stride = time_stride ? time_stride : sizeof *time;
    view->amount = amount;
    view->amount_stride = amount_stride ? amount_stride : sizeof *amount;
    view->count = n;
    return CRM_OK;
}

crm_status crm_interactions_from_array(crm_interactions *view, const crm_interaction *records, size_t n) {
    if (!view || (n > 0 && !records)) return CRM_E_INVALID_ARGUMENT;
    view->customer_id = records ? &records[0].customer_id : NULL;
    view->time = records ? &records[0].time : NULL;
    view->kind = records ? &records[0].kind : NULL;
    view->value = records ? &records[0].value : NULL;
    view->ref = records ? &records[0].ref : NULL;
    view->customer_id_stride = view->time_stride = view->kind_stride = view->value_stride = view->ref_stride =
        sizeof(crm_interaction);
    view->count = n;
    return CRM_OK;
}

crm_status crm_interactions_from_columns(crm_interactions *view, const uint64_t *customer_id,
                                         size_t customer_id_stride, const int64_t *time, size_t time_stride,
                                         const int32_t *kind, size_t kind_stride, const double *value,
                                         size_t value_stride, const uint64_t *ref, size_t ref_stride,
                                         size_t n) {
    if (!view || (n > 0 && (!customer_id || !time || !kind))) return CRM_E_INVALID_ARGUMENT;
    view->customer_id = customer_id;
    view->customer_id_stride = customer_id_stride ? customer_id_stride : sizeof *customer_id;
    view->time = time;
    view->time_stride = time_stride ? time_stride : sizeof *time;
    view->kind = kind;
    view->kind_stride = kind_stride ? kind_stride : sizeof *kind;
    view->value = value;
    view->value_stride = value_stride ? value_stride : sizeof *value;
    view->ref = ref;
    view->ref_stride = ref_stride ? ref_stride : sizeof *ref;
    view->count = n;
    return CRM_OK;
}

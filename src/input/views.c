/* views.c - input views over the caller's arrays (no copies): constructors,
 * optional columns by field, and the normalised copy every stage reads. */
#include "input/input.h"

#include <stddef.h>
#include <string.h>

/* A column slot of a view: where its pointer and stride live, its element
 * size, and whether it is required. */
typedef struct slot {
    int field;
    size_t ptr_offset, stride_offset, elem;
    int required;
} slot;

#define SLOT(view, member, type, field, required)                                                            \
    { field, offsetof(view, member), offsetof(view, member##_stride), sizeof(type), required }

static const slot tx_slots[] = {
    SLOT(crm_transactions, customer_id, uint64_t, CRM_FIELD_CUSTOMER_ID, 1),
    SLOT(crm_transactions, time, int64_t, CRM_FIELD_TIME, 1),
    SLOT(crm_transactions, amount, double, CRM_FIELD_AMOUNT, 1),
    SLOT(crm_transactions, cost, double, CRM_FIELD_COST, 0),
    SLOT(crm_transactions, discount, double, CRM_FIELD_DISCOUNT, 0),
};
static const slot ix_slots[] = {
    SLOT(crm_interactions, customer_id, uint64_t, CRM_FIELD_CUSTOMER_ID, 1),
    SLOT(crm_interactions, time, int64_t, CRM_FIELD_TIME, 1),
    SLOT(crm_interactions, kind, int32_t, CRM_FIELD_KIND, 1),
    SLOT(crm_interactions, value, double, CRM_FIELD_VALUE, 0),
    SLOT(crm_interactions, ref, uint64_t, CRM_FIELD_REF, 0),
    SLOT(crm_interactions, purpose, int32_t, CRM_FIELD_PURPOSE, 0),
};
static const slot cu_slots[] = {
    SLOT(crm_customers, customer_id, uint64_t, CRM_FIELD_CUSTOMER_ID, 1),
    SLOT(crm_customers, birthday, int32_t, CRM_FIELD_BIRTHDAY, 0),
    SLOT(crm_customers, relationship_start, int32_t, CRM_FIELD_RELATIONSHIP_START, 0),
    SLOT(crm_customers, money, int32_t, CRM_FIELD_MONEY, 0),
    SLOT(crm_customers, authority, int32_t, CRM_FIELD_AUTHORITY, 0),
    SLOT(crm_customers, need, int32_t, CRM_FIELD_NEED, 0),
    SLOT(crm_customers, targeted, int32_t, CRM_FIELD_TARGETED, 0),
};
#define NSLOTS(a) (sizeof(a) / sizeof((a)[0]))

static void set_slot(void *view, const slot *s, const void *data, size_t stride) {
    char *base = view;
    memcpy(base + s->ptr_offset, &data, sizeof data);
    if (!stride) stride = s->elem;
    memcpy(base + s->stride_offset, &stride, sizeof stride);
}

static const void *get_slot(const void *view, const slot *s) {
    const void *p;
    memcpy(&p, (const char *)view + s->ptr_offset, sizeof p);
    return p;
}

/* Fill a view from an array of records: every slot points at its member. */
static void from_records(void *view, size_t view_size, const slot *slots, size_t nslots, const void *records,
                         const size_t *member_offsets, size_t record_size, size_t n) {
    memset(view, 0, view_size);
    memcpy(view, &view_size, sizeof view_size); /* struct_size is the first member */
    memcpy((char *)view + sizeof(size_t), &n, sizeof n);
    for (size_t i = 0; i < nslots; i++)
        set_slot(view, &slots[i], records ? (const char *)records + member_offsets[i] : NULL, record_size);
}

static crm_status set_column(void *view, const slot *slots, size_t nslots, const char *what, int field,
                             const void *data, size_t stride, crm_error *err) {
    crm__error_clear(err);
    if (!view) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "%s: view is NULL", what);
    size_t size;
    memcpy(&size, view, sizeof size);
    if (size == 0)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "%s: struct_size is 0 (start from the view's *_init or *_from_* function)", what);
    for (size_t i = 0; i < nslots; i++) {
        if (slots[i].field != field) continue;
        if (slots[i].stride_offset + sizeof(size_t) > size)
            return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                             "%s: the caller's view (struct_size %zu) has no room for field %s", what, size,
                             crm_enum_name(CRM_ENUM_FIELD, field));
        if (!data && slots[i].required)
            return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "%s: the required column %s cannot be removed",
                             what, crm_enum_name(CRM_ENUM_FIELD, field));
        set_slot(view, &slots[i], data, stride);
        return CRM_STATUS_OK;
    }
    const char *name = crm_enum_name(CRM_ENUM_FIELD, field);
    return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "%s: no column for field %s", what, name ? name : "(unknown)");
}

/* Copy the caller's view into a view of this library's size: members the
 * caller's (older, smaller) struct lacks stay NULL; strides of 0 become the
 * element size; required columns must be there when count > 0. */
static crm_status normalise(const void *in, void *out, size_t out_size, const slot *slots, size_t nslots,
                            const char *what, crm_error *err) {
    size_t size;
    memcpy(&size, in, sizeof size);
    if (size < 2 * sizeof(size_t))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "%s: struct_size is %zu (start from the view's *_init or *_from_* function)", what,
                         size);
    memset(out, 0, out_size);
    memcpy(out, in, size < out_size ? size : out_size);
    memcpy(out, &out_size, sizeof out_size);
    size_t count;
    memcpy(&count, (const char *)out + sizeof(size_t), sizeof count);
    for (size_t i = 0; i < nslots; i++) {
        const slot *s = &slots[i];
        if (s->stride_offset + sizeof(size_t) > size) set_slot(out, s, NULL, 0);
        const void *p = get_slot(out, s);
        if (!p && s->required && count > 0)
            return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "%s: the %s column is NULL with count %zu", what,
                             crm_enum_name(CRM_ENUM_FIELD, s->field), count);
        size_t stride;
        memcpy(&stride, (const char *)out + s->stride_offset, sizeof stride);
        if (!stride) set_slot(out, s, p, 0);
    }
    return CRM_STATUS_OK;
}

crm_status crm__transactions_normalise(const crm_transactions *in, crm_transactions *out, crm_error *err) {
    return normalise(in, out, sizeof *out, tx_slots, NSLOTS(tx_slots), "transactions", err);
}
crm_status crm__interactions_normalise(const crm_interactions *in, crm_interactions *out, crm_error *err) {
    return normalise(in, out, sizeof *out, ix_slots, NSLOTS(ix_slots), "interactions", err);
}
crm_status crm__customers_normalise(const crm_customers *in, crm_customers *out, crm_error *err) {
    return normalise(in, out, sizeof *out, cu_slots, NSLOTS(cu_slots), "customers", err);
}

#define INIT(fn, type, what)                                                                                 \
    crm_status fn(type *view, crm_error *err) {                                                              \
        crm__error_clear(err);                                                                               \
        if (!view) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, what ": view is NULL");                  \
        memset(view, 0, sizeof *view);                                                                       \
        view->struct_size = sizeof *view;                                                                    \
        return CRM_STATUS_OK;                                                                                \
    }
INIT(crm_transactions_init, crm_transactions, "crm_transactions_init")
INIT(crm_interactions_init, crm_interactions, "crm_interactions_init")
INIT(crm_customers_init, crm_customers, "crm_customers_init")
#undef INIT

static crm_status check_array(const void *view, const void *records, size_t n, const char *what, crm_error *err) {
    crm__error_clear(err);
    if (!view) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "%s: view is NULL", what);
    if (n > 0 && !records) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "%s: records is NULL with n = %zu", what, n);
    return CRM_STATUS_OK;
}

crm_status crm_transactions_from_array(crm_transactions *view, const crm_transaction *records, size_t n,
                                       crm_error *err) {
    crm_status st = check_array(view, records, n, "crm_transactions_from_array", err);
    if (st != CRM_STATUS_OK) return st;
    static const size_t offsets[] = {offsetof(crm_transaction, customer_id), offsetof(crm_transaction, time),
                                     offsetof(crm_transaction, amount)};
    from_records(view, sizeof *view, tx_slots, 3, records, offsets, sizeof *records, n);
    return CRM_STATUS_OK;
}

crm_status crm_interactions_from_array(crm_interactions *view, const crm_interaction *records, size_t n,
                                       crm_error *err) {
    crm_status st = check_array(view, records, n, "crm_interactions_from_array", err);
    if (st != CRM_STATUS_OK) return st;
    static const size_t offsets[] = {offsetof(crm_interaction, customer_id), offsetof(crm_interaction, time),
                                     offsetof(crm_interaction, kind),        offsetof(crm_interaction, value),
                                     offsetof(crm_interaction, ref),         offsetof(crm_interaction, purpose)};
    from_records(view, sizeof *view, ix_slots, NSLOTS(ix_slots), records, offsets, sizeof *records, n);
    return CRM_STATUS_OK;
}

crm_status crm_customers_from_array(crm_customers *view, const crm_customer *records, size_t n, crm_error *err) {
    crm_status st = check_array(view, records, n, "crm_customers_from_array", err);
    if (st != CRM_STATUS_OK) return st;
    static const size_t offsets[] = {offsetof(crm_customer, customer_id), offsetof(crm_customer, birthday),
                                     offsetof(crm_customer, relationship_start), offsetof(crm_customer, money),
                                     offsetof(crm_customer, authority),   offsetof(crm_customer, need),
                                     offsetof(crm_customer, targeted)};
    from_records(view, sizeof *view, cu_slots, NSLOTS(cu_slots), records, offsets, sizeof *records, n);
    return CRM_STATUS_OK;
}

crm_status crm_transactions_from_columns(crm_transactions *view, const uint64_t *customer_id,
                                         size_t customer_id_stride, const int64_t *time, size_t time_stride,
                                         const double *amount, size_t amount_stride, size_t n, crm_error *err) {
    crm__error_clear(err);
    if (!view) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_transactions_from_columns: view is NULL");
    if (n > 0 && (!customer_id || !time || !amount))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_transactions_from_columns: a required column is NULL with n = %zu", n);
    (void)crm_transactions_init(view, NULL);
    view->count = n;
    set_slot(view, &tx_slots[0], customer_id, customer_id_stride);
    set_slot(view, &tx_slots[1], time, time_stride);
    set_slot(view, &tx_slots[2], amount, amount_stride);
    return CRM_STATUS_OK;
}

crm_status crm_interactions_from_columns(crm_interactions *view, const uint64_t *customer_id,
                                         size_t customer_id_stride, const int64_t *time, size_t time_stride,
                                         const int32_t *kind, size_t kind_stride, size_t n, crm_error *err) {
    crm__error_clear(err);
    if (!view) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_interactions_from_columns: view is NULL");
    if (n > 0 && (!customer_id || !time || !kind))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_interactions_from_columns: a required column is NULL with n = %zu", n);
    (void)crm_interactions_init(view, NULL);
    view->count = n;
    set_slot(view, &ix_slots[0], customer_id, customer_id_stride);
    set_slot(view, &ix_slots[1], time, time_stride);
    set_slot(view, &ix_slots[2], kind, kind_stride);
    return CRM_STATUS_OK;
}

crm_status crm_customers_from_columns(crm_customers *view, const uint64_t *customer_id, size_t customer_id_stride,
                                      size_t n, crm_error *err) {
    crm__error_clear(err);
    if (!view) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_customers_from_columns: view is NULL");
    if (n > 0 && !customer_id)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_customers_from_columns: customer_id is NULL with n = %zu", n);
    (void)crm_customers_init(view, NULL);
    view->count = n;
    set_slot(view, &cu_slots[0], customer_id, customer_id_stride);
    return CRM_STATUS_OK;
}

crm_status crm_transactions_set_column(crm_transactions *view, int field, const void *data, size_t stride,
                                       crm_error *err) {
    return set_column(view, tx_slots, NSLOTS(tx_slots), "crm_transactions_set_column", field, data, stride, err);
}
crm_status crm_interactions_set_column(crm_interactions *view, int field, const void *data, size_t stride,
                                       crm_error *err) {
    return set_column(view, ix_slots, NSLOTS(ix_slots), "crm_interactions_set_column", field, data, stride, err);
}
crm_status crm_customers_set_column(crm_customers *view, int field, const void *data, size_t stride,
                                    crm_error *err) {
    return set_column(view, cu_slots, NSLOTS(cu_slots), "crm_customers_set_column", field, data, stride, err);
}

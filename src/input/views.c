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

static crm_status set_column(void *view, const slot *slots, size_t nslots, const char *what, int field,
                             const void *data, size_t stride, crm_error *err) {
    crm__error_clear(err);
    if (!view) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "%s: view is NULL", what);
    size_t size = 0;
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
    return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "%s: no column for field %s", what,
                     name ? name : "(unknown)");
}

/* Copy the caller's view into a view of this library's size: members the
 * caller's (older, smaller) struct lacks stay NULL; strides of 0 become the
 * element size; required columns must be there when count > 0. */
static crm_status normalise(const void *in, void *out, size_t out_size, const slot *slots, size_t nslots,
                            const char *what, crm_error *err) {
    size_t size = 0;
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
            return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "%s: the %s column is NULL with count %zu",
                             what, crm_enum_name(CRM_ENUM_FIELD, s->field), count);
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

/* The size of a view the library may write: the caller's, or this
 * library's when the caller was built against a newer (larger) header. The
 * caller's struct must hold at least the required columns of 0.2. */
static crm_status writable_size(const void *view, size_t struct_size, size_t own, size_t minimum,
                                const char *what, size_t *out, crm_error *err) {
    crm__error_clear(err);
    if (!view) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "%s: view is NULL", what);
    if (struct_size < minimum)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "%s: struct_size %zu is below %zu", what,
                         struct_size, minimum);
    *out = struct_size < own ? struct_size : own;
    return CRM_STATUS_OK;
}

/* Zero the first size bytes of a view and record size as its struct_size. */
static void clear_view(void *view, size_t size, size_t count) {
    memset(view, 0, size);
    memcpy(view, &size, sizeof size);
    memcpy((char *)view + sizeof(size_t), &count, sizeof count);
}

#define TX_MIN offsetof(crm_transactions, cost)
#define IX_MIN offsetof(crm_interactions, value)
#define CU_MIN offsetof(crm_customers, birthday)

crm_status crm_transactions_init_sized(crm_transactions *view, size_t struct_size, crm_error *err) {
    size_t size = 0;
    crm_status st =
        writable_size(view, struct_size, sizeof *view, TX_MIN, "crm_transactions_init", &size, err);
    if (st == CRM_STATUS_OK) clear_view(view, size, 0);
    return st;
}
crm_status crm_interactions_init_sized(crm_interactions *view, size_t struct_size, crm_error *err) {
    size_t size = 0;
    crm_status st =
        writable_size(view, struct_size, sizeof *view, IX_MIN, "crm_interactions_init", &size, err);
    if (st == CRM_STATUS_OK) clear_view(view, size, 0);
    return st;
}
crm_status crm_customers_init_sized(crm_customers *view, size_t struct_size, crm_error *err) {
    size_t size = 0;
    crm_status st = writable_size(view, struct_size, sizeof *view, CU_MIN, "crm_customers_init", &size, err);
    if (st == CRM_STATUS_OK) clear_view(view, size, 0);
    return st;
}

/* Point every slot that fits in size at its member of the records. */
static void point_at_records(void *view, size_t size, const slot *slots, size_t nslots, const void *records,
                             const size_t *member_offsets, size_t record_size) {
    for (size_t i = 0; i < nslots; i++)
        if (slots[i].stride_offset + sizeof(size_t) <= size)
            set_slot(view, &slots[i], records ? (const char *)records + member_offsets[i] : NULL,
                     record_size);
}

static crm_status from_array(void *view, size_t struct_size, size_t own, size_t minimum, const slot *slots,
                             size_t nslots, const void *records, const size_t *offsets, size_t record_size,
                             size_t n, const char *what, crm_error *err) {
    size_t size = 0;
    crm_status st = writable_size(view, struct_size, own, minimum, what, &size, err);
    if (st != CRM_STATUS_OK) return st;
    if (n > 0 && !records)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "%s: records is NULL with n = %zu", what, n);
    clear_view(view, size, n);
    point_at_records(view, size, slots, nslots, records, offsets, record_size);
    return CRM_STATUS_OK;
}

crm_status crm_transactions_from_array_sized(crm_transactions *view, size_t struct_size,
                                             const crm_transaction *records, size_t n, crm_error *err) {
    static const size_t offsets[] = {offsetof(crm_transaction, customer_id), offsetof(crm_transaction, time),
                                     offsetof(crm_transaction, amount)};
    return from_array(view, struct_size, sizeof *view, TX_MIN, tx_slots, 3, records, offsets, sizeof *records,
                      n, "crm_transactions_from_array", err);
}

crm_status crm_interactions_from_array_sized(crm_interactions *view, size_t struct_size,
                                             const crm_interaction *records, size_t n, crm_error *err) {
    static const size_t offsets[] = {
        offsetof(crm_interaction, customer_id), offsetof(crm_interaction, time),
        offsetof(crm_interaction, kind),        offsetof(crm_interaction, value),
        offsetof(crm_interaction, ref),         offsetof(crm_interaction, purpose)};
    return from_array(view, struct_size, sizeof *view, IX_MIN, ix_slots, NSLOTS(ix_slots), records, offsets,
                      sizeof *records, n, "crm_interactions_from_array", err);
}

crm_status crm_customers_from_array_sized(crm_customers *view, size_t struct_size,
                                          const crm_customer *records, size_t n, crm_error *err) {
    static const size_t offsets[] = {offsetof(crm_customer, customer_id),
                                     offsetof(crm_customer, birthday),
                                     offsetof(crm_customer, relationship_start),
                                     offsetof(crm_customer, money),
                                     offsetof(crm_customer, authority),
                                     offsetof(crm_customer, need),
                                     offsetof(crm_customer, targeted)};
    return from_array(view, struct_size, sizeof *view, CU_MIN, cu_slots, NSLOTS(cu_slots), records, offsets,
                      sizeof *records, n, "crm_customers_from_array", err);
}

/* Fill the required columns given as (pointer, stride) pairs. */
static crm_status from_columns(void *view, size_t struct_size, size_t own, size_t minimum, const slot *slots,
                               const void *const *data, const size_t *strides, size_t nrequired, size_t n,
                               const char *what, crm_error *err) {
    size_t size = 0;
    crm_status st = writable_size(view, struct_size, own, minimum, what, &size, err);
    if (st != CRM_STATUS_OK) return st;
    for (size_t i = 0; i < nrequired; i++)
        if (n > 0 && !data[i])
            return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "%s: the %s column is NULL with n = %zu", what,
                             crm_enum_name(CRM_ENUM_FIELD, slots[i].field), n);
    clear_view(view, size, n);
    for (size_t i = 0; i < nrequired; i++) set_slot(view, &slots[i], data[i], strides[i]);
    return CRM_STATUS_OK;
}

crm_status crm_transactions_from_columns_sized(crm_transactions *view, size_t struct_size,
                                               const uint64_t *customer_id, size_t customer_id_stride,
                                               const int64_t *time, size_t time_stride, const double *amount,
                                               size_t amount_stride, size_t n, crm_error *err) {
    const void *data[3] = {customer_id, time, amount};
    const size_t strides[3] = {customer_id_stride, time_stride, amount_stride};
    return from_columns(view, struct_size, sizeof *view, TX_MIN, tx_slots, data, strides, 3, n,
                        "crm_transactions_from_columns", err);
}

crm_status crm_interactions_from_columns_sized(crm_interactions *view, size_t struct_size,
                                               const uint64_t *customer_id, size_t customer_id_stride,
                                               const int64_t *time, size_t time_stride, const int32_t *kind,
                                               size_t kind_stride, size_t n, crm_error *err) {
    const void *data[3] = {customer_id, time, kind};
    const size_t strides[3] = {customer_id_stride, time_stride, kind_stride};
    return from_columns(view, struct_size, sizeof *view, IX_MIN, ix_slots, data, strides, 3, n,
                        "crm_interactions_from_columns", err);
}

crm_status crm_customers_from_columns_sized(crm_customers *view, size_t struct_size,
                                            const uint64_t *customer_id, size_t customer_id_stride, size_t n,
                                            crm_error *err) {
    const void *data[1] = {customer_id};
    const size_t strides[1] = {customer_id_stride};
    return from_columns(view, struct_size, sizeof *view, CU_MIN, cu_slots, data, strides, 1, n,
                        "crm_customers_from_columns", err);
}

crm_status crm_transactions_set_column(crm_transactions *view, int field, const void *data, size_t stride,
                                       crm_error *err) {
    return set_column(view, tx_slots, NSLOTS(tx_slots), "crm_transactions_set_column", field, data, stride,
                      err);
}
crm_status crm_interactions_set_column(crm_interactions *view, int field, const void *data, size_t stride,
                                       crm_error *err) {
    return set_column(view, ix_slots, NSLOTS(ix_slots), "crm_interactions_set_column", field, data, stride,
                      err);
}
crm_status crm_customers_set_column(crm_customers *view, int field, const void *data, size_t stride,
                                    crm_error *err) {
    return set_column(view, cu_slots, NSLOTS(cu_slots), "crm_customers_set_column", field, data, stride, err);
}

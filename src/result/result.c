/* result.c - the columnar result table and its accessors. */
#include "result/result.h"

#include <math.h>
#include <string.h>

static size_t type_size(int type) {
    switch (type) {
    case CRM_TYPE_U64:
    case CRM_TYPE_I64:
    case CRM_TYPE_F64: return 8;
    case CRM_TYPE_I32: return 4;
    default: return 0;
    }
}

static int valid_column(int column) { return column >= 0 && column < CRM__COLUMN_COUNT; }

void crm_result_free(crm_result *r) {
    if (!r) return;
    crm_allocator a = r->allocator;
    for (int c = 0; c < CRM__COLUMN_COUNT; c++) {
        crm__free(&a, r->columns[c]);
        crm__free(&a, r->groups[c].count);
        crm__free(&a, r->groups[c].revenue);
    }
    for (size_t i = 0; i < r->nsegment_names; i++) crm__free(&a, r->segment_names[i]);
    crm__free(&a, r->segment_names);
    for (int k = 0; k < 5; k++) crm_model_free(r->models[k]);
    crm__free(&a, r);
}

crm_status crm__result_create(const crm_allocator *a, size_t rows, const int *columns, size_t ncolumns,
                              crm_result **out, crm_error *err) {
    *out = NULL;
    crm_result *r = crm__calloc(a, 1, sizeof *r);
    if (!r) return crm__nomem(err);
    r->allocator = *a;
    r->rows = rows;
    r->as_of = INT64_MIN;
    r->as_of_day = CRM_NO_DAY;
    for (int m = 0; m < CRM__METRIC_COUNT; m++) r->metrics[m] = NAN;
    for (size_t i = 0; i < ncolumns; i++) {
        int c = columns[i];
        r->columns[c] = crm__calloc(a, rows, type_size(crm_column_type(c)));
        if (!r->columns[c]) {
            crm_result_free(r);
            return crm__nomem(err);
        }
    }
    *out = r;
    return CRM_STATUS_OK;
}

/* Columns a population summary is kept for: enumerations and the flag set. */
static int groupable(int column) {
    return column == CRM_COLUMN_CHURN_FLAGS ||
           (crm_column_enum(column) != CRM_ENUM_NONE && crm_column_enum(column) != CRM_ENUM_BOOL);
}

crm_status crm__result_groups(crm_result *r, size_t nsegments, crm_error *err) {
    const double *monetary = r->columns[CRM_COLUMN_MONETARY];
    for (int c = 0; c < CRM__COLUMN_COUNT; c++) {
        if (!r->columns[c] || !groupable(c)) continue;
        crm__group *g = &r->groups[c];
        if (c == CRM_COLUMN_CHURN_FLAGS)
            g->nvalues = CRM__FLAG_COUNT;
        else if (c == CRM_COLUMN_SEGMENT)
            g->nvalues = nsegments + 1;
        else {
            g->nvalues = 0;
            while (crm_enum_name(crm_column_enum(c), (int32_t)g->nvalues)) g->nvalues++;
        }
        g->count = crm__calloc(&r->allocator, g->nvalues, sizeof *g->count);
        g->revenue = crm__calloc(&r->allocator, g->nvalues, sizeof *g->revenue);
        if (!g->count || !g->revenue) return crm__nomem(err);
        for (size_t i = 0; i < r->rows; i++) {
            double money = monetary ? monetary[i] : 0;
            if (c == CRM_COLUMN_CHURN_FLAGS) {
                crm_flags flags = ((const crm_flags *)r->columns[c])[i];
                for (size_t b = 0; b < g->nvalues; b++)
                    if (flags & CRM_FLAG_BIT(b)) {
                        g->count[b]++;
                        g->revenue[b] += money;
                    }
            } else {
                int32_t v = ((const int32_t *)r->columns[c])[i];
                if (v >= 0 && (size_t)v < g->nvalues) {
                    g->count[v]++;
                    g->revenue[v] += money;
                }
            }
        }
    }
    return CRM_STATUS_OK;
}

size_t crm_result_rows(const crm_result *r) { return r ? r->rows : 0; }

int crm_result_has_column(const crm_result *r, int column) {
    return r && valid_column(column) && r->columns[column] != NULL;
}

crm_status crm_result_column(const crm_result *r, int column, int *type, const void **data, crm_error *err) {
    crm__error_clear(err);
    if (!r || !type || !data)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_result_column: NULL argument");
    if (!valid_column(column) || !r->columns[column])
        return crm__fail(err, CRM_STATUS_NOT_FOUND, "column %d (%s) is not in this result", column,
                         valid_column(column) ? crm_enum_name(CRM_ENUM_COLUMN, column) : "unknown");
    *type = crm_column_type(column);
    *data = r->columns[column];
    return CRM_STATUS_OK;
}

static const void *typed(const crm_result *r, int column, int type) {
    if (!crm_result_has_column(r, column) || crm_column_type(column) != type) return NULL;
    return r->columns[column];
}

const uint64_t *crm_result_u64(const crm_result *r, int column) { return typed(r, column, CRM_TYPE_U64); }
const int64_t *crm_result_i64(const crm_result *r, int column) { return typed(r, column, CRM_TYPE_I64); }
const int32_t *crm_result_i32(const crm_result *r, int column) { return typed(r, column, CRM_TYPE_I32); }
const double *crm_result_f64(const crm_result *r, int column) { return typed(r, column, CRM_TYPE_F64); }

int64_t crm_result_find(const crm_result *r, uint64_t id) {
    const uint64_t *ids = crm_result_u64(r, CRM_COLUMN_CUSTOMER_ID);
    if (!ids) return -1;
    size_t lo = 0, hi = r->rows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < r->rows && ids[lo] == id) ? (int64_t)lo : -1;
}

const char *crm_result_label(const crm_result *r, int column, int32_t value) {
    if (!r || !valid_column(column)) return NULL;
    if (column == CRM_COLUMN_SEGMENT && r->segment_names) {
        if (value == 0) return "none";
        return (value > 0 && (size_t)value <= r->nsegment_names) ? r->segment_names[value - 1] : NULL;
    }
    int e = crm_column_enum(column);
    return e == CRM_ENUM_NONE ? NULL : crm_enum_name(e, value);
}

int32_t crm_result_label_count(const crm_result *r, int column) {
    if (!r || !valid_column(column) || crm_column_enum(column) == CRM_ENUM_NONE) return 0;
    if (column == CRM_COLUMN_SEGMENT && r->segment_names) return (int32_t)r->nsegment_names + 1;
    return crm_enum_count(crm_column_enum(column));
}

int64_t crm_result_as_of(const crm_result *r) { return r ? r->as_of : INT64_MIN; }
int32_t crm_result_as_of_day(const crm_result *r) { return r ? r->as_of_day : CRM_NO_DAY; }

int64_t crm_result_records(const crm_result *r, int input, int fate) {
    if (!r || input < CRM_INPUT_TRANSACTIONS || input >= CRM__INPUT_COUNT || fate < 0 ||
        fate >= CRM__FATE_COUNT)
        return 0;
    return r->records[input][fate];
}

int64_t crm_result_records_total(const crm_result *r, int input) {
    if (!r || input < CRM_INPUT_TRANSACTIONS || input >= CRM__INPUT_COUNT) return 0;
    return r->totals[input];
}

crm_status crm_result_cut_points(const crm_result *r, int dim, double *out, size_t capacity, size_t *n,
                                 crm_error *err) {
    crm__error_clear(err);
    if (!r || !n || dim < CRM_DIM_R || dim > CRM_DIM_M || (capacity > 0 && !out))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_result_cut_points: NULL argument or bad dimension");
    if (!r->have_cuts)
        return crm__fail(err, CRM_STATUS_NOT_FOUND, "no customer was scored: there are no cut points");
    *n = (size_t)(r->k - 1);
    for (size_t i = 0; i < *n && i < capacity; i++) out[i] = r->cuts[dim][i];
    return CRM_STATUS_OK;
}

crm_status crm_result_group(const crm_result *r, int column, int64_t value, int64_t *customers,
                            double *revenue, crm_error *err) {
    crm__error_clear(err);
    if (!r || !valid_column(column) || !groupable(column))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_result_group: NULL result or column %d is not groupable", column);
    const crm__group *g = &r->groups[column];
    if (!g->count)
        return crm__fail(err, CRM_STATUS_NOT_FOUND, "column %s is not in this result",
                         crm_enum_name(CRM_ENUM_COLUMN, column));
    int64_t index = value; /* for churn_flags, the flag's position */
    if (index < 0 || (uint64_t)index >= g->nvalues)
        return crm__fail(err, CRM_STATUS_NOT_FOUND, "column %s has no group %lld",
                         crm_enum_name(CRM_ENUM_COLUMN, column), (long long)value);
    if (customers) *customers = g->count[index];
    if (revenue) *revenue = g->revenue[index];
    return CRM_STATUS_OK;
}

double crm_result_metric(const crm_result *r, int metric) {
    if (!r || metric < 0 || metric >= CRM__METRIC_COUNT) return NAN;
    return r->metrics[metric];
}

const crm_model *crm_result_model(const crm_result *r, int kind) {
    if (!r || kind <= CRM_MODEL_KIND_NONE || kind > CRM_MODEL_KIND_GAMMA_GAMMA) return NULL;
    return r->models[kind];
}

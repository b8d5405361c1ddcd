/* data.c - the caller's model rows: crm_model_data_init_sized, and the checks
 * every model function applies to a crm_model_data view before reading it,
 * so that fitting and prediction accept and refuse exactly the same rows and
 * report them the same way.
 *
 * Bad-record reports name the row (record = row index, input CRM_INPUT_NONE)
 * and the column: x and weight as CRM_FIELD_VALUE, t_x and T as
 * CRM_FIELD_TIME, spend as CRM_FIELD_AMOUNT; reason CRM_FATE_NONFINITE or
 * CRM_FATE_VALUE_RANGE. */
#include "models/models.h"

#include <math.h>
#include <string.h>

crm_status crm_model_data_init_sized(crm_model_data *data, size_t struct_size, crm_error *err) {
    crm__error_clear(err);
    if (data == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_model_data_init: data is NULL");
    if (struct_size < sizeof *data)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_model_data_init: struct_size %zu is below %zu", struct_size, sizeof *data);
    memset(data, 0, sizeof *data); /* a newer caller's extra members are its own to clear */
    data->struct_size = sizeof *data;
    return CRM_STATUS_OK;
}

crm_status crm__model_check_columns(const crm_model_data *d, unsigned need, crm_error *err) {
    if (d == NULL) {
        (void)crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model data is NULL");
        return CRM_STATUS_INVALID_ARGUMENT; /* spelled out for the static analyser */
    }
    /* The first version with struct_size: every caller's struct is at least this large. */
    if (d->struct_size < sizeof(crm_model_data))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "model data: struct_size is %zu (start from crm_model_data_init)", d->struct_size);
    if (d->count == 0) return CRM_STATUS_OK;
    if ((need & CRM__NEED_X) && d->x == NULL)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model data has no x column");
    if ((need & CRM__NEED_TIMES) && (d->t_x == NULL || d->T == NULL))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model data has no t_x or T column");
    if ((need & (CRM__NEED_SPEND | CRM__NEED_SPEND_FINITE)) && d->spend == NULL)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model data has no spend column");
    if (d->count > UINT32_MAX)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "more than 2^32 - 1 model rows");
    return CRM_STATUS_OK;
}

crm_status crm__model_bad_row(crm_error *err, size_t i, int field, int reason, const char *what) {
    return crm__fail_record(err, CRM_STATUS_BAD_RECORD, CRM_INPUT_NONE, (int64_t)i, field, reason,
                            "model row %lu: %s", (unsigned long)i, what);
}

static crm_status check_row(const crm_model_data *d, size_t i, unsigned need, crm_error *err) {
    double x = crm__model_col(d->x, d->x_stride, i);
    if (!isfinite(x))
        return crm__model_bad_row(err, i, CRM_FIELD_VALUE, CRM_FATE_NONFINITE, "x is not finite");
    if (x < 0 || floor(x) != x)
        return crm__model_bad_row(err, i, CRM_FIELD_VALUE, CRM_FATE_VALUE_RANGE,
                                  "x is not a whole number >= 0");
    if (x > CRM_MODEL_X_MAX)
        return crm__model_bad_row(err, i, CRM_FIELD_VALUE, CRM_FATE_VALUE_RANGE,
                                  "x is above CRM_MODEL_X_MAX (1e7)");
    if (need & CRM__NEED_TIMES) {
        double tx = crm__model_col(d->t_x, d->t_x_stride, i), T = crm__model_col(d->T, d->T_stride, i);
        if (!isfinite(tx) || !isfinite(T))
            return crm__model_bad_row(err, i, CRM_FIELD_TIME, CRM_FATE_NONFINITE, "t_x or T is not finite");
        if (tx < 0 || T < 0)
            return crm__model_bad_row(err, i, CRM_FIELD_TIME, CRM_FATE_VALUE_RANGE, "t_x or T is negative");
        if (tx > T)
            return crm__model_bad_row(err, i, CRM_FIELD_TIME, CRM_FATE_VALUE_RANGE, "t_x is greater than T");
        if (x == 0 && tx > 0)
            return crm__model_bad_row(err, i, CRM_FIELD_TIME, CRM_FATE_VALUE_RANGE,
                                      "t_x > 0 without a repeat purchase");
        if ((need & CRM__NEED_DISCRETE) && (floor(tx) != tx || floor(T) != T))
            return crm__model_bad_row(err, i, CRM_FIELD_TIME, CRM_FATE_VALUE_RANGE,
                                      "BG/BB: t_x and n must be whole numbers of transaction opportunities");
        if ((need & CRM__NEED_DISCRETE) && T > CRM_MODEL_OPPORTUNITIES_MAX)
            return crm__model_bad_row(err, i, CRM_FIELD_TIME, CRM_FATE_VALUE_RANGE,
                                      "BG/BB: n is above CRM_MODEL_OPPORTUNITIES_MAX (1e5)");
        if ((need & CRM__NEED_DISCRETE) && x > tx)
            return crm__model_bad_row(err, i, CRM_FIELD_VALUE, CRM_FATE_VALUE_RANGE,
                                      "BG/BB: x > t_x (at most one transaction per opportunity)");
    }
    /* Spend is not used (often 0 or NaN) where x = 0. */
    if ((need & (CRM__NEED_SPEND | CRM__NEED_SPEND_FINITE)) && x > 0) {
        double m = crm__model_col(d->spend, d->spend_stride, i);
        if (!isfinite(m))
            return crm__model_bad_row(err, i, CRM_FIELD_AMOUNT, CRM_FATE_NONFINITE, "spend is not finite");
        if ((need & CRM__NEED_SPEND) && m <= 0)
            return crm__model_bad_row(err, i, CRM_FIELD_AMOUNT, CRM_FATE_VALUE_RANGE,
                                      "spend <= 0 with x > 0");
    }
    if ((need & CRM__USE_WEIGHT) && d->weight) {
        double w = crm__model_col(d->weight, d->weight_stride, i);
        if (!isfinite(w))
            return crm__model_bad_row(err, i, CRM_FIELD_VALUE, CRM_FATE_NONFINITE, "weight is not finite");
        if (w < 0)
            return crm__model_bad_row(err, i, CRM_FIELD_VALUE, CRM_FATE_VALUE_RANGE, "weight is negative");
    }
    return CRM_STATUS_OK;
}

crm_status crm__model_check_rows(const crm_model_data *d, unsigned need, crm_error *err) {
    for (size_t i = 0; i < d->count; i++) {
        crm_status st = check_row(d, i, need, err);
        if (st != CRM_STATUS_OK) return st;
    }
    return CRM_STATUS_OK;
}

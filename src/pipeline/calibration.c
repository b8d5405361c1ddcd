/* calibration.c - the calibration/holdout split used to validate the value
 * models: each customer's summary up to the calibration end, and how many
 * purchase days followed in the holdout period. */
#include "result/result.h"
#include "summary/summary.h"

#include <math.h>
#include <string.h>

static const int split_columns[] = {
    CRM_COLUMN_CUSTOMER_ID,   CRM_COLUMN_FIRST_PURCHASE,
    CRM_COLUMN_LAST_PURCHASE, CRM_COLUMN_PURCHASE_DAYS,
    CRM_COLUMN_MONETARY,      CRM_COLUMN_X,
    CRM_COLUMN_T_X,           CRM_COLUMN_T,
    CRM_COLUMN_REPEAT_SPEND,  CRM_COLUMN_HOLDOUT_PURCHASES,
    CRM_COLUMN_HOLDOUT_SPEND, CRM_COLUMN_HOLDOUT_DURATION,
};

/* The last second of the day (in the day_offset calendar) holding time t. */
static int64_t end_of_day(const crm_config *c, int64_t t) {
    int64_t offset = crm__opt_int(c, CRM_OPTION_DAY_OFFSET);
    int64_t end = ((int64_t)crm__day_of(t, offset) + 1) * 86400 - 1 - offset;
    return end > CRM_TIME_MAX ? CRM_TIME_MAX : end;
}

/* Summary at the end of as_of's day; skip = 1 forces skip validation. */
static crm_status summarize_at(const crm_config *base, const crm_transactions *tx, int64_t as_of, int skip,
                               crm_summary **out, crm_error *err) {
    crm_config c;
    crm_status st = crm__config_copy_into(&c, base, err);
    if (st != CRM_STATUS_OK) return st;
    c.as_of = end_of_day(base, as_of);
    c.as_of_set = 1;
    if (skip) c.opt[CRM_OPTION_VALIDATION] = CRM_VALIDATION_SKIP;
    st = crm_summarize(&c, tx, NULL, NULL, out, err);
    crm__config_release(&c);
    return st;
}

crm_status crm_calibration_split(const crm_config *config, const crm_transactions *transactions,
                                 int64_t calibration_end, int64_t holdout_end, crm_result **out,
                                 crm_error *err) {
    crm__error_clear(err);
    if (!out || !transactions)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_calibration_split: NULL argument");
    *out = NULL;
    if (calibration_end < CRM_TIME_MIN || calibration_end > CRM_TIME_MAX || holdout_end < CRM_TIME_MIN ||
        holdout_end > CRM_TIME_MAX)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "calibration_end and holdout_end must be times in range");
    if (holdout_end < calibration_end)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "holdout_end (%lld) is before calibration_end (%lld)", (long long)holdout_end,
                         (long long)calibration_end);
    crm_config defaults;
    if (!config) {
        crm__config_defaults(&defaults, NULL);
        config = &defaults;
    }
    /* Two summaries over the same records, each to the end of its day:
     * purchase days are distinct days, so the holdout count is the difference
     * of the two counts. The later summary validates (strict validation
     * reports its bad records); the calibration one only skips the holdout's
     * records, which are not bad. */
    crm_summary *cal = NULL, *all = NULL;
    crm_result *r = NULL;
    crm_status st = summarize_at(config, transactions, holdout_end, 0, &all, err);
    if (st == CRM_STATUS_OK) st = summarize_at(config, transactions, calibration_end, 1, &cal, err);
    size_t rows = 0;
    for (size_t i = 0; st == CRM_STATUS_OK && i < cal->ncustomers; i++)
        rows += cal->customers[i].now.purchase_days > 0;
    if (st == CRM_STATUS_OK)
        st = crm__result_create(&config->allocator, rows, split_columns,
                                sizeof split_columns / sizeof split_columns[0], &r, err);
    if (st != CRM_STATUS_OK) goto done;
    r->as_of = cal->as_of;
    r->as_of_day = cal->as_of_day;
    r->k = (int)crm__opt_int(config, CRM_OPTION_RFM_BINS);
    memcpy(r->records, all->records, sizeof r->records);
    memcpy(r->totals, all->totals, sizeof r->totals);
    double unit = crm__opt(config, CRM_OPTION_TIME_UNIT_DAYS);
    double duration = (double)(all->as_of_day - cal->as_of_day) / unit;
    size_t row = 0, j = 0;
    for (size_t i = 0; i < cal->ncustomers; i++) {
        const crm__customer *cu = &cal->customers[i];
        const crm__facts *f = &cu->now;
        if (f->purchase_days == 0) continue;
        while (all->customers[j].id != cu->id) j++; /* every calibration customer is in the later summary */
        ((uint64_t *)r->columns[CRM_COLUMN_CUSTOMER_ID])[row] = cu->id;
        ((int32_t *)r->columns[CRM_COLUMN_FIRST_PURCHASE])[row] = f->first_day;
        ((int32_t *)r->columns[CRM_COLUMN_LAST_PURCHASE])[row] = f->last_day;
        ((int64_t *)r->columns[CRM_COLUMN_PURCHASE_DAYS])[row] = f->purchase_days;
        ((double *)r->columns[CRM_COLUMN_MONETARY])[row] = f->monetary;
        crm__model_input mi = crm__model_input_of(f, cal->as_of_day, unit);
        ((double *)r->columns[CRM_COLUMN_X])[row] = mi.x;
        ((double *)r->columns[CRM_COLUMN_T_X])[row] = mi.t_x;
        ((double *)r->columns[CRM_COLUMN_T])[row] = mi.T;
        ((double *)r->columns[CRM_COLUMN_REPEAT_SPEND])[row] = mi.repeat_spend;
        ((int64_t *)r->columns[CRM_COLUMN_HOLDOUT_PURCHASES])[row] =
            all->customers[j].now.purchase_days - f->purchase_days;
        ((double *)r->columns[CRM_COLUMN_HOLDOUT_SPEND])[row] = all->customers[j].now.monetary - f->monetary;
        ((double *)r->columns[CRM_COLUMN_HOLDOUT_DURATION])[row] = duration;
        row++;
    }
    *out = r;
    r = NULL;
done:
    crm_result_free(r);
    crm_summary_free(cal);
    crm_summary_free(all);
    return st;
}

/* result/result.h - the columnar result table, written once at the end.
 * Internal (not installed): names use the prefix crm__. */
#ifndef CRM_RESULT_RESULT_H
#define CRM_RESULT_RESULT_H

#include "models/valuation.h"
#include "signals/signals.h"
#include "summary/summary.h"

/* ---- result table (result.c) ---- */

typedef struct crm__group {
    size_t nvalues; /* values 0..nvalues-1 (bits for churn_flags) */
    int64_t *count;
    double *revenue;
} crm__group;

struct crm_result {
    crm_allocator allocator;
    size_t rows;
    void *columns[CRM__COLUMN_COUNT]; /* NULL when absent */
    int64_t as_of;
    int32_t as_of_day;
    int k;
    int have_cuts;
    double cuts[3][9]; /* in the caller's form (R as recency) */
    int64_t records[CRM__INPUT_COUNT][CRM__FATE_COUNT];
    int64_t totals[CRM__INPUT_COUNT];
    char **segment_names; /* caller rule names, index = segment value - 1 */
    size_t nsegment_names;
    crm__group groups[CRM__COLUMN_COUNT];
    double metrics[CRM__METRIC_COUNT];
    crm_model *models[CRM__MODEL_SLOTS];
};

/* Allocate a result with rows rows and the listed columns (zeroed). */
crm_status crm__result_create(const crm_allocator *a, size_t rows, const int *columns, size_t ncolumns,
                              crm_result **out, crm_error *err);
/* Tally the groups of every enumeration column present, weighting revenue by monetary. */
crm_status crm__result_groups(crm_result *r, size_t nsegments, crm_error *err);

/* The profit metrics over the result's rows (result/whale.c): NaN without
 * profit. CRM_STATUS_NO_MEMORY. */
crm_status crm__profit_metrics(crm_result *r, crm_error *err);

/* Everything the stages computed for one customer beyond the summary's
 * facts: what a row of the result holds. Scores and enumerations are 0
 * (none) where they do not apply. */
typedef struct crm__profile {
    int32_t score[3]; /* R, F, M */
    int32_t segment, value_class;
    int32_t tier, band, tenure_band;
    int32_t stage, previous_stage, risk, health_band;
    int32_t next_call_due, next_visit_due, contact_overdue;
    double expected_interval, overdue_ratio, health;
    crm_flags flags;
    crm__model_input model; /* x, t_x, T, repeat_spend; NaN for prospects */
    crm__value value;       /* NaN where no model applies */
    /* Part II (docs/DEFINITIONS.md sections 11-16) */
    crm__key_dates keys;
    double gross_profit, service_cost, profit, profit_coverage;
    int32_t profit_class, state, qualification, man_known;
    crm__mix mix;
    int64_t repeat_purchase_days;
    double discount_share, discounted_days_share;
    int32_t churn_cause, win_back;
} crm__profile;

/* Write row i of r from a customer's facts and profile; k is rfm_bins.
 * Columns the result does not hold are skipped (result/rows.c). */
void crm__result_write_row(crm_result *r, size_t i, const crm__customer *cu, int32_t as_of_day, int k,
                           const crm__profile *p);

#endif /* CRM_RESULT_RESULT_H */

/* names.c - canonical names of every enumeration, flag, column and metric.
 *
 * These strings are a contract shared by the C table, the Python binding and
 * CSV files: change none of them, append new ones. */
#include "core/core.h"

#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const segment_names[] = {
    "none",           "Champions",      "Loyal Customers", "Potential Loyalist", "New Customers", "Promising",
    "Need Attention", "About To Sleep", "At Risk",         "Can't Lose Them",    "Hibernating",   "Lost"};
static const char *const tier_names[] = {"none", "key", "major", "regular", "minor"};
static const char *const band_names[] = {"none", "head", "waist", "base"};
static const char *const tenure_names[] = {"none", "strategic", "growth", "new"};
static const char *const class_names[] = {"none", "high_value_active", "dormant_high_potential",
                                          "regular_stable", "low_value_at_risk"};
static const char *const stage_names[] = {"none",     "prospect", "new",    "stable",
                                          "advocate", "at_risk",  "lapsed", "reactivated"};
static const char *const risk_names[] = {"none", "low", "medium", "high"};
static const char *const health_names[] = {"none", "red", "yellow", "green"};
static const char *const kind_names[] = {
    "none",      "call_in",    "call_out",    "visit_in",   "visit_out",          "email_in",
    "email_out", "message_in", "message_out", "complaint",  "complaint_response", "complaint_resolution",
    "follow_up", "referral",   "survey",      "engagement", "unsubscribe",        "resubscribe"};
static const char *const ties_names[] = {"shared", "ntile"};
static const char *const basis_names[] = {"purchase_days", "records"};
static const char *const validation_names[] = {"skip", "strict"};
static const char *const model_names[] = {"none", "bgnbd", "mbgnbd", "pareto_nbd", "gamma_gamma", "bgbb"};
static const char *const fate_names[] = {"accepted",           "nonfinite",           "time_range",
                                         "after_as_of",        "unknown_kind",        "no_complaint",
                                         "before_complaint",   "duplicate_complaint", "value_range",
                                         "duplicate_customer", "unknown_code",        "replaced"};
static const char *const bool_names[] = {"false", "true"};
static const char *const status_names[] = {
    "ok",        "invalid_argument", "no_memory",      "bad_record", "no_data", "bad_option",
    "bad_rules", "not_found",        "wrong_type",     "mismatch",   "state",   "not_converged",
    "numeric",   "cancelled",        "not_identified", "corrupt",    "version", "short_buffer"};
static const char *const input_names[] = {"none", "transactions", "interactions", "customers"};
static const char *const field_names[] = {"none",     "customer_id", "time",     "amount",
                                          "kind",     "value",       "ref",      "cost",
                                          "discount", "purpose",     "birthday", "relationship_start",
                                          "money",    "authority",   "need",     "targeted"};
static const char *const option_type_names[] = {NULL, "int", "real", "enum"};
static const char *const type_names[] = {NULL, "u64", "i64", "i32", "f64"};
static const char *const unit_names[] = {"none", "id",    "day",  "days",  "count",  "money",      "score",
                                         "enum", "flags", "bool", "ratio", "points", "time_units", "hours"};
static const char *const dim_names[] = {"r", "f", "m"};
static const char *const purpose_names[] = {"none", "value", "relationship", "action"};
static const char *const answer_names[] = {"unknown", "no", "yes"};
static const char *const key_date_names[] = {"none", "birthday", "anniversary"};
static const char *const profit_class_names[] = {"none", "top", "profitable", "unprofitable"};
static const char *const state_names[] = {"none",   "non_customer", "potential", "target",
                                          "actual", "loyal",        "lost"};
static const char *const qualification_names[] = {
    "none", "ideal", "develop_need", "find_decision_maker", "offer_financing", "cultivate", "stop_contact"};
static const char *const churn_cause_names[] = {"none", "service", "price", "need_faded", "unknown"};
static const char *const win_back_names[] = {"none", "show_service_improvements", "limited_time_offer",
                                             "light_touch", "needs_survey"};
static const char *const enum_names[] = {
    "none",        "segment", "tier",     "contribution", "tenure",    "class",         "stage",
    "risk",        "health",  "kind",     "ties",         "frequency", "validation",    "model_kind",
    "fate",        "bool",    "status",   "input",        "field",     "flag",          "option",
    "option_type", "column",  "type",     "unit",         "metric",    "dim",           "purpose",
    "answer",      "enum",    "key_date", "profit_class", "state",     "qualification", "churn_cause",
    "win_back",    "phase",   "limit",    "models_source"};
static const char *const phase_names[] = {"summarize", "population", "score", "fit"};
static const char *const limit_names[] = {"common_purchase_rate", "common_dropout", "no_dropout"};
static const char *const models_source_names[] = {"none", "refit", "kept", "given", "mismatch"};

/* Descriptions: one table per enumeration that has them. The fate texts are
 * the validators' reasons, shared by every input. */
static const char *const status_texts[] = {"ok",
                                           "invalid argument",
                                           "out of memory",
                                           "bad input record",
                                           "no data",
                                           "bad option",
                                           "bad segment rules or cut points",
                                           "not found",
                                           "wrong type",
                                           "partitions do not match",
                                           "call out of order",
                                           "model fit did not converge",
                                           "numerical failure",
                                           "cancelled by the progress callback",
                                           "the data cannot identify the model",
                                           "stored bytes are damaged or truncated",
                                           "stored bytes of a newer format version",
                                           "buffer too small"};
static const char *const fate_texts[] = {"accepted",
                                         "is NaN or infinite",
                                         "is outside 0001-01-01..9999-12-31",
                                         "is later than the as-of time",
                                         "is not a known interaction kind",
                                         "refers to no complaint of this customer",
                                         "is earlier than the complaint it refers to",
                                         "repeats the reference of an earlier complaint",
                                         "is out of range",
                                         "repeats a customer id given more than once",
                                         "is not a defined code",
                                         "was replaced by a later record of the same customer"};

/* ---- churn flags ---- */

static const struct {
    const char *name;
    const char *reason;
} flag_info[] = {
    {"inactive", "no purchase for more than inactive_days (90) days"},
    {"overdue", "absent for more than twice the customer's own purchase interval"},
    {"frequency_drop", "purchase days in the recent window fell below half of the prior window"},
    {"spend_drop", "net spend in the recent window fell below half of the prior window"},
    {"value_lapsing", "key or major customer without a purchase for more than 90 days"},
    {"engagement_drop", "logins and visits in the recent window fell below half of the prior window"},
    {"unsubscribed", "unsubscribed from messages"},
    {"open_complaint", "has a complaint without a resolution"},
    {"sla_breach", "a complaint of the last year missed its response, resolution or follow-up time"},
    {"detractor", "latest survey score is 6 or lower"},
    {"contact_overdue", "the scheduled call is overdue"},
    {"mix_off", "outbound contacts are far from the 7:2:1 value / relationship / action mix"},
    {"price_sensitive", "buys mostly on days with a discount"},
};

/* ---- columns ---- */

static const struct {
    const char *name;
    int type;
    int enumeration;
    int unit;
} column_info[] = {
    {"customer_id", CRM_TYPE_U64, 0, CRM_UNIT_ID},
    {"first_purchase", CRM_TYPE_I32, 0, CRM_UNIT_DAY},
    {"last_purchase", CRM_TYPE_I32, 0, CRM_UNIT_DAY},
    {"tenure_days", CRM_TYPE_I32, 0, CRM_UNIT_DAYS},
    {"recency_days", CRM_TYPE_I32, 0, CRM_UNIT_DAYS},
    {"purchase_days", CRM_TYPE_I64, 0, CRM_UNIT_COUNT},
    {"transactions", CRM_TYPE_I64, 0, CRM_UNIT_COUNT},
    {"monetary", CRM_TYPE_F64, 0, CRM_UNIT_MONEY},
    {"gross", CRM_TYPE_F64, 0, CRM_UNIT_MONEY},
    {"returns_amount", CRM_TYPE_F64, 0, CRM_UNIT_MONEY},
    {"returns_count", CRM_TYPE_I64, 0, CRM_UNIT_COUNT},
    {"avg_spend", CRM_TYPE_F64, 0, CRM_UNIT_MONEY},
    {"median_interval_days", CRM_TYPE_F64, 0, CRM_UNIT_DAYS},
    {"recent_purchase_days", CRM_TYPE_I64, 0, CRM_UNIT_COUNT},
    {"prior_purchase_days", CRM_TYPE_I64, 0, CRM_UNIT_COUNT},
    {"recent_amount", CRM_TYPE_F64, 0, CRM_UNIT_MONEY},
    {"prior_amount", CRM_TYPE_F64, 0, CRM_UNIT_MONEY},
    {"r_score", CRM_TYPE_I32, 0, CRM_UNIT_SCORE},
    {"f_score", CRM_TYPE_I32, 0, CRM_UNIT_SCORE},
    {"m_score", CRM_TYPE_I32, 0, CRM_UNIT_SCORE},
    {"rfm_cell", CRM_TYPE_I32, 0, CRM_UNIT_SCORE},
    {"rfm_total", CRM_TYPE_I32, 0, CRM_UNIT_SCORE},
    {"segment", CRM_TYPE_I32, CRM_ENUM_SEGMENT, CRM_UNIT_ENUM},
    {"value_tier", CRM_TYPE_I32, CRM_ENUM_TIER, CRM_UNIT_ENUM},
    {"contribution_band", CRM_TYPE_I32, CRM_ENUM_CONTRIBUTION, CRM_UNIT_ENUM},
    {"tenure_band", CRM_TYPE_I32, CRM_ENUM_TENURE, CRM_UNIT_ENUM},
    {"value_class", CRM_TYPE_I32, CRM_ENUM_CLASS, CRM_UNIT_ENUM},
    {"lifecycle_stage", CRM_TYPE_I32, CRM_ENUM_STAGE, CRM_UNIT_ENUM},
    {"previous_stage", CRM_TYPE_I32, CRM_ENUM_STAGE, CRM_UNIT_ENUM},
    {"expected_interval_days", CRM_TYPE_F64, 0, CRM_UNIT_DAYS},
    {"overdue_ratio", CRM_TYPE_F64, 0, CRM_UNIT_RATIO},
    {"churn_flags", CRM_TYPE_U64, 0, CRM_UNIT_FLAGS},
    {"risk_level", CRM_TYPE_I32, CRM_ENUM_RISK, CRM_UNIT_ENUM},
    {"health_score", CRM_TYPE_F64, 0, CRM_UNIT_POINTS},
    {"health_band", CRM_TYPE_I32, CRM_ENUM_HEALTH, CRM_UNIT_ENUM},
    {"last_call", CRM_TYPE_I32, 0, CRM_UNIT_DAY},
    {"last_visit", CRM_TYPE_I32, 0, CRM_UNIT_DAY},
    {"next_call_due", CRM_TYPE_I32, 0, CRM_UNIT_DAY},
    {"next_visit_due", CRM_TYPE_I32, 0, CRM_UNIT_DAY},
    {"contact_overdue", CRM_TYPE_I32, CRM_ENUM_BOOL, CRM_UNIT_BOOL},
    {"complaints", CRM_TYPE_I64, 0, CRM_UNIT_COUNT},
    {"open_complaints", CRM_TYPE_I64, 0, CRM_UNIT_COUNT},
    {"sla_breaches", CRM_TYPE_I64, 0, CRM_UNIT_COUNT},
    {"referrals", CRM_TYPE_I64, 0, CRM_UNIT_COUNT},
    {"last_survey_score", CRM_TYPE_F64, 0, CRM_UNIT_POINTS},
    {"recent_engagement", CRM_TYPE_I64, 0, CRM_UNIT_COUNT},
    {"prior_engagement", CRM_TYPE_I64, 0, CRM_UNIT_COUNT},
    {"unsubscribed", CRM_TYPE_I32, CRM_ENUM_BOOL, CRM_UNIT_BOOL},
    {"x", CRM_TYPE_F64, 0, CRM_UNIT_COUNT},
    {"t_x", CRM_TYPE_F64, 0, CRM_UNIT_TIME_UNITS},
    {"T", CRM_TYPE_F64, 0, CRM_UNIT_TIME_UNITS},
    {"repeat_spend", CRM_TYPE_F64, 0, CRM_UNIT_MONEY},
    {"p_alive", CRM_TYPE_F64, 0, CRM_UNIT_RATIO},
    {"expected_purchases", CRM_TYPE_F64, 0, CRM_UNIT_COUNT},
    {"expected_spend", CRM_TYPE_F64, 0, CRM_UNIT_MONEY},
    {"clv", CRM_TYPE_F64, 0, CRM_UNIT_MONEY},
    {"holdout_purchases", CRM_TYPE_I64, 0, CRM_UNIT_COUNT},
    {"median_response_hours", CRM_TYPE_F64, 0, CRM_UNIT_HOURS},
    {"last_inbound", CRM_TYPE_I32, 0, CRM_UNIT_DAY},
    {"last_outbound", CRM_TYPE_I32, 0, CRM_UNIT_DAY},
    {"next_birthday", CRM_TYPE_I32, 0, CRM_UNIT_DAY},
    {"next_anniversary", CRM_TYPE_I32, 0, CRM_UNIT_DAY},
    {"relationship_years", CRM_TYPE_I32, 0, CRM_UNIT_COUNT},
    {"next_key_date", CRM_TYPE_I32, 0, CRM_UNIT_DAY},
    {"key_date_kind", CRM_TYPE_I32, CRM_ENUM_KEY_DATE, CRM_UNIT_ENUM},
    {"care_due", CRM_TYPE_I32, CRM_ENUM_BOOL, CRM_UNIT_BOOL},
    {"milestone_anniversary", CRM_TYPE_I32, CRM_ENUM_BOOL, CRM_UNIT_BOOL},
    {"gross_profit", CRM_TYPE_F64, 0, CRM_UNIT_MONEY},
    {"service_cost", CRM_TYPE_F64, 0, CRM_UNIT_MONEY},
    {"profit", CRM_TYPE_F64, 0, CRM_UNIT_MONEY},
    {"profit_coverage", CRM_TYPE_F64, 0, CRM_UNIT_RATIO},
    {"profit_class", CRM_TYPE_I32, CRM_ENUM_PROFIT_CLASS, CRM_UNIT_ENUM},
    {"customer_state", CRM_TYPE_I32, CRM_ENUM_STATE, CRM_UNIT_ENUM},
    {"qualification", CRM_TYPE_I32, CRM_ENUM_QUALIFICATION, CRM_UNIT_ENUM},
    {"man_known", CRM_TYPE_I32, 0, CRM_UNIT_COUNT},
    {"mix_value", CRM_TYPE_F64, 0, CRM_UNIT_RATIO},
    {"mix_relationship", CRM_TYPE_F64, 0, CRM_UNIT_RATIO},
    {"mix_action", CRM_TYPE_F64, 0, CRM_UNIT_RATIO},
    {"mix_distance", CRM_TYPE_F64, 0, CRM_UNIT_RATIO},
    {"repeat_purchase_days", CRM_TYPE_I64, 0, CRM_UNIT_COUNT},
    {"discount_share", CRM_TYPE_F64, 0, CRM_UNIT_RATIO},
    {"discounted_days_share", CRM_TYPE_F64, 0, CRM_UNIT_RATIO},
    {"churn_cause", CRM_TYPE_I32, CRM_ENUM_CHURN_CAUSE, CRM_UNIT_ENUM},
    {"win_back", CRM_TYPE_I32, CRM_ENUM_WIN_BACK, CRM_UNIT_ENUM},
    {"holdout_spend", CRM_TYPE_F64, 0, CRM_UNIT_MONEY},
    {"holdout_duration", CRM_TYPE_F64, 0, CRM_UNIT_TIME_UNITS},
};

#define NCOLUMNS ((int)COUNT(column_info))
static int valid_column(int column) { return column >= 0 && column < NCOLUMNS; }

int crm_column_type(int column) { return valid_column(column) ? column_info[column].type : CRM_TYPE_NONE; }
int crm_column_enum(int column) {
    return valid_column(column) ? column_info[column].enumeration : CRM_ENUM_NONE;
}
int crm_column_unit(int column) { return valid_column(column) ? column_info[column].unit : CRM_UNIT_NONE; }

/* ---- population metrics ---- */

static const char *const metric_names[] = {"customers",
                                           "scored_customers",
                                           "revenue",
                                           "complaints",
                                           "open_complaints",
                                           "sla_breaches",
                                           "response_within_sla",
                                           "resolved_within",
                                           "followed_up_within",
                                           "median_response_hours",
                                           "recovery_rate",
                                           "top20_profit_share",
                                           "unprofitable_loss_share",
                                           "mix_value",
                                           "mix_relationship",
                                           "mix_action",
                                           "mix_distance"};
static const char *const metric_texts[] = {
    "customers (rows)",
    "customers with a purchase day",
    "sum of net monetary value",
    "complaints opened within the lookback",
    "complaints without a resolution, any age",
    "complaints of the lookback that breached a handling time",
    "share of complaints answered within their SLA",
    "share of complaints resolved within resolution_seconds",
    "share of complaints followed up within follow_up_seconds",
    "median first-response time of complaints, hours",
    "share of customers with a resolved complaint who bought again after it",
    "profit of the most profitable fifth of the customers / total profit",
    "losses of the unprofitable customers / profits of the profitable ones",
    "share of value contacts among purposed outbound contacts of the last 365 days",
    "share of relationship contacts among them",
    "share of action contacts among them",
    "half the sum of the distances of the three shares from their targets"};

/* ---- the generic functions ---- */

/* Name of value i of enumeration e, or NULL; *count receives the number of values. */
static const char *name_at(int e, int32_t i, int32_t *count) {
    const char *const *names = NULL;
    size_t n = 0;
#define CASE(id, arr)                                                                                        \
    case id:                                                                                                 \
        names = arr;                                                                                         \
        n = COUNT(arr);                                                                                      \
        break
    switch (e) {
        CASE(CRM_ENUM_SEGMENT, segment_names);
        CASE(CRM_ENUM_TIER, tier_names);
        CASE(CRM_ENUM_CONTRIBUTION, band_names);
        CASE(CRM_ENUM_TENURE, tenure_names);
        CASE(CRM_ENUM_CLASS, class_names);
        CASE(CRM_ENUM_STAGE, stage_names);
        CASE(CRM_ENUM_RISK, risk_names);
        CASE(CRM_ENUM_HEALTH, health_names);
        CASE(CRM_ENUM_KIND, kind_names);
        CASE(CRM_ENUM_TIES, ties_names);
        CASE(CRM_ENUM_FREQUENCY, basis_names);
        CASE(CRM_ENUM_VALIDATION, validation_names);
        CASE(CRM_ENUM_MODEL_KIND, model_names);
        CASE(CRM_ENUM_FATE, fate_names);
        CASE(CRM_ENUM_BOOL, bool_names);
        CASE(CRM_ENUM_STATUS, status_names);
        CASE(CRM_ENUM_INPUT, input_names);
        CASE(CRM_ENUM_FIELD, field_names);
        CASE(CRM_ENUM_OPTION_TYPE, option_type_names);
        CASE(CRM_ENUM_TYPE, type_names);
        CASE(CRM_ENUM_UNIT, unit_names);
        CASE(CRM_ENUM_METRIC, metric_names);
        CASE(CRM_ENUM_DIM, dim_names);
        CASE(CRM_ENUM_PURPOSE, purpose_names);
        CASE(CRM_ENUM_ANSWER, answer_names);
        CASE(CRM_ENUM_ENUM, enum_names);
        CASE(CRM_ENUM_KEY_DATE, key_date_names);
        CASE(CRM_ENUM_PROFIT_CLASS, profit_class_names);
        CASE(CRM_ENUM_STATE, state_names);
        CASE(CRM_ENUM_QUALIFICATION, qualification_names);
        CASE(CRM_ENUM_CHURN_CAUSE, churn_cause_names);
        CASE(CRM_ENUM_WIN_BACK, win_back_names);
        CASE(CRM_ENUM_PHASE, phase_names);
        CASE(CRM_ENUM_LIMIT, limit_names);
        CASE(CRM_ENUM_MODELS_SOURCE, models_source_names);
    case CRM_ENUM_FLAG:
        *count = (int32_t)COUNT(flag_info);
        return i >= 0 && i < *count ? flag_info[i].name : NULL;
    case CRM_ENUM_COLUMN: *count = NCOLUMNS; return valid_column(i) ? column_info[i].name : NULL;
    case CRM_ENUM_OPTION: *count = CRM__OPTION_COUNT; return crm__option_name(i);
    default: break;
    }
#undef CASE
    *count = (int32_t)n;
    return i >= 0 && (size_t)i < n ? names[i] : NULL;
}

int32_t crm_enum_count(int e) {
    int32_t n = 0;
    (void)name_at(e, -1, &n);
    return n;
}

const char *crm_enum_name(int e, int32_t value) {
    int32_t n;
    return name_at(e, value, &n);
}

int32_t crm_enum_value(int e, const char *name) {
    if (!name) return -1;
    int32_t n = crm_enum_count(e);
    for (int32_t i = 0; i < n; i++) {
        const char *s = crm_enum_name(e, i);
        if (s && strcmp(s, name) == 0) return i;
    }
    return -1;
}

const char *crm_enum_description(int e, int32_t value) {
    if (value < 0) return NULL;
    size_t v = (size_t)value;
    switch (e) {
    case CRM_ENUM_STATUS: return v < COUNT(status_texts) ? status_texts[v] : NULL;
    case CRM_ENUM_FATE: return v < COUNT(fate_texts) ? fate_texts[v] : NULL;
    case CRM_ENUM_FLAG: return v < COUNT(flag_info) ? flag_info[v].reason : NULL;
    case CRM_ENUM_METRIC: return v < COUNT(metric_texts) ? metric_texts[v] : NULL;
    case CRM_ENUM_OPTION: return crm__option_description(value);
    default: return NULL;
    }
}

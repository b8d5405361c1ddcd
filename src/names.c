/* names.c - canonical names of every enumeration, flag, column and metric.
 *
 * These strings are a contract shared by the C table, the Python binding and
 * CSV files: change none of them, append new ones. */
#include "internal.h"

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
static const char *const model_names[] = {"none", "bgnbd", "mbgnbd", "pareto_nbd", "gamma_gamma"};
static const char *const fate_names[] = {"accepted",         "nonfinite",           "time_range",
                                         "after_as_of",      "unknown_kind",        "no_complaint",
                                         "before_complaint", "duplicate_complaint", "value_range"};
static const char *const bool_names[] = {"false", "true"};

typedef struct name_table {
    const char *const *names;
    size_t count;
} name_table;

static name_table table_of(int e) {
    name_table t = {NULL, 0};
#define CASE(id, arr)                                                                                        \
    case id:                                                                                                 \
        t.names = arr;                                                                                       \
        t.count = COUNT(arr);                                                                                \
        break
    switch (e) {
        CASE(CRM_ENUM_SEGMENT, segment_names);
        CASE(CRM_ENUM_VALUE_TIER, tier_names);
        CASE(CRM_ENUM_CONTRIBUTION_BAND, band_names);
        CASE(CRM_ENUM_TENURE_BAND, tenure_names);
        CASE(CRM_ENUM_VALUE_CLASS, class_names);
        CASE(CRM_ENUM_STAGE, stage_names);
        CASE(CRM_ENUM_RISK_LEVEL, risk_names);
        CASE(CRM_ENUM_HEALTH_BAND, health_names);
        CASE(CRM_ENUM_INTERACTION_KIND, kind_names);
        CASE(CRM_ENUM_TIES, ties_names);
        CASE(CRM_ENUM_FREQUENCY_BASIS, basis_names);
        CASE(CRM_ENUM_VALIDATION, validation_names);
        CASE(CRM_ENUM_MODEL, model_names);
        CASE(CRM_ENUM_FATE, fate_names);
        CASE(CRM_ENUM_BOOL, bool_names);
    default: break;
    }
#undef CASE
    return t;
}

int32_t crm_enum_count(int e) { return (int32_t)table_of(e).count; }

const char *crm_enum_name(int e, int32_t value) {
    name_table t = table_of(e);
    if (value < 0 || (size_t)value >= t.count) return NULL;
    return t.names[value];
}

int32_t crm_enum_value(int e, const char *name) {
    name_table t = table_of(e);
    if (!name) return -1;
    for (size_t i = 0; i < t.count; i++)
        if (strcmp(t.names[i], name) == 0) return (int32_t)i;
    return -1;
}

const char *crm_fate_name(int fate) { return crm_enum_name(CRM_ENUM_FATE, fate); }

/* ---- churn flags ---- */

static const struct {
    const char *name;
    const char *reason;
} flag_info[CRM_FLAG_COUNT] = {
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
};

static int flag_index(int64_t flag) {
    for (int i = 0; i < CRM_FLAG_COUNT; i++)
        if (flag == ((int64_t)1 << i)) return i;
    return -1;
}

const char *crm_flag_name(int64_t flag) {
    int i = flag_index(flag);
    return i < 0 ? NULL : flag_info[i].name;
}

const char *crm_flag_reason(int64_t flag) {
    int i = flag_index(flag);
    return i < 0 ? NULL : flag_info[i].reason;
}

/* ---- columns ---- */

static const struct {
    const char *name;
    int type;
    int enumeration;
    int unit;
} column_info[CRM_COLUMN_COUNT] = {
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
    {"value_tier", CRM_TYPE_I32, CRM_ENUM_VALUE_TIER, CRM_UNIT_ENUM},
    {"contribution_band", CRM_TYPE_I32, CRM_ENUM_CONTRIBUTION_BAND, CRM_UNIT_ENUM},
    {"tenure_band", CRM_TYPE_I32, CRM_ENUM_TENURE_BAND, CRM_UNIT_ENUM},
    {"value_class", CRM_TYPE_I32, CRM_ENUM_VALUE_CLASS, CRM_UNIT_ENUM},
    {"lifecycle_stage", CRM_TYPE_I32, CRM_ENUM_STAGE, CRM_UNIT_ENUM},
    {"previous_stage", CRM_TYPE_I32, CRM_ENUM_STAGE, CRM_UNIT_ENUM},
    {"expected_interval_days", CRM_TYPE_F64, 0, CRM_UNIT_DAYS},
    {"overdue_ratio", CRM_TYPE_F64, 0, CRM_UNIT_RATIO},
    {"churn_flags", CRM_TYPE_I64, 0, CRM_UNIT_FLAGS},
    {"risk_level", CRM_TYPE_I32, CRM_ENUM_RISK_LEVEL, CRM_UNIT_ENUM},
    {"health_score", CRM_TYPE_F64, 0, CRM_UNIT_POINTS},
    {"health_band", CRM_TYPE_I32, CRM_ENUM_HEALTH_BAND, CRM_UNIT_ENUM},
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
};

const char *crm_column_name(int column) {
    return (column >= 0 && column < CRM_COLUMN_COUNT) ? column_info[column].name : NULL;
}

int crm_column_type(int column) {
    return (column >= 0 && column < CRM_COLUMN_COUNT) ? column_info[column].type : CRM_TYPE_NONE;
}

int crm_column_enum(int column) {
    return (column >= 0 && column < CRM_COLUMN_COUNT) ? column_info[column].enumeration : CRM_ENUM_NONE;
}

int crm_column_unit(int column) {
    return (column >= 0 && column < CRM_COLUMN_COUNT) ? column_info[column].unit : CRM_UNIT_NONE;
}

int crm_column_by_name(const char *name) {
    if (!name) return -1;
    for (int i = 0; i < CRM_COLUMN_COUNT; i++)
        if (strcmp(column_info[i].name, name) == 0) return i;
    return -1;
}

/* ---- population metrics ---- */

static const char *const metric_names[CRM_METRIC_COUNT] = {
    "customers",    "scored_customers",    "revenue",         "complaints",         "open_complaints",
    "sla_breaches", "response_within_sla", "resolved_within", "followed_up_within", "median_response_hours",
    "recovery_rate"};

const char *crm_metric_name(int metric) {
    return (metric >= 0 && metric < CRM_METRIC_COUNT) ? metric_names[metric] : NULL;
}

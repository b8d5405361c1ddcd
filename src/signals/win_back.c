/* win_back.c - why an at-risk or lapsed customer leaves, and the action that
 * may win them back (docs/DEFINITIONS.md section 16). */
#include "signals/signals.h"

int32_t crm__churn_cause(const crm__customer *cu, int32_t stage, int price_sensitive) {
    if (stage != CRM_STAGE_AT_RISK && stage != CRM_STAGE_LAPSED) return CRM_CHURN_CAUSE_NONE;
    const crm__facts *f = &cu->now;
    int32_t issue = cu->inow->last_issue_day;
    if (issue != CRM_NO_DAY && (int64_t)issue >= (int64_t)f->last_day - 365) return CRM_CHURN_CAUSE_SERVICE;
    if (price_sensitive) return CRM_CHURN_CAUSE_PRICE;
    if (f->purchase_days >= 3 && (double)(f->last_day - f->prev_day) >= 2 * f->median_interval)
        return CRM_CHURN_CAUSE_NEED_FADED;
    return CRM_CHURN_CAUSE_UNKNOWN;
}

int32_t crm__win_back(int32_t cause) {
    switch (cause) {
    case CRM_CHURN_CAUSE_SERVICE: return CRM_WIN_BACK_SHOW_SERVICE_IMPROVEMENTS;
    case CRM_CHURN_CAUSE_PRICE: return CRM_WIN_BACK_LIMITED_TIME_OFFER;
    case CRM_CHURN_CAUSE_NEED_FADED: return CRM_WIN_BACK_LIGHT_TOUCH;
    case CRM_CHURN_CAUSE_UNKNOWN: return CRM_WIN_BACK_NEEDS_SURVEY;
    default: return CRM_WIN_BACK_NONE;
    }
}

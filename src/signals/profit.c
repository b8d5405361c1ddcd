/* profit.c - profit classes (docs/DEFINITIONS.md section 12): the
 * unprofitable ones, and the top fifth by profit (ties share a class). */
#include "signals/signals.h"

#include <math.h>

int32_t crm__profit_class(const crm_population *p, double profit) {
    if (isnan(profit) || p->rprofit.n == 0) return CRM_PROFIT_CLASS_NONE;
    if (profit < 0) return CRM_PROFIT_CLASS_UNPROFITABLE;
    crm__standing s = crm__stand(&p->rprofit, profit);
    double above = (double)(p->rprofit.n - s.at_most) / (double)p->rprofit.n;
    return above < 0.20 ? CRM_PROFIT_CLASS_TOP : CRM_PROFIT_CLASS_PROFITABLE;
}

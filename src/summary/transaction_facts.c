/* transaction_facts.c - a customer's transaction facts on one day (DOMAIN
 * section 2): purchase days, money, intervals, the recent and prior windows,
 * cost and discounts, in one pass over the customer's sorted records. Money
 * sums are compensated and rounded (core/money.h). */
#include "core/money.h"
#include "summary/summary.h"

#include <math.h>
#include <string.h>

void crm__tx_facts(const crm_config *c, const crm__txrec *r, size_t n, const crm__txextra *extra, int32_t day,
                   int32_t prev_day, double *gaps, crm__facts *f, crm__rhythm *prev) {
    int64_t w = crm__opt_int(c, CRM_OPTION_WINDOW_DAYS);
    int64_t lookback = crm__opt_int(c, CRM_OPTION_COMPLAINT_LOOKBACK_DAYS);
    memset(f, 0, sizeof *f);
    f->first_day = f->last_day = f->prev_day = CRM_NO_DAY;
    int32_t last_recent = CRM_NO_DAY, last_prior = CRM_NO_DAY, last_lookback = CRM_NO_DAY,
            last_discounted = CRM_NO_DAY, last_year = CRM_NO_DAY;
    crm__money gross = {0, 0}, returns = {0, 0}, net = {0, 0}, recent = {0, 0}, prior = {0, 0},
               repeat = {0, 0}, cost = {0, 0}, discount = {0, 0}, profit = {0, 0}, costed = {0, 0},
               list = {0, 0};
    size_t ngaps = 0, ngaps_prev = 0;
    memset(prev, 0, sizeof *prev);
    prev->first_day = prev->last_day = prev->prev_day = CRM_NO_DAY;
    for (size_t i = 0; i < n; i++) {
        int32_t d = r[i].day;
        if (d > day) break; /* records run in day order */
        double amount = r[i].amount;
        int64_t age = (int64_t)day - d; /* whole days before the as-of day */
        crm__money_add(&net, amount);
        if (extra && !isnan(extra[r[i].extra].cost)) { /* NaN: not known, left out of profit */
            crm__money_add(&cost, extra[r[i].extra].cost);
            crm__money_add(&profit, amount);
            crm__money_add(&profit, -extra[r[i].extra].cost);
            crm__money_add(&costed, amount);
        }
        if (amount >= 0) {
            f->purchase_records++;
            crm__money_add(&gross, amount);
            crm__money_add(&list, amount);
            if (extra) crm__money_add(&list, extra[r[i].extra].discount);
            if (extra && extra[r[i].extra].discount > 0) {
                crm__money_add(&discount, extra[r[i].extra].discount);
                if (last_discounted != d) {
                    f->discounted_days++;
                    last_discounted = d;
                }
            }
            if (f->last_day != d) {
                if (f->last_day != CRM_NO_DAY)
                    gaps[ngaps++] = (double)(d - f->last_day);
                else
                    f->first_day = d;
                f->prev_day = f->last_day;
                f->last_day = d;
                f->purchase_days++;
                if (d <= prev_day) { /* the rhythm one window ago is a prefix of today's */
                    *prev = crm__rhythm_of(f);
                    ngaps_prev = ngaps;
                }
            }
            if (age < w && last_recent != d) {
                f->recent_days++;
                last_recent = d;
            } else if (age >= w && age < 2 * w && last_prior != d) {
                f->prior_days++;
                last_prior = d;
            }
            if (age < lookback && last_lookback != d) {
                f->days_lookback++;
                last_lookback = d;
            }
            if (age < 365 && last_year != d) {
                f->days_last_year++;
                last_year = d;
            }
        } else {
            f->returns_count++;
            crm__money_add(&returns, -amount);
        }
        /* Net amount of the days after the first purchase day. Records run in
         * day order, so every record before the first purchase lies on or
         * before its day (a return may precede it on that day). */
        if (f->first_day != CRM_NO_DAY && d > f->first_day) crm__money_add(&repeat, amount);
        if (age < w)
            crm__money_add(&recent, amount);
        else if (age < 2 * w)
            crm__money_add(&prior, amount);
    }
    f->gross = crm__money_value(&gross);
    f->returns_amount = crm__money_value(&returns);
    f->monetary = crm__money_value(&net);
    f->recent_amount = crm__money_value(&recent);
    f->prior_amount = crm__money_value(&prior);
    f->cost = crm__money_value(&cost);
    f->discount = crm__money_value(&discount);
    f->gross_profit = crm__money_value(&profit);
    f->costed_net = crm__money_value(&costed);
    f->list_value = crm__money_value(&list);
    /* The prefix first: a median reorders the values it reads. Without a
     * purchase in the last window the two are the same gaps. */
    prev->median_interval = crm__median(gaps, ngaps_prev);
    f->median_interval = ngaps == ngaps_prev ? prev->median_interval : crm__median(gaps, ngaps);
    f->repeat_spend = f->purchase_days > 1 ? crm__money_value(&repeat) / (double)(f->purchase_days - 1) : NAN;
}

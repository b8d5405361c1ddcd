/* whale.c - profit concentration over a result's rows (docs/DEFINITIONS.md
 * section 12): the whale curve, the top fifth's share of the profit, and the
 * share of it the unprofitable customers consume. */
#include "core/money.h"
#include "result/result.h"

#include <math.h>

/* The rows with a purchase day and a profit, most profitable first, ties by
 * customer id: pairs of (order key of -profit, row). */
static crm_status ranked_rows(const crm_result *r, crm__kv **out, size_t *n) {
    const double *profit = r->columns[CRM_COLUMN_PROFIT];
    const int64_t *days = r->columns[CRM_COLUMN_PURCHASE_DAYS];
    *out = NULL;
    *n = 0;
    if (!profit || !days) return CRM_STATUS_NOT_FOUND;
    size_t m = 0;
    for (size_t i = 0; i < r->rows; i++) m += days[i] > 0 && !isnan(profit[i]);
    if (m == 0) return CRM_STATUS_NOT_FOUND;
    crm__kv *v = crm__calloc(&r->allocator, m, sizeof *v), *tmp = crm__calloc(&r->allocator, m, sizeof *tmp);
    if (!v || !tmp) {
        crm__free(&r->allocator, v);
        crm__free(&r->allocator, tmp);
        return CRM_STATUS_NO_MEMORY;
    }
    for (size_t i = 0, j = 0; i < r->rows; i++) /* rows are in id order: the stable sort keeps it for ties */
        if (days[i] > 0 && !isnan(profit[i])) {
            double neg = -profit[i];
            uint64_t b;
            if (neg == 0) neg = 0;
            memcpy(&b, &neg, sizeof b);
            v[j].key = (b >> 63) ? ~b : b | (UINT64_C(1) << 63);
            v[j++].val = i;
        }
    crm__kv *sorted = crm__radix_sort_kv(v, tmp, m, 64);
    if (sorted != v) memcpy(v, sorted, m * sizeof *v);
    crm__free(&r->allocator, tmp);
    *out = v;
    *n = m;
    return CRM_STATUS_OK;
}

crm_status crm__profit_metrics(crm_result *r, crm_error *err) {
    crm__kv *v;
    size_t n;
    crm_status st = ranked_rows(r, &v, &n);
    if (st == CRM_STATUS_NOT_FOUND) return CRM_STATUS_OK; /* no profit: the metrics stay NaN */
    if (st != CRM_STATUS_OK) return crm__nomem(err);
    const double *profit = r->columns[CRM_COLUMN_PROFIT];
    crm__money total = {0, 0}, top = {0, 0}, gains = {0, 0}, losses = {0, 0};
    size_t fifth = (n + 4) / 5;
    for (size_t i = 0; i < n; i++) {
        double x = profit[v[i].val];
        crm__money_add(&total, x);
        if (i < fifth) crm__money_add(&top, x);
        crm__money_add(x >= 0 ? &gains : &losses, x);
    }
    double t = crm__money_value(&total), g = crm__money_value(&gains);
    r->metrics[CRM_METRIC_TOP20_PROFIT_SHARE] = t != 0 ? crm__money_value(&top) / t : NAN;
    r->metrics[CRM_METRIC_UNPROFITABLE_LOSS_SHARE] = g > 0 ? -crm__money_value(&losses) / g : NAN;
    crm__free(&r->allocator, v);
    return CRM_STATUS_OK;
}

crm_status crm_result_whale_curve(const crm_result *r, double *customer_share, double *profit_share,
                                  size_t capacity, size_t *n, crm_error *err) {
    crm__error_clear(err);
    if (!r || !n || (capacity > 0 && (!customer_share || !profit_share)))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_result_whale_curve: NULL argument");
    crm__kv *v;
    size_t m;
    crm_status st = ranked_rows(r, &v, &m);
    if (st == CRM_STATUS_NOT_FOUND)
        return crm__fail(err, st, "no customer has a profit: the analysis had no cost column");
    if (st != CRM_STATUS_OK) return crm__nomem(err);
    const double *profit = r->columns[CRM_COLUMN_PROFIT];
    crm__money total = {0, 0}, cum = {0, 0};
    for (size_t i = 0; i < m; i++) crm__money_add(&total, profit[v[i].val]);
    double t = crm__money_value(&total);
    *n = m + 1;
    for (size_t i = 0; i <= m && i < capacity; i++) {
        customer_share[i] = (double)i / (double)m;
        profit_share[i] = t != 0 ? crm__money_value(&cum) / t : NAN;
        if (i < m) crm__money_add(&cum, profit[v[i].val]);
    }
    crm__free(&r->allocator, v);
    return CRM_STATUS_OK;
}

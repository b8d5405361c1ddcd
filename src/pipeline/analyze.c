/* analyze.c - crm_analyze, the whole pipeline on one partition in one call. */
#include "population/population.h"

crm_status crm_analyze(const crm_config *config, const crm_transactions *transactions,
                       const crm_interactions *interactions, const crm_customers *customers, crm_result **out,
                       crm_error *err) {
    crm__error_clear(err);
    if (!out) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_analyze: out is NULL");
    *out = NULL;
    crm_summary *s = NULL;
    crm_population *p = NULL;
    crm_status st = crm_summarize(config, transactions, interactions, customers, &s, err);
    if (st == CRM_STATUS_OK) st = crm_population_create(config, &p, err);
    if (st == CRM_STATUS_OK) st = crm_population_add(p, s, err);
    if (st == CRM_STATUS_OK) st = crm_population_finish(p, err);
    if (st == CRM_STATUS_OK) st = crm_score(p, s, out, err);
    crm_population_free(p);
    crm_summary_free(s);
    return st;
}

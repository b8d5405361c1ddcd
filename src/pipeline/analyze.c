/* analyze.c - crm_analyze, the whole pipeline on one partition in one call.
 * Between its stages it reports to the configuration's progress callback,
 * which may stop the analysis (CRM_STATUS_CANCELLED); the model fits of the
 * population stage report on their own. */
#include "population/population.h"

crm_status crm_analyze(const crm_config *config, const crm_transactions *transactions,
                       const crm_interactions *interactions, const crm_customers *customers, crm_result **out,
                       crm_error *err) {
    crm__error_clear(err);
    if (!out) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_analyze: out is NULL");
    *out = NULL;
    crm_summary *s = NULL;
    crm_population *p = NULL;
    crm_status st = crm__report_stage(config, CRM_PHASE_SUMMARIZE, 0, "crm_analyze", err);
    if (st == CRM_STATUS_OK) st = crm_summarize(config, transactions, interactions, customers, &s, err);
    if (st == CRM_STATUS_OK) st = crm__report_stage(config, CRM_PHASE_POPULATION, 1, "crm_analyze", err);
    if (st == CRM_STATUS_OK) st = crm_population_create(config, &p, err);
    if (st == CRM_STATUS_OK) st = crm_population_add(p, s, err);
    if (st == CRM_STATUS_OK) st = crm_population_finish(p, err);
    if (st == CRM_STATUS_OK) st = crm__report_stage(config, CRM_PHASE_SCORE, 2, "crm_analyze", err);
    if (st == CRM_STATUS_OK) st = crm_score(p, s, out, err);
    /* The analysis is complete: this last report cannot stop it any more. */
    if (st == CRM_STATUS_OK && config) (void)crm__progress(config, CRM_PHASE_SCORE, 3, 3);
    crm_population_free(p);
    crm_summary_free(s);
    return st;
}

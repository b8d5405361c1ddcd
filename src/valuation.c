/* valuation.c - customer value from the fitted models (DOMAIN section 10). */
#include "internal.h"

crm_status crm__population_models(crm_population *p, crm_error *err) {
    if (crm__opt_int(&p->config, CRM_OPT_MODEL) != CRM_MODEL_NONE || crm__opt_int(&p->config, CRM_OPT_SPEND_MODEL))
        return crm__fail(err, CRM_E_INVALID_ARGUMENT, "models are not wired into the analysis yet");
    return CRM_OK;
}

size_t crm__valuation_columns(const crm_population *p, int *columns) {
    (void)p;
    (void)columns;
    return 0;
}

crm_status crm__valuation_rows(const crm_population *p, const crm_summary *s, crm_result *r, crm_error *err) {
    (void)p;
    (void)s;
    (void)r;
    (void)err;
    return CRM_OK;
}

/* models/valuation.h - customer value from the fitted models (DOMAIN
 * section 10), between the summary and the result: fit the enabled models
 * once on the population's model inputs, then value each customer.
 * Internal (not installed): names use the prefix crm__. */
#ifndef CRM_MODELS_VALUATION_H
#define CRM_MODELS_VALUATION_H

#include "summary/summary.h"

/* Models by crm_model_kind; NULL where not fitted. */
#define CRM__MODEL_SLOTS 5

/* Fit the purchase model and Gamma-Gamma the configuration enables on the
 * model inputs of every scored customer; a fit that does not converge is
 * kept and reported by its handle. models[] receives owned handles. */
crm_status crm__fit_models(const crm_config *c, const crm__model_input *in, size_t n,
                           crm_model *models[CRM__MODEL_SLOTS], crm_error *err);

/* What the models say of one customer; NaN where no model applies. */
typedef struct crm__value {
    double p_alive, expected_purchases, expected_spend, clv;
} crm__value;

/* Value n customers from their model inputs. CRM_STATUS_NO_MEMORY or a
 * prediction failure. */
crm_status crm__value_customers(const crm_config *c, crm_model *const models[CRM__MODEL_SLOTS],
                                const crm__model_input *in, size_t n, crm__value *out, crm_error *err);

/* Which value columns an analysis gets: the purchase model's (p_alive,
 * expected_purchases, clv) and Gamma-Gamma's (expected_spend). */
int crm__has_purchase_model(const crm_config *c, crm_model *const models[CRM__MODEL_SLOTS]);
int crm__has_spend_model(crm_model *const models[CRM__MODEL_SLOTS]);

/* A copy of m made with allocator a (models hold no pointers); NULL when out of memory. */
crm_model *crm__model_clone(const crm_allocator *a, const crm_model *m);

#endif /* CRM_MODELS_VALUATION_H */

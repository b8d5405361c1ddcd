/* model.c - the crm_model handle: which kinds exist and what their
 * parameters are called, models made from known parameters, the accessors
 * and crm_model_free. A model is one allocation with no pointers (it keeps a
 * copy of its allocator), so the analysis can copy it freely. Fitting is in
 * fit.c and stderr.c, predictions in predict.c, the formulas of each kind in
 * bgnbd.c, mbgnbd.c, paretonbd.c and gammagamma.c. */
#include "models/models.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const crm__model_ops *crm__model_ops_of(int kind) {
    switch (kind) {
    case CRM_MODEL_KIND_BGNBD: return &crm__bgnbd_ops;
    case CRM_MODEL_KIND_MBGNBD: return &crm__mbgnbd_ops;
    case CRM_MODEL_KIND_PARETO_NBD: return &crm__paretonbd_ops;
    case CRM_MODEL_KIND_GAMMA_GAMMA: return &crm__gammagamma_ops;
    case CRM_MODEL_KIND_BGBB: return &crm__bgbb_ops;
    default: return NULL;
    }
}

const char *crm__model_label(int kind) {
    switch (kind) {
    case CRM_MODEL_KIND_BGNBD: return "BG/NBD";
    case CRM_MODEL_KIND_MBGNBD: return "MBG/NBD";
    case CRM_MODEL_KIND_PARETO_NBD: return "Pareto/NBD";
    case CRM_MODEL_KIND_BGBB: return "BG/BB";
    default: return "Gamma-Gamma";
    }
}

const crm_config *crm__config_or_defaults(const crm_config *config, crm_config *storage) {
    if (config) return config;
    crm__config_defaults(storage, NULL);
    return storage;
}

crm_status crm__model_alloc(const crm_config *c, const crm__model_ops *ops, crm_model **out) {
    crm_model *m = crm__alloc(&c->allocator, sizeof *m);
    if (!m) return CRM_STATUS_NO_MEMORY;
    memset(m, 0, sizeof *m);
    m->allocator = c->allocator;
    m->kind = ops->kind;
    m->nparams = ops->nparams;
    for (size_t i = 0; i < CRM__MODEL_MAX_PARAMS; i++) m->param[i] = m->se[i] = NAN;
    m->loglik = NAN;
    m->nobs = NAN;
    m->time_unit_days = NAN;
    m->status = CRM_STATUS_OK;
    *out = m;
    return CRM_STATUS_OK;
}

crm_status crm_model_from_params(const crm_config *config, int kind, const double *params, size_t n,
                                 crm_model **out, crm_error *err) {
    if (out == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    const crm__model_ops *ops = crm__model_ops_of(kind);
    if (ops == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "unknown model kind %d", kind);
    if (n != ops->nparams)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "this model has %lu parameters, %lu given",
                         (unsigned long)ops->nparams, (unsigned long)n);
    if (params == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "params is NULL");
    for (size_t i = 0; i < n; i++)
        if (!(params[i] > 0) || !isfinite(params[i]))
            return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "parameter %s must be finite and positive",
                             ops->names[i]);
    crm_config defaults;
    crm_model *m = NULL;
    if (crm__model_alloc(crm__config_or_defaults(config, &defaults), ops, &m) != CRM_STATUS_OK)
        return crm__nomem(err);
    for (size_t i = 0; i < n; i++) m->param[i] = params[i];
    m->converged = 1; /* nothing to fit */
    *out = m;
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

int crm__model_usable(const crm_model *m) {
    return m->status == CRM_STATUS_OK || m->status == CRM_STATUS_NOT_CONVERGED;
}

crm_status crm__model_unusable(const crm_model *m, crm_error *err) {
    return crm__fail(err, CRM_STATUS_NOT_IDENTIFIED, "the %s model was not fitted: %s",
                     crm__model_label(m->kind), m->message);
}

crm_status crm__model_unfitted(const crm_config *c, int kind, int status, const char *why, crm_model **out) {
    crm_model *m = NULL;
    if (crm__model_alloc(c, crm__model_ops_of(kind), &m) != CRM_STATUS_OK) return CRM_STATUS_NO_MEMORY;
    m->status = status;
    snprintf(m->message, sizeof m->message, "%s", why);
    *out = m;
    return CRM_STATUS_OK;
}

void crm_model_free(crm_model *model) {
    if (model == NULL) return;
    crm_allocator a = model->allocator; /* the model's memory holds the allocator */
    crm__free(&a, model);
}

size_t crm_model_param_count(int kind) {
    const crm__model_ops *ops = crm__model_ops_of(kind);
    return ops ? ops->nparams : 0;
}

const char *crm_model_param_name(int kind, size_t i) {
    const crm__model_ops *ops = crm__model_ops_of(kind);
    return ops && i < ops->nparams ? ops->names[i] : NULL;
}

double crm_model_time_unit_days(const crm_model *model) { return model ? model->time_unit_days : NAN; }

int crm_model_kind_of(const crm_model *model) { return model ? model->kind : 0; }
double crm_model_param(const crm_model *model, size_t i) {
    return model && i < model->nparams ? model->param[i] : NAN;
}
double crm_model_stderr(const crm_model *model, size_t i) {
    return model && i < model->nparams ? model->se[i] : NAN;
}
double crm_model_loglik(const crm_model *model) { return model ? model->loglik : NAN; }
int crm_model_converged(const crm_model *model) { return model ? model->converged : 0; }
int64_t crm_model_iterations(const crm_model *model) { return model ? model->iterations : 0; }

uint32_t crm_model_limits(const crm_model *model) { return model ? model->limits : 0; }
int crm_model_status(const crm_model *model) { return model ? model->status : CRM_STATUS_INVALID_ARGUMENT; }
const char *crm_model_message(const crm_model *model) { return model ? model->message : ""; }

/* models.c - the models of a state's results: fitted again by every result
 * (the default, exactly crm_analyze), or fitted once by crm_state_fit and
 * kept, in the handle and in its bytes, so that a nightly close values its
 * customers with last week's parameters instead of fitting every night. */
#include "state/state.h"

int crm__state_fitted_kinds(const crm_state_handle *s, int kinds[2]) {
    int n = 0;
    const int purchase = (int)crm__opt_int(&s->config, CRM_OPTION_MODEL);
    if (purchase != CRM_MODEL_KIND_NONE && s->config.model_size[purchase] == 0) kinds[n++] = purchase;
    if (crm__opt_int(&s->config, CRM_OPTION_SPEND_MODEL) &&
        s->config.model_size[CRM_MODEL_KIND_GAMMA_GAMMA] == 0)
        kinds[n++] = CRM_MODEL_KIND_GAMMA_GAMMA;
    return n;
}

int crm__state_fit_matches(const crm_state_handle *s) {
    int kinds[2];
    const int n = crm__state_fitted_kinds(s, kinds);
    const double unit = crm__opt(&s->config, CRM_OPTION_TIME_UNIT_DAYS);
    for (int i = 0; i < n; i++)
        if (s->kept_size[kinds[i]] == 0 || (!isnan(s->kept_unit[kinds[i]]) && s->kept_unit[kinds[i]] != unit))
            return 0; /* NaN: a unit not known is taken to be the analysis's, as for given models */
    return 1;
}

void crm__state_forget_fit(crm_state_handle *s) {
    for (int k = 0; k < CRM__GIVEN_MODELS; k++) {
        crm__free(&s->allocator, s->kept[k]);
        s->kept[k] = NULL;
        s->kept_size[k] = 0;
        s->kept_unit[k] = 0;
    }
    s->fitted_at = INT64_MIN;
}

crm_status crm_state_set_progress(crm_state_handle *s, crm_progress_fn fn, void *opaque, crm_error *err) {
    crm__error_clear(err);
    if (!s) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_state_set_progress: state is NULL");
    return crm_config_set_progress(&s->config, fn, opaque, err);
}

void crm_state_forget_fit(crm_state_handle *s) {
    if (s) crm__state_forget_fit(s);
}

int crm_state_models(const crm_state_handle *s, int64_t *fitted_at) {
    if (fitted_at) *fitted_at = s ? s->fitted_at : INT64_MIN;
    if (!s) return CRM_MODELS_SOURCE_NONE;
    /* What results use: a kept fit only serves models the configuration enables and does not give. */
    int kinds[2];
    if (crm__state_fitted_kinds(s, kinds) > 0) {
        if (s->fitted_at == INT64_MIN) return CRM_MODELS_SOURCE_REFIT;
        return crm__state_fit_matches(s) ? CRM_MODELS_SOURCE_KEPT : CRM_MODELS_SOURCE_MISMATCH;
    }
    const int purchase = (int)crm__opt_int(&s->config, CRM_OPTION_MODEL);
    const int spend = crm__opt_int(&s->config, CRM_OPTION_SPEND_MODEL) != 0;
    return purchase != CRM_MODEL_KIND_NONE || spend ? CRM_MODELS_SOURCE_GIVEN : CRM_MODELS_SOURCE_NONE;
}

crm_status crm_state_fit(crm_state_handle *s, int64_t as_of, crm_error *err) {
    crm__error_clear(err);
    if (!s) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_state_fit: state is NULL");
    int kinds[2];
    const int nkinds = crm__state_fitted_kinds(s, kinds);
    if (nkinds == 0)
        return crm__fail(err, CRM_STATUS_STATE,
                         "crm_state_fit: no model to fit: the configuration enables none (options model, "
                         "spend_model) or gives every one it enables (crm_config_set_model)");
    crm_result *res = NULL;
    crm_status st = crm__state_result(s, as_of, 0, "crm_state_fit", &res, err);
    if (st != CRM_STATUS_OK) return st;
    /* Every model first, then the state: a fit that fails changes nothing. */
    unsigned char *bytes[2] = {NULL, NULL};
    size_t sizes[2] = {0, 0};
    const char *unconverged = NULL;
    for (int i = 0; i < nkinds && st == CRM_STATUS_OK; i++) {
        const char *name = crm_enum_name(CRM_ENUM_MODEL_KIND, kinds[i]);
        const crm_model *m = crm_result_model(res, kinds[i]);
        if (!m) {
            st =
                crm__fail(err, CRM_STATUS_NO_DATA, "crm_state_fit: no customer to fit the %s model on", name);
        } else if (crm_model_status(m) != CRM_STATUS_OK && crm_model_status(m) != CRM_STATUS_NOT_CONVERGED) {
            st = crm__fail(err, (crm_status)crm_model_status(m), "crm_state_fit: the %s model: %s", name,
                           crm_model_message(m));
        } else {
            if (crm_model_status(m) == CRM_STATUS_NOT_CONVERGED) unconverged = name;
            (void)crm_model_save(m, NULL, 0, &sizes[i], NULL); /* the size needed */
            bytes[i] = crm__alloc(&s->allocator, sizes[i]);
            st = bytes[i] ? crm_model_save(m, bytes[i], sizes[i], &sizes[i], err) : crm__nomem(err);
        }
    }
    if (st == CRM_STATUS_OK) {
        crm__state_forget_fit(s);
        for (int i = 0; i < nkinds; i++) {
            s->kept[kinds[i]] = bytes[i];
            s->kept_size[kinds[i]] = sizes[i];
            s->kept_unit[kinds[i]] = crm__opt(&s->config, CRM_OPTION_TIME_UNIT_DAYS);
        }
        s->fitted_at = crm_result_as_of(res);
        if (unconverged) /* kept all the same, as crm_model_fit gives such a model */
            st = crm__fail(err, CRM_STATUS_NOT_CONVERGED,
                           "crm_state_fit: the %s fit reached its budget (max_iterations, max_evaluations or "
                           "fit_seconds) before converging; its parameters are kept",
                           unconverged);
    } else {
        for (int i = 0; i < nkinds; i++) crm__free(&s->allocator, bytes[i]);
    }
    crm_result_free(res);
    return st;
}

/* state.c - the nightly state handle: creation, growth, freeing and counts. */
#include "state/state.h"

crm_status crm__state_new(const crm_config *config, crm_state_handle **out, crm_error *err) {
    crm_config defaults;
    if (!config) {
        crm__config_defaults(&defaults, NULL);
        config = &defaults;
    }
    crm_status st = crm__config_validate(config, err);
    if (st != CRM_STATUS_OK) return st;
    const crm_allocator *a = &config->allocator;
    crm_state_handle *s = crm__calloc(a, 1, sizeof *s);
    if (!s) return crm__nomem(err);
    s->allocator = *a;
    st = crm__config_copy_into(&s->config, config, err);
    if (st != CRM_STATUS_OK) {
        crm__free(a, s);
        return st;
    }
    s->latest = INT64_MIN;
    s->fitted_at = INT64_MIN;
    *out = s;
    return CRM_STATUS_OK;
}

crm_status crm_state_create(const crm_config *config, crm_state_handle **out, crm_error *err) {
    crm__error_clear(err);
    if (!out) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_state_create: out is NULL");
    *out = NULL;
    return crm__state_new(config, out, err);
}

void crm_state_free(crm_state_handle *s) {
    if (!s) return;
    crm_allocator a = s->allocator;
    crm__free(&a, s->tx);
    crm__free(&a, s->extra);
    crm__free(&a, s->ix);
    crm__free(&a, s->at);
    crm__state_forget_fit(s);
    crm__config_release(&s->config);
    crm__free(&a, s);
}

crm_status crm__state_grow(const crm_allocator *a, void **data, size_t *cap, size_t n, size_t extra,
                           size_t elem) {
    if (n >= SIZE_MAX / elem || extra >= SIZE_MAX / elem - n) return CRM_STATUS_NO_MEMORY;
    size_t need = n + extra;
    if (*data && need <= *cap) return CRM_STATUS_OK;
    size_t grown = *cap + *cap / 2;
    if (grown < need || grown > SIZE_MAX / elem - 1) grown = need;
    void *p = crm__alloc(a, (grown + 1) * elem); /* not zeroed: only [0, n) is ever read */
    if (!p) return CRM_STATUS_NO_MEMORY;
    if (*data && n) memcpy(p, *data, n * elem);
    crm__free(a, *data);
    *data = p;
    *cap = grown;
    return CRM_STATUS_OK;
}

size_t crm_state_customers(const crm_state_handle *s) {
    if (!s) return 0;
    /* Merge the three sorted id runs, counting distinct ids. */
    size_t i = 0, j = 0, k = 0, count = 0;
    while (i < s->ntx || j < s->nix || k < s->nat) {
        uint64_t id = UINT64_MAX;
        if (i < s->ntx && s->tx[i].id < id) id = s->tx[i].id;
        if (j < s->nix && s->ix[j].id < id) id = s->ix[j].id;
        if (k < s->nat && s->at[k].id < id) id = s->at[k].id;
        while (i < s->ntx && s->tx[i].id == id) i++;
        while (j < s->nix && s->ix[j].id == id) j++;
        while (k < s->nat && s->at[k].id == id) k++;
        count++;
    }
    return count;
}

int64_t crm_state_records(const crm_state_handle *s, int input) {
    if (!s) return 0;
    switch (input) {
    case CRM_INPUT_TRANSACTIONS: return (int64_t)s->ntx;
    case CRM_INPUT_INTERACTIONS: return (int64_t)s->nix;
    case CRM_INPUT_CUSTOMERS: return (int64_t)s->nat;
    default: return 0;
    }
}

int64_t crm_state_latest(const crm_state_handle *s) { return s ? s->latest : INT64_MIN; }

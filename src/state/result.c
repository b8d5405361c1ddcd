/* result.c - crm_state_result: the summary of the kept records at an as-of
 * time, made by the summary stage's own fill, then the population and the
 * rows exactly as crm_analyze makes them. */
#include "population/population.h"
#include "state/state.h"

#include <stdio.h>

/* The default as-of of crm_summarize: the last second of the day of the
 * latest transaction, else of the latest accepted interaction. */
static int default_as_of(const crm_state_handle *s, const crm__ixrec *ix, size_t nix, int64_t *as_of) {
    int64_t offset = crm__opt_int(&s->config, CRM_OPTION_DAY_OFFSET);
    int64_t day;
    if (s->ntx > 0) {
        int32_t latest = s->tx[0].day;
        for (size_t i = 1; i < s->ntx; i++)
            if (s->tx[i].day > latest) latest = s->tx[i].day;
        day = latest;
    } else if (nix > 0) {
        int64_t latest = ix[0].time;
        for (size_t i = 1; i < nix; i++)
            if (ix[i].time > latest) latest = ix[i].time;
        day = crm__day_of(latest, offset);
    } else {
        return 0;
    }
    *as_of = (day + 1) * 86400 - 1 - offset;
    if (*as_of > CRM_TIME_MAX) *as_of = CRM_TIME_MAX;
    return 1;
}

/* Into cfg (a shallow copy of the state's configuration), the kept models
 * as given ones, for the kinds the configuration enables and does not give.
 * CRM_STATUS_MISMATCH when the kept fit lacks one of them, or has another
 * time unit (a state loaded with a configuration other than the fit's). */
static crm_status use_kept(const crm_state_handle *s, const char *who, crm_config *cfg, crm_error *err) {
    int kinds[2];
    const int n = crm__state_fitted_kinds(s, kinds);
    if (!crm__state_fit_matches(s)) {
        char kept[64] = "", wanted[64] = "";
        size_t used = 0;
        for (int k = 0; k < CRM__GIVEN_MODELS; k++)
            if (s->kept_size[k] && used < sizeof kept)
                used += (size_t)snprintf(kept + used, sizeof kept - used, "%s%s", used ? ", " : "",
                                         crm_enum_name(CRM_ENUM_MODEL_KIND, k));
        used = 0;
        for (int i = 0; i < n && used < sizeof wanted; i++)
            used += (size_t)snprintf(wanted + used, sizeof wanted - used, "%s%s", used ? ", " : "",
                                     crm_enum_name(CRM_ENUM_MODEL_KIND, kinds[i]));
        return crm__fail(err, CRM_STATUS_MISMATCH,
                         "%s: the kept fit (%s) does not serve the models the configuration enables (%s, "
                         "time_unit_days %g): fit again (crm_state_fit) or forget the fit "
                         "(crm_state_forget_fit)",
                         who, kept, wanted, crm__opt(&s->config, CRM_OPTION_TIME_UNIT_DAYS));
    }
    for (int i = 0; i < n; i++) {
        cfg->model_bytes[kinds[i]] = s->kept[kinds[i]]; /* borrowed: cfg is never released */
        cfg->model_size[kinds[i]] = s->kept_size[kinds[i]];
    }
    return CRM_STATUS_OK;
}

crm_status crm_state_result(const crm_state_handle *s, int64_t as_of, crm_result **out, crm_error *err) {
    crm__error_clear(err);
    if (!s || !out)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_state_result: state or out is NULL");
    *out = NULL;
    return crm__state_result(s, as_of, s->fitted_at != INT64_MIN, "crm_state_result", out, err);
}

crm_status crm__state_result(const crm_state_handle *s, int64_t as_of, int kept, const char *who,
                             crm_result **out, crm_error *err) {
    const crm_allocator *a = &s->allocator;
    int64_t total = s->totals[CRM_INPUT_TRANSACTIONS] + s->totals[CRM_INPUT_INTERACTIONS] +
                    s->totals[CRM_INPUT_CUSTOMERS];
    if (s->ntx + s->nix + s->nat == 0)
        return crm__fail(err, CRM_STATUS_NO_DATA, "no valid record: all %lld records were rejected",
                         (long long)total);

    /* Link the complaint events on a copy: the account of the interactions
     * is the one of their batches plus what linking rejects. */
    int64_t ix_counts[CRM__FATE_COUNT];
    memcpy(ix_counts, s->rejected[CRM_INPUT_INTERACTIONS], sizeof ix_counts);
    crm__ixrec *ix = crm__calloc(a, s->nix + 1, sizeof *ix);
    if (!ix) return crm__nomem(err);
    if (s->nix) memcpy(ix, s->ix, s->nix * sizeof *ix);
    size_t nix = s->nix;
    crm__rejects rej;
    crm__rejects_init(&rej, &s->config, CRM_INPUT_INTERACTIONS, ix_counts);
    crm_status st = crm__ix_link(&s->config, ix, &nix, ix_counts, &rej, err);
    if (st == CRM_STATUS_OK) st = crm__rejects_finish(&rej, err);
    if (st != CRM_STATUS_OK) {
        crm__free(a, ix);
        return st;
    }

    if (as_of == INT64_MIN) {
        if (s->config.as_of_set) {
            as_of = s->config.as_of;
        } else if (!default_as_of(s, ix, nix, &as_of)) {
            crm__free(a, ix);
            return crm__fail(err, CRM_STATUS_NO_DATA,
                             "customer attributes alone do not date an analysis: give as_of");
        }
    }
    if (as_of < s->latest || as_of < CRM_TIME_MIN || as_of > CRM_TIME_MAX) {
        crm__free(a, ix);
        return crm__fail(err, CRM_STATUS_STATE,
                         "%s: as_of %lld is earlier than the latest record kept (%lld) or out of range", who,
                         (long long)as_of, (long long)s->latest);
    }

    crm_config cfg = s->config; /* shallow: read only, with this as-of */
    cfg.as_of = as_of;
    cfg.as_of_set = 1;
    st = kept ? use_kept(s, who, &cfg, err) : CRM_STATUS_OK;
    if (st != CRM_STATUS_OK) {
        crm__free(a, ix);
        return st;
    }
    crm_summary *sum = NULL;
    crm_population *pop = NULL;
    crm__attrs *at = NULL;
    size_t nat = 0;
    st = crm__report_stage(&cfg, CRM_PHASE_SUMMARIZE, 0, who, err);
    if (st == CRM_STATUS_OK) st = crm__summary_new(&cfg, as_of, &sum, err);
    if (st == CRM_STATUS_OK) {
        sum->has_cost = s->has_cost;
        sum->has_discount = s->has_discount;
        sum->has_purpose = s->has_purpose;
        memcpy(sum->totals, s->totals, sizeof sum->totals);
        memcpy(sum->records, s->rejected, sizeof sum->records);
        memcpy(sum->records[CRM_INPUT_INTERACTIONS], ix_counts, sizeof ix_counts);
        sum->records[CRM_INPUT_TRANSACTIONS][CRM_FATE_ACCEPTED] = (int64_t)s->ntx;
        /* The kept attributes, checked against this as-of day. */
        crm_customers cv;
        crm_customers_init(&cv, NULL);
        cv.count = s->nat;
        if (s->nat) {
            const size_t st_at = sizeof *s->at;
            cv.customer_id = &s->at[0].id;
            cv.customer_id_stride = st_at;
            cv.birthday = &s->at[0].birthday;
            cv.birthday_stride = st_at;
            cv.relationship_start = &s->at[0].relationship_start;
            cv.relationship_start_stride = st_at;
            cv.money = &s->at[0].money;
            cv.money_stride = st_at;
            cv.authority = &s->at[0].authority;
            cv.authority_stride = st_at;
            cv.need = &s->at[0].need;
            cv.need_stride = st_at;
            cv.targeted = &s->at[0].targeted;
            cv.targeted_stride = st_at;
        }
        st = crm__attrs_prepare(&cfg, &cv, sum->as_of_day, &at, &nat, sum->records[CRM_INPUT_CUSTOMERS], err);
    }
    if (st == CRM_STATUS_OK) {
        crm__txset txs;
        txs.rec = s->tx;
        txs.extra = s->extra;
        txs.n = s->ntx;
        st = crm__summary_fill(sum, &txs, ix, nix, at, nat, (size_t)total, err);
        at = NULL; /* the summary's now */
    }
    crm__free(a, at);
    crm__free(a, ix);
    if (st == CRM_STATUS_OK) st = crm__report_stage(&cfg, CRM_PHASE_POPULATION, 1, who, err);
    if (st == CRM_STATUS_OK) st = crm_population_create(&cfg, &pop, err);
    if (st == CRM_STATUS_OK) st = crm_population_add(pop, sum, err);
    if (st == CRM_STATUS_OK) st = crm_population_finish(pop, err);
    if (st == CRM_STATUS_OK) st = crm__report_stage(&cfg, CRM_PHASE_SCORE, 2, who, err);
    if (st == CRM_STATUS_OK) st = crm_score(pop, sum, out, err);
    if (st == CRM_STATUS_OK) (void)crm__progress(&cfg, CRM_PHASE_SCORE, 3, 3); /* done: cannot stop now */
    crm_population_free(pop);
    crm_summary_free(sum);
    return st;
}

/* state/state.h - the nightly state: every accepted record, kept sorted as
 * the input stage sorts them, so that a result is the summary stage's fill
 * over them (no validation or sorting of the history again).
 * Internal (not installed): names use the prefix crm__. */
#ifndef CRM_STATE_STATE_H
#define CRM_STATE_STATE_H

#include "summary/summary.h"

/* What is kept, per record (in memory):
 * - a transaction: a crm__txrec (24 bytes: id, amount, day, index of its
 *   cost and discount), and, once any batch had a cost or discount column,
 *   a crm__txextra (16 bytes) in an append-only array;
 * - an interaction that passed its own checks: a crm__ixrec (80 bytes), not
 *   linked: linking runs on a copy when a result is made;
 * - a customer's latest attributes record: a crm__attrs (32 bytes).
 * Arrays are sorted as the input stage sorts them and grow by half again
 * when full; a batch is merged into them in place, from the back. */
struct crm_state_handle {
    crm_allocator allocator;
    crm_config config;   /* deep copy */
    crm__txrec *tx;      /* [ntx], sorted by (id, day, amount) */
    crm__txextra *extra; /* [nextra], NULL until a batch has cost or discount */
    size_t ntx, cap_tx, nextra, cap_extra;
    crm__ixrec *ix; /* [nix], sorted by crm__cmp_ixrec; index: the record's sequence number */
    size_t nix, cap_ix;
    crm__attrs *at; /* [nat], sorted by id, one per id */
    size_t nat, cap_at;
    int has_cost, has_discount, has_purpose; /* a batch had these optional columns */
    int64_t latest;                          /* latest kept transaction or interaction time, or INT64_MIN */
    int64_t next_index;                      /* sequence number of the next interaction given */
    /* The account of every record given: rejections decided when added, by
     * [crm_input][crm_fate] (accepted ones are counted when a result is
     * made), and the totals given. */
    int64_t rejected[CRM__INPUT_COUNT][CRM__FATE_COUNT];
    int64_t totals[CRM__INPUT_COUNT];
    /* The models of the last crm_state_fit, as crm_model_save bytes by kind
     * (NULL: not kept), and the as-of they were fitted at (INT64_MIN: no fit
     * kept, results fit the models again). Results take them as models given
     * in the configuration, for the kinds the configuration does not give. */
    unsigned char *kept[CRM__GIVEN_MODELS];
    size_t kept_size[CRM__GIVEN_MODELS];
    double kept_unit[CRM__GIVEN_MODELS]; /* the kept models' time_unit_days */
    int64_t fitted_at;
};

/* An empty state with a deep copy of config (state.c). */
crm_status crm__state_new(const crm_config *config, crm_state_handle **out, crm_error *err);

/* Ensure room for extra more elements of elem bytes in *data (capacity
 * *cap, length n): grows by half again, at least to n + extra (state.c). */
crm_status crm__state_grow(const crm_allocator *a, void **data, size_t *cap, size_t n, size_t extra,
                           size_t elem);

/* Forget the kept models (state.c). */
void crm__state_forget_fit(crm_state_handle *s);

/* The kinds of model the state's configuration enables (the option model's
 * purchase model, Gamma-Gamma with spend_model) that it does not give:
 * those a result fits, or takes from the kept fit. Writes up to 2 kinds
 * into kinds, returns how many (models.c). */
int crm__state_fitted_kinds(const crm_state_handle *s, int kinds[2]);

/* Whether the kept fit serves every model the configuration enables and
 * does not give, in the configuration's time unit (models.c). */
int crm__state_fit_matches(const crm_state_handle *s);

/* The result at as_of (INT64_MIN: the default), with the kept models when
 * use_kept, else fitting them again; who names the public function in
 * messages (result.c). */
crm_status crm__state_result(const crm_state_handle *s, int64_t as_of, int use_kept, const char *who,
                             crm_result **out, crm_error *err);

/* The format of crm_state_save (codec.c): version 1 without kept models,
 * version 2 with them (the models section after the attributes), so that a
 * library of version 1 reads every state that keeps no fit. */
#define CRM__STATE_MAGIC   "CRMSTATE"
#define CRM__STATE_VERSION 2u
#define CRM__STATE_HEADER  32 /* magic 8, version 4, flags 4, length 8, checksum 8 */

#endif /* CRM_STATE_STATE_H */

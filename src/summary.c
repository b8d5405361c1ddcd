/* summary.c - validate and account for every record, then build each
 * customer's facts (DOMAIN section 2) at the as-of day and at one window
 * before it (for previous_stage). */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* An accepted transaction, sorted by (customer, time, amount) so that every
 * sum runs in the same order whatever the caller's record order. */
typedef struct txrec {
    uint64_t id;
    int64_t time;
    double amount;
} txrec;

static int cmp_txrec(const void *pa, const void *pb) {
    const txrec *a = pa, *b = pb;
    if (a->id != b->id) return a->id < b->id ? -1 : 1;
    if (a->time != b->time) return a->time < b->time ? -1 : 1;
    return (a->amount > b->amount) - (a->amount < b->amount);
}

static int time_in_range(int64_t t) { return t >= CRM_TIME_MIN && t <= CRM_TIME_MAX; }

/* Check a view's pointers; stride 0 means the element size. */
static crm_status check_tx_view(const crm_transactions *v, crm_transactions *norm, crm_error *err) {
    *norm = *v;
    if (v->count > 0 && (!v->customer_id || !v->time || !v->amount))
        return crm__fail(err, CRM_E_INVALID_ARGUMENT, "transactions: a column pointer is NULL with count %zu",
                         v->count);
    if (!norm->customer_id_stride) norm->customer_id_stride = sizeof(uint64_t);
    if (!norm->time_stride) norm->time_stride = sizeof(int64_t);
    if (!norm->amount_stride) norm->amount_stride = sizeof(double);
    return CRM_OK;
}

/* Fate of one transaction before the as-of check. */
static int tx_basic_fate(const crm_transactions *v, size_t i, int *field) {
    int64_t t = crm__read_i64(v->time, v->time_stride, i);
    double amount = crm__read_f64(v->amount, v->amount_stride, i);
    if (!isfinite(amount)) {
        *field = CRM_FIELD_AMOUNT;
        return CRM_REJECT_NONFINITE;
    }
    if (!time_in_range(t)) {
        *field = CRM_FIELD_TIME;
        return CRM_REJECT_TIME_RANGE;
    }
    if (fabs(amount) > CRM_AMOUNT_MAX) {
        *field = CRM_FIELD_AMOUNT;
        return CRM_REJECT_VALUE_RANGE;
    }
    *field = CRM_FIELD_NONE;
    return CRM_RECORD_ACCEPTED;
}

static const char *fate_text(int fate) {
    switch (fate) {
    case CRM_REJECT_NONFINITE: return "is NaN or infinite";
    case CRM_REJECT_TIME_RANGE: return "is outside 0001-01-01..9999-12-31";
    case CRM_REJECT_AFTER_AS_OF: return "is later than the as-of time";
    case CRM_REJECT_VALUE_RANGE: return "exceeds CRM_AMOUNT_MAX (1e15) in magnitude";
    default: return "is invalid";
    }
}

/* The default as-of: the last second of the day of the latest valid
 * transaction, or of the latest valid interaction when there is none. */
static crm_status default_as_of(const crm_config *c, const crm_transactions *tx, const crm_interactions *ix,
                                int64_t *as_of, int *found, crm_error *err) {
    int64_t latest = 0;
    int field;
    *found = 0;
    if (tx) {
        for (size_t i = 0; i < tx->count; i++) {
            if (tx_basic_fate(tx, i, &field) != CRM_RECORD_ACCEPTED) continue;
            int64_t t = crm__read_i64(tx->time, tx->time_stride, i);
            if (!*found || t > latest) latest = t;
            *found = 1;
        }
    }
    if (!*found && ix && ix->count > 0) {
        /* Only an interaction that would be accepted may date the analysis:
         * validate and link them once without an as-of. */
        crm__ixrec *recs = NULL;
        size_t m = 0;
        int64_t counts[CRM_FATE_COUNT] = {0};
        crm_status st = crm__ix_prepare(c, ix, CRM_TIME_MAX, &recs, &m, counts, err);
        if (st != CRM_OK) return st;
        for (size_t i = 0; i < m; i++)
            if (!*found || recs[i].time > latest) {
                latest = recs[i].time;
                *found = 1;
            }
        crm__free(&c->allocator, recs);
    }
    if (!*found) return CRM_OK;
    int64_t offset = crm__opt_int(c, CRM_OPT_DAY_OFFSET);
    int64_t day = crm__day_of(latest, offset);
    *as_of = (day + 1) * 86400 - 1 - offset;
    if (*as_of > CRM_TIME_MAX) *as_of = CRM_TIME_MAX;
    return CRM_OK;
}

/* Facts of one customer's sorted transactions [r, r + n) on days <= day. */
static void tx_facts(const crm_config *c, const txrec *r, size_t n, int32_t day, double *gaps,
                     crm__facts *f) {
    int64_t offset = crm__opt_int(c, CRM_OPT_DAY_OFFSET);
    int64_t w = crm__opt_int(c, CRM_OPT_WINDOW_DAYS);
    int64_t lookback = crm__opt_int(c, CRM_OPT_COMPLAINT_LOOKBACK_DAYS);
    memset(f, 0, sizeof *f);
    f->first_day = f->last_day = f->prev_day = CRM_NO_DAY;
    int32_t last_recent = CRM_NO_DAY, last_prior = CRM_NO_DAY, last_lookback = CRM_NO_DAY;
    double repeat_net = 0;
    size_t ngaps = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t d = crm__day_of(r[i].time, offset);
        if (d > day) break;
        double amount = r[i].amount;
        int64_t age = (int64_t)day - d; /* whole days before the as-of day */
        if (amount >= 0) {
            f->purchase_records++;
            f->gross += amount;
            if (f->last_day != d) {
                if (f->last_day != CRM_NO_DAY)
                    gaps[ngaps++] = (double)(d - f->last_day);
                else
                    f->first_day = d;
                f->prev_day = f->last_day;
                f->last_day = d;
                f->purchase_days++;
            }
            if (age < w && last_recent != d) {
                f->recent_days++;
                last_recent = d;
            } else if (age >= w && age < 2 * w && last_prior != d) {
                f->prior_days++;
                last_prior = d;
            }
            if (age < lookback && last_lookback != d) {
                f->days_lookback++;
                last_lookback = d;
            }
        } else {
            f->returns_count++;
            f->returns_amount -= amount;
        }
        if (age < w)
            f->recent_amount += amount;
        else if (age < 2 * w)
            f->prior_amount += amount;
    }
    /* Net amount of the days after the first purchase day (found only now:
     * a return may precede the first purchase on its day). */
    for (size_t i = 0; f->first_day != CRM_NO_DAY && i < n; i++) {
        int32_t d = crm__day_of(r[i].time, offset);
        if (d > day) break;
        if (d > f->first_day) repeat_net += r[i].amount;
    }
    f->monetary = f->gross - f->returns_amount;
    f->median_interval = crm__median(gaps, ngaps);
    f->repeat_spend = f->purchase_days > 1 ? repeat_net / (double)(f->purchase_days - 1) : NAN;
}

static crm_status tx_prepare(const crm_config *c, const crm_transactions *v, int64_t as_of, txrec **out,
                             size_t *n, int64_t counts[CRM_FATE_COUNT], crm_error *err) {
    int strict = crm__opt_int(c, CRM_OPT_VALIDATION) == CRM_VALIDATION_STRICT;
    txrec *recs = crm__calloc(&c->allocator, v->count, sizeof *recs);
    if (!recs) return crm__nomem(err);
    size_t m = 0;
    for (size_t i = 0; i < v->count; i++) {
        int field;
        int fate = tx_basic_fate(v, i, &field);
        int64_t t = crm__read_i64(v->time, v->time_stride, i);
        if (fate == CRM_RECORD_ACCEPTED && t > as_of) {
            fate = CRM_REJECT_AFTER_AS_OF;
            field = CRM_FIELD_TIME;
        }
        counts[fate]++;
        if (fate != CRM_RECORD_ACCEPTED) {
            if (strict) {
                crm__free(&c->allocator, recs);
                return crm__fail_record(err, CRM_E_BAD_RECORD, CRM_INPUT_TRANSACTIONS, (int64_t)i, field,
                                        fate, "transaction %zu: %s %s (validation is strict)", i,
                                        field == CRM_FIELD_AMOUNT ? "amount" : "time", fate_text(fate));
            }
            continue;
        }
        recs[m].id = crm__read_u64(v->customer_id, v->customer_id_stride, i);
        recs[m].time = t;
        recs[m].amount = crm__read_f64(v->amount, v->amount_stride, i);
        m++;
    }
    if (crm__sort_by_id(&c->allocator, recs, m, sizeof *recs, cmp_txrec) != CRM_OK) {
        crm__free(&c->allocator, recs);
        return crm__nomem(err);
    }
    *out = recs;
    *n = m;
    return CRM_OK;
}

void crm_summary_free(crm_summary *s) {
    if (!s) return;
    crm_allocator a = s->allocator;
    crm__free(&a, s->customers);
    crm__vec_free(&a, &s->response_hours);
    crm__config_release(&s->config);
    crm__free(&a, s);
}

/* FNV-1a over the summary's as-of time and customer facts (zero-filled, so
 * padding bytes are deterministic). */
uint64_t crm__summary_fingerprint(const crm_summary *s) {
    uint64_t h = 0xcbf29ce484222325ULL;
    const unsigned char *parts[2] = {(const unsigned char *)&s->as_of, (const unsigned char *)s->customers};
    size_t sizes[2] = {sizeof s->as_of, s->ncustomers * sizeof *s->customers};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < sizes[k]; i++) h = (h ^ parts[k][i]) * 0x100000001b3ULL;
    return h;
}

size_t crm_summary_customers(const crm_summary *s) { return s ? s->ncustomers : 0; }
int64_t crm_summary_as_of(const crm_summary *s) { return s ? s->as_of : INT64_MIN; }

/* Count the distinct customers of the two sorted inputs. */
static size_t count_customers(const txrec *tx, size_t ntx, const crm__ixrec *ix, size_t nix) {
    size_t i = 0, j = 0, count = 0;
    while (i < ntx || j < nix) {
        int from_tx = i < ntx && (j >= nix || tx[i].id <= ix[j].id);
        uint64_t id = from_tx ? tx[i].id : ix[j].id;
        while (i < ntx && tx[i].id == id) i++;
        while (j < nix && ix[j].id == id) j++;
        count++;
    }
    return count;
}

static int any_record_by(const txrec *tx, size_t ntx, const crm__ixrec *ix, size_t nix, int32_t day,
                         int64_t offset) {
    /* Both runs are sorted by time: the first record is the earliest. */
    if (ntx && crm__day_of(tx[0].time, offset) <= day) return 1;
    if (nix && ix[0].day <= day) return 1;
    return 0;
}

crm_status crm_summarize(const crm_config *config, const crm_transactions *transactions,
                         const crm_interactions *interactions, crm_summary **out, crm_error *err) {
    crm__error_clear(err);
    if (!out) return crm__fail(err, CRM_E_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!transactions && !interactions)
        return crm__fail(err, CRM_E_INVALID_ARGUMENT,
                         "no input: transactions and interactions are both NULL");
    crm_config defaults;
    if (!config) {
        crm__config_defaults(&defaults, NULL);
        config = &defaults;
    }
    const crm_allocator *a = &config->allocator;
    crm_status vst = crm__config_validate(config, err);
    if (vst != CRM_OK) return vst;
    crm_transactions tv;
    memset(&tv, 0, sizeof tv);
    if (transactions) {
        crm_status st = check_tx_view(transactions, &tv, err);
        if (st != CRM_OK) return st;
    }
    if (interactions && interactions->count > 0 &&
        (!interactions->customer_id || !interactions->time || !interactions->kind))
        return crm__fail(err, CRM_E_INVALID_ARGUMENT,
                         "interactions: a required column pointer is NULL with count %zu",
                         interactions->count);
    size_t total = tv.count + (interactions ? interactions->count : 0);
    if (total == 0) return crm__fail(err, CRM_E_NO_DATA, "no records: both inputs are empty");

    int64_t as_of = 0;
    int found = 1;
    if (config->as_of_set) {
        as_of = config->as_of;
    } else {
        crm_status st = default_as_of(config, transactions ? &tv : NULL, interactions, &as_of, &found, err);
        if (st != CRM_OK) return st;
    }
    if (!found) {
        /* Nothing valid to date the analysis by: every record is bad. Under
         * strict validation report the first one. */
        if (crm__opt_int(config, CRM_OPT_VALIDATION) == CRM_VALIDATION_STRICT && tv.count > 0) {
            int field;
            int fate = tx_basic_fate(&tv, 0, &field);
            return crm__fail_record(err, CRM_E_BAD_RECORD, CRM_INPUT_TRANSACTIONS, 0, field, fate,
                                    "transaction 0: %s %s (validation is strict)",
                                    field == CRM_FIELD_AMOUNT ? "amount" : "time", fate_text(fate));
        }
        return crm__fail(err, CRM_E_NO_DATA, "no valid record: all %zu records were rejected", total);
    }

    crm_summary *s = crm__calloc(a, 1, sizeof *s);
    if (!s) return crm__nomem(err);
    s->allocator = *a;
    crm__vec_init(&s->response_hours, sizeof(double));
    crm_status st = crm__config_copy_into(&s->config, config, err);
    if (st != CRM_OK) {
        crm__free(a, s);
        return st;
    }
    s->as_of = as_of;
    int64_t offset = crm__opt_int(config, CRM_OPT_DAY_OFFSET);
    s->as_of_day = crm__day_of(as_of, offset);
    s->has_interactions =
        interactions != NULL && interactions->count > 0; /* "supplied interaction records" */
    s->totals[CRM_INPUT_TRANSACTIONS] = (int64_t)tv.count;
    s->totals[CRM_INPUT_INTERACTIONS] = interactions ? (int64_t)interactions->count : 0;

    txrec *tx = NULL;
    crm__ixrec *ix = NULL;
    size_t ntx = 0, nix = 0;
    double *gaps = NULL;
    st = tx_prepare(config, &tv, as_of, &tx, &ntx, s->records[CRM_INPUT_TRANSACTIONS], err);
    if (st != CRM_OK) goto fail;
    if (interactions) {
        st = crm__ix_prepare(config, interactions, as_of, &ix, &nix, s->records[CRM_INPUT_INTERACTIONS], err);
        if (st != CRM_OK) goto fail;
    }
    if (ntx + nix == 0) {
        st = crm__fail(err, CRM_E_NO_DATA, "no valid record: all %zu records were rejected", total);
        goto fail;
    }

    s->ncustomers = count_customers(tx, ntx, ix, nix);
    s->customers = crm__calloc(a, s->ncustomers, sizeof *s->customers);
    gaps = crm__calloc(a, ntx + 1, sizeof *gaps);
    if (!s->customers || !gaps) {
        st = crm__nomem(err);
        goto fail;
    }
    int32_t prev_day = s->as_of_day - (int32_t)crm__opt_int(config, CRM_OPT_WINDOW_DAYS);
    size_t i = 0, j = 0;
    for (size_t k = 0; k < s->ncustomers; k++) {
        crm__customer *cu = &s->customers[k];
        int from_tx = i < ntx && (j >= nix || tx[i].id <= ix[j].id);
        if (!from_tx && j >= nix) break; /* unreachable: count_customers counted each customer */
        uint64_t id = from_tx ? tx[i].id : ix[j].id;
        size_t i0 = i, j0 = j;
        while (i < ntx && tx[i].id == id) i++;
        while (j < nix && ix[j].id == id) j++;
        cu->id = id;
        cu->has_tx = i > i0;
        cu->has_ix = j > j0;
        tx_facts(config, tx + i0, i - i0, s->as_of_day, gaps, &cu->now);
        tx_facts(config, tx + i0, i - i0, prev_day, gaps, &cu->prev);
        if (cu->has_ix) {
            st = crm__ix_facts(config, as_of, ix + j0, j - j0, &cu->inow, a, &s->response_hours);
            if (st != CRM_OK) {
                st = crm__nomem(err);
                goto fail;
            }
            cu->prev_advocacy = crm__ix_advocacy(config, prev_day, ix + j0, j - j0);
        } else {
            crm__ix_none(&cu->inow);
        }
        cu->prev_any = any_record_by(tx + i0, i - i0, ix + j0, j - j0, prev_day, offset);
    }
    crm__free(a, gaps);
    crm__free(a, tx);
    crm__free(a, ix);
    *out = s;
    return CRM_OK;
fail:
    crm__free(a, gaps);
    crm__free(a, tx);
    crm__free(a, ix);
    crm_summary_free(s);
    return st;
}

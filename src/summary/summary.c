/* summary.c - crm_summarize: validate and account for every record of the
 * three inputs, then build each customer's facts (DOMAIN section 2) at the
 * as-of day and at one window before it (for previous_stage). */
#include "summary/summary.h"

#include <string.h>

/* The default as-of: the last second of the day of the latest valid
 * transaction, or of the latest valid interaction when there is none. */
static crm_status default_as_of(const crm_config *c, const crm_transactions *tx, const crm_interactions *ix,
                                int64_t *as_of, int *found, crm_error *err) {
    int64_t latest = 0;
    int field;
    *found = 0;
    for (size_t i = 0; tx && i < tx->count; i++) {
        if (crm__tx_fate(tx, i, &field) != CRM_FATE_ACCEPTED) continue;
        int64_t t = crm__read_i64(tx->time, tx->time_stride, i);
        if (!*found || t > latest) latest = t;
        *found = 1;
    }
    if (!*found && ix && ix->count > 0) {
        /* Only an interaction that would be accepted may date the analysis:
         * validate and link them once without an as-of (and without strict
         * validation: the real pass reports bad records). */
        crm_config lenient = *c;
        lenient.opt[CRM_OPTION_VALIDATION] = CRM_VALIDATION_SKIP;
        crm__ixrec *recs = NULL;
        size_t m = 0;
        int64_t counts[CRM__FATE_COUNT] = {0};
        crm_status st = crm__ix_prepare(&lenient, ix, CRM_TIME_MAX, &recs, &m, counts, err);
        if (st != CRM_STATUS_OK) return st;
        for (size_t i = 0; i < m; i++)
            if (!*found || recs[i].time > latest) {
                latest = recs[i].time;
                *found = 1;
            }
        crm__free(&c->allocator, recs);
    }
    if (!*found) return CRM_STATUS_OK;
    int64_t offset = crm__opt_int(c, CRM_OPTION_DAY_OFFSET);
    int64_t day = crm__day_of(latest, offset);
    *as_of = (day + 1) * 86400 - 1 - offset;
    if (*as_of > CRM_TIME_MAX) *as_of = CRM_TIME_MAX;
    return CRM_STATUS_OK;
}

void crm_summary_free(crm_summary *s) {
    if (!s) return;
    crm_allocator a = s->allocator;
    crm__free(&a, s->customers);
    crm__free(&a, s->ifacts);
    crm__free(&a, s->attrs);
    crm__vec_free(&a, &s->response_hours);
    crm__config_release(&s->config);
    crm__free(&a, s);
}

/* A hash of what identifies a summary's content: the as-of time and each
 * customer's id and headline facts, mixed a word at a time (a freed
 * summary's address may be reused, so crm_score cannot go by address). */
static uint64_t mix(uint64_t h, uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h *= 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 31);
}

static uint64_t bits_of(double v) {
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return b;
}

uint64_t crm__summary_fingerprint(const crm_summary *s) {
    uint64_t h = mix(0x243f6a8885a308d3ULL, (uint64_t)s->as_of);
    h = mix(h, (uint64_t)s->ncustomers);
    for (size_t i = 0; i < s->ncustomers; i++) {
        const crm__customer *cu = &s->customers[i];
        h = mix(h, cu->id);
        h = mix(h, bits_of(cu->now.monetary) ^ ((uint64_t)(uint32_t)cu->now.last_day << 1));
        h = mix(h, (uint64_t)cu->now.purchase_days ^ ((uint64_t)cu->inow->records << 32));
    }
    return h;
}

size_t crm_summary_customers(const crm_summary *s) { return s ? s->ncustomers : 0; }
int64_t crm_summary_as_of(const crm_summary *s) { return s ? s->as_of : INT64_MIN; }

/* The three sorted inputs, walked customer by customer. */
typedef struct cursor {
    const crm__txrec *tx;
    const crm__ixrec *ix;
    const crm__attrs *at;
    size_t ntx, nix, nat, i, j, k;
} cursor;

/* The next customer id of the merged inputs; 0 when none is left. */
static int next_id(const cursor *cur, uint64_t *id) {
    int any = 0;
    if (cur->i < cur->ntx) *id = cur->tx[cur->i].id, any = 1;
    if (cur->j < cur->nix && (!any || cur->ix[cur->j].id < *id)) *id = cur->ix[cur->j].id, any = 1;
    if (cur->k < cur->nat && (!any || cur->at[cur->k].id < *id)) *id = cur->at[cur->k].id, any = 1;
    return any;
}

static size_t count_customers(cursor cur) {
    size_t count = 0;
    uint64_t id;
    while (next_id(&cur, &id)) {
        while (cur.i < cur.ntx && cur.tx[cur.i].id == id) cur.i++;
        while (cur.j < cur.nix && cur.ix[cur.j].id == id) cur.j++;
        while (cur.k < cur.nat && cur.at[cur.k].id == id) cur.k++;
        count++;
    }
    return count;
}

static int any_record_by(const crm__txrec *tx, size_t ntx, const crm__ixrec *ix, size_t nix, int32_t day) {
    /* Both runs are sorted by time: the first record is the earliest. */
    if (ntx && tx[0].day <= day) return 1;
    if (nix && ix[0].day <= day) return 1;
    return 0;
}

/* Whether the accepted interactions include an outbound call or visit. */
static int any_contact(const crm__ixrec *ix, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (ix[i].kind == CRM_KIND_CALL_OUT || ix[i].kind == CRM_KIND_VISIT_OUT) return 1;
    return 0;
}

/* The facts of one part of the customers (a task). */
typedef struct facts_job {
    const crm_config *config;
    crm_summary *s;
    const crm__txset *txs;
    const crm__ixrec *ix;
    double *gaps; /* [part][most]: room for one customer's gaps per part */
    size_t most;  /* the most transactions of one customer */
    int32_t prev_day;
    size_t parts;
    cursor *start;   /* [part]: the cursor at the part's first customer; [parts]: the end */
    crm__vec *hours; /* [part]: first-response hours of its customers, in order */
} facts_job;

static void customer_facts(void *arg, size_t part) {
    const facts_job *job = arg;
    const crm_config *c = job->config;
    crm_summary *s = job->s;
    cursor cur = job->start[part];
    const crm__txrec *tx = cur.tx;
    size_t b, e;
    crm__split(s->ncustomers, job->parts, part, &b, &e);
    for (size_t n = b; n < e; n++) {
        crm__customer *cu = &s->customers[n];
        size_t i0 = cur.i, j0 = cur.j;
        while (cur.i < cur.ntx && tx[cur.i].id == cu->id) cur.i++;
        while (cur.j < cur.nix && job->ix[cur.j].id == cu->id) cur.j++;
        crm__tx_facts(c, tx + i0, cur.i - i0, job->txs->extra, s->as_of_day, job->prev_day,
                      job->gaps + part * job->most, &cu->now, &cu->prev);
        if (cu->has_ix) {
            /* cannot fail: the part's hours were reserved */
            (void)crm__ix_facts(c, s->as_of, job->ix + j0, cur.j - j0, (crm__ifacts *)cu->inow, &c->allocator,
                                &job->hours[part]);
            cu->prev_advocacy = crm__ix_advocacy(c, job->prev_day, job->ix + j0, cur.j - j0);
        }
        cu->prev_any = any_record_by(tx + i0, cur.i - i0, job->ix + j0, cur.j - j0, job->prev_day);
    }
}

static void free_job(const crm_allocator *a, facts_job *job) {
    for (size_t k = 0; job->hours && k < job->parts; k++) crm__vec_free(a, &job->hours[k]);
    crm__free(a, job->hours);
    crm__free(a, job->start);
    job->hours = NULL;
    job->start = NULL;
}

crm_status crm_summarize(const crm_config *config, const crm_transactions *transactions,
                         const crm_interactions *interactions, const crm_customers *customers,
                         crm_summary **out, crm_error *err) {
    crm__error_clear(err);
    if (!out) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!transactions && !interactions && !customers)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "no input: transactions, interactions and customers are all NULL");
    crm_config defaults;
    if (!config) {
        crm__config_defaults(&defaults, NULL);
        config = &defaults;
    }
    const crm_allocator *a = &config->allocator;
    crm_status st = crm__config_validate(config, err);
    if (st != CRM_STATUS_OK) return st;
    /* Views normalised to this library's layout: an older caller's struct
     * lacks the newer optional columns, which then read as absent. */
    crm_transactions tv;
    crm_interactions iv;
    crm_customers cv;
    if (transactions && (st = crm__transactions_normalise(transactions, &tv, err)) != CRM_STATUS_OK)
        return st;
    if (interactions && (st = crm__interactions_normalise(interactions, &iv, err)) != CRM_STATUS_OK)
        return st;
    if (customers && (st = crm__customers_normalise(customers, &cv, err)) != CRM_STATUS_OK) return st;
    if (!transactions) crm_transactions_init(&tv, NULL);
    if (!interactions) crm_interactions_init(&iv, NULL);
    if (!customers) crm_customers_init(&cv, NULL);
    size_t total = tv.count + iv.count + cv.count;
    if (total == 0) return crm__fail(err, CRM_STATUS_NO_DATA, "no records: every input is empty");

    int64_t as_of = 0;
    int found = 1;
    if (config->as_of_set) {
        as_of = config->as_of;
    } else {
        st = default_as_of(config, &tv, &iv, &as_of, &found, err);
        if (st != CRM_STATUS_OK) return st;
        if (!found && cv.count > 0 && tv.count + iv.count == 0)
            return crm__fail(err, CRM_STATUS_NO_DATA,
                             "customer attributes alone do not date an analysis: set the as_of option");
    }
    if (!found) {
        /* Nothing valid to date the analysis by: every record is bad. Under
         * strict validation report the first one. */
        if (crm__opt_int(config, CRM_OPTION_VALIDATION) == CRM_VALIDATION_STRICT && tv.count > 0) {
            int64_t counts[CRM__FATE_COUNT] = {0};
            crm__rejects rej;
            crm__rejects_init(&rej, config, CRM_INPUT_TRANSACTIONS, counts);
            int field, fate = crm__tx_fate(&tv, 0, &field);
            crm__reject(&rej, 0, field, fate);
            return crm__rejects_finish(&rej, err);
        }
        if (crm__opt_int(config, CRM_OPTION_VALIDATION) == CRM_VALIDATION_STRICT && iv.count > 0) {
            /* Every interaction is bad: validating them names the first one. */
            crm__ixrec *recs = NULL;
            size_t m = 0;
            int64_t counts[CRM__FATE_COUNT] = {0};
            st = crm__ix_prepare(config, &iv, CRM_TIME_MAX, &recs, &m, counts, err);
            crm__free(a, recs);
            if (st != CRM_STATUS_OK) return st;
        }
        return crm__fail(err, CRM_STATUS_NO_DATA, "no valid record: all %zu records were rejected", total);
    }

    crm_summary *s = NULL;
    st = crm__summary_new(config, as_of, &s, err);
    if (st != CRM_STATUS_OK) return st;
    s->has_cost = tv.cost != NULL;
    s->has_discount = tv.discount != NULL;
    s->has_purpose = iv.purpose != NULL;
    s->totals[CRM_INPUT_TRANSACTIONS] = (int64_t)tv.count;
    s->totals[CRM_INPUT_INTERACTIONS] = (int64_t)iv.count;
    s->totals[CRM_INPUT_CUSTOMERS] = (int64_t)cv.count;

    crm__txset txs = {NULL, NULL, 0};
    crm__ixrec *ix = NULL;
    crm__attrs *at = NULL;
    size_t nix = 0, nat = 0;
    st = crm__tx_prepare(config, &tv, as_of, &txs, s->records[CRM_INPUT_TRANSACTIONS], err);
    if (st == CRM_STATUS_OK)
        st = crm__ix_prepare(config, &iv, as_of, &ix, &nix, s->records[CRM_INPUT_INTERACTIONS], err);
    if (st == CRM_STATUS_OK)
        st = crm__attrs_prepare(config, &cv, s->as_of_day, &at, &nat, s->records[CRM_INPUT_CUSTOMERS], err);
    if (st == CRM_STATUS_OK) {
        st = crm__summary_fill(s, &txs, ix, nix, at, nat, total, err);
        at = NULL; /* the summary's now */
    }
    crm__txset_free(a, &txs);
    crm__free(a, ix);
    crm__free(a, at);
    if (st != CRM_STATUS_OK) {
        crm_summary_free(s);
        return st;
    }
    *out = s;
    return CRM_STATUS_OK;
}

crm_status crm__summary_new(const crm_config *config, int64_t as_of, crm_summary **out, crm_error *err) {
    const crm_allocator *a = &config->allocator;
    *out = NULL;
    crm_summary *s = crm__calloc(a, 1, sizeof *s);
    if (!s) return crm__nomem(err);
    s->allocator = *a;
    crm__vec_init(&s->response_hours, sizeof(double));
    crm_status st = crm__config_copy_into(&s->config, config, err);
    if (st != CRM_STATUS_OK) {
        crm__free(a, s);
        return st;
    }
    s->as_of = as_of;
    s->as_of_day = crm__day_of(as_of, crm__opt_int(config, CRM_OPTION_DAY_OFFSET));
    *out = s;
    return CRM_STATUS_OK;
}

crm_status crm__summary_fill(crm_summary *s, const crm__txset *txs, const crm__ixrec *ix, size_t nix,
                             crm__attrs *at, size_t nat, size_t total, crm_error *err) {
    const crm_config *config = &s->config;
    const crm_allocator *a = &s->allocator;
    crm_status st = CRM_STATUS_OK;
    const crm__txrec *tx = txs->rec;
    double *gaps = NULL;
    s->attrs = at; /* the customers point into it */
    cursor cur;
    memset(&cur, 0, sizeof cur);
    cur.tx = tx;
    cur.ntx = txs->n;
    cur.ix = ix;
    cur.nix = nix;
    cur.at = at;
    cur.nat = nat;
    if (cur.ntx + cur.nix + cur.nat == 0)
        return crm__fail(err, CRM_STATUS_NO_DATA, "no valid record: all %zu records were rejected", total);
    s->has_contacts = any_contact(ix, cur.nix);
    /* "Interactions were supplied" means accepted ones: a rejected record
     * must not add the engagement and complaint components to everyone's
     * health. */
    s->has_interactions = cur.nix > 0;

    s->ncustomers = count_customers(cur);
    s->customers = crm__calloc(a, s->ncustomers, sizeof *s->customers);
    size_t nix_customers = 0;
    for (size_t j = 0; j < cur.nix; j++) nix_customers += j == 0 || ix[j].id != ix[j - 1].id;
    if (cur.nix) s->ifacts = crm__calloc(a, nix_customers, sizeof *s->ifacts);
    if (!s->customers || (cur.nix && !s->ifacts)) return crm__nomem(err);
    /* Who is who, in one walk over the merged inputs; the facts then run as
     * tasks over parts of the customers, each from the cursor of its first
     * customer, writing only its own customers (and its own list of
     * response hours, joined in order afterwards). */
    facts_job job;
    memset(&job, 0, sizeof job);
    job.config = config;
    job.s = s;
    job.txs = txs;
    job.ix = ix;

    job.prev_day = s->as_of_day - (int32_t)crm__opt_int(config, CRM_OPTION_WINDOW_DAYS);
    job.parts = crm__workers(config) > 1 ? 4 * crm__workers(config) : 1;
    if (job.parts > s->ncustomers) job.parts = s->ncustomers ? s->ncustomers : 1;
    job.start = crm__calloc(a, job.parts + 1, sizeof *job.start);
    job.hours = crm__calloc(a, job.parts, sizeof *job.hours);
    if (!job.start || !job.hours) {
        st = crm__nomem(err);
        goto fail_job;
    }
    uint64_t id;
    size_t nifacts = 0, part = 0;
    for (size_t n = 0; n < s->ncustomers && next_id(&cur, &id); n++) {
        size_t b, e;
        crm__split(s->ncustomers, job.parts, part, &b, &e);
        if (n == b) job.start[part++] = cur;
        crm__customer *cu = &s->customers[n];
        size_t i0 = cur.i, j0 = cur.j;
        while (cur.i < cur.ntx && tx[cur.i].id == id) cur.i++;
        while (cur.j < cur.nix && ix[cur.j].id == id) cur.j++;
        cu->id = id;
        cu->has_tx = cur.i > i0;
        cu->has_ix = cur.j > j0;
        if (cur.k < cur.nat && s->attrs[cur.k].id == id) cu->attrs = &s->attrs[cur.k++];
        cu->inow = cu->has_ix ? &s->ifacts[nifacts++] : &crm__ifacts_none;
    }
    job.start[job.parts] = cur;
    /* One customer's gaps at a time per part: room for the busiest customer. */
    for (size_t i = 0, i0 = 0; i <= cur.ntx; i++)
        if (i == cur.ntx || tx[i].id != tx[i0].id) {
            if (i - i0 > job.most) job.most = i - i0;
            i0 = i;
        }
    job.gaps = gaps = crm__calloc(a, job.parts * (job.most + 1), sizeof *gaps);
    if (!gaps) {
        st = crm__nomem(err);
        goto fail_job;
    }
    size_t nhours = 0;
    for (size_t k = 0; k < job.parts; k++) {
        /* At most one response time per interaction record of the part:
         * reserved now, so the tasks never allocate. */
        crm__vec_init(&job.hours[k], sizeof(double));
        size_t most = job.start[k + 1].j - job.start[k].j;
        if (crm__vec_reserve(a, &job.hours[k], most) != CRM_STATUS_OK) {
            st = crm__nomem(err);
            goto fail_job;
        }
    }
    crm__parallel(config, job.parts, customer_facts, &job);
    for (size_t k = 0; k < job.parts; k++) nhours += job.hours[k].len;
    if (crm__vec_reserve(a, &s->response_hours, nhours) != CRM_STATUS_OK) {
        st = crm__nomem(err);
        goto fail_job;
    }
    for (size_t k = 0; k < job.parts; k++) {
        if (job.hours[k].len == 0) continue; /* an empty vector may have no memory at all */
        memcpy((double *)s->response_hours.data + s->response_hours.len, job.hours[k].data,
               job.hours[k].len * sizeof(double));
        s->response_hours.len += job.hours[k].len;
    }
    free_job(a, &job);
    crm__free(a, gaps);
    return CRM_STATUS_OK;
fail_job:
    free_job(a, &job);
    crm__free(a, gaps);
    return st;
}

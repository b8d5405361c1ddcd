/* add.c - crm_state_add: validate a batch as the input stage validates it,
 * then merge its sorted records into the state's sorted arrays in place.
 * Everything that can fail happens before the state is touched. */
#include "state/state.h"

#include <math.h>

/* Merge the sorted batch b[0..m) into the sorted a[0..n), whose array has
 * room for n + m: from the back, each batch record after the kept records
 * equal to it (a batch comes after what was added before), moving each run
 * of kept records once. O(m log n + n) element moves at most. */
static void merge_into(char *a, size_t n, const char *b, size_t m, size_t elem,
                       int (*cmp)(const void *, const void *)) {
    size_t hi = n; /* a[0..hi) not yet moved */
    for (size_t j = m; j-- > 0;) {
        const char *x = b + j * elem;
        size_t lo = 0, h = hi; /* first kept record > x */
        while (lo < h) {
            size_t mid = lo + (h - lo) / 2;
            if (cmp(a + mid * elem, x) <= 0)
                lo = mid + 1;
            else
                h = mid;
        }
        if (hi > lo) memmove(a + (lo + j + 1) * elem, a + lo * elem, (hi - lo) * elem);
        memcpy(a + (lo + j) * elem, x, elem);
        hi = lo;
    }
}

/* The accepted attributes of a batch, sorted by id, the last of each id.
 * The as-of checks run when a result is made. */
static crm_status prepare_attrs(const crm_config *c, const crm_customers *v, crm__attrs **out, size_t *n,
                                int64_t counts[CRM__FATE_COUNT], crm_error *err) {
    const crm_allocator *al = &c->allocator;
    crm__rejects rej;
    crm__rejects_init(&rej, c, CRM_INPUT_CUSTOMERS, counts);
    *out = NULL;
    *n = 0;
    crm__indexed_attrs *recs;
    size_t m;
    crm_status st = crm__attrs_collect(c, v, INT32_MAX, &rej, &recs, &m, err);
    if (st != CRM_STATUS_OK) return st;
    crm__attrs *kept = crm__calloc(al, m + 1, sizeof *kept);
    if (!kept) {
        crm__free(al, recs);
        return crm__nomem(err);
    }
    st = crm__rejects_finish(&rej, err);
    size_t nkept = 0;
    for (size_t j = 0; st == CRM_STATUS_OK && j < m; j++)
        if (j + 1 == m || recs[j + 1].a.id != recs[j].a.id) kept[nkept++] = recs[j].a; /* the latest */
    crm__free(al, recs);
    if (st != CRM_STATUS_OK) {
        crm__free(al, kept);
        return st;
    }
    *out = kept;
    *n = nkept;
    return CRM_STATUS_OK;
}

/* Merge sorted unique batch attributes into the state's: a batch record
 * replaces the kept record of its id. The array has room for every new id. */
static void merge_attrs(crm__attrs *a, size_t n, const crm__attrs *b, size_t m, size_t fresh) {
    size_t i = n, j = m, k = n + fresh;
    while (j > 0) {
        if (i > 0 && a[i - 1].id > b[j - 1].id) {
            a[--k] = a[--i];
            continue;
        }
        if (i > 0 && a[i - 1].id == b[j - 1].id) i--; /* replaced */
        a[--k] = b[--j];
    }
}

static size_t count_fresh(const crm__attrs *a, size_t n, const crm__attrs *b, size_t m) {
    size_t fresh = 0, i = 0;
    for (size_t j = 0; j < m; j++) {
        while (i < n && a[i].id < b[j].id) i++;
        fresh += !(i < n && a[i].id == b[j].id);
    }
    return fresh;
}

static void add_rejections(int64_t into[CRM__FATE_COUNT], const int64_t counts[CRM__FATE_COUNT]) {
    for (int f = 1; f < CRM__FATE_COUNT; f++) into[f] += counts[f];
}

crm_status crm_state_add(crm_state_handle *s, const crm_transactions *transactions,
                         const crm_interactions *interactions, const crm_customers *customers,
                         crm_error *err) {
    crm__error_clear(err);
    if (!s) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_state_add: state is NULL");
    const crm_config *c = &s->config;
    const crm_allocator *a = &s->allocator;
    crm_transactions tv;
    crm_interactions iv;
    crm_customers cv;
    crm_status st;
    if (transactions && (st = crm__transactions_normalise(transactions, &tv, err)) != CRM_STATUS_OK)
        return st;
    if (interactions && (st = crm__interactions_normalise(interactions, &iv, err)) != CRM_STATUS_OK)
        return st;
    if (customers && (st = crm__customers_normalise(customers, &cv, err)) != CRM_STATUS_OK) return st;
    if (!transactions) crm_transactions_init(&tv, NULL);
    if (!interactions) crm_interactions_init(&iv, NULL);
    if (!customers) crm_customers_init(&cv, NULL);

    int batch_extra = tv.cost != NULL || tv.discount != NULL;
    int keep_extra = s->extra != NULL || batch_extra;
    int64_t counts[CRM__INPUT_COUNT][CRM__FATE_COUNT];
    memset(counts, 0, sizeof counts);
    crm__txset txs = {NULL, NULL, 0};
    crm__ixrec *ix = NULL;
    crm__attrs *at = NULL;
    size_t nix = 0, nat = 0;
    int64_t latest = s->latest;

    /* 1. Validate and sort the batch (the input stage's own functions). */
    st = crm__tx_prepare(c, &tv, CRM_TIME_MAX, &txs, counts[CRM_INPUT_TRANSACTIONS], err);
    if (st == CRM_STATUS_OK && keep_extra && (s->ntx + txs.n > UINT32_MAX))
        st = crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                       "crm_state_add: more than 4294967295 transactions with cost or discount in one state");
    if (st == CRM_STATUS_OK) {
        crm__rejects rej;
        st = crm__ix_place(c, &iv, CRM_TIME_MAX, &ix, &nix, counts[CRM_INPUT_INTERACTIONS], &rej, err);
        if (st == CRM_STATUS_OK) st = crm__rejects_finish(&rej, err);
    }
    if (st == CRM_STATUS_OK) st = prepare_attrs(c, &cv, &at, &nat, counts[CRM_INPUT_CUSTOMERS], err);
    size_t fresh = st == CRM_STATUS_OK ? count_fresh(s->at, s->nat, at, nat) : 0;
    /* 2. Room for everything, so that nothing fails once the state changes. */
    if (st == CRM_STATUS_OK &&
        (crm__state_grow(a, (void **)&s->tx, &s->cap_tx, s->ntx, txs.n, sizeof *s->tx) != CRM_STATUS_OK ||
         (keep_extra &&
          crm__state_grow(a, (void **)&s->extra, &s->cap_extra, s->nextra, (s->extra ? 0 : s->ntx) + txs.n,
                          sizeof *s->extra) != CRM_STATUS_OK) ||
         crm__state_grow(a, (void **)&s->ix, &s->cap_ix, s->nix, nix, sizeof *s->ix) != CRM_STATUS_OK ||
         crm__state_grow(a, (void **)&s->at, &s->cap_at, s->nat, fresh, sizeof *s->at) != CRM_STATUS_OK))
        st = crm__nomem(err);
    if (st != CRM_STATUS_OK) {
        crm__txset_free(a, &txs);
        crm__free(a, ix);
        crm__free(a, at);
        return st;
    }

    /* 3. Merge. Transactions: the extra columns by an index into an
     * append-only array; a cost not given is not known (NaN). */
    for (size_t i = 0; i < tv.count; i++) {
        int field;
        if (crm__tx_fate(&tv, i, &field) != CRM_FATE_ACCEPTED) continue;
        int64_t t = crm__read_i64(tv.time, tv.time_stride, i);
        if (t > latest) latest = t;
    }
    if (keep_extra) {
        if (s->nextra == 0 && s->ntx > 0) { /* the first batch with cost or discount */
            for (size_t i = 0; i < s->ntx; i++) {
                s->tx[i].extra = (uint32_t)i;
                s->extra[i].cost = NAN;
                s->extra[i].discount = 0;
            }
            s->nextra = s->ntx;
        }
        for (size_t i = 0; i < txs.n; i++) {
            uint32_t k = txs.rec[i].extra;
            crm__txextra e = {NAN, 0};
            if (txs.extra) {
                e = txs.extra[k];
                if (!tv.cost) e.cost = NAN;
            }
            s->extra[s->nextra + k] = e;
            txs.rec[i].extra = (uint32_t)(s->nextra + k);
        }
        s->nextra += txs.n;
    }
    merge_into((char *)s->tx, s->ntx, (const char *)txs.rec, txs.n, sizeof *s->tx, crm__cmp_txrec);
    s->ntx += txs.n;
    /* Interactions: numbered in the order given, over every batch. */
    for (size_t i = 0; i < nix; i++) {
        ix[i].index += s->next_index;
        if (ix[i].time > latest) latest = ix[i].time;
    }
    merge_into((char *)s->ix, s->nix, (const char *)ix, nix, sizeof *s->ix, crm__cmp_ixrec);
    s->nix += nix;
    s->next_index += (int64_t)iv.count;
    merge_attrs(s->at, s->nat, at, nat, fresh);
    s->nat += fresh;

    s->has_cost |= tv.cost != NULL;
    s->has_discount |= tv.discount != NULL;
    s->has_purpose |= iv.purpose != NULL;
    s->latest = latest;
    for (int in = CRM_INPUT_TRANSACTIONS; in <= CRM_INPUT_CUSTOMERS; in++)
        add_rejections(s->rejected[in], counts[in]);
    s->totals[CRM_INPUT_TRANSACTIONS] += (int64_t)tv.count;
    s->totals[CRM_INPUT_INTERACTIONS] += (int64_t)iv.count;
    s->totals[CRM_INPUT_CUSTOMERS] += (int64_t)cv.count;
    crm__txset_free(a, &txs);
    crm__free(a, ix);
    crm__free(a, at);
    return CRM_STATUS_OK;
}

/* test_state.c - the nightly state: any split of the records into batches,
 * added in any order, gives crm_analyze's table over all of them, bit for
 * bit; save/load round-trips; damaged bytes are refused; every allocation
 * failure is reported without a leak. */
#include "crm_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define D 20000 /* the last generated day */

typedef struct data {
    crm_transaction tx[400];
    double cost[400], discount[400];
    crm_interaction ix[240];
    crm_customer cu[40];
    size_t ntx, nix, ncu;
} data;

static void generate(data *d, uint64_t seed) {
    crm_rng rng = {seed};
    memset(d, 0, sizeof *d);
    size_t customers = 5 + crm_rng_below(&rng, 40);
    d->ntx = 50 + crm_rng_below(&rng, 350);
    for (size_t i = 0; i < d->ntx; i++) {
        crm_transaction *t = &d->tx[i];
        t->customer_id = 1000 + crm_rng_below(&rng, customers) * 7;
        t->time = (int64_t)(D - (int)crm_rng_below(&rng, 900)) * 86400 + (int64_t)crm_rng_below(&rng, 86400);
        t->amount = (double)crm_rng_below(&rng, 20000) / 100.0;
        if (crm_rng_below(&rng, 10) == 0) t->amount = -t->amount;                         /* a return */
        if (crm_rng_below(&rng, 60) == 0) t->amount = NAN;                                /* rejected */
        if (i > 0 && crm_rng_below(&rng, 12) == 0) d->tx[i].amount = d->tx[i - 1].amount; /* ties */
        d->cost[i] = crm_rng_below(&rng, 8) == 0 ? NAN : t->amount * 0.55;
        d->discount[i] = crm_rng_below(&rng, 4) == 0 ? 1.5 : 0;
    }
    static const int32_t kinds[] = {CRM_KIND_CALL_OUT,    CRM_KIND_VISIT_OUT,  CRM_KIND_EMAIL_IN,
                                    CRM_KIND_SURVEY,      CRM_KIND_ENGAGEMENT, CRM_KIND_REFERRAL,
                                    CRM_KIND_UNSUBSCRIBE, CRM_KIND_COMPLAINT};
    d->nix = 0;
    while (d->nix + 4 <= 200 + crm_rng_below(&rng, 40)) {
        crm_interaction *x = &d->ix[d->nix++];
        x->customer_id = 1000 + crm_rng_below(&rng, customers + 3) * 7; /* some prospects */
        x->time = (int64_t)(D - (int)crm_rng_below(&rng, 700)) * 86400 + (int64_t)crm_rng_below(&rng, 86400);
        x->kind = kinds[crm_rng_below(&rng, 8)];
        x->purpose = (int32_t)crm_rng_below(&rng, 4);
        x->value = x->kind == CRM_KIND_SURVEY ? (double)crm_rng_below(&rng, 11) : 0;
        if (crm_rng_below(&rng, 50) == 0) x->kind = 99; /* rejected */
        if (x->kind == CRM_KIND_COMPLAINT) {
            x->ref = 1 + crm_rng_below(&rng, 5);
            x->value = (double)crm_rng_below(&rng, 2);
            /* its chain: response, resolution, follow-up (some early, some orphans) */
            static const int32_t events[] = {CRM_KIND_COMPLAINT_RESPONSE, CRM_KIND_COMPLAINT_RESOLUTION,
                                             CRM_KIND_FOLLOW_UP};
            for (int e = 0; e < 3; e++) {
                crm_interaction *y = &d->ix[d->nix++];
                *y = *x;
                y->kind = events[e];
                y->value = 0;
                y->purpose = 0;
                y->time = x->time + (int64_t)crm_rng_below(&rng, 5 * 86400) - 3600;
                if (crm_rng_below(&rng, 10) == 0) y->ref += 17; /* an orphan */
            }
        }
    }
    d->ncu = crm_rng_below(&rng, 30);
    for (size_t i = 0; i < d->ncu; i++) {
        crm_customer *c = &d->cu[i];
        c->customer_id = 1000 + i * 7;
        c->birthday = crm_rng_below(&rng, 3) ? 5000 + (int32_t)crm_rng_below(&rng, 9000) : CRM_NO_DAY;
        c->relationship_start = crm_rng_below(&rng, 2) ? D - (int32_t)crm_rng_below(&rng, 2000) : CRM_NO_DAY;
        c->money = (int32_t)crm_rng_below(&rng, 3);
        c->authority = (int32_t)crm_rng_below(&rng, 3);
        c->need = (int32_t)crm_rng_below(&rng, 3);
        c->targeted = (int32_t)crm_rng_below(&rng, 2);
    }
}

/* Views over a gathered set of records. */
typedef struct gathered {
    crm_transaction tx[400];
    double cost[400], discount[400];
    crm_interaction ix[240];
    crm_customer cu[40];
    size_t ntx, nix, ncu;
    crm_transactions tv;
    crm_interactions iv;
    crm_customers cv;
} gathered;

static void views(gathered *g) {
    assert_int_equal(crm_transactions_from_array(&g->tv, g->tx, g->ntx, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_transactions_set_column(&g->tv, CRM_FIELD_COST, g->cost, 0, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_transactions_set_column(&g->tv, CRM_FIELD_DISCOUNT, g->discount, 0, NULL),
                     CRM_STATUS_OK);
    assert_int_equal(crm_interactions_from_array(&g->iv, g->ix, g->nix, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_customers_from_array(&g->cv, g->cu, g->ncu, NULL), CRM_STATUS_OK);
}

/* Two results are the same table: rows, every column bit for bit, the
 * record account of transactions and interactions, and every metric. */
static void assert_same(const crm_result *a, const crm_result *b) {
    assert_int_equal(crm_result_rows(a), crm_result_rows(b));
    assert_int_equal(crm_result_as_of(a), crm_result_as_of(b));
    size_t rows = crm_result_rows(a);
    for (int c = 0; c < crm_enum_count(CRM_ENUM_COLUMN); c++) {
        assert_int_equal(crm_result_has_column(a, c), crm_result_has_column(b, c));
        if (!crm_result_has_column(a, c)) continue;
        int ta, tb;
        const void *da, *db;
        assert_int_equal(crm_result_column(a, c, &ta, &da, NULL), CRM_STATUS_OK);
        assert_int_equal(crm_result_column(b, c, &tb, &db, NULL), CRM_STATUS_OK);
        size_t size = ta == CRM_TYPE_I32 ? 4 : 8;
        if (rows && memcmp(da, db, rows * size) != 0)
            fail_msg("column %s differs", crm_enum_name(CRM_ENUM_COLUMN, c));
    }
    for (int in = CRM_INPUT_TRANSACTIONS; in <= CRM_INPUT_INTERACTIONS; in++) {
        assert_int_equal(crm_result_records_total(a, in), crm_result_records_total(b, in));
        for (int f = 0; f < crm_enum_count(CRM_ENUM_FATE); f++)
            assert_int_equal(crm_result_records(a, in, f), crm_result_records(b, in, f));
    }
    for (int m = 0; m < crm_enum_count(CRM_ENUM_METRIC); m++) {
        double x = crm_result_metric(a, m), y = crm_result_metric(b, m);
        assert_memory_equal(&x, &y, sizeof x);
    }
}

static void shuffle(size_t *v, size_t n, crm_rng *rng) {
    for (size_t i = n; i > 1; i--) {
        size_t j = crm_rng_below(rng, i), t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

/* Split d into batches (each record to a random batch, each batch in a
 * random order; with events_last every complaint event in the last batch),
 * add them to a state, and gather the records in the order added. */
static crm_state_handle *split_and_add(const crm_config *cfg, const data *d, uint64_t seed, int events_last,
                                       gathered *all) {
    crm_rng rng = {seed * 7919 + 1};
    size_t nb = 1 + crm_rng_below(&rng, 6);
    size_t *order = calloc(d->ntx + d->nix + d->ncu + 1, sizeof *order), *batch = calloc(1024, sizeof *batch);
    assert_non_null(order);
    assert_non_null(batch);
    crm_state_handle *st = NULL;
    assert_int_equal(crm_state_create(cfg, &st, NULL), CRM_STATUS_OK);
    memset(all, 0, sizeof *all);
    size_t tb[400], ib[240], cb[40];
    for (size_t i = 0; i < d->ntx; i++) tb[i] = crm_rng_below(&rng, nb);
    for (size_t i = 0; i < d->nix; i++) {
        int32_t k = d->ix[i].kind;
        int event =
            k == CRM_KIND_COMPLAINT_RESPONSE || k == CRM_KIND_COMPLAINT_RESOLUTION || k == CRM_KIND_FOLLOW_UP;
        ib[i] = events_last && event ? nb - 1 : crm_rng_below(&rng, nb);
    }
    for (size_t i = 0; i < d->ncu; i++) cb[i] = crm_rng_below(&rng, nb);
    for (size_t b = 0; b < nb; b++) {
        gathered g;
        memset(&g, 0, sizeof g);
        size_t n = 0;
        for (size_t i = 0; i < d->ntx; i++)
            if (tb[i] == b) order[n++] = i;
        shuffle(order, n, &rng);
        for (size_t k = 0; k < n; k++) {
            g.tx[k] = d->tx[order[k]];
            g.cost[k] = d->cost[order[k]];
            g.discount[k] = d->discount[order[k]];
        }
        g.ntx = n;
        n = 0;
        for (size_t i = 0; i < d->nix; i++)
            if (ib[i] == b) order[n++] = i;
        shuffle(order, n, &rng);
        for (size_t k = 0; k < n; k++) g.ix[k] = d->ix[order[k]];
        g.nix = n;
        n = 0;
        for (size_t i = 0; i < d->ncu; i++)
            if (cb[i] == b) g.cu[n++] = d->cu[i];
        g.ncu = n;
        views(&g);
        crm_error err;
        crm_status s = crm_state_add(st, &g.tv, &g.iv, &g.cv, &err);
        if (s != CRM_STATUS_OK) fail_msg("add: %s", err.message);
        memcpy(all->tx + all->ntx, g.tx, g.ntx * sizeof *g.tx);
        memcpy(all->cost + all->ntx, g.cost, g.ntx * sizeof *g.cost);
        memcpy(all->discount + all->ntx, g.discount, g.ntx * sizeof *g.discount);
        all->ntx += g.ntx;
        memcpy(all->ix + all->nix, g.ix, g.nix * sizeof *g.ix);
        all->nix += g.nix;
        memcpy(all->cu + all->ncu, g.cu, g.ncu * sizeof *g.cu);
        all->ncu += g.ncu;
    }
    views(all);
    free(order);
    free(batch);
    return st;
}

static int64_t end_of_latest_day(const data *d) {
    int64_t latest = INT64_MIN;
    for (size_t i = 0; i < d->ntx; i++)
        if (isfinite(d->tx[i].amount) && d->tx[i].time > latest) latest = d->tx[i].time;
    for (size_t i = 0; i < d->nix; i++)
        if (d->ix[i].time > latest) latest = d->ix[i].time;
    return (latest / 86400 + 1) * 86400 - 1;
}

static void test_random_splits(void **unused) {
    (void)unused;
    static data d;
    static gathered all;
    for (uint64_t seed = 1; seed <= 30; seed++) {
        generate(&d, seed);
        crm_config *cfg = NULL;
        assert_int_equal(crm_config_create(NULL, &cfg, NULL), CRM_STATUS_OK);
        if (seed == 5)
            assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_MODEL, CRM_MODEL_KIND_BGNBD, NULL),
                             CRM_STATUS_OK);
        if (seed % 4 == 0)
            assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_DAY_OFFSET, 3600, NULL), CRM_STATUS_OK);
        crm_state_handle *st = split_and_add(cfg, &d, seed, seed % 3 == 0, &all);
        crm_rng rng = {seed};
        int64_t as_of = end_of_latest_day(&d) + (int64_t)crm_rng_below(&rng, 40) * 86400;
        crm_result *got = NULL, *want = NULL;
        crm_error err;
        crm_status s = crm_state_result(st, as_of, &got, &err);
        if (s != CRM_STATUS_OK) fail_msg("result: %s", err.message);
        assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, as_of, NULL), CRM_STATUS_OK);
        assert_int_equal(crm_analyze(cfg, &all.tv, &all.iv, &all.cv, &want, NULL), CRM_STATUS_OK);
        assert_same(got, want);
        /* the same after a save/load round trip, and the bytes are stable */
        size_t size = 0, size2 = 0;
        assert_int_equal(crm_state_save(st, NULL, 0, &size, NULL), CRM_STATUS_OK);
        unsigned char *buf = malloc(size), *buf2 = malloc(size);
        assert_int_equal(crm_state_save(st, buf, size, &size, NULL), CRM_STATUS_OK);
        crm_state_handle *back = NULL;
        assert_int_equal(crm_config_reset(cfg, CRM_OPTION_AS_OF, NULL), CRM_STATUS_OK);
        s = crm_state_load(cfg, buf, size, &back, &err);
        if (s != CRM_STATUS_OK) fail_msg("load: %s", err.message);
        assert_int_equal(crm_state_save(back, buf2, size, &size2, NULL), CRM_STATUS_OK);
        assert_int_equal(size, size2);
        assert_memory_equal(buf, buf2, size);
        crm_result *again = NULL;
        assert_int_equal(crm_state_result(back, as_of, &again, NULL), CRM_STATUS_OK);
        assert_same(again, want);
        /* the default as-of, when the latest record is a transaction's */
        crm_result_free(got);
        crm_result_free(want);
        crm_result_free(again);
        free(buf);
        free(buf2);
        crm_state_free(back);
        crm_state_free(st);
        crm_config_free(cfg);
    }
}

/* The latest attributes record of a customer replaces the earlier one. */
static void test_attribute_changes(void **unused) {
    (void)unused;
    crm_transaction t[2] = {{1, (int64_t)D * 86400, 10}, {2, (int64_t)D * 86400, 20}};
    crm_customer first[2] = {{1, 5000, D - 100, 2, 2, 2, 1}, {2, 6000, CRM_NO_DAY, 0, 0, 0, 0}};
    crm_customer later[2] = {{1, 5000, D - 100, 1, 1, 1, 0}, {1, 5000, D - 50, 1, 2, 1, 0}}; /* last wins */
    crm_customer bad = {2, 6000, CRM_NO_DAY, 7, 0, 0, 0};                                    /* rejected */
    crm_transactions tv;
    crm_customers c1, c2, c3;
    crm_transactions_from_array(&tv, t, 2, NULL);
    crm_customers_from_array(&c1, first, 2, NULL);
    crm_customers_from_array(&c2, later, 2, NULL);
    crm_customers_from_array(&c3, &bad, 1, NULL);
    crm_state_handle *st = NULL;
    assert_int_equal(crm_state_create(NULL, &st, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_state_add(st, &tv, NULL, &c1, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_state_add(st, NULL, NULL, &c2, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_state_add(st, NULL, NULL, &c3, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_state_records(st, CRM_INPUT_CUSTOMERS), 2);
    assert_int_equal(crm_state_customers(st), 2);
    crm_result *got = NULL, *want = NULL;
    assert_int_equal(crm_state_result(st, INT64_MIN, &got, NULL), CRM_STATUS_OK);
    crm_customer effective[2] = {later[1], first[1]};
    crm_customers ce;
    crm_customers_from_array(&ce, effective, 2, NULL);
    assert_int_equal(crm_analyze(NULL, &tv, NULL, &ce, &want, NULL), CRM_STATUS_OK);
    assert_same(got, want);
    assert_int_equal(crm_result_records(got, CRM_INPUT_CUSTOMERS, CRM_FATE_UNKNOWN_CODE), 1);
    assert_int_equal(crm_result_records_total(got, CRM_INPUT_CUSTOMERS), 5);
    /* an as-of earlier than the latest record is refused */
    crm_result *early = NULL;
    assert_int_equal(crm_state_result(st, (int64_t)D * 86400 - 1, &early, NULL), CRM_STATUS_STATE);
    assert_null(early);
    crm_result_free(got);
    crm_result_free(want);
    crm_state_free(st);
}

/* A small state's bytes. */
static unsigned char *small_state(size_t *size) {
    static data d;
    static gathered all;
    generate(&d, 3);
    crm_state_handle *st = split_and_add(NULL, &d, 3, 1, &all);
    assert_int_equal(crm_state_save(st, NULL, 0, size, NULL), CRM_STATUS_OK);
    unsigned char *buf = malloc(*size);
    size_t small = 0;
    assert_int_equal(crm_state_save(st, buf, *size - 1, &small, NULL), CRM_STATUS_SHORT_BUFFER);
    assert_int_equal(crm_state_save(st, buf, *size, size, NULL), CRM_STATUS_OK);
    crm_state_free(st);
    return buf;
}

static void put_checksum(unsigned char *buf, size_t size) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 32; i < size; i++) {
        h ^= buf[i];
        h *= 0x100000001b3ULL;
    }
    for (int i = 0; i < 8; i++) buf[24 + i] = (unsigned char)(h >> (8 * i));
}

static void test_corruption(void **unused) {
    (void)unused;
    CRM_TEST_SKIP_UNDER_VALGRIND();
    size_t size;
    unsigned char *buf = small_state(&size);
    crm_state_handle *st = NULL;
    crm_error err;
    /* every truncation, in a buffer of exactly that size (ASan sees any over-read) */
    for (size_t n = 0; n < size; n++) {
        unsigned char *cut = malloc(n + 1);
        memcpy(cut, buf, n);
        assert_int_equal(crm_state_load(NULL, n ? cut : NULL, n, &st, &err),
                         n ? CRM_STATUS_CORRUPT : CRM_STATUS_CORRUPT);
        assert_null(st);
        free(cut);
    }
    /* every byte flipped: refused (the checksum or the header sees it) */
    for (size_t i = 0; i < size; i++) {
        buf[i] ^= 0x5a;
        crm_status s = crm_state_load(NULL, buf, size, &st, &err);
        assert_true(s == CRM_STATUS_CORRUPT || s == CRM_STATUS_VERSION);
        assert_null(st);
        buf[i] ^= 0x5a;
    }
    /* flipped payload bytes with a valid checksum: refused or a usable state, never a crash */
    for (size_t i = 32; i < size; i++) {
        for (unsigned bit = i % 8; bit < 8; bit += 8) {
            buf[i] ^= (unsigned char)(1u << bit);
            put_checksum(buf, size);
            crm_status s = crm_state_load(NULL, buf, size, &st, &err);
            assert_true(s == CRM_STATUS_OK || s == CRM_STATUS_CORRUPT || s == CRM_STATUS_MISMATCH);
            if (s == CRM_STATUS_OK) {
                crm_result *r = NULL;
                (void)crm_state_result(st, INT64_MIN, &r, NULL);
                crm_result_free(r);
                size_t again = 0;
                assert_int_equal(crm_state_save(st, NULL, 0, &again, NULL), CRM_STATUS_OK);
            }
            crm_state_free(st);
            st = NULL;
            buf[i] ^= (unsigned char)(1u << bit);
        }
    }
    put_checksum(buf, size);
    assert_int_equal(crm_state_load(NULL, buf, size, &st, NULL), CRM_STATUS_OK);
    crm_state_free(st);
    st = NULL;
    /* a newer version, a wrong magic, a different day_offset */
    buf[8] = 2;
    assert_int_equal(crm_state_load(NULL, buf, size, &st, &err), CRM_STATUS_VERSION);
    assert_int_equal(err.status, CRM_STATUS_VERSION);
    assert_string_equal(crm_enum_name(CRM_ENUM_STATUS, CRM_STATUS_VERSION), "version");
    buf[8] = 1;
    buf[0] = 'X';
    assert_int_equal(crm_state_load(NULL, buf, size, &st, NULL), CRM_STATUS_CORRUPT);
    buf[0] = 'C';
    crm_config *cfg = NULL;
    crm_config_create(NULL, &cfg, NULL);
    crm_config_set_int(cfg, CRM_OPTION_DAY_OFFSET, 7200, NULL);
    assert_int_equal(crm_state_load(cfg, buf, size, &st, NULL), CRM_STATUS_MISMATCH);
    assert_null(st);
    crm_config_free(cfg);
    free(buf);
}

/* create, add twice, result, save, load, result under an allocator failing
 * at allocation k: NO_MEMORY or success, and nothing leaked. */
static crm_status run_once(long fail_at, const data *d, long *attempts) {
    crm_test_alloc counter;
    crm_test_alloc_init(&counter, fail_at);
    crm_allocator a = crm_test_allocator(&counter);
    crm_config *cfg = NULL;
    crm_state_handle *st = NULL, *back = NULL;
    crm_result *r = NULL;
    unsigned char *buf = NULL;
    crm_status s = crm_config_create(&a, &cfg, NULL);
    if (s == CRM_STATUS_OK) s = crm_state_create(cfg, &st, NULL);
    crm_transactions tv;
    crm_interactions iv;
    crm_customers cv;
    crm_transactions_from_array(&tv, d->tx, d->ntx / 2, NULL);
    crm_interactions_from_array(&iv, d->ix, d->nix / 2, NULL);
    crm_customers_from_array(&cv, d->cu, d->ncu, NULL);
    if (s == CRM_STATUS_OK) s = crm_state_add(st, &tv, &iv, &cv, NULL);
    crm_transactions_from_array(&tv, d->tx + d->ntx / 2, d->ntx - d->ntx / 2, NULL);
    crm_transactions_set_column(&tv, CRM_FIELD_COST, d->cost + d->ntx / 2, 0, NULL);
    crm_interactions_from_array(&iv, d->ix + d->nix / 2, d->nix - d->nix / 2, NULL);
    if (s == CRM_STATUS_OK) s = crm_state_add(st, &tv, &iv, NULL, NULL);
    if (s == CRM_STATUS_OK) s = crm_state_result(st, INT64_MIN + 0 * (long)0, &r, NULL);
    if (s == CRM_STATUS_STATE) s = CRM_STATUS_OK; /* an interaction after the last purchase day */
    size_t size = 0;
    if (s == CRM_STATUS_OK) s = crm_state_save(st, NULL, 0, &size, NULL);
    if (s == CRM_STATUS_OK && !(buf = malloc(size))) s = CRM_STATUS_NO_MEMORY;
    if (s == CRM_STATUS_OK) s = crm_state_save(st, buf, size, &size, NULL);
    if (s == CRM_STATUS_OK) s = crm_state_load(cfg, buf, size, &back, NULL);
    free(buf);
    crm_result_free(r);
    crm_state_free(st);
    crm_state_free(back);
    crm_config_free(cfg);
    assert_int_equal(counter.live, 0);
    *attempts = counter.attempts;
    return s;
}

static void test_allocation_failures(void **unused) {
    (void)unused;
    static data d;
    generate(&d, 8);
    d.ntx = d.ntx < 40 ? d.ntx : 40; /* small: the whole run repeats once per allocation */
    d.nix = d.nix < 24 ? d.nix : 24;
    long total = 0;
    assert_int_equal(run_once(-1, &d, &total), CRM_STATUS_OK);
    assert_true(total > 5);
    for (long k = 0; k < total; k++) {
        long attempts;
        crm_status s = run_once(k, &d, &attempts);
        assert_int_equal(s, CRM_STATUS_NO_MEMORY);
    }
}

static void test_arguments(void **unused) {
    (void)unused;
    crm_state_handle *st = NULL;
    crm_result *r = NULL;
    size_t size;
    assert_int_equal(crm_state_create(NULL, NULL, NULL), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_state_add(NULL, NULL, NULL, NULL, NULL), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_state_create(NULL, &st, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_state_result(st, INT64_MIN, &r, NULL), CRM_STATUS_NO_DATA);
    assert_int_equal(crm_state_save(st, NULL, 5, &size, NULL), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_state_latest(st), INT64_MIN);
    assert_int_equal(crm_state_customers(NULL), 0);
    /* an empty state round-trips */
    unsigned char buf[256];
    assert_int_equal(crm_state_save(st, buf, sizeof buf, &size, NULL), CRM_STATUS_OK);
    crm_state_handle *back = NULL;
    assert_int_equal(crm_state_load(NULL, buf, size, &back, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_state_customers(back), 0);
    crm_state_free(back);
    crm_state_free(st);
    crm_state_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_splits), cmocka_unit_test(test_attribute_changes),
        cmocka_unit_test(test_corruption),    cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

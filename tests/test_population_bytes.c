/* test_population_bytes.c - populations as bytes: for random splits of
 * generated data into partitions by customer, each partition's contribution
 * saved, loaded and merged elsewhere, finished, saved, loaded on "another
 * machine" and used to score a summary made there again gives the rows of
 * one crm_analyze over everything, every column bit for bit, with and
 * without models; damaged bytes are refused. */
#include "crm_test.h"

#include <math.h>
#include <string.h>

#define D     20000 /* the last generated day */
#define NTX   600
#define NIX   200
#define PARTS 5

typedef struct data {
    crm_transaction tx[NTX];
    double cost[NTX];
    crm_interaction ix[NIX];
    size_t ntx, nix;
} data;

static void generate(data *d, uint64_t seed) {
    crm_rng rng = {seed};
    memset(d, 0, sizeof *d);
    size_t customers = 10 + crm_rng_below(&rng, 60);
    d->ntx = 100 + crm_rng_below(&rng, NTX - 100);
    for (size_t i = 0; i < d->ntx; i++) {
        crm_transaction *t = &d->tx[i];
        t->customer_id = 1000 + crm_rng_below(&rng, customers) * 7;
        t->time = (int64_t)(D - (int)crm_rng_below(&rng, 900)) * 86400 + (int64_t)crm_rng_below(&rng, 86400);
        t->amount = (double)crm_rng_below(&rng, 20000) / 100.0;
        if (crm_rng_below(&rng, 10) == 0) t->amount = -t->amount;
        if (i > 0 && crm_rng_below(&rng, 12) == 0) t->amount = d->tx[i - 1].amount; /* ties */
        d->cost[i] = crm_rng_below(&rng, 8) == 0 ? NAN : t->amount * 0.55;
    }
    static const int32_t kinds[] = {CRM_KIND_CALL_OUT, CRM_KIND_VISIT_OUT, CRM_KIND_EMAIL_IN, CRM_KIND_SURVEY,
                                    CRM_KIND_ENGAGEMENT};
    d->nix = crm_rng_below(&rng, NIX);
    for (size_t i = 0; i < d->nix; i++) {
        crm_interaction *x = &d->ix[i];
        x->customer_id = 1000 + crm_rng_below(&rng, customers + 3) * 7; /* some prospects */
        x->time = (int64_t)(D - (int)crm_rng_below(&rng, 700)) * 86400 + (int64_t)crm_rng_below(&rng, 86400);
        x->kind = kinds[crm_rng_below(&rng, 5)];
        x->purpose = (int32_t)crm_rng_below(&rng, 4);
        x->value = x->kind == CRM_KIND_SURVEY ? (double)crm_rng_below(&rng, 11) : 0;
    }
}

/* The records of partition `part` (customer id hashed by the seed). */
typedef struct part {
    crm_transaction tx[NTX];
    double cost[NTX];
    crm_interaction ix[NIX];
    size_t ntx, nix;
    crm_transactions tv;
    crm_interactions iv;
} part;

static size_t part_of(uint64_t id, uint64_t seed, size_t nparts) {
    crm_rng rng = {id * 0x9e3779b97f4a7c15ULL ^ seed};
    return (size_t)crm_rng_below(&rng, nparts);
}

static void select_part(const data *d, part *p, size_t k, uint64_t seed, size_t nparts, int with_cost) {
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < d->ntx; i++)
        if (part_of(d->tx[i].customer_id, seed, nparts) == k) {
            p->cost[p->ntx] = d->cost[i];
            p->tx[p->ntx++] = d->tx[i];
        }
    for (size_t i = 0; i < d->nix; i++)
        if (part_of(d->ix[i].customer_id, seed, nparts) == k) p->ix[p->nix++] = d->ix[i];
    assert_int_equal(crm_transactions_from_array(&p->tv, p->tx, p->ntx, NULL), CRM_STATUS_OK);
    if (with_cost)
        assert_int_equal(crm_transactions_set_column(&p->tv, CRM_FIELD_COST, p->cost, 0, NULL),
                         CRM_STATUS_OK);
    assert_int_equal(crm_interactions_from_array(&p->iv, p->ix, p->nix, NULL), CRM_STATUS_OK);
}

static unsigned char *save(const crm_population *p, size_t *size) {
    crm_error err;
    assert_int_equal(crm_population_save(p, NULL, 0, size, NULL), CRM_STATUS_OK);
    unsigned char *buf = malloc(*size);
    assert_non_null(buf);
    if (crm_population_save(p, buf, *size, size, &err) != CRM_STATUS_OK) fail_msg("save: %s", err.message);
    return buf;
}

static crm_population *load(const crm_config *cfg, const unsigned char *buf, size_t size) {
    crm_population *p = NULL;
    crm_error err;
    if (crm_population_load(cfg, buf, size, &p, &err) != CRM_STATUS_OK) fail_msg("load: %s", err.message);
    return p;
}

/* Every row of got is the row of want with its customer id, bit for bit. */
static void assert_rows_of(const crm_result *got, const crm_result *want) {
    const void *gid, *wid;
    int t;
    assert_int_equal(crm_result_column(got, CRM_COLUMN_CUSTOMER_ID, &t, &gid, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_result_column(want, CRM_COLUMN_CUSTOMER_ID, &t, &wid, NULL), CRM_STATUS_OK);
    size_t rows = crm_result_rows(got), wrows = crm_result_rows(want);
    for (size_t i = 0; i < rows; i++) {
        uint64_t id = ((const uint64_t *)gid)[i];
        size_t j = 0;
        while (j < wrows && ((const uint64_t *)wid)[j] != id) j++;
        if (j == wrows) fail_msg("customer %llu not in the single analysis", (unsigned long long)id);
        for (int c = 0; c < crm_enum_count(CRM_ENUM_COLUMN); c++) {
            assert_int_equal(crm_result_has_column(got, c), crm_result_has_column(want, c));
            if (!crm_result_has_column(got, c)) continue;
            int ta, tb;
            const void *da, *db;
            assert_int_equal(crm_result_column(got, c, &ta, &da, NULL), CRM_STATUS_OK);
            assert_int_equal(crm_result_column(want, c, &tb, &db, NULL), CRM_STATUS_OK);
            size_t w = ta == CRM_TYPE_I32 ? 4 : 8;
            if (memcmp((const char *)da + i * w, (const char *)db + j * w, w) != 0)
                fail_msg("column %s differs for customer %llu", crm_enum_name(CRM_ENUM_COLUMN, c),
                         (unsigned long long)id);
        }
    }
}

static void check_seed(uint64_t seed, int model) {
    static data d;
    static part p;
    generate(&d, seed);
    crm_rng rng = {seed * 31 + 7};
    size_t nparts = 1 + crm_rng_below(&rng, PARTS);
    int with_cost = (int)crm_rng_below(&rng, 2);
    crm_config *cfg = NULL;
    assert_int_equal(crm_config_create(NULL, &cfg, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, (int64_t)(D + 1) * 86400 - 1, NULL),
                     CRM_STATUS_OK);
    if (model) {
        assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_MODEL, model, NULL), CRM_STATUS_OK);
        assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_SPEND_MODEL, 1, NULL), CRM_STATUS_OK);
    }
    if (seed % 3 == 0)
        assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_TIES, CRM_TIES_NTILE, NULL), CRM_STATUS_OK);
    /* one analysis over everything */
    static part all;
    select_part(&d, &all, 0, seed, 1, with_cost);
    crm_result *want = NULL;
    crm_error err;
    if (crm_analyze(cfg, &all.tv, &all.iv, NULL, &want, &err) != CRM_STATUS_OK)
        fail_msg("analyze: %s", err.message);
    /* each partition's contribution, as bytes, merged in a random order */
    crm_population *merged = NULL;
    size_t first = crm_rng_below(&rng, nparts);
    for (size_t n = 0; n < nparts; n++) {
        size_t k = (first + n) % nparts;
        select_part(&d, &p, k, seed, nparts, with_cost);
        if (p.ntx + p.nix == 0) continue;
        crm_summary *s = NULL;
        if (crm_summarize(cfg, &p.tv, &p.iv, NULL, &s, &err) != CRM_STATUS_OK)
            fail_msg("summarize: %s", err.message);
        crm_population *contribution = NULL;
        assert_int_equal(crm_population_create(cfg, &contribution, NULL), CRM_STATUS_OK);
        assert_int_equal(crm_population_add(contribution, s, NULL), CRM_STATUS_OK);
        size_t size;
        unsigned char *bytes = save(contribution, &size);
        crm_population *back = load(cfg, bytes, size);
        /* a loaded contribution saves to the same bytes */
        size_t size2;
        unsigned char *bytes2 = save(back, &size2);
        assert_int_equal(size, size2);
        assert_memory_equal(bytes, bytes2, size);
        if (!merged) {
            merged = back;
        } else {
            assert_int_equal(crm_population_merge(merged, back, &err), CRM_STATUS_OK);
            crm_population_free(back);
        }
        free(bytes);
        free(bytes2);
        crm_population_free(contribution);
        crm_summary_free(s);
    }
    assert_non_null(merged);
    if (crm_population_finish(merged, &err) != CRM_STATUS_OK) fail_msg("finish: %s", err.message);
    size_t size;
    unsigned char *finished = save(merged, &size);
    crm_population_free(merged);
    /* "another machine": the finished population loaded, each partition summarised again and scored */
    crm_population *there = load(cfg, finished, size);
    size_t size2;
    unsigned char *again = save(there, &size2);
    assert_int_equal(size, size2);
    assert_memory_equal(finished, again, size);
    size_t rows = 0;
    for (size_t k = 0; k < nparts; k++) {
        select_part(&d, &p, k, seed, nparts, with_cost);
        if (p.ntx + p.nix == 0) continue;
        crm_summary *s = NULL;
        assert_int_equal(crm_summarize(cfg, &p.tv, &p.iv, NULL, &s, NULL), CRM_STATUS_OK);
        crm_result *got = NULL;
        if (crm_score(there, s, &got, &err) != CRM_STATUS_OK) fail_msg("score: %s", err.message);
        assert_rows_of(got, want);
        rows += crm_result_rows(got);
        crm_result_free(got);
        crm_summary_free(s);
    }
    assert_int_equal(rows, crm_result_rows(want));
    /* a summary of records the population never saw is refused */
    d.tx[0].customer_id = 999999;
    select_part(&d, &p, 0, seed, 1, with_cost);
    crm_summary *stranger = NULL;
    assert_int_equal(crm_summarize(cfg, &p.tv, &p.iv, NULL, &stranger, NULL), CRM_STATUS_OK);
    crm_result *none = NULL;
    assert_int_equal(crm_score(there, stranger, &none, NULL), CRM_STATUS_MISMATCH);
    crm_summary_free(stranger);
    crm_population_free(there);
    free(finished);
    free(again);
    crm_result_free(want);
    crm_config_free(cfg);
}

static void test_splits(void **unused) {
    (void)unused;
    for (uint64_t seed = 1; seed <= 24; seed++) check_seed(seed, 0);
}

static void test_splits_with_models(void **unused) {
    (void)unused;
    for (uint64_t seed = 1; seed <= 6; seed++)
        check_seed(seed, seed % 2 ? CRM_MODEL_KIND_BGNBD : CRM_MODEL_KIND_PARETO_NBD);
}

static void put_checksum(unsigned char *b, size_t size) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 32; i < size; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    for (int i = 0; i < 8; i++) b[24 + i] = (unsigned char)(h >> (8 * i));
}

static void test_damaged(void **unused) {
    (void)unused;
    static data d;
    static part p;
    generate(&d, 3);
    select_part(&d, &p, 0, 3, 1, 1);
    crm_config *cfg = NULL;
    assert_int_equal(crm_config_create(NULL, &cfg, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_MODEL, CRM_MODEL_KIND_BGNBD, NULL), CRM_STATUS_OK);
    crm_summary *s = NULL;
    assert_int_equal(crm_summarize(cfg, &p.tv, &p.iv, NULL, &s, NULL), CRM_STATUS_OK);
    crm_population *pop = NULL;
    assert_int_equal(crm_population_create(cfg, &pop, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_population_add(pop, s, NULL), CRM_STATUS_OK);
    for (int finished = 0; finished < 2; finished++) {
        if (finished) assert_int_equal(crm_population_finish(pop, NULL), CRM_STATUS_OK);
        size_t size;
        unsigned char *b = save(pop, &size);
        unsigned char small[8];
        size_t need = 0;
        assert_int_equal(crm_population_save(pop, small, sizeof small, &need, NULL), CRM_STATUS_SHORT_BUFFER);
        assert_int_equal(need, size);
        crm_population *out = NULL;
        /* every truncation */
        for (size_t n = 0; n < size; n++)
            assert_int_equal(crm_population_load(cfg, b, n, &out, NULL), CRM_STATUS_CORRUPT);
        /* a flipped byte: the checksum (payload) or the header */
        for (size_t i = 0; i < size; i += 1 + size / 97) {
            b[i] ^= 0x20;
            crm_status st = crm_population_load(cfg, b, size, &out, NULL);
            if (i >= 8 && i < 12)
                assert_int_equal(st, i == 8 && (b[i] & 0x20) ? CRM_STATUS_VERSION : CRM_STATUS_CORRUPT);
            else
                assert_int_equal(st, CRM_STATUS_CORRUPT);
            b[i] ^= 0x20;
        }
        /* a changed payload with a valid checksum: loaded, or refused as corrupt, never anything else */
        for (size_t i = 32; i < size; i++) {
            unsigned char keep = b[i];
            b[i] = (unsigned char)(keep ^ 0xff);
            put_checksum(b, size);
            crm_status st = crm_population_load(cfg, b, size, &out, NULL);
            if (st == CRM_STATUS_OK)
                crm_population_free(out);
            else if (i < 32 + 1 + 8) /* flags and the configuration's digest */
                assert_true(st == CRM_STATUS_CORRUPT || st == CRM_STATUS_MISMATCH);
            else
                assert_int_equal(st, CRM_STATUS_CORRUPT);
            out = NULL;
            b[i] = keep;
        }
        put_checksum(b, size);
        /* a newer version */
        b[8] = 2;
        assert_int_equal(crm_population_load(cfg, b, size, &out, NULL), CRM_STATUS_VERSION);
        b[8] = 1;
        out = load(cfg, b, size);
        crm_population_free(out);
        /* another configuration, another as-of */
        crm_config *other = NULL;
        assert_int_equal(crm_config_clone(cfg, &other, NULL), CRM_STATUS_OK);
        assert_int_equal(crm_config_set_int(other, CRM_OPTION_RFM_BINS, 4, NULL), CRM_STATUS_OK);
        assert_int_equal(crm_population_load(other, b, size, &out, NULL), CRM_STATUS_MISMATCH);
        assert_int_equal(crm_config_reset(other, CRM_OPTION_RFM_BINS, NULL), CRM_STATUS_OK);
        assert_int_equal(crm_config_set_int(other, CRM_OPTION_THREADS, 3, NULL), CRM_STATUS_OK);
        out = load(other, b, size); /* scheduling is not compared */
        crm_population_free(out);
        assert_int_equal(crm_config_set_int(other, CRM_OPTION_AS_OF, crm_summary_as_of(s) + 86400, NULL),
                         CRM_STATUS_OK);
        assert_int_equal(crm_population_load(other, b, size, &out, NULL), CRM_STATUS_MISMATCH);
        crm_config_free(other);
        free(b);
    }
    /* merging: finished, itself, NULL */
    crm_population *other = NULL;
    assert_int_equal(crm_population_create(cfg, &other, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_population_merge(other, pop, NULL), CRM_STATUS_STATE);
    assert_int_equal(crm_population_merge(other, other, NULL), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_population_merge(NULL, other, NULL), CRM_STATUS_INVALID_ARGUMENT);
    crm_population_free(other);
    crm_population_free(pop);
    crm_summary_free(s);
    crm_config_free(cfg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_splits),
        cmocka_unit_test(test_splits_with_models),
        cmocka_unit_test(test_damaged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

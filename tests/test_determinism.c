/* test_determinism.c - the same input gives the same output, bit for bit
 * (every column of every row compared with memcmp): across runs, input
 * orders (reversed, shuffled with a fixed seed), thread counts (1, 2, 3) and
 * partitioned vs one call, with models, cost, discount, interactions and
 * customer attributes. Uses the public API only, so that it builds against
 * the static library (test_determinism) and the shared one
 * (test_determinism_shared); "--digest" prints an FNV-1a digest of the
 * whole table, which the test determinism_static_shared compares between
 * the two builds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "crm_compare.h"
#include "crmkit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D     19700 /* as-of day: 2023-12-09 */
#define CUST  400
#define NTX   4000
#define NIX   1500
#define NCU   120
#define NPART 3

static uint64_t next(uint64_t *s) { /* splitmix64 */
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static uint64_t below(uint64_t *s, uint64_t n) { return next(s) % n; }

typedef struct data {
    uint64_t tid[NTX];
    int64_t ttime[NTX];
    double amount[NTX], cost[NTX], discount[NTX];
    crm_interaction ix[NIX];
    crm_customer cu[NCU];
} data;

static void generate(data *d) {
    uint64_t s = 14;
    for (size_t i = 0; i < NTX; i++) {
        d->tid[i] = 1000 + below(&s, CUST) * 7919;
        d->ttime[i] = (int64_t)(D - (int64_t)below(&s, 720)) * 86400 + (int64_t)below(&s, 86400);
        d->amount[i] = (double)below(&s, 100000) / 100.0 - (below(&s, 10) == 0 ? 600.0 : 0.0);
        d->cost[i] = below(&s, 5) == 0 ? NAN : d->amount[i] * 0.6;
        d->discount[i] = below(&s, 3) == 0 ? (double)below(&s, 500) / 100.0 : 0.0;
        if (i % 7 == 3) d->ttime[i] = d->ttime[i - 1]; /* same time, other amounts: order-sensitive sums */
        if (i % 7 == 3) d->tid[i] = d->tid[i - 1];
    }
    static const int32_t kinds[] = {CRM_KIND_ENGAGEMENT, CRM_KIND_CALL_OUT,  CRM_KIND_SURVEY,
                                    CRM_KIND_COMPLAINT,  CRM_KIND_VISIT_OUT, CRM_KIND_COMPLAINT_RESPONSE};
    for (size_t i = 0; i < NIX; i++) {
        crm_interaction *x = &d->ix[i];
        x->customer_id = 1000 + below(&s, CUST) * 7919;
        x->time = (int64_t)(D - (int64_t)below(&s, 700)) * 86400 + (int64_t)below(&s, 86400);
        x->kind = kinds[below(&s, 6)];
        x->value = x->kind == CRM_KIND_SURVEY ? (double)below(&s, 11) : 0;
        x->ref = below(&s, 4);
        x->purpose =
            (x->kind == CRM_KIND_CALL_OUT || x->kind == CRM_KIND_VISIT_OUT) ? 1 + (int)below(&s, 3) : 0;
    }
    for (size_t i = 0; i < NCU; i++) {
        crm_customer *c = &d->cu[i];
        c->customer_id = 1000 + (uint64_t)i * 3 * 7919; /* every third customer */
        c->birthday = (int32_t)(D - 10000 - (int64_t)below(&s, 15000));
        c->relationship_start = below(&s, 2) ? (int32_t)(D - (int64_t)below(&s, 2000)) : CRM_NO_DAY;
        c->money = (int32_t)below(&s, 3);
        c->authority = (int32_t)below(&s, 3);
        c->need = (int32_t)below(&s, 3);
        c->targeted = (int32_t)below(&s, 2);
    }
}

/* Permute every input by perm (of NTX), and the interactions and customers
 * by the same rule on their own sizes. kind: 0 identity, 1 reversed, 2 shuffled. */
static void reorder(const data *in, data *out, int kind, uint64_t seed) {
    size_t *p = malloc(NTX * sizeof *p);
    assert_non_null(p);
    size_t sizes[3] = {NTX, NIX, NCU};
    for (int which = 0; which < 3; which++) {
        size_t n = sizes[which];
        for (size_t i = 0; i < n; i++) p[i] = kind == 1 ? n - 1 - i : i;
        if (kind == 2)
            for (size_t i = n - 1; i > 0; i--) {
                size_t j = (size_t)below(&seed, i + 1), t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
        for (size_t i = 0; i < n; i++) {
            if (which == 0) {
                out->tid[i] = in->tid[p[i]];
                out->ttime[i] = in->ttime[p[i]];
                out->amount[i] = in->amount[p[i]];
                out->cost[i] = in->cost[p[i]];
                out->discount[i] = in->discount[p[i]];
            } else if (which == 1) {
                out->ix[i] = in->ix[p[i]];
            } else {
                out->cu[i] = in->cu[p[i]];
            }
        }
    }
    free(p);
}

static crm_config *config(int threads) {
    crm_config *cfg = NULL;
    assert_int_equal(crm_config_create(NULL, &cfg, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, (int64_t)D * 86400 + 86399, NULL),
                     CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "model", "bgnbd", NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "spend_model", "true", NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_THREADS, threads, NULL), CRM_STATUS_OK);
    return cfg;
}

/* Views over records [lo, hi) ... of the customers with id % NPART == part
 * (part < 0: every record): the caller's arrays are filtered into scratch. */
static crm_result *run(const crm_config *cfg, const data *d, int part, crm_summary **summary) {
    static data scratch;
    const data *use = d;
    size_t ntx = NTX, nix = NIX, ncu = NCU;
    if (part >= 0) {
        ntx = nix = ncu = 0;
        for (size_t i = 0; i < NTX; i++)
            if ((int)(d->tid[i] % NPART) == part) {
                scratch.tid[ntx] = d->tid[i];
                scratch.ttime[ntx] = d->ttime[i];
                scratch.amount[ntx] = d->amount[i];
                scratch.cost[ntx] = d->cost[i];
                scratch.discount[ntx++] = d->discount[i];
            }
        for (size_t i = 0; i < NIX; i++)
            if ((int)(d->ix[i].customer_id % NPART) == part) scratch.ix[nix++] = d->ix[i];
        for (size_t i = 0; i < NCU; i++)
            if ((int)(d->cu[i].customer_id % NPART) == part) scratch.cu[ncu++] = d->cu[i];
        use = &scratch;
    }
    crm_transactions tv;
    crm_interactions iv;
    crm_customers cv;
    crm_error err;
    assert_int_equal(
        crm_transactions_from_columns(&tv, use->tid, 0, use->ttime, 0, use->amount, 0, ntx, NULL),
        CRM_STATUS_OK);
    assert_int_equal(crm_transactions_set_column(&tv, CRM_FIELD_COST, use->cost, 0, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_transactions_set_column(&tv, CRM_FIELD_DISCOUNT, use->discount, 0, NULL),
                     CRM_STATUS_OK);
    assert_int_equal(crm_interactions_from_array(&iv, use->ix, nix, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_customers_from_array(&cv, use->cu, ncu, NULL), CRM_STATUS_OK);
    if (summary) {
        assert_int_equal(crm_summarize(cfg, &tv, &iv, &cv, summary, &err), CRM_STATUS_OK);
        return NULL;
    }
    crm_result *r = NULL;
    crm_status st = crm_analyze(cfg, &tv, &iv, &cv, &r, &err);
    if (st != CRM_STATUS_OK) print_error("%s\n", err.message);
    assert_int_equal(st, CRM_STATUS_OK);
    return r;
}

static void assert_same(const crm_result *a, const crm_result *b) {
    assert_int_equal(crm_result_rows(a), crm_result_rows(b));
    for (size_t i = 0; i < crm_result_rows(a); i++) crm_compare_rows(a, i, b, i);
    for (int in = CRM_INPUT_TRANSACTIONS; in <= CRM_INPUT_CUSTOMERS; in++)
        for (int f = 0; f < crm_enum_count(CRM_ENUM_FATE); f++)
            assert_int_equal(crm_result_records(a, in, f), crm_result_records(b, in, f));
    for (int kind = CRM_MODEL_KIND_BGNBD; kind <= CRM_MODEL_KIND_GAMMA_GAMMA; kind++) {
        const crm_model *ma = crm_result_model(a, kind), *mb = crm_result_model(b, kind);
        assert_int_equal(ma == NULL, mb == NULL);
        for (size_t i = 0; ma && i < crm_model_param_count(kind); i++) {
            double x = crm_model_param(ma, i), y = crm_model_param(mb, i);
            assert_memory_equal(&x, &y, sizeof x);
        }
    }
}

static data base, other;

static void test_runs_orders_threads(void **state) {
    (void)state;
    generate(&base);
    crm_config *cfg = config(1);
    crm_result *first = run(cfg, &base, -1, NULL);
    assert_non_null(crm_result_model(first, CRM_MODEL_KIND_BGNBD));
    assert_non_null(crm_result_model(first, CRM_MODEL_KIND_GAMMA_GAMMA));
    crm_result *again = run(cfg, &base, -1, NULL);
    assert_same(first, again);
    crm_result_free(again);
    for (int kind = 1; kind <= 2; kind++) {
        reorder(&base, &other, kind, 20261127);
        crm_result *r = run(cfg, &other, -1, NULL);
        assert_same(first, r);
        crm_result_free(r);
    }
    crm_config_free(cfg);
    for (int threads = 2; threads <= 3; threads++) {
        cfg = config(threads);
        crm_result *r = run(cfg, &base, -1, NULL);
        assert_same(first, r);
        crm_result_free(r);
        reorder(&base, &other, 2, 7 + (uint64_t)threads);
        r = run(cfg, &other, -1, NULL);
        assert_same(first, r);
        crm_result_free(r);
        crm_config_free(cfg);
    }
    crm_result_free(first);
}

static void test_partitioned(void **state) {
    (void)state;
    generate(&base);
    crm_config *cfg = config(1);
    crm_result *whole = run(cfg, &base, -1, NULL);
    crm_summary *parts[NPART];
    crm_population *pop = NULL;
    assert_int_equal(crm_population_create(cfg, &pop, NULL), CRM_STATUS_OK);
    for (int k = 0; k < NPART; k++) {
        run(cfg, &base, k, &parts[k]);
        assert_int_equal(crm_population_add(pop, parts[k], NULL), CRM_STATUS_OK);
    }
    assert_int_equal(crm_population_finish(pop, NULL), CRM_STATUS_OK);
    size_t rows = 0;
    for (int k = 0; k < NPART; k++) {
        rows += crm_compare_partition(pop, parts[k], whole);
        crm_summary_free(parts[k]);
    }
    assert_int_equal(rows, crm_result_rows(whole));
    crm_population_free(pop);
    crm_result_free(whole);
    crm_config_free(cfg);
}

/* FNV-1a 64 of every column of every row and the record accounting. */
static int print_digest(void) {
    generate(&base);
    crm_config *cfg = NULL;
    crm_result *r = NULL;
    crm_transactions tv;
    crm_interactions iv;
    crm_customers cv;
    if (crm_config_create(NULL, &cfg, NULL) ||
        crm_config_set_int(cfg, CRM_OPTION_AS_OF, (int64_t)D * 86400 + 86399, NULL) ||
        crm_config_set_text(cfg, "model", "bgnbd", NULL) ||
        crm_config_set_text(cfg, "spend_model", "true", NULL) ||
        crm_transactions_from_columns(&tv, base.tid, 0, base.ttime, 0, base.amount, 0, NTX, NULL) ||
        crm_transactions_set_column(&tv, CRM_FIELD_COST, base.cost, 0, NULL) ||
        crm_transactions_set_column(&tv, CRM_FIELD_DISCOUNT, base.discount, 0, NULL) ||
        crm_interactions_from_array(&iv, base.ix, NIX, NULL) ||
        crm_customers_from_array(&cv, base.cu, NCU, NULL) || crm_analyze(cfg, &tv, &iv, &cv, &r, NULL)) {
        fprintf(stderr, "test_determinism --digest: the analysis failed\n");
        return 1;
    }
    uint64_t h = 0xcbf29ce484222325ull;
    for (int c = 0; c < crm_enum_count(CRM_ENUM_COLUMN); c++) {
        int type;
        const void *col;
        if (crm_result_column(r, c, &type, &col, NULL) != CRM_STATUS_OK) continue;
        const unsigned char *p = col;
        for (size_t i = 0; i < crm_result_rows(r) * crm_compare_elem_size(c); i++)
            h = (h ^ p[i]) * 0x100000001b3ull;
    }
    for (int in = CRM_INPUT_TRANSACTIONS; in <= CRM_INPUT_CUSTOMERS; in++)
        for (int f = 0; f < crm_enum_count(CRM_ENUM_FATE); f++)
            h = (h ^ (uint64_t)crm_result_records(r, in, f)) * 0x100000001b3ull;
    printf("%zu rows %016llx\n", crm_result_rows(r), (unsigned long long)h);
    crm_result_free(r);
    crm_config_free(cfg);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--digest") == 0) return print_digest();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs_orders_threads),
        cmocka_unit_test(test_partitioned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

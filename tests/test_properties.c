/* test_properties.c - properties on generated data: input order does not
 * change any output, array-of-structs and columns give identical tables, a
 * partitioned run equals one run over everything, and an independent
 * brute-force reference agrees on every summary, RFM and tier column. */
#include "crm_compare.h"
#include "crm_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define D     19500
#define NCUST 400

typedef struct data {
    crm_transaction *tx;
    size_t ntx;
    crm_interaction *ix;
    size_t nix;
} data;

/* Amounts are multiples of 1/4 so every sum is exact in any order, which
 * lets the reference sum naively and still compare bit for bit. */
static void generate(data *d, uint64_t seed) {
    crm_rng rng = {seed};
    d->tx = calloc(NCUST * 40, sizeof *d->tx);
    d->ix = calloc(NCUST * 30, sizeof *d->ix);
    d->ntx = d->nix = 0;
    for (int c = 0; c < NCUST; c++) {
        uint64_t id = crm_rng_next(&rng) >> 20;
        int purchases = (int)crm_rng_below(&rng, 30);
        int start = (int)crm_rng_below(&rng, 1500);
        for (int j = 0; j < purchases; j++) {
            crm_transaction *t = &d->tx[d->ntx++];
            t->customer_id = id;
            t->time = (int64_t)(D - (int)crm_rng_below(&rng, (uint64_t)start + 1)) * 86400 +
                      (int64_t)crm_rng_below(&rng, 86400);
            t->amount = (double)crm_rng_below(&rng, 400) / 4.0;
            if (crm_rng_below(&rng, 12) == 0) t->amount = -t->amount / 2; /* returns */
        }
        int interactions = (int)crm_rng_below(&rng, 25);
        uint64_t ref = 1;
        for (int j = 0; j < interactions; j++) {
            crm_interaction *x = &d->ix[d->nix++];
            x->customer_id = id;
            x->time =
                (int64_t)(D - (int)crm_rng_below(&rng, 700)) * 86400 + (int64_t)crm_rng_below(&rng, 86400);
            x->kind = 1 + (int32_t)crm_rng_below(&rng, crm_enum_count(CRM_ENUM_KIND) - 1);
            x->value = 0;
            x->ref = 0;
            if (x->kind == CRM_KIND_SURVEY) x->value = (double)crm_rng_below(&rng, 11);
            if (x->kind == CRM_KIND_COMPLAINT) {
                x->value = (double)crm_rng_below(&rng, 2);
                x->ref = ref++;
            }
            if (x->kind >= CRM_KIND_COMPLAINT_RESPONSE && x->kind <= CRM_KIND_FOLLOW_UP) {
                x->ref = 1 + crm_rng_below(&rng, ref + 1); /* some refer to no complaint */
            }
        }
    }
}

static void free_data(data *d) {
    free(d->tx);
    free(d->ix);
}

static void shuffle(data *d, uint64_t seed) {
    crm_rng rng = {seed};
    for (size_t i = d->ntx; i > 1; i--) {
        size_t j = (size_t)crm_rng_below(&rng, i);
        crm_transaction t = d->tx[i - 1];
        d->tx[i - 1] = d->tx[j];
        d->tx[j] = t;
    }
    for (size_t i = d->nix; i > 1; i--) {
        size_t j = (size_t)crm_rng_below(&rng, i);
        crm_interaction t = d->ix[i - 1];
        d->ix[i - 1] = d->ix[j];
        d->ix[j] = t;
    }
}

static crm_config *config(const char *ties) {
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, (int64_t)D * 86400 + 86399, &err),
                     CRM_STATUS_OK);
    if (ties) assert_int_equal(crm_config_set_text(cfg, "ties", ties, &err), CRM_STATUS_OK);
    return cfg;
}

static crm_result *analyze(const crm_config *cfg, const data *d) {
    crm_transactions tv;
    crm_interactions iv;
    crm_transactions_from_array(&tv, d->tx, d->ntx, NULL);
    crm_interactions_from_array(&iv, d->ix, d->nix, NULL);
    crm_result *r = NULL;
    crm_error err;
    crm_status st = crm_analyze(cfg, &tv, &iv, NULL, &r, &err);
    if (st != CRM_STATUS_OK) print_error("%s\n", err.message);
    assert_int_equal(st, CRM_STATUS_OK);
    return r;
}

static void assert_tables_equal(const crm_result *a, const crm_result *b) {
    assert_int_equal(crm_result_rows(a), crm_result_rows(b));
    for (size_t i = 0; i < crm_result_rows(a); i++) crm_compare_rows(a, i, b, i);
    for (int m = 0; m < crm_enum_count(CRM_ENUM_METRIC); m++) {
        double x = crm_result_metric(a, m), y = crm_result_metric(b, m);
        assert_true((isnan(x) && isnan(y)) || x == y);
    }
}

static void test_order_does_not_matter(void **state) {
    (void)state;
    const char *policies[2] = {NULL, "ntile"};
    for (int p = 0; p < 2; p++) {
        data d;
        generate(&d, 42);
        crm_config *cfg = config(policies[p]);
        crm_result *a = analyze(cfg, &d);
        for (uint64_t s = 1; s <= 3; s++) {
            shuffle(&d, s);
            crm_result *b = analyze(cfg, &d);
            assert_tables_equal(a, b);
            crm_result_free(b);
        }
        crm_result_free(a);
        crm_config_free(cfg);
        free_data(&d);
    }
}

static void test_columns_equal_structs(void **state) {
    (void)state;
    data d;
    generate(&d, 7);
    size_t n = d.ntx, m = d.nix;
    uint64_t *ids = malloc(n * sizeof *ids), *xids = malloc(m * sizeof *xids),
             *refs = malloc(m * sizeof *refs);
    int64_t *times = malloc(n * sizeof *times), *xtimes = malloc(m * sizeof *xtimes);
    double *amounts = malloc(n * sizeof *amounts), *values = malloc(m * sizeof *values);
    int32_t *kinds = malloc(m * sizeof *kinds);
    for (size_t i = 0; i < n; i++) {
        ids[i] = d.tx[i].customer_id;
        times[i] = d.tx[i].time;
        amounts[i] = d.tx[i].amount;
    }
    for (size_t i = 0; i < m; i++) {
        xids[i] = d.ix[i].customer_id;
        xtimes[i] = d.ix[i].time;
        kinds[i] = d.ix[i].kind;
        values[i] = d.ix[i].value;
        refs[i] = d.ix[i].ref;
    }
    crm_transactions tv;
    crm_interactions iv;
    assert_int_equal(crm_transactions_from_columns(&tv, ids, 0, times, 0, amounts, 0, n, NULL),
                     CRM_STATUS_OK);
    assert_int_equal(crm_interactions_from_columns(&iv, xids, 0, xtimes, 0, kinds, 0, m, NULL),
                     CRM_STATUS_OK);
    assert_int_equal(crm_interactions_set_column(&iv, CRM_FIELD_VALUE, values, 0, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_interactions_set_column(&iv, CRM_FIELD_REF, refs, 0, NULL), CRM_STATUS_OK);
    crm_config *cfg = config(NULL);
    crm_result *a = analyze(cfg, &d), *b = NULL;
    assert_int_equal(crm_analyze(cfg, &tv, &iv, NULL, &b, NULL), CRM_STATUS_OK);
    assert_tables_equal(a, b);
    crm_result_free(a);
    crm_result_free(b);
    crm_config_free(cfg);
    free(ids), free(xids), free(refs), free(times), free(xtimes), free(amounts), free(values), free(kinds);
    free_data(&d);
}

/* Three partitions by customer id give the rows of one analysis. */
static void test_partitions_equal_single(void **state) {
    (void)state;
    const char *policies[2] = {NULL, "ntile"};
    for (int p = 0; p < 2; p++) {
        data d;
        generate(&d, 99);
        crm_config *cfg = config(policies[p]);
        crm_result *whole = analyze(cfg, &d);
        enum { NPART = 3 };
        data part[NPART];
        for (int k = 0; k < NPART; k++) {
            part[k].tx = calloc(d.ntx + 1, sizeof(crm_transaction));
            part[k].ix = calloc(d.nix + 1, sizeof(crm_interaction));
            part[k].ntx = part[k].nix = 0;
        }
        for (size_t i = 0; i < d.ntx; i++) {
            data *q = &part[d.tx[i].customer_id % NPART];
            q->tx[q->ntx++] = d.tx[i];
        }
        for (size_t i = 0; i < d.nix; i++) {
            data *q = &part[d.ix[i].customer_id % NPART];
            q->ix[q->nix++] = d.ix[i];
        }
        crm_summary *s[NPART];
        crm_population *pop;
        crm_error err;
        assert_int_equal(crm_population_create(cfg, &pop, &err), CRM_STATUS_OK);
        /* Add in reverse order: the order of partitions must not matter either. */
        for (int k = NPART - 1; k >= 0; k--) {
            crm_transactions tv;
            crm_interactions iv;
            crm_transactions_from_array(&tv, part[k].tx, part[k].ntx, NULL);
            crm_interactions_from_array(&iv, part[k].ix, part[k].nix, NULL);
            assert_int_equal(crm_summarize(cfg, &tv, &iv, NULL, &s[k], &err), CRM_STATUS_OK);
            assert_int_equal(crm_population_add(pop, s[k], &err), CRM_STATUS_OK);
        }
        crm_result *early = NULL;
        assert_int_equal(crm_score(pop, s[0], &early, &err), CRM_STATUS_STATE);
        assert_int_equal(crm_population_finish(pop, &err), CRM_STATUS_OK);
        assert_int_equal(crm_population_finish(pop, &err), CRM_STATUS_STATE);
        assert_int_equal(crm_population_add(pop, s[0], &err), CRM_STATUS_STATE);
        size_t rows = 0;
        for (int k = 0; k < NPART; k++) rows += crm_compare_partition(pop, s[k], whole);
        assert_int_equal(rows, crm_result_rows(whole));
        for (int k = 0; k < NPART; k++) {
            crm_summary_free(s[k]);
            free_data(&part[k]);
        }
        crm_population_free(pop);
        crm_result_free(whole);
        crm_config_free(cfg);
        free_data(&d);
    }
}

/* A partition of prospects alone has no transactions, so no cost column of
 * its own: its rows take the costs' presence from the population, as one
 * analysis of everything does (profit = -service cost, not unknown). */
static void test_prospect_partition_costs(void **state) {
    (void)state;
    const int64_t day = 20000LL * 86400;
    crm_transaction t[4] = {
        {1, day, 40}, {1, day + 9 * 86400, 60}, {2, day + 86400, 25}, {3, day + 2 * 86400, 80}};
    double cost[4] = {20, 30, 15, 50};
    crm_interaction x[4];
    memset(x, 0, sizeof x);
    const uint64_t who[4] = {1, 100, 100, 101};
    const int32_t kinds[4] = {CRM_KIND_CALL_OUT, CRM_KIND_CALL_OUT, CRM_KIND_VISIT_OUT, CRM_KIND_EMAIL_IN};
    for (int i = 0; i < 4; i++) {
        x[i].customer_id = who[i];
        x[i].time = day + i * 86400;
        x[i].kind = kinds[i];
    }
    crm_config *cfg = NULL;
    assert_int_equal(crm_config_create(NULL, &cfg, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_real(cfg, CRM_OPTION_COST_CALL, 2.5, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_real(cfg, CRM_OPTION_COST_VISIT, 7, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, day + 30 * 86400, NULL), CRM_STATUS_OK);
    crm_transactions tv;
    crm_interactions all, buyers, prospects;
    crm_transactions_from_array(&tv, t, 4, NULL);
    crm_transactions_set_column(&tv, CRM_FIELD_COST, cost, 0, NULL);
    crm_interactions_from_array(&all, x, 4, NULL);
    crm_interactions_from_array(&buyers, x, 1, NULL);
    crm_interactions_from_array(&prospects, x + 1, 3, NULL);
    crm_result *whole = NULL;
    assert_int_equal(crm_analyze(cfg, &tv, &all, NULL, &whole, NULL), CRM_STATUS_OK);
    crm_summary *s[2];
    crm_population *pop = NULL;
    assert_int_equal(crm_summarize(cfg, &tv, &buyers, NULL, &s[0], NULL), CRM_STATUS_OK);
    crm_error err;
    if (crm_summarize(cfg, NULL, &prospects, NULL, &s[1], &err) != CRM_STATUS_OK) fail_msg("%s", err.message);
    assert_int_equal(crm_population_create(cfg, &pop, NULL), CRM_STATUS_OK);
    for (int k = 0; k < 2; k++) assert_int_equal(crm_population_add(pop, s[k], NULL), CRM_STATUS_OK);
    assert_int_equal(crm_population_finish(pop, NULL), CRM_STATUS_OK);
    size_t rows = 0;
    for (int k = 0; k < 2; k++) {
        rows += crm_compare_partition(pop, s[k], whole);
        crm_summary_free(s[k]);
    }
    assert_int_equal(rows, crm_result_rows(whole));
    /* prospect 100: two outbound contacts cost 2.5 + 7 */
    int64_t j = crm_result_find(whole, 100);
    assert_true(j >= 0);
    assert_true(crm_result_f64(whole, CRM_COLUMN_PROFIT)[j] == -9.5);
    crm_population_free(pop);
    crm_result_free(whole);
    crm_config_free(cfg);
}

/* Large inputs take the bucketed path (records placed into id buckets while
 * they are validated): its rows must equal those of small partitions,
 * which take the plain sort, and must not depend on record order. Ids are
 * scattered 64-bit values, some records are rejected, one customer has
 * thousands of records, and the interactions take the same path. */
static crm_result *analyze_both(const crm_config *cfg, const crm_transaction *t, size_t n,
                                const crm_interaction *x, size_t nx) {
    crm_transactions tv;
    crm_interactions iv;
    crm_result *r = NULL;
    crm_error err;
    crm_transactions_from_array(&tv, t, n, NULL);
    crm_interactions_from_array(&iv, x, nx, NULL);
    crm_status st = crm_analyze(cfg, &tv, &iv, NULL, &r, &err);
    if (st != CRM_STATUS_OK) print_error("%s\n", err.message);
    assert_int_equal(st, CRM_STATUS_OK);
    return r;
}

static void test_large_input_equals_partitions(void **state) {
    (void)state;
    enum { N = 90000, NX = 70000, CUST = 6000, NPART = 4 };
    crm_transaction *t = calloc(N, sizeof *t);
    crm_interaction *x = calloc(NX, sizeof *x);
    assert_non_null(x);
    uint64_t *ids = calloc(CUST, sizeof *ids);
    assert_non_null(t);
    assert_non_null(ids);
    crm_rng rng = {777};
    for (size_t c = 0; c < CUST; c++) ids[c] = crm_rng_next(&rng);
    ids[1] = ids[0] + 1; /* neighbours that differ only in the lowest bit */
    for (size_t i = 0; i < N; i++) {
        size_t c = i % 15 == 0 ? 2 : crm_rng_below(&rng, CUST); /* customer 2 is big */
        t[i].customer_id = ids[c];
        t[i].time =
            (int64_t)(D - (int)crm_rng_below(&rng, 700)) * 86400 + (int64_t)crm_rng_below(&rng, 86400);
        t[i].amount = (double)((int64_t)crm_rng_below(&rng, 20000) - 2000) / 100.0;
        if (i % 997 == 0) t[i].amount = NAN;                     /* rejected: nonfinite */
        if (i % 1009 == 0) t[i].time = (int64_t)(D + 3) * 86400; /* rejected: after the as-of */
    }
    static const int32_t kinds[] = {CRM_KIND_ENGAGEMENT, CRM_KIND_CALL_OUT,           CRM_KIND_SURVEY,
                                    CRM_KIND_COMPLAINT,  CRM_KIND_COMPLAINT_RESPONSE, CRM_KIND_EMAIL_IN};
    for (size_t i = 0; i < NX; i++) {
        x[i].customer_id = ids[crm_rng_below(&rng, CUST)];
        x[i].time =
            (int64_t)(D - (int)crm_rng_below(&rng, 700)) * 86400 + (int64_t)crm_rng_below(&rng, 86400);
        x[i].kind = kinds[crm_rng_below(&rng, 6)];
        x[i].value = x[i].kind == CRM_KIND_SURVEY ? (double)crm_rng_below(&rng, 11) : 0;
        x[i].ref = crm_rng_below(&rng, 3); /* responses often link to nothing: rejected by reason */
        if (i % 1013 == 0) x[i].kind = 99; /* rejected: unknown kind */
    }
    crm_config *cfg = config(NULL);
    crm_result *whole = analyze_both(cfg, t, N, x, NX);
    assert_int_equal(crm_result_records(whole, CRM_INPUT_TRANSACTIONS, CRM_FATE_NONFINITE), (N + 996) / 997);
    /* shuffled: the same table */
    for (size_t i = N - 1; i > 0; i--) {
        size_t j = crm_rng_below(&rng, i + 1);
        crm_transaction tmp = t[i];
        t[i] = t[j];
        t[j] = tmp;
    }
    for (size_t i = NX - 1; i > 0; i--) {
        size_t j = crm_rng_below(&rng, i + 1);
        crm_interaction tmp = x[i];
        x[i] = x[j];
        x[j] = tmp;
    }
    crm_result *shuffled = analyze_both(cfg, t, N, x, NX);
    assert_tables_equal(whole, shuffled);
    /* on threads: validation, placing, bucket sorts, facts and rows as tasks */
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_THREADS, 3, NULL), CRM_STATUS_OK);
    crm_result *threaded = analyze_both(cfg, t, N, x, NX);
    assert_tables_equal(whole, threaded);
    crm_result_free(threaded);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_THREADS, 1, NULL), CRM_STATUS_OK);
    /* partitions below the bucketed size */
    crm_transaction *part[NPART];
    crm_interaction *xpart[NPART];
    size_t np[NPART] = {0}, nxp[NPART] = {0};
    for (int k = 0; k < NPART; k++) {
        part[k] = calloc(N, sizeof *part[k]);
        xpart[k] = calloc(NX, sizeof *xpart[k]);
    }
    for (size_t i = 0; i < N; i++) {
        int k = (int)(t[i].customer_id % NPART);
        part[k][np[k]++] = t[i];
    }
    for (size_t i = 0; i < NX; i++) {
        int k = (int)(x[i].customer_id % NPART);
        xpart[k][nxp[k]++] = x[i];
    }
    crm_population *pop;
    crm_summary *s[NPART];
    assert_int_equal(crm_population_create(cfg, &pop, NULL), CRM_STATUS_OK);
    for (int k = 0; k < NPART; k++) {
        assert_true(np[k] < 65536 && nxp[k] < 65536);
        crm_transactions tv;
        crm_interactions iv;
        crm_transactions_from_array(&tv, part[k], np[k], NULL);
        crm_interactions_from_array(&iv, xpart[k], nxp[k], NULL);
        assert_int_equal(crm_summarize(cfg, &tv, &iv, NULL, &s[k], NULL), CRM_STATUS_OK);
        assert_int_equal(crm_population_add(pop, s[k], NULL), CRM_STATUS_OK);
    }
    assert_int_equal(crm_population_finish(pop, NULL), CRM_STATUS_OK);
    size_t rows = 0;
    for (int k = 0; k < NPART; k++) {
        rows += crm_compare_partition(pop, s[k], whole);
        crm_summary_free(s[k]);
        free(part[k]);
        free(xpart[k]);
    }
    assert_int_equal(rows, crm_result_rows(whole));
    crm_population_free(pop);
    crm_result_free(shuffled);
    crm_result_free(whole);
    crm_config_free(cfg);
    free(ids);
    free(x);
    free(t);
}

/* A runner that runs the tasks in reverse order, counting them: the result
 * must not depend on the order tasks run in. */
typedef struct counting_runner {
    size_t calls, tasks;
} counting_runner;

static void run_backwards(void *opaque, size_t count, crm_task task, void *arg) {
    counting_runner *cr = opaque;
    cr->calls++;
    cr->tasks += count;
    for (size_t i = count; i-- > 0;) task(arg, i);
}

/* Threads and caller runners give the very same table as one thread. */
static void test_threads_equal_serial(void **state) {
    (void)state;
    data d;
    generate(&d, 4242);
    crm_config *cfg = config(NULL);
    crm_result *serial = analyze(cfg, &d);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_THREADS, 3, NULL), CRM_STATUS_OK);
    crm_result *threaded = analyze(cfg, &d);
    assert_tables_equal(serial, threaded);
    counting_runner cr = {0, 0};
    crm_runner runner = {run_backwards, &cr, 5};
    assert_int_equal(crm_config_set_runner(cfg, &runner, NULL), CRM_STATUS_OK);
    crm_result *backwards = analyze(cfg, &d);
    assert_tables_equal(serial, backwards);
    assert_true(cr.calls >= 2); /* the facts and the rows ran as tasks */
    assert_true(cr.tasks >= 2 * 5);
    crm_runner bad = {NULL, NULL, 1};
    assert_int_equal(crm_config_set_runner(cfg, &bad, NULL), CRM_STATUS_INVALID_ARGUMENT);
    bad.run = run_backwards;
    bad.workers = 0;
    assert_int_equal(crm_config_set_runner(cfg, &bad, NULL), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_config_set_runner(cfg, NULL, NULL), CRM_STATUS_OK);
    /* the threads option is not part of what partitions must share */
    crm_config *other = config(NULL);
    crm_summary *s1 = NULL;
    crm_population *pop = NULL;
    crm_transactions tv;
    crm_transactions_from_array(&tv, d.tx, d.ntx, NULL);
    assert_int_equal(crm_summarize(other, &tv, NULL, NULL, &s1, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_population_create(cfg, &pop, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_population_add(pop, s1, NULL), CRM_STATUS_OK);
    crm_population_free(pop);
    crm_summary_free(s1);
    crm_config_free(other);
    crm_result_free(backwards);
    crm_result_free(threaded);
    crm_result_free(serial);
    crm_config_free(cfg);
    free_data(&d);
}

static void test_partition_mismatches(void **state) {
    (void)state;
    data d;
    generate(&d, 5);
    crm_config *cfg = config(NULL), *other = config(NULL);
    crm_error err;
    assert_int_equal(crm_config_set_int(other, CRM_OPTION_RFM_BINS, 4, &err), CRM_STATUS_OK);
    crm_transactions tv;
    crm_transactions_from_array(&tv, d.tx, d.ntx, NULL);
    crm_summary *s1, *s2, *s3;
    assert_int_equal(crm_summarize(cfg, &tv, NULL, NULL, &s1, &err), CRM_STATUS_OK);
    assert_int_equal(crm_summarize(cfg, &tv, NULL, NULL, &s2, &err), CRM_STATUS_OK);
    assert_int_equal(crm_summarize(other, &tv, NULL, NULL, &s3, &err), CRM_STATUS_OK);
    assert_int_equal(crm_summary_customers(s1), crm_summary_customers(s2));
    assert_int_equal(crm_summary_as_of(s1), (int64_t)D * 86400 + 86399);
    crm_population *pop;
    assert_int_equal(crm_population_create(cfg, &pop, &err), CRM_STATUS_OK);
    assert_int_equal(crm_population_add(pop, s1, &err), CRM_STATUS_OK);
    assert_int_equal(crm_population_add(pop, s3, &err), CRM_STATUS_MISMATCH); /* another configuration */
    assert_int_equal(crm_population_add(pop, s2, &err), CRM_STATUS_OK);
    assert_int_equal(crm_population_finish(pop, &err), CRM_STATUS_MISMATCH); /* every customer twice */
    assert_non_null(strstr(err.message, "appears in two partitions"));
    crm_population_free(pop);
    /* Different as-of times */
    crm_config *later = config(NULL);
    assert_int_equal(crm_config_set_int(later, CRM_OPTION_AS_OF, (int64_t)(D + 1) * 86400, &err),
                     CRM_STATUS_OK);
    crm_summary *s4;
    assert_int_equal(crm_summarize(later, &tv, NULL, NULL, &s4, &err), CRM_STATUS_OK);
    assert_int_equal(crm_population_create(cfg, &pop, &err), CRM_STATUS_OK);
    assert_int_equal(crm_population_add(pop, s1, &err), CRM_STATUS_OK);
    assert_int_equal(crm_population_add(pop, s4, &err), CRM_STATUS_MISMATCH);
    assert_non_null(strstr(err.message, "as-of"));
    assert_int_equal(crm_population_finish(pop, &err), CRM_STATUS_OK);
    crm_result *r;
    assert_int_equal(crm_score(pop, s4, &r, &err), CRM_STATUS_MISMATCH); /* refused above: never added */
    /* A summary is recognised by its content, not its address: another
     * partition's summary at a reused address is still refused. */
    crm_summary_free(s2);
    crm_transactions_from_array(&tv, d.tx, d.ntx / 2, NULL);
    assert_int_equal(crm_summarize(cfg, &tv, NULL, NULL, &s2, &err), CRM_STATUS_OK);
    assert_int_equal(crm_score(pop, s2, &r, &err), CRM_STATUS_MISMATCH);
    crm_population_free(pop);
    crm_population *empty;
    assert_int_equal(crm_population_create(NULL, &empty, &err), CRM_STATUS_OK);
    assert_int_equal(crm_population_finish(empty, &err), CRM_STATUS_NO_DATA);
    crm_population_free(empty);
    crm_summary_free(s1), crm_summary_free(s2), crm_summary_free(s3), crm_summary_free(s4);
    crm_config_free(cfg), crm_config_free(other), crm_config_free(later);
    free_data(&d);
}

/* ---- an independent brute-force reference (O(c^2), written from DOMAIN) ---- */

typedef struct ref_customer {
    uint64_t id;
    int first, last, pdays, records, returns;
    double gross, ret, net;
    int days[64];
} ref_customer;

static int find_or_add(ref_customer *cs, int *n, uint64_t id) {
    for (int i = 0; i < *n; i++)
        if (cs[i].id == id) return i;
    memset(&cs[*n], 0, sizeof cs[*n]);
    cs[*n].id = id;
    cs[*n].first = cs[*n].last = -1;
    return (*n)++;
}

static void test_brute_force_reference(void **state) {
    (void)state;
    data d;
    generate(&d, 2024);
    crm_config *cfg = config(NULL);
    crm_result *r = analyze(cfg, &d);
    ref_customer *cs = calloc(NCUST, sizeof *cs);
    int n = 0;
    for (size_t i = 0; i < d.ntx; i++) {
        ref_customer *c = &cs[find_or_add(cs, &n, d.tx[i].customer_id)];
        int day = (int)(d.tx[i].time / 86400);
        double a = d.tx[i].amount;
        if (a >= 0) {
            c->records++;
            c->gross += a;
            int seen = 0;
            for (int k = 0; k < c->pdays; k++) seen |= c->days[k] == day;
            if (!seen) c->days[c->pdays++] = day;
            if (c->first < 0 || day < c->first) c->first = day;
            if (day > c->last) c->last = day;
        } else {
            c->returns++;
            c->ret -= a;
        }
    }
    int scored = 0;
    double positive = 0;
    for (int i = 0; i < n; i++) {
        cs[i].net = cs[i].gross - cs[i].ret;
        if (cs[i].pdays) {
            scored++;
            if (cs[i].net > 0) positive += cs[i].net;
        }
    }
    const int32_t *rs = crm_result_i32(r, CRM_COLUMN_R_SCORE), *fs = crm_result_i32(r, CRM_COLUMN_F_SCORE),
                  *ms = crm_result_i32(r, CRM_COLUMN_M_SCORE),
                  *tier = crm_result_i32(r, CRM_COLUMN_VALUE_TIER),
                  *band = crm_result_i32(r, CRM_COLUMN_CONTRIBUTION_BAND);
    for (int i = 0; i < n; i++) {
        const ref_customer *c = &cs[i];
        int64_t row = crm_result_find(r, c->id);
        assert_true(row >= 0);
        assert_int_equal(crm_result_i64(r, CRM_COLUMN_PURCHASE_DAYS)[row], c->pdays);
        assert_int_equal(crm_result_i64(r, CRM_COLUMN_TRANSACTIONS)[row], c->records);
        assert_int_equal(crm_result_i64(r, CRM_COLUMN_RETURNS_COUNT)[row], c->returns);
        assert_true(crm_result_f64(r, CRM_COLUMN_MONETARY)[row] == c->net);
        assert_true(crm_result_f64(r, CRM_COLUMN_GROSS)[row] == c->gross);
        if (!c->pdays) {
            assert_int_equal(rs[row], 0);
            assert_int_equal(tier[row], CRM_TIER_NONE);
            continue;
        }
        assert_int_equal(crm_result_i32(r, CRM_COLUMN_RECENCY_DAYS)[row], D - c->last);
        assert_int_equal(crm_result_i32(r, CRM_COLUMN_TENURE_DAYS)[row], D - c->first);
        int lr = 0, lf = 0, lm = 0, greater = 0;
        double above = 0;
        for (int j = 0; j < n; j++) {
            if (!cs[j].pdays) continue;
            lr += (D - cs[j].last) > (D - c->last);
            lf += cs[j].pdays < c->pdays;
            lm += cs[j].net < c->net;
            if (cs[j].net > c->net) {
                greater++;
                if (cs[j].net > 0) above += cs[j].net;
            }
        }
        assert_int_equal(rs[row], 1 + 5 * lr / scored);
        assert_int_equal(fs[row], 1 + 5 * lf / scored);
        assert_int_equal(ms[row], 1 + 5 * lm / scored);
        double share = above / positive;
        int want_tier = c->net <= 0    ? CRM_TIER_MINOR
                        : share < 0.80 ? CRM_TIER_KEY
                        : share < 0.95 ? CRM_TIER_MAJOR
                        : share < 0.99 ? CRM_TIER_REGULAR
                                       : CRM_TIER_MINOR;
        assert_int_equal(tier[row], want_tier);
        double b = (double)greater / scored;
        assert_int_equal(band[row], b < 0.2   ? CRM_CONTRIBUTION_HEAD
                                    : b < 0.8 ? CRM_CONTRIBUTION_WAIST
                                              : CRM_CONTRIBUTION_BASE);
    }
    assert_int_equal((int)crm_result_rows(r) >= n, 1);
    free(cs);
    crm_result_free(r);
    crm_config_free(cfg);
    free_data(&d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_does_not_matter),    cmocka_unit_test(test_columns_equal_structs),
        cmocka_unit_test(test_partitions_equal_single),  cmocka_unit_test(test_large_input_equals_partitions),
        cmocka_unit_test(test_threads_equal_serial),     cmocka_unit_test(test_partition_mismatches),
        cmocka_unit_test(test_prospect_partition_costs), cmocka_unit_test(test_brute_force_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

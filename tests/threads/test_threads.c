/* test_threads: what crmkit.h says may be shared between threads, done at
 * once on several threads, under ThreadSanitizer in tests/run.sh (and as a
 * plain test in every build that has POSIX threads):
 *   - independent analyses, each on its own data, on several threads, all
 *     reading one shared const configuration (allocator: malloc);
 *   - one finished population scored from several threads (the same summary
 *     and different ones);
 *   - one const result read from several threads: every column, find,
 *     labels, metrics, groups, cut points, the whale curve and its model's
 *     predictions;
 *   - an analysis with threads = 3, alone and beside the others.
 * Every output is compared, bit for bit, with the same work done on one
 * thread first. Plain C with pthreads; no cmocka, so that the sanitizer
 * build needs nothing else. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crmkit.h"

#define THREADS 6

static int failures;
static pthread_mutex_t fail_lock = PTHREAD_MUTEX_INITIALIZER;

#define CHECK(cond)                                                                                          \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            pthread_mutex_lock(&fail_lock);                                                                  \
            failures++;                                                                                      \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                         \
            pthread_mutex_unlock(&fail_lock);                                                                \
        }                                                                                                    \
    } while (0)

/* Deterministic data of one data set: n transactions of c customers (ids
 * offset by base), a few interactions. */
typedef struct dataset {
    crm_transaction *t;
    size_t nt;
    crm_interaction *i;
    size_t ni;
} dataset;

static uint64_t next_rand(uint64_t *s) {
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

static void dataset_make(dataset *d, uint64_t seed, uint64_t base, size_t nt, size_t c) {
    d->nt = nt;
    d->ni = nt / 8;
    d->t = calloc(nt, sizeof *d->t);
    d->i = calloc(d->ni + 1, sizeof *d->i);
    if (!d->t || !d->i) abort();
    for (size_t k = 0; k < nt; k++) {
        d->t[k].customer_id = base + next_rand(&seed) % c;
        d->t[k].time = 1672531200 + (int64_t)(next_rand(&seed) % (365 * 86400));
        d->t[k].amount = (double)(next_rand(&seed) % 20000) / 100.0 - 10.0;
    }
    for (size_t k = 0; k < d->ni; k++) {
        d->i[k].customer_id = base + next_rand(&seed) % c;
        d->i[k].time = 1672531200 + (int64_t)(next_rand(&seed) % (365 * 86400));
        d->i[k].kind = (int32_t)(1 + next_rand(&seed) % 8);
        if (k % 7 == 0) {
            d->i[k].kind = CRM_KIND_SURVEY;
            d->i[k].value = (double)(next_rand(&seed) % 11);
        }
    }
}

static void dataset_free(dataset *d) {
    free(d->t);
    free(d->i);
}

static crm_result *analyze(const crm_config *config, const dataset *d) {
    crm_transactions tv;
    crm_interactions iv;
    crm_result *res = NULL;
    CHECK(crm_transactions_from_array(&tv, d->t, d->nt, NULL) == CRM_STATUS_OK);
    CHECK(crm_interactions_from_array(&iv, d->i, d->ni, NULL) == CRM_STATUS_OK);
    crm_error err;
    crm_status st = crm_analyze(config, &tv, &iv, NULL, &res, &err);
    if (st != CRM_STATUS_OK) fprintf(stderr, "crm_analyze: %s\n", err.message);
    CHECK(st == CRM_STATUS_OK);
    return res;
}

/* 1 when two results hold the same columns with the same bytes. */
static int same_result(const crm_result *a, const crm_result *b) {
    if (!a || !b || crm_result_rows(a) != crm_result_rows(b)) return 0;
    int32_t columns = crm_enum_count(CRM_ENUM_COLUMN);
    for (int col = 0; col < columns; col++) {
        if (crm_result_has_column(a, col) != crm_result_has_column(b, col)) return 0;
        if (!crm_result_has_column(a, col)) continue;
        int type = 0;
        const void *da = NULL, *db = NULL;
        if (crm_result_column(a, col, &type, &da, NULL) || crm_result_column(b, col, &type, &db, NULL))
            return 0;
        size_t size = type == CRM_TYPE_I32 ? 4 : 8;
        if (memcmp(da, db, size * crm_result_rows(a)) != 0) return 0;
    }
    return 1;
}

/* A digest of everything a reader of a const result can get, so that readers
 * on different threads can be compared. */
static uint64_t mix(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t k = 0; k < n; k++) h = (h ^ b[k]) * 1099511628211ULL;
    return h;
}

static uint64_t read_result(const crm_result *res) {
    uint64_t h = 1469598103934665603ULL;
    size_t rows = crm_result_rows(res);
    int32_t columns = crm_enum_count(CRM_ENUM_COLUMN);
    for (int col = 0; col < columns; col++) {
        if (!crm_result_has_column(res, col)) continue;
        int type = 0;
        const void *data = NULL;
        CHECK(crm_result_column(res, col, &type, &data, NULL) == CRM_STATUS_OK);
        size_t size = type == CRM_TYPE_I32 ? 4 : 8;
        h = mix(h, data, size * rows);
        if (crm_column_enum(col) != CRM_ENUM_NONE) {
            int32_t count = crm_result_label_count(res, col);
            for (int32_t v = 0; v < count; v++) {
                const char *label = crm_result_label(res, col, v);
                if (label) h = mix(h, label, strlen(label));
                int64_t customers = 0;
                double revenue = 0;
                if (crm_result_group(res, col, v, &customers, &revenue, NULL) == CRM_STATUS_OK) {
                    h = mix(h, &customers, sizeof customers);
                    h = mix(h, &revenue, sizeof revenue);
                }
            }
        }
    }
    const uint64_t *ids = crm_result_u64(res, CRM_COLUMN_CUSTOMER_ID);
    for (size_t row = 0; row < rows; row += 7) CHECK(crm_result_find(res, ids[row]) == (int64_t)row);
    int32_t metrics = crm_enum_count(CRM_ENUM_METRIC);
    for (int m = 0; m < metrics; m++) {
        double v = crm_result_metric(res, m);
        h = mix(h, &v, sizeof v);
    }
    for (int dim = 0; dim < 3; dim++) {
        double cuts[16];
        size_t n = 0;
        if (crm_result_cut_points(res, dim, cuts, 16, &n, NULL) == CRM_STATUS_OK)
            h = mix(h, cuts, n * sizeof *cuts);
    }
    const crm_model *model = crm_result_model(res, CRM_MODEL_KIND_BGNBD);
    if (model) {
        double x[3] = {0, 2, 5}, tx[3] = {0, 10, 30}, T[3] = {40, 40, 40}, out[3];
        crm_model_data md;
        CHECK(crm_model_data_init(&md, NULL) == CRM_STATUS_OK);
        md.count = 3;
        md.x = x;
        md.t_x = tx;
        md.T = T;
        CHECK(crm_model_p_alive(model, &md, out, NULL) == CRM_STATUS_OK);
        h = mix(h, out, sizeof out);
        CHECK(crm_model_expected_purchases(model, 10, &md, out, NULL) == CRM_STATUS_OK);
        h = mix(h, out, sizeof out);
        for (size_t i = 0; i < 4; i++) {
            double p = crm_model_param(model, i);
            h = mix(h, &p, sizeof p);
        }
        const char *msg = crm_model_message(model);
        h = mix(h, msg, strlen(msg));
    }
    return h;
}

/* ---- shared inputs of the threads ---- */
static crm_config *shared_config;   /* defaults, models on: read by every analysis thread */
static crm_config *threaded_config; /* the same with threads = 3 */
static dataset sets[THREADS];
static crm_result *expected[THREADS];
static crm_result *expected_threaded;
static crm_result *shared_result;
static uint64_t shared_digest;
static crm_population *population;
static crm_summary *summaries[THREADS];
static crm_result *expected_scores[THREADS];

static crm_state_handle *state; /* sets[0], with a kept fit: read by every state thread */
static crm_result *expected_state;
static uint64_t expected_state_bytes;

static void *state_thread(void *arg) {
    (void)arg;
    for (int round = 0; round < 2; round++) {
        crm_result *res = NULL;
        CHECK(crm_state_result(state, 1704067199, &res, NULL) == CRM_STATUS_OK);
        CHECK(same_result(res, expected_state));
        crm_result_free(res);
        int64_t at = 0;
        CHECK(crm_state_models(state, &at) == CRM_MODELS_SOURCE_KEPT && at == 1704067199);
        size_t size = 0;
        CHECK(crm_state_save(state, NULL, 0, &size, NULL) == CRM_STATUS_OK);
        unsigned char *buf = malloc(size);
        CHECK(buf != NULL && crm_state_save(state, buf, size, &size, NULL) == CRM_STATUS_OK);
        if (buf) CHECK(mix(1469598103934665603ULL, buf, size) == expected_state_bytes);
        free(buf);
    }
    return NULL;
}

static void *analysis_thread(void *arg) {
    size_t k = (size_t)(uintptr_t)arg;
    for (int round = 0; round < 2; round++) {
        crm_result *res = analyze(shared_config, &sets[k]);
        CHECK(same_result(res, expected[k]));
        crm_result_free(res);
    }
    return NULL;
}

static void *threaded_analysis_thread(void *arg) {
    (void)arg;
    crm_result *res = analyze(threaded_config, &sets[0]);
    CHECK(same_result(res, expected_threaded));
    CHECK(same_result(res, expected[0]));
    crm_result_free(res);
    return NULL;
}

static void *reader_thread(void *arg) {
    (void)arg;
    for (int round = 0; round < 3; round++) CHECK(read_result(shared_result) == shared_digest);
    return NULL;
}

static void *scorer_thread(void *arg) {
    size_t k = (size_t)(uintptr_t)arg;
    /* Half the threads score the same summary (0), half their own. */
    size_t which = k % 2 ? 0 : k;
    for (int round = 0; round < 2; round++) {
        crm_result *res = NULL;
        CHECK(crm_score(population, summaries[which], &res, NULL) == CRM_STATUS_OK);
        CHECK(same_result(res, expected_scores[which]));
        crm_result_free(res);
    }
    return NULL;
}

static void run_threads(void *(*fn)(void *), size_t n) {
    pthread_t tid[THREADS + 2];
    for (size_t k = 0; k < n; k++)
        if (pthread_create(&tid[k], NULL, fn, (void *)(uintptr_t)k) != 0) abort();
    for (size_t k = 0; k < n; k++) pthread_join(tid[k], NULL);
}

static void *mixed_thread(void *arg) {
    size_t k = (size_t)(uintptr_t)arg;
    switch (k % 5) {
    case 0: return analysis_thread((void *)(uintptr_t)(k % THREADS));
    case 1: return reader_thread(arg);
    case 2: return scorer_thread((void *)(uintptr_t)(k % THREADS));
    case 3: return state_thread(arg);
    default: return threaded_analysis_thread(arg);
    }
}

int main(void) {
    CHECK(crm_config_create(NULL, &shared_config, NULL) == CRM_STATUS_OK);
    CHECK(crm_config_set_int(shared_config, CRM_OPTION_MODEL, CRM_MODEL_KIND_BGNBD, NULL) == CRM_STATUS_OK);
    CHECK(crm_config_set_int(shared_config, CRM_OPTION_SPEND_MODEL, 1, NULL) == CRM_STATUS_OK);
    CHECK(crm_config_set_int(shared_config, CRM_OPTION_AS_OF, 1704067199, NULL) == CRM_STATUS_OK);
    CHECK(crm_config_clone(shared_config, &threaded_config, NULL) == CRM_STATUS_OK);
    CHECK(crm_config_set_int(threaded_config, CRM_OPTION_THREADS, 3, NULL) == CRM_STATUS_OK);
    for (size_t k = 0; k < THREADS; k++) dataset_make(&sets[k], 1000 + k, 1000 * (uint64_t)k, 1500, 200);

    /* The references, on this thread alone. */
    for (size_t k = 0; k < THREADS; k++) expected[k] = analyze(shared_config, &sets[k]);
    expected_threaded = analyze(threaded_config, &sets[0]);
    CHECK(same_result(expected_threaded, expected[0]));
    shared_result = expected[1];
    shared_digest = read_result(shared_result);
    /* Partitions: summaries of each data set (disjoint ids) into one population. */
    CHECK(crm_population_create(shared_config, &population, NULL) == CRM_STATUS_OK);
    for (size_t k = 0; k < THREADS; k++) {
        crm_transactions tv;
        crm_interactions iv;
        CHECK(crm_transactions_from_array(&tv, sets[k].t, sets[k].nt, NULL) == CRM_STATUS_OK);
        CHECK(crm_interactions_from_array(&iv, sets[k].i, sets[k].ni, NULL) == CRM_STATUS_OK);
        CHECK(crm_summarize(shared_config, &tv, &iv, NULL, &summaries[k], NULL) == CRM_STATUS_OK);
        CHECK(crm_population_add(population, summaries[k], NULL) == CRM_STATUS_OK);
    }
    CHECK(crm_population_finish(population, NULL) == CRM_STATUS_OK);
    for (size_t k = 0; k < THREADS; k++)
        CHECK(crm_score(population, summaries[k], &expected_scores[k], NULL) == CRM_STATUS_OK);
    /* A nightly state with a kept fit, its result and bytes made here first. */
    {
        crm_transactions tv;
        crm_interactions iv;
        CHECK(crm_transactions_from_array(&tv, sets[0].t, sets[0].nt, NULL) == CRM_STATUS_OK);
        CHECK(crm_interactions_from_array(&iv, sets[0].i, sets[0].ni, NULL) == CRM_STATUS_OK);
        CHECK(crm_state_create(shared_config, &state, NULL) == CRM_STATUS_OK);
        CHECK(crm_state_add(state, &tv, &iv, NULL, NULL) == CRM_STATUS_OK);
        crm_status fit = crm_state_fit(state, 1704067199, NULL);
        CHECK(fit == CRM_STATUS_OK || fit == CRM_STATUS_NOT_CONVERGED);
        CHECK(crm_state_result(state, 1704067199, &expected_state, NULL) == CRM_STATUS_OK);
        size_t size = 0;
        CHECK(crm_state_save(state, NULL, 0, &size, NULL) == CRM_STATUS_OK);
        unsigned char *buf = malloc(size);
        CHECK(buf != NULL && crm_state_save(state, buf, size, &size, NULL) == CRM_STATUS_OK);
        if (buf) expected_state_bytes = mix(1469598103934665603ULL, buf, size);
        free(buf);
    }
    if (failures) return 1;

    puts("independent analyses, one shared const configuration");
    run_threads(analysis_thread, THREADS);
    puts("an analysis with threads = 3");
    run_threads(threaded_analysis_thread, 1);
    puts("one const result read from several threads");
    run_threads(reader_thread, THREADS);
    puts("one finished population scored from several threads");
    run_threads(scorer_thread, THREADS);
    puts("one nightly state with a kept fit: results, models and bytes from several threads");
    run_threads(state_thread, THREADS);
    puts("all of them at once");
    run_threads(mixed_thread, THREADS + 2);

    for (size_t k = 0; k < THREADS; k++) {
        crm_result_free(expected[k]);
        crm_result_free(expected_scores[k]);
        crm_summary_free(summaries[k]);
        dataset_free(&sets[k]);
    }
    crm_result_free(expected_threaded);
    crm_result_free(expected_state);
    crm_state_free(state);
    crm_population_free(population);
    crm_config_free(threaded_config);
    crm_config_free(shared_config);
    if (failures) {
        fprintf(stderr, "test_threads: %d check(s) failed\n", failures);
        return 1;
    }
    puts("test_threads: ok");
    return 0;
}

/* bench_state.c - the nightly state at scale: a state of 1M customers (5M
 * transactions over three years), then one night's 10k transactions added,
 * the result at the new day, save and load; compared with one crm_analyze
 * over the same records. Prints its figures.
 * With a model (bgnbd, pareto_nbd, ...; Gamma-Gamma too) the result is timed
 * fitting the models, then with a fit kept by crm_state_fit.
 *   bench_state [customers] [transactions per customer] [batch] [threads] [model] */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <crmkit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A customer's typical receipt: 5 to 205 (a spread of means, so that
 * Gamma-Gamma has heterogeneity to fit), fixed by the customer's number. */
static double typical(uint64_t c) {
    uint64_t z = (c + 1) * 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 31)) * 0xbf58476d1ce4e5b9ULL;
    return 5.0 + (double)((z >> 33) % 20000) / 100.0;
}

static uint64_t next(uint64_t *s) { /* splitmix64 */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

#define CHECK(call)                                                                                          \
    do {                                                                                                     \
        if ((call) != CRM_STATUS_OK) {                                                                       \
            fprintf(stderr, "bench_state: %s: %s\n", #call, err.message);                                    \
            return 1;                                                                                        \
        }                                                                                                    \
    } while (0)

int main(int argc, char **argv) {
    size_t customers = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
    size_t per = argc > 2 ? strtoull(argv[2], NULL, 10) : 5;
    size_t batch = argc > 3 ? strtoull(argv[3], NULL, 10) : 10000;
    long threads = argc > 4 ? strtol(argv[4], NULL, 10) : 1;
    const char *model = argc > 5 ? argv[5] : "none";
    size_t n = customers * per;
    const int64_t last_day = 20000;
    crm_transaction *tx = malloc((n + batch) * sizeof *tx);
    if (!tx) return 1;
    uint64_t s = 42;
    for (size_t i = 0; i < n; i++) {
        const uint64_t c = i < customers ? i : next(&s) % customers;
        tx[i].customer_id = 1 + c * 13;
        tx[i].time = (last_day - 1 - (int64_t)(next(&s) % 1095)) * 86400 + (int64_t)(next(&s) % 86400);
        tx[i].amount =
            (double)(int64_t)(typical(c) * (0.5 + (double)(next(&s) % 1000) / 1000.0) * 100) / 100.0;
    }
    for (size_t i = n; i < n + batch; i++) { /* tonight's receipts: mostly known customers, some new */
        uint64_t c = next(&s) % (customers + customers / 50);
        tx[i].customer_id = 1 + c * 13;
        tx[i].time = last_day * 86400 + (int64_t)(next(&s) % 86400);
        tx[i].amount =
            (double)(int64_t)(typical(c) * (0.5 + (double)(next(&s) % 1000) / 1000.0) * 100) / 100.0;
    }
    crm_error err;
    crm_config *cfg = NULL;
    CHECK(crm_config_create(NULL, &cfg, &err));
    CHECK(crm_config_set_int(cfg, CRM_OPTION_THREADS, threads, &err));
    const int kind = crm_enum_value(CRM_ENUM_MODEL_KIND, model);
    if (kind < 0) {
        fprintf(stderr, "bench_state: unknown model %s\n", model);
        return 2;
    }
    CHECK(crm_config_set_int(cfg, CRM_OPTION_MODEL, kind, &err));
    if (kind != CRM_MODEL_KIND_NONE) CHECK(crm_config_set_int(cfg, CRM_OPTION_SPEND_MODEL, 1, &err));
    crm_transactions history, tonight, all;
    crm_state_handle *state = NULL, *loaded = NULL;
    crm_result *res = NULL, *full = NULL;
    CHECK(crm_transactions_from_array(&history, tx, n, &err));
    CHECK(crm_transactions_from_array(&tonight, tx + n, batch, &err));
    CHECK(crm_transactions_from_array(&all, tx, n + batch, &err));

    double t0 = now();
    CHECK(crm_state_create(cfg, &state, &err));
    CHECK(crm_state_add(state, &history, NULL, NULL, &err));
    double t_build = now() - t0;
    size_t size = 0;
    CHECK(crm_state_save(state, NULL, 0, &size, &err));
    unsigned char *bytes = malloc(size + size / 8 + 1024);
    if (!bytes) return 1;
    t0 = now();
    CHECK(crm_state_save(state, bytes, size + size / 8 + 1024, &size, &err));
    double t_save = now() - t0;
    t0 = now();
    CHECK(crm_state_load(cfg, bytes, size, &loaded, &err));
    double t_load = now() - t0;
    t0 = now();
    CHECK(crm_state_add(loaded, &tonight, NULL, NULL, &err));
    double t_add = now() - t0;
    t0 = now();
    CHECK(crm_state_result(loaded, INT64_MIN, &res, &err));
    double t_result = now() - t0;
    double t_fit = 0, t_kept = 0;
    if (kind != CRM_MODEL_KIND_NONE) { /* fit once and keep, then a result with the kept fit */
        crm_result *kept = NULL;
        t0 = now();
        crm_status fit = crm_state_fit(loaded, INT64_MIN, &err);
        t_fit = now() - t0;
        if (fit == CRM_STATUS_NOT_CONVERGED) { /* kept all the same: say so */
            printf("  note: %s\n", err.message);
        } else if (fit != CRM_STATUS_OK) {
            fprintf(stderr, "bench_state: crm_state_fit: %s\n", err.message);
            return 1;
        }
        t0 = now();
        CHECK(crm_state_result(loaded, INT64_MIN, &kept, &err));
        t_kept = now() - t0;
        crm_result_free(kept);
    }
    size_t size2 = 0;
    t0 = now();
    CHECK(crm_state_save(loaded, bytes, size + size / 8 + 1024, &size2, &err));
    double t_save2 = now() - t0;
    t0 = now();
    CHECK(crm_analyze(cfg, &all, NULL, NULL, &full, &err));
    double t_full = now() - t0;

    printf("state: %zu customers, %zu transactions; tonight: %zu transactions; threads %ld, model %s\n",
           crm_state_customers(loaded), n, batch, threads, model);
    printf("  build the state from the history (one add) %8.1f ms\n", t_build * 1e3);
    printf("  save (%zu bytes, %.1f bytes per transaction) %8.1f ms\n", size, (double)size / (double)n,
           t_save * 1e3);
    printf("  load                                       %8.1f ms\n", t_load * 1e3);
    printf("  add tonight's %zu transactions             %8.1f ms\n", batch, t_add * 1e3);
    printf("  result at the new day (%zu rows)           %8.1f ms\n", crm_result_rows(res), t_result * 1e3);
    if (kind != CRM_MODEL_KIND_NONE) {
        printf("  crm_state_fit (fit the models and keep them) %8.1f ms\n", t_fit * 1e3);
        printf("  result with the kept fit                   %8.1f ms\n", t_kept * 1e3);
    }
    printf("  save again (%zu bytes)                     %8.1f ms\n", size2, t_save2 * 1e3);
    printf("  nightly close: load + add + result + save  %8.1f ms\n",
           (t_load + t_add + (kind != CRM_MODEL_KIND_NONE ? t_kept : t_result) + t_save2) * 1e3);
    printf("  full crm_analyze over the same records     %8.1f ms\n", t_full * 1e3);
    int same = crm_result_rows(res) == crm_result_rows(full);
    const double *a = crm_result_f64(res, CRM_COLUMN_MONETARY),
                 *b = crm_result_f64(full, CRM_COLUMN_MONETARY);
    for (size_t i = 0; same && i < crm_result_rows(res); i++) same = a[i] == b[i];
    printf("  same rows and monetary as the full analysis: %s\n", same ? "yes" : "NO");
    crm_result_free(res);
    crm_result_free(full);
    crm_state_free(state);
    crm_state_free(loaded);
    crm_config_free(cfg);
    free(bytes);
    free(tx);
    return same ? 0 : 1;
}

/* bench_analyze.c - time and memory of the whole analysis on generated data.
 *
 *   bench_analyze [customers] [transactions_per_customer]
 *
 * Prints records per second for crm_analyze with transactions only, with
 * interactions, and with BG/NBD + Gamma-Gamma enabled, plus peak RSS. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "crmkit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__linux__)
#include <sys/resource.h>
#endif

static uint64_t rng_state = 12345;
static uint64_t next(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long peak_rss_kb(void) {
#if defined(__linux__)
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
#else
    return -1;
#endif
}

static void run(const char *label, const crm_config *cfg, const crm_transactions *tv,
                const crm_interactions *iv, size_t records) {
    crm_result *r = NULL;
    crm_error err;
    double best = 1e30;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        crm_status st = crm_analyze(cfg, tv, iv, NULL, &r, &err);
        double dt = now() - t0;
        if (st != CRM_STATUS_OK) {
            fprintf(stderr, "%s: %s\n", label, err.message);
            exit(1);
        }
        if (dt < best) best = dt;
        if (rep < 2) crm_result_free(r);
    }
    printf("%-34s %9zu records %8zu customers %8.3f s  %6.2f M records/s\n", label, records,
           crm_result_rows(r), best, (double)records / best / 1e6);
    crm_result_free(r);
}

int main(int argc, char **argv) {
    size_t customers = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    size_t per = argc > 2 ? strtoul(argv[2], NULL, 10) : 10;
    size_t n = customers * per, m = customers * 5;
    crm_transaction *tx = malloc(n * sizeof *tx);
    crm_interaction *ix = malloc(m * sizeof *ix);
    if (!tx || !ix) {
        free(tx);
        free(ix);
        return 1;
    }
    const int64_t end = (int64_t)20000 * 86400;
    const int32_t kinds = crm_enum_count(CRM_ENUM_KIND); /* values 0..kinds-1, 0 = none */
    for (size_t i = 0; i < n; i++) {
        tx[i].customer_id = next() % customers;
        tx[i].time = end - (int64_t)(next() % (3ULL * 365 * 86400));
        tx[i].amount = (double)(next() % 20000) / 100.0 - (next() % 20 == 0 ? 150.0 : 0.0);
    }
    for (size_t i = 0; i < m; i++) {
        memset(&ix[i], 0, sizeof ix[i]);
        ix[i].customer_id = next() % (customers + customers / 10);
        ix[i].time = end - (int64_t)(next() % (365ULL * 86400));
        ix[i].kind = 1 + (int32_t)(next() % (uint64_t)(kinds - 1));
        if (ix[i].kind == CRM_KIND_SURVEY) ix[i].value = (double)(next() % 11);
        ix[i].ref = next() % 4;
    }
    crm_transactions tv;
    crm_interactions iv;
    crm_config *cfg = NULL;
    crm_error err;
    if (crm_transactions_from_array(&tv, tx, n, &err) != CRM_STATUS_OK ||
        crm_interactions_from_array(&iv, ix, m, &err) != CRM_STATUS_OK ||
        crm_config_create(NULL, &cfg, &err) != CRM_STATUS_OK ||
        crm_config_set_int(cfg, CRM_OPTION_AS_OF, end, &err) != CRM_STATUS_OK) {
        fprintf(stderr, "bench_analyze: %s\n", err.message);
        crm_config_free(cfg);
        free(tx);
        free(ix);
        return 1;
    }
    printf("crmkit %s, %zu customers, %zu transactions, %zu interactions\n", crm_version_string(), customers,
           n, m);
    run("transactions only", cfg, &tv, NULL, n);
    run("transactions + interactions", cfg, &tv, &iv, n + m);
    crm_config_set_text(cfg, "model", "bgnbd", NULL);
    crm_config_set_text(cfg, "spend_model", "true", NULL);
    crm_config_set_real(cfg, CRM_OPTION_TIME_UNIT_DAYS, 1, NULL);
    run("+ BG/NBD and Gamma-Gamma", cfg, &tv, &iv, n + m);
    printf("peak RSS %.1f MiB (%.0f bytes per record)\n", (double)peak_rss_kb() / 1024.0,
           (double)peak_rss_kb() * 1024.0 / (double)(n + m));
    crm_config_free(cfg);
    free(tx);
    free(ix);
    return 0;
}

/* bench_analyze.c - the full profile at scale, stage by stage.
 *
 *   bench_analyze [--transactions N] [--customers C] [--ids scattered|sequential]
 *                 [--rows time|customer] [--interactions K] [--repeat R]
 *                 [--threads T] [--write-csv FILE] [--json]
 *
 * Generates N transactions of C customers deterministically (ids scattered
 * 64-bit values or 1..C; rows in time order or sorted by customer; amounts
 * lognormal in cents; 5 % returns; K interactions per customer), then runs
 * the pipeline stage by stage (summarize, population, score) R times and
 * prints the best time of each stage, records per second and peak RSS, as a
 * table and, with --json, as one JSON line. --write-csv writes the
 * transactions as CSV (customer_id,time,amount) for bench/compare.sh, so
 * other tools read the very same data. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "crmkit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__linux__)
#include <sys/resource.h>
#endif

typedef struct options {
    size_t transactions, customers, interactions_per_customer;
    int scattered, time_order, repeat, json, threads;
    const char *csv;
} options;

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next(rng *r) {
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double uniform(rng *r) { return (double)(next(r) >> 11) * (1.0 / 9007199254740992.0); }

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double peak_rss_mib(void) {
#if defined(__linux__)
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
#else
    return -1;
#endif
}

static int cmp_by_customer(const void *pa, const void *pb) {
    const crm_transaction *a = pa, *b = pb;
    if (a->customer_id != b->customer_id) return a->customer_id < b->customer_id ? -1 : 1;
    return (a->time > b->time) - (a->time < b->time);
}

#define START 1609459200 /* 2021-01-01 */
#define SPAN  (3 * 365 * 86400LL)

static crm_transaction *generate(const options *o, uint64_t *ids) {
    rng r = {20251127};
    for (size_t c = 0; c < o->customers; c++) ids[c] = o->scattered ? next(&r) : (uint64_t)c + 1;
    crm_transaction *t = malloc(o->transactions * sizeof *t);
    if (!t) return NULL;
    for (size_t i = 0; i < o->transactions; i++) {
        t[i].customer_id = ids[next(&r) % o->customers];
        t[i].time = START + (int64_t)((double)i / (double)o->transactions * (double)SPAN);
        /* lognormal around 33 with a heavy tail, in cents; 5 % returns */
        double u1 = uniform(&r) + 1e-12, u2 = uniform(&r);
        double amount = round(exp(3.5 + 0.8 * sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2)) * 100) / 100;
        t[i].amount = next(&r) % 20 == 0 ? -amount : amount;
    }
    if (!o->time_order) qsort(t, o->transactions, sizeof *t, cmp_by_customer);
    return t;
}

static crm_interaction *generate_interactions(const options *o, const uint64_t *ids, size_t *n) {
    static const int32_t kinds[] = {CRM_KIND_ENGAGEMENT, CRM_KIND_EMAIL_OUT, CRM_KIND_CALL_OUT,
                                    CRM_KIND_SURVEY, CRM_KIND_ENGAGEMENT};
    *n = o->customers * o->interactions_per_customer;
    crm_interaction *x = calloc(*n + 1, sizeof *x);
    if (!x) return NULL;
    rng r = {777};
    for (size_t i = 0; i < *n; i++) {
        x[i].customer_id = ids[i % o->customers];
        x[i].time = START + (int64_t)(uniform(&r) * (double)SPAN);
        x[i].kind = kinds[next(&r) % 5];
        x[i].value = x[i].kind == CRM_KIND_SURVEY ? (double)(next(&r) % 11) : 0;
    }
    return x;
}

static int write_csv(const char *path, const crm_transaction *t, size_t n) {
    FILE *f = fopen(path, "w");
    if (!f) return 0;
    fputs("customer_id,time,amount\n", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%llu,%lld,%.2f\n", (unsigned long long)t[i].customer_id, (long long)t[i].time,
                t[i].amount);
    return fclose(f) == 0;
}

static void die(const char *what, const crm_error *err) {
    fprintf(stderr, "bench_analyze: %s: %s\n", what, err->message);
    exit(1);
}

static void usage(void) {
    fputs("usage: bench_analyze [--transactions N] [--customers C] [--ids scattered|sequential]\n"
          "                     [--rows time|customer] [--interactions K] [--repeat R]\n"
          "                     [--threads T] [--write-csv FILE] [--json]\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv) {
    options o = {1000000, 100000, 0, 1, 1, 3, 0, 1, NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--json")) {
            o.json = 1;
            continue;
        }
        if (!v) usage();
        i++;
        if (!strcmp(a, "--transactions"))
            o.transactions = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--customers"))
            o.customers = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--interactions"))
            o.interactions_per_customer = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--repeat"))
            o.repeat = atoi(v);
        else if (!strcmp(a, "--threads"))
            o.threads = atoi(v);
        else if (!strcmp(a, "--ids"))
            o.scattered = strcmp(v, "sequential") != 0;
        else if (!strcmp(a, "--rows"))
            o.time_order = strcmp(v, "customer") != 0;
        else if (!strcmp(a, "--write-csv"))
            o.csv = v;
        else
            usage();
    }
    if (o.transactions == 0 || o.customers == 0 || o.repeat < 1) usage();
    uint64_t *ids = malloc(o.customers * sizeof *ids);
    crm_transaction *t = ids ? generate(&o, ids) : NULL;
    size_t nix = 0;
    crm_interaction *x = o.interactions_per_customer && t ? generate_interactions(&o, ids, &nix) : NULL;
    if (!t || (o.interactions_per_customer && !x)) {
        fputs("bench_analyze: out of memory generating the data\n", stderr);
        return 1;
    }
    if (o.csv) {
        if (!write_csv(o.csv, t, o.transactions)) {
            fprintf(stderr, "bench_analyze: cannot write %s\n", o.csv);
            return 1;
        }
        fprintf(stderr, "bench_analyze: wrote %s\n", o.csv);
    }
    double input_mib = (double)(o.transactions * sizeof *t + nix * sizeof *x) / 1048576.0;
    double rss_before = peak_rss_mib();

    crm_error err;
    crm_config *cfg = NULL;
    if (crm_config_create(NULL, &cfg, &err) != CRM_STATUS_OK) die("config", &err);
    /* The as-of is fixed so every repetition analyses the same moment. */
    if (crm_config_set_int(cfg, CRM_OPTION_AS_OF, START + SPAN, &err) != CRM_STATUS_OK) die("as_of", &err);
    if (crm_config_set_int(cfg, CRM_OPTION_THREADS, o.threads, &err) != CRM_STATUS_OK) die("threads", &err);
    crm_transactions tv;
    crm_interactions iv;
    crm_transactions_from_array(&tv, t, o.transactions, NULL);
    crm_interactions_from_array(&iv, x, nix, NULL);
    double best[4] = {1e30, 1e30, 1e30, 1e30}; /* summarize, population, score, total */
    size_t rows = 0;
    for (int rep = 0; rep < o.repeat; rep++) {
        crm_summary *s = NULL;
        crm_population *p = NULL;
        crm_result *r = NULL;
        double t0 = now();
        if (crm_summarize(cfg, &tv, x ? &iv : NULL, NULL, &s, &err) != CRM_STATUS_OK) die("summarize", &err);
        double t1 = now();
        if (crm_population_create(cfg, &p, &err) != CRM_STATUS_OK ||
            crm_population_add(p, s, &err) != CRM_STATUS_OK ||
            crm_population_finish(p, &err) != CRM_STATUS_OK)
            die("population", &err);
        double t2 = now();
        if (crm_score(p, s, &r, &err) != CRM_STATUS_OK) die("score", &err);
        double t3 = now();
        rows = crm_result_rows(r);
        crm_result_free(r);
        crm_population_free(p);
        crm_summary_free(s);
        double d[4] = {t1 - t0, t2 - t1, t3 - t2, t3 - t0};
        for (int k = 0; k < 4; k++)
            if (d[k] < best[k]) best[k] = d[k];
    }
    double records = (double)(o.transactions + nix);
    double peak = peak_rss_mib();
    static const char *const names[4] = {"summarize", "population", "score", "total"};
    if (!o.json) {
        printf(
            "crmkit %s full profile: %zu transactions, %zu interactions, %zu customers (%zu rows), ids %s, "
            "rows in %s order, %d thread(s)%s, best of %d\n",
            crm_version_string(), o.transactions, nix, o.customers, rows,
            o.scattered ? "scattered" : "sequential", o.time_order ? "time" : "customer", o.threads,
            crm_threads_available() ? "" : " (built without threads)", o.repeat);
        printf("%-12s %10s %14s\n", "stage", "seconds", "M records/s");
        for (int k = 0; k < 4; k++)
            printf("%-12s %10.3f %14.2f\n", names[k], best[k], records / best[k] / 1e6);
        printf(
            "input %.0f MiB; peak RSS %.0f MiB (%.0f MiB before the analysis); beyond the input %.0f MiB = "
            "%.0f B per customer\n",
            input_mib, peak, rss_before, peak - rss_before, (peak - rss_before) * 1048576.0 / (double)rows);
    } else {
        printf("{\"version\":\"%s\",\"transactions\":%zu,\"interactions\":%zu,\"customers\":%zu,\"rows\":%zu,"
               "\"ids\":\"%s\",\"order\":\"%s\",\"threads\":%d,\"repeat\":%d",
               crm_version_string(), o.transactions, nix, o.customers, rows,
               o.scattered ? "scattered" : "sequential", o.time_order ? "time" : "customer", o.threads,
               o.repeat);
        for (int k = 0; k < 4; k++) printf(",\"%s_s\":%.4f", names[k], best[k]);
        printf(",\"records_per_s\":%.0f,\"input_mib\":%.1f,\"peak_rss_mib\":%.1f,\"rss_before_mib\":%.1f}\n",
               records / best[3], input_mib, peak, rss_before);
    }
    crm_config_free(cfg);
    free(x);
    free(t);
    free(ids);
    return 0;
}

/* bench_models.c - time the customer-value model fits on simulated customers.
 *
 * Usage: bench_models [customers ...]   (default: 100000 1000000)
 *        bench_models --hostile [customers] (default 4000): the hostile set
 *        of issue 10, each case fitted by every model, with its status,
 *        iterations and seconds; and issue 14's E[X(52)] at a = 7300.
 *
 * Customers are simulated with a fixed seed from a BG/NBD process at day
 * resolution, shaped like CDNOW: first purchases spread over 84 days,
 * observation to day 273, so T runs over 189..273 days; purchases on the
 * same day merge (x counts repeat purchase days). Parameters in days:
 * r = 0.25, alpha = 30, a = 0.8, b = 2.4; spend per purchase day from
 * Gamma-Gamma p = 6, q = 4, gamma = 15. Each model is fitted twice: without
 * standard errors ("fit") and with them ("fit+se", the public crm_model_fit).
 * "distinct" is the number of distinct (x, t_x, T) rows the purchase models
 * are fitted on after compression. */
#define _POSIX_C_SOURCE 199309L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "crmkit.h"
/* Internal: fit without standard errors, to time the two separately. */
#include "../src/models/models.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* splitmix64 */
static uint64_t next_u64(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double uniform(uint64_t *s) { return (double)(next_u64(s) >> 11) * (1.0 / 9007199254740992.0); }

static double normal(uint64_t *s) {
    double u1 = uniform(s), u2 = uniform(s);
    return sqrt(-2 * log(1 - u1)) * cos(6.283185307179586 * u2);
}

/* Gamma(shape, 1) (Marsaglia & Tsang 2000). */
static double gamma_variate(uint64_t *s, double shape) {
    if (shape < 1) return gamma_variate(s, shape + 1) * pow(1 - uniform(s), 1 / shape);
    double d = shape - 1.0 / 3, c = 1 / sqrt(9 * d);
    for (;;) {
        double z = normal(s), v = 1 + c * z;
        if (v <= 0) continue;
        v = v * v * v;
        if (log(1 - uniform(s)) < 0.5 * z * z + d - d * v + d * log(v)) return d * v;
    }
}

typedef struct sim {
    size_t n;
    double *x, *tx, *T, *spend;
} sim;

static int simulate(sim *s, size_t n, uint64_t seed) {
    s->n = n;
    s->x = malloc(n * sizeof(double));
    s->tx = malloc(n * sizeof(double));
    s->T = malloc(n * sizeof(double));
    s->spend = malloc(n * sizeof(double));
    if (!s->x || !s->tx || !s->T || !s->spend) return 0;
    const double r = 0.25, alpha = 30, a = 0.8, b = 2.4, gp = 6, gq = 4, gg = 15;
    for (size_t i = 0; i < n; i++) {
        double first = (double)(next_u64(&seed) % 85); /* first purchase day 0..84 */
        double T = 273 - first;
        double lambda = gamma_variate(&seed, r) / alpha;
        double g1 = gamma_variate(&seed, a), g2 = gamma_variate(&seed, b), p = g1 / (g1 + g2);
        double t = 0, last_day = 0, x = 0;
        for (;;) {
            t += -log(1 - uniform(&seed)) / lambda;
            double day = floor(t);
            if (day > T) break;
            if (day > last_day) { /* a new purchase day */
                x++;
                last_day = day;
            }
            if (uniform(&seed) < p) break;
        }
        s->x[i] = x;
        s->tx[i] = last_day;
        s->T[i] = T;
        s->spend[i] = 0;
        if (x > 0) {
            double nu = gamma_variate(&seed, gq) / gg, sum = 0;
            for (int j = 0; j < (int)x; j++)
                sum += round(100 * gamma_variate(&seed, gp) / nu) / 100; /* cents */
            s->spend[i] = fmax(0.01, sum / x);
        }
    }
    return 1;
}

static void sim_free(sim *s) {
    free(s->x);
    free(s->tx);
    free(s->T);
    free(s->spend);
}

static int cmp3(const void *a, const void *b) {
    const double *p = a, *q = b;
    for (int i = 0; i < 3; i++)
        if (p[i] != q[i]) return p[i] < q[i] ? -1 : 1;
    return 0;
}

/* Distinct (x, t_x, T) rows: what the compression leaves for the purchase models. */
static size_t count_distinct(const sim *s) {
    double *t = malloc(3 * s->n * sizeof *t);
    if (!t) return 0;
    for (size_t i = 0; i < s->n; i++) {
        t[3 * i] = s->x[i];
        t[3 * i + 1] = s->tx[i];
        t[3 * i + 2] = s->T[i];
    }
    qsort(t, s->n, 3 * sizeof *t, cmp3);
    size_t u = 0;
    for (size_t i = 0; i < s->n; i++)
        if (i == 0 || cmp3(t + 3 * i, t + 3 * (i - 1)) != 0) u++;
    free(t);
    return u;
}

static const char *label(int kind) {
    switch (kind) {
    case CRM_MODEL_KIND_BGNBD: return "BG/NBD";
    case CRM_MODEL_KIND_MBGNBD: return "MBG/NBD";
    case CRM_MODEL_KIND_PARETO_NBD: return "Pareto/NBD";
    default: return "Gamma-Gamma";
    }
}

/* ---- the hostile set ---- */

/* Pareto/NBD customers in whole days over T = 100..364: purchase rate
 * gamma(r, alpha), drop-out rate gamma(s, beta); heavy = 0. */
static void simulate_pareto(sim *s, size_t n, const double *p, uint64_t seed) {
    for (size_t i = 0; i < n; i++) {
        double T = 100 + (double)(next_u64(&seed) % 265);
        double lambda = gamma_variate(&seed, p[0]) / p[1];
        double mu = gamma_variate(&seed, p[2]) / p[3];
        double end = fmin(T, -log(1 - uniform(&seed)) / mu), t = 0, tx = 0, x = 0;
        for (;;) {
            t += -log(1 - uniform(&seed)) / lambda;
            if (t > end) break;
            x++;
            tx = t;
        }
        s->x[i] = x;
        s->tx[i] = tx;
        s->T[i] = T;
        s->spend[i] = x > 0 ? 20 + 30 * uniform(&seed) : 0;
    }
}

static void hostile_case(const crm_config *cfg, const char *what, const crm_model_data *d) {
    for (int kind = 1; kind <= 4; kind++) {
        crm_model *m = NULL;
        crm_error err;
        double t0 = now();
        crm_status st = crm_model_fit(cfg, kind, d, &m, &err);
        double t1 = now();
        printf("%-28s %-12s %-15s %5lld %9.3f  %s\n", what, label(kind), crm_enum_name(CRM_ENUM_STATUS, st),
               (long long)crm_model_iterations(m), t1 - t0, m ? crm_model_message(m) : err.message);
        crm_model_free(m);
    }
}

static int hostile(size_t n) {
    crm_config *cfg = NULL;
    if (crm_config_create(NULL, &cfg, NULL) != CRM_STATUS_OK) return 1;
    sim s;
    s.n = n;
    s.x = calloc(n, sizeof(double));
    s.tx = calloc(n, sizeof(double));
    s.T = calloc(n, sizeof(double));
    s.spend = calloc(n, sizeof(double));
    double *w = calloc(n, sizeof(double));
    if (!s.x || !s.tx || !s.T || !s.spend || !w) return 1;
    crm_model_data d;
    crm_model_data_init(&d, NULL);
    d.x = s.x;
    d.t_x = s.tx;
    d.T = s.T;
    d.spend = s.spend;
    d.count = n;
    printf("%-28s %-12s %-15s %5s %9s  %s\n", "case", "model", "status", "iter", "seconds", "message");
    const double demo[4] = {0.5, 3.0, 1e9, 1e9 / 0.0015}, pn[4] = {0.8, 40.0, 0.7, 150.0},
                 heavy[4] = {20.0, 10.0, 1.0, 2000.0};
    simulate_pareto(&s, n, demo, 31);
    hostile_case(cfg, "demo-like (common drop-out)", &d);
    simulate_pareto(&s, n, pn, 33);
    hostile_case(cfg, "Pareto/NBD data", &d);
    simulate_pareto(&s, n, heavy, 34);
    hostile_case(cfg, "x in the hundreds", &d);
    simulate_pareto(&s, n, pn, 35);
    for (size_t i = 0; i < n; i++)
        if (s.x[i] > 0) s.tx[i] = s.T[i];
    hostile_case(cfg, "t_x = T", &d);
    simulate_pareto(&s, n, pn, 36);
    for (size_t i = 0; i < n; i++) s.T[i] *= 1e4, s.tx[i] *= 1e4;
    hostile_case(cfg, "huge T", &d);
    simulate_pareto(&s, n, pn, 37);
    for (size_t i = 0; i < n; i++) w[i] = (i % 2) ? 0 : 1 + (double)(i % 3);
    d.weight = w;
    hostile_case(cfg, "weights with zeros", &d);
    double x1 = 3, tx1 = 20, T1 = 30, sp1 = 25, w1 = 1e7;
    crm_model_data one = d;
    one.x = &x1;
    one.t_x = &tx1;
    one.T = &T1;
    one.spend = &sp1;
    one.weight = &w1;
    one.count = 1;
    hostile_case(cfg, "10M identical rows", &one);
    d.weight = NULL;
    for (size_t i = 0; i < n; i++) s.x[i] = s.tx[i] = 0;
    hostile_case(cfg, "all one-time buyers", &d);
    for (size_t i = 0; i < n; i++) s.T[i] = 0;
    hostile_case(cfg, "all on the last day", &d);
    one.weight = NULL;
    hostile_case(cfg, "one customer", &one);
    /* Issue 14: E[X(52) | 2, 10, 30] at (0.4369, 5.665, 7300, 10000). */
    const double p14[4] = {0.4369, 5.665, 7300, 10000};
    crm_model *m = NULL;
    crm_model_from_params(cfg, CRM_MODEL_KIND_BGNBD, p14, 4, &m, NULL);
    double e = 0;
    one.x = &x1;
    x1 = 2, tx1 = 10, T1 = 30;
    double t0 = now();
    for (int k = 0; k < 1000; k++) crm_model_expected_purchases(m, 52, &one, &e, NULL);
    printf("issue 14: BG/NBD E[X(52) | 2, 10, 30] = %.6f, %.1f us per call\n", e, (now() - t0) * 1e3);
    crm_model_free(m);
    free(w);
    sim_free(&s);
    crm_config_free(cfg);
    return 0;
}

int main(int argc, char **argv) {
    size_t sizes[8] = {100000, 1000000};
    int nsizes = 2;
    if (argc > 1 && argv[1][0] == '-' && argv[1][1] == '-')
        return hostile(argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : 4000);
    if (argc > 1) {
        nsizes = 0;
        for (int i = 1; i < argc && nsizes < 8; i++) sizes[nsizes++] = (size_t)strtoull(argv[i], NULL, 10);
    }
    crm_config *cfg = NULL;
    crm_error err;
    if (crm_config_create(NULL, &cfg, &err) != CRM_STATUS_OK) {
        fprintf(stderr, "config: %s\n", err.message);
        return 1;
    }
    printf("%-12s %10s %10s %10s %10s %6s %14s\n", "model", "customers", "distinct", "fit_s", "fit+se_s",
           "iter", "loglik");
    for (int k = 0; k < nsizes; k++) {
        sim s;
        if (!simulate(&s, sizes[k], 20240601)) {
            sim_free(&s);
            fprintf(stderr, "out of memory\n");
            return 1;
        }
        crm_model_data d;
        crm_model_data_init(&d, NULL);
        d.x = s.x;
        d.t_x = s.tx;
        d.T = s.T;
        d.spend = s.spend;
        d.count = s.n;
        size_t distinct = count_distinct(&s);
        for (int kind = 1; kind <= 4; kind++) {
            crm_model *m = NULL;
            double t0 = now();
            crm_status st = crm__model_fit_ex(cfg, kind, &d, 0, &m, &err);
            double t1 = now();
            crm_model_free(m);
            m = NULL;
            double t2 = now();
            crm_status st2 = crm_model_fit(cfg, kind, &d, &m, &err);
            double t3 = now();
            if ((st != CRM_STATUS_OK && st != CRM_STATUS_NOT_CONVERGED) ||
                (st2 != CRM_STATUS_OK && st2 != CRM_STATUS_NOT_CONVERGED)) {
                fprintf(stderr, "%s: %s\n", label(kind), err.message);
                return 1;
            }
            printf("%-12s %10zu %10zu %10.3f %10.3f %6lld %14.2f%s\n", label(kind), s.n, distinct, t1 - t0,
                   t3 - t2, (long long)crm_model_iterations(m), crm_model_loglik(m),
                   st2 == CRM_STATUS_OK ? "" : " (not converged)");
            printf("             params:");
            for (size_t i = 0; i < crm_model_param_count(kind); i++)
                printf(" %s=%.4g (se %.2g)", crm_model_param_name(kind, i), crm_model_param(m, i),
                       crm_model_stderr(m, i));
            printf("\n");
            crm_model_free(m);
        }
        sim_free(&s);
    }
    crm_config_free(cfg);
    return 0;
}

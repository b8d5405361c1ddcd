/* value_models.c - the worked CDNOW example: calibration/holdout split,
 * the four value models fitted on 39 weeks, and their holdout forecasts.
 *
 *   value_models [path/to/CDNOW_sample.txt]
 *
 * Without an argument it reads the repository's copy,
 * tests/data/cdnow/CDNOW_sample.txt: the CMake build passes its full path as
 * CRM_CDNOW_SAMPLE; compiled by hand, the path is relative to the repository
 * root. The file has one order line per row: master id, sample id (1..2357),
 * date YYYYMMDD, number of CDs, dollar value. */
#include "crmkit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CRM_CDNOW_SAMPLE
#define CRM_CDNOW_SAMPLE "tests/data/cdnow/CDNOW_sample.txt"
#endif

/* Day number of a date through the library's calendar; CRM_NO_DAY when it is not a date. */
static int32_t day_of_date(long y, long m, long d) {
    int32_t day;
    return crm_day_from_date((int32_t)y, (int32_t)m, (int32_t)d, &day, NULL) == CRM_STATUS_OK ? day
                                                                                              : CRM_NO_DAY;
}

static int64_t end_of_day(long y, long m, long d) { return (int64_t)day_of_date(y, m, d) * 86400 + 86399; }

static size_t read_cdnow(const char *path, crm_transaction **out) {
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t cap = 1024, n = 0;
    crm_transaction *t = malloc(cap * sizeof *t);
    char line[256];
    long lineno = 0;
    while (t && fgets(line, sizeof line, f)) {
        lineno++;
        /* master id, sample id, YYYYMMDD, number of CDs, dollars */
        char *p = line, *end;
        unsigned long field[4];
        int ok = 1;
        for (int k = 0; k < 4 && ok; k++) {
            field[k] = strtoul(p, &end, 10);
            ok = end != p;
            p = end;
        }
        double dollars = ok ? strtod(p, &end) : 0;
        if (!ok || end == p) {
            fprintf(stderr, "value_models: %s:%ld: not an order line, skipped\n", path, lineno);
            continue;
        }
        unsigned long id = field[1], ymd = field[2];
        int32_t day = day_of_date((long)(ymd / 10000), (long)(ymd / 100 % 100), (long)(ymd % 100));
        if (day == CRM_NO_DAY) {
            fprintf(stderr, "value_models: %s:%ld: %lu is not a date, skipped\n", path, lineno, ymd);
            continue;
        }
        if (n == cap) {
            crm_transaction *bigger = realloc(t, 2 * cap * sizeof *t);
            if (!bigger) break;
            t = bigger;
            cap *= 2;
        }
        t[n].customer_id = id;
        t[n].time = (int64_t)day * 86400;
        t[n].amount = dollars;
        n++;
    }
    fclose(f);
    *out = t;
    return n;
}

static void print_model(const char *title, const crm_model *m) {
    printf("%-12s", title);
    for (size_t i = 0; i < crm_model_param_count(crm_model_kind_of(m)); i++)
        printf("  %s = %.6f (se %.6f)", crm_model_param_name(crm_model_kind_of(m), i), crm_model_param(m, i),
               crm_model_stderr(m, i));
    printf("\n%12s  log-likelihood %.4f, %s after %lld iterations\n", "", crm_model_loglik(m),
           crm_model_converged(m) ? "converged" : "NOT converged", (long long)crm_model_iterations(m));
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : CRM_CDNOW_SAMPLE;
    crm_transaction *tx = NULL;
    size_t n = read_cdnow(path, &tx);
    if (n == 0) {
        fprintf(stderr, "value_models: cannot read %s\nusage: value_models [CDNOW_sample.txt]\n", path);
        free(tx);
        return 1;
    }
    crm_config *cfg = NULL;
    crm_error err;
    crm_result *split = NULL;
    crm_transactions view;
    int status = 1;
    /* Weeks, calibration to 1997-09-30 (39 weeks), holdout to 1998-06-30 (39 more). */
    if (crm_config_create(NULL, &cfg, &err) != CRM_STATUS_OK ||
        crm_config_set_real(cfg, CRM_OPTION_TIME_UNIT_DAYS, 7, &err) != CRM_STATUS_OK ||
        crm_transactions_from_array(&view, tx, n, &err) != CRM_STATUS_OK ||
        crm_calibration_split(cfg, &view, end_of_day(1997, 9, 30), end_of_day(1998, 6, 30), &split, &err) !=
            CRM_STATUS_OK) {
        fprintf(stderr, "value_models: %s\n", err.message);
        goto done;
    }
    size_t rows = crm_result_rows(split);
    if (rows == 0) {
        fprintf(stderr, "value_models: no customer bought by 1997-09-30\n");
        goto done;
    }
    const double *x = crm_result_f64(split, CRM_COLUMN_X), *t_x = crm_result_f64(split, CRM_COLUMN_T_X),
                 *T = crm_result_f64(split, CRM_COLUMN_T),
                 *zbar = crm_result_f64(split, CRM_COLUMN_REPEAT_SPEND);
    const int64_t *holdout = crm_result_i64(split, CRM_COLUMN_HOLDOUT_PURCHASES);
    double repeat = 0, actual = 0;
    size_t repeaters = 0;
    for (size_t i = 0; i < rows; i++) {
        repeat += x[i];
        actual += (double)holdout[i];
        repeaters += x[i] > 0;
    }
    printf("CDNOW sample: %zu order lines, %zu customers, %.0f repeat purchase days in 39 weeks, %zu "
           "repeaters,\n"
           "%.0f purchase days in the 39-week holdout\n\n",
           n, rows, repeat, repeaters, actual);

    crm_model_data d;
    crm_model_data_init(&d, NULL);
    d.x = x;
    d.t_x = t_x;
    d.T = T;
    d.count = rows;
    double *forecast = malloc(rows * sizeof *forecast);
    if (!forecast) goto done;
    static const struct {
        int kind;
        const char *title;
    } models[] = {{CRM_MODEL_KIND_BGNBD, "BG/NBD"},
                  {CRM_MODEL_KIND_MBGNBD, "MBG/NBD"},
                  {CRM_MODEL_KIND_PARETO_NBD, "Pareto/NBD"}};
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++) {
        crm_model *m = NULL;
        crm_status st = crm_model_fit(cfg, models[k].kind, &d, &m, &err);
        if (st != CRM_STATUS_OK && st != CRM_STATUS_NOT_CONVERGED) {
            fprintf(stderr, "value_models: %s: %s\n", models[k].title, err.message);
            free(forecast);
            goto done;
        }
        print_model(models[k].title, m);
        double expected = 0;
        if (crm_model_expected_purchases(m, 39, &d, forecast, &err) == CRM_STATUS_OK)
            for (size_t i = 0; i < rows; i++) expected += forecast[i];
        printf("%12s  holdout forecast %.1f purchase days (actual %.0f)\n", "", expected, actual);
        if (models[k].kind == CRM_MODEL_KIND_BGNBD) {
            /* Fader, Hardie & Lee's customer: x = 2, t_x = 30.43, T = 38.86 */
            double cx = 2, ctx = 30.43, cT = 38.86, e39, alive;
            crm_model_data one;
            crm_model_data_init(&one, NULL);
            one.x = &cx;
            one.t_x = &ctx;
            one.T = &cT;
            one.count = 1;
            crm_model_expected_purchases(m, 39, &one, &e39, &err);
            crm_model_p_alive(m, &one, &alive, &err);
            printf("%12s  customer (2, 30.43, 38.86): E[X(39)] = %.4f (paper 1.226), P(alive) = %.4f\n", "",
                   e39, alive);
        }
        printf("\n");
        crm_model_free(m);
    }
    /* Gamma-Gamma on the repeaters' mean spend per repeat purchase day. */
    crm_model_data g;
    crm_model_data_init(&g, NULL);
    double *gx = malloc(rows * sizeof *gx), *gm = malloc(rows * sizeof *gm);
    size_t ng = 0;
    for (size_t i = 0; gx && gm && i < rows; i++)
        if (x[i] > 0 && zbar[i] > 0) {
            gx[ng] = x[i];
            gm[ng] = zbar[i];
            ng++;
        }
    g.x = gx;
    g.spend = gm;
    g.count = ng;
    crm_model *gg = NULL;
    crm_status st = crm_model_fit(cfg, CRM_MODEL_KIND_GAMMA_GAMMA, &g, &gg, &err);
    if (st == CRM_STATUS_OK || st == CRM_STATUS_NOT_CONVERGED) {
        print_model("Gamma-Gamma", gg);
        double spend[3];
        g.count = ng < 3 ? ng : 3;
        if (crm_model_expected_spend(gg, &g, spend, &err) == CRM_STATUS_OK)
            for (size_t i = 0; i < g.count; i++)
                printf("%12s  repeater %zu: observed mean spend %.2f, expected %.2f\n", "", i + 1, gm[i],
                       spend[i]);
        status = 0;
    } else {
        fprintf(stderr, "value_models: Gamma-Gamma: %s\n", err.message);
    }
    crm_model_free(gg);
    free(gx);
    free(gm);
    free(forecast);
done:
    crm_result_free(split);
    crm_config_free(cfg);
    free(tx);
    return status;
}

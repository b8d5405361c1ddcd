/* cmd_fit.c - `crmkit fit`: a customer-value model (BG/NBD, MBG/NBD,
 * Pareto/NBD, Gamma-Gamma) fitted to a summary file (frequency, recency, T
 * per customer) or to transactions summarised by crm_calibration_split,
 * with the holdout check: expected against actual purchases after the
 * calibration end, in total and by repeat purchases. */
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "csv.h"
#include "number.h"
#include "timefmt.h"
#include "writer.h"

enum {
    OPT_MODEL = CLI_OPT_OWN,
    OPT_SUMMARY,
    OPT_TRANSACTIONS,
    OPT_CAL_END,
    OPT_HOLDOUT_END,
    OPT_HORIZON,
    OPT_PREDICT
};

static const cli_option fit_options[] = {
    {OPT_MODEL, "model", 'm', "LIST",
     "the models, comma-separated: bgnbd (default), mbgnbd, pareto_nbd, gamma_gamma (the spend model)"},
    {OPT_SUMMARY, "summary", 0, NULL,
     "FILE is a summary: a header naming frequency (or x), recency (or t_x) and T, optionally "
     "monetary_value (or zbar, spend), weight and an id column (default: decided by the header)"},
    {OPT_TRANSACTIONS, "transactions", 0, NULL, "FILE is transactions (customer, time, amount)"},
    {OPT_CAL_END, "calibration-end", 0, "DATE",
     "transactions: fit on the purchases up to the end of DATE and check the forecast against the purchases "
     "after "
     "it"},
    {OPT_HOLDOUT_END, "holdout-end", 0, "DATE",
     "the end of the holdout (default: the latest transaction's day)"},
    {OPT_HORIZON, "horizon", 0, "T",
     "expected purchases over the next T time units (default: the holdout's length, else horizon_days)"},
    {OPT_PREDICT, "predict", 'o', "FILE",
     "write each customer's P(alive) and expected purchases (and spend) as CSV"},
    {CLI_OPT_HELP, "help", 'h', NULL, "show this help"},
    {0, NULL, 0, NULL, NULL}};

static const cli_option fit_analysis_options[] = {
    {CLI_OPT_SET, "set", 0, "NAME=VALUE",
     "set a library option: time_unit_days (7: weeks, the default; 1: days), max_iterations, tolerance, "
     "l2_penalty, day_offset, ...; repeatable"},
    {0, NULL, 0, NULL, NULL}};

static const cli_group groups[] = {{"Fitting", fit_options},
                                   {"Reading the file", cli_reading_options},
                                   {"Options", fit_analysis_options},
                                   {NULL, NULL}};

typedef struct fit_args {
    cli_common common;
    const char *models, *cal_end, *holdout_end, *horizon, *predict;
    int kind; /* -1 decided by the header, 1 summary, 0 transactions */
    int help;
} fit_args;

static int handle(void *ctx, int id, const char *value) {
    fit_args *a = ctx;
    const int common = cli_common_option(&a->common, "fit", id, value);
    if (common >= 0) return common;
    switch (id) {
    case CLI_OPT_HELP: a->help = 1; return 0;
    case OPT_MODEL: a->models = value; return 0;
    case OPT_SUMMARY: a->kind = 1; return 0;
    case OPT_TRANSACTIONS: a->kind = 0; return 0;
    case OPT_CAL_END: a->cal_end = value; return 0;
    case OPT_HOLDOUT_END: a->holdout_end = value; return 0;
    case OPT_HORIZON: a->horizon = value; return 0;
    case OPT_PREDICT: a->predict = value; return 0;
    default: return CLI_EXIT_USAGE;
    }
}

/* The rows the models are fitted to. */
typedef struct rows {
    size_t n, cap;
    double *x, *t_x, *T, *spend, *weight, *holdout;
    char **labels; /* summary files: the id column's texts (NULL: none) */
    long *lines;   /* summary files: the line of each row */
    int has_spend, has_weight, has_holdout;
    const uint64_t *ids; /* transactions: the customer ids of the calibration result */
    const cli_ids *id_labels;
    double holdout_units; /* the holdout's length in time units; 0: no holdout */
} rows;

static void rows_free(rows *r) {
    for (size_t i = 0; r->labels && i < r->n; i++) free(r->labels[i]);
    free(r->labels);
    free(r->lines);
    free(r->x);
    free(r->t_x);
    free(r->T);
    free(r->spend);
    free(r->weight);
    free(r->holdout);
}

static int rows_reserve(rows *r) {
    if (r->n < r->cap) return 1;
    const size_t cap = r->cap ? r->cap * 2 : 1024;
    double **cols[] = {&r->x, &r->t_x, &r->T, &r->spend, &r->weight};
    for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) {
        double *p = realloc(*cols[c], cap * sizeof *p);
        if (p == NULL) return 0;
        *cols[c] = p;
    }
    char **labels = realloc(r->labels, cap * sizeof *labels);
    if (labels == NULL) return 0;
    r->labels = labels;
    long *lines = realloc(r->lines, cap * sizeof *lines);
    if (lines == NULL) return 0;
    r->lines = lines;
    r->cap = cap;
    return 1;
}

/* Summary columns by normalised header name. */
enum { S_X, S_TX, S_T, S_SPEND, S_WEIGHT, S_ID, S_COUNT };
static const char *const summary_names[S_COUNT] = {
    "frequency x",           "recency tx", "t", "monetaryvalue zbar spend repeatspend", "weight count",
    "id customerid customer"};

static void normalise(const char *s, char *out, size_t size) {
    size_t n = 0;
    for (; *s && n + 1 < size; s++) {
        const char c = *s;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[n++] = c;
        else if (c >= 'A' && c <= 'Z')
            out[n++] = (char)(c - 'A' + 'a');
    }
    out[n] = '\0';
}

static int named(const char *word, const char *list) {
    const size_t n = strlen(word);
    for (const char *p = list; n && *p;) {
        const char *e = strchr(p, ' ');
        const size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, word, n) == 0) return 1;
        p += len + (e != NULL);
    }
    return 0;
}

/* The summary columns of a header: col[S_x] or -1. 1 when x, t_x and T are all there. */
static int summary_columns(const csv_field *f, size_t n, int col[S_COUNT]) {
    for (int s = 0; s < S_COUNT; s++) col[s] = -1;
    for (size_t i = 0; i < n; i++) {
        char norm[64];
        normalise(f[i].text, norm, sizeof norm);
        for (int s = 0; s < S_COUNT; s++)
            if (col[s] < 0 && named(norm, summary_names[s])) col[s] = (int)i;
    }
    return col[S_X] >= 0 && col[S_TX] >= 0 && col[S_T] >= 0;
}

/* Whether path's header names a summary's columns. */
static int looks_like_summary(const fit_args *a, const char *path) {
    char err[256];
    csv_field *f;
    size_t n;
    int col[S_COUNT], yes = 0;
    csv_reader *r = csv_open(path, a->common.load.delimiter, err, sizeof err);
    if (r == NULL) return 0; /* the loader reports it */
    if (csv_next(r, &f, &n) == CSV_RECORD) yes = summary_columns(f, n, col);
    csv_close(r);
    return yes;
}

static int read_summary(const fit_args *a, const char *path, rows *r) {
    char err[256];
    csv_field *f;
    size_t n;
    int col[S_COUNT], got;
    long bad = 0;
    csv_reader *rd = csv_open(path, a->common.load.delimiter, err, sizeof err);
    if (rd == NULL) {
        fprintf(stderr, "crmkit: %s: %s\n", path, err);
        return CLI_EXIT_INPUT;
    }
    got = csv_next(rd, &f, &n);
    if (got != CSV_RECORD || !summary_columns(f, n, col)) {
        fprintf(stderr,
                "crmkit: %s: a summary needs a header naming frequency (or x), recency (or t_x) and T\n",
                path);
        csv_close(rd);
        return CLI_EXIT_INPUT;
    }
    r->has_spend = col[S_SPEND] >= 0;
    r->has_weight = col[S_WEIGHT] >= 0;
    int status = CLI_EXIT_OK;
    while ((got = csv_next(rd, &f, &n)) != CSV_END) {
        const char *why = NULL;
        double v[S_ID];
        if (got == CSV_IO) {
            fprintf(stderr, "crmkit: %s: %s\n", path, csv_error(rd));
            status = CLI_EXIT_INPUT;
            break;
        }
        if (got == CSV_BAD) why = csv_error(rd);
        for (int s = 0; s < S_ID && why == NULL; s++) {
            v[s] = s == S_WEIGHT ? 1.0 : 0.0;
            if (col[s] < 0) continue;
            if ((size_t)col[s] >= n) {
                why = "too few fields";
            } else if (!num_parse_double(f[col[s]].text, f[col[s]].len, a->common.load.decimal, &v[s],
                                         NULL)) {
                why = "not a number";
            }
        }
        if (why != NULL) {
            if (++bad <= 20) fprintf(stderr, "%s:%ld: %s\n", path, csv_line(rd), why);
            if (a->common.load.strict) {
                status = CLI_EXIT_INPUT;
                break;
            }
            continue;
        }
        if (!rows_reserve(r)) {
            status = -1;
            break;
        }
        r->x[r->n] = v[S_X];
        r->t_x[r->n] = v[S_TX];
        r->T[r->n] = v[S_T];
        r->spend[r->n] = v[S_SPEND];
        r->weight[r->n] = v[S_WEIGHT];
        r->lines[r->n] = csv_line(rd);
        r->labels[r->n] = NULL;
        if (col[S_ID] >= 0 && (size_t)col[S_ID] < n) {
            r->labels[r->n] = malloc(f[col[S_ID]].len + 1);
            if (r->labels[r->n] == NULL) {
                status = -1;
                break;
            }
            memcpy(r->labels[r->n], f[col[S_ID]].text, f[col[S_ID]].len + 1);
        }
        r->n++;
    }
    csv_close(rd);
    if (status < 0) {
        fprintf(stderr, "crmkit: out of memory\n");
        return CLI_EXIT_FAILED;
    }
    if (bad > 20) fprintf(stderr, "%s: ... and %ld more bad lines\n", path, bad - 20);
    return status;
}

/* End of the day of a date argument, in the day_offset calendar. */
static int end_of_day(const char *text, int format, int64_t offset, int64_t *t) {
    int32_t day;
    const size_t len = strlen(text);
    if (!time_parse_day(TIME_ISO, text, len, &day) && !time_parse_day(format, text, len, &day)) return 0;
    *t = ((int64_t)day + 1) * 86400 - 1 - offset;
    return 1;
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

/* Transactions: load, split at the calibration end, take x, t_x, T, spend and holdout purchases. */
static int read_transactions(fit_args *a, cli_data *d, crm_result **split, rows *r, double unit_days) {
    int64_t offset = 0, cal = 0, hold = 0;
    crm_error err;
    crm_config_get_int(a->common.config, CRM_OPTION_DAY_OFFSET, &offset, NULL);
    int status = cli_load(&a->common.load, offset, d);
    if (status != CLI_EXIT_OK) return status;
    const size_t n = d->transactions.count;
    if (n == 0) {
        fprintf(stderr, "crmkit fit: %s: no transactions\n", a->common.load.path[0]);
        return CLI_EXIT_FAILED;
    }
    int64_t latest = d->transactions.time[0];
    for (size_t i = 1; i < n; i++)
        if (d->transactions.time[i] > latest) latest = d->transactions.time[i];
    hold = (floor_div(latest + offset, 86400) + 1) * 86400 - 1 - offset;
    if (a->holdout_end != NULL && !end_of_day(a->holdout_end, a->common.load.time_format, offset, &hold)) {
        fprintf(stderr, "crmkit fit: --holdout-end needs a date, not '%s'\n", a->holdout_end);
        return CLI_EXIT_USAGE;
    }
    cal = hold;
    if (a->cal_end != NULL && !end_of_day(a->cal_end, a->common.load.time_format, offset, &cal)) {
        fprintf(stderr, "crmkit fit: --calibration-end needs a date, not '%s'\n", a->cal_end);
        return CLI_EXIT_USAGE;
    }
    if (cal > hold) {
        fprintf(stderr, "crmkit fit: the calibration ends after the holdout\n");
        return CLI_EXIT_USAGE;
    }
    if (crm_calibration_split(a->common.config, &d->transactions, cal, hold, split, &err) != CRM_STATUS_OK) {
        cli_report_error("the calibration split", &err, d);
        return err.status == CRM_STATUS_BAD_RECORD ? CLI_EXIT_INPUT : CLI_EXIT_FAILED;
    }
    const size_t m = crm_result_rows(*split);
    const double *cols[4] = {crm_result_f64(*split, CRM_COLUMN_X), crm_result_f64(*split, CRM_COLUMN_T_X),
                             crm_result_f64(*split, CRM_COLUMN_T),
                             crm_result_f64(*split, CRM_COLUMN_REPEAT_SPEND)};
    const int64_t *holdout = crm_result_i64(*split, CRM_COLUMN_HOLDOUT_PURCHASES);
    r->ids = crm_result_u64(*split, CRM_COLUMN_CUSTOMER_ID);
    r->id_labels = d->ids;
    for (size_t i = 0; i < m; i++) {
        if (!rows_reserve(r)) {
            fprintf(stderr, "crmkit: out of memory\n");
            return CLI_EXIT_FAILED;
        }
        r->x[i] = cols[0][i];
        r->t_x[i] = cols[1][i];
        r->T[i] = cols[2][i];
        r->spend[i] = cols[3] ? cols[3][i] : 0.0;
        r->weight[i] = 1.0;
        r->labels[i] = NULL;
        r->lines[i] = 0;
        r->n++;
    }
    r->has_spend = cols[3] != NULL;
    r->holdout = malloc((m ? m : 1) * sizeof *r->holdout);
    if (r->holdout == NULL) return CLI_EXIT_FAILED;
    for (size_t i = 0; i < m; i++) r->holdout[i] = holdout ? (double)holdout[i] : 0.0;
    r->has_holdout = hold > cal;
    r->holdout_units = (double)(floor_div(hold + offset, 86400) - floor_div(cal + offset, 86400)) / unit_days;
    return CLI_EXIT_OK;
}

static void print_params(const crm_model *m, int kind) {
    printf("%-13s", crm_enum_name(CRM_ENUM_MODEL_KIND, kind));
    for (size_t i = 0; i < crm_model_param_count(kind); i++) {
        const double se = crm_model_stderr(m, i);
        printf("%s%s = %.6f", i ? "  " : " ", crm_model_param_name(kind, i), crm_model_param(m, i));
        if (se == se) printf(" (se %.6f)", se);
    }
    printf("\n%13s log-likelihood %.4f, %s after %lld iterations\n", "", crm_model_loglik(m),
           crm_model_converged(m) ? "converged" : "NOT converged", (long long)crm_model_iterations(m));
    const char *message = crm_model_message(m);
    if (message != NULL && message[0] != '\0') printf("%13s %s\n", "", message);
}

/* Expected against actual holdout purchases, in total and by calibration repeat purchases. */
static void print_holdout(const rows *r, const double *expected) {
    double sum_e = 0, sum_a = 0, bucket_n[8] = {0}, bucket_a[8] = {0}, bucket_e[8] = {0};
    for (size_t i = 0; i < r->n; i++) {
        const int b = r->x[i] >= 7 ? 7 : (int)r->x[i];
        sum_e += expected[i];
        sum_a += r->holdout[i];
        bucket_n[b]++;
        bucket_a[b] += r->holdout[i];
        bucket_e[b] += expected[i];
    }
    printf("%13s holdout: %.1f purchase days expected, %.0f actual (%+.1f%%)\n", "", sum_e, sum_a,
           sum_a > 0 ? 100.0 * (sum_e - sum_a) / sum_a : 0.0);
    printf("%13s %-12s %10s %14s %14s\n", "", "repeat days", "customers", "actual mean", "expected mean");
    for (int b = 0; b < 8; b++) {
        if (bucket_n[b] == 0) continue;
        char label[8];
        snprintf(label, sizeof label, b == 7 ? "%d+" : "%d", b);
        printf("%13s %-12s %10.0f %14.3f %14.3f\n", "", label, bucket_n[b], bucket_a[b] / bucket_n[b],
               bucket_e[b] / bucket_n[b]);
    }
}

static void put_double(cli_sink *s, double v) {
    char buf[NUM_MAX];
    if (v == v) cli_sink_write(s, buf, num_write_shortest(buf, v));
}

int cli_cmd_fit(int argc, char **argv) {
    fit_args a;
    const char *files[1];
    int nfiles = 0, status;
    int kinds[8], nkinds = 0;
    crm_model *models[8] = {NULL};
    double *predictions[8] = {NULL};
    rows r;
    cli_data d;
    crm_result *split = NULL;
    crm_error err;
    memset(&a, 0, sizeof a);
    memset(&r, 0, sizeof r);
    memset(&d, 0, sizeof d);
    a.kind = -1;
    if (!cli_common_init(&a.common)) return CLI_EXIT_FAILED;
    status = cli_parse_args(argc, argv, groups, handle, &a, files, &nfiles, 1);
    if (status == 0 && a.help) {
        cli_print_help(
            stdout, "crmkit fit [OPTIONS] FILE",
            "Fit customer-value models by maximum likelihood and print their parameters with standard "
            "errors. FILE is a summary, one customer a line (frequency, recency and T in one time unit, "
            "as lifetimes and BTYD write them), or transactions, summarised in the time unit of "
            "time_unit_days (7: weeks). With --calibration-end the models are fitted to the purchases up "
            "to that day and their forecast is checked against the purchases after it.",
            groups,
            "Exit codes: 0 done; 1 a fit failed; 2 bad command line; 3 the file cannot be read or used; "
            "4 the predictions cannot be written.\n\nExample: crmkit fit --time-format YYYYMMDD "
            "--calibration-end 1997-09-30 CDNOW_sample.txt\n");
        cli_common_free(&a.common);
        return CLI_EXIT_OK;
    }
    if (status == 0 && nfiles != 1) {
        fprintf(stderr, "crmkit fit: give one FILE (crmkit fit --help)\n");
        status = CLI_EXIT_USAGE;
    }
    /* the models */
    const char *list = a.models ? a.models : "bgnbd";
    for (const char *p = list; status == 0 && *p;) {
        const char *e = strchr(p, ',');
        const size_t len = e ? (size_t)(e - p) : strlen(p);
        char name[32];
        int kind = -1;
        if (len < sizeof name) {
            memcpy(name, p, len);
            name[len] = '\0';
            kind = crm_enum_value(CRM_ENUM_MODEL_KIND, name);
        }
        if (kind <= CRM_MODEL_KIND_NONE || nkinds == 8) {
            fprintf(stderr, "crmkit fit: --model: '%.*s' is not bgnbd, mbgnbd, pareto_nbd or gamma_gamma\n",
                    (int)len, p);
            status = CLI_EXIT_USAGE;
            break;
        }
        kinds[nkinds++] = kind;
        p += len + (e != NULL);
    }
    if (status == 0) status = cli_common_finish(&a.common, "fit");
    double unit = 7, horizon = 0;
    crm_config_get_real(a.common.config, CRM_OPTION_TIME_UNIT_DAYS, &unit, NULL);
    if (status == 0 && a.horizon != NULL &&
        (!num_parse_double(a.horizon, strlen(a.horizon), '.', &horizon, NULL) || !(horizon > 0))) {
        fprintf(stderr, "crmkit fit: --horizon needs a positive number of time units, not '%s'\n", a.horizon);
        status = CLI_EXIT_USAGE;
    }
    if (status != 0) {
        cli_common_free(&a.common);
        return status;
    }
    const char *path = files[0];
    a.common.load.path[0] = path;
    cli_progress_enable(!a.common.load.quiet);
    cli_progress_attach(a.common.config);
    const int summary = a.kind >= 0 ? a.kind : strcmp(path, "-") != 0 && looks_like_summary(&a, path);
    status = summary ? read_summary(&a, path, &r) : read_transactions(&a, &d, &split, &r, unit);
    cli_progress_clear();

    crm_model_data data;
    crm_model_data_init(&data, NULL);
    data.count = r.n;
    data.x = r.x;
    data.t_x = r.t_x;
    data.T = r.T;
    data.weight = r.has_weight ? r.weight : NULL;
    size_t repeaters = 0;
    for (size_t i = 0; i < r.n; i++) repeaters += r.x[i] > 0;
    if (status == CLI_EXIT_OK) {
        char day[16];
        const char *unit_name = unit == 7 ? "weeks" : unit == 1 ? "days" : "time units";
        printf("crmkit %s fit of %s (%s): %zu customers, %zu with repeat purchases; time unit %s (%g days)\n",
               crm_version_string(), path, summary ? "summary" : "transactions", r.n, repeaters, unit_name,
               unit);
        if (split != NULL && r.has_holdout) {
            int64_t offset = 0;
            crm_config_get_int(a.common.config, CRM_OPTION_DAY_OFFSET, &offset, NULL);
            const int32_t as_of = crm_result_as_of_day(split);
            day[time_write_day(day, as_of)] = '\0';
            printf("calibration to %s, holdout of %.2f %s after it\n", day, r.holdout_units, unit_name);
        }
        printf("\n");
    }
    if (horizon == 0) {
        double horizon_days = 365;
        crm_config_get_real(a.common.config, CRM_OPTION_HORIZON_DAYS, &horizon_days, NULL);
        horizon = r.has_holdout ? r.holdout_units : horizon_days / unit;
    }
    for (int k = 0; k < nkinds && status == CLI_EXIT_OK; k++) {
        const int kind = kinds[k];
        crm_model_data fit = data;
        double *buf[4] = {NULL, NULL, NULL, NULL};
        if (kind == CRM_MODEL_KIND_GAMMA_GAMMA) {
            /* the spend model: repeat customers with a positive mean repeat spend */
            if (!r.has_spend) {
                fprintf(stderr,
                        "crmkit fit: gamma_gamma needs a spend column (monetary_value, zbar or spend)\n");
                status = CLI_EXIT_INPUT;
                break;
            }
            for (int c = 0; c < 4; c++) buf[c] = malloc((r.n ? r.n : 1) * sizeof(double));
            size_t m = 0;
            for (size_t i = 0; buf[3] && i < r.n; i++) {
                if (!(r.x[i] > 0 && r.spend[i] > 0)) continue;
                buf[0][m] = r.x[i];
                buf[1][m] = r.t_x[i];
                buf[2][m] = r.T[i];
                buf[3][m] = r.spend[i];
                m++;
            }
            fit.count = m;
            fit.x = buf[0];
            fit.t_x = buf[1];
            fit.T = buf[2];
            fit.spend = buf[3];
            fit.weight = NULL;
        }
        const crm_status st = crm_model_fit(a.common.config, kind, &fit, &models[k], &err);
        cli_progress_clear();
        for (int c = 0; c < 4; c++) free(buf[c]);
        if (st != CRM_STATUS_OK && st != CRM_STATUS_NOT_CONVERGED) {
            if (st == CRM_STATUS_BAD_RECORD && summary && err.record >= 0 && (size_t)err.record < r.n &&
                kind != CRM_MODEL_KIND_GAMMA_GAMMA)
                fprintf(stderr, "%s:%ld: %s\n", path, r.lines[err.record], err.message);
            else
                fprintf(stderr, "crmkit fit: %s: %s\n", crm_enum_name(CRM_ENUM_MODEL_KIND, kind),
                        err.message);
            status = st == CRM_STATUS_BAD_RECORD ? CLI_EXIT_INPUT : CLI_EXIT_FAILED;
            break;
        }
        print_params(models[k], kind);
        if (kind != CRM_MODEL_KIND_GAMMA_GAMMA) {
            predictions[k] = malloc(2 * (r.n ? r.n : 1) * sizeof(double));
            if (predictions[k] == NULL ||
                crm_model_p_alive(models[k], &data, predictions[k], &err) != CRM_STATUS_OK ||
                crm_model_expected_purchases(models[k], horizon, &data, predictions[k] + r.n, &err) !=
                    CRM_STATUS_OK) {
                fprintf(stderr, "crmkit fit: predictions: %s\n",
                        predictions[k] ? err.message : "out of memory");
                status = CLI_EXIT_FAILED;
                break;
            }
            if (r.has_holdout) print_holdout(&r, predictions[k] + r.n);
        } else {
            data.spend = r.spend;
            predictions[k] = malloc((r.n ? r.n : 1) * sizeof(double));
            if (predictions[k] == NULL ||
                crm_model_expected_spend(models[k], &data, predictions[k], &err) != CRM_STATUS_OK) {
                fprintf(stderr, "crmkit fit: expected spend: %s\n",
                        predictions[k] ? err.message : "out of memory");
                status = CLI_EXIT_FAILED;
                break;
            }
            data.spend = NULL;
        }
        printf("\n");
    }
    if (status == CLI_EXIT_OK && a.predict != NULL) {
        cli_sink s;
        char e[256];
        if (!cli_sink_open(&s, a.predict, e, sizeof e)) {
            fprintf(stderr, "crmkit fit: %s\n", e);
            status = CLI_EXIT_OUTPUT;
        } else {
            const char *head =
                r.has_holdout ? "customer_id,x,t_x,T,holdout_purchases" : "customer_id,x,t_x,T";
            cli_sink_write(&s, head, strlen(head));
            for (int k = 0; k < nkinds; k++) {
                const char *name = crm_enum_name(CRM_ENUM_MODEL_KIND, kinds[k]);
                char col[96];
                const int len =
                    kinds[k] == CRM_MODEL_KIND_GAMMA_GAMMA
                        ? snprintf(col, sizeof col, ",%s_expected_spend", name)
                        : snprintf(col, sizeof col, ",%s_p_alive,%s_expected_purchases", name, name);
                cli_sink_write(&s, col, (size_t)len);
            }
            cli_sink_write(&s, "\n", 1);
            for (size_t i = 0; i < r.n; i++) {
                char num[NUM_MAX];
                const char *label = r.labels[i];
                if (label == NULL && r.ids != NULL && r.id_labels != NULL)
                    label = ids_label(r.id_labels, r.ids[i]);
                if (label != NULL)
                    cli_sink_csv_text(&s, label, strlen(label), ',');
                else
                    cli_sink_write(&s, num, num_write_u64(num, r.ids ? r.ids[i] : (uint64_t)i + 1));
                const double v[4] = {r.x[i], r.t_x[i], r.T[i], r.has_holdout ? r.holdout[i] : 0};
                for (int c = 0; c < (r.has_holdout ? 4 : 3); c++) {
                    cli_sink_write(&s, ",", 1);
                    put_double(&s, v[c]);
                }
                for (int k = 0; k < nkinds; k++) {
                    cli_sink_write(&s, ",", 1);
                    put_double(&s, predictions[k][i]);
                    if (kinds[k] == CRM_MODEL_KIND_GAMMA_GAMMA) continue;
                    cli_sink_write(&s, ",", 1);
                    put_double(&s, predictions[k][r.n + i]);
                }
                cli_sink_write(&s, "\n", 1);
            }
            if (!cli_sink_close(&s)) {
                fprintf(stderr, "crmkit fit: cannot write %s\n", a.predict);
                status = CLI_EXIT_OUTPUT;
            } else if (strcmp(a.predict, "-") != 0) {
                printf("Predictions over %g time units for %zu customers written to %s\n", horizon, r.n,
                       a.predict);
            }
        }
    }
    for (int k = 0; k < nkinds; k++) {
        crm_model_free(models[k]);
        free(predictions[k]);
    }
    crm_result_free(split);
    cli_data_free(&d);
    rows_free(&r);
    cli_common_free(&a.common);
    return status;
}

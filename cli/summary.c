/* summary.c - the text summary of an analysis: record accounting, RFM cut
 * points, customers and revenue per group, churn flags, population
 * figures, fitted models, the top customers and the call list. Not on the
 * hot path: plain stdio. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "timefmt.h"

static void print_records(FILE *out, const crm_result *res, int input, const cli_input_stats *st) {
    const int64_t total = crm_result_records_total(res, input);
    const int64_t accepted = crm_result_records(res, input, CRM_FATE_ACCEPTED);
    fprintf(out, "  %-13s %10ld %10ld %10lld %10lld\n", crm_enum_name(CRM_ENUM_INPUT, input), st->lines,
            st->malformed, (long long)accepted, (long long)(total - accepted));
    for (int32_t fate = CRM_FATE_ACCEPTED + 1; fate < crm_enum_count(CRM_ENUM_FATE); fate++) {
        const int64_t n = crm_result_records(res, input, fate);
        if (n > 0)
            fprintf(
                out, "      rejected, %-22s %10lld  (%s)\n", crm_enum_name(CRM_ENUM_FATE, fate), (long long)n,
                crm_enum_description(CRM_ENUM_FATE, fate) ? crm_enum_description(CRM_ENUM_FATE, fate) : "");
    }
}

static void print_cut_points(FILE *out, const crm_result *res) {
    static const char *const dims[3] = {
        "R  recency_days   <=", "F  frequency      >=", "M  monetary       >="};
    double t[16];
    size_t n = 0;
    if (crm_result_cut_points(res, CRM_DIM_R, t, 16, &n, NULL) != CRM_STATUS_OK) return;
    fprintf(out, "\nRFM cut points (score s for reaching t_s; t_2 .. t_k):\n");
    for (int dim = 0; dim < 3; dim++) {
        if (crm_result_cut_points(res, dim, t, 16, &n, NULL) != CRM_STATUS_OK) continue;
        fprintf(out, "  %s", dims[dim]);
        for (size_t i = 0; i < n && i < 16; i++) fprintf(out, " %10.6g", t[i]);
        fprintf(out, "\n");
    }
}

static void print_groups(FILE *out, const crm_result *res, int column, const char *title, double customers,
                         double revenue) {
    if (!crm_result_has_column(res, column)) return;
    int64_t none = 0;
    /* A Part II column whose input was not given is "none" for everyone: nothing to show. */
    if (crm_result_group(res, column, 0, &none, NULL, NULL) == CRM_STATUS_OK && (double)none >= customers)
        return;
    int printed = 0;
    const int32_t values = crm_result_label_count(res, column);
    for (int32_t v = 0; v < values; v++) {
        const char *label = crm_result_label(res, column, v);
        int64_t n = 0;
        double r = 0.0;
        if (label == NULL) continue;
        if (crm_result_group(res, column, v, &n, &r, NULL) != CRM_STATUS_OK) return;
        if (v == 0 && n == 0) continue; /* "none" only when someone is in it */
        if (!printed) {
            fprintf(out, "\n%-26s %10s %7s %16s %7s\n", title, "customers", "share", "revenue", "share");
            printed = 1;
        }
        fprintf(out, "  %-24s %10lld %6.1f%% %16.2f %6.1f%%\n", label, (long long)n,
                customers > 0 ? 100.0 * (double)n / customers : 0.0, r,
                revenue != 0 ? 100.0 * r / revenue : 0.0);
    }
}

static void print_flags(FILE *out, const crm_result *res, double customers, double revenue) {
    if (!crm_result_has_column(res, CRM_COLUMN_CHURN_FLAGS)) return;
    fprintf(out, "\n%-26s %10s %7s %16s %7s  %s\n", "Churn-risk flags", "customers", "share", "revenue",
            "share", "reason");
    for (int32_t flag = 0; flag < crm_enum_count(CRM_ENUM_FLAG); flag++) {
        int64_t n = 0;
        double r = 0.0;
        if (crm_result_group(res, CRM_COLUMN_CHURN_FLAGS, flag, &n, &r, NULL) != CRM_STATUS_OK) return;
        const char *reason = crm_enum_description(CRM_ENUM_FLAG, flag);
        fprintf(out, "  %-24s %10lld %6.1f%% %16.2f %6.1f%%  %s\n", crm_enum_name(CRM_ENUM_FLAG, flag),
                (long long)n, customers > 0 ? 100.0 * (double)n / customers : 0.0, r,
                revenue != 0 ? 100.0 * r / revenue : 0.0, reason ? reason : "");
    }
}

/* The complaint-handling figures (shares as percentages), then any later
 * metric of this library under its name. */
static void print_metrics(FILE *out, const crm_result *res) {
    int printed = 0;
    for (int32_t m = CRM_METRIC_COMPLAINTS; m < crm_enum_count(CRM_ENUM_METRIC); m++) {
        const double v = crm_result_metric(res, m);
        if (v != v) continue;
        const int complaints = m <= CRM_METRIC_RECOVERY_RATE;
        if (printed < 1 + !complaints) {
            fprintf(out, "\n%s\n", complaints ? "Complaint handling" : "Population figures");
            printed = 1 + !complaints;
        }
        const int share = m == CRM_METRIC_RESPONSE_WITHIN_SLA || m == CRM_METRIC_RESOLVED_WITHIN ||
                          m == CRM_METRIC_FOLLOWED_UP_WITHIN || m == CRM_METRIC_RECOVERY_RATE;
        if (share)
            fprintf(out, "  %-26s %9.1f%%\n", crm_enum_name(CRM_ENUM_METRIC, m), 100.0 * v);
        else
            fprintf(out, "  %-26s %10.6g\n", crm_enum_name(CRM_ENUM_METRIC, m), v);
    }
}

static void print_models(FILE *out, const crm_result *res) {
    int printed = 0;
    for (int32_t kind = CRM_MODEL_KIND_NONE + 1; kind < crm_enum_count(CRM_ENUM_MODEL_KIND); kind++) {
        const crm_model *model = crm_result_model(res, kind);
        if (model == NULL) continue;
        if (!printed) fprintf(out, "\nCustomer-value models\n");
        printed = 1;
        fprintf(out, "  %-12s", crm_enum_name(CRM_ENUM_MODEL_KIND, kind));
        for (size_t i = 0; i < crm_model_param_count(kind); i++)
            fprintf(out, " %s=%.6g", crm_model_param_name(kind, i), crm_model_param(model, i));
        fprintf(out, "  loglik=%.6g%s\n", crm_model_loglik(model),
                crm_model_converged(model) ? "" : "  (not converged)");
    }
}

typedef struct ranked {
    double monetary;
    size_t row;
} ranked;

/* Rows are sorted by key, so row order breaks ties as the ids do. */
static int by_monetary(const void *a, const void *b) {
    const ranked *x = a, *y = b;
    if (x->monetary != y->monetary) return x->monetary > y->monetary ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

/* Row i's customer as the files wrote it, else its numeric id (in buf). */
static const char *customer_label(const cli_analysis *a, const uint64_t *ids, size_t i, char *buf,
                                  size_t size) {
    if (a->labels && a->labels[i]) return a->labels[i];
    snprintf(buf, size, "%llu", (unsigned long long)ids[i]);
    return buf;
}

static const char *label_at(const crm_result *res, int column, size_t row) {
    const int32_t *v = crm_result_i32(res, column);
    const char *s = v ? crm_result_label(res, column, v[row]) : NULL;
    return s ? s : "-";
}

static const char *flag_list(crm_flags flags, char *buf, size_t size) {
    buf[0] = '\0';
    for (int32_t flag = 0; flag < crm_enum_count(CRM_ENUM_FLAG); flag++) {
        if (!(flags & CRM_FLAG_BIT(flag)) || flag == CRM_FLAG_CONTACT_OVERDUE) continue;
        const size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%s", used ? "," : "", crm_enum_name(CRM_ENUM_FLAG, flag));
    }
    return buf[0] ? buf : "-";
}

/* Customers by net monetary, descending; the call list: only high-risk ones, with their reasons. */
static void print_ranked(FILE *out, const cli_analysis *a, size_t top, int call_list) {
    const crm_result *res = a->result;
    const size_t rows = crm_result_rows(res);
    const double *monetary = crm_result_f64(res, CRM_COLUMN_MONETARY);
    const uint64_t *ids = crm_result_u64(res, CRM_COLUMN_CUSTOMER_ID);
    const int32_t *risk = crm_result_i32(res, CRM_COLUMN_RISK_LEVEL);
    if (monetary == NULL || ids == NULL || rows == 0 || top == 0 || (call_list && !risk)) return;
    ranked *order = malloc(rows * sizeof *order);
    if (order == NULL) return;
    size_t n = 0;
    for (size_t i = 0; i < rows; i++) {
        if (monetary[i] != monetary[i] || (call_list && risk[i] != CRM_RISK_HIGH)) continue;
        order[n].monetary = monetary[i];
        order[n++].row = i;
    }
    qsort(order, n, sizeof *order, by_monetary);
    const int64_t *days = crm_result_i64(res, CRM_COLUMN_PURCHASE_DAYS);
    const int32_t *recency = crm_result_i32(res, CRM_COLUMN_RECENCY_DAYS);
    const int32_t *r = crm_result_i32(res, CRM_COLUMN_R_SCORE);
    const int32_t *f = crm_result_i32(res, CRM_COLUMN_F_SCORE);
    const int32_t *m = crm_result_i32(res, CRM_COLUMN_M_SCORE);
    const double *alive = crm_result_f64(res, CRM_COLUMN_P_ALIVE);
    const double *clv = crm_result_f64(res, CRM_COLUMN_CLV);
    const double *health = crm_result_f64(res, CRM_COLUMN_HEALTH_SCORE);
    const crm_flags *flags = crm_result_u64(res, CRM_COLUMN_CHURN_FLAGS);
    if (call_list)
        fprintf(out, "\nCall list: %zu high-risk customers, the %zu most valuable first\n", n,
                top < n ? top : n);
    else
        fprintf(out, "\nTop %zu customers by net monetary\n", top < n ? top : n);
    fprintf(out, "  %-20s %14s %6s %7s %5s  %-20s %-8s %-11s", "customer_id", "monetary", "days", "recency",
            "R F M", "segment", "tier", "stage");
    if (alive) fprintf(out, " %8s %11s", "P(alive)", "CLV");
    if (call_list) fprintf(out, " %6s  %-26s %s", "health", "win back", "why");
    fprintf(out, "\n");
    for (size_t k = 0; k < n && k < top; k++) {
        const size_t i = order[k].row;
        char id[32], why[256];
        const char *label = customer_label(a, ids, i, id, sizeof id);
        fprintf(out, "  %-20s %14.2f %6lld %7ld %d %d %d  %-20s %-8s %-11s", label, monetary[i],
                days ? (long long)days[i] : -1LL, recency ? (long)recency[i] : -1L, r ? (int)r[i] : 0,
                f ? (int)f[i] : 0, m ? (int)m[i] : 0, label_at(res, CRM_COLUMN_SEGMENT, i),
                label_at(res, CRM_COLUMN_VALUE_TIER, i), label_at(res, CRM_COLUMN_LIFECYCLE_STAGE, i));
        if (alive) fprintf(out, " %8.3f %11.2f", alive[i], clv ? clv[i] : 0.0);
        if (call_list)
            fprintf(out, " %6.1f  %-26s %s", health ? health[i] : 0.0, label_at(res, CRM_COLUMN_WIN_BACK, i),
                    flags ? flag_list(flags[i], why, sizeof why) : "-");
        fprintf(out, "\n");
    }
    free(order);
}

/* Birthdays and anniversaries from the as-of day to 14 days later (DOMAIN
 * 11), the most valuable customers first. */
static void print_care(FILE *out, const cli_analysis *a, size_t top) {
    enum { DAYS = 14 };
    const crm_result *res = a->result;
    const size_t rows = crm_result_rows(res);
    const int32_t *key = crm_result_i32(res, CRM_COLUMN_NEXT_KEY_DATE);
    const int32_t *years = crm_result_i32(res, CRM_COLUMN_RELATIONSHIP_YEARS);
    const int32_t *mile = crm_result_i32(res, CRM_COLUMN_MILESTONE_ANNIVERSARY);
    const int32_t *kind = crm_result_i32(res, CRM_COLUMN_KEY_DATE_KIND);
    const double *monetary = crm_result_f64(res, CRM_COLUMN_MONETARY);
    const uint64_t *ids = crm_result_u64(res, CRM_COLUMN_CUSTOMER_ID);
    const int32_t today = crm_result_as_of_day(res);
    if (!key || !monetary || !ids || !kind || today == CRM_NO_DAY || rows == 0 || top == 0) return;
    ranked *order = malloc(rows * sizeof *order);
    if (order == NULL) return;
    size_t n = 0;
    for (size_t i = 0; i < rows; i++) {
        if (key[i] == CRM_NO_DAY || key[i] < today || key[i] > today + DAYS) continue;
        order[n].monetary = monetary[i] == monetary[i] ? monetary[i] : 0.0;
        order[n++].row = i;
    }
    if (n > 0) {
        qsort(order, n, sizeof *order, by_monetary);
        fprintf(out,
                "\nCare this fortnight: %zu customers with a birthday or anniversary in the next %d days, "
                "the %zu "
                "most valuable first\n",
                n, DAYS, top < n ? top : n);
        fprintf(out, "  %-20s %14s  %-10s %-11s %5s\n", "customer_id", "monetary", "date", "occasion",
                "years");
        for (size_t k = 0; k < n && k < top; k++) {
            const size_t i = order[k].row;
            char id[32], day[16];
            const char *label = customer_label(a, ids, i, id, sizeof id);
            day[time_write_day(day, key[i])] = '\0';
            const int anniversary = kind[i] == CRM_KEY_DATE_ANNIVERSARY;
            fprintf(out, "  %-20s %14.2f  %-10s %-11s", label, monetary[i], day,
                    label_at(res, CRM_COLUMN_KEY_DATE_KIND, i));
            if (anniversary && years && years[i] > 0)
                fprintf(out, " %5d%s", (int)years[i], mile && mile[i] ? "  milestone" : "");
            fprintf(out, "\n");
        }
    }
    free(order);
}

void cli_print_summary(FILE *out, const cli_analysis *a, size_t top) {
    const crm_result *res = a->result;
    const cli_data *d = &a->data;
    char day[16];
    fprintf(out, "crmkit %s analysis of %s", crm_version_string(), d->stats[0].path ? d->stats[0].path : "-");
    if (d->has[1]) fprintf(out, "%s%s", d->has[2] ? ", " : " and ", d->stats[1].path);
    if (d->has[2]) fprintf(out, " and %s", d->stats[2].path);
    fprintf(out, "\n\n%-15s %10s %10s %10s %10s\n", "Records", "lines", "malformed", "accepted", "rejected");
    for (int i = 0; i < CLI_INPUTS; i++)
        if (d->has[i]) print_records(out, res, i + 1, &d->stats[i]);

    const int32_t as_of_day = crm_result_as_of_day(res);
    if (as_of_day == CRM_NO_DAY) {
        fprintf(out, "\nAs-of date: -\n");
    } else {
        day[time_write_day(day, as_of_day)] = '\0';
        fprintf(out, "\nAs-of date: %s\n", day);
    }
    const double customers = crm_result_metric(res, CRM_METRIC_CUSTOMERS);
    const double scored = crm_result_metric(res, CRM_METRIC_SCORED_CUSTOMERS);
    const double revenue = crm_result_metric(res, CRM_METRIC_REVENUE);
    fprintf(out, "Customers:  %zu", crm_result_rows(res));
    if (scored == scored) fprintf(out, " (%.0f with a purchase, %.0f prospects)", scored, customers - scored);
    fprintf(out, "\nNet revenue: %.2f\n", revenue == revenue ? revenue : 0.0);

    print_cut_points(out, res);
    print_groups(out, res, CRM_COLUMN_SEGMENT, "RFM segments", customers, revenue);
    print_groups(out, res, CRM_COLUMN_VALUE_TIER, "Value tiers", customers, revenue);
    print_groups(out, res, CRM_COLUMN_CONTRIBUTION_BAND, "Contribution bands", customers, revenue);
    print_groups(out, res, CRM_COLUMN_TENURE_BAND, "Tenure bands", customers, revenue);
    print_groups(out, res, CRM_COLUMN_VALUE_CLASS, "Value classes", customers, revenue);
    print_groups(out, res, CRM_COLUMN_LIFECYCLE_STAGE, "Lifecycle stages", customers, revenue);
    print_groups(out, res, CRM_COLUMN_RISK_LEVEL, "Risk levels", customers, revenue);
    print_groups(out, res, CRM_COLUMN_HEALTH_BAND, "Health bands", customers, revenue);
    print_groups(out, res, CRM_COLUMN_PROFIT_CLASS, "Profit classes", customers, revenue);
    print_groups(out, res, CRM_COLUMN_CUSTOMER_STATE, "Customer states", customers, revenue);
    print_groups(out, res, CRM_COLUMN_QUALIFICATION, "Prospect qualification", customers, revenue);
    print_groups(out, res, CRM_COLUMN_CHURN_CAUSE, "Churn causes", customers, revenue);
    print_flags(out, res, customers, revenue);
    print_metrics(out, res);
    print_models(out, res);
    print_ranked(out, a, top, 0);
    print_ranked(out, a, top, 1);
    print_care(out, a, top);
}

/*
 * render_demo - the HTML report of the demo data set, for the report's
 * browser test (tests/report.cmake) and the picture in the README.
 *
 *   render_demo DATA_DIR OUT.html
 *
 * DATA_DIR holds what examples/gen_data writes (transactions.csv with cost
 * and discount, interactions.csv, customers.csv). The analysis is the demo's
 * (examples/demo.sh): BG/NBD and Gamma-Gamma in days; the calibration split
 * ends 182 days before the as-of day, the holdout at the as-of day.
 * Exit status 0, or 1 with a message.
 */
#include <crmkit.h>

#include "report.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS   8
#define HOLDOUT_DAYS 182

typedef struct buffer {
    void *items;
    size_t count, cap, size;
} buffer;

static void *push(buffer *b) {
    if (b->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        void *p = realloc(b->items, cap * b->size);
        if (p == NULL) {
            fprintf(stderr, "render_demo: out of memory\n");
            exit(1);
        }
        b->items = p;
        b->cap = cap;
    }
    return (char *)b->items + b->size * b->count++;
}

/* Split a line at commas in place (gen_data writes no quotes). */
static int split(char *line, char **fields) {
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line;; p++) {
        if (n < MAX_FIELDS) fields[n] = p;
        n++;
        p = strchr(p, ',');
        if (p == NULL) break;
        *p = '\0';
    }
    return n;
}

static int32_t iso_day(const char *s) {
    int y, m, d;
    int32_t day;
    if (*s == '\0' || sscanf(s, "%d-%d-%d", &y, &m, &d) != 3 ||
        crm_day_from_date(y, m, d, &day, NULL) != CRM_STATUS_OK)
        return CRM_NO_DAY;
    return day;
}

static FILE *open_in(const char *dir, const char *name, char *line, size_t size) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (f == NULL || fgets(line, (int)size, f) == NULL) { /* the header */
        fprintf(stderr, "render_demo: cannot read %s\n", path);
        exit(1);
    }
    return f;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: render_demo DATA_DIR OUT.html\n");
        return 2;
    }
    const char *dir = argv[1];
    char line[1024];
    char *f[MAX_FIELDS];
    buffer tx = {NULL, 0, 0, sizeof(crm_transaction)};
    buffer cost = {NULL, 0, 0, sizeof(double)}, discount = {NULL, 0, 0, sizeof(double)};
    buffer ix = {NULL, 0, 0, sizeof(crm_interaction)};
    buffer cu = {NULL, 0, 0, sizeof(crm_customer)};

    FILE *in = open_in(dir, "transactions.csv", line, sizeof line);
    while (fgets(line, sizeof line, in)) {
        if (split(line, f) < 5) continue;
        crm_transaction *t = push(&tx);
        t->customer_id = strtoull(f[0], NULL, 10);
        t->time = strtoll(f[1], NULL, 10);
        t->amount = strtod(f[2], NULL);
        *(double *)push(&cost) = strtod(f[3], NULL);
        *(double *)push(&discount) = strtod(f[4], NULL);
    }
    fclose(in);
    in = open_in(dir, "interactions.csv", line, sizeof line);
    while (fgets(line, sizeof line, in)) {
        if (split(line, f) < 6) continue;
        crm_interaction *x = push(&ix);
        x->customer_id = strtoull(f[0], NULL, 10);
        x->time = strtoll(f[1], NULL, 10);
        x->kind = crm_enum_value(CRM_ENUM_KIND, f[2]);
        x->value = strtod(f[3], NULL);
        x->ref = strtoull(f[4], NULL, 10);
        x->purpose = crm_enum_value(CRM_ENUM_PURPOSE, f[5]);
    }
    fclose(in);
    in = open_in(dir, "customers.csv", line, sizeof line);
    while (fgets(line, sizeof line, in)) {
        if (split(line, f) < 7) continue;
        crm_customer *c = push(&cu);
        c->customer_id = strtoull(f[0], NULL, 10);
        c->birthday = iso_day(f[1]);
        c->relationship_start = iso_day(f[2]);
        c->money = crm_enum_value(CRM_ENUM_ANSWER, f[3]);
        c->authority = crm_enum_value(CRM_ENUM_ANSWER, f[4]);
        c->need = crm_enum_value(CRM_ENUM_ANSWER, f[5]);
        c->targeted = (int32_t)strtol(f[6], NULL, 10);
    }
    fclose(in);

    int status = 1;
    crm_error err;
    crm_config *config = NULL;
    crm_result *result = NULL, *split_result = NULL;
    crm_transactions tv;
    crm_interactions iv;
    crm_customers cv;
    if (crm_config_create(NULL, &config, &err) != CRM_STATUS_OK ||
        crm_config_set_text(config, "model", "bgnbd", &err) != CRM_STATUS_OK ||
        crm_config_set_text(config, "spend_model", "1", &err) != CRM_STATUS_OK ||
        crm_config_set_text(config, "time_unit_days", "1", &err) != CRM_STATUS_OK ||
        crm_transactions_from_array(&tv, tx.items, tx.count, &err) != CRM_STATUS_OK ||
        crm_transactions_set_column(&tv, CRM_FIELD_COST, cost.items, 0, &err) != CRM_STATUS_OK ||
        crm_transactions_set_column(&tv, CRM_FIELD_DISCOUNT, discount.items, 0, &err) != CRM_STATUS_OK ||
        crm_interactions_from_array(&iv, ix.items, ix.count, &err) != CRM_STATUS_OK ||
        crm_customers_from_array(&cv, cu.items, cu.count, &err) != CRM_STATUS_OK ||
        crm_analyze(config, &tv, &iv, &cv, &result, &err) != CRM_STATUS_OK) {
        fprintf(stderr, "render_demo: analysis failed: %s\n", err.message);
        goto done;
    }
    const int64_t as_of = crm_result_as_of(result);
    if (crm_calibration_split(config, &tv, as_of - (int64_t)HOLDOUT_DAYS * 86400, as_of, &split_result,
                              &err) != CRM_STATUS_OK) {
        fprintf(stderr, "render_demo: calibration split failed: %s\n", err.message);
        goto done;
    }
    crmkit_report_input rin;
    memset(&rin, 0, sizeof rin);
    rin.result = result;
    rin.calibration = split_result;
    rin.title = "Demo shop";
    rin.call_list = 15;
    rin.config = config;
    FILE *out = fopen(argv[2], "wb");
    if (out == NULL) {
        fprintf(stderr, "render_demo: cannot create %s\n", argv[2]);
        goto done;
    }
    char msg[256];
    const int rc = crmkit_report_write(out, &rin, msg, sizeof msg);
    if (fclose(out) != 0 || rc != 0) {
        fprintf(stderr, "render_demo: %s\n", rc != 0 ? msg : "cannot close the report");
        goto done;
    }
    status = 0;
done:
    crm_result_free(split_result);
    crm_result_free(result);
    crm_config_free(config);
    free(tx.items);
    free(cost.items);
    free(discount.items);
    free(ix.items);
    free(cu.items);
    return status;
}

/* analysis.c - the step every profiling subcommand shares: load the inputs,
 * analyse them, and give each row its customer's label back. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_report_error(const char *what, const crm_error *err, const cli_data *data) {
    const char *status = crm_enum_name(CRM_ENUM_STATUS, err->status);
    if (err->status == CRM_STATUS_BAD_RECORD && data != NULL && err->input >= CRM_INPUT_TRANSACTIONS &&
        err->input <= CRM_INPUT_CUSTOMERS) {
        const long line = cli_data_line(data, err->input, err->record);
        const char *path = data->stats[err->input - 1].path;
        const char *reason = crm_enum_description(CRM_ENUM_FATE, err->reason);
        const char *field = crm_enum_name(CRM_ENUM_FIELD, err->field);
        if (line > 0 && path != NULL) {
            fprintf(stderr, "%s:%ld: rejected: %s%s%s%s\n", path, line, field ? field : "", field ? " " : "",
                    reason ? reason : crm_enum_name(CRM_ENUM_FATE, err->reason), " (--strict stops here)");
            return;
        }
    }
    fprintf(stderr, "crmkit: %s failed (%s): %s\n", what, status ? status : "?", err->message);
}

int cli_analyze(const cli_load_options *o, crm_config *cfg, cli_analysis *out) {
    int64_t day_offset = 0;
    crm_error err;
    memset(out, 0, sizeof *out);
    crm_config_get_int(cfg, CRM_OPTION_DAY_OFFSET, &day_offset, NULL);
    const double t0 = cli_seconds(), c0 = cli_cpu_seconds();
    int status = cli_load(o, day_offset, &out->data);
    if (status != CLI_EXIT_OK) {
        cli_data_free(&out->data);
        return status;
    }
    const double t1 = cli_seconds(), c1 = cli_cpu_seconds();
    cli_data *d = &out->data;
    cli_progress_stage("analysing", "the records", 0);
    cli_progress_attach(cfg);
    const crm_status st =
        crm_analyze(cfg, d->has[0] ? &d->transactions : NULL, d->has[1] ? &d->interactions : NULL,
                    d->has[2] ? &d->customers : NULL, &out->result, &err);
    cli_progress_clear();
    out->seconds[0] = t1 - t0;
    out->seconds[1] = cli_seconds() - t1;
    out->cpu[0] = c1 - c0;
    out->cpu[1] = cli_cpu_seconds() - c1;
    if (st != CRM_STATUS_OK) {
        cli_report_error("the analysis", &err, d);
        cli_analysis_free(out);
        return st == CRM_STATUS_BAD_RECORD ? CLI_EXIT_INPUT : CLI_EXIT_FAILED;
    }
    if (d->ids != NULL) {
        const size_t rows = crm_result_rows(out->result);
        const uint64_t *ids = crm_result_u64(out->result, CRM_COLUMN_CUSTOMER_ID);
        const char **labels = malloc((rows ? rows : 1) * sizeof *labels);
        if (labels == NULL || ids == NULL) {
            free(labels);
            fprintf(stderr, "crmkit: out of memory\n");
            cli_analysis_free(out);
            return CLI_EXIT_FAILED;
        }
        for (size_t i = 0; i < rows; i++) labels[i] = ids_label(d->ids, ids[i]);
        out->labels = labels;
    }
    return CLI_EXIT_OK;
}

void cli_analysis_free(cli_analysis *a) {
    if (a == NULL) return;
    crm_result_free(a->result);
    free((void *)a->labels);
    cli_data_free(&a->data);
    memset(a, 0, sizeof *a);
}

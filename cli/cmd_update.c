/* cmd_update.c - `crmkit update STATE [TRANSACTIONS]`: the nightly close.
 * Loads the stored state (or starts one), adds the day's records, writes the
 * profiles when asked, and stores the state again (a new file renamed over
 * the old one, so that a crash leaves yesterday's state, never half of one). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "writer.h"

enum { OPT_CSV = CLI_OPT_OWN, OPT_JSONL, OPT_QUIET, OPT_FIT_MODELS, OPT_FIT_EVERY, OPT_REFIT_MODELS };

static const cli_option model_options[] = {
    {OPT_FIT_MODELS, "fit-models", 0, NULL,
     "fit the models enabled with --set model=... (and spend_model=true) on every record kept, now, and "
     "keep their parameters in the state: later updates value the customers with them instead of fitting"},
    {OPT_FIT_EVERY, "fit-models-every", 0, "DAYS",
     "the same when no fit is kept, when the kept one does not match the models enabled, or when it is "
     "DAYS or more days older than the newest record (a nightly job that refits weekly: 7)"},
    {OPT_REFIT_MODELS, "refit-models", 0, NULL,
     "forget a kept fit: this and later updates fit the models again (the default of a new state)"},
    {0, NULL, 0, NULL, NULL}};

static const cli_option output_options[] = {
    {OPT_CSV, "csv", 0, "FILE",
     "write every customer's profile after the update as CSV (\"-\": standard output)"},
    {OPT_JSONL, "jsonl", 0, "FILE", "the same as JSON Lines"},
    {OPT_QUIET, "quiet", 'q', NULL, "no notes, no progress, no closing line"},
    {CLI_OPT_HELP, "help", 'h', NULL, "show this help"},
    {0, NULL, 0, NULL, NULL}};

static const cli_group groups[] = {
    {"Inputs", cli_files_options},      {"Reading the files", cli_reading_options},
    {"Analysis", cli_analysis_options}, {"Models", model_options},
    {"Output", output_options},         {NULL, NULL}};

typedef struct update_args {
    cli_common common;
    const char *csv, *jsonl;
    int quiet, help, fit_models, refit_models;
    long fit_every; /* 0: not asked */
} update_args;

static int handle(void *ctx, int id, const char *value) {
    update_args *a = ctx;
    const int common = cli_common_option(&a->common, "update", id, value);
    if (common >= 0) return common;
    switch (id) {
    case CLI_OPT_HELP: a->help = 1; return 0;
    case OPT_CSV: a->csv = value; return 0;
    case OPT_JSONL: a->jsonl = value; return 0;
    case OPT_FIT_MODELS: a->fit_models = 1; return 0;
    case OPT_REFIT_MODELS: a->refit_models = 1; return 0;
    case OPT_FIT_EVERY:
        if (!cli_parse_count(value, 100000, &a->fit_every) || a->fit_every < 1) {
            fprintf(stderr, "crmkit update: --fit-models-every takes a number of days from 1, not '%s'\n",
                    value);
            return CLI_EXIT_USAGE;
        }
        return 0;
    case OPT_QUIET:
        a->quiet = 1;
        a->common.load.quiet = 1;
        return 0;
    default: return CLI_EXIT_USAGE;
    }
}

/* The whole file at path into *bytes (malloc'd). 1 read, 0 absent, -1 error (reported). */
static int read_file(const char *path, unsigned char **bytes, size_t *size) {
    FILE *f = fopen(path, "rb");
    *bytes = NULL;
    *size = 0;
    if (f == NULL) {
        if (errno == ENOENT) return 0;
        fprintf(stderr, "crmkit update: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        unsigned char *more = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
        if (more == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = more;
        cap *= 2;
    }
    const int bad = buf == NULL || ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        fprintf(stderr, "crmkit update: cannot read %s: %s\n", path, buf ? "read error" : "out of memory");
        return -1;
    }
    *bytes = buf;
    *size = n;
    return 1;
}

/* Store the state at path through path.new and a rename. An exit code. */
static int store(const crm_state_handle *st, const char *path) {
    size_t size = 0;
    crm_error err;
    crm_state_save(st, NULL, 0, &size, NULL);
    unsigned char *buf = malloc(size ? size : 1);
    const size_t len = strlen(path);
    char *tmp = malloc(len + 5);
    if (buf == NULL || tmp == NULL) {
        free(buf);
        free(tmp);
        fprintf(stderr, "crmkit update: out of memory\n");
        return CLI_EXIT_FAILED;
    }
    if (crm_state_save(st, buf, size, &size, &err) != CRM_STATUS_OK) {
        free(buf);
        free(tmp);
        cli_report_error("saving the state", &err, NULL);
        return CLI_EXIT_FAILED;
    }
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".new", 5);
    FILE *f = fopen(tmp, "wb");
    int ok = f != NULL && fwrite(buf, 1, size, f) == size;
    if (f != NULL && fclose(f) != 0) ok = 0;
    if (ok && rename(tmp, path) != 0) ok = 0;
    if (!ok) {
        fprintf(stderr, "crmkit update: cannot write %s: %s\n", path, strerror(errno));
        remove(tmp);
    }
    free(buf);
    free(tmp);
    return ok ? CLI_EXIT_OK : CLI_EXIT_OUTPUT;
}

/* The day of a time in the day_offset calendar. */
static int64_t day_of(int64_t t, int64_t day_offset) {
    int64_t v = t + day_offset;
    return (v - (v < 0 ? 86399 : 0)) / 86400;
}

/* --fit-models-every: a fit is due when the models enabled are fitted by
 * each result or do not match the kept fit, or when the kept one is every
 * days or more older than the newest record kept. */
static int fit_due(const crm_state_handle *st, long every, int64_t day_offset) {
    int64_t fitted_at;
    const int source = crm_state_models(st, &fitted_at);
    if (source == CRM_MODELS_SOURCE_REFIT || source == CRM_MODELS_SOURCE_MISMATCH) return 1;
    if (source != CRM_MODELS_SOURCE_KEPT || crm_state_latest(st) == INT64_MIN) return 0;
    return day_of(crm_state_latest(st), day_offset) - day_of(fitted_at, day_offset) >= every;
}

/* The end of the closing line: where the profiles' models come from. */
static void print_models(FILE *out, const crm_state_handle *st, int64_t day_offset) {
    int64_t fitted_at;
    const int source = crm_state_models(st, &fitted_at);
    if (source == CRM_MODELS_SOURCE_KEPT) {
        int32_t y, m, d;
        crm_date_from_day((int32_t)day_of(fitted_at, day_offset), &y, &m, &d, NULL);
        fprintf(out, "; models kept from the fit as of %04d-%02d-%02d\n", (int)y, (int)m, (int)d);
    } else if (source == CRM_MODELS_SOURCE_REFIT) {
        fprintf(out, "; models fitted again by each update\n");
    } else if (source == CRM_MODELS_SOURCE_MISMATCH) {
        fprintf(out, "; the kept fit does not match the models enabled (--fit-models or --refit-models)\n");
    } else if (source == CRM_MODELS_SOURCE_GIVEN) {
        fprintf(out, "; models given\n");
    } else {
        fprintf(out, "\n");
    }
}

int cli_cmd_update(int argc, char **argv) {
    update_args a;
    const char *files[2];
    int nfiles = 0, status;
    memset(&a, 0, sizeof a);
    if (!cli_common_init(&a.common)) return CLI_EXIT_FAILED;
    status = cli_parse_args(argc, argv, groups, handle, &a, files, &nfiles, 2);
    if (status == 0 && a.help) {
        cli_print_help(stdout, "crmkit update [OPTIONS] STATE [TRANSACTIONS]",
                       "The nightly close: load the state stored in the file STATE (a new one when the file "
                       "does not exist), add the day's records (transactions, --interactions, --customers; "
                       "late records, returns and complaint events of earlier days are placed as a full "
                       "analysis places them), write every customer's profile when asked, and store the "
                       "state again. The profiles equal those of crmkit analyze over every record added so "
                       "far. Customer ids must be integers: the state keeps no labels.",
                       groups,
                       "Exit codes: 0 done; 1 the update failed; 2 bad command line; 3 an input or the state "
                       "cannot be read or used (damaged, newer format, other day_offset); 4 an output or the "
                       "state cannot be written.\n\nExample: crmkit update --csv profiles.csv shop.state "
                       "receipts-2026-11-27.csv\n");
        cli_common_free(&a.common);
        return CLI_EXIT_OK;
    }
    if (status == 0 && nfiles == 0) {
        fprintf(stderr, "crmkit update: say where the state is kept: crmkit update STATE [TRANSACTIONS]\n");
        status = CLI_EXIT_USAGE;
    }
    if (status == 0 && a.refit_models && (a.fit_models || a.fit_every)) {
        fprintf(stderr, "crmkit update: --refit-models excludes --fit-models and --fit-models-every\n");
        status = CLI_EXIT_USAGE;
    }
    if (status == 0 && nfiles == 2) a.common.load.path[0] = files[1];
    if (status == 0) status = cli_common_finish(&a.common, "update");
    if (status != 0) {
        cli_common_free(&a.common);
        return status;
    }
    const char *state_path = files[0];
    cli_progress_enable(!a.quiet);

    /* The state first: a damaged one stops the run before the inputs are read. */
    crm_state_handle *st = NULL;
    crm_error err;
    unsigned char *bytes = NULL;
    size_t size = 0;
    const int found = read_file(state_path, &bytes, &size);
    if (found < 0) status = CLI_EXIT_INPUT;
    if (status == 0) {
        const crm_status s = found ? crm_state_load(a.common.config, bytes, size, &st, &err)
                                   : crm_state_create(a.common.config, &st, &err);
        if (s != CRM_STATUS_OK) {
            fprintf(stderr, "crmkit update: %s: %s\n", state_path, err.message);
            status = s == CRM_STATUS_NO_MEMORY ? CLI_EXIT_FAILED : CLI_EXIT_INPUT;
        }
    }
    free(bytes);

    cli_data data;
    memset(&data, 0, sizeof data);
    int64_t offset = 0;
    crm_config_get_int(a.common.config, CRM_OPTION_DAY_OFFSET, &offset, NULL);
    const int any_input = a.common.load.path[0] || a.common.load.path[1] || a.common.load.path[2];
    if (status == 0 && any_input) status = cli_load(&a.common.load, offset, &data);
    if (status == 0 && data.ids != NULL) {
        fprintf(stderr,
                "crmkit update: customer ids must be integers to be kept in a state (%s has text ids)\n",
                data.stats[0].path ? data.stats[0].path : "an input");
        status = CLI_EXIT_INPUT;
    }
    if (status == 0 && any_input) {
        cli_progress_stage("adding", "the records", 0);
        const crm_status s = crm_state_add(st, data.has[0] ? &data.transactions : NULL,
                                           data.has[1] ? &data.interactions : NULL,
                                           data.has[2] ? &data.customers : NULL, &err);
        cli_progress_clear();
        if (s != CRM_STATUS_OK) {
            cli_report_error("adding the records", &err, &data);
            status = s == CRM_STATUS_BAD_RECORD ? CLI_EXIT_INPUT : CLI_EXIT_FAILED;
        }
    }
    if (status == 0 && a.refit_models) crm_state_forget_fit(st);
    if (status == 0 && a.fit_every && !a.fit_models) a.fit_models = fit_due(st, a.fit_every, offset);
    if (status == 0 && a.fit_models) {
        cli_progress_stage("fitting", "the models", 0);
        cli_progress_attach(a.common.config);
        const crm_status s = crm_state_fit(st, INT64_MIN, &err);
        cli_progress_clear();
        if (s == CRM_STATUS_NOT_CONVERGED) { /* kept all the same */
            if (!a.quiet) fprintf(stderr, "crmkit update: note: %s\n", err.message);
        } else if (s != CRM_STATUS_OK) {
            cli_report_error("fitting the models", &err, NULL);
            status = CLI_EXIT_FAILED;
        }
    }
    if (status == 0 && (a.csv || a.jsonl) && crm_state_models(st, NULL) == CRM_MODELS_SOURCE_MISMATCH) {
        fprintf(stderr,
                "crmkit update: %s keeps a fit of other models than --set enables now (model, spend_model, "
                "time_unit_days): fit them again with --fit-models, or fit with every update with "
                "--refit-models\n",
                state_path);
        status = CLI_EXIT_FAILED;
    }
    if (status == 0 && (a.csv || a.jsonl)) {
        crm_result *res = NULL;
        cli_progress_stage("analysing", "the state", 0);
        cli_progress_attach(a.common.config);
        const crm_status s = crm_state_result(st, INT64_MIN, &res, &err);
        cli_progress_clear();
        if (s != CRM_STATUS_OK) {
            cli_report_error("the profiles", &err, NULL);
            status = CLI_EXIT_FAILED;
        }
        cli_write_options wo;
        memset(&wo, 0, sizeof wo);
        wo.money_decimals = -1; /* the state mixes days of files with other precisions */
        wo.threads = a.common.threads;
        if (status == 0 && a.csv) status = cli_write_profiles(a.csv, CLI_FORMAT_CSV, res, &wo);
        if (status == 0 && a.jsonl) status = cli_write_profiles(a.jsonl, CLI_FORMAT_JSONL, res, &wo);
        crm_result_free(res);
    }
    if (status == 0) status = store(st, state_path);
    if (status == 0 && !a.quiet) {
        const int to_stdout = (a.csv && strcmp(a.csv, "-") == 0) || (a.jsonl && strcmp(a.jsonl, "-") == 0);
        FILE *out = to_stdout ? stderr : stdout;
        fprintf(out, "%s: %zu customers; kept %lld transactions, %lld interactions, %lld attribute records",
                state_path, crm_state_customers(st), (long long)crm_state_records(st, CRM_INPUT_TRANSACTIONS),
                (long long)crm_state_records(st, CRM_INPUT_INTERACTIONS),
                (long long)crm_state_records(st, CRM_INPUT_CUSTOMERS));
        print_models(out, st, offset);
    }
    crm_state_free(st);
    cli_data_free(&data);
    cli_common_free(&a.common);
    return status;
}

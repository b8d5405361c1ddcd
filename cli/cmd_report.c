/* cmd_report.c - `crmkit report`: the analysis of cli_analyze() drawn by the
 * report module (report.h) into one self-contained HTML file. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "report.h"
#include "timefmt.h"

enum { OPT_OUTPUT = CLI_OPT_OWN, OPT_TITLE, OPT_CALLS, OPT_CAL_END, OPT_QUIET };

static const cli_option report_options[] = {
    {OPT_OUTPUT, "output", 'o', "FILE", "write the report to FILE (\"-\": standard output); required"},
    {OPT_TITLE, "title", 0, "TEXT", "the report's title (default: the transactions file's name)"},
    {OPT_CALLS, "calls", 0, "N", "rows of the call list (default 20)"},
    {OPT_CAL_END, "calibration-end", 0, "DATE",
     "add the calibration-versus-holdout chart: the purchase model refitted on the purchases up to the end "
     "of DATE, checked against those after it up to the as-of day"},
    {OPT_QUIET, "quiet", 'q', NULL, "no notes, no progress"},
    {CLI_OPT_HELP, "help", 'h', NULL, "show this help"},
    {0, NULL, 0, NULL, NULL}};

static const cli_group groups[] = {{"Inputs", cli_files_options},
                                   {"Reading the files", cli_reading_options},
                                   {"Analysis", cli_analysis_options},
                                   {"Report", report_options},
                                   {NULL, NULL}};

typedef struct report_args {
    cli_common common;
    const char *output, *title, *cal_end;
    long calls;
    int help;
} report_args;

static int handle(void *ctx, int id, const char *value) {
    report_args *a = ctx;
    const int common = cli_common_option(&a->common, "report", id, value);
    if (common >= 0) return common;
    switch (id) {
    case CLI_OPT_HELP: a->help = 1; return 0;
    case OPT_OUTPUT: a->output = value; return 0;
    case OPT_TITLE: a->title = value; return 0;
    case OPT_CAL_END: a->cal_end = value; return 0;
    case OPT_QUIET: a->common.load.quiet = 1; return 0;
    case OPT_CALLS:
        if (!cli_parse_count(value, 100000, &a->calls) || a->calls == 0) {
            fprintf(stderr, "crmkit report: --calls needs a count from 1 to 100000, not '%s'\n", value);
            return CLI_EXIT_USAGE;
        }
        return 0;
    default: return CLI_EXIT_USAGE;
    }
}

int cli_cmd_report(int argc, char **argv) {
    report_args a;
    const char *files[1];
    int nfiles = 0, status;
    cli_analysis an;
    crm_result *calibration = NULL;
    memset(&a, 0, sizeof a);
    if (!cli_common_init(&a.common)) return CLI_EXIT_FAILED;
    status = cli_parse_args(argc, argv, groups, handle, &a, files, &nfiles, 1);
    if (status == 0 && a.help) {
        cli_print_help(
            stdout, "crmkit report [OPTIONS] -o REPORT.html [TRANSACTIONS]",
            "Analyse the inputs as crmkit analyze does and draw the customer base in one "
            "self-contained HTML page (inline SVG, no script, no network, printable): key figures, "
            "the RFM map, segments, value tiers with the Pareto curve, bands and classes, lifecycle "
            "stages and their flow, churn flags, risk and health, complaint handling, the fitted "
            "model's matrices (--set model=bgnbd), the calibration-versus-holdout chart "
            "(--calibration-end) and the call list of the most valuable high-risk customers.",
            groups,
            "Exit codes: 0 done; 1 the analysis failed; 2 bad command line; 3 an input cannot be read "
            "or used; 4 the report cannot be written.\n\nExample: crmkit report --interactions "
            "interactions.csv --set model=bgnbd --set spend_model=1 -o report.html transactions.csv\n");
        cli_common_free(&a.common);
        return CLI_EXIT_OK;
    }
    if (status == 0 && nfiles == 1) a.common.load.path[0] = files[0];
    if (status == 0 && !a.common.load.path[0] && !a.common.load.path[1] && !a.common.load.path[2]) {
        fprintf(stderr, "crmkit report: no input given (crmkit report --help)\n");
        status = CLI_EXIT_USAGE;
    }
    if (status == 0 && a.output == NULL) {
        fprintf(stderr, "crmkit report: say where the report goes: -o REPORT.html\n");
        status = CLI_EXIT_USAGE;
    }
    if (status == 0 && a.cal_end != NULL && a.common.load.path[0] == NULL) {
        fprintf(stderr, "crmkit report: --calibration-end needs transactions\n");
        status = CLI_EXIT_USAGE;
    }
    int64_t cal = 0, offset = 0;
    crm_config_get_int(a.common.config, CRM_OPTION_DAY_OFFSET, &offset, NULL);
    if (status == 0 && a.cal_end != NULL) {
        int32_t day;
        const size_t len = strlen(a.cal_end);
        if (!time_parse_day(TIME_ISO, a.cal_end, len, &day) &&
            !time_parse_day(a.common.load.time_format, a.cal_end, len, &day)) {
            fprintf(stderr, "crmkit report: --calibration-end needs a date, not '%s'\n", a.cal_end);
            status = CLI_EXIT_USAGE;
        }
        cal = ((int64_t)day + 1) * 86400 - 1 - offset;
    }
    if (status == 0) status = cli_common_finish(&a.common, "report");
    if (status != 0) {
        cli_common_free(&a.common);
        return status;
    }

    cli_progress_enable(!a.common.load.quiet);
    status = cli_analyze(&a.common.load, a.common.config, &an);
    if (status == CLI_EXIT_OK && a.cal_end != NULL) {
        crm_error err;
        const int64_t hold = crm_result_as_of(an.result);
        if (cal >= hold) {
            fprintf(stderr, "crmkit report: --calibration-end must come before the as-of day\n");
            status = CLI_EXIT_USAGE;
        } else if (crm_calibration_split(a.common.config, &an.data.transactions, cal, hold, &calibration,
                                         &err) != CRM_STATUS_OK) {
            cli_report_error("the calibration split", &err, &an.data);
            status = CLI_EXIT_FAILED;
        }
    }
    if (status == CLI_EXIT_OK) {
        const int to_stdout = strcmp(a.output, "-") == 0;
        FILE *out = to_stdout ? stdout : fopen(a.output, "wb");
        char err[256];
        crmkit_report_input in;
        memset(&in, 0, sizeof in);
        in.result = an.result;
        in.calibration = calibration;
        in.title = a.title;
        if (in.title == NULL) {
            const char *path = an.data.stats[0].path ? an.data.stats[0].path : "crmkit report";
            const char *slash = strrchr(path, '/');
            in.title = slash ? slash + 1 : path;
        }
        in.customer_labels = an.labels;
        in.call_list = (size_t)a.calls;
        in.config = a.common.config; /* the thresholds the page states: the ones analysed with */
        if (out == NULL) {
            fprintf(stderr, "crmkit report: cannot write %s: %s\n", a.output, strerror(errno));
            status = CLI_EXIT_OUTPUT;
        } else {
            int failed = crmkit_report_write(out, &in, err, sizeof err) != 0;
            if (!to_stdout && fclose(out) != 0 && !failed) {
                snprintf(err, sizeof err, "write error");
                failed = 1;
            }
            if (failed) {
                fprintf(stderr, "crmkit report: %s: %s\n", a.output, err);
                status = CLI_EXIT_OUTPUT;
            } else if (!to_stdout) {
                printf("Report of %zu customers written to %s\n", crm_result_rows(an.result), a.output);
            }
        }
    }
    crm_result_free(calibration);
    cli_analysis_free(&an);
    cli_common_free(&a.common);
    return status;
}

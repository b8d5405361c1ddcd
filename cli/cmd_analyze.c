/* cmd_analyze.c - `crmkit analyze`: every customer's profile from
 * transaction (and interaction, attribute) exports, written as CSV, JSON
 * Lines or a table, and the summary of the customer base. */
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "writer.h"

enum { OPT_CSV = CLI_OPT_OWN, OPT_JSONL, OPT_TABLE, OPT_COLUMNS, OPT_TOP, OPT_QUIET, OPT_TIMING };

static const cli_option output_options[] = {
    {OPT_CSV, "csv", 0, "FILE", "write the profiles as CSV, one row per customer (\"-\": standard output)"},
    {OPT_JSONL, "jsonl", 0, "FILE", "write the profiles as JSON Lines (\"-\": standard output)"},
    {OPT_TABLE, "table", 0, NULL, "print the profiles as a table on standard output instead of the summary"},
    {OPT_COLUMNS, "columns", 0, "LIST",
     "the result columns to write, comma-separated (default: all of them)"},
    {OPT_TOP, "top", 0, "N", "customers in the summary's top list and call list (default 10)"},
    {OPT_QUIET, "quiet", 'q', NULL, "no summary, no notes, no progress"},
    {OPT_TIMING, "timing", 0, NULL,
     "print the seconds spent reading, analysing and writing on standard error"},
    {CLI_OPT_HELP, "help", 'h', NULL, "show this help"},
    {0, NULL, 0, NULL, NULL}};

static const cli_group groups[] = {{"Inputs", cli_files_options},
                                   {"Reading the files", cli_reading_options},
                                   {"Analysis", cli_analysis_options},
                                   {"Output", output_options},
                                   {NULL, NULL}};

typedef struct analyze_args {
    cli_common common;
    const char *csv, *jsonl, *columns;
    int table, quiet, timing, help;
    long top;
} analyze_args;

static void help(FILE *out) {
    char more[4096];
    size_t used =
        (size_t)snprintf(more, sizeof more,
                         "Exit codes: 0 done; 1 the analysis failed (no accepted record, bad rules); 2 bad "
                         "command line; 3 an input cannot be read or used (missing file or column, a "
                         "time column that looks like YYYYMMDD read as seconds, a bad line under "
                         "--strict); 4 an output cannot be written.\n\nResult columns: ");
    for (int32_t c = 0; c < crm_enum_count(CRM_ENUM_COLUMN) && used < sizeof more - 64; c++)
        used += (size_t)snprintf(more + used, sizeof more - used, "%s%s", c ? ", " : "",
                                 crm_enum_name(CRM_ENUM_COLUMN, c));
    snprintf(more + used, sizeof more - used,
             ".\n\nExample: crmkit analyze --time-format YYYYMMDD CDNOW_master.txt --csv profiles.csv\n");
    cli_print_help(
        out, "crmkit analyze [OPTIONS] [TRANSACTIONS]",
        "Profile every customer: RFM scores and segment, value tier and bands, lifecycle stage, churn "
        "flags and risk, health, contact plan and, with a model, P(alive) and CLV. TRANSACTIONS is a "
        "delimited file of customer_id, time, amount[, cost, discount] (\"-\": standard input); its "
        "delimiter, header, quotes, line ends and byte order mark are found from the file. Customer ids "
        "may be any text (\"C-00017\", e-mail addresses) and are written back as they came. Bad lines are "
        "reported as file:line: reason and skipped. Prints the summary of the customer base unless the "
        "profiles go to standard output.",
        groups, more);
}

static int handle(void *ctx, int id, const char *value) {
    analyze_args *a = ctx;
    const int common = cli_common_option(&a->common, "analyze", id, value);
    if (common >= 0) return common;
    switch (id) {
    case CLI_OPT_HELP: a->help = 1; return 0;
    case OPT_CSV: a->csv = value; return 0;
    case OPT_JSONL: a->jsonl = value; return 0;
    case OPT_TABLE: a->table = 1; return 0;
    case OPT_COLUMNS: a->columns = value; return 0;
    case OPT_TOP:
        if (!cli_parse_count(value, 1000000000L, &a->top)) {
            fprintf(stderr, "crmkit analyze: --top needs a count, not '%s'\n", value);
            return CLI_EXIT_USAGE;
        }
        return 0;
    case OPT_QUIET:
        a->quiet = 1;
        a->common.load.quiet = 1;
        return 0;
    case OPT_TIMING: a->timing = 1; return 0;
    default: return CLI_EXIT_USAGE;
    }
}

int cli_cmd_analyze(int argc, char **argv) {
    analyze_args a;
    const char *files[1];
    int nfiles = 0, status;
    int *columns = NULL;
    size_t ncolumns = 0;
    cli_analysis an;
    memset(&a, 0, sizeof a);
    memset(&an, 0, sizeof an);
    a.top = 10;
    if (!cli_common_init(&a.common)) return CLI_EXIT_FAILED;
    status = cli_parse_args(argc, argv, groups, handle, &a, files, &nfiles, 1);
    if (status == 0 && a.help) {
        help(stdout);
        cli_common_free(&a.common);
        return CLI_EXIT_OK;
    }
    if (status == 0 && nfiles == 1) a.common.load.path[0] = files[0];
    if (status == 0 && !a.common.load.path[0] && !a.common.load.path[1] && !a.common.load.path[2]) {
        fprintf(stderr, "crmkit analyze: no input given (crmkit analyze --help)\n");
        status = CLI_EXIT_USAGE;
    }
    if (status == 0 && a.columns != NULL) {
        char err[256];
        if (!cli_parse_columns(a.columns, &columns, &ncolumns, err, sizeof err)) {
            fprintf(stderr, "crmkit analyze: --columns: %s\n", err);
            status = CLI_EXIT_USAGE;
        }
    }
    if (status == 0) status = cli_common_finish(&a.common, "analyze");
    if (status != 0) {
        free(columns);
        cli_common_free(&a.common);
        return status;
    }

    cli_progress_enable(!a.quiet);
    status = cli_analyze(&a.common.load, a.common.config, &an);
    const double t0 = cli_seconds(), c0 = cli_cpu_seconds();
    if (status == CLI_EXIT_OK) {
        cli_write_options wo;
        memset(&wo, 0, sizeof wo);
        wo.labels = an.labels;
        wo.money_decimals = an.data.has[0] ? an.data.stats[0].decimals : -1;
        wo.columns = columns;
        wo.ncolumns = ncolumns;
        wo.threads = a.common.threads;
        if (a.csv != NULL) status = cli_write_profiles(a.csv, CLI_FORMAT_CSV, an.result, &wo);
        if (status == CLI_EXIT_OK && a.jsonl != NULL)
            status = cli_write_profiles(a.jsonl, CLI_FORMAT_JSONL, an.result, &wo);
        if (status == CLI_EXIT_OK && a.table)
            status = cli_write_profiles("-", CLI_FORMAT_TABLE, an.result, &wo);
        const int to_stdout =
            a.table || (a.csv && strcmp(a.csv, "-") == 0) || (a.jsonl && strcmp(a.jsonl, "-") == 0);
        if (status == CLI_EXIT_OK && !a.quiet && !to_stdout) {
            cli_print_summary(stdout, &an, (size_t)a.top);
            if (a.csv) printf("\nProfiles (%zu rows) written to %s\n", crm_result_rows(an.result), a.csv);
            if (a.jsonl) printf("\nProfiles (%zu rows) written to %s\n", crm_result_rows(an.result), a.jsonl);
            if (fflush(stdout) != 0) status = CLI_EXIT_OUTPUT;
        }
    }
    if (a.timing && status == CLI_EXIT_OK)
        fprintf(stderr,
                "crmkit: read %.3f s, analysis %.3f s, write %.3f s (%d threads; processor time %.3f, %.3f, "
                "%.3f s)\n",
                an.seconds[0], an.seconds[1], cli_seconds() - t0, a.common.threads, an.cpu[0], an.cpu[1],
                cli_cpu_seconds() - c0);
    cli_analysis_free(&an);
    free(columns);
    cli_common_free(&a.common);
    return status;
}

/* cli.h - the crmkit command: what its parts share. The inputs are loaded
 * (load.c) into the library's views, analysed (cli_analyze), and written
 * (writer.c, summary.c) by the subcommands (cmd_*.c); main.c dispatches. */
#ifndef CRMKIT_CLI_H
#define CRMKIT_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crmkit.h"
#include "ids.h"

/* Exit codes of every subcommand. */
enum {
    CLI_EXIT_OK = 0,     /* done */
    CLI_EXIT_FAILED = 1, /* the analysis or fit failed (no accepted record, bad rules, ...) */
    CLI_EXIT_USAGE = 2,  /* bad command line: unknown flag, missing or bad value */
    CLI_EXIT_INPUT = 3,  /* an input cannot be read or used: missing file or column, refused
                          * time column, a bad line or rejected record under --strict */
    CLI_EXIT_OUTPUT = 4  /* an output cannot be written */
};

/* The inputs, in the order of crm_input: index = CRM_INPUT_x - 1. */
#define CLI_INPUTS 3
/* The most columns an input has (customers: id and six attributes). */
#define CLI_SLOTS 8

/* How to read the inputs. */
typedef struct cli_load_options {
    const char *path[CLI_INPUTS];              /* NULL: not given; "-": standard input */
    const char *column[CLI_INPUTS][CLI_SLOTS]; /* the file's column of each field: a header name or a
                                                * 1-based position; NULL: by name or default position */
    char delimiter;                            /* 0: sniffed from the first lines */
    int header;                                /* 1 present, 0 absent, -1 decided from the first line */
    char decimal;                              /* '.' or ',' */
    int time_format;                           /* a time_format */
    int strict;                                /* stop at the first bad line */
    int quiet;                                 /* no notes on standard error */
} cli_load_options;

void cli_load_options_init(cli_load_options *o);

/* The fields an input has, in slot order (crm_field values), and how many. */
const int *cli_input_fields(int input, int *count);

/* Choose the column of a field: spec is "FIELD=COLUMN" or "INPUT.FIELD=COLUMN"
 * (FIELD a crm_field name such as customer_id, INPUT transactions,
 * interactions or customers; transactions when not given). 1 on success, 0
 * with a sentence in err. */
int cli_load_set_column(cli_load_options *o, const char *spec, char *err, size_t errlen);

/* What was read of one input. */
typedef struct cli_input_stats {
    const char *path;
    long lines;     /* data lines read, malformed included */
    long malformed; /* lines that could not be read (reported as file:line: reason) */
    int decimals;   /* most digits after the decimal mark among the amounts (transactions) */
} cli_input_stats;

typedef struct cli_loaded cli_loaded; /* the loaded columns */

/* The loaded inputs as the library's views. */
typedef struct cli_data {
    crm_transactions transactions;
    crm_interactions interactions;
    crm_customers customers;
    int has[CLI_INPUTS];
    cli_input_stats stats[CLI_INPUTS];
    cli_ids *ids; /* the customers' labels when an id was not an integer, else NULL */
    cli_loaded *loaded;
} cli_data;

/* Load the inputs of o. day_offset: the calendar of times without an offset.
 * Reports problems on standard error; returns an exit code. */
int cli_load(const cli_load_options *o, int64_t day_offset, cli_data *data);
void cli_data_free(cli_data *data);

/* The file and line of record `record` of an input (for the library's
 * strict-validation errors); 0 when not known. */
long cli_data_line(const cli_data *data, int input, int64_t record);

/* The analysis of loaded inputs: what `analyze` writes and `report` draws. */
typedef struct cli_analysis {
    crm_result *result;
    const char *const *labels; /* the customers' ids as the files wrote them, row-aligned with
                                * result; NULL when every id was an integer */
    cli_data data;
    double seconds[2]; /* wall-clock seconds reading the inputs and analysing them */
    double cpu[2];     /* processor seconds of the same, every thread counted */
} cli_analysis;

/* Load the inputs of o and analyse them with cfg (threads and options set).
 * Reports problems on standard error; returns an exit code, and on
 * CLI_EXIT_OK fills *out (cli_analysis_free). */
int cli_analyze(const cli_load_options *o, crm_config *cfg, cli_analysis *out);
void cli_analysis_free(cli_analysis *a);

/* Print "crmkit: what: message" for a library error on standard error,
 * naming the input file and line of a bad record when data is given. */
void cli_report_error(const char *what, const crm_error *err, const cli_data *data);

/* Progress on standard error for runs longer than a second when it is a
 * terminal (progress.c). */
void cli_progress_enable(int enabled);
/* A stage ("reading", path) of total units (0: unknown), and how many are done. */
void cli_progress_stage(const char *verb, const char *what, uint64_t total);
void cli_progress_update(uint64_t done);
/* Have the library's analysis stages and model fits made with config show as progress. */
void cli_progress_attach(crm_config *config);
void cli_progress_clear(void);
double cli_seconds(void);     /* a monotonic clock */
double cli_cpu_seconds(void); /* processor time of the process, every thread counted */

/* The summary of an analysis (summary.c): record accounting, cut points,
 * groups, flags, figures, models, the top customers and the call list. */
void cli_print_summary(FILE *out, const cli_analysis *a, size_t top);

/* Subcommands (cmd_*.c): argv[0] is the subcommand's name. */
int cli_cmd_analyze(int argc, char **argv);
int cli_cmd_fit(int argc, char **argv);
int cli_cmd_options(int argc, char **argv);
int cli_cmd_report(int argc, char **argv);
int cli_cmd_update(int argc, char **argv);

/* The number of processors online (at least 1). */
int cli_cpu_count(void);

#endif /* CRMKIT_CLI_H */

/* args.h - command-line parsing for the subcommands: options described by
 * tables (which also make the --help text), long options as --name VALUE or
 * --name=VALUE, short ones as -x VALUE, "--" ending the options, and the
 * option groups every subcommand that reads inputs shares. */
#ifndef CRMKIT_CLI_ARGS_H
#define CRMKIT_CLI_ARGS_H

#include <stddef.h>
#include <stdio.h>

#include "cli.h"

typedef struct cli_option {
    int id;            /* > 0; 0 ends a table */
    const char *name;  /* long name, without "--" */
    char short_name;   /* 0: none */
    const char *value; /* the value's name in the help ("FILE"); NULL for a flag */
    const char *help;
} cli_option;

typedef struct cli_group {
    const char *title;
    const cli_option *options;
} cli_group; /* a table of groups ends with a NULL title */

/* Ids of the shared options; subcommands number theirs from CLI_OPT_OWN. */
enum {
    CLI_OPT_HELP = 1,
    CLI_OPT_INTERACTIONS = 10,
    CLI_OPT_CUSTOMERS,
    CLI_OPT_CUSTOMER,
    CLI_OPT_TIME,
    CLI_OPT_AMOUNT,
    CLI_OPT_COST,
    CLI_OPT_DISCOUNT,
    CLI_OPT_COLUMN,
    CLI_OPT_DELIMITER,
    CLI_OPT_HEADER,
    CLI_OPT_NO_HEADER,
    CLI_OPT_TIME_FORMAT,
    CLI_OPT_DECIMAL_COMMA,
    CLI_OPT_STRICT,
    CLI_OPT_AS_OF = 40,
    CLI_OPT_SET,
    CLI_OPT_THREADS,
    CLI_OPT_OWN = 100
};

extern const cli_option cli_files_options[]; /* --interactions, --customers */
extern const cli_option
    cli_reading_options[]; /* columns, delimiter, header, time format, decimal comma, strict */
extern const cli_option cli_analysis_options[]; /* --as-of, --set, --threads */

/* What the shared options set. */
typedef struct cli_common {
    cli_load_options load;
    crm_config *config;
    const char *as_of;
    int threads;
} cli_common;

/* A fresh configuration and defaults; 0 when memory runs out. */
int cli_common_init(cli_common *c);
void cli_common_free(cli_common *c);
/* Handle a shared option: -1 when id is not one, else 0 or an exit code
 * (with the message printed). */
int cli_common_option(cli_common *c, const char *command, int id, const char *value);
/* After every option: --as-of in the calendar of day_offset, and threads.
 * 0 or an exit code. */
int cli_common_finish(cli_common *c, const char *command);

/* Parse argv[1..argc-1]. handle(ctx, id, value) returns 0 to go on, or an
 * exit code to stop with; positional arguments go to pos (at most maxpos,
 * *npos set). Returns 0, or the exit code of a bad command line (reported)
 * or of a handler. */
typedef int (*cli_handler)(void *ctx, int id, const char *value);
int cli_parse_args(int argc, char **argv, const cli_group *groups, cli_handler handle, void *ctx,
                   const char **pos, int *npos, int maxpos);

/* The help of a subcommand: usage line, description, the groups' options,
 * and closing text. */
void cli_print_help(FILE *out, const char *usage, const char *about, const cli_group *groups,
                    const char *more);

/* A count from the command line (digits only, at most max). 1 on success. */
int cli_parse_count(const char *text, long max, long *out);

#endif /* CRMKIT_CLI_ARGS_H */

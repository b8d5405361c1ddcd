/* main.c - the crmkit command: dispatch to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"analyze", cli_cmd_analyze,
     "profile every customer of transaction exports: CSV, JSON Lines, a table, a summary"},
    {"report", cli_cmd_report, "draw the customer base in one self-contained HTML page"},
    {"update", cli_cmd_update,
     "the nightly close: add the day's records to a stored state, write the profiles"},
    {"fit", cli_cmd_fit,
     "fit a customer-value model to a summary or a transaction file, with a holdout check"},
    {"options", cli_cmd_options, "list the library's options: type, default, bounds and meaning"},
};
enum { NCOMMANDS = sizeof commands / sizeof *commands };

static void version(void) {
    printf("crmkit %s\n", crm_version_string());
    printf("library %s (API %d), threads %s\n", crm_version_string(), crm_version(),
           crm_threads_available() ? "available" : "not built in");
}

static void usage(FILE *out) {
    fprintf(out,
            "usage: crmkit COMMAND [OPTIONS] [FILES]\n"
            "       crmkit --version | --help | help COMMAND\n\n"
            "Customer analytics on exports: RFM, value tiers, lifecycle, churn flags, health and CLV.\n\n"
            "Commands:\n");
    for (int i = 0; i < NCOMMANDS; i++) fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'crmkit COMMAND --help' describes a command's options.\n"
                 "Exit codes: 0 done, 1 analysis failed, 2 bad command line, 3 unusable input,\n"
                 "4 output not written.\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0 || strcmp(name, "version") == 0) {
        version();
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return CLI_EXIT_OK;
        }
        for (int i = 0; i < NCOMMANDS; i++)
            if (strcmp(argv[2], commands[i].name) == 0) {
                char help[] = "--help";
                char *args[] = {argv[2], help, NULL};
                return commands[i].run(2, args);
            }
        fprintf(stderr, "crmkit: no command '%s' (crmkit --help lists them)\n", argv[2]);
        return CLI_EXIT_USAGE;
    }
    for (int i = 0; i < NCOMMANDS; i++)
        if (strcmp(name, commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "crmkit: no command '%s' (crmkit --help lists them)\n", name);
    return CLI_EXIT_USAGE;
}

/* args.c - see args.h. */
#include "args.h"

#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "number.h"
#include "timefmt.h"

const cli_option cli_files_options[] = {
    {CLI_OPT_INTERACTIONS, "interactions", 0, "FILE",
     "interactions: customer_id, time, kind[, value, ref, purpose]; kinds and purposes by name "
     "(call_in, complaint, ...; value, relationship, action)"},
    {CLI_OPT_CUSTOMERS, "customers", 0, "FILE",
     "customer attributes: customer_id[, birthday, relationship_start, money, authority, need, targeted]"},
    {0, NULL, 0, NULL, NULL}};

const cli_option cli_reading_options[] = {
    {CLI_OPT_CUSTOMER, "customer", 0, "COL",
     "the transactions' customer id column: a header name or a number"},
    {CLI_OPT_TIME, "time", 0, "COL", "their time column"},
    {CLI_OPT_AMOUNT, "amount", 0, "COL", "their amount column"},
    {CLI_OPT_COST, "cost", 0, "COL", "their cost column (optional)"},
    {CLI_OPT_DISCOUNT, "discount", 0, "COL", "their discount column (optional)"},
    {CLI_OPT_COLUMN, "column", 0, "[INPUT.]FIELD=COL",
     "any field's column, e.g. interactions.kind=Type (INPUT: transactions, interactions, customers)"},
    {CLI_OPT_DELIMITER, "delimiter", 'd', "D",
     "comma, semicolon, tab, pipe, blanks (runs of spaces or tabs) or one character; default: sniffed"},
    {CLI_OPT_HEADER, "header", 0, NULL, "the first line is a header (default: decided from the first line)"},
    {CLI_OPT_NO_HEADER, "no-header", 0, NULL, "the first line is data; columns are then numbers"},
    {CLI_OPT_TIME_FORMAT, "time-format", 't', "F",
     "auto (epoch seconds or ISO dates/date-times, the default), epoch, epoch_ms, iso, YYYYMMDD, "
     "DD/MM/YYYY, MM/DD/YYYY; times without an offset are in the day_offset calendar"},
    {CLI_OPT_DECIMAL_COMMA, "decimal-comma", 0, NULL,
     "amounts and values are written with a decimal comma (12,50)"},
    {CLI_OPT_STRICT, "strict", 0, NULL,
     "stop at the first bad line or rejected record (exit 3) instead of reporting, counting and skipping it"},
    {0, NULL, 0, NULL, NULL}};

const cli_option cli_analysis_options[] = {
    {CLI_OPT_AS_OF, "as-of", 0, "DATE",
     "analyse as of the end of that day (or that date-time); default: the latest transaction's day"},
    {CLI_OPT_SET, "set", 0, "NAME=VALUE",
     "set a library option (crmkit options lists them: ties=ntile, model=bgnbd, day_offset=3600, ...); "
     "repeatable"},
    {CLI_OPT_THREADS, "threads", 'j', "N",
     "threads of the analysis and the writers (default: the processors online)"},
    {0, NULL, 0, NULL, NULL}};

int cli_parse_count(const char *text, long max, long *out) {
    uint64_t v;
    if (!num_parse_u64(text, strlen(text), 0, &v) || v > (uint64_t)max) return 0;
    *out = (long)v;
    return 1;
}

int cli_common_init(cli_common *c) {
    memset(c, 0, sizeof *c);
    cli_load_options_init(&c->load);
    c->threads = cli_cpu_count();
    crm_error err;
    if (crm_config_create(NULL, &c->config, &err) != CRM_STATUS_OK) {
        fprintf(stderr, "crmkit: %s\n", err.message);
        return 0;
    }
    return 1;
}

void cli_common_free(cli_common *c) {
    crm_config_free(c->config);
    c->config = NULL;
}

static int usage_error(const char *command, const char *fmt, const char *a, const char *b) {
    fprintf(stderr, "crmkit %s: ", command);
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\n");
    return CLI_EXIT_USAGE;
}

int cli_common_option(cli_common *c, const char *command, int id, const char *value) {
    char err[256];
    switch (id) {
    case CLI_OPT_INTERACTIONS: c->load.path[CRM_INPUT_INTERACTIONS - 1] = value; return 0;
    case CLI_OPT_CUSTOMERS: c->load.path[CRM_INPUT_CUSTOMERS - 1] = value; return 0;
    case CLI_OPT_CUSTOMER:
    case CLI_OPT_TIME:
    case CLI_OPT_AMOUNT:
    case CLI_OPT_COST:
    case CLI_OPT_DISCOUNT: c->load.column[0][id - CLI_OPT_CUSTOMER] = value; return 0;
    case CLI_OPT_COLUMN:
        if (!cli_load_set_column(&c->load, value, err, sizeof err))
            return usage_error(command, "--column: %s%s", err, "");
        return 0;
    case CLI_OPT_DELIMITER:
        c->load.delimiter = csv_delimiter_from_name(value);
        if (c->load.delimiter == 0)
            return usage_error(
                command, "--delimiter: '%s' is not comma, semicolon, tab, pipe, blanks or one character%s",
                value, "");
        return 0;
    case CLI_OPT_HEADER: c->load.header = 1; return 0;
    case CLI_OPT_NO_HEADER: c->load.header = 0; return 0;
    case CLI_OPT_TIME_FORMAT:
        c->load.time_format = time_format_from_name(value);
        if (c->load.time_format < 0)
            return usage_error(
                command,
                "--time-format: '%s' is not auto, epoch, epoch_ms, iso, YYYYMMDD, DD/MM/YYYY or "
                "MM/DD/YYYY%s",
                value, "");
        return 0;
    case CLI_OPT_DECIMAL_COMMA: c->load.decimal = ','; return 0;
    case CLI_OPT_STRICT: c->load.strict = 1; return 0;
    case CLI_OPT_AS_OF: c->as_of = value; return 0;
    case CLI_OPT_SET: {
        char name[128];
        crm_error e;
        const char *eq = strchr(value, '=');
        if (eq == NULL || eq == value || (size_t)(eq - value) >= sizeof name)
            return usage_error(command, "--set needs NAME=VALUE, not '%s'%s", value, "");
        memcpy(name, value, (size_t)(eq - value));
        name[eq - value] = '\0';
        if (crm_config_set_text(c->config, name, eq + 1, &e) != CRM_STATUS_OK)
            return usage_error(command, "--set %s: %s", value, e.message);
        if (strcmp(name, "validation") == 0 && strcmp(eq + 1, "strict") == 0) c->load.strict = 1;
        return 0;
    }
    case CLI_OPT_THREADS: {
        long n;
        if (!cli_parse_count(value, 256, &n) || n < 1)
            return usage_error(command, "--threads needs a number from 1 to 256, not '%s'%s", value, "");
        c->threads = (int)n;
        return 0;
    }
    default: return -1;
    }
}

int cli_common_finish(cli_common *c, const char *command) {
    crm_error err;
    if (c->load.strict &&
        crm_config_set_int(c->config, CRM_OPTION_VALIDATION, CRM_VALIDATION_STRICT, &err) != 0)
        return usage_error(command, "--strict: %s%s", err.message, "");
    if (crm_config_set_int(c->config, CRM_OPTION_THREADS, c->threads, &err) != CRM_STATUS_OK)
        return usage_error(command, "--threads: %s%s", err.message, "");
    if (c->as_of != NULL) {
        int64_t offset = 0, t = 0;
        int32_t day = 0;
        crm_config_get_int(c->config, CRM_OPTION_DAY_OFFSET, &offset, NULL);
        const size_t len = strlen(c->as_of);
        const int fmt = c->load.time_format;
        if (strpbrk(c->as_of, "T :") == NULL &&
            (time_parse_day(TIME_ISO, c->as_of, len, &day) || time_parse_day(fmt, c->as_of, len, &day)))
            t = ((int64_t)day + 1) * 86400 - 1 - offset; /* the end of that day */
        else if (!time_parse(TIME_ISO, offset, c->as_of, len, &t, NULL) &&
                 !time_parse(fmt, offset, c->as_of, len, &t, NULL))
            return usage_error(command, "--as-of needs a date (YYYY-MM-DD) or a date-time, not '%s'%s",
                               c->as_of, "");
        if (crm_config_set_int(c->config, CRM_OPTION_AS_OF, t, &err) != CRM_STATUS_OK)
            return usage_error(command, "--as-of %s: %s", c->as_of, err.message);
    }
    return 0;
}

static const cli_option *find_long(const cli_group *groups, const char *name, size_t len) {
    for (const cli_group *g = groups; g->title != NULL; g++)
        for (const cli_option *o = g->options; o->id != 0; o++)
            if (strlen(o->name) == len && strncmp(o->name, name, len) == 0) return o;
    return NULL;
}

static const cli_option *find_short(const cli_group *groups, char c) {
    for (const cli_group *g = groups; g->title != NULL; g++)
        for (const cli_option *o = g->options; o->id != 0; o++)
            if (o->short_name == c) return o;
    return NULL;
}

int cli_parse_args(int argc, char **argv, const cli_group *groups, cli_handler handle, void *ctx,
                   const char **pos, int *npos, int maxpos) {
    const char *command = argv[0];
    int options_done = 0;
    *npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const cli_option *o = NULL;
        const char *value = NULL;
        if (options_done || a[0] != '-' || a[1] == '\0') {
            if (*npos >= maxpos)
                return usage_error(command, "too many file arguments ('%s'); see crmkit %s --help", a,
                                   command);
            pos[(*npos)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            options_done = 1;
            continue;
        }
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            o = find_long(groups, a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
            if (o != NULL && eq != NULL) {
                if (o->value == NULL) return usage_error(command, "--%s takes no value%s", o->name, "");
                value = eq + 1;
            }
        } else if (a[2] == '\0') {
            o = find_short(groups, a[1]);
        }
        if (o == NULL)
            return usage_error(command, "unknown option %s (crmkit %s --help lists them)", a, command);
        if (o->value != NULL && value == NULL) {
            if (i + 1 >= argc) return usage_error(command, "--%s needs a value (%s)", o->name, o->value);
            value = argv[++i];
        }
        const int status = handle(ctx, o->id, value);
        if (status != 0) return status;
    }
    return 0;
}

/* Text wrapped at 100 columns, continuation lines indented by indent; a
 * line break in the text starts a new line (two make an empty one). */
static void wrap(FILE *out, const char *text, int column, int indent) {
    const int width = 100;
    const char *p = text;
    while (*p) {
        const char *end = p, *brk = NULL;
        while (*end && *end != '\n' && column + (end - p) < width) {
            if (*end == ' ') brk = end;
            end++;
        }
        if (*end && *end != '\n' && brk != NULL) end = brk;
        fprintf(out, "%.*s\n", (int)(end - p), p);
        p = end;
        if (*p == '\n') {
            p++;
            while (*p == '\n') {
                fputc('\n', out);
                p++;
            }
        } else {
            while (*p == ' ') p++;
        }
        if (*p) fprintf(out, "%*s", indent, "");
        column = indent;
    }
}

void cli_print_help(FILE *out, const char *usage, const char *about, const cli_group *groups,
                    const char *more) {
    fprintf(out, "usage: %s\n\n", usage);
    if (about) {
        wrap(out, about, 0, 0);
        fputc('\n', out);
    }
    for (const cli_group *g = groups; g->title != NULL; g++) {
        fprintf(out, "%s:\n", g->title);
        for (const cli_option *o = g->options; o->id != 0; o++) {
            char left[64];
            int n = snprintf(left, sizeof left, "  %s%c%s--%s%s%s", o->short_name ? "-" : "",
                             o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ", o->name,
                             o->value ? " " : "", o->value ? o->value : "");
            if (!o->short_name)
                n = snprintf(left, sizeof left, "      --%s%s%s", o->name, o->value ? " " : "",
                             o->value ? o->value : "");
            if (n > 28) {
                fprintf(out, "%s\n%30s", left, "");
            } else {
                fprintf(out, "%-30s", left);
            }
            wrap(out, o->help, 30, 30);
        }
        fputc('\n', out);
    }
    if (more) wrap(out, more, 0, 0);
}

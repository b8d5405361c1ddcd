/* cmd_options.c - `crmkit options`: every option of the library with its
 * type, default, bounds and meaning, read from the library's own table. */
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "number.h"
#include "writer.h"

enum { OPT_CSV = CLI_OPT_OWN, OPT_JSON };

static const cli_option own_options[] = {
    {OPT_CSV, "csv", 0, NULL, "print CSV: name,type,default,min,max,values,description"},
    {OPT_JSON, "json", 0, NULL, "print one JSON object per option (JSON Lines)"},
    {CLI_OPT_HELP, "help", 'h', NULL, "show this help"},
    {0, NULL, 0, NULL, NULL}};
static const cli_group groups[] = {{"Options", own_options}, {NULL, NULL}};

typedef struct options_args {
    int format; /* 0 text, 1 csv, 2 json */
    int help;
} options_args;

static int handle(void *ctx, int id, const char *value) {
    options_args *a = ctx;
    (void)value;
    if (id == CLI_OPT_HELP) a->help = 1;
    if (id == OPT_CSV) a->format = 1;
    if (id == OPT_JSON) a->format = 2;
    return 0;
}

/* A bound or default as text: shortest decimal; "unset" for NaN, "-inf"/"inf" beyond any value. */
static const char *number_text(double v, char *buf) {
    if (v != v) return "unset";
    buf[num_write_shortest(buf, v)] = '\0';
    return buf;
}

/* The value names of an enum option, joined by sep into buf. */
static const char *values_text(int option, char *buf, size_t size, const char *sep) {
    const int e = crm_option_enum(option);
    size_t used = 0;
    buf[0] = '\0';
    for (int32_t v = 0; e != CRM_ENUM_NONE && v < crm_enum_count(e); v++) {
        const char *name = crm_enum_name(e, v);
        if (name == NULL) continue;
        const int n = snprintf(buf + used, size - used, "%s%s", used ? sep : "", name);
        if (n < 0 || (size_t)n >= size - used) break;
        used += (size_t)n;
    }
    return buf;
}

/* key (raw JSON text before the value) and a JSON string. */
static void put_json(cli_sink *out, const char *key, const char *text) {
    cli_sink_write(out, key, strlen(key));
    cli_sink_json_text(out, text, strlen(text));
}

static const char *default_text(int option, double def, char *buf) {
    const int e = crm_option_enum(option);
    if (e != CRM_ENUM_NONE && def == def) {
        const char *name = crm_enum_name(e, (int32_t)def);
        if (name) return name;
    }
    return number_text(def, buf);
}

int cli_cmd_options(int argc, char **argv) {
    options_args a = {0, 0};
    const char *names[256];
    int nnames = 0;
    int status = cli_parse_args(argc, argv, groups, handle, &a, names, &nnames, 256);
    if (status != 0) return status;
    if (a.help) {
        cli_print_help(
            stdout, "crmkit options [--csv | --json] [NAME...]",
            "Every option of the library (or the named ones): its type, default, bounds, values and "
            "meaning. Set them with --set NAME=VALUE in analyze and fit.",
            groups, "Exit codes: 0 done; 2 an unknown option name.\n");
        return CLI_EXIT_OK;
    }
    const int32_t count = crm_enum_count(CRM_ENUM_OPTION);
    int32_t *list = malloc((size_t)(nnames ? nnames : count) * sizeof *list);
    if (list == NULL) return CLI_EXIT_FAILED;
    for (int i = 0; i < nnames; i++) {
        list[i] = crm_enum_value(CRM_ENUM_OPTION, names[i]);
        if (list[i] < 0) {
            fprintf(stderr, "crmkit options: no option is named '%s'\n", names[i]);
            free(list);
            return CLI_EXIT_USAGE;
        }
    }
    const int n = nnames ? nnames : count;
    if (!nnames)
        for (int32_t o = 0; o < count; o++) list[o] = o;
    cli_sink out;
    char err[64];
    if (!cli_sink_open(&out, "-", err, sizeof err)) {
        free(list);
        return CLI_EXIT_OUTPUT;
    }
    if (a.format == 1) {
        const char *header = "name,type,default,min,max,values,description\n";
        cli_sink_write(&out, header, strlen(header));
    }
    for (int i = 0; i < n; i++) {
        const int o = list[i];
        double def = 0, lo = 0, hi = 0;
        char dbuf[NUM_MAX + 1], lbuf[NUM_MAX + 1], hbuf[NUM_MAX + 1], values[512], line[2048];
        crm_option_default(o, &def, NULL);
        crm_option_bounds(o, &lo, &hi, NULL);
        const char *name = crm_enum_name(CRM_ENUM_OPTION, o);
        const char *type = crm_enum_name(CRM_ENUM_OPTION_TYPE, crm_option_type_of(o));
        const char *desc = crm_enum_description(CRM_ENUM_OPTION, o);
        const int is_enum = crm_option_enum(o) != CRM_ENUM_NONE;
        if (!desc) desc = "";
        if (a.format == 1) {
            const char *fields[7] = {name,
                                     type,
                                     default_text(o, def, dbuf),
                                     is_enum ? "" : number_text(lo, lbuf),
                                     is_enum ? "" : number_text(hi, hbuf),
                                     values_text(o, values, sizeof values, "|"),
                                     desc};
            for (int f = 0; f < 7; f++) {
                if (f) cli_sink_write(&out, ",", 1);
                cli_sink_csv_text(&out, fields[f], strlen(fields[f]), ',');
            }
            cli_sink_write(&out, "\n", 1);
            continue;
        }
        int len;
        if (a.format == 2) {
            put_json(&out, "{\"name\":", name);
            put_json(&out, ",\"type\":", type);
            if (is_enum) {
                put_json(&out, ",\"default\":", default_text(o, def, dbuf));
                cli_sink_write(&out, ",\"values\":[", 11);
                for (int32_t v = 0, first = 1; v < crm_enum_count(crm_option_enum(o)); v++) {
                    const char *value = crm_enum_name(crm_option_enum(o), v);
                    if (value == NULL) continue;
                    put_json(&out, first ? "" : ",", value);
                    first = 0;
                }
                cli_sink_write(&out, "]", 1);
            } else {
                len = snprintf(line, sizeof line, ",\"default\":%s,\"min\":%s,\"max\":%s",
                               def == def ? number_text(def, dbuf) : "null", number_text(lo, lbuf),
                               number_text(hi, hbuf));
                cli_sink_write(&out, line, (size_t)len);
            }
            put_json(&out, ",\"description\":", desc);
            cli_sink_write(&out, "}\n", 2);
            continue;
        } else {
            char range[128];
            if (is_enum)
                snprintf(range, sizeof range, "one of: %s", values_text(o, values, sizeof values, ", "));
            else
                snprintf(range, sizeof range, "%s .. %s", number_text(lo, lbuf), number_text(hi, hbuf));
            len = snprintf(line, sizeof line, "%-26s %-5s default %-14s %s\n    %s\n", name, type,
                           default_text(o, def, dbuf), range, desc);
        }
        if (len > 0) cli_sink_write(&out, line, (size_t)len < sizeof line ? (size_t)len : sizeof line - 1);
    }
    free(list);
    return cli_sink_close(&out) ? CLI_EXIT_OK : CLI_EXIT_OUTPUT;
}

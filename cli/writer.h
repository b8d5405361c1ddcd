/* writer.h - the profiles (the result table) written as CSV, as JSON Lines
 * or as a table for the terminal: buffered output, numbers written by
 * number.c, rows formatted on several threads and written in order. */
#ifndef CRMKIT_CLI_WRITER_H
#define CRMKIT_CLI_WRITER_H

#include <stddef.h>
#include <stdio.h>

#include "crmkit.h"

/* A growing byte buffer, flushed to file (when there is one) as it fills. */
typedef struct cli_sink {
    FILE *file; /* NULL: memory only */
    int own;    /* close file at the end */
    char *buf;
    size_t len, cap;
    int failed; /* a write or an allocation failed */
} cli_sink;

/* Open path for writing ("-": standard output). 1, or 0 with a sentence in err. */
int cli_sink_open(cli_sink *s, const char *path, char *err, size_t errlen);
/* A sink in memory (file NULL); its bytes are s->buf[0 .. s->len). */
void cli_sink_memory(cli_sink *s);
void cli_sink_write(cli_sink *s, const void *data, size_t len);
/* Flush and close (or free, for memory). 1 when everything was written. */
int cli_sink_close(cli_sink *s);

typedef enum cli_format { CLI_FORMAT_CSV = 0, CLI_FORMAT_JSONL = 1, CLI_FORMAT_TABLE = 2 } cli_format;

typedef struct cli_write_options {
    const char *const *labels; /* row-aligned customer labels, or NULL: the numeric ids */
    int money_decimals;        /* decimals of the input amounts; -1: none known */
    const int *columns;        /* crm_column ids to write, in order; NULL: every column of the result */
    size_t ncolumns;
    int threads;    /* formatting threads (1: the calling thread only) */
    char delimiter; /* CSV: ',' by default (0) */
} cli_write_options;

/* Parse a comma-separated list of column names. 1 with *columns (free())
 * and *n, or 0 with a sentence in err. */
int cli_parse_columns(const char *list, int **columns, size_t *n, char *err, size_t errlen);

/* The columns a terminal table shows by default (of those the result has). */
extern const int cli_table_columns[];
extern const size_t cli_table_ncolumns;

/* Write every row of res in the format. 1 on success, 0 with a sentence in
 * err (a requested column missing from the result, memory, writing). */
int cli_write_result(cli_sink *s, cli_format format, const crm_result *res, const cli_write_options *o,
                     char *err, size_t errlen);

/* Write a result's rows to path ("-": standard output) in format, with
 * progress; problems reported on standard error. An exit code (usage for a
 * column the result does not have, output for a write failure). */
int cli_write_profiles(const char *path, cli_format format, const crm_result *res,
                       const cli_write_options *wo);

/* A JSON string of len bytes: escaped, bytes that are not UTF-8 written as
 * the Latin-1 character of the same number. */
void cli_sink_json_text(cli_sink *s, const char *text, size_t len);

/* A CSV field: quoted when it holds the delimiter, a quote or a line break. */
void cli_sink_csv_text(cli_sink *s, const char *text, size_t len, char delimiter);

#endif /* CRMKIT_CLI_WRITER_H */

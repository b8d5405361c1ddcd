/* csv.h - reading delimited text files as real exports come: comma,
 * semicolon, tab, pipe or blank-separated (sniffed from the first lines when
 * not given), fields quoted with '"' (delimiters, doubled quotes and line
 * breaks inside), LF, CRLF or CR line ends, a UTF-8 byte order mark, blank
 * lines, and bytes of any encoding. The file is read in big blocks and split
 * in place: a record's fields point into the reader's buffer. */
#ifndef CRMKIT_CLI_CSV_H
#define CRMKIT_CLI_CSV_H

#include <stddef.h>
#include <stdint.h>

/* The delimiter meaning "one or more blanks (spaces or tabs)", leading and
 * trailing blanks ignored. */
#define CSV_BLANKS ' '

/* Records longer than this are refused (the line is reported and skipped). */
#define CSV_MAX_RECORD ((size_t)64 << 20)

typedef struct csv_field {
    char *text; /* NUL-terminated, quotes removed; unquoted fields trimmed of blanks */
    size_t len;
    int quoted; /* the field was quoted in the file */
} csv_field;

typedef struct csv_reader csv_reader;

/* Status of csv_next. */
enum {
    CSV_RECORD = 1, /* a record: fields and count set */
    CSV_END = 0,    /* end of the input */
    CSV_BAD = -1,   /* a malformed record, skipped: csv_error() says why, csv_line() where */
    CSV_IO = -2     /* reading failed (csv_error()); the reader is done */
};

/* Open a file ("-": standard input) with the given delimiter, or sniff it
 * when delimiter is 0. Returns NULL with a sentence in err when the file
 * cannot be opened or read, or memory runs out. */
csv_reader *csv_open(const char *path, char delimiter, char *err, size_t errlen);

/* The same over a copy of len bytes of memory (tests, small inputs). */
csv_reader *csv_open_memory(const char *data, size_t len, char delimiter, char *err, size_t errlen);

/* The delimiter in use (CSV_BLANKS for blanks). */
char csv_delimiter(const csv_reader *r);
/* Whether the input began with a UTF-8 byte order mark (skipped). */
int csv_had_bom(const csv_reader *r);

/* The next record. Blank lines are skipped. On CSV_RECORD, *fields points to
 * *count fields, valid until the next call. */
int csv_next(csv_reader *r, csv_field **fields, size_t *count);

/* The 1-based line where the last record (or bad record) began. */
long csv_line(const csv_reader *r);
/* Why the last csv_next gave CSV_BAD or CSV_IO. */
const char *csv_error(const csv_reader *r);
/* Bytes consumed so far, and the input's size (0 when unknown), for progress. */
uint64_t csv_offset(const csv_reader *r);
uint64_t csv_size(const csv_reader *r);

void csv_close(csv_reader *r);

/* A delimiter named on the command line: one character, or "tab", "\t",
 * "space"/"blanks"/"whitespace", "comma", "semicolon", "pipe". 0 when the
 * name is not one of these. */
char csv_delimiter_from_name(const char *name);
/* The delimiter's name for messages: "comma", "tab", "blanks", ... or the character. */
const char *csv_delimiter_name(char delimiter);

#endif /* CRMKIT_CLI_CSV_H */

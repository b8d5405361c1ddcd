/* csv.c - see csv.h.
 *
 * A record without a quote is split in one pass over its line (found with
 * memchr), the common case of machine exports. A record with a quote goes
 * through a state machine twice: once to find where it ends (it may span
 * lines and blocks) without touching the buffer, then to split and unquote
 * it in place, so that a record cut by the end of a block can be retried
 * after the next read. */
#include "csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_BLOCK   ((size_t)4 << 20) /* bytes read at a time */
#define SNIFF_BYTES 65536
#define SNIFF_LINES 100
#define CLASS_SPLIT 1 /* ends an unquoted field */
#define CLASS_QUOTE 2

struct csv_reader {
    FILE *file;
    int own_file;
    char *buf;  /* bytes [pos, end) not yet consumed; buf[end] is always writable */
    size_t cap; /* allocated bytes */
    size_t pos, end;
    int eof;       /* nothing more to read */
    uint64_t base; /* offset in the input of buf[0] */
    uint64_t size;
    char delim;
    char eol; /* '\n', or '\r' for a file with CR line ends only */
    int bom;
    unsigned char cls[256];
    csv_field *fields;
    size_t fields_cap;
    long line;        /* the line of buf[pos] */
    long record_line; /* the line where the last record began */
    char error[200];
};

/* A word of eight bytes at a time, where bytes read as a little-endian word:
 * the bits of the bytes equal to a pattern's byte (the lowest set bit marks
 * the first such byte exactly). */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CSV_SWAR 1
#define ONES     0x0101010101010101ULL
static uint64_t bytes_equal(uint64_t v, uint64_t pattern) {
    const uint64_t x = v ^ pattern;
    return (x - ONES) & ~x & (ONES << 7);
}
#else
#define CSV_SWAR 0
#endif

static int is_blank(char c, char delim) { return c == ' ' || (c == '\t' && delim != '\t'); }

/* Read more input after what is left; 1 when bytes were added, 0 at the end, -1 on error. */
static int fill(csv_reader *r) {
    if (r->eof) return 0;
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->end - r->pos);
        r->base += r->pos;
        r->end -= r->pos;
        r->pos = 0;
    }
    if (r->cap - r->end < CSV_BLOCK / 4) {
        const size_t cap = r->cap * 2;
        char *buf = realloc(r->buf, cap);
        if (buf == NULL) {
            snprintf(r->error, sizeof r->error, "out of memory reading a record of %zu bytes", r->end);
            return -1;
        }
        r->buf = buf;
        r->cap = cap;
    }
    const size_t want = r->cap - r->end - 1;
    const size_t got = fread(r->buf + r->end, 1, want, r->file);
    r->end += got;
    r->buf[r->end] = '\0';
    if (got < want) {
        if (ferror(r->file)) {
            snprintf(r->error, sizeof r->error, "read error: %s", strerror(errno));
            return -1;
        }
        r->eof = 1;
    }
    return got > 0;
}

static int add_field(csv_reader *r, size_t n, char *text, size_t len, int quoted) {
    if (n == r->fields_cap) {
        const size_t cap = r->fields_cap ? r->fields_cap * 2 : 16;
        csv_field *f = realloc(r->fields, cap * sizeof *f);
        if (f == NULL) return 0;
        r->fields = f;
        r->fields_cap = cap;
    }
    r->fields[n].text = text;
    r->fields[n].len = len;
    r->fields[n].quoted = quoted;
    return 1;
}

enum { SPLIT_OK, SPLIT_QUOTED, SPLIT_NO_MEMORY };

/* Split the line [a, b) holding no quote. *count 0 for a blank line. */
static int split_plain(csv_reader *r, char *a, char *b, size_t *count) {
    const char d = r->delim;
    const int blanks = d == CSV_BLANKS;
    size_t n = 0;
    char *p = a;
    if (blanks) {
        while (p < b && (*p == ' ' || *p == '\t')) p++;
        if (p == b) {
            *count = 0;
            return SPLIT_OK;
        }
    }
#if CSV_SWAR
    const uint64_t delim = ONES * (unsigned char)(blanks ? ' ' : d), tab = ONES * '\t', quote = ONES * '"';
#endif
    for (;;) {
        char *start = p;
#if CSV_SWAR
        while (b - p >= 8) {
            uint64_t v;
            memcpy(&v, p, 8);
            uint64_t hit = bytes_equal(v, delim) | bytes_equal(v, quote);
            if (blanks) hit |= bytes_equal(v, tab);
            if (hit) {
                p += __builtin_ctzll(hit) >> 3;
                break;
            }
            p += 8;
        }
#endif
        while (p < b && !r->cls[(unsigned char)*p]) p++;
        if (p < b && r->cls[(unsigned char)*p] == CLASS_QUOTE) return SPLIT_QUOTED;
        char *stop = p;
        if (!blanks) {
            while (start < stop && is_blank(*start, d)) start++;
            while (stop > start && is_blank(stop[-1], d)) stop--;
        }
        if (!add_field(r, n, start, (size_t)(stop - start), 0)) return SPLIT_NO_MEMORY;
        n++;
        if (p == b) break;
        p++;
        if (blanks) {
            while (p < b && (*p == ' ' || *p == '\t')) p++;
            if (p == b) break;
        }
    }
    if (n == 1 && r->fields[0].len == 0) n = 0; /* a blank line */
    for (size_t i = 0; i < n; i++) r->fields[i].text[r->fields[i].len] = '\0';
    *count = n;
    return SPLIT_OK;
}

enum { SCAN_MORE, SCAN_DONE, SCAN_UNTERMINATED, SCAN_NO_MEMORY };

/* Run the quote-aware state machine over the record at pos. Without write,
 * only find its end: *next (offset after its line end) and *lines (line
 * ends consumed). With write, also split it into r->fields, unquoting in
 * place (the output never overtakes the input), and set *bad when text
 * follows a closing quote. */
static int scan_record(csv_reader *r, int write, size_t *next, long *lines, size_t *count, int *bad) {
    enum { START, UNQUOTED, QUOTED, AFTER_QUOTE } st = START;
    const char d = r->delim, eol = r->eol;
    const int blanks = d == CSV_BLANKS;
    char *p = r->buf + r->pos, *end = r->buf + r->end;
    char *out = p, *text = p, *last = p; /* write cursor, field start, end of its last non-blank */
    size_t n = 0;
    long nl = 0;
    int quoted = 0, at_eol = 0;
    *bad = 0;
    for (;;) {
        char c;
        if (p == end) {
            if (!r->eof) return SCAN_MORE;
            if (st == QUOTED) return SCAN_UNTERMINATED;
            at_eol = 1;
            c = eol;
        } else {
            c = *p;
        }
        if (!at_eol && c == eol && eol == '\n') at_eol = 1;
        if (!at_eol && c == '\r' && st != QUOTED) {
            if (eol == '\r') {
                at_eol = 1;
            } else if (p + 1 == end && !r->eof) {
                return SCAN_MORE;
            } else if (p + 1 < end && p[1] == '\n') {
                at_eol = 1;
                p++; /* the '\n' of CRLF ends the line below */
            }
        }
        if (at_eol && st == QUOTED) { /* a line break inside quotes is data */
            at_eol = 0;
            nl++;
            if (write) *out++ = *p;
            p++;
            continue;
        }
        const int is_delim = !at_eol && (blanks ? (c == ' ' || c == '\t') : c == d);
        const int ends_field =
            at_eol || (is_delim && st != QUOTED) || (blanks && st == AFTER_QUOTE && (c == ' ' || c == '\t'));
        if (ends_field && st != START) {
            if (write) {
                const size_t len = (size_t)((quoted ? out : last) - text);
                if (!add_field(r, n, text, len, quoted)) return SCAN_NO_MEMORY;
                text[len] = '\0';
                out = text + len + 1;
            }
            n++;
            st = START;
            quoted = 0;
            if (!at_eol) {
                p++;
                if (blanks) continue; /* START skips the rest of the blanks */
                text = last = out;
                continue;
            }
        } else if (ends_field) { /* START */
            if (at_eol) {
                /* an empty last field after a delimiter; nothing for blanks or an empty line */
                if (!blanks && n > 0) {
                    if (write) {
                        if (!add_field(r, n, out, 0, 0)) return SCAN_NO_MEMORY;
                        *out = '\0';
                    }
                    n++;
                }
            } else if (!blanks) { /* an empty field */
                if (write) {
                    if (!add_field(r, n, out, 0, 0)) return SCAN_NO_MEMORY;
                    *out++ = '\0';
                }
                n++;
                p++;
                text = last = out;
                continue;
            } else {
                p++;
                continue;
            }
        }
        if (at_eol) {
            nl++;
            *next = p == end ? r->end : (size_t)(p + 1 - r->buf);
            if (n == 1 && write && r->fields[0].len == 0 && !r->fields[0].quoted) n = 0;
            *lines = nl;
            *count = n;
            return SCAN_DONE;
        }
        switch (st) {
        case START:
            if (is_blank(c, blanks ? '\0' : d)) break; /* leading blanks */
            text = last = out;
            if (c == '"') {
                st = QUOTED;
                quoted = 1;
                break;
            }
            st = UNQUOTED;
            if (write) *out++ = c;
            last = out;
            break;
        case UNQUOTED:
            if (write) *out++ = c;
            if (!is_blank(c, d)) last = out;
            break;
        case QUOTED:
            if (c == '"')
                st = AFTER_QUOTE;
            else if (write)
                *out++ = c;
            break;
        case AFTER_QUOTE:
            if (c == '"') { /* a doubled quote */
                if (write) *out++ = c;
                st = QUOTED;
            } else if (!is_blank(c, d)) { /* text after the closing quote: kept, reported */
                *bad = 1;
                if (write) *out++ = c;
                st = UNQUOTED;
                quoted = 0;
                last = out;
            }
            break;
        }
        p++;
    }
}

/* Skip the rest of the line at pos (after a bad record); reads on as needed. */
static int skip_line(csv_reader *r) {
    for (;;) {
        char *nl = memchr(r->buf + r->pos, r->eol, r->end - r->pos);
        if (nl != NULL) {
            r->pos = (size_t)(nl + 1 - r->buf);
            r->line++;
            return 1;
        }
        r->pos = r->end;
        const int f = fill(r);
        if (f < 0) return -1;
        if (f == 0) return 1;
    }
}

int csv_next(csv_reader *r, csv_field **fields, size_t *count) {
    for (;;) {
        if (r->pos >= r->end) {
            const int f = fill(r);
            if (f < 0) return CSV_IO;
            if (f == 0 && r->pos >= r->end) return CSV_END;
        }
        char *a = r->buf + r->pos;
        const size_t avail = r->end - r->pos;
        char *nl = memchr(a, r->eol, avail);
        if (nl == NULL && !r->eof) {
            if (avail > CSV_MAX_RECORD) {
                r->record_line = r->line;
                snprintf(r->error, sizeof r->error, "a line longer than %zu MiB", CSV_MAX_RECORD >> 20);
                if (skip_line(r) < 0) return CSV_IO;
                return CSV_BAD;
            }
            if (fill(r) < 0) return CSV_IO;
            continue;
        }
        char *b = nl != NULL ? nl : r->buf + r->end;
        if (r->eol == '\n' && b > a && b[-1] == '\r') b--;
        r->record_line = r->line;
        size_t n = 0;
        const int split = split_plain(r, a, b, &n);
        if (split == SPLIT_NO_MEMORY) {
            snprintf(r->error, sizeof r->error, "out of memory");
            return CSV_IO;
        }
        if (split == SPLIT_OK) {
            r->pos = nl != NULL ? (size_t)(nl + 1 - r->buf) : r->end;
            r->line++;
            if (n == 0) continue;
            *fields = r->fields;
            *count = n;
            return CSV_RECORD;
        }
        size_t next = 0;
        long lines = 0;
        int bad = 0;
        const int scan = scan_record(r, 0, &next, &lines, &n, &bad);
        if (scan == SCAN_MORE) {
            if (r->end - r->pos > CSV_MAX_RECORD) {
                snprintf(r->error, sizeof r->error, "a quoted field runs on for more than %zu MiB",
                         CSV_MAX_RECORD >> 20);
                if (skip_line(r) < 0) return CSV_IO;
                return CSV_BAD;
            }
            if (fill(r) < 0) return CSV_IO;
            continue;
        }
        if (scan == SCAN_UNTERMINATED) {
            snprintf(r->error, sizeof r->error, "a quote opened on this line is never closed");
            if (skip_line(r) < 0) return CSV_IO;
            return CSV_BAD;
        }
        if (scan_record(r, 1, &next, &lines, &n, &bad) == SCAN_NO_MEMORY) {
            snprintf(r->error, sizeof r->error, "out of memory");
            return CSV_IO;
        }
        r->pos = next;
        r->line += lines;
        if (bad) {
            snprintf(r->error, sizeof r->error, "text after a closing quote");
            return CSV_BAD;
        }
        if (n == 0) continue;
        *fields = r->fields;
        *count = n;
        return CSV_RECORD;
    }
}

/* Delimiter counts outside quotes on the first lines; the delimiter that
 * is on every line, preferring one whose count never changes, then tab,
 * semicolon (files with decimal commas), comma, pipe; blanks when none is
 * and the lines have blank-separated words; else comma. */
static char sniff(const csv_reader *r) {
    static const char candidates[] = {'\t', ';', ',', '|'};
    enum { NC = sizeof candidates };
    long every[NC], count0[NC];
    int steady[NC];
    int lines = 0, worded = 1;
    const char *p = r->buf + r->pos;
    const char *end = r->buf + (r->end - r->pos > SNIFF_BYTES ? r->pos + SNIFF_BYTES : r->end);
    for (int i = 0; i < NC; i++) every[i] = 1, steady[i] = 1, count0[i] = -1;
    while (p < end && lines < SNIFF_LINES) {
        const char *nl = memchr(p, r->eol, (size_t)(end - p));
        if (nl == NULL && !(r->eof && end == r->buf + r->end)) break; /* a partial last line */
        const char *stop = nl != NULL ? nl : end;
        long counts[NC] = {0};
        int quoted = 0, nonblank = 0, words = 0, in_word = 0;
        for (const char *q = p; q < stop; q++) {
            const char c = *q;
            if (c == '"') quoted = !quoted;
            if (c != ' ' && c != '\t' && c != '\r') {
                nonblank = 1;
                if (!in_word && !quoted) words++;
                in_word = 1;
            } else if (!quoted) {
                in_word = 0;
            }
            if (quoted) continue;
            for (int i = 0; i < NC; i++) counts[i] += c == candidates[i];
        }
        p = stop + 1;
        if (!nonblank) continue;
        lines++;
        if (words < 2) worded = 0;
        for (int i = 0; i < NC; i++) {
            if (counts[i] == 0) every[i] = 0;
            if (count0[i] < 0) count0[i] = counts[i];
            if (counts[i] != count0[i]) steady[i] = 0;
        }
    }
    if (lines == 0) return ',';
    for (int want_steady = 1; want_steady >= 0; want_steady--)
        for (int i = 0; i < NC; i++)
            if (every[i] && (steady[i] || !want_steady)) return candidates[i];
    return worded ? CSV_BLANKS : ',';
}

static csv_reader *reader_new(char delimiter, char *err, size_t errlen) {
    csv_reader *r = calloc(1, sizeof *r);
    if (r != NULL) {
        r->cap = CSV_BLOCK;
        r->buf = malloc(r->cap);
    }
    if (r == NULL || r->buf == NULL) {
        free(r);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->delim = delimiter;
    r->eol = '\n';
    r->line = 1;
    return r;
}

/* After the first read: the byte order mark, the line ends, the delimiter. */
static csv_reader *reader_start(csv_reader *r, char *err, size_t errlen) {
    if (fill(r) < 0) {
        snprintf(err, errlen, "%s", r->error);
        csv_close(r);
        return NULL;
    }
    if (r->end >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
        r->pos = 3;
        r->bom = 1;
    }
    const char *lf = memchr(r->buf + r->pos, '\n', r->end - r->pos);
    const char *cr = memchr(r->buf + r->pos, '\r', r->end - r->pos);
    if (cr != NULL && lf == NULL) r->eol = '\r';
    if (r->delim == 0) r->delim = sniff(r);
    memset(r->cls, 0, sizeof r->cls);
    r->cls['"'] = CLASS_QUOTE;
    if (r->delim == CSV_BLANKS) {
        r->cls[' '] = CLASS_SPLIT;
        r->cls['\t'] = CLASS_SPLIT;
    } else {
        r->cls[(unsigned char)r->delim] = CLASS_SPLIT;
    }
    return r;
}

csv_reader *csv_open(const char *path, char delimiter, char *err, size_t errlen) {
    csv_reader *r = reader_new(delimiter, err, errlen);
    if (r == NULL) return NULL;
    if (strcmp(path, "-") == 0) {
        r->file = stdin;
    } else {
        r->file = fopen(path, "rb");
        if (r->file == NULL) {
            snprintf(err, errlen, "cannot open: %s", strerror(errno));
            csv_close(r);
            return NULL;
        }
        r->own_file = 1;
        if (fseek(r->file, 0, SEEK_END) == 0) {
            const long size = ftell(r->file);
            r->size = size > 0 ? (uint64_t)size : 0;
            if (fseek(r->file, 0, SEEK_SET) != 0) {
                snprintf(err, errlen, "cannot read: %s", strerror(errno));
                csv_close(r);
                return NULL;
            }
        }
    }
    return reader_start(r, err, errlen);
}

csv_reader *csv_open_memory(const char *data, size_t len, char delimiter, char *err, size_t errlen) {
    csv_reader *r = reader_new(delimiter, err, errlen);
    if (r == NULL) return NULL;
    if (len + 1 > r->cap) {
        char *buf = realloc(r->buf, len + 1);
        if (buf == NULL) {
            snprintf(err, errlen, "out of memory");
            csv_close(r);
            return NULL;
        }
        r->buf = buf;
        r->cap = len + 1;
    }
    memcpy(r->buf, data, len);
    r->buf[len] = '\0';
    r->end = len;
    r->eof = 1;
    r->size = len;
    return reader_start(r, err, errlen);
}

char csv_delimiter(const csv_reader *r) { return r->delim; }
int csv_had_bom(const csv_reader *r) { return r->bom; }
long csv_line(const csv_reader *r) { return r->record_line; }
const char *csv_error(const csv_reader *r) { return r->error; }
uint64_t csv_offset(const csv_reader *r) { return r->base + r->pos; }
uint64_t csv_size(const csv_reader *r) { return r->size; }

void csv_close(csv_reader *r) {
    if (r == NULL) return;
    if (r->own_file) fclose(r->file);
    free(r->buf);
    free(r->fields);
    free(r);
}

char csv_delimiter_from_name(const char *name) {
    static const struct {
        const char *name;
        char delim;
    } names[] = {{"tab", '\t'},
                 {"\\t", '\t'},
                 {"space", CSV_BLANKS},
                 {"blanks", CSV_BLANKS},
                 {"whitespace", CSV_BLANKS},
                 {"comma", ','},
                 {"semicolon", ';'},
                 {"pipe", '|'}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i].name) == 0) return names[i].delim;
    if (name[0] != '\0' && name[1] == '\0' && name[0] != '"' && name[0] != '\n' && name[0] != '\r')
        return name[0] == ' ' ? CSV_BLANKS : name[0];
    return 0;
}

const char *csv_delimiter_name(char delimiter) {
    static char one[2];
    switch (delimiter) {
    case ',': return "comma";
    case ';': return "semicolon";
    case '\t': return "tab";
    case '|': return "pipe";
    case CSV_BLANKS: return "blanks";
    default: one[0] = delimiter; return one;
    }
}

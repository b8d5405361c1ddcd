/* writer.c - see writer.h. */
#include "writer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifdef CLI_HAVE_PTHREADS
#include <pthread.h>
#endif

#include "cli.h"
#include "number.h"
#include "timefmt.h"

#define SINK_FLUSH ((size_t)1 << 20) /* a file sink writes out past this */
#define BLOCK_ROWS 16384             /* rows a thread formats at a time */

/* ---- the sink ---- */

static void sink_flush(cli_sink *s) {
    if (s->file == NULL || s->len == 0) return;
    if (fwrite(s->buf, 1, s->len, s->file) != s->len) s->failed = 1;
    s->len = 0;
}

/* Make room for n more bytes: flush a file sink, else grow. 0 when memory
 * runs out (the sink is failed). */
static int sink_grow(cli_sink *s, size_t n) {
    if (s->file != NULL && s->len >= SINK_FLUSH) {
        sink_flush(s);
        if (s->cap - s->len >= n) return 1;
    }
    size_t cap = s->cap ? s->cap : SINK_FLUSH + 4096;
    while (cap - s->len < n) cap *= 2;
    char *buf = realloc(s->buf, cap);
    if (buf == NULL) {
        s->failed = 1;
        return 0;
    }
    s->buf = buf;
    s->cap = cap;
    return 1;
}

/* Room for n more bytes (the common case inline). */
static int sink_room(cli_sink *s, size_t n) { return s->cap - s->len >= n || sink_grow(s, n); }

int cli_sink_open(cli_sink *s, const char *path, char *err, size_t errlen) {
    memset(s, 0, sizeof *s);
    if (strcmp(path, "-") == 0) {
        s->file = stdout;
    } else {
        s->file = fopen(path, "wb");
        if (s->file == NULL) {
            snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
            return 0;
        }
        s->own = 1;
    }
    return sink_room(s, SINK_FLUSH + 4096);
}

void cli_sink_memory(cli_sink *s) { memset(s, 0, sizeof *s); }

void cli_sink_write(cli_sink *s, const void *data, size_t len) {
    if (len > SINK_FLUSH && s->file != NULL) { /* big blocks go straight out */
        sink_flush(s);
        if (fwrite(data, 1, len, s->file) != len) s->failed = 1;
        return;
    }
    if (!sink_room(s, len)) return;
    memcpy(s->buf + s->len, data, len);
    s->len += len;
}

int cli_sink_close(cli_sink *s) {
    sink_flush(s);
    int ok = !s->failed;
    if (s->file != NULL) {
        if (fflush(s->file) != 0 || ferror(s->file)) ok = 0;
        if (s->own && fclose(s->file) != 0) ok = 0;
    }
    free(s->buf);
    s->buf = NULL;
    s->file = NULL;
    return ok;
}

/* Copy n bytes; short ones (names, labels, dates) by two overlapping
 * fixed-size moves instead of a call. */
static void put(cli_sink *s, const char *p, size_t n) {
    if (!sink_room(s, n)) return;
    char *d = s->buf + s->len;
    if (n >= 8 && n <= 16) {
        memcpy(d, p, 8);
        memcpy(d + n - 8, p + n - 8, 8);
    } else if (n >= 4 && n < 8) {
        memcpy(d, p, 4);
        memcpy(d + n - 4, p + n - 4, 4);
    } else if (n < 4) {
        for (size_t i = 0; i < n; i++) d[i] = p[i];
    } else {
        memcpy(d, p, n);
    }
    s->len += n;
}

static void put_char(cli_sink *s, char c) {
    if (!sink_room(s, 1)) return;
    s->buf[s->len++] = c;
}

void cli_sink_csv_text(cli_sink *s, const char *text, size_t len, char delimiter) {
    size_t i = 0;
    while (i < len && text[i] != delimiter && text[i] != '"' && text[i] != '\n' && text[i] != '\r') i++;
    if (i == len) {
        put(s, text, len);
        return;
    }
    put_char(s, '"');
    for (i = 0; i < len; i++) {
        if (text[i] == '"') put_char(s, '"');
        put_char(s, text[i]);
    }
    put_char(s, '"');
}

/* A JSON string: quotes, backslashes and control bytes escaped; bytes that
 * are not UTF-8 written as the Latin-1 character of the same number. */
void cli_sink_json_text(cli_sink *s, const char *text, size_t len) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    put_char(s, '"');
    while (p < end) {
        const unsigned char c = *p;
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            const unsigned char *q = p;
            while (q < end && *q >= 0x20 && *q < 0x80 && *q != '"' && *q != '\\') q++;
            put(s, (const char *)p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (c == '"' || c == '\\') {
            const char esc[2] = {'\\', (char)c};
            put(s, esc, 2);
            p++;
            continue;
        }
        if (c >= 0x80) { /* a valid UTF-8 sequence is copied */
            const int n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
            int ok = n > 0 && end - p >= n;
            for (int i = 1; ok && i < n; i++) ok = (p[i] & 0xC0) == 0x80;
            if (ok && n == 3) ok = !(c == 0xE0 && p[1] < 0xA0) && !(c == 0xED && p[1] >= 0xA0);
            if (ok && n == 4) ok = !(c == 0xF0 && p[1] < 0x90) && !(c == 0xF4 && p[1] >= 0x90);
            if (ok) {
                put(s, (const char *)p, (size_t)n);
                p += n;
                continue;
            }
        }
        const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        put(s, esc, 6);
        p++;
    }
    put_char(s, '"');
}

/* ---- columns ---- */

typedef enum kind { K_ID, K_FLAGS, K_U64, K_I64, K_I32, K_DAY, K_ENUM, K_BOOL, K_F64, K_MONEY } kind;

typedef struct text {
    const char *s;
    size_t len;
    char *csv; /* as a CSV field: quoted when needed (enumeration labels) */
    size_t csv_len;
} text;

typedef struct colfmt {
    int column;
    kind k;
    const void *data;
    const char *name;
    text *labels; /* enumeration values' names, NULL where a value has none */
    int32_t nlabels;
    int right; /* right-aligned in a table */
} colfmt;

typedef struct writer {
    const crm_result *res;
    colfmt *cols;
    size_t ncols;
    const char *const *labels;
    int decimals;
    char delim;
    text flags[64];
} writer;

const int cli_table_columns[] = {
    CRM_COLUMN_CUSTOMER_ID, CRM_COLUMN_MONETARY,     CRM_COLUMN_PURCHASE_DAYS, CRM_COLUMN_RECENCY_DAYS,
    CRM_COLUMN_RFM_CELL,    CRM_COLUMN_SEGMENT,      CRM_COLUMN_VALUE_TIER,    CRM_COLUMN_LIFECYCLE_STAGE,
    CRM_COLUMN_RISK_LEVEL,  CRM_COLUMN_HEALTH_SCORE, CRM_COLUMN_P_ALIVE,       CRM_COLUMN_CLV};
const size_t cli_table_ncolumns = sizeof cli_table_columns / sizeof *cli_table_columns;

int cli_parse_columns(const char *list, int **columns, size_t *n, char *err, size_t errlen) {
    size_t count = 1;
    for (const char *p = list; *p; p++) count += *p == ',';
    int *cols = malloc(count * sizeof *cols);
    if (cols == NULL) {
        snprintf(err, errlen, "out of memory");
        return 0;
    }
    size_t k = 0;
    for (const char *p = list;;) {
        const char *e = strchr(p, ',');
        const size_t len = e ? (size_t)(e - p) : strlen(p);
        char name[64];
        if (len == 0 || len >= sizeof name) {
            snprintf(err, errlen, "'%s' is not a list of column names", list);
            free(cols);
            return 0;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        const int32_t c = crm_enum_value(CRM_ENUM_COLUMN, name);
        if (c < 0) {
            snprintf(err, errlen, "no result column is named '%s' (crmkit analyze --help lists them)", name);
            free(cols);
            return 0;
        }
        cols[k++] = c;
        if (e == NULL) break;
        p = e + 1;
    }
    *columns = cols;
    *n = k;
    return 1;
}

static void writer_free(writer *w) {
    for (size_t i = 0; i < w->ncols; i++) {
        for (int32_t v = 0; w->cols[i].labels && v < w->cols[i].nlabels; v++) free(w->cols[i].labels[v].csv);
        free(w->cols[i].labels);
    }
    free(w->cols);
}

static int writer_init(writer *w, const crm_result *res, const cli_write_options *o, cli_format format,
                       char *err, size_t errlen) {
    memset(w, 0, sizeof *w);
    w->res = res;
    w->labels = o->labels;
    w->decimals = o->money_decimals;
    w->delim = o->delimiter ? o->delimiter : ',';
    const int32_t known = crm_enum_count(CRM_ENUM_COLUMN);
    const int *want = o->columns;
    size_t nwant = o->ncolumns;
    int optional = 0; /* columns missing from the result are skipped, not refused */
    if (want == NULL && format == CLI_FORMAT_TABLE) {
        want = cli_table_columns;
        nwant = cli_table_ncolumns;
        optional = 1;
    }
    w->cols = calloc(want ? nwant : (size_t)known, sizeof *w->cols);
    if (w->cols == NULL) {
        snprintf(err, errlen, "out of memory");
        return 0;
    }
    const size_t n = want ? nwant : (size_t)known;
    for (size_t i = 0; i < n; i++) {
        const int c = want ? want[i] : (int)i;
        colfmt *f = &w->cols[w->ncols];
        int type = 0;
        if (!crm_result_has_column(res, c) ||
            crm_result_column(res, c, &type, &f->data, NULL) != CRM_STATUS_OK) {
            if (want == NULL || optional) continue;
            snprintf(err, errlen, "this result has no column %s%s", crm_enum_name(CRM_ENUM_COLUMN, c),
                     c >= CRM_COLUMN_P_ALIVE && c <= CRM_COLUMN_CLV
                         ? " (the model columns need a model: --set model=bgnbd, --set spend_model=1)"
                         : "");
            writer_free(w);
            return 0;
        }
        f->column = c;
        f->name = crm_enum_name(CRM_ENUM_COLUMN, c);
        const int unit = crm_column_unit(c);
        f->right = 1;
        switch (type) {
        case CRM_TYPE_U64:
            f->k = unit == CRM_UNIT_FLAGS ? K_FLAGS : unit == CRM_UNIT_ID ? K_ID : K_U64;
            f->right = f->k != K_FLAGS && !(f->k == K_ID && w->labels);
            break;
        case CRM_TYPE_I64: f->k = K_I64; break;
        case CRM_TYPE_I32:
            f->k = unit == CRM_UNIT_DAY    ? K_DAY
                   : unit == CRM_UNIT_ENUM ? K_ENUM
                   : unit == CRM_UNIT_BOOL ? K_BOOL
                                           : K_I32;
            f->right = f->k != K_DAY && f->k != K_ENUM;
            break;
        default: f->k = unit == CRM_UNIT_MONEY ? K_MONEY : K_F64; break;
        }
        if (f->k == K_ENUM) {
            f->nlabels = crm_result_label_count(res, c);
            f->labels = calloc(f->nlabels > 0 ? (size_t)f->nlabels : 1, sizeof *f->labels);
            if (f->labels == NULL) {
                snprintf(err, errlen, "out of memory");
                w->ncols++;
                writer_free(w);
                return 0;
            }
            for (int32_t v = 0; v < f->nlabels; v++) {
                text *l = &f->labels[v];
                l->s = crm_result_label(res, c, v);
                l->len = l->s ? strlen(l->s) : 0;
                cli_sink quoted;
                cli_sink_memory(&quoted);
                if (l->s) cli_sink_csv_text(&quoted, l->s, l->len, w->delim);
                l->csv = quoted.buf;
                l->csv_len = quoted.len;
                if (l->s && (quoted.failed || quoted.buf == NULL)) {
                    free(quoted.buf);
                    l->csv = NULL;
                    snprintf(err, errlen, "out of memory");
                    w->ncols++;
                    writer_free(w);
                    return 0;
                }
            }
        }
        w->ncols++;
    }
    for (int bit = 0; bit < 64; bit++) {
        w->flags[bit].s = crm_enum_name(CRM_ENUM_FLAG, bit);
        w->flags[bit].len = w->flags[bit].s ? strlen(w->flags[bit].s) : 0;
    }
    return 1;
}

/* ---- cells ---- */

/* Days repeat a lot: their ISO text is remembered in a small direct-mapped cache. */
typedef struct day_cache {
    int32_t day[1024];
    char text[1024][12];
    unsigned char len[1024];
} day_cache;

static void put_day(cli_sink *s, day_cache *dc, int32_t day) {
    const unsigned slot = (unsigned)day & 1023u;
    if (dc->day[slot] != day || dc->len[slot] == 0) {
        dc->day[slot] = day;
        dc->len[slot] = (unsigned char)time_write_day(dc->text[slot], day);
    }
    put(s, dc->text[slot], dc->len[slot]);
}

static void put_number(cli_sink *s, double v, kind k, int decimals) {
    if (!sink_room(s, NUM_MAX)) return;
    size_t n = 0;
    if (k == K_MONEY && decimals >= 0) n = num_write_fixed(s->buf + s->len, v, decimals);
    if (n == 0) n = num_write_shortest(s->buf + s->len, v);
    s->len += n;
}

static void put_u64(cli_sink *s, uint64_t v) {
    if (sink_room(s, NUM_MAX)) s->len += num_write_u64(s->buf + s->len, v);
}

static void put_i64(cli_sink *s, int64_t v) {
    if (sink_room(s, NUM_MAX)) s->len += num_write_i64(s->buf + s->len, v);
}

/* The flag names joined by sep (bitN for a flag this library does not name). */
static void put_flags(cli_sink *s, const writer *w, uint64_t flags, const char *sep, int json) {
    int first = 1;
    if (json) put_char(s, '[');
    for (int bit = 0; flags != 0 && bit < 64; bit++, flags >>= 1) {
        if (!(flags & 1)) continue;
        if (!first) put(s, sep, strlen(sep));
        first = 0;
        if (json) put_char(s, '"');
        if (w->flags[bit].s) {
            put(s, w->flags[bit].s, w->flags[bit].len);
        } else {
            put(s, "bit", 3);
            put_i64(s, bit);
        }
        if (json) put_char(s, '"');
    }
    if (json) put_char(s, ']');
}

/* One cell as CSV text (json 0) or a JSON value (json 1); CSV cells of the
 * table are written without quoting. */
static void put_cell(cli_sink *s, const writer *w, const colfmt *f, size_t row, int json, int quote,
                     day_cache *dc) {
    switch (f->k) {
    case K_ID: {
        const uint64_t id = ((const uint64_t *)f->data)[row];
        if (w->labels != NULL && w->labels[row] != NULL) {
            const char *label = w->labels[row];
            if (json)
                cli_sink_json_text(s, label, strlen(label));
            else if (quote)
                cli_sink_csv_text(s, label, strlen(label), w->delim);
            else
                put(s, label, strlen(label));
        } else {
            put_u64(s, id);
        }
        break;
    }
    case K_FLAGS: put_flags(s, w, ((const uint64_t *)f->data)[row], json ? "," : "|", json); break;
    case K_U64: put_u64(s, ((const uint64_t *)f->data)[row]); break;
    case K_I64: put_i64(s, ((const int64_t *)f->data)[row]); break;
    case K_I32:
    case K_DAY:
    case K_ENUM:
    case K_BOOL: {
        const int32_t v = ((const int32_t *)f->data)[row];
        if (v == CRM_NO_DAY) {
            if (json) put(s, "null", 4);
        } else if (f->k == K_DAY) {
            if (json) put_char(s, '"');
            put_day(s, dc, v);
            if (json) put_char(s, '"');
        } else if (f->k == K_ENUM && v >= 0 && v < f->nlabels && f->labels[v].s != NULL) {
            if (json)
                cli_sink_json_text(s, f->labels[v].s, f->labels[v].len);
            else if (quote)
                put(s, f->labels[v].csv, f->labels[v].csv_len);
            else
                put(s, f->labels[v].s, f->labels[v].len);
        } else if (f->k == K_BOOL && json) {
            if (v)
                put(s, "true", 4);
            else
                put(s, "false", 5);
        } else {
            put_i64(s, v);
        }
        break;
    }
    case K_F64:
    case K_MONEY: {
        const double v = ((const double *)f->data)[row];
        if (v != v || (json && (v > 1.7976931348623157e308 || v < -1.7976931348623157e308))) {
            if (json) put(s, "null", 4);
        } else {
            put_number(s, v, f->k, w->decimals);
        }
        break;
    }
    }
}

/* Columns are separate arrays, read a row at a time: the next rows' cache
 * lines are fetched ahead, as the hardware does not follow 50 streams. */
static void prefetch_rows(const writer *w, size_t row) {
#if defined(__GNUC__)
    for (size_t i = 0; i < w->ncols; i++) {
        const colfmt *f = &w->cols[i];
        const size_t size = f->k == K_I32 || f->k == K_DAY || f->k == K_ENUM || f->k == K_BOOL ? 4 : 8;
        __builtin_prefetch((const char *)f->data + row * size);
    }
#else
    (void)w;
    (void)row;
#endif
}

static void put_rows(cli_sink *s, const writer *w, size_t first, size_t last, cli_format format,
                     day_cache *dc) {
    const size_t ahead = 32, rows = crm_result_rows(w->res);
    for (size_t row = first; row < last; row++) {
        if ((row & 7) == 0 && row + ahead < rows) prefetch_rows(w, row + ahead);
        if (format == CLI_FORMAT_JSONL) {
            put_char(s, '{');
            for (size_t i = 0; i < w->ncols; i++) {
                if (i) put_char(s, ',');
                put_char(s, '"');
                put(s, w->cols[i].name, strlen(w->cols[i].name));
                put(s, "\":", 2);
                put_cell(s, w, &w->cols[i], row, 1, 0, dc);
            }
            put(s, "}\n", 2);
        } else {
            for (size_t i = 0; i < w->ncols; i++) {
                if (i) put_char(s, w->delim);
                put_cell(s, w, &w->cols[i], row, 0, 1, dc);
            }
            put_char(s, '\n');
        }
    }
}

/* ---- rows on several threads ---- */

#ifdef CLI_HAVE_PTHREADS
/* Blocks of rows are formatted by `threads` workers into a ring of buffers
 * while the calling thread writes the finished ones in order: formatting and
 * writing overlap, and the bytes are those of one thread. */
typedef struct slot {
    cli_sink out;
    size_t block; /* the block it holds when ready */
    int ready;
} slot;

typedef struct pool {
    const writer *w;
    cli_format format;
    size_t rows, blocks;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next;    /* the next block to format */
    size_t written; /* blocks written so far */
    slot *slots;
    size_t nslots;
    int failed;
} pool;

static void *format_blocks(void *arg) {
    pool *p = arg;
    day_cache *dc = calloc(1, sizeof *dc);
    pthread_mutex_lock(&p->mu);
    if (dc == NULL) p->failed = 1;
    while (!p->failed && p->next < p->blocks) {
        const size_t b = p->next;
        if (b >= p->written + p->nslots) { /* its slot still holds an unwritten block */
            pthread_cond_wait(&p->cv, &p->mu);
            continue;
        }
        p->next++;
        slot *s = &p->slots[b % p->nslots];
        pthread_mutex_unlock(&p->mu);
        s->out.len = 0;
        const size_t first = b * BLOCK_ROWS,
                     last = first + BLOCK_ROWS < p->rows ? first + BLOCK_ROWS : p->rows;
        put_rows(&s->out, p->w, first, last, p->format, dc);
        pthread_mutex_lock(&p->mu);
        s->block = b;
        s->ready = 1;
        if (s->out.failed) p->failed = 1;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    free(dc);
    return NULL;
}

/* 1 done, 0 failed, -1 no threads could be started (the caller writes alone). */
static int write_rows_threaded(cli_sink *s, const writer *w, cli_format format, int threads) {
    pool p;
    memset(&p, 0, sizeof p);
    p.w = w;
    p.format = format;
    p.rows = crm_result_rows(w->res);
    p.blocks = (p.rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
    p.nslots = 2 * (size_t)threads;
    p.slots = calloc(p.nslots, sizeof *p.slots);
    pthread_t *ids = calloc((size_t)threads, sizeof *ids);
    int started = 0;
    if (p.slots == NULL || ids == NULL || pthread_mutex_init(&p.mu, NULL) != 0) {
        free(p.slots);
        free(ids);
        return 0;
    }
    if (pthread_cond_init(&p.cv, NULL) != 0) {
        pthread_mutex_destroy(&p.mu);
        free(p.slots);
        free(ids);
        return 0;
    }
    for (int t = 0; t < threads; t++)
        if (pthread_create(&ids[started], NULL, format_blocks, &p) == 0) started++;
    for (size_t b = 0; started > 0 && b < p.blocks; b++) {
        slot *sl = &p.slots[b % p.nslots];
        pthread_mutex_lock(&p.mu);
        while (!(sl->ready && sl->block == b) && !p.failed) pthread_cond_wait(&p.cv, &p.mu);
        const int failed = p.failed;
        pthread_mutex_unlock(&p.mu);
        if (failed) break;
        cli_sink_write(s, sl->out.buf, sl->out.len);
        cli_progress_update((b + 1) * BLOCK_ROWS);
        pthread_mutex_lock(&p.mu);
        sl->ready = 0;
        p.written = b + 1;
        if (s->failed) p.failed = 1;
        pthread_cond_broadcast(&p.cv);
        pthread_mutex_unlock(&p.mu);
    }
    for (int t = 0; t < started; t++) pthread_join(ids[t], NULL);
    const int ok = started == 0 ? -1 : !p.failed;
    for (size_t i = 0; i < p.nslots; i++) free(p.slots[i].out.buf);
    free(p.slots);
    free(ids);
    pthread_cond_destroy(&p.cv);
    pthread_mutex_destroy(&p.mu);
    return ok;
}
#endif

static int write_rows(cli_sink *s, const writer *w, cli_format format, int threads) {
    const size_t rows = crm_result_rows(w->res);
#ifdef CLI_HAVE_PTHREADS
    if (threads > 1 && rows > 2 * BLOCK_ROWS) {
        const int ok = write_rows_threaded(s, w, format, threads);
        if (ok >= 0) return ok && !s->failed;
    }
#else
    (void)threads;
#endif
    day_cache *dc = calloc(1, sizeof *dc);
    if (dc == NULL) return 0;
    for (size_t first = 0; first < rows; first += BLOCK_ROWS) {
        put_rows(s, w, first, first + BLOCK_ROWS < rows ? first + BLOCK_ROWS : rows, format, dc);
        cli_progress_update(first + BLOCK_ROWS);
    }
    free(dc);
    return !s->failed;
}

/* ---- the table ---- */

static int write_table(cli_sink *s, const writer *w) {
    const size_t rows = crm_result_rows(w->res);
    size_t *width = calloc(w->ncols ? w->ncols : 1, sizeof *width);
    day_cache *dc = calloc(1, sizeof *dc);
    cli_sink cell;
    cli_sink_memory(&cell);
    if (width == NULL || dc == NULL) {
        free(width);
        free(dc);
        return 0;
    }
    for (size_t i = 0; i < w->ncols; i++) width[i] = strlen(w->cols[i].name);
    for (size_t row = 0; row < rows; row++)
        for (size_t i = 0; i < w->ncols; i++) {
            cell.len = 0;
            put_cell(&cell, w, &w->cols[i], row, 0, 0, dc);
            if (cell.len > width[i]) width[i] = cell.len;
        }
    static const char spaces[] = "                                ";
    for (long row = -1; row < (long)rows; row++) {
        for (size_t i = 0; i < w->ncols; i++) {
            cell.len = 0;
            if (row < 0)
                put(&cell, w->cols[i].name, strlen(w->cols[i].name));
            else
                put_cell(&cell, w, &w->cols[i], (size_t)row, 0, 0, dc);
            size_t pad = width[i] > cell.len ? width[i] - cell.len : 0;
            const int right = w->cols[i].right;
            if (i) put(s, "  ", 2);
            while (right && pad > 0) {
                const size_t k = pad < sizeof spaces - 1 ? pad : sizeof spaces - 1;
                put(s, spaces, k);
                pad -= k;
            }
            put(s, cell.buf ? cell.buf : "", cell.len);
            while (!right && pad > 0 && i + 1 < w->ncols) {
                const size_t k = pad < sizeof spaces - 1 ? pad : sizeof spaces - 1;
                put(s, spaces, k);
                pad -= k;
            }
        }
        put_char(s, '\n');
    }
    const int ok = !cell.failed;
    cli_sink_close(&cell);
    free(width);
    free(dc);
    return ok && !s->failed;
}

int cli_write_result(cli_sink *s, cli_format format, const crm_result *res, const cli_write_options *o,
                     char *err, size_t errlen) {
    writer w;
    num_init(); /* before any thread formats */
    if (!writer_init(&w, res, o, format, err, errlen)) return 0;
    int ok;
    if (format == CLI_FORMAT_TABLE) {
        ok = write_table(s, &w);
    } else {
        if (format == CLI_FORMAT_CSV) {
            for (size_t i = 0; i < w.ncols; i++) {
                if (i) put_char(s, w.delim);
                put(s, w.cols[i].name, strlen(w.cols[i].name));
            }
            put_char(s, '\n');
        }
        ok = write_rows(s, &w, format, o->threads);
    }
    writer_free(&w);
    if (!ok) snprintf(err, errlen, "%s", s->failed ? "write error" : "out of memory");
    return ok;
}

int cli_write_profiles(const char *path, cli_format format, const crm_result *res,
                       const cli_write_options *wo) {
    cli_sink sink;
    char err[256];
    if (!cli_sink_open(&sink, path, err, sizeof err)) {
        fprintf(stderr, "crmkit: %s\n", err);
        return CLI_EXIT_OUTPUT;
    }
    cli_progress_stage("writing", path, crm_result_rows(res));
    const int ok = cli_write_result(&sink, format, res, wo, err, sizeof err);
    const int closed = cli_sink_close(&sink);
    cli_progress_clear();
    if (!ok || !closed) {
        fprintf(stderr, "crmkit: %s: %s\n", path, ok ? "write error" : err);
        return strstr(err, "no column") ? CLI_EXIT_USAGE : CLI_EXIT_OUTPUT;
    }
    return CLI_EXIT_OK;
}

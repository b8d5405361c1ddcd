/* test_csv.c - the crmkit command's reading and writing modules: the CSV
 * reader on the corpus of tests/data/csv/ (each file with its exact
 * records, line numbers and bad lines), the loading of inputs (delimiters,
 * headers, columns by name and position, ids that are not integers, time
 * formats, decimal commas, the YYYYMMDD refusal, --strict), the number
 * parser and the shortest formatter (round trip of millions of doubles),
 * and the CSV / JSON Lines writers. */
#include "crm_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csv.h"
#include "number.h"
#include "timefmt.h"
#include "writer.h"

/* ---- the reader ---- */

/* Every record of a reader as text: "LINE:field|field|...\n" for a record
 * (bytes outside printable ASCII as \xHH, line breaks as \n and \r, '|' and
 * '\' escaped), "LINE!reason\n" for a bad one. */
static char *dump(csv_reader *r) {
    cli_sink s;
    cli_sink_memory(&s);
    csv_field *f;
    size_t n;
    int st;
    char buf[300];
    while ((st = csv_next(r, &f, &n)) != CSV_END) {
        assert_int_not_equal(st, CSV_IO);
        if (st == CSV_BAD) {
            snprintf(buf, sizeof buf, "%ld!%s\n", csv_line(r), csv_error(r));
            cli_sink_write(&s, buf, strlen(buf));
            continue;
        }
        snprintf(buf, sizeof buf, "%ld:", csv_line(r));
        cli_sink_write(&s, buf, strlen(buf));
        for (size_t i = 0; i < n; i++) {
            if (i) cli_sink_write(&s, "|", 1);
            assert_int_equal(f[i].text[f[i].len], '\0');
            for (size_t j = 0; j < f[i].len; j++) {
                const unsigned char c = (unsigned char)f[i].text[j];
                if (c == '\n')
                    snprintf(buf, sizeof buf, "\\n");
                else if (c == '\r')
                    snprintf(buf, sizeof buf, "\\r");
                else if (c == '|' || c == '\\')
                    snprintf(buf, sizeof buf, "\\%c", c);
                else if (c < 32 || c > 126)
                    snprintf(buf, sizeof buf, "\\x%02x", c);
                else
                    snprintf(buf, sizeof buf, "%c", c);
                cli_sink_write(&s, buf, strlen(buf));
            }
        }
        cli_sink_write(&s, "\n", 1);
    }
    cli_sink_write(&s, "", 1);
    return s.buf;
}

typedef struct corpus_case {
    const char *file;
    char delimiter; /* expected when sniffed */
    int bom;
    const char *records;
} corpus_case;

static const corpus_case corpus[] = {
    {"bom_crlf.csv", ',', 1, "1:customer_id|time|amount\n2:1|2025-01-02|10.50\n3:2|2025-01-03|7\n"},
    {"cr_only.csv", ',', 0, "1:customer_id|time|amount\n2:1|1700000000|1\n3:2|1700000000|2\n"},
    {"empty_lines.csv", ',', 0,
     "2:customer_id|time|amount\n4:1|1700000000|1\n7:2|1700000001|2\n9:3|1700000002|3\n"},
    {"ids.csv", ',', 0,
     "1:customer_id|time|amount\n2:C-00017|1700000000|10\n3:anna@example.com|1700000000|20\n"
     "4:00017|1700000000|30\n5:17|1700000000|40\n6:C-00017|1700086400|5\n"},
    {"mixed_dates.csv", ',', 0,
     "1:customer_id|time|amount\n2:1|2025-01-02|1\n3:1|2025-01-02T10:30:00Z|2\n4:1|2025-01-02T10:30:00+02:00|"
     "3\n"
     "5:1|2025-01-02 23:59:59-0500|4\n6:1|1735776000|5\n7:1|02/01/2025|6\n8:1|2025-02-30|7\n"},
    {"non_utf8.csv", ',', 0,
     "1:customer_id|time|amount\n2:M\\xfcller|1700000000|1\n3:\\xff\\xfe|1700000000|2\n"
     "4:M\\xc3\\xbcller|1700000000|3\n"},
    {"pipe.csv", '|', 0, "1:customer_id|time|amount\n2:1|1700000000|1.25\n3:2|1700000000|2\n"},
    {"quotes.csv", ',', 0,
     "1:customer_id|note|amount\n2:C,1|say \"hi\"|1.5\n3:C2|two\\nlines|2\n5:C3|crlf\\r\\ninside|3\n7:C4||4\n"
     "8:C5|  padded  |5\n9:C6|5\" screen|6\n"},
    {"ragged.csv", ',', 0,
     "1:customer_id|time|amount\n2:1|1700000000|5\n3:2|1700000000\n4:3|1700000000|5|extra|more\n5:4\n"
     "6:5|1700000000||\n"},
    {"semicolon_decimal_comma.csv", ';', 0,
     "1:Kunde|Datum|Betrag\n2:K-1|2025-01-02|12,50\n3:K-2|2025-01-03|1234,5\n4:K-1|2025-02-01|0,99\n"},
    {"tabs.tsv", '\t', 0,
     "1:customer_id|time|amount|note\n2:A 1|1700000000|3.25|first one\n3:A 2|1700086400|4|\n"},
    {"text_after_quote.csv", ',', 0,
     "1:customer_id|time|amount\n2!text after a closing quote\n3:2|1700000000|2\n"},
    {"unterminated_quote.csv", ',', 0,
     "1:customer_id|time|amount\n2:1|1700000000|1\n3!a quote opened on this line is never closed\n"
     "4:3|1700000000|3\n"},
    {"whitespace.txt", CSV_BLANKS, 0,
     "1:00004|0001|19970101|2|29.33\n2:00004|0001|19970118|2|29.73\n3:00021|0002|19970101|3|63.34\n"},
    {"yyyymmdd_as_seconds.csv", ',', 0,
     "1:customer_id|time|amount\n2:1|20250102|10\n3:2|20250103|11\n4:3|19991231|12\n"},
};

static void test_corpus(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof corpus / sizeof *corpus; i++) {
        char path[512], err[256];
        const corpus_case *c = &corpus[i];
        crm_test_data_path(path, sizeof path, "csv/");
        strncat(path, c->file, sizeof path - strlen(path) - 1);
        csv_reader *r = csv_open(path, 0, err, sizeof err);
        if (r == NULL) fail_msg("%s: %s", c->file, err);
        if (csv_delimiter(r) != c->delimiter)
            fail_msg("%s: sniffed %s, expected %s", c->file, csv_delimiter_name(csv_delimiter(r)),
                     csv_delimiter_name(c->delimiter));
        assert_int_equal(csv_had_bom(r), c->bom);
        char *got = dump(r);
        if (strcmp(got, c->records) != 0)
            fail_msg("%s:\n--- got\n%s--- expected\n%s", c->file, got, c->records);
        free(got);
        csv_close(r);
    }
}

/* The same bytes read from memory, with the delimiter given. */
static char *dump_text(const char *text, char delimiter) {
    char err[256];
    csv_reader *r = csv_open_memory(text, strlen(text), delimiter, err, sizeof err);
    assert_non_null(r);
    char *got = dump(r);
    csv_close(r);
    return got;
}

static void expect_text(const char *text, char delimiter, const char *expected) {
    char *got = dump_text(text, delimiter);
    if (strcmp(got, expected) != 0) fail_msg("input:\n%s\n--- got\n%s--- expected\n%s", text, got, expected);
    free(got);
}

static void test_reader_cases(void **state) {
    (void)state;
    /* a given delimiter wins over sniffing; the empty last field after a delimiter */
    expect_text("a;b,c;d\n", ',', "1:a;b|c;d\n");
    expect_text("a,b,\n,,\n", ',', "1:a|b|\n2:||\n");
    /* a quoted empty field is a field; a line of one empty quoted field is a record */
    expect_text("\"\"\nx\n", ',', "1:\n2:x\n");
    /* blanks: runs, leading and trailing, quotes */
    expect_text("  a   b\t\tc  \n\"d e\"  f\n", CSV_BLANKS, "1:a|b|c\n2:d e|f\n");
    /* a quoted field ending the input without a line break */
    expect_text("1,\"x\"", ',', "1:1|x\n");
    /* CRLF after a quoted field, a quote at the very end of a block is handled by the scan */
    expect_text("\"a\"\r\n\"b\"\r\n", ',', "1:a\n2:b\n");
    /* sniffing: the delimiter on every line wins; nothing at all: comma */
    char *got = dump_text("one\ntwo\n", 0);
    assert_string_equal(got, "1:one\n2:two\n");
    free(got);
    char err[64];
    const char *semi = "a;b;c\n1;2,5;3\n4;5;6\n";
    csv_reader *r = csv_open_memory(semi, strlen(semi), 0, err, sizeof err);
    assert_int_equal(csv_delimiter(r), ';');
    csv_close(r);
    r = csv_open_memory("", 0, 0, err, sizeof err);
    csv_field *f;
    size_t n;
    assert_int_equal(csv_next(r, &f, &n), CSV_END);
    csv_close(r);
    assert_null(csv_open("/nonexistent/file.csv", 0, err, sizeof err));
    assert_true(strstr(err, "cannot open") != NULL);
    assert_int_equal(csv_delimiter_from_name("tab"), '\t');
    assert_int_equal(csv_delimiter_from_name("blanks"), CSV_BLANKS);
    assert_int_equal(csv_delimiter_from_name(";"), ';');
    assert_int_equal(csv_delimiter_from_name("\""), 0);
    assert_int_equal(csv_delimiter_from_name("xy"), 0);
}

/* Fields longer than the reader's 4 MiB blocks: a quoted one of 5 MiB with
 * delimiters, quotes and line breaks inside, and an unquoted one of 9 MiB. */
static void test_huge_fields(void **state) {
    (void)state;
    const size_t quoted = (size_t)5 << 20, plain = (size_t)9 << 20;
    FILE *f = tmpfile();
    assert_non_null(f);
    fputs("id,text\n1,\"", f);
    for (size_t i = 0; i < quoted; i++) {
        const char c = i % 1000 == 999 ? '\n' : i % 100 == 99 ? '"' : i % 10 == 9 ? ',' : 'q';
        if (c == '"') fputc('"', f);
        fputc(c, f);
    }
    fputs("\"\n2,", f);
    for (size_t i = 0; i < plain; i++) fputc('p', f);
    fputs("\n3,end\n", f);
    rewind(f);
    char *text = malloc(quoted * 2 + plain + 64);
    const size_t len = fread(text, 1, quoted * 2 + plain + 64, f);
    fclose(f);
    char err[64];
    csv_reader *r = csv_open_memory(text, len, 0, err, sizeof err);
    free(text);
    csv_field *fields;
    size_t n;
    assert_int_equal(csv_next(r, &fields, &n), CSV_RECORD);
    assert_int_equal(csv_next(r, &fields, &n), CSV_RECORD);
    assert_int_equal(n, 2);
    assert_int_equal(fields[1].len, quoted);
    assert_int_equal(fields[1].text[99], '"');
    assert_int_equal(fields[1].text[999], '\n');
    assert_int_equal(fields[1].text[9], ',');
    assert_int_equal(csv_line(r), 2);
    assert_int_equal(csv_next(r, &fields, &n), CSV_RECORD);
    assert_int_equal(csv_line(r), 3 + (long)(quoted / 1000)); /* the line breaks inside count */
    assert_int_equal(fields[1].len, plain);
    assert_int_equal(csv_next(r, &fields, &n), CSV_RECORD);
    assert_string_equal(fields[1].text, "end");
    assert_int_equal(csv_next(r, &fields, &n), CSV_END);
    csv_close(r);
}

/* ---- loading ---- */

static const char *data_file(const char *name) {
    static char paths[4][512];
    static int next;
    char *p = paths[next++ % 4];
    crm_test_data_path(p, 512, "csv/");
    strncat(p, name, 511 - strlen(p));
    return p;
}

static cli_load_options options_for(const char *file) {
    cli_load_options o;
    cli_load_options_init(&o);
    o.path[0] = data_file(file);
    o.quiet = 1;
    return o;
}

static void test_load_ids(void **state) {
    (void)state;
    cli_load_options o = options_for("ids.csv");
    crm_config *cfg;
    cli_analysis a;
    assert_int_equal(crm_config_create(NULL, &cfg, NULL), CRM_STATUS_OK);
    assert_int_equal(cli_analyze(&o, cfg, &a), CLI_EXIT_OK);
    assert_non_null(a.data.ids);
    assert_int_equal(ids_count(a.data.ids), 4);
    /* rows in the byte order of the labels, each id as the file wrote it */
    static const char *const labels[] = {"00017", "17", "C-00017", "anna@example.com"};
    static const double monetary[] = {30, 40, 15, 20};
    assert_int_equal(crm_result_rows(a.result), 4);
    const double *m = crm_result_f64(a.result, CRM_COLUMN_MONETARY);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(a.labels[i], labels[i]);
        assert_true(m[i] == monetary[i]);
    }
    cli_analysis_free(&a);
    /* integer ids stay integers: no labels */
    o = options_for("pipe.csv");
    assert_int_equal(cli_analyze(&o, cfg, &a), CLI_EXIT_OK);
    assert_null(a.data.ids);
    assert_null(a.labels);
    assert_int_equal(crm_result_u64(a.result, CRM_COLUMN_CUSTOMER_ID)[1], 2);
    assert_int_equal(a.data.stats[0].decimals, 2);
    cli_analysis_free(&a);
    crm_config_free(cfg);
}

static void test_load_times(void **state) {
    (void)state;
    cli_load_options o = options_for("mixed_dates.csv");
    cli_data d;
    assert_int_equal(cli_load(&o, 0, &d), CLI_EXIT_OK);
    static const int64_t expected[] = {1735776000, 1735813800, 1735806600, 1735880399, 1735776000};
    assert_int_equal(d.transactions.count, 5);
    for (size_t i = 0; i < 5; i++) assert_int_equal(d.transactions.time[i], expected[i]);
    assert_int_equal(d.stats[0].lines, 7);
    assert_int_equal(d.stats[0].malformed, 2);
    cli_data_free(&d);
    /* dates without an offset are days of the day_offset calendar */
    assert_int_equal(cli_load(&o, 3600, &d), CLI_EXIT_OK);
    assert_int_equal(d.transactions.time[0], 1735776000 - 3600);
    assert_int_equal(d.transactions.time[2], 1735806600);
    cli_data_free(&d);

    /* integers that look like YYYYMMDD are refused as seconds, read as dates when told */
    o = options_for("yyyymmdd_as_seconds.csv");
    assert_int_equal(cli_load(&o, 0, &d), CLI_EXIT_INPUT);
    cli_data_free(&d);
    o.time_format = TIME_YYYYMMDD;
    assert_int_equal(cli_load(&o, 0, &d), CLI_EXIT_OK);
    assert_int_equal(d.transactions.time[0], 1735776000);
    assert_int_equal(d.transactions.time[2], 946598400);
    cli_data_free(&d);
    o.time_format = TIME_EPOCH;
    assert_int_equal(cli_load(&o, 0, &d), CLI_EXIT_OK);
    assert_int_equal(d.transactions.time[0], 20250102);
    cli_data_free(&d);

    /* the CDNOW layout: blanks, no header, YYYYMMDD; columns guessed */
    o = options_for("whitespace.txt");
    o.time_format = TIME_YYYYMMDD;
    assert_int_equal(cli_load(&o, 0, &d), CLI_EXIT_OK);
    assert_int_equal(d.transactions.count, 3);
    assert_int_equal(d.transactions.time[1], 852076800 + 17 * 86400);
    assert_true(d.transactions.amount[2] == 63.34);
    assert_non_null(d.ids);
    assert_string_equal(ids_label(d.ids, d.transactions.customer_id[2]), "00021");
    cli_data_free(&d);
    /* and by position */
    assert_int_equal(cli_load_set_column(&o, "time=3", NULL, 0), 1);
    assert_int_equal(cli_load_set_column(&o, "transactions.amount=4", NULL, 0), 1);
    assert_int_equal(cli_load(&o, 0, &d), CLI_EXIT_OK);
    assert_true(d.transactions.amount[2] == 3);
    cli_data_free(&d);
}

static void test_load_numbers_and_lines(void **state) {
    (void)state;
    cli_data d;
    cli_load_options o = options_for("semicolon_decimal_comma.csv");
    /* without --decimal-comma every amount is a bad line */
    assert_int_equal(cli_load(&o, 0, &d), CLI_EXIT_OK);
    assert_int_equal(d.stats[0].malformed, 3);
    assert_int_equal(d.transactions.count, 0);
    cli_data_free(&d);
    o.decimal = ',';
    assert_int_equal(cli_load(&o, 0, &d), CLI_EXIT_OK);
    assert_int_equal(d.transactions.count, 3);
    assert_true(d.transactions.amount[0] == 12.5);
    assert_true(d.transactions.amount[1] == 1234.5);
    assert_true(d.transactions.amount[2] == 0.99);
    assert_int_equal(d.stats[0].decimals, 2);
    cli_data_free(&d);

    /* ragged rows: short ones and an empty amount are bad lines, extra fields are ignored */
    o = options_for("ragged.csv");
    assert_int_equal(cli_load(&o, 0, &d), CLI_EXIT_OK);
    assert_int_equal(d.transactions.count, 2);
    assert_int_equal(d.stats[0].lines, 5);
    assert_int_equal(d.stats[0].malformed, 3);
    cli_data_free(&d);
    o.strict = 1;
    assert_int_equal(cli_load(&o, 0, &d), CLI_EXIT_INPUT);
    cli_data_free(&d);

    /* BOM and CRLF: the header is found; tabs with a column of notes; CR only; quotes */
    const char *files[] = {"bom_crlf.csv", "tabs.tsv", "cr_only.csv", "empty_lines.csv",
                           "unterminated_quote.csv"};
    const size_t counts[] = {2, 2, 2, 3, 2};
    for (size_t i = 0; i < 5; i++) {
        o = options_for(files[i]);
        assert_int_equal(cli_load(&o, 0, &d), CLI_EXIT_OK);
        assert_int_equal(d.transactions.count, counts[i]);
        cli_data_free(&d);
    }
    o = options_for("quotes.csv");
    assert_int_equal(cli_load_set_column(&o, "amount=amount", NULL, 0), 1);
    assert_int_equal(cli_load(&o, 0, &d), CLI_EXIT_INPUT); /* no time column */
    cli_data_free(&d);
    o = options_for("quotes.csv");
    o.column[0][1] = "note";
    assert_int_equal(cli_load(&o, 0, &d), CLI_EXIT_OK); /* every note is a bad time */
    assert_int_equal(d.stats[0].malformed, 6);
    cli_data_free(&d);
    /* unknown fields and inputs in column choices */
    char err[128];
    assert_int_equal(cli_load_set_column(&o, "colour=2", err, sizeof err), 0);
    assert_int_equal(cli_load_set_column(&o, "orders.time=2", err, sizeof err), 0);
    assert_int_equal(cli_load_set_column(&o, "time", err, sizeof err), 0);
    /* a missing file */
    o.path[0] = "/nonexistent/transactions.csv";
    assert_int_equal(cli_load(&o, 0, &d), CLI_EXIT_INPUT);
    cli_data_free(&d);
}

/* ---- numbers ---- */

static uint64_t next_random(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void round_trip(double v) {
    char buf[NUM_MAX + 1];
    const size_t n = num_write_shortest(buf, v);
    assert_true(n > 0 && n < NUM_MAX);
    buf[n] = '\0';
    const double back = strtod(buf, NULL);
    if (memcmp(&back, &v, sizeof v) != 0) fail_msg("%.17g written as %s reads back as %.17g", v, buf, back);
    /* our own parser agrees */
    double mine;
    assert_true(num_parse_double(buf, n, '.', &mine, NULL));
    if (memcmp(&mine, &v, sizeof v) != 0) fail_msg("%s parsed as %.17g, not %.17g", buf, mine, v);
}

/* Significant digits of a written number. */
static int significant(const char *s) {
    int n = 0, started = 0, trailing = 0;
    for (; *s && *s != 'e'; s++) {
        if (*s < '0' || *s > '9') continue;
        if (*s != '0') started = 1;
        if (!started) continue;
        n++;
        trailing = *s == '0' ? trailing + 1 : 0;
    }
    return n - trailing;
}

/* Millions natively; a fiftieth of them under valgrind (tests/run.sh sets
 * CRM_TEST_UNDER_VALGRIND), where each takes fifty times longer. */
static int scaled(int n) { return getenv("CRM_TEST_UNDER_VALGRIND") ? n / 50 : n; }

static void test_shortest_round_trip(void **state) {
    (void)state;
    uint64_t seed = 20260101;
    num_init();
    static const double special[] = {0.0,
                                     -0.0,
                                     1.0,
                                     -1.0,
                                     0.1,
                                     0.3,
                                     5e-324,
                                     2.2250738585072014e-308,
                                     2.2250738585072009e-308,
                                     1.7976931348623157e308,
                                     9007199254740992.0,
                                     9007199254740993.0,
                                     1e21,
                                     1e-5,
                                     9.999999999999999e20,
                                     123456789012345680.0,
                                     54.12,
                                     0.30000000000000004};
    for (size_t i = 0; i < sizeof special / sizeof *special; i++) round_trip(special[i]);
    /* 2 million random bit patterns over every exponent */
    for (int i = 0; i < scaled(2000000); i++) {
        const uint64_t bits = next_random(&seed);
        double v;
        memcpy(&v, &bits, sizeof v);
        if (v != v || v == INFINITY || v == -INFINITY) continue;
        round_trip(v);
    }
    /* a million values as the analysis makes them: money, ratios, means */
    for (int i = 0; i < scaled(1000000); i++) {
        const uint64_t r = next_random(&seed);
        const double cents = (double)(r % 100000000) / 100.0;
        round_trip(cents);
        round_trip((double)(r % 10000) / (double)(1 + (r >> 40) % 97));
    }
    /* shortest: never more digits than the shortest correctly rounded %.Ne that reads back */
    for (int i = 0; i < scaled(100000); i++) {
        const uint64_t bits = next_random(&seed);
        double v;
        memcpy(&v, &bits, sizeof v);
        if (i % 2) v = (double)(bits % 1000000) / 7.0;
        if (v != v || v == INFINITY || v == -INFINITY || v == 0) continue;
        char buf[NUM_MAX + 1], ref[40];
        buf[num_write_shortest(buf, v)] = '\0';
        int digits = 17;
        for (int d = 1; d <= 17; d++) {
            snprintf(ref, sizeof ref, "%.*e", d - 1, v);
            if (strtod(ref, NULL) == v) {
                digits = d;
                break;
            }
        }
        if (significant(buf) > digits) fail_msg("%s has more digits than %.*e", buf, digits - 1, v);
    }
    /* the forms */
    char buf[NUM_MAX + 1];
    buf[num_write_shortest(buf, 1e21)] = '\0';
    assert_string_equal(buf, "1e+21");
    buf[num_write_shortest(buf, 1e20)] = '\0';
    assert_string_equal(buf, "100000000000000000000");
    buf[num_write_shortest(buf, 0.00001)] = '\0';
    assert_string_equal(buf, "0.00001");
    buf[num_write_shortest(buf, 1.5e-7)] = '\0';
    assert_string_equal(buf, "1.5e-07");
    buf[num_write_shortest(buf, -2.5)] = '\0';
    assert_string_equal(buf, "-2.5");
    buf[num_write_shortest(buf, 5e-324)] = '\0';
    assert_string_equal(buf, "5e-324");
    buf[num_write_shortest(buf, 0.1 + 0.2)] = '\0';
    assert_string_equal(buf, "0.30000000000000004");
    buf[num_write_shortest(buf, NAN)] = '\0';
    assert_string_equal(buf, "nan");
    buf[num_write_shortest(buf, -INFINITY)] = '\0';
    assert_string_equal(buf, "-inf");
}

static void test_fixed_and_integers(void **state) {
    (void)state;
    char buf[NUM_MAX + 1];
    buf[num_write_fixed(buf, 54.12, 2)] = '\0';
    assert_string_equal(buf, "54.12");
    buf[num_write_fixed(buf, 0.1 + 0.2, 2)] = '\0';
    assert_string_equal(buf, ""); /* 0.30000000000000004 is not a 2-decimal number */
    buf[num_write_fixed(buf, 39.25, 2)] = '\0';
    assert_string_equal(buf, "39.25");
    buf[num_write_fixed(buf, 100, 2)] = '\0';
    assert_string_equal(buf, "100.00");
    buf[num_write_fixed(buf, -0.05, 2)] = '\0';
    assert_string_equal(buf, "-0.05");
    buf[num_write_fixed(buf, 7, 0)] = '\0';
    assert_string_equal(buf, "7");
    assert_int_equal(num_write_fixed(buf, 1.0 / 3.0, 2), 0);
    assert_int_equal(num_write_fixed(buf, 1e300, 2), 0);
    assert_int_equal(num_write_fixed(buf, NAN, 2), 0);
    buf[num_write_u64(buf, UINT64_MAX)] = '\0';
    assert_string_equal(buf, "18446744073709551615");
    buf[num_write_i64(buf, INT64_MIN)] = '\0';
    assert_string_equal(buf, "-9223372036854775808");
    buf[num_write_u64(buf, 0)] = '\0';
    assert_string_equal(buf, "0");

    uint64_t u;
    int64_t i;
    assert_true(num_parse_u64("18446744073709551615", 20, 1, &u) && u == UINT64_MAX);
    assert_false(num_parse_u64("18446744073709551616", 20, 1, &u));
    assert_false(num_parse_u64("007", 3, 1, &u));
    assert_true(num_parse_u64("007", 3, 0, &u) && u == 7);
    assert_true(num_parse_u64("0", 1, 1, &u) && u == 0);
    assert_false(num_parse_u64("", 0, 1, &u));
    assert_false(num_parse_u64("1a", 2, 1, &u));
    assert_true(num_parse_i64("-9223372036854775808", 20, &i) && i == INT64_MIN);
    assert_false(num_parse_i64("9223372036854775808", 19, &i));
    assert_true(num_parse_i64("+42", 3, &i) && i == 42);
}

static void test_parse_double(void **state) {
    (void)state;
    double v;
    int d;
    assert_true(num_parse_double("54.120", 6, '.', &v, &d) && v == 54.12 && d == 3);
    assert_true(num_parse_double("12,50", 5, ',', &v, &d) && v == 12.5 && d == 2);
    assert_false(num_parse_double("12,50", 5, '.', &v, &d));
    assert_false(num_parse_double("1.234,5", 7, ',', &v, &d));
    assert_true(num_parse_double("-0.5", 4, '.', &v, &d) && v == -0.5 && d == 1);
    assert_true(num_parse_double("1e3", 3, '.', &v, &d) && v == 1000 && d == -1);
    assert_true(num_parse_double("7", 1, '.', &v, &d) && v == 7 && d == 0);
    assert_true(num_parse_double(".5", 2, '.', &v, &d) && v == 0.5);
    assert_true(num_parse_double("nan", 3, '.', &v, &d) && v != v);
    assert_true(num_parse_double("-inf", 4, '.', &v, &d) && v == -INFINITY);
    assert_false(num_parse_double("", 0, '.', &v, &d));
    assert_false(num_parse_double("1.2.3", 5, '.', &v, &d));
    assert_false(num_parse_double(" 1", 2, '.', &v, &d));
    assert_false(num_parse_double("1e", 2, '.', &v, &d));
    assert_false(num_parse_double("abc", 3, '.', &v, &d));
    /* exact: every decimal of up to 19 significant digits reads as strtod reads it */
    uint64_t seed = 7;
    for (int k = 0; k < scaled(300000); k++) {
        char text[64];
        const uint64_t r = next_random(&seed);
        const int digits = 1 + (int)(r % 19), point = (int)((r >> 8) % (uint64_t)(digits + 1));
        int n = 0;
        if (r >> 63) text[n++] = '-';
        for (int j = 0; j < digits; j++) {
            if (j == point && j > 0) text[n++] = '.';
            text[n++] = (char)('0' + next_random(&seed) % 10);
        }
        if ((r >> 20) % 4 == 0)
            n += snprintf(text + n, sizeof text - (size_t)n, "e%d", (int)((r >> 24) % 40) - 20);
        text[n] = '\0';
        const double ref = strtod(text, NULL);
        assert_true(num_parse_double(text, (size_t)n, '.', &v, NULL));
        if (memcmp(&v, &ref, sizeof v) != 0) fail_msg("%s read as %.17g, strtod %.17g", text, v, ref);
    }
}

static void test_time_formats(void **state) {
    (void)state;
    int64_t t;
    int32_t day;
    int integer;
    assert_int_equal(time_format_from_name("yyyymmdd"), TIME_YYYYMMDD);
    assert_int_equal(time_format_from_name("DD.MM.YYYY"), TIME_DMY);
    assert_int_equal(time_format_from_name("mm-dd-yyyy"), TIME_MDY);
    assert_int_equal(time_format_from_name("YYYY-MM-DD"), TIME_ISO);
    assert_int_equal(time_format_from_name("julian"), -1);
    assert_true(time_parse(TIME_DMY, 0, "02/01/2025", 10, &t, NULL) && t == 1735776000);
    assert_true(time_parse(TIME_MDY, 0, "01/02/2025", 10, &t, NULL) && t == 1735776000);
    assert_true(time_parse(TIME_DMY, 0, "2.1.2025 10:30", 14, &t, NULL) && t == 1735776000 + 37800);
    assert_false(time_parse(TIME_DMY, 0, "31/02/2025", 10, &t, NULL));
    assert_false(time_parse(TIME_MDY, 0, "13/01/2025", 10, &t, NULL));
    assert_true(time_parse(TIME_YYYYMMDD, 0, "19970101", 8, &t, NULL) && t == 852076800);
    assert_false(time_parse(TIME_YYYYMMDD, 0, "19971301", 8, &t, NULL));
    assert_true(time_parse(TIME_EPOCH_MS, 0, "1700000000999", 13, &t, NULL) && t == 1700000000);
    assert_true(time_parse(TIME_EPOCH_MS, 0, "-1", 2, &t, NULL) && t == -1);
    assert_true(time_parse(TIME_AUTO, 0, "1700000000", 10, &t, &integer) && integer == 1);
    assert_true(time_parse(TIME_AUTO, 0, "2025-01-02T10:30:00.250+05:30", 29, &t, &integer) && integer == 0);
    assert_int_equal(t, 1735776000 + 37800 - 19800);
    assert_true(time_parse(TIME_ISO, 0, "2025/01/02", 10, &t, NULL) && t == 1735776000);
    assert_false(time_parse(TIME_ISO, 0, "2025-01-02T25:00", 16, &t, NULL));
    assert_false(time_parse(TIME_ISO, 0, "2025-01-02X", 11, &t, NULL));
    assert_false(time_parse(TIME_AUTO, 0, "", 0, &t, NULL));
    assert_true(time_parse_day(TIME_AUTO, "1980-02-29", 10, &day) && day == 3711);
    assert_false(time_parse_day(TIME_AUTO, "1980-02-30", 10, &day));
    assert_true(time_parse_day(TIME_DMY, "29/02/1980", 10, &day) && day == 3711);
    char buf[16];
    buf[time_write_day(buf, 3711)] = '\0';
    assert_string_equal(buf, "1980-02-29");
    buf[time_write_day(buf, -719162)] = '\0';
    assert_string_equal(buf, "0001-01-01");
}

/* ---- writing ---- */

static char *write_to_memory(cli_format format, const cli_analysis *a, const char *columns) {
    cli_write_options wo;
    int *cols = NULL;
    size_t n = 0;
    char err[256];
    memset(&wo, 0, sizeof wo);
    if (columns) assert_int_equal(cli_parse_columns(columns, &cols, &n, err, sizeof err), 1);
    wo.labels = a->labels;
    wo.money_decimals = a->data.stats[0].decimals;
    wo.columns = cols;
    wo.ncolumns = n;
    wo.threads = 1;
    cli_sink s;
    cli_sink_memory(&s);
    if (!cli_write_result(&s, format, a->result, &wo, err, sizeof err)) fail_msg("%s", err);
    cli_sink_write(&s, "", 1);
    free(cols);
    return s.buf;
}

static void test_writers(void **state) {
    (void)state;
    crm_config *cfg;
    cli_analysis a;
    assert_int_equal(crm_config_create(NULL, &cfg, NULL), CRM_STATUS_OK);
    cli_load_options o;
    cli_load_options_init(&o);
    o.quiet = 1;
    o.path[0] = data_file("non_utf8.csv");
    assert_int_equal(cli_analyze(&o, cfg, &a), CLI_EXIT_OK);
    char *csv = write_to_memory(CLI_FORMAT_CSV, &a, "customer_id,monetary,first_purchase,segment");
    assert_string_equal(csv, "customer_id,monetary,first_purchase,segment\n"
                             "M\xc3\xbcller,3,2023-11-14,Hibernating\n"
                             "M\xfcller,1,2023-11-14,Lost\n"
                             "\xff\xfe,2,2023-11-14,Lost\n");
    free(csv);
    char *json =
        write_to_memory(CLI_FORMAT_JSONL, &a, "customer_id,monetary,last_call,churn_flags,unsubscribed");
    assert_string_equal(json, "{\"customer_id\":\"M\xc3\xbcller\",\"monetary\":3,\"last_call\":null,"
                              "\"churn_flags\":[],\"unsubscribed\":false}\n"
                              "{\"customer_id\":\"M\\u00fcller\",\"monetary\":1,\"last_call\":null,"
                              "\"churn_flags\":[],\"unsubscribed\":false}\n"
                              "{\"customer_id\":\"\\u00ff\\u00fe\",\"monetary\":2,\"last_call\":null,"
                              "\"churn_flags\":[],\"unsubscribed\":false}\n");
    free(json);
    cli_analysis_free(&a);
    /* 200 days later every customer is inactive, the key one lapsing too */
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, 1700000000 + 200 * 86400, NULL),
                     CRM_STATUS_OK);
    assert_int_equal(cli_analyze(&o, cfg, &a), CLI_EXIT_OK);
    json = write_to_memory(CLI_FORMAT_JSONL, &a, "churn_flags,recency_days");
    csv = write_to_memory(CLI_FORMAT_CSV, &a, "churn_flags,value_tier");
    assert_string_equal(json, "{\"churn_flags\":[\"inactive\",\"value_lapsing\"],\"recency_days\":200}\n"
                              "{\"churn_flags\":[\"inactive\",\"value_lapsing\"],\"recency_days\":200}\n"
                              "{\"churn_flags\":[\"inactive\",\"value_lapsing\"],\"recency_days\":200}\n");
    assert_string_equal(csv,
                        "churn_flags,value_tier\ninactive|value_lapsing,key\ninactive|value_lapsing,major\n"
                        "inactive|value_lapsing,key\n");
    free(json);
    free(csv);
    cli_analysis_free(&a);
    assert_int_equal(crm_config_reset(cfg, CRM_OPTION_AS_OF, NULL), CRM_STATUS_OK);

    /* ids with the delimiter and quotes are quoted; amounts keep the input's decimals */
    const char *text = "customer_id,time,amount\n\"a,b\",1700000000,10.50\n\"say \"\"x\"\"\",1700000000,0.1\n"
                       "\"say \"\"x\"\"\",1700000000,0.2\n";
    char path[512];
    snprintf(path, sizeof path, "%s/test_csv_quoted_ids.csv", CRM_TEST_SCRATCH_DIR);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    o.path[0] = path;
    assert_int_equal(cli_analyze(&o, cfg, &a), CLI_EXIT_OK);
    csv = write_to_memory(CLI_FORMAT_CSV, &a, "customer_id,monetary,avg_spend,purchase_days");
    assert_string_equal(csv, "customer_id,monetary,avg_spend,purchase_days\n"
                             "\"a,b\",10.50,10.50,1\n"
                             "\"say \"\"x\"\"\",0.30,0.30,1\n");
    free(csv);
    char *table = write_to_memory(CLI_FORMAT_TABLE, &a, "customer_id,monetary,segment");
    assert_string_equal(table, "customer_id  monetary  segment\n"
                               "a,b             10.50  Hibernating\n"
                               "say \"x\"          0.30  Lost\n");
    free(table);
    /* the whole table: a header of every column and one line per row */
    csv = write_to_memory(CLI_FORMAT_CSV, &a, NULL);
    size_t lines = 0;
    for (const char *p = csv; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, 3);
    assert_true(strncmp(csv, "customer_id,first_purchase,", 27) == 0);
    free(csv);
    /* a column the result lacks, an unknown one */
    int *cols = NULL;
    size_t n = 0;
    char err[256];
    cli_write_options wo;
    memset(&wo, 0, sizeof wo);
    assert_int_equal(cli_parse_columns("customer_id,p_alive", &cols, &n, err, sizeof err), 1);
    wo.columns = cols;
    wo.ncolumns = n;
    cli_sink s;
    cli_sink_memory(&s);
    assert_int_equal(cli_write_result(&s, CLI_FORMAT_CSV, a.result, &wo, err, sizeof err), 0);
    assert_true(strstr(err, "p_alive") != NULL);
    cli_sink_close(&s);
    free(cols);
    assert_int_equal(cli_parse_columns("customer_id,colour", &cols, &n, err, sizeof err), 0);
    cli_analysis_free(&a);
    remove(path);
    crm_config_free(cfg);
}

/* The writers on several threads give the bytes of one thread. */
static void test_threaded_writer(void **state) {
    (void)state;
    const size_t customers = 40000;
    crm_transaction *tx = malloc(customers * 3 * sizeof *tx);
    uint64_t seed = 3;
    for (size_t i = 0; i < customers * 3; i++) {
        tx[i].customer_id = 1000 + i % customers;
        tx[i].time = 1700000000 + (int64_t)(next_random(&seed) % 40000000);
        tx[i].amount = (double)(next_random(&seed) % 100000) / 100.0;
    }
    crm_transactions view;
    crm_result *res;
    assert_int_equal(crm_transactions_from_array(&view, tx, customers * 3, NULL), CRM_STATUS_OK);
    assert_int_equal(crm_analyze(NULL, &view, NULL, NULL, &res, NULL), CRM_STATUS_OK);
    cli_write_options wo;
    memset(&wo, 0, sizeof wo);
    wo.money_decimals = 2;
    char err[64];
    for (int format = CLI_FORMAT_CSV; format <= CLI_FORMAT_JSONL; format++) {
        cli_sink one, four;
        cli_sink_memory(&one);
        cli_sink_memory(&four);
        wo.threads = 1;
        assert_int_equal(cli_write_result(&one, (cli_format)format, res, &wo, err, sizeof err), 1);
        wo.threads = 4;
        assert_int_equal(cli_write_result(&four, (cli_format)format, res, &wo, err, sizeof err), 1);
        assert_int_equal(one.len, four.len);
        assert_memory_equal(one.buf, four.buf, one.len);
        cli_sink_close(&one);
        cli_sink_close(&four);
    }
    crm_result_free(res);
    free(tx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_reader_cases),
        cmocka_unit_test(test_huge_fields),
        cmocka_unit_test(test_load_ids),
        cmocka_unit_test(test_load_times),
        cmocka_unit_test(test_load_numbers_and_lines),
        cmocka_unit_test(test_shortest_round_trip),
        cmocka_unit_test(test_fixed_and_integers),
        cmocka_unit_test(test_parse_double),
        cmocka_unit_test(test_time_formats),
        cmocka_unit_test(test_writers),
        cmocka_unit_test(test_threaded_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

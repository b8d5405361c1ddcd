/* test_report.c - the HTML report module of the crmkit command (cli/report.c):
 * every section is present, every inline SVG is well-formed XML (checked by
 * the small XML reader below), text from outside is escaped, the call list
 * holds the most valuable high-risk customers in order, the output is the
 * same for the same input, results lacking columns still give a whole page,
 * and write failures are reported. */
#include "crm_test.h"

#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sections[] = {"rfm",        "segments", "value",   "bands",     "lifecycle", "churn",
                                       "complaints", "model",    "holdout", "call-list", "records"};

/* ---- a small XML well-formedness checker ---- */

typedef struct xml {
    const char *p, *end;
    char why[200];
} xml;

static int xml_fail(xml *x, const char *what) {
    snprintf(x->why, sizeof x->why, "%s at \"%.40s\"", what, x->p);
    return 0;
}

static int name_start(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':';
}
static int name_char(char c) { return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }
static int space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* A reference after '&': one of XML's five entities or a character reference. */
static int xml_reference(xml *x) {
    static const char *const named[] = {"amp;", "lt;", "gt;", "quot;", "apos;"};
    x->p++;
    for (size_t i = 0; i < 5; i++) {
        const size_t n = strlen(named[i]);
        if ((size_t)(x->end - x->p) >= n && strncmp(x->p, named[i], n) == 0) {
            x->p += n;
            return 1;
        }
    }
    if (x->p < x->end && *x->p == '#') {
        x->p++;
        int hexa = x->p < x->end && *x->p == 'x';
        if (hexa) x->p++;
        const char *start = x->p;
        while (x->p < x->end &&
               ((*x->p >= '0' && *x->p <= '9') ||
                (hexa && ((*x->p >= 'a' && *x->p <= 'f') || (*x->p >= 'A' && *x->p <= 'F')))))
            x->p++;
        if (x->p > start && x->p < x->end && *x->p == ';') {
            x->p++;
            return 1;
        }
    }
    return xml_fail(x, "bad reference");
}

/* Valid UTF-8 of XML characters over [p, end). */
static int xml_utf8(const unsigned char *p, const unsigned char *end) {
    while (p < end) {
        unsigned c = *p;
        size_t len = c < 0x80                ? 1
                     : c >= 0xC2 && c < 0xE0 ? 2
                     : c >= 0xE0 && c < 0xF0 ? 3
                     : c >= 0xF0 && c < 0xF5 ? 4
                                             : 0;
        if (len == 0 || (size_t)(end - p) < len) return 0;
        if (len == 1 && c < 0x20 && c != '\t' && c != '\n' && c != '\r') return 0;
        for (size_t i = 1; i < len; i++)
            if ((p[i] & 0xC0) != 0x80) return 0;
        p += len;
    }
    return 1;
}

/* One element from x->p (at '<'), recursively; at most depth levels. */
static int xml_element(xml *x, int depth) {
    if (depth > 64) return xml_fail(x, "too deep");
    const char *name = ++x->p;
    if (x->p >= x->end || !name_start(*x->p)) return xml_fail(x, "bad element name");
    while (x->p < x->end && name_char(*x->p)) x->p++;
    const size_t name_len = (size_t)(x->p - name);
    char seen[32][40];
    int nseen = 0;
    for (;;) {
        const char *before = x->p;
        while (x->p < x->end && space(*x->p)) x->p++;
        if (x->p >= x->end) return xml_fail(x, "unterminated tag");
        if (*x->p == '/') {
            if (x->p + 1 >= x->end || x->p[1] != '>') return xml_fail(x, "bad empty tag");
            x->p += 2;
            return 1;
        }
        if (*x->p == '>') {
            x->p++;
            break;
        }
        if (before == x->p) return xml_fail(x, "no space before attribute");
        const char *attr = x->p;
        if (!name_start(*x->p)) return xml_fail(x, "bad attribute name");
        while (x->p < x->end && name_char(*x->p)) x->p++;
        const size_t attr_len = (size_t)(x->p - attr);
        for (int i = 0; i < nseen; i++)
            if (strlen(seen[i]) == attr_len && strncmp(seen[i], attr, attr_len) == 0)
                return xml_fail(x, "duplicate attribute");
        if (nseen < 32 && attr_len < 40) {
            memcpy(seen[nseen], attr, attr_len);
            seen[nseen++][attr_len] = '\0';
        }
        if (x->p >= x->end || *x->p != '=') return xml_fail(x, "attribute without value");
        x->p++;
        if (x->p >= x->end || (*x->p != '"' && *x->p != '\'')) return xml_fail(x, "unquoted attribute");
        const char quote = *x->p++;
        while (x->p < x->end && *x->p != quote) {
            if (*x->p == '<') return xml_fail(x, "'<' in attribute");
            if (*x->p == '&') {
                if (!xml_reference(x)) return 0;
            } else {
                x->p++;
            }
        }
        if (x->p >= x->end) return xml_fail(x, "unterminated attribute");
        x->p++;
    }
    /* Content up to the matching end tag. */
    while (x->p < x->end) {
        if (*x->p == '&') {
            if (!xml_reference(x)) return 0;
        } else if (*x->p == '<') {
            if (x->p + 1 < x->end && x->p[1] == '/') {
                x->p += 2;
                if ((size_t)(x->end - x->p) < name_len || strncmp(x->p, name, name_len) != 0 ||
                    name_char(x->p[name_len]))
                    return xml_fail(x, "mismatched end tag");
                x->p += name_len;
                while (x->p < x->end && space(*x->p)) x->p++;
                if (x->p >= x->end || *x->p != '>') return xml_fail(x, "bad end tag");
                x->p++;
                return 1;
            }
            if (x->end - x->p >= 4 && strncmp(x->p, "<!--", 4) == 0) {
                const char *close = strstr(x->p + 4, "-->");
                if (close == NULL || close >= x->end) return xml_fail(x, "unterminated comment");
                x->p = close + 3;
            } else if (!xml_element(x, depth + 1)) {
                return 0;
            }
        } else {
            x->p++;
        }
    }
    return xml_fail(x, "unterminated element");
}

/* 1 when [start, end) is exactly one well-formed XML element. */
static int xml_well_formed(const char *start, const char *end, char *why, size_t size) {
    xml x = {start, end, ""};
    int ok = xml_utf8((const unsigned char *)start, (const unsigned char *)end);
    if (!ok)
        snprintf(x.why, sizeof x.why, "invalid UTF-8 or control character");
    else
        ok = *x.p == '<' && xml_element(&x, 0) && x.p == end;
    if (ok == 0 && x.why[0] == '\0') snprintf(x.why, sizeof x.why, "text after the element");
    snprintf(why, size, "%s", x.why);
    return ok;
}

static void test_xml_checker(void **state) {
    (void)state;
    char why[256];
    static const char *const good[] = {"<svg/>",
                                       "<svg a=\"1\" b='2'><g><text>x &amp; y &#183;</text></g></svg>",
                                       "<svg><!-- c --><rect/></svg>"};
    static const char *const bad[] = {"<svg><g></svg>",
                                      "<svg a=1/>",
                                      "<svg>&nbsp;</svg>",
                                      "<svg a=\"<\"/>",
                                      "<svg a=\"1\" a=\"2\"/>",
                                      "<svg>x</svg>y",
                                      "<svg><text>\x01</text></svg>",
                                      "<svg>\xC3</svg>"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(xml_well_formed(good[i], good[i] + strlen(good[i]), why, sizeof why));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(xml_well_formed(bad[i], bad[i] + strlen(bad[i]), why, sizeof why));
}

/* ---- rendering into memory ---- */

typedef struct page {
    char *text;
    size_t len;
} page;

/* crmkit_report_write into a temporary file, read back. Fails the test on error. */
static page render(const crmkit_report_input *in) {
    FILE *f = tmpfile();
    assert_non_null(f);
    char err[256] = "unchanged";
    const int rc = crmkit_report_write(f, in, err, sizeof err);
    if (rc != 0) print_error("crmkit_report_write: %s\n", err);
    assert_int_equal(rc, 0);
    assert_string_equal(err, "");
    page pg;
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    const long size = ftell(f);
    assert_true(size > 0);
    rewind(f);
    pg.text = malloc((size_t)size + 1);
    assert_non_null(pg.text);
    pg.len = fread(pg.text, 1, (size_t)size, f);
    assert_int_equal(pg.len, (size_t)size);
    pg.text[pg.len] = '\0';
    fclose(f);
    return pg;
}

/* Every section present, every SVG block well-formed, the page whole and
 * free of scripts and external resources. Returns the number of SVG blocks. */
static int check_page(const page *pg) {
    assert_true(strncmp(pg->text, "<!DOCTYPE html>\n", 16) == 0);
    assert_true(pg->len > 8 && strcmp(pg->text + pg->len - 8, "</html>\n") == 0);
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        char id[64];
        snprintf(id, sizeof id, "id=\"%s\"", sections[i]);
        if (strstr(pg->text, id) == NULL) print_error("section %s missing\n", sections[i]);
        assert_non_null(strstr(pg->text, id));
    }
    assert_null(strstr(pg->text, "<script"));
    assert_null(strstr(pg->text, "https:"));
    assert_null(strstr(pg->text, " src="));
    assert_null(strstr(pg->text, " href="));
    /* The only URL is the SVG namespace. */
    for (const char *u = strstr(pg->text, "http:"); u; u = strstr(u + 1, "http:"))
        assert_true(strncmp(u, "http://www.w3.org/2000/svg\"", 27) == 0);
    int blocks = 0;
    for (const char *s = strstr(pg->text, "<svg"); s; s = strstr(s + 1, "<svg")) {
        const char *e = strstr(s, "</svg>");
        assert_non_null(e);
        char why[256];
        const int ok = xml_well_formed(s, e + 6, why, sizeof why);
        if (!ok) print_error("SVG block %d is not well-formed: %s\n", blocks, why);
        assert_true(ok);
        blocks++;
    }
    return blocks;
}

/* ---- the analyses ---- */

typedef struct fixture {
    crm_transaction *tx;
    size_t ntx;
    crm_interaction *ix;
    size_t nix;
} fixture;

static int setup(void **state) {
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    fx->ntx = crm_test_load_transactions("conformance/transactions_small.csv", &fx->tx);
    fx->nix = crm_test_load_interactions("conformance/interactions_small.csv", &fx->ix);
    *state = fx;
    return 0;
}

static int teardown(void **state) {
    fixture *fx = *state;
    free(fx->tx);
    free(fx->ix);
    free(fx);
    return 0;
}

/* The conformance data analysed with interactions and, when model is not
 * NULL, that purchase model and Gamma-Gamma. */
static crm_result *analyze(const fixture *fx, const char *model, crm_config **keep) {
    crm_config *cfg;
    crm_error err;
    crm_transactions tv;
    crm_interactions iv;
    crm_result *res = NULL;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    if (model) {
        assert_int_equal(crm_config_set_text(cfg, "model", model, &err), CRM_STATUS_OK);
        assert_int_equal(crm_config_set_text(cfg, "spend_model", "1", &err), CRM_STATUS_OK);
    }
    assert_int_equal(crm_transactions_from_array(&tv, fx->tx, fx->ntx, &err), CRM_STATUS_OK);
    assert_int_equal(crm_interactions_from_array(&iv, fx->ix, fx->nix, &err), CRM_STATUS_OK);
    const crm_status st = crm_analyze(cfg, &tv, &iv, NULL, &res, &err);
    if (st != CRM_STATUS_OK) print_error("crm_analyze: %s\n", err.message);
    assert_int_equal(st, CRM_STATUS_OK);
    if (keep)
        *keep = cfg;
    else
        crm_config_free(cfg);
    return res;
}

/* Labels "<x>&\"'L<row>" for every row (hostile markup around a row number). */
static char **hostile_labels(size_t rows) {
    char **labels = calloc(rows, sizeof *labels);
    assert_non_null(labels);
    for (size_t i = 0; i < rows; i++) {
        labels[i] = malloc(48);
        assert_non_null(labels[i]);
        snprintf(labels[i], 48, "<x>&\"'L%zu", i);
    }
    return labels;
}

static void free_labels(char **labels, size_t rows) {
    for (size_t i = 0; i < rows; i++) free(labels[i]);
    free(labels);
}

static void test_full_report(void **state) {
    fixture *fx = *state;
    crm_config *cfg = NULL;
    crm_result *res = analyze(fx, "bgnbd", &cfg);
    assert_non_null(crm_result_model(res, CRM_MODEL_KIND_BGNBD));
    crm_result *split = NULL;
    crm_error err;
    crm_transactions tv;
    assert_int_equal(crm_transactions_from_array(&tv, fx->tx, fx->ntx, &err), CRM_STATUS_OK);
    const int64_t as_of = crm_result_as_of(res);
    assert_int_equal(crm_calibration_split(cfg, &tv, as_of - 180 * 86400LL, as_of, &split, &err),
                     CRM_STATUS_OK);
    const size_t rows = crm_result_rows(res);
    char **labels = hostile_labels(rows);
    crmkit_report_input in;
    memset(&in, 0, sizeof in);
    in.result = res;
    in.calibration = split;
    in.title = "Conformance <data> & \"friends\"";
    in.customer_labels = (const char *const *)labels;
    page pg = render(&in);
    assert_true(check_page(&pg) >= 14);
    /* The figures of every part are there: a heat map cell, the Pareto
     * annotation, the flow chart, a flag's reason, the model's matrices and
     * the holdout check. */
    assert_non_null(strstr(pg.text, "Champions"));
    assert_non_null(strstr(pg.text, "of customers bring"));
    assert_non_null(strstr(pg.text, "From the previous window"));
    assert_non_null(strstr(pg.text, crm_enum_description(CRM_ENUM_FLAG, CRM_FLAG_INACTIVE)));
    assert_non_null(strstr(pg.text, "Answered within SLA"));
    assert_non_null(strstr(pg.text, "P(alive) matrix"));
    assert_non_null(strstr(pg.text, "&#215;</text>")); /* the impossible cells x = 0, t_x > 0 */
    assert_non_null(strstr(pg.text, "Mean purchase days in the holdout"));
    /* The title and the labels are escaped, never markup. */
    assert_non_null(strstr(pg.text, "<h1>Conformance &lt;data&gt; &amp; &quot;friends&quot;</h1>"));
    assert_null(strstr(pg.text, "<data>"));
    assert_null(strstr(pg.text, "<x>"));
    assert_non_null(strstr(pg.text, "&lt;x&gt;&amp;&quot;&#39;L"));
    free(pg.text);
    free_labels(labels, rows);
    crm_result_free(split);
    crm_result_free(res);
    crm_config_free(cfg);
}

/* The rows of the call list in page order, read from the labels "...L<row>". */
static size_t listed_rows(const page *pg, size_t *rows, size_t cap) {
    const char *table = strstr(pg->text, "<table class=\"calls\">");
    if (table == NULL) return 0;
    const char *end = strstr(table, "</table>");
    size_t n = 0;
    for (const char *p = strstr(table, "&#39;L"); p && p < end && n < cap; p = strstr(p + 1, "&#39;L"))
        rows[n++] = strtoul(p + 6, NULL, 10);
    return n;
}

typedef struct candidate {
    double key, second;
    uint64_t id;
    size_t row;
} candidate;

static int by_value(const void *pa, const void *pb) {
    const candidate *a = pa, *b = pb;
    if (a->key != b->key) return a->key > b->key ? -1 : 1;
    if (a->second != b->second) return a->second > b->second ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* The call list: high-risk customers only, by clv (monetary without a
 * model), as many as asked for. */
static void check_call_list(crm_result *res, size_t want) {
    const size_t rows = crm_result_rows(res);
    char **labels = hostile_labels(rows);
    crmkit_report_input in;
    memset(&in, 0, sizeof in);
    in.result = res;
    in.customer_labels = (const char *const *)labels;
    in.call_list = want;
    page pg = render(&in);
    check_page(&pg);
    const int32_t *risk = crm_result_i32(res, CRM_COLUMN_RISK_LEVEL);
    const double *clv = crm_result_f64(res, CRM_COLUMN_CLV);
    const double *mon = crm_result_f64(res, CRM_COLUMN_MONETARY);
    const uint64_t *ids = crm_result_u64(res, CRM_COLUMN_CUSTOMER_ID);
    candidate *c = calloc(rows, sizeof *c);
    assert_non_null(c);
    size_t n = 0;
    for (size_t i = 0; i < rows; i++) {
        if (risk[i] != CRM_RISK_HIGH) continue;
        c[n].key = clv ? clv[i] : mon[i];
        c[n].second = clv ? mon[i] : 0.0;
        c[n].id = ids[i];
        c[n].row = i;
        n++;
    }
    assert_true(n > want); /* the data has more high-risk customers than the list shows */
    qsort(c, n, sizeof *c, by_value);
    size_t got[64];
    const size_t listed = listed_rows(&pg, got, 64);
    assert_int_equal(listed, want);
    for (size_t k = 0; k < listed; k++) {
        if (got[k] != c[k].row)
            print_error("call list place %zu: row %zu, expected row %zu\n", k + 1, got[k], c[k].row);
        assert_int_equal(got[k], c[k].row);
    }
    for (size_t k = 1; k < listed; k++) { /* and so in decreasing value */
        const double *v = clv ? clv : mon;
        assert_true(v[got[k - 1]] >= v[got[k]]);
    }
    free(c);
    free(pg.text);
    free_labels(labels, rows);
}

static void test_call_list_order(void **state) {
    fixture *fx = *state;
    crm_result *res = analyze(fx, "bgnbd", NULL);
    assert_non_null(crm_result_f64(res, CRM_COLUMN_CLV));
    check_call_list(res, 7);
    crm_result_free(res);
    res = analyze(fx, NULL, NULL);
    assert_null(crm_result_f64(res, CRM_COLUMN_CLV));
    check_call_list(res, 12);
    crm_result_free(res);
}

static void test_default_call_list_and_ids(void **state) {
    fixture *fx = *state;
    crm_result *res = analyze(fx, NULL, NULL);
    crmkit_report_input in;
    memset(&in, 0, sizeof in);
    in.result = res;
    page pg = render(&in);
    check_page(&pg);
    assert_non_null(strstr(pg.text, "<title>crmkit report</title>"));
    /* 20 rows by default; without labels the numeric ids are shown. */
    const char *table = strstr(pg.text, "<table class=\"calls\">");
    assert_non_null(table);
    size_t rows = 0;
    for (const char *p = strstr(table, "<tr><td class=\"n\">"); p; p = strstr(p + 1, "<tr><td class=\"n\">"))
        rows++;
    assert_int_equal(rows, 20);
    const char *first = strstr(table, "<tr><td class=\"n\">1</td><td>");
    assert_non_null(first);
    const unsigned long long id = strtoull(first + strlen("<tr><td class=\"n\">1</td><td>"), NULL, 10);
    assert_true(crm_result_find(res, (uint64_t)id) >= 0);
    /* A label array with holes falls back to the id. */
    char **labels = hostile_labels(crm_result_rows(res));
    const int64_t row = crm_result_find(res, (uint64_t)id);
    free(labels[(size_t)row]);
    labels[(size_t)row] = NULL;
    in.customer_labels = (const char *const *)labels;
    page pg2 = render(&in);
    char expect[96];
    snprintf(expect, sizeof expect, "<tr><td class=\"n\">1</td><td>%llu</td>", id);
    assert_non_null(strstr(pg2.text, expect));
    free_labels(labels, crm_result_rows(res));
    free(pg2.text);
    free(pg.text);
    crm_result_free(res);
}

static void test_deterministic(void **state) {
    fixture *fx = *state;
    crm_result *res = analyze(fx, "pareto_nbd", NULL);
    crmkit_report_input in;
    memset(&in, 0, sizeof in);
    in.result = res;
    page a = render(&in), b = render(&in);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.text, b.text, a.len);
    check_page(&a);
    free(a.text);
    free(b.text);
    crm_result_free(res);
}

/* Text that is not valid UTF-8 or holds control characters still gives
 * well-formed SVG: rule names of a caller segment map go into the heat map. */
static void test_hostile_text(void **state) {
    fixture *fx = *state;
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_RFM_BINS, 4, &err), CRM_STATUS_OK);
    const crm_segment_rule rules[] = {
        {"<Top & \"best\">", 3, 5, 1, 5, 1, 5},
        {"bad \xC3\x28 utf-8 \x01 and a very long name that goes on and on and on", 1, 3, 1, 5, 1, 3},
        {"]]> </svg> &amp;", 1, 3, 1, 5, 3, 5},
    };
    assert_int_equal(crm_config_set_segment_rules(cfg, rules, 3, &err), CRM_STATUS_OK);
    crm_transactions tv;
    assert_int_equal(crm_transactions_from_array(&tv, fx->tx, fx->ntx, &err), CRM_STATUS_OK);
    crm_result *res = NULL;
    assert_int_equal(crm_analyze(cfg, &tv, NULL, NULL, &res, &err), CRM_STATUS_OK);
    crmkit_report_input in;
    memset(&in, 0, sizeof in);
    in.result = res;
    in.title = "\x7F\x80 title \xF0\x9F\x93\x88 \xED\xA0\x80";
    page pg = render(&in);
    check_page(&pg);
    assert_non_null(strstr(pg.text, "&lt;Top &amp; &quot;best&quot;&gt;"));
    assert_non_null(strstr(pg.text, "]]&gt; &lt;/svg&gt; &amp;amp;"));
    assert_null(strstr(pg.text, "\x01"));
    assert_non_null(strstr(pg.text, "bad \xEF\xBF\xBD( utf-8 \xEF\xBF\xBD and"));
    assert_non_null(strstr(pg.text, "\xF0\x9F\x93\x88")); /* valid UTF-8 passes through */
    assert_non_null(strstr(pg.text, "Scores run 1 to 4"));
    free(pg.text);
    crm_result_free(res);
    crm_config_free(cfg);
}

/* Results that lack most columns, one customer, or interactions only: every
 * section is still there, saying why it is empty. */
static void test_sparse_results(void **state) {
    fixture *fx = *state;
    crm_error err;
    crm_transactions tv;
    assert_int_equal(crm_transactions_from_array(&tv, fx->tx, fx->ntx, &err), CRM_STATUS_OK);
    crm_result *split = NULL;
    assert_int_equal(crm_calibration_split(NULL, &tv, 1600000000, 1650000000, &split, &err), CRM_STATUS_OK);
    crmkit_report_input in;
    memset(&in, 0, sizeof in);
    in.result = split; /* a calibration split as the analysis: no scores, no stages */
    in.calibration = split;
    page pg = render(&in);
    check_page(&pg);
    assert_non_null(strstr(pg.text, "No RFM scores in this result"));
    assert_non_null(strstr(pg.text, "no call list"));
    free(pg.text);
    crm_result_free(split);

    const crm_transaction one[] = {{42, 1600000000, 10.0}, {42, 1600500000, -3.0}};
    crm_result *res = crm_test_analyze(NULL, one, 2);
    in.result = res;
    in.calibration = NULL;
    pg = render(&in);
    check_page(&pg);
    free(pg.text);
    crm_result_free(res);

    /* Ten scores, ntile ties: the map shows them on the 1 to 5 scale. */
    crm_config *cfg;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "rfm_bins", "10", &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "ties", "ntile", &err), CRM_STATUS_OK);
    res = crm_test_analyze(cfg, fx->tx, fx->ntx);
    in.result = res;
    pg = render(&in);
    check_page(&pg);
    assert_non_null(strstr(pg.text, "Scores run 1 to 10"));
    assert_non_null(strstr(pg.text, "Champions"));
    free(pg.text);
    crm_result_free(res);
    crm_config_free(cfg);

    crm_interactions iv;
    assert_int_equal(crm_interactions_from_array(&iv, fx->ix, 50, &err), CRM_STATUS_OK);
    res = NULL;
    assert_int_equal(crm_analyze(NULL, NULL, &iv, NULL, &res, &err), CRM_STATUS_OK);
    in.result = res;
    pg = render(&in);
    check_page(&pg);
    free(pg.text);
    crm_result_free(res);
}

static void test_bad_arguments_and_write_failures(void **state) {
    fixture *fx = *state;
    crm_result *res = analyze(fx, NULL, NULL);
    crmkit_report_input in;
    memset(&in, 0, sizeof in);
    in.result = res;
    char err[256];

    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(crmkit_report_write(NULL, &in, err, sizeof err), -1);
    assert_non_null(strstr(err, "no output stream"));
    assert_int_equal(crmkit_report_write(f, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "no analysis result"));
    crmkit_report_input empty;
    memset(&empty, 0, sizeof empty);
    assert_int_equal(crmkit_report_write(f, &empty, err, sizeof err), -1);
    assert_non_null(strstr(err, "no analysis result"));
    assert_int_equal(crmkit_report_write(f, NULL, NULL, 0), -1); /* no room for a message: none written */
    char tiny[8] = "xxxxxxx";
    assert_int_equal(crmkit_report_write(NULL, &in, tiny, sizeof tiny), -1);
    assert_int_equal(strlen(tiny), 7); /* truncated, terminated */
    fclose(f);

    /* A stream open for reading only: the first write fails. */
    char path[1024];
    f = fopen(crm_test_data_path(path, sizeof path, "conformance/README.md"), "r");
    assert_non_null(f);
    err[0] = '\0';
    assert_int_equal(crmkit_report_write(f, &in, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot write the report"));
    fclose(f);

    /* A full device: the writes are buffered, the flush fails. */
    f = fopen("/dev/full", "w");
    if (f != NULL) {
        err[0] = '\0';
        assert_int_equal(crmkit_report_write(f, &in, err, sizeof err), -1);
        assert_non_null(strstr(err, "cannot write the report"));
        fclose(f);
    }
    crm_result_free(res);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xml_checker),     cmocka_unit_test(test_full_report),
        cmocka_unit_test(test_call_list_order), cmocka_unit_test(test_default_call_list_and_ids),
        cmocka_unit_test(test_deterministic),   cmocka_unit_test(test_hostile_text),
        cmocka_unit_test(test_sparse_results),  cmocka_unit_test(test_bad_arguments_and_write_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

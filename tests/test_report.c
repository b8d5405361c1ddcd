/* test_report.c - the HTML report module of the crmkit command (cli/report.c):
 * every section is present, every inline SVG is well-formed XML (checked by
 * the small XML reader below), text from outside is escaped, the call list
 * holds the most valuable high-risk customers in order, the output is the
 * same for the same input, results lacking columns still give a whole page,
 * and write failures are reported. The Part II sections (profit and the whale
 * curve, customer states and the MAN qualification, the 7:2:1 mix, care this
 * fortnight, win-back actions on the call list) show the result's values, and
 * say why when their input was not supplied. */
#include "crm_test.h"

#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sections[] = {"rfm",       "segments", "value",     "profit",     "bands",
                                       "lifecycle", "states",   "churn",     "complaints", "mix",
                                       "model",     "holdout",  "call-list", "care",       "records"};

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

/* ---- Part II ---- */

/* The conformance data with every optional input: costs (customers whose id
 * is a multiple of 7 buy below cost), discounts (multiples of 5 always get
 * one), purposes for outbound contacts (multiples of 3 get offers only),
 * and attributes: birthdays and relationship starts around the coming
 * fortnight, and eight prospects, one for each money / authority / need
 * combination. */
typedef struct part_two {
    double *cost, *discount;
    crm_interaction *ix;
    crm_customer *cu;
    size_t ncu;
} part_two;

static crm_result *analyze_part_two(const fixture *fx, part_two *p, crm_config *cfg) {
    int64_t latest = fx->tx[0].time;
    for (size_t i = 0; i < fx->ntx; i++)
        if (fx->tx[i].time > latest) latest = fx->tx[i].time;
    const int32_t as_of = (int32_t)(latest / 86400);
    p->cost = calloc(fx->ntx, sizeof *p->cost);
    p->discount = calloc(fx->ntx, sizeof *p->discount);
    p->ix = calloc(fx->nix, sizeof *p->ix);
    p->cu = calloc(fx->ntx + 8, sizeof *p->cu);
    assert_true(p->cost && p->discount && p->ix && p->cu);
    for (size_t i = 0; i < fx->ntx; i++) {
        const uint64_t id = fx->tx[i].customer_id;
        const double a = fx->tx[i].amount;
        p->cost[i] = (id % 7 == 0 ? 1.4 : 0.6) * a;
        p->discount[i] = id % 5 == 0 && a > 0 ? 0.2 * a : 0.0;
    }
    for (size_t i = 0; i < fx->nix; i++) {
        p->ix[i] = fx->ix[i];
        const int32_t k = p->ix[i].kind;
        if (k == CRM_KIND_CALL_OUT || k == CRM_KIND_VISIT_OUT || k == CRM_KIND_EMAIL_OUT ||
            k == CRM_KIND_MESSAGE_OUT)
            p->ix[i].purpose = p->ix[i].customer_id % 3 == 0 ? CRM_PURPOSE_ACTION
                               : i % 10 < 7                  ? CRM_PURPOSE_VALUE
                               : i % 10 < 9                  ? CRM_PURPOSE_RELATIONSHIP
                                                             : CRM_PURPOSE_ACTION;
    }
    /* One attributes record per buying customer. */
    size_t n = 0;
    for (size_t i = 0; i < fx->ntx; i++) {
        const uint64_t id = fx->tx[i].customer_id;
        int seen = 0;
        for (size_t j = 0; j < n && !seen; j++) seen = p->cu[j].customer_id == id;
        if (seen) continue;
        crm_customer *c = &p->cu[n++];
        c->customer_id = id;
        c->birthday = c->relationship_start = CRM_NO_DAY;
        c->money = c->authority = c->need = CRM_ANSWER_UNKNOWN;
        int32_t y, m, d, day;
        assert_int_equal(crm_date_from_day(as_of + (int32_t)(id % 20), &y, &m, &d, NULL), CRM_STATUS_OK);
        if (id % 2 == 0 &&
            crm_day_from_date(y - 30, m, d == 29 && m == 2 ? 28 : d, &day, NULL) == CRM_STATUS_OK)
            c->birthday = day;
        assert_int_equal(crm_date_from_day(as_of + (int32_t)(id % 15), &y, &m, &d, NULL), CRM_STATUS_OK);
        if (id % 4 == 0 &&
            crm_day_from_date(y - 3, m, d == 29 && m == 2 ? 28 : d, &day, NULL) == CRM_STATUS_OK)
            c->relationship_start = day;
    }
    for (int k = 0; k < 8; k++) { /* prospects: M A N, M A n, ..., m a n */
        crm_customer *c = &p->cu[n++];
        c->customer_id = 900001 + (uint64_t)k;
        c->birthday = c->relationship_start = CRM_NO_DAY;
        c->money = k & 4 ? CRM_ANSWER_NO : CRM_ANSWER_YES;
        c->authority = k & 2 ? CRM_ANSWER_NO : CRM_ANSWER_YES;
        c->need = k & 1 ? CRM_ANSWER_NO : CRM_ANSWER_YES;
        c->targeted = k == 0;
    }
    p->ncu = n;
    crm_error err;
    crm_transactions tv;
    crm_interactions iv;
    crm_customers cv;
    assert_int_equal(crm_transactions_from_array(&tv, fx->tx, fx->ntx, &err), CRM_STATUS_OK);
    assert_int_equal(crm_transactions_set_column(&tv, CRM_FIELD_COST, p->cost, 0, &err), CRM_STATUS_OK);
    assert_int_equal(crm_transactions_set_column(&tv, CRM_FIELD_DISCOUNT, p->discount, 0, &err),
                     CRM_STATUS_OK);
    assert_int_equal(crm_interactions_from_array(&iv, p->ix, fx->nix, &err), CRM_STATUS_OK);
    assert_int_equal(crm_customers_from_array(&cv, p->cu, p->ncu, &err), CRM_STATUS_OK);
    crm_result *res = NULL;
    const crm_status st = crm_analyze(cfg, &tv, &iv, &cv, &res, &err);
    if (st != CRM_STATUS_OK) print_error("crm_analyze: %s\n", err.message);
    assert_int_equal(st, CRM_STATUS_OK);
    assert_int_equal(crm_result_records(res, CRM_INPUT_CUSTOMERS, CRM_FATE_ACCEPTED), (int64_t)p->ncu);
    return res;
}

static void part_two_free(part_two *p) {
    free(p->cost);
    free(p->discount);
    free(p->ix);
    free(p->cu);
}

/* The text of the section with this id, from its tag to its end. */
static const char *section_of(const page *pg, const char *id, size_t *len) {
    char tag[64];
    snprintf(tag, sizeof tag, "<section id=\"%s\"", id);
    const char *start = strstr(pg->text, tag);
    assert_non_null(start);
    const char *end = strstr(start, "</section>");
    assert_non_null(end);
    *len = (size_t)(end - start);
    return start;
}

/* 1 when needle occurs in the len characters from hay. */
static int within(const char *hay, size_t len, const char *needle) {
    const size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0) return 1;
    return 0;
}

static void expect_in(const char *hay, size_t len, const char *needle) {
    if (!within(hay, len, needle)) print_error("expected \"%s\" in the section\n", needle);
    assert_true(within(hay, len, needle));
}

/* A snake_case name as the report shows it: first letter capital, '_' as space. */
static void pretty(char *out, size_t size, const char *name) {
    snprintf(out, size, "%s", name);
    for (char *c = out; *c; c++)
        if (*c == '_') *c = ' ';
    if (out[0] >= 'a' && out[0] <= 'z') out[0] = (char)(out[0] - 'a' + 'A');
}

static void test_part_two_sections(void **state) {
    fixture *fx = *state;
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    /* A mix target of the caller's: the report states the configuration's targets. */
    assert_int_equal(crm_config_set_text(cfg, "mix_target_value", "0.6", &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "mix_target_relationship", "0.3", &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "mix_min_contacts", "2", &err), CRM_STATUS_OK);
    part_two p;
    crm_result *res = analyze_part_two(fx, &p, cfg);
    const size_t rows = crm_result_rows(res);
    char **labels = hostile_labels(rows);
    crmkit_report_input in;
    memset(&in, 0, sizeof in);
    in.result = res;
    in.customer_labels = (const char *const *)labels;
    in.config = cfg;
    in.call_list = 40;
    page pg = render(&in);
    assert_true(check_page(&pg) >= 18);
    char buf[256];
    size_t len;
    const char *sec;

    /* Profit: the whale curve, the classes and their counts. */
    sec = section_of(&pg, "profit", &len);
    expect_in(sec, len, "aria-label=\"Whale curve");
    assert_false(within(sec, len, "No profit figures"));
    int64_t unprofitable = 0;
    assert_int_equal(crm_result_group(res, CRM_COLUMN_PROFIT_CLASS, CRM_PROFIT_CLASS_UNPROFITABLE,
                                      &unprofitable, NULL, &err),
                     CRM_STATUS_OK);
    assert_true(unprofitable > 0);
    snprintf(buf, sizeof buf, "<b>%lld</b><span>unprofitable customers", (long long)unprofitable);
    expect_in(sec, len, buf);
    for (int32_t c = CRM_PROFIT_CLASS_TOP; c <= CRM_PROFIT_CLASS_UNPROFITABLE; c++) {
        int64_t n = 0;
        assert_int_equal(crm_result_group(res, CRM_COLUMN_PROFIT_CLASS, c, &n, NULL, &err), CRM_STATUS_OK);
        char name[64];
        pretty(name, sizeof name, crm_enum_name(CRM_ENUM_PROFIT_CLASS, c));
        snprintf(buf, sizeof buf, "%s</span></td><td class=\"n\">%lld</td>", name, (long long)n);
        expect_in(sec, len, buf);
    }
    snprintf(buf, sizeof buf, "%.1f%%", 100.0 * crm_result_metric(res, CRM_METRIC_TOP20_PROFIT_SHARE));
    expect_in(sec, len, buf);

    /* States: every state's count in the funnel; the qualification of the eight prospects. */
    sec = section_of(&pg, "states", &len);
    for (int32_t v = CRM_STATE_NON_CUSTOMER; v <= CRM_STATE_LOST; v++) {
        int64_t n = 0;
        assert_int_equal(crm_result_group(res, CRM_COLUMN_CUSTOMER_STATE, v, &n, NULL, &err), CRM_STATUS_OK);
        if (v == CRM_STATE_NON_CUSTOMER || v == CRM_STATE_TARGET) assert_true(n >= 1);
        snprintf(buf, sizeof buf, "font-weight=\"700\">%lld <tspan", (long long)n);
        expect_in(sec, len, buf);
    }
    expect_in(sec, len, ">Non customer</text>");
    expect_in(sec, len, "<td>Ideal</td><td>M A N</td><td class=\"n\">1</td>");
    expect_in(sec, len, "<td>Develop need</td><td>M A n</td><td class=\"n\">1</td>");
    expect_in(sec, len, "<td>Find decision maker</td><td>M a N</td><td class=\"n\">1</td>");
    expect_in(sec, len, "<td>Offer financing</td><td>m A N</td><td class=\"n\">1</td>");
    expect_in(sec, len, "<td>Stop contact</td><td>m a n</td>");
    expect_in(sec, len, "all three for 8 prospects");

    /* Mix: the configuration's targets, the pooled shares and the customers off the mix. */
    sec = section_of(&pg, "mix", &len);
    expect_in(sec, len, "60.0% value");
    expect_in(sec, len, "30.0% relationship");
    snprintf(buf, sizeof buf, "%.1f%%", 100.0 * crm_result_metric(res, CRM_METRIC_MIX_ACTION));
    expect_in(sec, len, buf);
    int64_t off = 0;
    assert_int_equal(crm_result_group(res, CRM_COLUMN_CHURN_FLAGS, CRM_FLAG_MIX_OFF, &off, NULL, &err),
                     CRM_STATUS_OK);
    assert_true(off > 0);
    const uint64_t *flags = crm_result_u64(res, CRM_COLUMN_CHURN_FLAGS);
    const double *mon = crm_result_f64(res, CRM_COLUMN_MONETARY);
    size_t best = rows;
    for (size_t i = 0; i < rows; i++)
        if ((flags[i] & CRM_FLAG_BIT(CRM_FLAG_MIX_OFF)) && (best == rows || mon[i] > mon[best])) best = i;
    snprintf(buf, sizeof buf, "<tr><td>&lt;x&gt;&amp;&quot;&#39;L%zu</td>",
             best); /* the most valuable first */
    expect_in(sec, len, buf);

    /* Care: the customers with a key date in the next 14 days, with its date. */
    sec = section_of(&pg, "care", &len);
    const int32_t *key = crm_result_i32(res, CRM_COLUMN_NEXT_KEY_DATE);
    const int32_t as_of = crm_result_as_of_day(res);
    size_t due = 0, birthdays = 0;
    for (size_t i = 0; i < rows; i++) {
        if (key[i] == CRM_NO_DAY || key[i] - as_of > 14) continue;
        due++;
        birthdays += crm_result_i32(res, CRM_COLUMN_KEY_DATE_KIND)[i] == CRM_KEY_DATE_BIRTHDAY;
    }
    /* The 30 most valuable are listed with their dates. */
    candidate *c = calloc(due ? due : 1, sizeof *c);
    assert_non_null(c);
    size_t nc = 0;
    for (size_t i = 0; i < rows; i++) {
        if (key[i] == CRM_NO_DAY || key[i] - as_of > 14) continue;
        c[nc].key = mon[i];
        c[nc].second = -(double)key[i];
        c[nc].id = crm_result_u64(res, CRM_COLUMN_CUSTOMER_ID)[i];
        c[nc].row = i;
        nc++;
    }
    qsort(c, nc, sizeof *c, by_value);
    for (size_t k = 0; k < nc && k < 30; k++) {
        int32_t y, m, d;
        assert_int_equal(crm_date_from_day(key[c[k].row], &y, &m, &d, NULL), CRM_STATUS_OK);
        snprintf(buf, sizeof buf, "<tr><td>%04d-%02d-%02d</td><td>", (int)y, (int)m, (int)d);
        expect_in(sec, len, buf);
        snprintf(buf, sizeof buf, "</td><td>&lt;x&gt;&amp;&quot;&#39;L%zu</td>", c[k].row);
        expect_in(sec, len, buf);
    }
    if (nc > 30) {
        snprintf(buf, sizeof buf, "%zu more customers with a key date", nc - 30);
        expect_in(sec, len, buf);
    }
    free(c);
    assert_true(due > 0 && birthdays > 0);
    snprintf(buf, sizeof buf, "%zu key dates in the next 14 days: %zu birthdays", due, birthdays);
    expect_in(sec, len, buf);
    expect_in(sec, len, "class=\"tag milestone\">3 years</span>");

    /* Call list: each listed customer's win-back action and cause. */
    sec = section_of(&pg, "call-list", &len);
    expect_in(sec, len, "Win-back actions for the");
    const int32_t *win = crm_result_i32(res, CRM_COLUMN_WIN_BACK);
    size_t got[64];
    const size_t listed = listed_rows(&pg, got, 64);
    assert_true(listed > 0);
    size_t with_action = 0;
    for (size_t k = 0; k < listed; k++) {
        snprintf(buf, sizeof buf, "&#39;L%zu</td>", got[k]);
        const char *row = strstr(sec, buf);
        assert_non_null(row);
        const char *row_end = strstr(row, "</tr>");
        assert_non_null(row_end);
        char name[64];
        if (win[got[k]] == CRM_WIN_BACK_NONE) {
            snprintf(name, sizeof name, "not lapsing");
        } else {
            pretty(name, sizeof name, crm_enum_name(CRM_ENUM_WIN_BACK, win[got[k]]));
            with_action++;
        }
        expect_in(row, (size_t)(row_end - row), name);
    }
    assert_true(with_action > 0);

    free(pg.text);
    free_labels(labels, rows);
    crm_result_free(res);
    part_two_free(&p);
    crm_config_free(cfg);
}

/* Without the optional inputs every Part II section is there and says why it is empty. */
static void test_part_two_why_not(void **state) {
    fixture *fx = *state;
    crm_result *res = analyze(fx, NULL, NULL);
    crmkit_report_input in;
    memset(&in, 0, sizeof in);
    in.result = res;
    page pg = render(&in);
    check_page(&pg);
    size_t len;
    const char *sec = section_of(&pg, "profit", &len);
    expect_in(sec, len, "No profit figures: the transactions had no cost column.");
    sec = section_of(&pg, "states", &len);
    expect_in(sec, len, "No customer attributes were supplied");
    expect_in(sec, len, "has a known money, authority or need answer");
    sec = section_of(&pg, "mix", &len);
    expect_in(sec, len, "No outbound contact with a purpose in the last 365 days");
    sec = section_of(&pg, "care", &len);
    expect_in(sec, len, "there are no birthdays, and the anniversaries are those of the first purchase");
    sec = section_of(&pg, "call-list", &len);
    expect_in(sec, len, "Win-back actions for the"); /* causes need no optional input */
    free(pg.text);
    crm_result_free(res);

    /* Interactions only: no purchase, no attributes, no key date at all. */
    crm_error err;
    crm_interactions iv;
    assert_int_equal(crm_interactions_from_array(&iv, fx->ix, 50, &err), CRM_STATUS_OK);
    res = NULL;
    assert_int_equal(crm_analyze(NULL, NULL, &iv, NULL, &res, &err), CRM_STATUS_OK);
    in.result = res;
    pg = render(&in);
    check_page(&pg);
    sec = section_of(&pg, "care", &len);
    expect_in(sec, len, "No key dates: no birthday or relationship start was supplied");
    sec = section_of(&pg, "call-list", &len);
    expect_in(sec, len, "No customer is at risk or lapsed");
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
        cmocka_unit_test(test_xml_checker),      cmocka_unit_test(test_full_report),
        cmocka_unit_test(test_call_list_order),  cmocka_unit_test(test_default_call_list_and_ids),
        cmocka_unit_test(test_deterministic),    cmocka_unit_test(test_hostile_text),
        cmocka_unit_test(test_sparse_results),   cmocka_unit_test(test_part_two_sections),
        cmocka_unit_test(test_part_two_why_not), cmocka_unit_test(test_bad_arguments_and_write_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* report.c - the HTML report of an analysis (see report.h).
 *
 * One self-contained page: CSS inline, charts as inline SVG, no script, no
 * external resource (a Content-Security-Policy says so to the browser). It
 * reads only the public result table of crmkit.h. Every text from outside
 * the program (the title, customer labels, segment rule names) is escaped
 * and made valid UTF-8; numbers are formatted here with integer arithmetic,
 * so the page does not depend on the C locale and is byte-identical for the
 * same input. Sections whose columns the result lacks are still present,
 * with a sentence saying why they are empty. */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define RPT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define RPT_PRINTF(f, a)
#endif

#define RING_SLOTS 16 /* formatted numbers alive at once (arguments of one w_printf) */
#define SLOT_SIZE  64

#define DEFAULT_CALL_LIST 20
#define MAX_STAGES        16 /* lifecycle stages the flow chart shows (the enumeration has 8) */
#define MAX_BARS          24 /* categories in one bar chart; the rest become "others" */

/* ---- output: a FILE with a sticky error, and a ring of number buffers ---- */

typedef struct writer {
    FILE *out;
    int failed;      /* a write failed: nothing more is written */
    int saved_errno; /* errno of the first failure */
    int nomem;       /* an allocation failed: the report is incomplete */
    char ring[RING_SLOTS][SLOT_SIZE];
    int slot;
} writer;

static void w_raw(writer *w, const char *s, size_t n) {
    if (w->failed || n == 0) return;
    errno = 0;
    if (fwrite(s, 1, n, w->out) != n) {
        w->failed = 1;
        w->saved_errno = errno;
    }
}

static void w_puts(writer *w, const char *s) { w_raw(w, s, strlen(s)); }

static void w_printf(writer *w, const char *fmt, ...) RPT_PRINTF(2, 3);
static void w_printf(writer *w, const char *fmt, ...) {
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    const int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        w->failed = 1;
        w->saved_errno = EINVAL;
        return;
    }
    if ((size_t)n < sizeof small) {
        w_raw(w, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (big == NULL) {
        w->nomem = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    w_raw(w, big, (size_t)n);
    free(big);
}

static char *slot(writer *w) {
    char *s = w->ring[w->slot];
    w->slot = (w->slot + 1) % RING_SLOTS;
    return s;
}

/* Text as HTML/XML character data or attribute value: markup characters
 * escaped, invalid UTF-8, control characters and non-characters replaced by
 * U+FFFD. At most max code points (0: all); a longer text ends in an
 * ellipsis. pretty: '_' becomes a space and a leading ASCII letter is
 * capitalised (for the snake_case names of the library). */
static void w_text_ex(writer *w, const char *s, size_t max, int pretty) {
    static const char replacement[] = "\xEF\xBF\xBD";
    if (s == NULL) return;
    size_t points = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (max > 0 && points + 1 == max) {
            /* Room for one more: the ellipsis, unless this is the last point. */
            const unsigned char *q = p;
            size_t len = 1;
            if (*q >= 0xC0) {
                while ((q[len] & 0xC0) == 0x80 && len < 4) len++;
            }
            if (q[len] != '\0') {
                w_puts(w, "\xE2\x80\xA6");
                return;
            }
        }
        unsigned c = *p;
        size_t len = 1;
        int ok = 1;
        uint32_t cp = c;
        if (c < 0x80) {
            ok = c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
        } else if (c >= 0xC2 && c <= 0xF4) {
            len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            cp = c & (len == 2 ? 0x1Fu : len == 3 ? 0x0Fu : 0x07u);
            for (size_t i = 1; i < len && ok; i++) {
                if ((p[i] & 0xC0) != 0x80) {
                    ok = 0;
                    len = i;
                } else {
                    cp = (cp << 6) | (p[i] & 0x3Fu);
                }
            }
            if (ok) {
                const uint32_t least = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
                ok = cp >= least && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF) &&
                     !(cp >= 0xFDD0 && cp <= 0xFDEF) && (cp & 0xFFFE) != 0xFFFE;
            }
        } else {
            ok = 0;
        }
        if (!ok) {
            w_puts(w, replacement);
        } else if (len > 1) {
            w_raw(w, (const char *)p, len);
        } else if (c == '&') {
            w_puts(w, "&amp;");
        } else if (c == '<') {
            w_puts(w, "&lt;");
        } else if (c == '>') {
            w_puts(w, "&gt;");
        } else if (c == '"') {
            w_puts(w, "&quot;");
        } else if (c == '\'') {
            w_puts(w, "&#39;");
        } else {
            char ch = (char)c;
            if (pretty && ch == '_') ch = ' ';
            if (pretty && points == 0 && ch >= 'a' && ch <= 'z') ch = (char)(ch - 'a' + 'A');
            w_raw(w, &ch, 1);
        }
        p += len;
        points++;
    }
}

static void w_text(writer *w, const char *s) { w_text_ex(w, s, 0, 0); }

/* A snake_case name as words: "need_faded" as "need faded". */
static void w_words(writer *w, const char *s) {
    char part[64];
    size_t n = 0;
    for (; s && *s; s++) {
        if (*s != '_' && n + 1 < sizeof part) part[n++] = *s;
        if (*s == '_' || s[1] == '\0') {
            part[n] = '\0';
            w_text(w, part);
            if (*s == '_') w_puts(w, " ");
            n = 0;
        }
    }
}

/* ---- numbers, without the C locale ---- */

/* v rounded to `decimals` digits (0..3), with a ',' between thousands when
 * group is set; "n/a" when not finite; scientific when beyond 9e15. */
static const char *fmt_fixed(char *buf, size_t size, double v, int decimals, int group) {
    static const uint64_t scale[] = {1, 10, 100, 1000};
    if (decimals < 0) decimals = 0;
    if (decimals > 3) decimals = 3;
    if (!isfinite(v)) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    const double a = fabs(v) * (double)scale[decimals];
    if (a >= 9e15) {
        int e = 0;
        double m = fabs(v);
        while (m >= 10.0) {
            m /= 10.0;
            e++;
        }
        const uint64_t mm = (uint64_t)llround(m * 100.0);
        snprintf(buf, size, "%s%u.%02ue%d", v < 0 ? "-" : "", (unsigned)(mm / 100), (unsigned)(mm % 100), e);
        return buf;
    }
    const uint64_t u = (uint64_t)llround(a);
    const uint64_t ip = u / scale[decimals], fp = u % scale[decimals];
    char digits[32];
    int nd = 0;
    uint64_t t = ip;
    do {
        digits[nd++] = (char)('0' + t % 10);
        t /= 10;
    } while (t > 0);
    size_t o = 0;
    if (v < 0 && u != 0 && o + 1 < size) buf[o++] = '-';
    for (int i = nd - 1; i >= 0 && o + 1 < size; i--) {
        buf[o++] = digits[i];
        if (group && i > 0 && i % 3 == 0 && o + 1 < size) buf[o++] = ',';
    }
    if (decimals > 0 && o + 1 < size) {
        buf[o++] = '.';
        for (int d = decimals - 1; d >= 0 && o + 1 < size; d--) {
            uint64_t q = fp;
            for (int k = 0; k < d; k++) q /= 10;
            buf[o++] = (char)('0' + q % 10);
        }
    }
    buf[o] = '\0';
    return buf;
}

/* An SVG coordinate or length: one decimal. */
static const char *cn(writer *w, double v) {
    if (!isfinite(v)) v = 0.0;
    return fmt_fixed(slot(w), SLOT_SIZE, v, 1, 0);
}

/* A count with thousands separators. */
static const char *fc(writer *w, int64_t n) {
    char *s = slot(w);
    char tmp[SLOT_SIZE - 2];
    fmt_fixed(tmp, sizeof tmp, (double)(n < 0 ? -n : n), 0, 1);
    snprintf(s, SLOT_SIZE, "%s%s", n < 0 ? "-" : "", tmp);
    return s;
}

/* An amount of money in full: whole units from 100 on, else cents. */
static const char *fm(writer *w, double v) {
    return fmt_fixed(slot(w), SLOT_SIZE, v, fabs(v) >= 100.0 ? 0 : 2, 1);
}

/* An amount in short form for chart labels: 950, 12.3k, 4.61M, 2.1B. */
static const char *fms(writer *w, double v) {
    char *s = slot(w);
    const double a = fabs(v);
    char num[SLOT_SIZE - 2];
    const char *unit = "";
    double x = v;
    if (a >= 1e9) {
        x = v / 1e9;
        unit = "B";
    } else if (a >= 1e6) {
        x = v / 1e6;
        unit = "M";
    } else if (a >= 1e4) {
        x = v / 1e3;
        unit = "k";
    }
    const double ax = fabs(x);
    int decimals;
    if (*unit == '\0')
        decimals = a >= 100 || a == 0 ? 0 : a >= 1 ? 1 : 2;
    else
        decimals = ax >= 100 ? 0 : ax >= 10 ? 1 : 2;
    fmt_fixed(num, sizeof num, x, decimals, *unit == '\0');
    snprintf(s, SLOT_SIZE, "%s%s", num, unit);
    return s;
}

/* A share (0..1) as a percentage: one decimal, two for a small positive share. */
static const char *fp(writer *w, double share) {
    char *s = slot(w);
    if (!isfinite(share)) {
        snprintf(s, SLOT_SIZE, "n/a");
    } else if (share > 0 && share < 0.00005) {
        snprintf(s, SLOT_SIZE, "under 0.01%%");
    } else if (share > 0 && share < 0.0005) {
        char num[SLOT_SIZE - 16];
        snprintf(s, SLOT_SIZE, "%s%%", fmt_fixed(num, sizeof num, share * 100.0, 2, 0));
    } else {
        char num[SLOT_SIZE - 16];
        snprintf(s, SLOT_SIZE, "%s%%", fmt_fixed(num, sizeof num, share * 100.0, 1, 0));
    }
    return s;
}

/* A real number with d decimals. */
static const char *fr(writer *w, double v, int d) { return fmt_fixed(slot(w), SLOT_SIZE, v, d, 1); }

/* A model parameter: four significant digits. */
static const char *fsig(writer *w, double v) {
    const double a = fabs(v);
    const int d = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : 3;
    if (a != 0 && a < 0.001) {
        char *s = slot(w);
        int e = 0;
        double m = a;
        while (m < 1.0) {
            m *= 10.0;
            e--;
        }
        char num[SLOT_SIZE - 16];
        snprintf(s, SLOT_SIZE, "%s%se%d", v < 0 ? "-" : "", fmt_fixed(num, sizeof num, m, 3, 0), e);
        return s;
    }
    return fmt_fixed(slot(w), SLOT_SIZE, v, d, 0);
}

/* YYYY-MM-DD of a day number. */
static const char *fday(writer *w, int32_t day) {
    char *s = slot(w);
    int32_t y = 0, m = 0, d = 0;
    if (day == CRM_NO_DAY || crm_date_from_day(day, &y, &m, &d, NULL) != CRM_STATUS_OK)
        snprintf(s, SLOT_SIZE, "n/a");
    else
        snprintf(s, SLOT_SIZE, "%04ld-%02ld-%02ld", (long)y, (long)m, (long)d);
    return s;
}

/* ---- colours ---- */

typedef struct rgb {
    unsigned char r, g, b;
} rgb;

static const rgb blues[] = {{247, 251, 255}, {222, 235, 247}, {198, 219, 239},
                            {158, 202, 225}, {107, 174, 214}, {66, 146, 198},
                            {33, 113, 181},  {8, 81, 156},    {8, 48, 107}};
static const rgb oranges[] = {{255, 245, 235}, {254, 230, 206}, {253, 208, 162},
                              {253, 174, 107}, {253, 141, 60},  {241, 105, 19},
                              {217, 72, 1},    {166, 54, 3},    {127, 39, 4}};
static const rgb purples[] = {{252, 251, 253}, {239, 237, 245}, {218, 218, 235},
                              {188, 189, 220}, {158, 154, 200}, {128, 125, 186},
                              {106, 81, 163},  {84, 39, 143},   {63, 0, 125}};
static const rgb rdylgn[] = {{165, 0, 38},    {215, 48, 39},   {244, 109, 67},  {253, 174, 97},
                             {254, 224, 139}, {255, 255, 191}, {217, 239, 139}, {166, 217, 106},
                             {102, 189, 99},  {26, 152, 80},   {0, 104, 55}};
#define STOPS(p) (sizeof(p) / sizeof((p)[0]))

static rgb ramp(const rgb *stops, size_t n, double t) {
    if (!(t >= 0)) t = 0;
    if (t > 1) t = 1;
    const double pos = t * (double)(n - 1);
    size_t i = (size_t)pos;
    if (i >= n - 1) i = n - 2;
    const double f = pos - (double)i;
    rgb c;
    c.r = (unsigned char)lround(stops[i].r + f * (stops[i + 1].r - stops[i].r));
    c.g = (unsigned char)lround(stops[i].g + f * (stops[i + 1].g - stops[i].g));
    c.b = (unsigned char)lround(stops[i].b + f * (stops[i + 1].b - stops[i].b));
    return c;
}

static const char *hex(writer *w, rgb c) {
    char *s = slot(w);
    snprintf(s, SLOT_SIZE, "#%02x%02x%02x", c.r, c.g, c.b);
    return s;
}

/* Text colour readable on c. */
static const char *ink_on(rgb c) {
    const double lum = 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;
    return lum < 150 ? "#ffffff" : "#1f2933";
}

#define C_CUSTOMERS "#3a6ea5"
#define C_REVENUE   "#e08a1e"
#define C_GRID      "#e4e7eb"
#define C_INK       "#1f2933"
#define C_MUTED     "#616e7c"

/* Colours of the enumeration values that have a meaning of their own. */
static const char *stage_colour(int32_t v) {
    static const char *const c[] = {"#c7ccd1", "#9aa5b1", "#6baed6", "#2171b5",
                                    "#31a354", "#fd8d3c", "#d62728", "#8c6bb1"};
    return v >= 0 && v < (int32_t)(sizeof c / sizeof c[0]) ? c[v] : "#9aa5b1";
}
static const char *risk_colour(int32_t v) {
    static const char *const c[] = {"#c7ccd1", "#4caf50", "#f2b134", "#d64541"};
    return v >= 0 && v < 4 ? c[v] : "#9aa5b1";
}
static const char *health_colour(int32_t v) {
    static const char *const c[] = {"#c7ccd1", "#d64541", "#f2b134", "#4caf50"};
    return v >= 0 && v < 4 ? c[v] : "#9aa5b1";
}
static const char *tier_colour(int32_t v) {
    static const char *const c[] = {"#c7ccd1", "#08519c", "#4292c6", "#9ecae1", "#d5e5f2"};
    return v >= 0 && v < 5 ? c[v] : "#9aa5b1";
}

/* ---- the report's state ---- */

typedef struct groups {
    int ok;
    int32_t n;
    int64_t *customers;
    double *revenue;
} groups;

typedef struct report {
    writer w;
    const crmkit_report_input *in;
    const crm_result *res;
    size_t rows;
    int64_t customers; /* rows */
    int64_t scored;
    double revenue; /* net, all rows */
    double unit;    /* days per model time unit; 0 when unknown */
    int k;          /* RFM scores 1..k; 0 when no customer was scored */
    const crm_model *model;
    int model_kind;
    double horizon; /* model time units of the expected_purchases column; 0 when unknown */
} report;

static void groups_free(groups *g) {
    free(g->customers);
    free(g->revenue);
    memset(g, 0, sizeof *g);
}

/* Customers and revenue of every value of an enumeration column (or of every flag). */
static groups fetch_groups(report *r, int column) {
    groups g;
    memset(&g, 0, sizeof g);
    const int32_t n = column == CRM_COLUMN_CHURN_FLAGS ? crm_enum_count(CRM_ENUM_FLAG)
                                                       : crm_result_label_count(r->res, column);
    if (n <= 0 || !crm_result_has_column(r->res, column)) return g;
    g.customers = calloc((size_t)n, sizeof *g.customers);
    g.revenue = calloc((size_t)n, sizeof *g.revenue);
    if (g.customers == NULL || g.revenue == NULL) {
        r->w.nomem = 1;
        groups_free(&g);
        return g;
    }
    g.n = n;
    for (int32_t v = 0; v < n; v++) {
        if (crm_result_group(r->res, column, v, &g.customers[v], &g.revenue[v], NULL) != CRM_STATUS_OK) {
            groups_free(&g);
            return g;
        }
        if (!isfinite(g.revenue[v])) g.revenue[v] = 0.0;
    }
    g.ok = 1;
    return g;
}

static double share(double part, double whole) { return whole > 0 && isfinite(part) ? part / whole : 0.0; }

/* The name of value v of an enumeration column, escaped (at most max code points). */
static void w_value_name(report *r, int column, int32_t v, size_t max) {
    writer *w = &r->w;
    if (column == CRM_COLUMN_CHURN_FLAGS) {
        const char *name = crm_enum_name(CRM_ENUM_FLAG, v);
        if (name && strncmp(name, "sla_", 4) == 0) {
            w_puts(w, "SLA ");
            w_text_ex(w, name + 4, max > 4 ? max - 4 : 0, 0);
        } else if (name)
            w_text_ex(w, name, max, 1);
        else
            w_printf(w, "flag %ld", (long)v);
        return;
    }
    if (v == 0) {
        if (column == CRM_COLUMN_PREVIOUS_STAGE)
            w_puts(w, "No record yet");
        else if (column == CRM_COLUMN_LIFECYCLE_STAGE)
            w_puts(w, "None");
        else
            w_puts(w, max > 0 && max < 24 ? "No purchase" : "No purchase (prospects)");
        return;
    }
    const char *label = crm_result_label(r->res, column, v);
    if (label == NULL)
        w_printf(w, "value %ld", (long)v);
    else
        w_text_ex(w, label, max, column != CRM_COLUMN_SEGMENT);
}

/* ---- page frame ---- */

static const char css[] =
    ":root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f3f5f8}"
    "*{box-sizing:border-box}"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "body{margin:0;background:var(--bg);color:var(--ink);"
    "font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,\"Liberation Sans\","
    "sans-serif}"
    "main{max-width:1180px;margin:0 auto;padding:24px}"
    "header.top{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:flex-end;gap:8px}"
    "h1{font-size:26px;margin:0}"
    ".sub{color:var(--muted)}"
    ".kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px;margin:18px 0 8px}"
    ".kpi{background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px 14px}"
    ".kpi b{display:block;font-size:22px;line-height:1.2;font-variant-numeric:tabular-nums}"
    ".kpi span{color:var(--muted);font-size:12px}"
    ".kpi.alert b{color:#b42318}"
    "section{background:#fff;border:1px solid var(--line);border-radius:12px;padding:18px 20px;margin:16px 0}"
    "h2{font-size:19px;margin:0 0 2px}"
    "p.lead{color:var(--muted);margin:0 0 14px}"
    ".row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}"
    ".row>figure{flex:1 1 460px;margin:0;min-width:0}"
    ".row>figure.third{flex:1 1 330px}"
    "figure{margin:0}"
    "figcaption{font-weight:600;font-size:13px;margin:0 0 6px}"
    "figcaption .key{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 12px;"
    "vertical-align:baseline}"
    "svg{max-width:100%;height:auto;display:block}"
    "table{border-collapse:collapse;width:100%;font-size:13px}"
    "th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}"
    "th{font-size:12px;color:var(--muted);font-weight:600}"
    ".n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    "table.matrix{width:auto}table.matrix td,table.matrix th{text-align:right;padding:4px 10px}"
    "table.matrix th[scope=row]{text-align:left}"
    "p.note{color:var(--muted);font-style:italic;margin:6px 0}"
    ".tag{display:inline-block;padding:0 6px;border-radius:8px;font-size:11px;white-space:nowrap}"
    ".late{background:#fde2e1;color:#a61b1b}"
    ".milestone{background:#fdebd3;color:#8a3b00}"
    "ul.why{margin:0;padding-left:16px;font-size:12px}"
    "table.calls td{white-space:nowrap}table.calls td.why{white-space:normal;min-width:250px}"
    "table.calls td.wb{white-space:normal;min-width:96px}"
    "footer{color:var(--muted);font-size:12px;margin:18px 0}"
    "footer table{width:auto}"
    "@media print{body{background:#fff;font-size:12px}main{max-width:none;padding:0}"
    "section,.kpi{break-inside:avoid;border-color:#ccd}section.long{break-inside:auto}}"
    "@page{margin:12mm}";

static void section_open(report *r, const char *id, const char *title, const char *lead) {
    writer *w = &r->w;
    w_printf(w, "<section id=\"%s\"%s>\n<h2>", id, strcmp(id, "call-list") == 0 ? " class=\"long\"" : "");
    w_text(w, title);
    w_puts(w, "</h2>\n");
    if (lead) {
        w_puts(w, "<p class=\"lead\">");
        w_text(w, lead);
        w_puts(w, "</p>\n");
    }
}

static void section_close(report *r) { w_puts(&r->w, "</section>\n"); }

static void note(report *r, const char *text) {
    w_puts(&r->w, "<p class=\"note\">");
    w_text(&r->w, text);
    w_puts(&r->w, "</p>\n");
}

static void svg_open(report *r, double width, double height, const char *label) {
    writer *w = &r->w;
    w_printf(w,
             "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%s\" height=\"%s\" viewBox=\"0 0 %s %s\" "
             "role=\"img\" aria-label=\"",
             cn(w, width), cn(w, height), cn(w, width), cn(w, height));
    w_text(w, label);
    w_puts(w, "\" font-size=\"12\" fill=\"" C_INK "\">\n");
}

static void svg_close(report *r) { w_puts(&r->w, "</svg>\n"); }

static void figure_open(report *r, const char *cls, const char *caption, int legend) {
    writer *w = &r->w;
    w_printf(w, "<figure%s%s%s>\n<figcaption>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
    w_text(w, caption);
    if (legend)
        w_puts(w, "<span class=\"key\" style=\"background:" C_CUSTOMERS "\"></span>customers"
                  "<span class=\"key\" style=\"background:" C_REVENUE "\"></span>revenue");
    w_puts(w, "</figcaption>\n");
}

static void figure_close(report *r) { w_puts(&r->w, "</figure>\n"); }

/* ---- generic charts ---- */

/* Paired horizontal bars: for each shown value of a group set, its share of
 * customers and its share of revenue, on one scale. Values with no customer
 * are left out; beyond MAX_BARS values the smallest are summed as others. */
static void chart_pair_bars(report *r, const groups *g, int column, double width, double label_width,
                            const char *aria) {
    writer *w = &r->w;
    int32_t shown[MAX_BARS];
    int nshown = 0;
    int64_t other_c = 0;
    double other_r = 0.0;
    int nother = 0;
    /* The MAX_BARS - 1 largest by customers keep their bar when there are too many. */
    int32_t nonempty = 0;
    for (int32_t v = 0; v < g->n; v++) nonempty += g->customers[v] > 0;
    for (int32_t v = 0; v < g->n; v++) {
        if (g->customers[v] <= 0) continue;
        int keep = 1;
        if (nonempty > MAX_BARS) {
            int32_t larger = 0;
            for (int32_t u = 0; u < g->n; u++)
                larger += g->customers[u] > g->customers[v] || (g->customers[u] == g->customers[v] && u < v);
            keep = larger < MAX_BARS - 1;
        }
        if (keep) {
            shown[nshown++] = v;
        } else {
            other_c += g->customers[v];
            other_r += g->revenue[v];
            nother++;
        }
    }
    const int bars = nshown + (nother > 0);
    const double row_h = 30.0, top = 6.0;
    const double height = top + row_h * bars + 6.0;
    const double value_w = 112.0;
    const double bar_w = width - label_width - value_w;
    double max_share = 0.0;
    for (int i = 0; i < bars; i++) {
        const int64_t c = i < nshown ? g->customers[shown[i]] : other_c;
        const double rv = i < nshown ? g->revenue[shown[i]] : other_r;
        const double sc = share((double)c, (double)r->customers), sr = share(rv, r->revenue);
        if (sc > max_share) max_share = sc;
        if (sr > max_share) max_share = sr;
    }
    if (max_share <= 0) max_share = 1.0;
    svg_open(r, width, height, aria);
    w_printf(w, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#9aa5b1\"/>\n", cn(w, label_width),
             cn(w, top - 2), cn(w, label_width), cn(w, height - 4));
    for (int i = 0; i < bars; i++) {
        const int64_t c = i < nshown ? g->customers[shown[i]] : other_c;
        const double rv = i < nshown ? g->revenue[shown[i]] : other_r;
        const double sc = share((double)c, (double)r->customers), sr = share(rv, r->revenue);
        const double y = top + row_h * i;
        const double lc = bar_w * sc / max_share, lr = bar_w * (sr > 0 ? sr : 0) / max_share;
        w_printf(w, "<g><title>");
        if (i < nshown)
            w_value_name(r, column, shown[i], 0);
        else
            w_printf(w, "%d others", nother);
        w_printf(w, ": %s customers (%s), revenue %s (%s)</title>\n", fc(w, c), fp(w, sc), fm(w, rv),
                 fp(w, sr));
        w_printf(w, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\">", cn(w, label_width - 8), cn(w, y + 18));
        if (i < nshown)
            w_value_name(r, column, shown[i], (size_t)(label_width / 6.6));
        else
            w_printf(w, "%d others", nother);
        w_puts(w, "</text>\n");
        w_printf(w,
                 "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"11\" rx=\"2\" fill=\"" C_CUSTOMERS "\"/>\n",
                 cn(w, label_width), cn(w, y + 3), cn(w, lc));
        w_printf(w, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"11\" rx=\"2\" fill=\"" C_REVENUE "\"/>\n",
                 cn(w, label_width), cn(w, y + 15), cn(w, lr));
        w_printf(w,
                 "<text x=\"%s\" y=\"%s\" font-size=\"10.5\" fill=\"#24507a\">%s &#183; %s</text>\n"
                 "<text x=\"%s\" y=\"%s\" font-size=\"10.5\" fill=\"#9a5a07\">%s &#183; %s</text>\n</g>\n",
                 cn(w, label_width + lc + 5), cn(w, y + 12), fc(w, c), fp(w, sc), cn(w, label_width + lr + 5),
                 cn(w, y + 24), fms(w, rv), fp(w, sr));
    }
    svg_close(r);
}

typedef const char *(*colour_of)(int32_t v);

/* Two 100% stacked bars (customers, revenue) over the values of a group set,
 * with a legend underneath. */
static void chart_stacked(report *r, const groups *g, int column, colour_of colour, double width,
                          const char *aria) {
    writer *w = &r->w;
    const double left = 78.0, right = 8.0, bar_h = 30.0;
    const double bw = width - left - right;
    int32_t nlegend = 0;
    for (int32_t v = 0; v < g->n; v++) nlegend += g->customers[v] > 0;
    const int per_row = 4;
    const double legend_rows = (double)((nlegend + per_row - 1) / per_row);
    const double height = 8 + 2 * (bar_h + 10) + 8 + legend_rows * 20 + 4;
    svg_open(r, width, height, aria);
    double pos_total = 0.0;
    for (int32_t v = 0; v < g->n; v++)
        if (g->revenue[v] > 0) pos_total += g->revenue[v];
    for (int bar = 0; bar < 2; bar++) {
        const double y = 8 + bar * (bar_h + 10);
        w_printf(w, "<text x=\"0\" y=\"%s\">%s</text>\n", cn(w, y + bar_h / 2 + 4),
                 bar == 0 ? "Customers" : "Revenue");
        double x = left;
        for (int32_t v = 0; v < g->n; v++) {
            if (g->customers[v] <= 0) continue;
            const double s = bar == 0 ? share((double)g->customers[v], (double)r->customers)
                                      : share(g->revenue[v] > 0 ? g->revenue[v] : 0.0, pos_total);
            const double len = bw * s;
            if (len <= 0) continue;
            w_printf(w, "<g><title>");
            w_value_name(r, column, v, 0);
            if (bar == 0)
                w_printf(w, ": %s customers (%s)</title>", fc(w, g->customers[v]), fp(w, s));
            else
                w_printf(w, ": revenue %s (%s)</title>", fm(w, g->revenue[v]), fp(w, s));
            w_printf(w, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\" stroke=\"#fff\"/>",
                     cn(w, x), cn(w, y), cn(w, len), cn(w, bar_h), colour(v));
            if (len >= 40)
                w_printf(w,
                         "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"11\" fill=\"#fff\" "
                         "font-weight=\"600\">%s</text>",
                         cn(w, x + len / 2), cn(w, y + bar_h / 2 + 4), fp(w, s));
            w_puts(w, "</g>\n");
            x += len;
        }
    }
    int i = 0;
    const double ly = 8 + 2 * (bar_h + 10) + 8;
    const double col_w = (width - 4) / per_row;
    for (int32_t v = 0; v < g->n; v++) {
        if (g->customers[v] <= 0) continue;
        const double x = (i % per_row) * col_w, y = ly + (i / per_row) * 20;
        w_printf(w, "<rect x=\"%s\" y=\"%s\" width=\"10\" height=\"10\" rx=\"2\" fill=\"%s\"/>", cn(w, x),
                 cn(w, y + 1), colour(v));
        w_printf(w, "<text x=\"%s\" y=\"%s\" font-size=\"11\">", cn(w, x + 14), cn(w, y + 10));
        w_value_name(r, column, v, 14);
        w_printf(w, " %s</text>\n", fc(w, g->customers[v]));
        i++;
    }
    svg_close(r);
}

/* ---- header and key figures ---- */

static void kpi(report *r, const char *value, const char *caption, int alert) {
    writer *w = &r->w;
    w_printf(w, "<div class=\"kpi%s\"><b>%s</b><span>", alert ? " alert" : "", value);
    w_text(w, caption);
    w_puts(w, "</span></div>\n");
}

static double column_sum(const double *v, size_t n) {
    double s = 0.0;
    for (size_t i = 0; v && i < n; i++)
        if (isfinite(v[i])) s += v[i];
    return s;
}

static void write_header(report *r) {
    writer *w = &r->w;
    const char *title = r->in->title ? r->in->title : "crmkit report";
    w_puts(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
              "style-src 'unsafe-inline'; img-src data:\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    w_text(w, title);
    w_printf(w, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n<header class=\"top\">\n<div><h1>",
             css);
    w_text(w, title);
    w_puts(w, "</h1>\n<div class=\"sub\">Customer base as of ");
    w_printf(w, "%s &#183; %s customers", fday(w, crm_result_as_of_day(r->res)), fc(w, r->customers));
    w_printf(w, "</div></div>\n<div class=\"sub\">crmkit %s</div>\n</header>\n<div class=\"kpis\">\n",
             crm_version_string());

    char buf[160];
    snprintf(buf, sizeof buf, "customers: %s buying, %s prospects", fc(w, r->scored),
             fc(w, r->customers - r->scored));
    kpi(r, fc(w, r->customers), buf, 0);
    snprintf(buf, sizeof buf, "net revenue (%s)", fm(w, r->revenue));
    kpi(r, fms(w, r->revenue), buf, 0);
    kpi(r, fm(w, r->scored > 0 ? r->revenue / (double)r->scored : 0.0), "net revenue per buying customer", 0);

    int64_t high = 0;
    double high_rev = 0.0;
    if (crm_result_group(r->res, CRM_COLUMN_RISK_LEVEL, CRM_RISK_HIGH, &high, &high_rev, NULL) ==
        CRM_STATUS_OK) {
        snprintf(buf, sizeof buf, "high-risk customers, holding %s of revenue",
                 fp(w, share(high_rev, r->revenue)));
        kpi(r, fc(w, high), buf, 1);
    }
    int64_t green = 0;
    if (crm_result_group(r->res, CRM_COLUMN_HEALTH_BAND, CRM_HEALTH_GREEN, &green, NULL, NULL) ==
        CRM_STATUS_OK)
        kpi(r, fp(w, share((double)green, (double)r->scored)), "of buying customers in good health (green)",
            0);
    const double sla = crm_result_metric(r->res, CRM_METRIC_RESPONSE_WITHIN_SLA);
    if (isfinite(sla)) kpi(r, fp(w, sla), "of complaints answered within their SLA", sla < 0.9);
    const double *clv = crm_result_f64(r->res, CRM_COLUMN_CLV);
    if (clv) {
        const double total_clv = column_sum(clv, r->rows);
        if (r->horizon > 0 && r->unit > 0)
            snprintf(buf, sizeof buf, "customer lifetime value of the next %s days (%s)",
                     fr(w, r->horizon * r->unit, 0), fm(w, total_clv));
        else
            snprintf(buf, sizeof buf, "customer lifetime value (%s)", fm(w, total_clv));
        kpi(r, fms(w, total_clv), buf, 0);
    } else {
        const double *ep = crm_result_f64(r->res, CRM_COLUMN_EXPECTED_PURCHASES);
        if (ep) kpi(r, fr(w, column_sum(ep, r->rows), 0), "purchase days expected over the horizon", 0);
    }
    w_puts(w, "</div>\n");
}

/* ---- R x FM map ---- */

static int rescale5(int s, int k) {
    if (k == 5) return s;
    return 1 + (8 * (s - 1) + (k - 1)) / (2 * (k - 1));
}

static void write_rfm(report *r) {
    writer *w = &r->w;
    section_open(
        r, "rfm", "RFM map",
        "Buying customers by recency score R and FM, the mean of the frequency and monetary scores "
        "(the segment map of the definitions). Darker cells hold more; each cell names its segment.");
    const int32_t *rs = crm_result_i32(r->res, CRM_COLUMN_R_SCORE);
    const int32_t *fs = crm_result_i32(r->res, CRM_COLUMN_F_SCORE);
    const int32_t *ms = crm_result_i32(r->res, CRM_COLUMN_M_SCORE);
    const int32_t *seg = crm_result_i32(r->res, CRM_COLUMN_SEGMENT);
    const double *mon = crm_result_f64(r->res, CRM_COLUMN_MONETARY);
    if (!rs || !fs || !ms || !mon || r->k < 2) {
        note(r, "No RFM scores in this result (no customer with a purchase, or a result without scores).");
        section_close(r);
        return;
    }
    /* 5 R rows x 4 FM bands; the segment of a cell is its most common one. */
    int64_t cust[5][4];
    double rev[5][4];
    memset(cust, 0, sizeof cust);
    memset(rev, 0, sizeof rev);
    int32_t nseg = seg ? crm_result_label_count(r->res, CRM_COLUMN_SEGMENT) : 0;
    if (nseg < 0 || nseg > 100000) nseg = 0;
    int64_t *tally = nseg > 0 ? calloc((size_t)20 * (size_t)nseg, sizeof *tally) : NULL;
    if (nseg > 0 && tally == NULL) r->w.nomem = 1;
    for (size_t i = 0; i < r->rows; i++) {
        const int k = r->k;
        if (rs[i] < 1 || rs[i] > k || fs[i] < 1 || fs[i] > k || ms[i] < 1 || ms[i] > k) continue;
        const int r5 = rescale5(rs[i], k);
        const int fm2 = rescale5(fs[i], k) + rescale5(ms[i], k);
        const int band = fm2 < 4 ? 0 : fm2 < 6 ? 1 : fm2 < 8 ? 2 : 3;
        cust[r5 - 1][band]++;
        if (isfinite(mon[i])) rev[r5 - 1][band] += mon[i];
        if (tally && seg[i] >= 0 && seg[i] < nseg)
            tally[((r5 - 1) * 4 + band) * (size_t)nseg + (size_t)seg[i]]++;
    }
    int64_t max_c = 0;
    double max_r = 0.0;
    for (int a = 0; a < 5; a++)
        for (int b = 0; b < 4; b++) {
            if (cust[a][b] > max_c) max_c = cust[a][b];
            if (rev[a][b] > max_r) max_r = rev[a][b];
        }
    static const char *const band_names[] = {"1 \xE2\x80\x93 2", "2 \xE2\x80\x93 3", "3 \xE2\x80\x93 4",
                                             "4 \xE2\x80\x93 5"};
    w_puts(w, "<div class=\"row\">\n");
    for (int map = 0; map < 2; map++) {
        figure_open(r, NULL, map == 0 ? "Customers" : "Net revenue", 0);
        const double left = 44, top = 8, cw = 124, ch = 66, width = left + 4 * cw + 4,
                     height = top + 5 * ch + 44;
        svg_open(r, width, height, map == 0 ? "RFM map of customers" : "RFM map of revenue");
        for (int a = 4; a >= 0; a--) {
            const double y = top + (4 - a) * ch;
            w_printf(w, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-weight=\"600\">%d</text>\n",
                     cn(w, left - 22), cn(w, y + ch / 2 + 4), a + 1);
            for (int b = 0; b < 4; b++) {
                const double x = left + b * cw;
                const double t = map == 0 ? (max_c > 0 ? sqrt((double)cust[a][b] / (double)max_c) : 0)
                                          : (max_r > 0 && rev[a][b] > 0 ? sqrt(rev[a][b] / max_r) : 0);
                const rgb fill = map == 0 ? ramp(blues, STOPS(blues), 0.05 + 0.9 * t)
                                          : ramp(oranges, STOPS(oranges), 0.05 + 0.9 * t);
                const char *ink = ink_on(fill);
                int32_t best = -1;
                int64_t best_n = 0, total_n = 0;
                for (int32_t s = 0; tally && s < nseg; s++) {
                    const int64_t n = tally[((size_t)a * 4 + (size_t)b) * (size_t)nseg + (size_t)s];
                    total_n += n;
                    if (n > best_n) {
                        best_n = n;
                        best = s;
                    }
                }
                w_puts(w, "<g><title>");
                w_printf(w, "R %d, FM %s: ", a + 1, band_names[b]);
                if (best >= 0) {
                    w_value_name(r, CRM_COLUMN_SEGMENT, best, 0);
                    if (best_n < total_n) w_puts(w, " and others");
                    w_puts(w, ", ");
                }
                w_printf(w, "%s customers (%s), revenue %s (%s)</title>\n", fc(w, cust[a][b]),
                         fp(w, share((double)cust[a][b], (double)r->scored)), fm(w, rev[a][b]),
                         fp(w, share(rev[a][b], r->revenue)));
                w_printf(w, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" rx=\"3\" fill=\"%s\"/>\n",
                         cn(w, x + 1.5), cn(w, y + 1.5), cn(w, cw - 3), cn(w, ch - 3), hex(w, fill));
                if (best >= 0) {
                    w_printf(w, "<text x=\"%s\" y=\"%s\" font-size=\"10.5\" fill=\"%s\" opacity=\"0.85\">",
                             cn(w, x + 8), cn(w, y + 17), ink);
                    w_value_name(r, CRM_COLUMN_SEGMENT, best, 19);
                    if (best_n < total_n) w_puts(w, " +");
                    w_puts(w, "</text>\n");
                }
                if (map == 0)
                    w_printf(w,
                             "<text x=\"%s\" y=\"%s\" font-size=\"17\" font-weight=\"700\" "
                             "fill=\"%s\">%s</text>\n",
                             cn(w, x + 8), cn(w, y + 40), ink, fc(w, cust[a][b]));
                else
                    w_printf(w,
                             "<text x=\"%s\" y=\"%s\" font-size=\"17\" font-weight=\"700\" "
                             "fill=\"%s\">%s</text>\n",
                             cn(w, x + 8), cn(w, y + 40), ink, fms(w, rev[a][b]));
                w_printf(w, "<text x=\"%s\" y=\"%s\" font-size=\"10.5\" fill=\"%s\">%s</text>\n",
                         cn(w, x + 8), cn(w, y + 56), ink,
                         map == 0 ? fp(w, share((double)cust[a][b], (double)r->scored))
                                  : fp(w, share(rev[a][b], r->revenue)));
                w_puts(w, "</g>\n");
            }
        }
        for (int b = 0; b < 4; b++)
            w_printf(w, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%s</text>\n",
                     cn(w, left + b * cw + cw / 2), cn(w, top + 5 * ch + 16), band_names[b]);
        w_printf(w,
                 "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" fill=\"" C_MUTED
                 "\">FM = (F + M) / 2: frequency and spend</text>\n",
                 cn(w, left + 2 * cw), cn(w, top + 5 * ch + 36));
        w_printf(w,
                 "<text transform=\"translate(10 %s) rotate(-90)\" text-anchor=\"middle\" fill=\"" C_MUTED
                 "\">R: recency (5 = most recent)</text>\n",
                 cn(w, top + 2.5 * ch));
        svg_close(r);
        figure_close(r);
    }
    w_puts(w, "</div>\n");
    if (r->k != 5) {
        w_printf(w,
                 "<p class=\"note\">Scores run 1 to %d; they are shown on the 1 to 5 scale of the segment "
                 "map.</p>\n",
                 r->k);
    }
    free(tally);
    section_close(r);
}

/* ---- segments ---- */

static void write_segments(report *r) {
    section_open(r, "segments", "Segments",
                 "Share of customers and share of net revenue of each RFM segment.");
    groups g = fetch_groups(r, CRM_COLUMN_SEGMENT);
    if (!g.ok) {
        note(r, "No segments in this result.");
    } else {
        figure_open(r, NULL, "Customers and revenue by segment", 1);
        chart_pair_bars(r, &g, CRM_COLUMN_SEGMENT, 1080, 190, "Customers and revenue by segment");
        figure_close(r);
    }
    groups_free(&g);
    section_close(r);
}

/* ---- value tiers and the Pareto curve ---- */

typedef struct ranked {
    double key;
    double second;
    uint64_t id;
    size_t row;
} ranked;

/* Descending key (NaN last), then descending second key (NaN last), then ascending id and row. */
static int by_key_desc(const void *pa, const void *pb) {
    const ranked *a = pa, *b = pb;
    const int na = a->key != a->key, nb = b->key != b->key;
    if (na != nb) return na - nb;
    if (!na && a->key != b->key) return a->key > b->key ? -1 : 1;
    const int sa = a->second != a->second, sb = b->second != b->second;
    if (sa != sb) return sa - sb;
    if (!sa && a->second != b->second) return a->second > b->second ? -1 : 1;
    if (a->id != b->id) return a->id < b->id ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

static void chart_pareto(report *r, const double *mon, const int32_t *tier) {
    writer *w = &r->w;
    size_t n = 0;
    for (size_t i = 0; i < r->rows; i++) n += tier[i] != CRM_TIER_NONE && isfinite(mon[i]);
    if (n == 0) {
        note(r, "No buying customer: no Pareto curve.");
        return;
    }
    ranked *order = malloc(n * sizeof *order);
    double *cum = malloc((n + 1) * sizeof *cum);
    if (order == NULL || cum == NULL) {
        free(order);
        free(cum);
        r->w.nomem = 1;
        return;
    }
    size_t j = 0;
    for (size_t i = 0; i < r->rows; i++) {
        if (tier[i] == CRM_TIER_NONE || !isfinite(mon[i])) continue;
        order[j].key = mon[i];
        order[j].second = 0;
        order[j].id = (uint64_t)i;
        order[j].row = i;
        j++;
    }
    qsort(order, n, sizeof *order, by_key_desc);
    cum[0] = 0.0;
    for (size_t i = 0; i < n; i++) cum[i + 1] = cum[i] + (order[i].key > 0 ? order[i].key : 0.0);
    const double total = cum[n];
    const double left = 48, top = 12, pw = 430, ph = 250, width = left + pw + 20, height = top + ph + 46;
    svg_open(r, width, height, "Pareto curve: cumulative share of revenue by share of customers");
#define PX(i) (left + pw * (double)(i) / (double)n)
#define PY(i) (top + ph - ph * (total > 0 ? cum[(i)] / total : 0.0))
    for (int t = 0; t <= 5; t++) {
        const double gx = left + pw * t / 5.0, gy = top + ph - ph * t / 5.0;
        w_printf(w, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"" C_GRID "\"/>\n", cn(w, left),
                 cn(w, gy), cn(w, left + pw), cn(w, gy));
        w_printf(w, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"" C_GRID "\"/>\n", cn(w, gx),
                 cn(w, top), cn(w, gx), cn(w, top + ph));
        w_printf(w,
                 "<text x=\"%s\" y=\"%s\" text-anchor=\"end\" font-size=\"11\" fill=\"" C_MUTED
                 "\">%d%%</text>\n",
                 cn(w, left - 6), cn(w, gy + 4), t * 20);
        w_printf(w,
                 "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"11\" fill=\"" C_MUTED
                 "\">%d%%</text>\n",
                 cn(w, gx), cn(w, top + ph + 16), t * 20);
    }
    /* One shaded area per tier run, under the curve. */
    const size_t step = n > 400 ? n / 400 : 1;
    size_t a = 0;
    while (a < n) {
        const int32_t t = tier[order[a].row];
        size_t b = a;
        while (b < n && tier[order[b].row] == t) b++;
        w_printf(w, "<path fill=\"%s\" fill-opacity=\"0.85\" d=\"M%s %s", tier_colour(t), cn(w, PX(a)),
                 cn(w, top + ph));
        w_printf(w, " L%s %s", cn(w, PX(a)), cn(w, PY(a)));
        for (size_t i = a - a % step + step; i < b; i += step)
            w_printf(w, " L%s %s", cn(w, PX(i)), cn(w, PY(i)));
        w_printf(w, " L%s %s L%s %s Z\"><title>", cn(w, PX(b)), cn(w, PY(b)), cn(w, PX(b)), cn(w, top + ph));
        w_value_name(r, CRM_COLUMN_VALUE_TIER, t, 0);
        w_printf(w, ": %s customers, %s of positive revenue</title></path>\n", fc(w, (int64_t)(b - a)),
                 fp(w, share(cum[b] - cum[a], total)));
        if (PX(b) - PX(a) >= 40) {
            w_printf(w,
                     "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"600\" "
                     "fill=\"%s\">",
                     cn(w, (PX(a) + PX(b)) / 2), cn(w, top + ph - 8), t == CRM_TIER_KEY ? "#ffffff" : C_INK);
            w_value_name(r, CRM_COLUMN_VALUE_TIER, t, 12);
            w_puts(w, "</text>\n");
        }
        a = b;
    }
    /* The curve and the line of equal shares. */
    w_printf(w,
             "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#9aa5b1\" stroke-dasharray=\"4 4\"/>\n",
             cn(w, left), cn(w, top + ph), cn(w, left + pw), cn(w, top));
    w_printf(w, "<polyline fill=\"none\" stroke=\"" C_INK "\" stroke-width=\"2\" points=\"%s,%s",
             cn(w, PX(0)), cn(w, PY(0)));
    for (size_t i = step; i < n; i += step) w_printf(w, " %s,%s", cn(w, PX(i)), cn(w, PY(i)));
    w_printf(w, " %s,%s\"/>\n", cn(w, PX(n)), cn(w, PY(n)));
    /* The key tier's edge: who brings the bulk of the revenue. */
    size_t key_end = 0;
    while (key_end < n && tier[order[key_end].row] == CRM_TIER_KEY) key_end++;
    if (key_end > 0 && key_end < n) {
        const double kx = PX(key_end), ky = PY(key_end);
        w_printf(
            w,
            "<circle cx=\"%s\" cy=\"%s\" r=\"4\" fill=\"" C_INK "\"/>\n"
            "<text x=\"%s\" y=\"%s\" font-size=\"12\" font-weight=\"600\">%s of customers bring %s of revenue"
            "</text>\n",
            cn(w, kx), cn(w, ky), cn(w, kx + 10), cn(w, ky + 18), fp(w, (double)key_end / (double)n),
            fp(w, share(cum[key_end], total)));
    }
    w_printf(w,
             "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" fill=\"" C_MUTED
             "\">customers, most valuable first</text>\n",
             cn(w, left + pw / 2), cn(w, top + ph + 36));
    w_printf(w,
             "<text transform=\"translate(12 %s) rotate(-90)\" text-anchor=\"middle\" fill=\"" C_MUTED
             "\">share of revenue</text>\n",
             cn(w, top + ph / 2));
#undef PX
#undef PY
    svg_close(r);
    free(order);
    free(cum);
}

static void write_value(report *r) {
    section_open(
        r, "value", "Value tiers",
        "The Pareto curve of revenue: buying customers from the most to the least valuable, against "
        "the share of revenue they hold together, shaded by value tier (key, major, regular, minor).");
    const double *mon = crm_result_f64(r->res, CRM_COLUMN_MONETARY);
    const int32_t *tier = crm_result_i32(r->res, CRM_COLUMN_VALUE_TIER);
    groups g = fetch_groups(r, CRM_COLUMN_VALUE_TIER);
    if (!mon || !tier || !g.ok) {
        note(r, "No value tiers in this result.");
    } else {
        w_puts(&r->w, "<div class=\"row\">\n");
        figure_open(r, NULL, "Pareto curve of revenue share", 0);
        chart_pareto(r, mon, tier);
        figure_close(r);
        figure_open(r, NULL, "Customers and revenue by value tier", 1);
        chart_pair_bars(r, &g, CRM_COLUMN_VALUE_TIER, 520, 150, "Customers and revenue by value tier");
        figure_close(r);
        w_puts(&r->w, "</div>\n");
    }
    groups_free(&g);
    section_close(r);
}

/* ---- contribution, tenure, value class ---- */

static void write_bands(report *r) {
    section_open(r, "bands", "Contribution, tenure and value class",
                 "Head, waist and base of the customer base by spend; how long customers have been buying; "
                 "and value against activity.");
    static const int cols[] = {CRM_COLUMN_CONTRIBUTION_BAND, CRM_COLUMN_TENURE_BAND, CRM_COLUMN_VALUE_CLASS};
    static const char *const caps[] = {"Contribution band", "Tenure band", "Value class"};
    w_puts(&r->w, "<div class=\"row\">\n");
    for (int i = 0; i < 3; i++) {
        groups g = fetch_groups(r, cols[i]);
        figure_open(r, "third", caps[i], 0);
        if (g.ok)
            chart_pair_bars(r, &g, cols[i], 350, i == 2 ? 150 : 110, caps[i]);
        else
            note(r, "Not in this result.");
        figure_close(r);
        groups_free(&g);
    }
    w_puts(&r->w, "</div>\n");
    w_puts(&r->w, "<p class=\"note\">Blue: share of customers; amber: share of net revenue.</p>\n");
    section_close(r);
}

/* ---- lifecycle ---- */

static void chart_sankey(report *r, int64_t flow[MAX_STAGES][MAX_STAGES], int32_t ns) {
    writer *w = &r->w;
    int64_t out_n[MAX_STAGES], in_n[MAX_STAGES], total = 0;
    for (int32_t a = 0; a < ns; a++) {
        out_n[a] = 0;
        in_n[a] = 0;
    }
    for (int32_t a = 0; a < ns; a++)
        for (int32_t b = 0; b < ns; b++) {
            out_n[a] += flow[a][b];
            in_n[b] += flow[a][b];
            total += flow[a][b];
        }
    if (total <= 0) {
        note(r, "No customer to show.");
        return;
    }
    int left_nodes = 0, right_nodes = 0;
    for (int32_t a = 0; a < ns; a++) {
        left_nodes += out_n[a] > 0;
        right_nodes += in_n[a] > 0;
    }
    const double width = 600, height = 446, top = 26, gap = 12, node_w = 14, lx = 150,
                 rx = width - 150 - node_w;
    const int most = left_nodes > right_nodes ? left_nodes : right_nodes;
    const double scale = (height - top - 6 - gap * (most - 1)) / (double)total;
    double ly[MAX_STAGES], ry[MAX_STAGES]; /* top of each node */
    double y = top;
    for (int32_t a = 0; a < ns; a++) {
        ly[a] = y;
        if (out_n[a] > 0) y += out_n[a] * scale + gap;
    }
    y = top;
    for (int32_t b = 0; b < ns; b++) {
        ry[b] = y;
        if (in_n[b] > 0) y += in_n[b] * scale + gap;
    }
    svg_open(r, width, height, "Flow of customers from the previous window's stage to today's stage");
    /* Bands: leaving each left node in the order of the right nodes, arriving in the order of the left ones.
     */
    double lo[MAX_STAGES], ro[MAX_STAGES];
    for (int32_t a = 0; a < ns; a++) {
        lo[a] = ly[a];
        ro[a] = ry[a];
    }
    const double x0 = lx + node_w, x1 = rx, xm = (x0 + x1) / 2;
    for (int32_t a = 0; a < ns; a++)
        for (int32_t b = 0; b < ns; b++) {
            if (flow[a][b] <= 0) continue;
            const double h = flow[a][b] * scale;
            const double ya = lo[a], yb = ro[b];
            lo[a] += h;
            ro[b] += h;
            w_printf(w,
                     "<path fill=\"%s\" fill-opacity=\"0.42\" d=\"M%s %s C%s %s %s %s %s %s L%s %s C%s %s %s "
                     "%s %s %s "
                     "Z\"><title>",
                     stage_colour(b), cn(w, x0), cn(w, ya), cn(w, xm), cn(w, ya), cn(w, xm), cn(w, yb),
                     cn(w, x1), cn(w, yb), cn(w, x1), cn(w, yb + h), cn(w, xm), cn(w, yb + h), cn(w, xm),
                     cn(w, ya + h), cn(w, x0), cn(w, ya + h));
            w_value_name(r, CRM_COLUMN_PREVIOUS_STAGE, a, 0);
            w_puts(w, " \xE2\x86\x92 ");
            w_value_name(r, CRM_COLUMN_LIFECYCLE_STAGE, b, 0);
            w_printf(w, ": %s customers</title></path>\n", fc(w, flow[a][b]));
        }
    for (int side = 0; side < 2; side++)
        for (int32_t a = 0; a < ns; a++) {
            const int64_t n = side == 0 ? out_n[a] : in_n[a];
            if (n <= 0) continue;
            const double top_y = side == 0 ? ly[a] : ry[a];
            const double h = n * scale < 1.5 ? 1.5 : n * scale;
            const double x = side == 0 ? lx : rx;
            w_printf(w, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"/>\n", cn(w, x),
                     cn(w, top_y), cn(w, node_w), cn(w, h), stage_colour(a));
            w_printf(w, "<text x=\"%s\" y=\"%s\" text-anchor=\"%s\">",
                     cn(w, side == 0 ? x - 6 : x + node_w + 6), cn(w, top_y + h / 2 + 4),
                     side == 0 ? "end" : "start");
            w_value_name(r, side == 0 ? CRM_COLUMN_PREVIOUS_STAGE : CRM_COLUMN_LIFECYCLE_STAGE, a, 16);
            w_printf(w, " <tspan fill=\"" C_MUTED "\">%s</tspan></text>\n", fc(w, n));
        }
    w_printf(
        w,
        "<text x=\"%s\" y=\"12\" text-anchor=\"end\" font-size=\"11\" font-weight=\"600\" fill=\"" C_MUTED
        "\">one window earlier</text>\n",
        cn(w, lx + node_w));
    w_printf(
        w, "<text x=\"%s\" y=\"12\" font-size=\"11\" font-weight=\"600\" fill=\"" C_MUTED "\">today</text>\n",
        cn(w, rx));
    svg_close(r);
}

static void write_lifecycle(report *r) {
    writer *w = &r->w;
    section_open(
        r, "lifecycle", "Lifecycle",
        "Where customers stand in their relationship today, and where they stood one window (window_days) "
        "earlier.");
    groups g = fetch_groups(r, CRM_COLUMN_LIFECYCLE_STAGE);
    const int32_t *now = crm_result_i32(r->res, CRM_COLUMN_LIFECYCLE_STAGE);
    const int32_t *before = crm_result_i32(r->res, CRM_COLUMN_PREVIOUS_STAGE);
    if (!g.ok || !now) {
        note(r, "No lifecycle stages in this result.");
        groups_free(&g);
        section_close(r);
        return;
    }
    w_puts(w, "<div class=\"row\">\n");
    figure_open(r, NULL, "Customers and revenue by stage", 1);
    chart_pair_bars(r, &g, CRM_COLUMN_LIFECYCLE_STAGE, 470, 120, "Customers and revenue by lifecycle stage");
    figure_close(r);
    int32_t ns = crm_result_label_count(r->res, CRM_COLUMN_LIFECYCLE_STAGE);
    if (ns > MAX_STAGES) ns = MAX_STAGES;
    int64_t flow[MAX_STAGES][MAX_STAGES];
    memset(flow, 0, sizeof flow);
    if (before) {
        for (size_t i = 0; i < r->rows; i++)
            if (before[i] >= 0 && before[i] < ns && now[i] >= 0 && now[i] < ns) flow[before[i]][now[i]]++;
        figure_open(r, NULL, "From the previous window's stage to today's", 0);
        chart_sankey(r, flow, ns);
        figure_close(r);
    }
    w_puts(w, "</div>\n");
    if (before) {
        /* The transition matrix, with the share of each row in colour. */
        int64_t col_sum[MAX_STAGES];
        memset(col_sum, 0, sizeof col_sum);
        for (int32_t a = 0; a < ns; a++)
            for (int32_t b = 0; b < ns; b++) col_sum[b] += flow[a][b];
        w_puts(
            w,
            "<figure><figcaption>Transitions: customers by previous stage (rows) and stage today (columns); "
            "shading is the share of the row</figcaption>\n<table class=\"matrix\">\n<tr><th>previous "
            "\xE2\x86\x93 / today \xE2\x86\x92</th>");
        for (int32_t b = 0; b < ns; b++) {
            if (col_sum[b] == 0) continue;
            w_puts(w, "<th>");
            w_value_name(r, CRM_COLUMN_LIFECYCLE_STAGE, b, 0);
            w_puts(w, "</th>");
        }
        w_puts(w, "<th>total</th></tr>\n");
        for (int32_t a = 0; a < ns; a++) {
            int64_t row_sum = 0;
            for (int32_t b = 0; b < ns; b++) row_sum += flow[a][b];
            if (row_sum == 0) continue;
            w_puts(w, "<tr><th scope=\"row\">");
            w_value_name(r, CRM_COLUMN_PREVIOUS_STAGE, a, 0);
            w_puts(w, "</th>");
            for (int32_t b = 0; b < ns; b++) {
                if (col_sum[b] == 0) continue;
                const double s = share((double)flow[a][b], (double)row_sum);
                const rgb c = ramp(blues, STOPS(blues), s * 0.85);
                w_printf(w, "<td style=\"background:%s;color:%s%s\">%s</td>", hex(w, c), ink_on(c),
                         a == b ? ";font-weight:700" : "", flow[a][b] ? fc(w, flow[a][b]) : "");
            }
            w_printf(w, "<td>%s</td></tr>\n", fc(w, row_sum));
        }
        w_puts(w, "</table></figure>\n");
    } else {
        note(r, "The result has no previous_stage column: no flow between stages.");
    }
    groups_free(&g);
    section_close(r);
}

/* ---- churn risk ---- */

static void chart_flags(report *r, const groups *g) {
    writer *w = &r->w;
    const double width = 1080, label_w = 170, row_h = 48, top = 4, value_w = 150;
    const double bar_w = width - label_w - value_w;
    double max_share = 0.0;
    for (int32_t f = 0; f < g->n; f++) {
        const double sc = share((double)g->customers[f], (double)r->customers),
                     sr = share(g->revenue[f], r->revenue);
        if (sc > max_share) max_share = sc;
        if (sr > max_share) max_share = sr;
    }
    if (max_share <= 0) max_share = 1;
    const double height = top + row_h * g->n + 4;
    svg_open(r, width, height, "Churn-risk flags: customers and revenue at stake");
    for (int32_t f = 0; f < g->n; f++) {
        const double y = top + row_h * f;
        const double sc = share((double)g->customers[f], (double)r->customers),
                     sr = share(g->revenue[f], r->revenue);
        const char *why = crm_enum_description(CRM_ENUM_FLAG, f);
        w_puts(w, "<g><title>");
        w_value_name(r, CRM_COLUMN_CHURN_FLAGS, f, 0);
        w_printf(w, ": %s customers (%s), revenue at stake %s (%s)</title>\n", fc(w, g->customers[f]),
                 fp(w, sc), fm(w, g->revenue[f]), fp(w, sr));
        w_printf(w, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\" font-weight=\"600\">", cn(w, label_w - 8),
                 cn(w, y + 18));
        w_value_name(r, CRM_COLUMN_CHURN_FLAGS, f, 24);
        w_puts(w, "</text>\n");
        w_printf(w,
                 "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"10\" rx=\"2\" fill=\"" C_CUSTOMERS "\"/>\n",
                 cn(w, label_w), cn(w, y + 4), cn(w, bar_w * sc / max_share));
        w_printf(w, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"10\" rx=\"2\" fill=\"" C_REVENUE "\"/>\n",
                 cn(w, label_w), cn(w, y + 16), cn(w, bar_w * (sr > 0 ? sr : 0) / max_share));
        w_printf(w,
                 "<text x=\"%s\" y=\"%s\" font-size=\"10.5\" fill=\"#24507a\">%s customers &#183; %s</text>\n"
                 "<text x=\"%s\" y=\"%s\" font-size=\"10.5\" fill=\"#9a5a07\">%s at stake &#183; %s</text>\n",
                 cn(w, label_w + bar_w * sc / max_share + 5), cn(w, y + 13), fc(w, g->customers[f]),
                 fp(w, sc), cn(w, label_w + bar_w * (sr > 0 ? sr : 0) / max_share + 5), cn(w, y + 25),
                 fms(w, g->revenue[f]), fp(w, sr));
        if (why) {
            w_printf(w, "<text x=\"%s\" y=\"%s\" font-size=\"11\" fill=\"" C_MUTED "\">", cn(w, label_w),
                     cn(w, y + 39));
            w_text_ex(w, why, 150, 0);
            w_puts(w, "</text>\n");
        }
        w_puts(w, "</g>\n");
    }
    svg_close(r);
}

static void write_churn(report *r) {
    writer *w = &r->w;
    section_open(
        r, "churn", "Churn risk",
        "Warning signs raised per customer, with the revenue of the customers who carry them (a customer "
        "may carry several); the risk level that combines them; and the health score's bands.");
    groups flags = fetch_groups(r, CRM_COLUMN_CHURN_FLAGS);
    if (flags.ok) {
        figure_open(r, NULL, "Churn-risk flags", 1);
        chart_flags(r, &flags);
        figure_close(r);
    } else {
        note(r, "No churn-risk flags in this result.");
    }
    groups_free(&flags);
    w_puts(w, "<div class=\"row\">\n");
    groups risk = fetch_groups(r, CRM_COLUMN_RISK_LEVEL);
    figure_open(r, NULL, "Risk levels", 0);
    if (risk.ok)
        chart_stacked(r, &risk, CRM_COLUMN_RISK_LEVEL, risk_colour, 520,
                      "Risk levels: customers and revenue");
    else
        note(r, "No risk levels in this result.");
    figure_close(r);
    groups_free(&risk);
    groups health = fetch_groups(r, CRM_COLUMN_HEALTH_BAND);
    figure_open(r, NULL, "Health bands", 0);
    if (health.ok)
        chart_stacked(r, &health, CRM_COLUMN_HEALTH_BAND, health_colour, 520,
                      "Health bands: customers and revenue");
    else
        note(r, "No health bands in this result.");
    figure_close(r);
    groups_free(&health);
    w_puts(w, "</div>\n");
    section_close(r);
}

/* ---- complaints ---- */

static void write_complaints(report *r) {
    writer *w = &r->w;
    section_open(
        r, "complaints", "Complaint handling",
        "Complaints of the lookback (complaint_lookback_days) and how they were handled against the "
        "service levels: first response within the SLA of its severity, resolution and follow-up within "
        "their times.");
    const double complaints = crm_result_metric(r->res, CRM_METRIC_COMPLAINTS);
    if (!isfinite(complaints)) {
        note(r, "No complaint figures in this result.");
        section_close(r);
        return;
    }
    const double open = crm_result_metric(r->res, CRM_METRIC_OPEN_COMPLAINTS);
    const double breaches = crm_result_metric(r->res, CRM_METRIC_SLA_BREACHES);
    const double hours = crm_result_metric(r->res, CRM_METRIC_MEDIAN_RESPONSE_HOURS);
    w_puts(w, "<div class=\"kpis\">\n");
    kpi(r, fr(w, complaints, 0), "complaints opened in the lookback", 0);
    if (isfinite(open)) kpi(r, fr(w, open, 0), "complaints still without a resolution", open > 0);
    if (isfinite(breaches)) {
        char buf[96];
        snprintf(buf, sizeof buf, "breached a handling time (%s of complaints)",
                 fp(w, share(breaches, complaints)));
        kpi(r, fr(w, breaches, 0), buf, breaches > 0);
    }
    if (isfinite(hours)) kpi(r, fr(w, hours, 1), "median hours to the first response", 0);
    w_puts(w, "</div>\n");
    static const int shares[] = {CRM_METRIC_RESPONSE_WITHIN_SLA, CRM_METRIC_RESOLVED_WITHIN,
                                 CRM_METRIC_FOLLOWED_UP_WITHIN, CRM_METRIC_RECOVERY_RATE};
    static const char *const names[] = {"Answered within SLA", "Resolved in time", "Followed up in time",
                                        "Bought again after resolution"};
    int any = 0;
    for (int i = 0; i < 4; i++) any += isfinite(crm_result_metric(r->res, shares[i]));
    if (!any) {
        note(r, "No complaint in the lookback: no handling shares to show.");
        section_close(r);
        return;
    }
    const double width = 1080, label_w = 220, bar_w = 560, row_h = 40;
    svg_open(r, width, 8 + row_h * 4, "Complaint handling against the service levels");
    for (int i = 0; i < 4; i++) {
        const double v = crm_result_metric(r->res, shares[i]);
        const double y = 8 + row_h * i;
        const char *what = crm_enum_description(CRM_ENUM_METRIC, shares[i]);
        w_printf(w, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\" font-weight=\"600\">%s</text>\n",
                 cn(w, label_w - 10), cn(w, y + 15), names[i]);
        w_printf(w, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"18\" rx=\"3\" fill=\"#edf0f3\"/>\n",
                 cn(w, label_w), cn(w, y + 2), cn(w, bar_w));
        if (isfinite(v)) {
            const rgb c = ramp(rdylgn, STOPS(rdylgn), v);
            w_printf(w, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"18\" rx=\"3\" fill=\"%s\"/>\n",
                     cn(w, label_w), cn(w, y + 2),
                     cn(w, bar_w * (v < 0   ? 0
                                    : v > 1 ? 1
                                            : v)),
                     hex(w, c));
            w_printf(w, "<text x=\"%s\" y=\"%s\" font-weight=\"700\">%s</text>\n",
                     cn(w, label_w + bar_w + 10), cn(w, y + 16), fp(w, v));
        } else {
            w_printf(w, "<text x=\"%s\" y=\"%s\" fill=\"" C_MUTED "\">no complaint to measure</text>\n",
                     cn(w, label_w + bar_w + 10), cn(w, y + 16));
        }
        if (what) {
            w_printf(w, "<text x=\"%s\" y=\"%s\" font-size=\"10.5\" fill=\"" C_MUTED "\">", cn(w, label_w),
                     cn(w, y + 33));
            w_text(w, what);
            w_puts(w, "</text>\n");
        }
    }
    svg_close(r);
    section_close(r);
}

/* ---- value model ---- */

/* Days per model time unit, from a result's T and its day columns. 0 when unknown. */
static double infer_unit(const crm_result *res) {
    const double *T = crm_result_f64(res, CRM_COLUMN_T);
    const int32_t *first = crm_result_i32(res, CRM_COLUMN_FIRST_PURCHASE);
    const int32_t as_of = crm_result_as_of_day(res);
    const size_t rows = crm_result_rows(res);
    if (!T || !first || as_of == CRM_NO_DAY) return 0.0;
    for (size_t i = 0; i < rows; i++) {
        if (first[i] == CRM_NO_DAY || !(T[i] > 0) || !isfinite(T[i])) continue;
        const double days = (double)as_of - (double)first[i];
        if (days > 0) return days / T[i];
    }
    return 0.0;
}

static int model_data(crm_model_data *d, const double *x, const double *tx, const double *T, size_t n) {
    if (crm_model_data_init(d, NULL) != CRM_STATUS_OK) return 0;
    d->count = n;
    d->x = x;
    d->t_x = tx;
    d->T = T;
    return 1;
}

/* The horizon (model time units) of the result's expected_purchases column,
 * found again from one customer's row by bisection; 0 when not possible. */
static double infer_horizon(report *r) {
    const double *x = crm_result_f64(r->res, CRM_COLUMN_X), *tx = crm_result_f64(r->res, CRM_COLUMN_T_X);
    const double *T = crm_result_f64(r->res, CRM_COLUMN_T);
    const double *ep = crm_result_f64(r->res, CRM_COLUMN_EXPECTED_PURCHASES);
    if (!r->model || !x || !tx || !T || !ep) return 0.0;
    for (size_t i = 0; i < r->rows; i++) {
        if (!(ep[i] > 1e-6) || !isfinite(ep[i]) || !isfinite(x[i]) || !isfinite(tx[i]) || !isfinite(T[i]))
            continue;
        crm_model_data d;
        if (!model_data(&d, &x[i], &tx[i], &T[i], 1)) return 0.0;
        double lo = 0.0, hi = 1.0, v = 0.0;
        int bracketed = 0;
        for (int tries = 0; tries < 80 && !bracketed; tries++) {
            if (crm_model_expected_purchases(r->model, hi, &d, &v, NULL) != CRM_STATUS_OK || !isfinite(v))
                return 0.0;
            if (v >= ep[i]) {
                bracketed = 1;
            } else {
                lo = hi;
                hi *= 2.0;
            }
        }
        if (!bracketed) return 0.0;
        for (int it = 0; it < 100; it++) {
            const double mid = 0.5 * (lo + hi);
            if (crm_model_expected_purchases(r->model, mid, &d, &v, NULL) != CRM_STATUS_OK) return 0.0;
            if (v < ep[i])
                lo = mid;
            else
                hi = mid;
        }
        return 0.5 * (lo + hi);
    }
    return 0.0;
}

static int cmp_double(const void *pa, const void *pb) {
    const double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

/* The q-quantile (0..1) of the finite values of v; NaN when there is none. */
static double quantile(report *r, const double *v, size_t n, double q) {
    double *c = malloc((n ? n : 1) * sizeof *c);
    if (c == NULL) {
        r->w.nomem = 1;
        return NAN;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) c[m++] = v[i];
    double out = NAN;
    if (m > 0) {
        qsort(c, m, sizeof *c, cmp_double);
        size_t at = (size_t)(q * (double)(m - 1) + 0.5);
        if (at >= m) at = m - 1;
        out = c[at];
    }
    free(c);
    return out;
}

static double nice_step(double raw) {
    if (!(raw > 0)) return 1.0;
    const double p = pow(10.0, floor(log10(raw)));
    const double f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
}

#define GRID_ROWS 12
#define GRID_COLS 11

/* One frequency/recency matrix: rows x (most at the top), columns t_x. */
static void chart_matrix(report *r, const double *xs, int nx, const double *txs, int ntx, const double *vals,
                         const char *title, int palette, double vmax) {
    writer *w = &r->w;
    const double left = 56, top = 8, cw = 44, ch = 22;
    const double width = left + cw * ntx + 8, height = top + ch * nx + 50;
    svg_open(r, width, height, title);
    for (int i = 0; i < nx; i++) {
        const int ri = nx - 1 - i; /* display row i holds x index ri */
        const double y = top + ch * i;
        w_printf(w, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\" font-size=\"11\">%s</text>\n",
                 cn(w, left - 8), cn(w, y + 15), fr(w, xs[ri], 0));
        for (int j = 0; j < ntx; j++) {
            const double x = left + cw * j;
            const double v = vals[ri * ntx + j];
            if (xs[ri] == 0 && txs[j] > 0) {
                w_printf(w,
                         "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"#f3f4f6\"/>"
                         "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"10\" fill=\"#b0b7c0\">"
                         "&#215;</text>\n",
                         cn(w, x + 0.5), cn(w, y + 0.5), cn(w, cw - 1), cn(w, ch - 1), cn(w, x + cw / 2),
                         cn(w, y + 15));
                continue;
            }
            rgb c;
            if (palette == 0)
                c = ramp(rdylgn, STOPS(rdylgn), v);
            else
                c = ramp(purples, STOPS(purples), vmax > 0 && v > 0 ? sqrt(v / vmax) : 0);
            w_printf(
                w,
                "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"><title>x = %s, t_x = %s: %s"
                "</title></rect>",
                cn(w, x + 0.5), cn(w, y + 0.5), cn(w, cw - 1), cn(w, ch - 1), hex(w, c), fr(w, xs[ri], 0),
                fr(w, txs[j], 1), fr(w, v, 3));
            w_printf(
                w, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"10\" fill=\"%s\">%s</text>\n",
                cn(w, x + cw / 2), cn(w, y + 15), ink_on(c),
                !isfinite(v)   ? "n/a"
                : palette == 0 ? fr(w, v, 2)
                               : fr(w, v, v >= 100 ? 0 : 1));
        }
    }
    for (int j = 0; j < ntx; j++)
        w_printf(w, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"10.5\">%s</text>\n",
                 cn(w, left + cw * j + cw / 2), cn(w, top + ch * nx + 14),
                 fr(w, txs[j] * (r->unit > 0 ? r->unit : 1), 0));
    w_printf(w,
             "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" fill=\"" C_MUTED
             "\">recency: days from first to last "
             "purchase (t_x)</text>\n",
             cn(w, left + cw * ntx / 2), cn(w, top + ch * nx + 34));
    w_printf(w,
             "<text transform=\"translate(12 %s) rotate(-90)\" text-anchor=\"middle\" fill=\"" C_MUTED
             "\">frequency: repeat purchase days (x)</text>\n",
             cn(w, top + ch * nx / 2));
    svg_close(r);
}

static void write_model_matrices(report *r) {
    writer *w = &r->w;
    const double *Tcol = crm_result_f64(r->res, CRM_COLUMN_T);
    const double *xcol = crm_result_f64(r->res, CRM_COLUMN_X);
    if (!Tcol || !xcol) {
        note(r, "The result has no x / t_x / T columns: no matrices.");
        return;
    }
    const double unit = r->unit > 0 ? r->unit : 1.0;
    double T = quantile(r, Tcol, r->rows, 0.5);
    double xmax = quantile(r, xcol, r->rows, 0.95);
    if (!isfinite(T) || T <= 0) {
        note(r, "No customer with a purchase history: no matrices.");
        return;
    }
    T = floor(T * unit + 0.5) / unit; /* a whole number of days */
    if (T <= 0) T = 1.0 / unit;
    if (!isfinite(xmax) || xmax < 1) xmax = 1;
    double xstep = ceil(nice_step(xmax / (GRID_ROWS - 1)));
    if (xstep < 1) xstep = 1;
    double xs[GRID_ROWS], txs[GRID_COLS];
    int nx = 0;
    for (int i = 0; i < GRID_ROWS; i++) {
        xs[i] = xstep * i;
        nx++;
        if (xs[i] >= xmax) break;
    }
    for (int j = 0; j < GRID_COLS; j++) txs[j] = T * j / (GRID_COLS - 1);
    const int ntx = GRID_COLS;
    /* The possible cells only: x = 0 with t_x > 0 cannot occur. */
    double cx[GRID_ROWS * GRID_COLS], ctx[GRID_ROWS * GRID_COLS], cT[GRID_ROWS * GRID_COLS];
    double pa[GRID_ROWS * GRID_COLS], ep[GRID_ROWS * GRID_COLS];
    double pa_full[GRID_ROWS * GRID_COLS], ep_full[GRID_ROWS * GRID_COLS];
    size_t n = 0;
    for (int i = 0; i < nx; i++)
        for (int j = 0; j < ntx; j++) {
            if (xs[i] == 0 && txs[j] > 0) continue;
            cx[n] = xs[i];
            ctx[n] = txs[j];
            cT[n] = T;
            n++;
        }
    crm_model_data d;
    const double horizon = r->horizon > 0 ? r->horizon : 365.0 / unit;
    if (!model_data(&d, cx, ctx, cT, n) || crm_model_p_alive(r->model, &d, pa, NULL) != CRM_STATUS_OK ||
        crm_model_expected_purchases(r->model, horizon, &d, ep, NULL) != CRM_STATUS_OK) {
        note(r, "The model could not evaluate the matrices.");
        return;
    }
    size_t c = 0;
    double epmax = 0;
    for (int i = 0; i < nx; i++)
        for (int j = 0; j < ntx; j++) {
            if (xs[i] == 0 && txs[j] > 0) {
                pa_full[i * ntx + j] = NAN;
                ep_full[i * ntx + j] = NAN;
                continue;
            }
            pa_full[i * ntx + j] = pa[c];
            ep_full[i * ntx + j] = ep[c];
            if (isfinite(ep[c]) && ep[c] > epmax) epmax = ep[c];
            c++;
        }
    w_printf(
        w,
        "<p>For a customer who first bought %s days before the as-of day (the median customer), by repeat "
        "purchase days x and days from the first to the last purchase t_x. Cells marked &#215; cannot occur "
        "(no repeat purchase, yet a last purchase after the first).</p>\n",
        fr(w, T * unit, 0));
    w_puts(w, "<div class=\"row\">\n");
    char cap[128];
    snprintf(cap, sizeof cap, "Expected purchase days in the next %s days", fr(w, horizon * unit, 0));
    figure_open(r, NULL, cap, 0);
    chart_matrix(r, xs, nx, txs, ntx, ep_full, cap, 1, epmax);
    figure_close(r);
    figure_open(r, NULL, "P(alive): probability the customer is still active", 0);
    chart_matrix(r, xs, nx, txs, ntx, pa_full, "P(alive) matrix", 0, 1.0);
    figure_close(r);
    w_puts(w, "</div>\n");
}

/* The literature's name of a model kind. */
static const char *model_title(int kind) {
    switch (kind) {
    case CRM_MODEL_KIND_BGNBD: return "BG/NBD";
    case CRM_MODEL_KIND_MBGNBD: return "MBG/NBD";
    case CRM_MODEL_KIND_PARETO_NBD: return "Pareto/NBD";
    case CRM_MODEL_KIND_GAMMA_GAMMA: return "Gamma-Gamma";
    default: return crm_enum_name(CRM_ENUM_MODEL_KIND, kind);
    }
}

static void write_model(report *r) {
    writer *w = &r->w;
    section_open(r, "model", "Customer-value model",
                 "The fitted purchase model's view of who is still a customer and how much each will buy.");
    if (r->model == NULL) {
        note(r, "No purchase model was fitted for this analysis (set the option model to bgnbd, mbgnbd or "
                "pareto_nbd to see the expected purchases and P(alive) matrices).");
    } else {
        w_puts(w, "<table><tr><th>model</th><th>parameters</th><th "
                  "class=\"n\">log-likelihood</th><th>fit</th></tr>\n");
        for (int32_t kind = 1; kind < crm_enum_count(CRM_ENUM_MODEL_KIND); kind++) {
            const crm_model *m = crm_result_model(r->res, kind);
            if (m == NULL) continue;
            w_puts(w, "<tr><td>");
            w_text(w, model_title(kind));
            w_puts(w, "</td><td>");
            for (size_t i = 0; i < crm_model_param_count(kind); i++) {
                w_printf(w, "%s", i ? ", " : "");
                w_text(w, crm_model_param_name(kind, i));
                w_printf(w, " = %s", fsig(w, crm_model_param(m, i)));
            }
            w_printf(w, "</td><td class=\"n\">%s</td><td>%s</td></tr>\n", fr(w, crm_model_loglik(m), 1),
                     crm_model_converged(m) ? "converged" : "<span class=\"tag late\">not converged</span>");
        }
        w_puts(w, "</table>\n");
        write_model_matrices(r);
    }
    section_close(r);
}

/* ---- calibration versus holdout ---- */

static void write_holdout(report *r) {
    writer *w = &r->w;
    section_open(
        r, "holdout", "Calibration versus holdout",
        "The model fitted on the purchases up to the calibration day, then asked how many purchase days "
        "each group of customers would have in the holdout period; the groups are customers with the same "
        "number of repeat purchase days in calibration.");
    const crm_result *cal = r->in->calibration;
    if (cal == NULL) {
        note(r, "No calibration split was given: no holdout check.");
        section_close(r);
        return;
    }
    const double *x = crm_result_f64(cal, CRM_COLUMN_X), *tx = crm_result_f64(cal, CRM_COLUMN_T_X);
    const double *T = crm_result_f64(cal, CRM_COLUMN_T);
    const int64_t *hold = crm_result_i64(cal, CRM_COLUMN_HOLDOUT_PURCHASES);
    const size_t n = crm_result_rows(cal);
    const int32_t cal_day = crm_result_as_of_day(cal), end_day = crm_result_as_of_day(r->res);
    double unit = infer_unit(cal);
    if (!(unit > 0)) unit = r->unit;
    if (!x || !tx || !T || !hold || n == 0) {
        note(r, "The calibration result has no customer with x, t_x, T and holdout_purchases.");
        section_close(r);
        return;
    }
    if (cal_day == CRM_NO_DAY || end_day == CRM_NO_DAY || end_day <= cal_day || !(unit > 0)) {
        note(r, "The holdout period (from the calibration day to the analysis's as-of day) is empty.");
        section_close(r);
        return;
    }
    const double t_hold = (double)(end_day - cal_day) / unit;
    const int kind = r->model_kind ? r->model_kind : CRM_MODEL_KIND_BGNBD;
    crm_model_data d;
    crm_model *fit = NULL;
    crm_error e;
    double *pred = malloc(n * sizeof *pred);
    if (pred == NULL) {
        r->w.nomem = 1;
        section_close(r);
        return;
    }
    crm_status st =
        model_data(&d, x, tx, T, n) ? crm_model_fit(NULL, kind, &d, &fit, &e) : CRM_STATUS_INVALID_ARGUMENT;
    if ((st != CRM_STATUS_OK && st != CRM_STATUS_NOT_CONVERGED) || fit == NULL ||
        crm_model_expected_purchases(fit, t_hold, &d, pred, NULL) != CRM_STATUS_OK) {
        note(r, "The model could not be fitted on the calibration period.");
        crm_model_free(fit);
        free(pred);
        section_close(r);
        return;
    }
    /* Groups of calibration x: 0..6 one by one, then wider bins. */
    static const int edges[] = {0, 1, 2, 3, 4, 5, 6, 7, 10, 15, 20, 30, 50, 100, 200, 500, 1000};
    enum { NB = sizeof edges / sizeof edges[0] };
    double act[NB], mod[NB];
    int64_t cnt[NB];
    memset(act, 0, sizeof act);
    memset(mod, 0, sizeof mod);
    memset(cnt, 0, sizeof cnt);
    double sum_act = 0, sum_mod = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(pred[i])) continue;
        int b = NB - 1;
        while (b > 0 && x[i] < edges[b]) b--;
        cnt[b]++;
        act[b] += (double)hold[i];
        mod[b] += pred[i];
        sum_act += (double)hold[i];
        sum_mod += pred[i];
    }
    int last = 0;
    for (int b = 0; b < NB; b++)
        if (cnt[b] > 0) last = b;
    double ymax = 0;
    for (int b = 0; b <= last; b++) {
        if (cnt[b] == 0) continue;
        if (act[b] / cnt[b] > ymax) ymax = act[b] / cnt[b];
        if (mod[b] / cnt[b] > ymax) ymax = mod[b] / cnt[b];
    }
    const double ystep = nice_step((ymax > 0 ? ymax : 1) / 5);
    const double ytop = ystep * ceil((ymax > 0 ? ymax : 1) / ystep);
    w_printf(w,
             "<p>Calibration up to %s, holdout %s to %s (%s days): %s customers made %s purchase days in the "
             "holdout; "
             "the %s model fitted on the calibration period expected %s",
             fday(w, cal_day), fday(w, cal_day + 1), fday(w, end_day), fc(w, end_day - cal_day),
             fc(w, (int64_t)n), fr(w, sum_act, 0), model_title(kind), fr(w, sum_mod, 0));
    if (sum_act > 0)
        w_printf(w, " (%s %s)", fp(w, fabs(sum_mod / sum_act - 1)), sum_mod >= sum_act ? "more" : "fewer");
    w_puts(w, ".</p>\n");
    w_puts(w, "<figure><figcaption>Mean purchase days in the holdout by repeat purchase days in calibration"
              "<span class=\"key\" style=\"background:" C_INK "\"></span>actual"
              "<span class=\"key\" style=\"background:" C_REVENUE "\"></span>model</figcaption>\n");
    int groups_shown = 0;
    for (int b = 0; b <= last; b++) groups_shown += cnt[b] > 0;
    const double left = 56, top = 12, ph = 240, pw = 940, width = left + pw + 40, height = top + ph + 64;
    const double step_x = groups_shown > 1 ? pw / (groups_shown - 1) : pw;
    svg_open(r, width, height,
             "Calibration versus holdout: actual and expected purchases by calibration frequency");
    for (int t = 0; t <= 5; t++) {
        const double v = ytop * t / 5, gy = top + ph - ph * t / 5.0;
        w_printf(w, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"" C_GRID "\"/>\n", cn(w, left),
                 cn(w, gy), cn(w, left + pw), cn(w, gy));
        w_printf(w,
                 "<text x=\"%s\" y=\"%s\" text-anchor=\"end\" font-size=\"11\" fill=\"" C_MUTED
                 "\">%s</text>\n",
                 cn(w, left - 6), cn(w, gy + 4), fr(w, v, ystep < 1 ? 1 : 0));
    }
    for (int series = 0; series < 2; series++) {
        w_printf(w, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"%s points=\"",
                 series == 0 ? C_INK : C_REVENUE, series == 1 ? " stroke-dasharray=\"7 4\"" : "");
        int k = 0;
        for (int b = 0; b <= last; b++) {
            if (cnt[b] == 0) continue;
            const double v = (series == 0 ? act[b] : mod[b]) / cnt[b];
            w_printf(w, "%s%s,%s", k ? " " : "", cn(w, left + (groups_shown > 1 ? step_x * k : pw / 2)),
                     cn(w, top + ph - ph * v / ytop));
            k++;
        }
        w_puts(w, "\"/>\n");
    }
    int k = 0;
    for (int b = 0; b <= last; b++) {
        if (cnt[b] == 0) continue;
        const double gx = left + (groups_shown > 1 ? step_x * k : pw / 2);
        const double va = act[b] / cnt[b], vm = mod[b] / cnt[b];
        char label[32];
        if (b == NB - 1)
            snprintf(label, sizeof label, "%d+", edges[b]);
        else if (edges[b + 1] - edges[b] == 1)
            snprintf(label, sizeof label, "%d", edges[b]);
        else
            snprintf(label, sizeof label, "%d\xE2\x80\x93%d", edges[b], edges[b + 1] - 1);
        w_printf(w, "<g><title>x = %s: %s customers, actual %s, model %s</title>", label, fc(w, cnt[b]),
                 fr(w, va, 2), fr(w, vm, 2));
        w_printf(w, "<circle cx=\"%s\" cy=\"%s\" r=\"4\" fill=\"" C_INK "\"/>", cn(w, gx),
                 cn(w, top + ph - ph * va / ytop));
        w_printf(w, "<circle cx=\"%s\" cy=\"%s\" r=\"4\" fill=\"" C_REVENUE "\"/></g>\n", cn(w, gx),
                 cn(w, top + ph - ph * vm / ytop));
        w_printf(w, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"11\">%s</text>\n", cn(w, gx),
                 cn(w, top + ph + 16), label);
        w_printf(w,
                 "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"9.5\" fill=\"" C_MUTED
                 "\">%s</text>\n",
                 cn(w, gx), cn(w, top + ph + 30), fc(w, cnt[b]));
        k++;
    }
    w_printf(w,
             "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" fill=\"" C_MUTED
             "\">repeat purchase days in calibration (customers below)</text>\n",
             cn(w, left + pw / 2), cn(w, top + ph + 52));
    w_printf(w,
             "<text transform=\"translate(12 %s) rotate(-90)\" text-anchor=\"middle\" fill=\"" C_MUTED
             "\">purchase days in holdout</text>\n",
             cn(w, top + ph / 2));
    svg_close(r);
    w_puts(w, "</figure>\n");
    crm_model_free(fit);
    free(pred);
    section_close(r);
}

/* ---- Part II: shared helpers ---- */

/* An option of the analysis's configuration, or its default. NaN when unknown. */
static double option_value(report *r, int option) {
    double v = NAN;
    if (r->in->config == NULL || crm_config_get_real(r->in->config, option, &v, NULL) != CRM_STATUS_OK) {
        if (crm_option_default(option, &v, NULL) != CRM_STATUS_OK) v = NAN;
    }
    return v;
}

/* A customer's label (the caller's) or id, escaped. */
static void w_customer(report *r, const uint64_t *ids, size_t row) {
    const char *label = r->in->customer_labels ? r->in->customer_labels[row] : NULL;
    if (label)
        w_text_ex(&r->w, label, 80, 0);
    else if (ids)
        w_printf(&r->w, "%llu", (unsigned long long)ids[row]);
}

/* A y axis in percent over [lo, hi] (shares), its grid and labels; returns the scale's ends. */
static void percent_axis(report *r, double lo, double hi, double left, double top, double pw, double ph,
                         double *ylo, double *yhi) {
    writer *w = &r->w;
    const double step = nice_step((hi - lo) / 6.0);
    *ylo = step * floor(lo / step + 1e-9);
    *yhi = step * ceil(hi / step - 1e-9);
    if (*yhi <= *ylo) *yhi = *ylo + step;
    const int ticks = (int)lround((*yhi - *ylo) / step);
    for (int t = 0; t <= ticks; t++) {
        const double v = *ylo + step * t;
        const double gy = top + ph - ph * (v - *ylo) / (*yhi - *ylo);
        w_printf(w, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\"/>\n", cn(w, left), cn(w, gy),
                 cn(w, left + pw), cn(w, gy), fabs(v) < 1e-9 ? "#9aa5b1" : C_GRID);
        w_printf(w,
                 "<text x=\"%s\" y=\"%s\" text-anchor=\"end\" font-size=\"11\" fill=\"" C_MUTED
                 "\">%s%%</text>\n",
                 cn(w, left - 6), cn(w, gy + 4), fr(w, v * 100.0, 0));
    }
}

/* ---- profit and the 80/20/30 rule ---- */

static const char *profit_colour(int32_t v) {
    static const char *const c[] = {"#c7ccd1", "#08519c", "#6baed6", "#d64541"};
    return v >= 0 && v < 4 ? c[v] : "#9aa5b1";
}

/* The whale curve of npts points (customer share, cumulative profit share),
 * shaded by the runs of profit classes top, profitable, unprofitable (runs
 * NULL: unshaded). */
static void chart_whale(report *r, const double *xs, const double *ys, size_t npts, const size_t *runs) {
    writer *w = &r->w;
    const size_t m = npts - 1;
    double lo = 0.0, hi = 1.0;
    size_t peak = 0;
    for (size_t i = 0; i < npts; i++) {
        if (ys[i] < lo) lo = ys[i];
        if (ys[i] > hi) hi = ys[i];
        if (ys[i] > ys[peak]) peak = i;
    }
    const double left = 52, top = 12, pw = 430, ph = 250, width = left + pw + 24, height = top + ph + 46;
    svg_open(r, width, height,
             "Whale curve: cumulative share of profit by share of customers, most profitable first");
    double ylo, yhi;
    percent_axis(r, lo, hi, left, top, pw, ph, &ylo, &yhi);
#define WX(i) (left + pw * xs[(i)])
#define WY(v) (top + ph - ph * ((v)-ylo) / (yhi - ylo))
    for (int t = 0; t <= 5; t++) {
        const double gx = left + pw * t / 5.0;
        w_printf(w, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"" C_GRID "\"/>\n", cn(w, gx),
                 cn(w, top), cn(w, gx), cn(w, top + ph));
        w_printf(w,
                 "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"11\" fill=\"" C_MUTED
                 "\">%d%%</text>\n",
                 cn(w, gx), cn(w, top + ph + 16), t * 20);
    }
    const size_t step = m > 400 ? m / 400 : 1;
    if (runs) {
        static const int32_t classes[] = {CRM_PROFIT_CLASS_TOP, CRM_PROFIT_CLASS_PROFITABLE,
                                          CRM_PROFIT_CLASS_UNPROFITABLE};
        size_t a = 0;
        for (int k = 0; k < 3; k++) {
            const size_t b = a + runs[k];
            if (b == a) continue;
            w_printf(w, "<path fill=\"%s\" fill-opacity=\"0.8\" d=\"M%s %s L%s %s", profit_colour(classes[k]),
                     cn(w, WX(a)), cn(w, WY(0.0)), cn(w, WX(a)), cn(w, WY(ys[a])));
            for (size_t i = a - a % step + step; i < b; i += step)
                w_printf(w, " L%s %s", cn(w, WX(i)), cn(w, WY(ys[i])));
            w_printf(w, " L%s %s L%s %s Z\"><title>", cn(w, WX(b)), cn(w, WY(ys[b])), cn(w, WX(b)),
                     cn(w, WY(0.0)));
            w_value_name(r, CRM_COLUMN_PROFIT_CLASS, classes[k], 0);
            w_printf(w, ": %s customers, %s of the total profit</title></path>\n", fc(w, (int64_t)(b - a)),
                     fp(w, ys[b] - ys[a]));
            if (WX(b) - WX(a) >= 70 && ys[a] >= 0 && ys[b] > 0.08) {
                w_printf(
                    w,
                    "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"600\" "
                    "fill=\"%s\">",
                    cn(w, (WX(a) + WX(b)) / 2), cn(w, WY(0.0) - 8),
                    classes[k] == CRM_PROFIT_CLASS_TOP ? "#ffffff" : C_INK);
                w_value_name(r, CRM_COLUMN_PROFIT_CLASS, classes[k], 14);
                w_puts(w, "</text>\n");
            }
            a = b;
        }
    }
    w_printf(w,
             "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#9aa5b1\" stroke-dasharray=\"4 4\"/>\n",
             cn(w, left), cn(w, WY(1.0)), cn(w, left + pw), cn(w, WY(1.0)));
    w_printf(w, "<polyline fill=\"none\" stroke=\"" C_INK "\" stroke-width=\"2\" points=\"%s,%s",
             cn(w, WX(0)), cn(w, WY(ys[0])));
    for (size_t i = step; i < m; i += step) w_printf(w, " %s,%s", cn(w, WX(i)), cn(w, WY(ys[i])));
    w_printf(w, " %s,%s\"/>\n", cn(w, WX(m)), cn(w, WY(ys[m])));
    if (peak > 0 && ys[peak] > 0) {
        const double px = WX(peak), py = WY(ys[peak]);
        const int right = px > left + pw * 0.55;
        w_printf(
            w,
            "<circle cx=\"%s\" cy=\"%s\" r=\"4\" fill=\"" C_INK "\"/>\n"
            "<text x=\"%s\" y=\"%s\" font-size=\"12\" font-weight=\"600\"%s>%s of customers earn %s of the "
            "profit</text>\n",
            cn(w, px), cn(w, py), cn(w, right ? px - 8 : px + 10), cn(w, py < top + 20 ? py + 18 : py - 8),
            right ? " text-anchor=\"end\"" : "", fp(w, xs[peak]), fp(w, ys[peak]));
    }
    w_printf(w,
             "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" fill=\"" C_MUTED
             "\">customers, most profitable first</text>\n",
             cn(w, left + pw / 2), cn(w, top + ph + 36));
    w_printf(w,
             "<text transform=\"translate(12 %s) rotate(-90)\" text-anchor=\"middle\" fill=\"" C_MUTED
             "\">cumulative share of profit</text>\n",
             cn(w, top + ph / 2));
#undef WX
#undef WY
    svg_close(r);
}

static void write_profit(report *r) {
    writer *w = &r->w;
    section_open(
        r, "profit", "Profit and the 80/20/30 rule",
        "Profit is gross profit (what customers paid less the cost of the goods) less the cost of "
        "serving them. Sherden's rule of thumb: the top 20% of customers bring about 80% of the profit, "
        "and the unprofitable ones lose about half of it again. The whale curve ranks customers from "
        "the most to the least profitable against their share of the total profit: it climbs above "
        "100% and sinks back where the unprofitable customers begin.");
    const double *profit = crm_result_f64(r->res, CRM_COLUMN_PROFIT);
    const int32_t *cls = crm_result_i32(r->res, CRM_COLUMN_PROFIT_CLASS);
    const int64_t *days = crm_result_i64(r->res, CRM_COLUMN_PURCHASE_DAYS);
    size_t npts = 0;
    const crm_status st = crm_result_whale_curve(r->res, NULL, NULL, 0, &npts, NULL);
    if (st != CRM_STATUS_OK || npts < 2 || !profit || !cls || !days) {
        note(r, "No profit figures: the transactions had no cost column. Give each sale its cost of goods "
                "(and set the cost_call, cost_visit, cost_email, cost_message and cost_complaint options for "
                "the cost of serving) to see profit, the profit classes and the whale curve.");
        section_close(r);
        return;
    }
    double *xs = malloc(npts * sizeof *xs), *ys = malloc(npts * sizeof *ys);
    if (xs == NULL || ys == NULL ||
        crm_result_whale_curve(r->res, xs, ys, npts, &npts, NULL) != CRM_STATUS_OK) {
        if (xs == NULL || ys == NULL) r->w.nomem = 1;
        free(xs);
        free(ys);
        section_close(r);
        return;
    }
    /* Per class: customers, net revenue, profit; totals. */
    const double *mon = crm_result_f64(r->res, CRM_COLUMN_MONETARY);
    const double *gross = crm_result_f64(r->res, CRM_COLUMN_GROSS_PROFIT);
    const double *service = crm_result_f64(r->res, CRM_COLUMN_SERVICE_COST);
    const double *coverage = crm_result_f64(r->res, CRM_COLUMN_PROFIT_COVERAGE);
    int64_t count[4] = {0, 0, 0, 0};
    double rev[4] = {0, 0, 0, 0}, prof[4] = {0, 0, 0, 0};
    double total = 0.0, total_gross = 0.0, total_service = 0.0, covered = 0.0, covered_base = 0.0;
    size_t with_profit = 0;
    for (size_t i = 0; i < r->rows; i++) {
        if (days[i] <= 0 || isnan(profit[i])) continue;
        with_profit++;
        const int32_t c = cls[i] >= 0 && cls[i] < 4 ? cls[i] : 0;
        count[c]++;
        if (mon && isfinite(mon[i])) rev[c] += mon[i];
        prof[c] += profit[i];
        total += profit[i];
        if (gross && isfinite(gross[i])) total_gross += gross[i];
        if (service && isfinite(service[i])) total_service += service[i];
        if (coverage && mon && isfinite(coverage[i]) && isfinite(mon[i])) {
            covered += coverage[i] * mon[i];
            covered_base += mon[i];
        }
    }
    int finite = 1;
    for (size_t i = 0; i < npts; i++) finite &= isfinite(ys[i]) && isfinite(xs[i]);
    const double top20 = crm_result_metric(r->res, CRM_METRIC_TOP20_PROFIT_SHARE);
    const double loss = crm_result_metric(r->res, CRM_METRIC_UNPROFITABLE_LOSS_SHARE);
    w_puts(w, "<div class=\"kpis\">\n");
    char buf[200];
    snprintf(buf, sizeof buf, "profit of %s customers with a purchase: gross profit %s less service cost %s",
             fc(w, (int64_t)with_profit), fms(w, total_gross), fms(w, total_service));
    kpi(r, fms(w, total), buf, total < 0);
    kpi(r, fp(w, top20), "of the profit comes from the top 20% of customers (the rule: about 80%)", 0);
    snprintf(buf, sizeof buf, "unprofitable customers (%s of those with a purchase)",
             fp(w, share((double)count[CRM_PROFIT_CLASS_UNPROFITABLE], (double)with_profit)));
    kpi(r, fc(w, count[CRM_PROFIT_CLASS_UNPROFITABLE]), buf, count[CRM_PROFIT_CLASS_UNPROFITABLE] > 0);
    kpi(r, fp(w, loss),
        "of the profit the others make is lost to the unprofitable customers (the rule: about half)",
        isfinite(loss) && loss >= 0.5);
    w_puts(w, "</div>\n<div class=\"row\">\n");
    figure_open(r, NULL, "Whale curve", 0);
    if (finite) {
        const size_t runs[3] = {(size_t)count[CRM_PROFIT_CLASS_TOP],
                                (size_t)count[CRM_PROFIT_CLASS_PROFITABLE],
                                (size_t)count[CRM_PROFIT_CLASS_UNPROFITABLE]};
        const int shaded = runs[0] + runs[1] + runs[2] == npts - 1;
        chart_whale(r, xs, ys, npts, shaded ? runs : NULL);
    } else {
        note(r, "The total profit is zero: there is no share to draw.");
    }
    figure_close(r);
    figure_open(r, NULL, "Profit classes", 0);
    w_puts(w, "<table><tr><th>class</th><th class=\"n\">customers</th><th class=\"n\">net revenue</th>"
              "<th class=\"n\">profit</th><th class=\"n\">share of profit</th></tr>\n");
    for (int32_t c = CRM_PROFIT_CLASS_TOP; c <= CRM_PROFIT_CLASS_UNPROFITABLE; c++) {
        w_printf(w, "<tr><td><span class=\"tag\" style=\"background:%s;color:%s\">", profit_colour(c),
                 c == CRM_PROFIT_CLASS_PROFITABLE ? C_INK : "#ffffff");
        w_value_name(r, CRM_COLUMN_PROFIT_CLASS, c, 0);
        w_printf(w,
                 "</span></td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                 "<td class=\"n\">%s</td></tr>\n",
                 fc(w, count[c]), fm(w, rev[c]), fm(w, prof[c]), total != 0 ? fp(w, prof[c] / total) : "n/a");
    }
    w_printf(w,
             "<tr><th>all</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
             "<th class=\"n\">100%%</th></tr>\n</table>\n",
             fc(w, (int64_t)with_profit), fm(w, rev[1] + rev[2] + rev[3] + rev[0]), fm(w, total));
    note(r, "Top: fewer than 20% of the customers have more profit; profitable: a profit of 0 or more below "
            "the top; unprofitable: a loss (profit below 0).");
    if (covered_base > 0 && covered / covered_base < 0.9995) {
        w_printf(w,
                 "<p class=\"note\">The cost is known for %s of net revenue: profit counts the sales with a "
                 "known cost only.</p>\n",
                 fp(w, covered / covered_base));
    }
    if (total_service == 0.0)
        note(r,
             "No service cost was charged (the options cost_call, cost_visit, cost_email, cost_message and "
             "cost_complaint are 0): profit equals gross profit.");
    figure_close(r);
    w_puts(w, "</div>\n");
    free(xs);
    free(ys);
    section_close(r);
}

/* ---- customer states and the qualification of prospects ---- */

static const char *state_colour(int32_t v) {
    static const char *const c[] = {"#c7ccd1", "#9aa5b1", "#c6dbef", "#6baed6",
                                    "#2171b5", "#31a354", "#d62728"};
    return v >= 0 && v < 7 ? c[v] : "#9aa5b1";
}

static void chart_funnel(report *r, const groups *g, double loyal_days) {
    writer *w = &r->w;
    static const int32_t order[] = {CRM_STATE_NON_CUSTOMER, CRM_STATE_POTENTIAL, CRM_STATE_TARGET,
                                    CRM_STATE_ACTUAL,       CRM_STATE_LOYAL,     CRM_STATE_LOST};
    char loyal_rule[160];
    snprintf(loyal_rule, sizeof loyal_rule,
             "buys again and again: %s or more purchase days, 2 in the last year, stable or advocate",
             fr(w, loyal_days, 0));
    const char *const rules[] = {"no purchase; money, authority and need all known, all no",
                                 "no purchase yet: a need, or a contact",
                                 "no purchase yet, chosen as a sales target",
                                 "has bought",
                                 loyal_rule,
                                 "lapsed: has stopped buying"};
    const double label_w = 120, bar_max = 300, row_h = 46, top = 6, gap_lost = 14;
    const double cx = label_w + 10 + bar_max / 2, text_x = label_w + 20 + bar_max;
    const double width = text_x + 560, height = top + row_h * 6 + gap_lost + 4;
    int64_t most = 1;
    for (int k = 0; k < 6; k++)
        if (order[k] < g->n && g->customers[order[k]] > most) most = g->customers[order[k]];
    double bw[6], by[6];
    for (int k = 0; k < 6; k++) {
        const int64_t n = order[k] < g->n ? g->customers[order[k]] : 0;
        bw[k] = n > 0 ? bar_max * (double)n / (double)most : 0.0;
        if (n > 0 && bw[k] < 2) bw[k] = 2;
        by[k] = top + row_h * k + (k == 5 ? gap_lost : 0) + 6;
    }
    svg_open(r, width, height,
             "Customer states: from non-customers and prospects to loyal and lost customers");
    /* The funnel's walls from potential through target and actual to loyal. */
    for (int k = 1; k < 4; k++) {
        if (bw[k] <= 0 || bw[k + 1] <= 0) continue;
        w_printf(w, "<path fill=\"%s\" fill-opacity=\"0.22\" d=\"M%s %s L%s %s L%s %s L%s %s Z\"/>\n",
                 state_colour(order[k + 1]), cn(w, cx - bw[k] / 2), cn(w, by[k] + 24), cn(w, cx + bw[k] / 2),
                 cn(w, by[k] + 24), cn(w, cx + bw[k + 1] / 2), cn(w, by[k + 1]), cn(w, cx - bw[k + 1] / 2),
                 cn(w, by[k + 1]));
    }
    for (int k = 0; k < 6; k++) {
        const int32_t s = order[k];
        const int64_t n = s < g->n ? g->customers[s] : 0;
        const double rv = s < g->n ? g->revenue[s] : 0.0;
        w_puts(w, "<g><title>");
        w_value_name(r, CRM_COLUMN_CUSTOMER_STATE, s, 0);
        w_printf(w, ": %s customers (%s), revenue %s. ", fc(w, n),
                 fp(w, share((double)n, (double)r->customers)), fm(w, rv));
        w_text(w, rules[k]);
        w_puts(w, "</title>\n");
        w_printf(w, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\" font-weight=\"600\">", cn(w, label_w),
                 cn(w, by[k] + 16));
        w_value_name(r, CRM_COLUMN_CUSTOMER_STATE, s, 16);
        w_puts(w, "</text>\n");
        if (bw[k] > 0)
            w_printf(w, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"24\" rx=\"3\" fill=\"%s\"/>\n",
                     cn(w, cx - bw[k] / 2), cn(w, by[k]), cn(w, bw[k]), state_colour(s));
        w_printf(w,
                 "<text x=\"%s\" y=\"%s\" font-weight=\"700\">%s <tspan font-weight=\"400\" fill=\"" C_MUTED
                 "\">%s",
                 cn(w, text_x), cn(w, by[k] + 11), fc(w, n), fp(w, share((double)n, (double)r->customers)));
        if (rv != 0.0) w_printf(w, " &#183; revenue %s", fms(w, rv));
        w_puts(w, "</tspan></text>\n");
        w_printf(w, "<text x=\"%s\" y=\"%s\" font-size=\"10.5\" fill=\"" C_MUTED "\">", cn(w, text_x),
                 cn(w, by[k] + 25));
        w_text_ex(w, rules[k], 100, 0);
        w_puts(w, "</text>\n</g>\n");
    }
    svg_close(r);
}

static void write_states(report *r) {
    writer *w = &r->w;
    section_open(
        r, "states", "Customer states and prospects",
        "Every customer in one state, from outside the market to loyal, and the lost ones; prospects "
        "(no purchase yet) qualified by the MAN rule: has the money (M), the authority to decide (A) "
        "and the need (N). Capital letter: yes; small: no or not known.");
    groups g = fetch_groups(r, CRM_COLUMN_CUSTOMER_STATE);
    if (!g.ok) {
        note(r, "No customer states in this result.");
        groups_free(&g);
        section_close(r);
        return;
    }
    const int attributes = crm_result_records(r->res, CRM_INPUT_CUSTOMERS, CRM_FATE_ACCEPTED) > 0;
    figure_open(r, NULL, "Customer states", 0);
    chart_funnel(r, &g, option_value(r, CRM_OPTION_LOYAL_MIN_PURCHASE_DAYS));
    figure_close(r);
    groups_free(&g);
    if (!attributes)
        note(r, "No customer attributes were supplied: nobody can be a target (targeted) or a non-customer "
                "(money, authority and need all no), and the prospects cannot be qualified.");

    const int32_t *q = crm_result_i32(r->res, CRM_COLUMN_QUALIFICATION);
    const int32_t *known = crm_result_i32(r->res, CRM_COLUMN_MAN_KNOWN);
    groups qg = fetch_groups(r, CRM_COLUMN_QUALIFICATION);
    int64_t prospects = 0, by_known[4] = {0, 0, 0, 0};
    for (size_t i = 0; q && known && i < r->rows; i++) {
        if (q[i] == CRM_QUALIFICATION_NONE) continue;
        prospects++;
        if (known[i] >= 0 && known[i] <= 3) by_known[known[i]]++;
    }
    if (!qg.ok || !q || !known) {
        note(r, "No qualification in this result.");
    } else if (prospects == 0) {
        note(r, "No customer without a purchase: nobody to qualify.");
    } else if (by_known[0] == prospects) {
        w_printf(
            w,
            "<p class=\"note\">None of the %s prospects has a known money, authority or need answer "
            "(the customer attributes), so none is qualified here: by the rule every unknown answer counts "
            "as no.</p>\n",
            fc(w, prospects));
    } else {
        static const int32_t codes[] = {CRM_QUALIFICATION_IDEAL,
                                        CRM_QUALIFICATION_DEVELOP_NEED,
                                        CRM_QUALIFICATION_FIND_DECISION_MAKER,
                                        CRM_QUALIFICATION_OFFER_FINANCING,
                                        CRM_QUALIFICATION_CULTIVATE,
                                        CRM_QUALIFICATION_STOP_CONTACT};
        static const char *const pattern[] = {"M A N", "M A n", "M a N", "m A N", "m a N, m A n, M a n",
                                              "m a n"};
        static const char *const action[] = {
            "the ideal sales target: go ahead", "skilled selling may create the need",
            "find the person who decides",      "check the business and its credit; offer financing",
            "observe over the long term",       "stop contacting"};
        w_printf(
            w,
            "<figure><figcaption>Qualification of the %s prospects (customers without a purchase)"
            "</figcaption>\n<table><tr><th>qualification</th><th>M A N</th><th class=\"n\">prospects</th>"
            "<th class=\"n\">share</th><th>what to do</th></tr>\n",
            fc(w, prospects));
        for (int k = 0; k < 6; k++) {
            const int64_t n = codes[k] < qg.n ? qg.customers[codes[k]] : 0;
            w_puts(w, "<tr><td>");
            w_value_name(r, CRM_COLUMN_QUALIFICATION, codes[k], 0);
            w_printf(w, "</td><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td>", pattern[k],
                     fc(w, n), fp(w, share((double)n, (double)prospects)));
            w_text(w, action[k]);
            w_puts(w, "</td></tr>\n");
        }
        w_puts(w, "</table></figure>\n");
        w_printf(
            w,
            "<p class=\"note\">Answers known: all three for %s prospects, two for %s, one for %s, none for "
            "%s (an unknown answer counts as no).</p>\n",
            fc(w, by_known[3]), fc(w, by_known[2]), fc(w, by_known[1]), fc(w, by_known[0]));
    }
    groups_free(&qg);
    section_close(r);
}

/* ---- the 7:2:1 communication mix ---- */

#define C_MIX_VALUE        "#3a6ea5"
#define C_MIX_RELATIONSHIP "#31a354"
#define C_MIX_ACTION       "#e08a1e"
#define MIX_LIST           12

static void chart_mix(report *r, const double target[3], const double actual[3]) {
    writer *w = &r->w;
    static const char *const names[] = {"Value", "Relationship", "Action"};
    static const char *const colours[] = {C_MIX_VALUE, C_MIX_RELATIONSHIP, C_MIX_ACTION};
    const double width = 1080, left = 170, bw = 780, bar_h = 30;
    svg_open(r, width, 8 + 2 * (bar_h + 12) + 28, "The 7:2:1 target against the outbound contacts' purposes");
    for (int bar = 0; bar < 2; bar++) {
        const double *v = bar == 0 ? target : actual;
        const double y = 8 + bar * (bar_h + 12);
        w_printf(w, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\" font-weight=\"600\">%s</text>\n",
                 cn(w, left - 10), cn(w, y + bar_h / 2 + 4), bar == 0 ? "Target" : "Outbound contacts");
        double sum = 0;
        for (int k = 0; k < 3; k++) sum += v[k] > 0 ? v[k] : 0;
        double x = left;
        for (int k = 0; k < 3; k++) {
            const double s = sum > 0 && v[k] > 0 ? v[k] / sum : 0.0;
            const double len = bw * s;
            if (len <= 0) continue;
            w_printf(w,
                     "<g><title>%s: %s</title><rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\" "
                     "stroke=\"#fff\"/>",
                     names[k], fp(w, v[k]), cn(w, x), cn(w, y), cn(w, len), cn(w, bar_h), colours[k]);
            if (len >= 60)
                w_printf(w,
                         "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"11\" fill=\"#fff\" "
                         "font-weight=\"600\">%s %s</text>",
                         cn(w, x + len / 2), cn(w, y + bar_h / 2 + 4), len >= 130 ? names[k] : "",
                         fp(w, v[k]));
            w_puts(w, "</g>\n");
            x += len;
        }
    }
    const double ly = 8 + 2 * (bar_h + 12) + 6;
    for (int k = 0; k < 3; k++) {
        const double x = left + 160.0 * k;
        w_printf(w,
                 "<rect x=\"%s\" y=\"%s\" width=\"10\" height=\"10\" rx=\"2\" fill=\"%s\"/><text x=\"%s\" "
                 "y=\"%s\" "
                 "font-size=\"11\">%s</text>\n",
                 cn(w, x), cn(w, ly + 1), colours[k], cn(w, x + 14), cn(w, ly + 10), names[k]);
    }
    svg_close(r);
}

static void write_mix(report *r) {
    writer *w = &r->w;
    const double target[3] = {option_value(r, CRM_OPTION_MIX_TARGET_VALUE),
                              option_value(r, CRM_OPTION_MIX_TARGET_RELATIONSHIP),
                              option_value(r, CRM_OPTION_MIX_TARGET_ACTION)};
    const double tolerance = option_value(r, CRM_OPTION_MIX_TOLERANCE);
    const double min_contacts = option_value(r, CRM_OPTION_MIX_MIN_CONTACTS);
    char lead[400];
    snprintf(
        lead, sizeof lead,
        "Outbound contacts of the last 365 days by purpose, against the target mix of %s value "
        "(reports, expertise, how-tos), %s relationship (greetings, anniversaries) and %s action (offers, "
        "proposals): pooled over every customer, and the customers whose own mix is off.",
        fp(w, target[0]), fp(w, target[1]), fp(w, target[2]));
    section_open(r, "mix", "Communication mix 7:2:1", lead);
    const double actual[3] = {crm_result_metric(r->res, CRM_METRIC_MIX_VALUE),
                              crm_result_metric(r->res, CRM_METRIC_MIX_RELATIONSHIP),
                              crm_result_metric(r->res, CRM_METRIC_MIX_ACTION)};
    const double distance = crm_result_metric(r->res, CRM_METRIC_MIX_DISTANCE);
    if (!isfinite(actual[0]) || !isfinite(actual[1]) || !isfinite(actual[2])) {
        note(r,
             "No outbound contact with a purpose in the last 365 days: the interactions had no purpose "
             "column, or no outbound call, visit, email or message carried one. Give each outbound contact "
             "its purpose (value, relationship or action) to compare the mix with 7:2:1.");
        section_close(r);
        return;
    }
    const double *mv = crm_result_f64(r->res, CRM_COLUMN_MIX_VALUE);
    const double *mr = crm_result_f64(r->res, CRM_COLUMN_MIX_RELATIONSHIP);
    const double *ma = crm_result_f64(r->res, CRM_COLUMN_MIX_ACTION);
    const double *md = crm_result_f64(r->res, CRM_COLUMN_MIX_DISTANCE);
    const uint64_t *flags = crm_result_u64(r->res, CRM_COLUMN_CHURN_FLAGS);
    const double *mon = crm_result_f64(r->res, CRM_COLUMN_MONETARY);
    const uint64_t *ids = crm_result_u64(r->res, CRM_COLUMN_CUSTOMER_ID);
    int64_t measured = 0, off = 0;
    for (size_t i = 0; i < r->rows; i++) {
        measured += mv && isfinite(mv[i]);
        off += flags && (flags[i] & CRM_FLAG_BIT(CRM_FLAG_MIX_OFF)) != 0;
    }
    w_puts(w, "<div class=\"kpis\">\n");
    char buf[200];
    snprintf(buf, sizeof buf,
             "distance of the pooled mix from the target (half the sum of the differences; "
             "the tolerance is %s)",
             fr(w, tolerance, 2));
    kpi(r, fr(w, distance, 3), buf, distance > tolerance + 1e-9);
    kpi(r, fc(w, measured), "customers with purposed outbound contacts in the last 365 days", 0);
    snprintf(buf, sizeof buf, "customers off the mix: at least %s purposed contacts, distance above %s",
             fr(w, min_contacts, 0), fr(w, tolerance, 2));
    kpi(r, fc(w, off), buf, off > 0);
    w_puts(w, "</div>\n");
    figure_open(r, NULL, "The target mix and the pooled outbound contacts", 0);
    chart_mix(r, target, actual);
    figure_close(r);
    if (off == 0 || !mv || !mr || !ma || !md || !flags) {
        note(r,
             off == 0 ? "No customer's own mix is off the target." : "The result has no per-customer mix.");
        section_close(r);
        return;
    }
    ranked *order = malloc((size_t)off * sizeof *order);
    if (order == NULL) {
        r->w.nomem = 1;
        section_close(r);
        return;
    }
    size_t j = 0;
    for (size_t i = 0; i < r->rows; i++) {
        if (!(flags[i] & CRM_FLAG_BIT(CRM_FLAG_MIX_OFF))) continue;
        order[j].key = mon ? mon[i] : NAN;
        order[j].second = md[i];
        order[j].id = ids ? ids[i] : (uint64_t)i;
        order[j].row = i;
        j++;
    }
    qsort(order, j, sizeof *order, by_key_desc);
    const size_t shown = j < MIX_LIST ? j : MIX_LIST;
    w_printf(
        w,
        "<figure><figcaption>Customers off the mix, the most valuable first</figcaption>\n<table>"
        "<tr><th>customer</th><th class=\"n\">net revenue</th><th class=\"n\">value</th>"
        "<th class=\"n\">relationship</th><th class=\"n\">action</th><th class=\"n\">distance</th></tr>\n");
    for (size_t k = 0; k < shown; k++) {
        const size_t i = order[k].row;
        w_puts(w, "<tr><td>");
        w_customer(r, ids, i);
        w_printf(w,
                 "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td "
                 "class=\"n\">%s</td>"
                 "<td class=\"n\">%s</td></tr>\n",
                 mon ? fm(w, mon[i]) : "n/a", fp(w, mv[i]), fp(w, mr[i]), fp(w, ma[i]), fr(w, md[i], 2));
    }
    w_puts(w, "</table></figure>\n");
    if (shown < j)
        w_printf(w, "<p class=\"note\">%s more customers are off the mix.</p>\n",
                 fc(w, (int64_t)(j - shown)));
    free(order);
    section_close(r);
}

/* ---- care this fortnight: birthdays and anniversaries ---- */

#define CARE_DAYS 14 /* the fortnight ahead: the as-of day and the 14 days after it */
#define CARE_LIST 30

static void chart_care(report *r, const int64_t births[], const int64_t plain[], const int64_t miles[],
                       int32_t as_of) {
    writer *w = &r->w;
    static const char *const weekday[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    const int cols = CARE_DAYS + 1;
    const double left = 8, cw = 70, ph = 110, top = 18, width = left + cw * cols + 8, height = top + ph + 40;
    int64_t most = 1;
    for (int d = 0; d < cols; d++)
        if (births[d] + plain[d] + miles[d] > most) most = births[d] + plain[d] + miles[d];
    svg_open(r, width, height, "Birthdays and anniversaries of the coming fortnight, day by day");
    w_printf(w, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#9aa5b1\"/>\n", cn(w, left),
             cn(w, top + ph), cn(w, left + cw * cols), cn(w, top + ph));
    for (int d = 0; d < cols; d++) {
        const int32_t day = as_of + d;
        const double x = left + cw * d + 12, bar_w = cw - 24;
        const int64_t parts[3] = {births[d], plain[d], miles[d]};
        static const char *const colours[] = {"#8c6bb1", "#f2b134", "#d95f0e"};
        double y = top + ph;
        w_printf(w, "<g><title>%s: %s birthdays, %s anniversaries (%s milestones)</title>\n", fday(w, day),
                 fc(w, births[d]), fc(w, plain[d] + miles[d]), fc(w, miles[d]));
        for (int k = 0; k < 3; k++) {
            if (parts[k] <= 0) continue;
            const double h = ph * (double)parts[k] / (double)most;
            y -= h;
            w_printf(w, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"/>\n", cn(w, x),
                     cn(w, y), cn(w, bar_w), cn(w, h), colours[k]);
        }
        const int64_t all = births[d] + plain[d] + miles[d];
        if (all > 0)
            w_printf(w,
                     "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"600\">%s"
                     "</text>\n",
                     cn(w, x + bar_w / 2), cn(w, y - 4), fc(w, all));
        int32_t yy = 0, mm = 0, dd = 0;
        (void)crm_date_from_day(day, &yy, &mm, &dd, NULL);
        w_printf(w,
                 "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"11\"%s>%s</text>\n"
                 "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"10.5\" fill=\"" C_MUTED
                 "\">%02ld-%02ld</text>\n</g>\n",
                 cn(w, x + bar_w / 2), cn(w, top + ph + 15), d == 0 ? " font-weight=\"700\"" : "",
                 d == 0 ? "today" : weekday[((day % 7) + 7 + 4) % 7], cn(w, x + bar_w / 2),
                 cn(w, top + ph + 29), (long)mm, (long)dd);
    }
    svg_close(r);
}

static void write_care(report *r) {
    writer *w = &r->w;
    section_open(
        r, "care", "Care this fortnight",
        "Customers whose next key date, a birthday or the anniversary of the relationship (its start, "
        "else the first purchase), falls within the next 14 days: a greeting, a call or a small gift. "
        "Years: of the relationship at its next anniversary; a milestone is the 1st, 3rd, 5th, 10th, "
        "15th, 20th... anniversary.");
    const int32_t *key = crm_result_i32(r->res, CRM_COLUMN_NEXT_KEY_DATE);
    const int32_t *kind = crm_result_i32(r->res, CRM_COLUMN_KEY_DATE_KIND);
    const int32_t *years = crm_result_i32(r->res, CRM_COLUMN_RELATIONSHIP_YEARS);
    const int32_t *mile = crm_result_i32(r->res, CRM_COLUMN_MILESTONE_ANNIVERSARY);
    const int32_t *anniv = crm_result_i32(r->res, CRM_COLUMN_NEXT_ANNIVERSARY);
    const int32_t *stage = crm_result_i32(r->res, CRM_COLUMN_LIFECYCLE_STAGE);
    const double *mon = crm_result_f64(r->res, CRM_COLUMN_MONETARY);
    const uint64_t *ids = crm_result_u64(r->res, CRM_COLUMN_CUSTOMER_ID);
    const int32_t as_of = crm_result_as_of_day(r->res);
    size_t dated = 0, n = 0;
    for (size_t i = 0; key && kind && as_of != CRM_NO_DAY && i < r->rows; i++) {
        if (key[i] == CRM_NO_DAY) continue;
        dated++;
        n += key[i] >= as_of && key[i] - as_of <= CARE_DAYS;
    }
    const int attributes = crm_result_records(r->res, CRM_INPUT_CUSTOMERS, CRM_FATE_ACCEPTED) > 0;
    if (!key || !kind || dated == 0) {
        note(r,
             "No key dates: no birthday or relationship start was supplied (the customer attributes), and no "
             "customer has a first purchase to date an anniversary from.");
        section_close(r);
        return;
    }
    if (!attributes)
        note(r, "No customer attributes were supplied: there are no birthdays, and the anniversaries are "
                "those of "
                "the first purchase.");
    if (n == 0) {
        note(r, "No birthday or anniversary falls within the next 14 days.");
        section_close(r);
        return;
    }
    int64_t births[CARE_DAYS + 1], plain[CARE_DAYS + 1], miles[CARE_DAYS + 1];
    memset(births, 0, sizeof births);
    memset(plain, 0, sizeof plain);
    memset(miles, 0, sizeof miles);
    ranked *order = malloc(n * sizeof *order);
    if (order == NULL) {
        r->w.nomem = 1;
        section_close(r);
        return;
    }
    size_t j = 0;
    for (size_t i = 0; i < r->rows; i++) {
        if (key[i] == CRM_NO_DAY || key[i] < as_of || key[i] - as_of > CARE_DAYS) continue;
        const int32_t d = key[i] - as_of;
        if (kind[i] == CRM_KEY_DATE_BIRTHDAY)
            births[d]++;
        else if (mile && mile[i])
            miles[d]++;
        else
            plain[d]++;
        order[j].key = mon ? mon[i] : NAN; /* the most valuable first */
        order[j].second = -(double)key[i];
        order[j].id = ids ? ids[i] : (uint64_t)i;
        order[j].row = i;
        j++;
    }
    qsort(order, j, sizeof *order, by_key_desc);
    const size_t shown = j < CARE_LIST ? j : CARE_LIST;
    for (size_t k = 0; k < shown; k++) { /* those listed by date, the soonest first */
        const double value = order[k].key;
        order[k].key = order[k].second;
        order[k].second = value;
    }
    qsort(order, shown, sizeof *order, by_key_desc);
    int64_t total_births = 0, total_miles = 0;
    for (int d = 0; d <= CARE_DAYS; d++) {
        total_births += births[d];
        total_miles += miles[d];
    }
    w_printf(w,
             "<figure><figcaption>%s key dates in the next 14 days: %s birthdays, %s anniversaries (%s "
             "milestones)<span class=\"key\" style=\"background:#8c6bb1\"></span>birthday"
             "<span class=\"key\" style=\"background:#f2b134\"></span>anniversary"
             "<span class=\"key\" style=\"background:#d95f0e\"></span>milestone anniversary</figcaption>\n",
             fc(w, (int64_t)j), fc(w, total_births), fc(w, (int64_t)j - total_births), fc(w, total_miles));
    chart_care(r, births, plain, miles, as_of);
    w_puts(w, "</figure>\n");
    if (shown < j) w_printf(w, "<p>The %s most valuable of them, by date:</p>\n", fc(w, (int64_t)shown));
    w_puts(w,
           "<table class=\"calls\">\n<thead><tr><th>date</th><th>when</th><th>customer</th><th>occasion</th>"
           "<th class=\"n\">years</th><th>milestone</th><th class=\"n\">net revenue</th><th>stage</th></tr>"
           "</thead>\n<tbody>\n");
    for (size_t k = 0; k < shown; k++) {
        const size_t i = order[k].row;
        const int32_t d = key[i] - as_of;
        w_printf(w, "<tr><td>%s</td><td>", fday(w, key[i]));
        if (d == 0)
            w_puts(w, "today");
        else
            w_printf(w, "in %ld day%s", (long)d, d == 1 ? "" : "s");
        w_puts(w, "</td><td>");
        w_customer(r, ids, i);
        w_puts(w, "</td><td>");
        w_value_name(r, CRM_COLUMN_KEY_DATE_KIND, kind[i], 0);
        /* Years and milestone are the anniversary's: shown when it is the key date or also this fortnight. */
        const int has_years = years && years[i] != CRM_NO_DAY;
        const int anniversary =
            kind[i] == CRM_KEY_DATE_ANNIVERSARY ||
            (anniv && anniv[i] != CRM_NO_DAY && anniv[i] >= as_of && anniv[i] - as_of <= CARE_DAYS);
        if (kind[i] == CRM_KEY_DATE_BIRTHDAY && anniv && anniv[i] != CRM_NO_DAY) {
            w_printf(w, "<br><span class=\"sub\">anniversary %s", fday(w, anniv[i]));
            if (has_years) w_printf(w, ", %ld year%s", (long)years[i], years[i] == 1 ? "" : "s");
            w_puts(w, "</span>");
        }
        w_puts(w, "</td><td class=\"n\">");
        if (has_years && anniversary) w_printf(w, "%ld", (long)years[i]);
        w_puts(w, "</td><td>");
        if (mile && mile[i] && has_years && anniversary)
            w_printf(w, "<span class=\"tag milestone\">%ld year%s</span>", (long)years[i],
                     years[i] == 1 ? "" : "s");
        w_printf(w, "</td><td class=\"n\">%s</td><td>", mon ? fm(w, mon[i]) : "n/a");
        if (stage) w_value_name(r, CRM_COLUMN_LIFECYCLE_STAGE, stage[i], 20);
        w_puts(w, "</td></tr>\n");
    }
    w_puts(w, "</tbody></table>\n");
    if (shown < j)
        w_printf(w,
                 "<p class=\"note\">%s more customers with a key date in the fortnight are not listed.</p>\n",
                 fc(w, (int64_t)(j - shown)));
    free(order);
    section_close(r);
}

/* ---- the call list ---- */

/* Win-back actions of the at-risk and lapsed customers, by churn cause. */
static void write_win_back(report *r) {
    writer *w = &r->w;
    groups g = fetch_groups(r, CRM_COLUMN_WIN_BACK);
    if (!g.ok || g.n < 2) {
        note(r, "The result has no churn causes: no win-back actions.");
        groups_free(&g);
        return;
    }
    int64_t lapsing = 0;
    g.customers[CRM_WIN_BACK_NONE] = 0; /* not at risk or lapsed */
    for (int32_t v = 1; v < g.n; v++) lapsing += g.customers[v];
    if (lapsing == 0) {
        note(r, "No customer is at risk or lapsed: no win-back action to take.");
        groups_free(&g);
        return;
    }
    char caption[160];
    snprintf(caption, sizeof caption, "Win-back actions for the %s at-risk and lapsed customers",
             fc(w, lapsing));
    figure_open(r, NULL, caption, 1);
    chart_pair_bars(r, &g, CRM_COLUMN_WIN_BACK, 1080, 220, caption);
    figure_close(r);
    note(r,
         "The action follows the churn cause: a complaint or a poor survey since a year before the last "
         "purchase (service): show the service improvements; price sensitive (price): a limited-time offer; "
         "the gaps between purchases growing (need faded): a light touch; otherwise (unknown): ask why, in a "
         "survey.");
    groups_free(&g);
}

static void write_call_list(report *r) {
    writer *w = &r->w;
    const size_t want = r->in->call_list ? r->in->call_list : DEFAULT_CALL_LIST;
    const int32_t *risk = crm_result_i32(r->res, CRM_COLUMN_RISK_LEVEL);
    const double *clv = crm_result_f64(r->res, CRM_COLUMN_CLV);
    const double *mon = crm_result_f64(r->res, CRM_COLUMN_MONETARY);
    const uint64_t *ids = crm_result_u64(r->res, CRM_COLUMN_CUSTOMER_ID);
    size_t n = 0;
    for (size_t i = 0; risk && i < r->rows; i++) n += risk[i] == CRM_RISK_HIGH;
    char lead[256];
    snprintf(lead, sizeof lead,
             "The most valuable high-risk customers, by %s, with the reasons to call and the next planned "
             "contact. "
             "%s customers are at high risk.",
             clv ? "customer lifetime value (CLV)" : "net revenue", fc(w, (int64_t)n));
    section_open(r, "call-list", "Call list", lead);
    if (!risk || !ids || (!clv && !mon)) {
        note(r, "The result has no risk levels: no call list.");
        section_close(r);
        return;
    }
    write_win_back(r);
    if (n == 0) {
        note(r, "No customer is at high risk.");
        section_close(r);
        return;
    }
    ranked *order = malloc(n * sizeof *order);
    if (order == NULL) {
        r->w.nomem = 1;
        section_close(r);
        return;
    }
    size_t j = 0;
    for (size_t i = 0; i < r->rows; i++) {
        if (risk[i] != CRM_RISK_HIGH) continue;
        order[j].key = clv ? clv[i] : mon[i];
        order[j].second = clv && mon ? mon[i] : NAN;
        order[j].id = ids[i];
        order[j].row = i;
        j++;
    }
    qsort(order, n, sizeof *order, by_key_desc);
    const size_t shown = want < n ? want : n;
    const double *alive = crm_result_f64(r->res, CRM_COLUMN_P_ALIVE);
    const double *health = crm_result_f64(r->res, CRM_COLUMN_HEALTH_SCORE);
    const uint64_t *flags = crm_result_u64(r->res, CRM_COLUMN_CHURN_FLAGS);
    const int32_t *call = crm_result_i32(r->res, CRM_COLUMN_NEXT_CALL_DUE);
    const int32_t *visit = crm_result_i32(r->res, CRM_COLUMN_NEXT_VISIT_DUE);
    const int32_t *segment = crm_result_i32(r->res, CRM_COLUMN_SEGMENT);
    const int32_t *stage = crm_result_i32(r->res, CRM_COLUMN_LIFECYCLE_STAGE);
    const int32_t *tier = crm_result_i32(r->res, CRM_COLUMN_VALUE_TIER);
    const int32_t *win_back = crm_result_i32(r->res, CRM_COLUMN_WIN_BACK);
    const int32_t *cause = crm_result_i32(r->res, CRM_COLUMN_CHURN_CAUSE);
    const int32_t as_of = crm_result_as_of_day(r->res);
    w_puts(w, "<table class=\"calls\">\n<thead><tr><th class=\"n\">#</th><th>customer</th>");
    if (clv) w_puts(w, "<th class=\"n\">CLV</th>");
    w_puts(w, "<th class=\"n\">net revenue</th><th>segment, tier</th><th>stage</th>");
    if (alive) w_puts(w, "<th class=\"n\">P(alive)</th>");
    if (health) w_puts(w, "<th class=\"n\">health</th>");
    w_puts(w, "<th>why call</th>");
    if (win_back) w_puts(w, "<th>win back</th>");
    w_puts(w, "<th>next contact</th></tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < shown; k++) {
        const size_t i = order[k].row;
        w_printf(w, "<tr><td class=\"n\">%s</td><td>", fc(w, (int64_t)k + 1));
        const char *label = r->in->customer_labels ? r->in->customer_labels[i] : NULL;
        if (label)
            w_text_ex(w, label, 80, 0);
        else
            w_printf(w, "%llu", (unsigned long long)ids[i]);
        w_puts(w, "</td>");
        if (clv) w_printf(w, "<td class=\"n\">%s</td>", fm(w, clv[i]));
        w_printf(w, "<td class=\"n\">%s</td><td>", mon ? fm(w, mon[i]) : "n/a");
        if (segment) w_value_name(r, CRM_COLUMN_SEGMENT, segment[i], 40);
        if (tier) {
            w_puts(w, "<br><span class=\"sub\">");
            w_value_name(r, CRM_COLUMN_VALUE_TIER, tier[i], 20);
            w_puts(w, "</span>");
        }
        w_puts(w, "</td><td>");
        if (stage) w_value_name(r, CRM_COLUMN_LIFECYCLE_STAGE, stage[i], 20);
        w_puts(w, "</td>");
        if (alive) w_printf(w, "<td class=\"n\">%s</td>", fr(w, alive[i], 2));
        if (health) w_printf(w, "<td class=\"n\">%s</td>", fr(w, health[i], 0));
        w_puts(w, "<td class=\"why\"><ul class=\"why\">");
        int reasons = 0;
        for (int32_t f = 0; flags && f < 64 && f < crm_enum_count(CRM_ENUM_FLAG); f++) {
            if (!(flags[i] & CRM_FLAG_BIT(f))) continue;
            const char *why = crm_enum_description(CRM_ENUM_FLAG, f);
            w_puts(w, "<li>");
            w_text(w, why ? why : crm_enum_name(CRM_ENUM_FLAG, f));
            w_puts(w, "</li>");
            reasons++;
        }
        if (reasons == 0) {
            w_puts(w, "<li>");
            w_text(w,
                   alive ? "unlikely to be still active (P(alive) below the risk threshold)" : "high risk");
            w_puts(w, "</li>");
        }
        w_puts(w, "</ul></td>");
        if (win_back) {
            w_puts(w, "<td class=\"wb\">");
            if (win_back[i] != CRM_WIN_BACK_NONE) {
                w_puts(w, "<b>");
                w_value_name(r, CRM_COLUMN_WIN_BACK, win_back[i], 40);
                w_puts(w, "</b>");
                if (cause && cause[i] != CRM_CHURN_CAUSE_NONE) {
                    w_puts(w, "<br><span class=\"sub\">cause: ");
                    w_words(w, crm_result_label(r->res, CRM_COLUMN_CHURN_CAUSE, cause[i]));
                    w_puts(w, "</span>");
                }
            } else {
                w_puts(w, "<span class=\"sub\">not lapsing</span>");
            }
            w_puts(w, "</td>");
        }
        w_puts(w, "<td>");
        int contacts = 0;
        for (int c = 0; c < 2; c++) {
            const int32_t *due = c == 0 ? call : visit;
            if (!due || due[i] == CRM_NO_DAY) continue;
            w_printf(w, "%s%s %s", contacts ? "<br>" : "", c == 0 ? "call" : "visit", fday(w, due[i]));
            if (as_of != CRM_NO_DAY && due[i] <= as_of) w_puts(w, " <span class=\"tag late\">overdue</span>");
            contacts++;
        }
        if (contacts == 0) w_puts(w, "none planned");
        w_puts(w, "</td></tr>\n");
    }
    w_puts(w, "</tbody></table>\n");
    if (shown < n)
        w_printf(w, "<p class=\"note\">%s more high-risk customers are not listed.</p>\n",
                 fc(w, (int64_t)(n - shown)));
    free(order);
    section_close(r);
}

/* ---- footer: what went in ---- */

static void write_footer(report *r) {
    writer *w = &r->w;
    w_puts(w, "<footer id=\"records\">\n<table><tr><th>input</th><th class=\"n\">records</th><th class=\"n\">"
              "accepted</th><th>rejected</th></tr>\n");
    for (int32_t input = CRM_INPUT_TRANSACTIONS; input < crm_enum_count(CRM_ENUM_INPUT); input++) {
        const int64_t total = crm_result_records_total(r->res, input);
        if (total == 0) continue;
        w_puts(w, "<tr><td>");
        w_text(w, crm_enum_name(CRM_ENUM_INPUT, input));
        w_printf(w, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td>", fc(w, total),
                 fc(w, crm_result_records(r->res, input, CRM_FATE_ACCEPTED)));
        int any = 0;
        for (int32_t fate = 1; fate < crm_enum_count(CRM_ENUM_FATE); fate++) {
            const int64_t n = crm_result_records(r->res, input, fate);
            if (n == 0) continue;
            w_printf(w, "%s%s ", any ? ", " : "", fc(w, n));
            w_text(w, crm_enum_name(CRM_ENUM_FATE, fate));
            any = 1;
        }
        if (!any) w_puts(w, "none");
        w_puts(w, "</td></tr>\n");
    }
    w_printf(
        w,
        "</table>\n<p>Made by crmkit %s from the analysis as of %s. The rules behind every figure are in "
        "crmkit's docs/DEFINITIONS.md.</p>\n</footer>\n",
        crm_version_string(), fday(w, crm_result_as_of_day(r->res)));
}

/* ---- entry point ---- */

static int fail(char *err, size_t errlen, const char *msg, const char *detail) {
    if (err && errlen > 0) snprintf(err, errlen, "%s%s%s", msg, detail ? ": " : "", detail ? detail : "");
    return -1;
}

int crmkit_report_write(FILE *out, const crmkit_report_input *in, char *err, size_t errlen) {
    if (err && errlen > 0) err[0] = '\0';
    if (out == NULL) return fail(err, errlen, "crmkit report: no output stream", NULL);
    if (in == NULL || in->result == NULL) return fail(err, errlen, "crmkit report: no analysis result", NULL);
    report *r = calloc(1, sizeof *r);
    if (r == NULL) return fail(err, errlen, "crmkit report: out of memory", NULL);
    r->w.out = out;
    r->in = in;
    r->res = in->result;
    r->rows = crm_result_rows(r->res);
    r->customers = (int64_t)r->rows;
    const double scored = crm_result_metric(r->res, CRM_METRIC_SCORED_CUSTOMERS);
    r->scored = isfinite(scored) ? (int64_t)scored : 0;
    r->revenue = crm_result_metric(r->res, CRM_METRIC_REVENUE);
    if (!isfinite(r->revenue)) r->revenue = column_sum(crm_result_f64(r->res, CRM_COLUMN_MONETARY), r->rows);
    double cuts[16];
    size_t ncut = 0;
    if (crm_result_cut_points(r->res, CRM_DIM_R, cuts, 16, &ncut, NULL) == CRM_STATUS_OK && ncut >= 1 &&
        ncut < 64)
        r->k = (int)ncut + 1;
    r->unit = infer_unit(r->res);
    for (int32_t kind = 1; kind < crm_enum_count(CRM_ENUM_MODEL_KIND) && !r->model; kind++) {
        if (kind == CRM_MODEL_KIND_GAMMA_GAMMA) continue;
        r->model = crm_result_model(r->res, kind);
        if (r->model) r->model_kind = kind;
    }
    r->horizon = infer_horizon(r);

    write_header(r);
    write_rfm(r);
    write_segments(r);
    write_value(r);
    write_profit(r);
    write_bands(r);
    write_lifecycle(r);
    write_states(r);
    write_churn(r);
    write_complaints(r);
    write_mix(r);
    write_model(r);
    write_holdout(r);
    write_call_list(r);
    write_care(r);
    write_footer(r);
    w_puts(&r->w, "</main>\n</body>\n</html>\n");

    int status = 0;
    if (r->w.nomem) {
        status = fail(err, errlen, "crmkit report: out of memory; the report is incomplete", NULL);
    } else {
        if (!r->w.failed) {
            errno = 0;
            if (fflush(out) != 0 || ferror(out)) {
                r->w.failed = 1;
                r->w.saved_errno = errno;
            }
        }
        if (r->w.failed)
            status = fail(err, errlen, "crmkit report: cannot write the report",
                          r->w.saved_errno ? strerror(r->w.saved_errno) : "write error");
    }
    free(r);
    return status;
}

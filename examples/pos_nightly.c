/*
 * pos_nightly - the nightly customer job of a point-of-sale system.
 *
 *   pos_nightly [--members N] [--days D] [--seed S] [--top N] [--table]
 *   pos_nightly --sample [--table]
 *
 * The POS keeps its data in its own structs: a packed sales journal (int32
 * store ids, int64 times in seconds, amounts in int64 cents, the loyalty card
 * number as the customer) and a customer table of its loyalty members, with
 * dates as YYYYMMDD integers. The nightly job hands both to crmkit without
 * reshaping them:
 *   - card numbers and times are read in place, through views whose byte
 *     strides step over the POS's records (packed records need no alignment);
 *   - amounts are converted once, cents (int64) to currency units (double),
 *     and so are the members' YYYYMMDD dates to crmkit day numbers;
 *   - the profiles are written back into the POS's customer table: net spend
 *     in cents, last visit and next call date as YYYYMMDD, segment, value
 *     tier, lifecycle stage and risk level by name, RFM cell.
 * Members without a sale become prospects. Stores keep local time one hour
 * east of UTC (day_offset 3600), so a sale at 00:30 belongs to that day.
 *
 * Without --sample the journal is generated, deterministically from the seed
 * (default: 2000 members over 730 days to 2025-06-30). --sample analyses a
 * small fixed journal of 6 members instead (a test checks its values).
 * Prints a short summary: records, customers by segment, tier and risk, and
 * the call list (the most valuable members at high or medium risk);
 * --table prints the whole customer table as written back.
 *
 * Exit codes: 0 success, 1 failure (reported), 2 usage error.
 * Uses only the public API of crmkit.h.
 */
#include <crmkit.h>

#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the POS's own records ---- */

/* One receipt of the loyalty sales journal as the tills write it: packed, no
 * padding, the POS's field order. 34 bytes, so most fields are unaligned. */
#pragma pack(push, 1)
typedef struct pos_sale {
    int32_t store_id;
    uint8_t till;
    uint8_t tender;      /* 1 cash, 2 card, 3 voucher */
    int64_t sold_at;     /* seconds since 1970-01-01 UTC, the till's clock */
    uint64_t card_no;    /* loyalty card: the customer */
    int64_t total_cents; /* receipt total in cents; negative for a refund */
    uint32_t receipt_no;
} pos_sale;
#pragma pack(pop)

/* A loyalty member. The POS fills the first four fields; the nightly job the rest. */
typedef struct pos_customer {
    uint64_t card_no;
    char name[24];
    int32_t home_store;
    int32_t member_since; /* YYYYMMDD */
    /* written back by the nightly job */
    int32_t last_visit; /* YYYYMMDD of the last purchase, 0 when none */
    int32_t next_call;  /* YYYYMMDD the next courtesy call is due, 0 when none is planned */
    int64_t net_cents;  /* purchases minus refunds */
    int32_t rfm_cell;   /* e.g. 455; 0 when not scored */
    char segment[24];
    char tier[12];
    char stage[16];
    char risk[8];
} pos_customer;

/* A pointer to a member of the first record of a packed array, as the view
 * wants it: formed from the byte address, so that no compiler warns about
 * the address of a packed member. crmkit reads unaligned columns safely. */
#define SALE_COLUMN(type, sales, member)                                                                     \
    ((const type *)(const void *)((const unsigned char *)(sales) + offsetof(pos_sale, member)))

#define DAY_OFFSET 3600 /* the stores' local time: UTC+01:00 */

static const char *program = "pos_nightly";

/* ---- dates as the POS keeps them ---- */

static int32_t yyyymmdd_of_day(int32_t day) {
    int32_t y, m, d;
    if (day == CRM_NO_DAY || crm_date_from_day(day, &y, &m, &d, NULL) != CRM_STATUS_OK) return 0;
    return y * 10000 + m * 100 + d;
}

/* The day number of a YYYYMMDD date; CRM_NO_DAY for 0 or a date that does not exist. */
static int32_t day_of_yyyymmdd(int32_t ymd) {
    int32_t day;
    if (ymd <= 0 || crm_day_from_date(ymd / 10000, ymd / 100 % 100, ymd % 100, &day, NULL) != CRM_STATUS_OK)
        return CRM_NO_DAY;
    return day;
}

/* Seconds of a local date and time of the stores. */
static int64_t local_time(int32_t ymd, int hour, int minute) {
    return (int64_t)day_of_yyyymmdd(ymd) * 86400 + hour * 3600 + minute * 60 - DAY_OFFSET;
}

/* ---- the journal: a fixed sample or generated data ---- */

typedef struct pos_data {
    pos_sale *sales;
    size_t nsales;
    pos_customer *members;
    size_t nmembers;
} pos_data;

static void *xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size);
    if (p == NULL) {
        fprintf(stderr, "%s: out of memory\n", program);
        exit(EXIT_FAILURE);
    }
    return p;
}

static void add_member(pos_data *d, uint64_t card, const char *name, int32_t store, int32_t since) {
    pos_customer *m = &d->members[d->nmembers++];
    memset(m, 0, sizeof *m);
    m->card_no = card;
    size_t len = strlen(name); /* a longer name is cut to the record's width */
    if (len >= sizeof m->name) len = sizeof m->name - 1;
    memcpy(m->name, name, len);
    m->name[len] = '\0';
    m->home_store = store;
    m->member_since = since;
}

static void add_sale(pos_data *d, int32_t store, uint64_t card, int64_t at, int64_t cents) {
    pos_sale *s = &d->sales[d->nsales];
    memset(s, 0, sizeof *s);
    s->store_id = store;
    s->till = (uint8_t)(1 + d->nsales % 4);
    s->tender = (uint8_t)(1 + d->nsales % 3);
    s->sold_at = at;
    s->card_no = card;
    s->total_cents = cents;
    s->receipt_no = (uint32_t)(100001 + d->nsales);
    d->nsales++;
}

/* Six members at three stores; card 2001 was issued at a till and is not in
 * the customer table yet; Fay has not bought anything. */
static void sample_data(pos_data *d) {
    d->members = xcalloc(6, sizeof *d->members);
    d->sales = xcalloc(16, sizeof *d->sales);
    add_member(d, 1001, "Ana Lima", 4711, 20210315);
    add_member(d, 1002, "Ben Okafor", 4711, 20240110);
    add_member(d, 1003, "Chen Wei", 4712, 20230601);
    add_member(d, 1004, "Dora Novak", 4712, 20250520);
    add_member(d, 1005, "Eli Haddad", 4713, 20220901);
    add_member(d, 1006, "Fay Moreau", 4713, 20250601);
    add_sale(d, 4711, 1001, local_time(20240702, 10, 15), 12000);
    add_sale(d, 4712, 1003, local_time(20240810, 17, 40), 31000);
    add_sale(d, 4712, 1003, local_time(20240901, 11, 5), 9525);
    add_sale(d, 4711, 1001, local_time(20241220, 16, 30), 25000);
    add_sale(d, 4711, 1002, local_time(20250115, 9, 50), 4500);
    add_sale(d, 4713, 2001, local_time(20250202, 13, 0), 1200);
    add_sale(d, 4711, 1001, local_time(20250314, 18, 20), 8050);
    add_sale(d, 4711, 1002, local_time(20250402, 12, 0), 3000);
    add_sale(d, 4711, 1002, local_time(20250402, 12, 25), -1000); /* a refund */
    add_sale(d, 4713, 1005, local_time(20250530, 19, 45), 3500);
    add_sale(d, 4712, 1004, local_time(20250620, 8, 55), 1999);
    add_sale(d, 4712, 1001, local_time(20250628, 15, 10), 14950);
    add_sale(d, 4713, 1005, local_time(20250630, 0, 30), 7500); /* 23:30 UTC the day before */
}

/* splitmix64: small, fast and the same on every platform. */
static uint64_t next_random(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double uniform(uint64_t *state) { return (double)(next_random(state) >> 11) * 0x1.0p-53; }

static int by_time(const void *a, const void *b) {
    const pos_sale *x = a, *y = b;
    if (x->sold_at != y->sold_at) return x->sold_at < y->sold_at ? -1 : 1;
    if (x->card_no != y->card_no) return x->card_no < y->card_no ? -1 : 1;
    return (x->total_cents > y->total_cents) - (x->total_cents < y->total_cents);
}

/* Members with a home store and a joining date; each buys at its own rhythm
 * (every 5 days to every 4 months), with baskets of its own size, mostly at
 * its home store, until it stops (a third do) or the journal ends. About 1 in
 * 12 never buys; 1 receipt in 40 is followed by a partial refund. The journal
 * is then sorted by time, as tills write it, and numbered. */
static void generate_data(pos_data *d, size_t members, int32_t days, uint64_t seed) {
    static const int32_t stores[] = {4711, 4712, 4713, 4714, 5001};
    const size_t nstores = sizeof stores / sizeof *stores;
    const int32_t end_day = day_of_yyyymmdd(20250630);
    const int32_t first_day = end_day - days + 1;
    uint64_t rng = seed;
    size_t cap = members * 16 + 16;
    d->members = xcalloc(members, sizeof *d->members);
    d->sales = xcalloc(cap, sizeof *d->sales);
    for (size_t i = 0; i < members; i++) {
        char name[32];
        const int32_t home = stores[next_random(&rng) % nstores];
        const int32_t joined = end_day - (int32_t)(next_random(&rng) % (uint64_t)(days + 1460));
        const uint64_t card = 4000000000u + (uint64_t)i * 13u;
        snprintf(name, sizeof name, "Member %zu", i + 1);
        add_member(d, card, name, home, yyyymmdd_of_day(joined));
        if (uniform(&rng) < 1.0 / 12) continue;
        const double gap = 5.0 * (1.0 + 23.0 * uniform(&rng) * uniform(&rng)); /* mean days between visits */
        const double basket = 800 + 12000 * uniform(&rng) * uniform(&rng);     /* typical receipt, cents */
        int32_t stop = end_day;
        if (uniform(&rng) < 1.0 / 3) stop = first_day + (int32_t)(uniform(&rng) * days);
        int32_t day = (joined > first_day ? joined : first_day) + (int32_t)(uniform(&rng) * gap);
        while (day <= stop) {
            const int32_t store = uniform(&rng) < 0.85 ? home : stores[next_random(&rng) % nstores];
            const int64_t at =
                (int64_t)day * 86400 + 8 * 3600 + (int64_t)(uniform(&rng) * 12 * 3600) - DAY_OFFSET;
            const int64_t cents = (int64_t)(basket * (0.4 + 1.2 * uniform(&rng)));
            if (d->nsales + 2 > cap) {
                const size_t more = cap * 2;
                pos_sale *grown = realloc(d->sales, more * sizeof *grown);
                if (grown == NULL) {
                    fprintf(stderr, "%s: out of memory\n", program);
                    exit(EXIT_FAILURE);
                }
                d->sales = grown;
                cap = more;
            }
            add_sale(d, store, card, at, cents);
            if (uniform(&rng) < 1.0 / 40) add_sale(d, store, card, at + 3600, -(cents / 2));
            day += 1 + (int32_t)(2.0 * gap * uniform(&rng));
        }
    }
    qsort(d->sales, d->nsales, sizeof *d->sales, by_time);
    for (size_t i = 0; i < d->nsales; i++) d->sales[i].receipt_no = (uint32_t)(100001 + i);
}

/* ---- the nightly job ---- */

/* Copy a name into a fixed field of the customer table; 0 when it does not fit. */
static int put_name(char *field, size_t size, const char *name) {
    const int n = snprintf(field, size, "%s", name ? name : "");
    return n >= 0 && (size_t)n < size;
}

/* Analyse the journal and the members; write the profiles back into the
 * members' records. Returns the result (for the summary) or NULL after
 * reporting the failure. */
static crm_result *nightly_job(const pos_data *d, const crm_config *config) {
    crm_error err;
    crm_result *res = NULL;
    double *amount = malloc((d->nsales ? d->nsales : 1) * sizeof *amount);
    int32_t *since = malloc((d->nmembers ? d->nmembers : 1) * sizeof *since);
    if (amount == NULL || since == NULL) {
        fprintf(stderr, "%s: out of memory\n", program);
        goto fail;
    }
    /* The two conversions: cents to currency units, YYYYMMDD to day numbers. */
    for (size_t i = 0; i < d->nsales; i++) amount[i] = (double)d->sales[i].total_cents / 100.0;
    for (size_t i = 0; i < d->nmembers; i++) since[i] = day_of_yyyymmdd(d->members[i].member_since);

    /* Card numbers and times are read where they are: the stride is the record size. */
    crm_transactions sales;
    crm_customers members;
    crm_status st = crm_transactions_from_columns(&sales, SALE_COLUMN(uint64_t, d->sales, card_no),
                                                  sizeof(pos_sale), SALE_COLUMN(int64_t, d->sales, sold_at),
                                                  sizeof(pos_sale), amount, sizeof *amount, d->nsales, &err);
    if (st == CRM_STATUS_OK)
        st = crm_customers_from_columns(&members, &d->members[0].card_no, sizeof(pos_customer), d->nmembers,
                                        &err);
    if (st == CRM_STATUS_OK)
        st = crm_customers_set_column(&members, CRM_FIELD_RELATIONSHIP_START, since, sizeof *since, &err);
    if (st == CRM_STATUS_OK) st = crm_analyze(config, &sales, NULL, &members, &res, &err);
    if (st != CRM_STATUS_OK) {
        fprintf(stderr, "%s: analysis failed (%s): %s\n", program, crm_enum_name(CRM_ENUM_STATUS, st),
                err.message);
        goto fail;
    }

    const int32_t *last = crm_result_i32(res, CRM_COLUMN_LAST_PURCHASE);
    const int32_t *call = crm_result_i32(res, CRM_COLUMN_NEXT_CALL_DUE);
    const int32_t *cell = crm_result_i32(res, CRM_COLUMN_RFM_CELL);
    const int32_t *segment = crm_result_i32(res, CRM_COLUMN_SEGMENT);
    const int32_t *tier = crm_result_i32(res, CRM_COLUMN_VALUE_TIER);
    const int32_t *stage = crm_result_i32(res, CRM_COLUMN_LIFECYCLE_STAGE);
    const int32_t *risk = crm_result_i32(res, CRM_COLUMN_RISK_LEVEL);
    const double *net = crm_result_f64(res, CRM_COLUMN_MONETARY);
    if (!last || !call || !cell || !segment || !tier || !stage || !risk || !net) {
        fprintf(stderr, "%s: the result lacks a profile column\n", program);
        goto fail;
    }
    for (size_t i = 0; i < d->nmembers; i++) {
        pos_customer *m = &d->members[i];
        const int64_t row = crm_result_find(res, m->card_no);
        if (row < 0) { /* every member is a row (a prospect at least); a rejected member record is not */
            fprintf(stderr, "%s: card %" PRIu64 " has no profile (its member record was rejected)\n", program,
                    m->card_no);
            continue;
        }
        const size_t r = (size_t)row;
        m->last_visit = yyyymmdd_of_day(last[r]);
        m->next_call = yyyymmdd_of_day(call[r]);
        /* Net spend back to cents, rounded (the sums are exact to the cent); NaN would be "none". */
        m->net_cents = net[r] == net[r] ? (int64_t)(net[r] * 100.0 + (net[r] < 0 ? -0.5 : 0.5)) : 0;
        m->rfm_cell = cell[r];
        if (!put_name(m->segment, sizeof m->segment, crm_result_label(res, CRM_COLUMN_SEGMENT, segment[r])) ||
            !put_name(m->tier, sizeof m->tier, crm_result_label(res, CRM_COLUMN_VALUE_TIER, tier[r])) ||
            !put_name(m->stage, sizeof m->stage,
                      crm_result_label(res, CRM_COLUMN_LIFECYCLE_STAGE, stage[r])) ||
            !put_name(m->risk, sizeof m->risk, crm_result_label(res, CRM_COLUMN_RISK_LEVEL, risk[r]))) {
            fprintf(stderr, "%s: card %" PRIu64 ": a name does not fit the customer table's field\n", program,
                    m->card_no);
            goto fail;
        }
    }
    free(amount);
    free(since);
    return res;

fail:
    crm_result_free(res);
    free(amount);
    free(since);
    return NULL;
}

/* ---- the summary ---- */

static void print_date(int32_t ymd) {
    if (ymd)
        printf("%04d-%02d-%02d", (int)(ymd / 10000), (int)(ymd / 100 % 100), (int)(ymd % 100));
    else
        printf("%-10s", "-");
}

static void print_money(int64_t cents) {
    const uint64_t abs = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    char buf[32];
    snprintf(buf, sizeof buf, "%s%" PRIu64 ".%02u", cents < 0 ? "-" : "", abs / 100, (unsigned)(abs % 100));
    printf("%12s", buf);
}

/* Members per name of one written-back field, in the enumeration's order. */
static void print_counts(const pos_data *d, const crm_result *res, int column, const char *title,
                         size_t field_offset) {
    const char *sep = "";
    printf("%-10s", title);
    const int32_t n = crm_result_label_count(res, column);
    for (int32_t v = 0; v < n; v++) {
        const char *name = crm_result_label(res, column, v);
        size_t count = 0;
        for (size_t i = 0; i < d->nmembers; i++)
            if (name && strcmp((const char *)&d->members[i] + field_offset, name) == 0) count++;
        if (count) printf("%s%s %zu", sep, name, count);
        if (count) sep = ", ";
    }
    printf("\n");
}

static void print_member(const pos_customer *m) {
    printf("%-11" PRIu64 " %-14s %5d ", m->card_no, m->name, (int)m->home_store);
    print_money(m->net_cents);
    printf("  ");
    print_date(m->last_visit);
    printf("  %3d  %-18s %-8s %-11s %-6s ", (int)m->rfm_cell, m->segment, m->tier, m->stage, m->risk);
    print_date(m->next_call);
    printf("\n");
}

static void print_header(void) {
    printf("%-11s %-14s %5s %12s  %-10s  %3s  %-18s %-8s %-11s %-6s %s\n", "card", "name", "store", "net",
           "last visit", "rfm", "segment", "tier", "stage", "risk", "next call");
}

static int by_risk_and_value(const void *a, const void *b) {
    const pos_customer *x = *(const pos_customer *const *)a, *y = *(const pos_customer *const *)b;
    const int hx = strcmp(x->risk, "high") == 0, hy = strcmp(y->risk, "high") == 0;
    if (hx != hy) return hy - hx;
    if (x->net_cents != y->net_cents) return x->net_cents < y->net_cents ? 1 : -1;
    return x->card_no < y->card_no ? -1 : x->card_no > y->card_no;
}

static void print_summary(const pos_data *d, const crm_result *res, size_t top, int table) {
    int32_t y, m, dd;
    size_t refunds = 0, unknown;
    int32_t store_seen[16];
    size_t nstores = 0;
    for (size_t i = 0; i < d->nsales; i++) {
        const int32_t store = d->sales[i].store_id;
        size_t k = 0;
        while (k < nstores && store_seen[k] != store) k++;
        if (k == nstores && nstores < sizeof store_seen / sizeof *store_seen) store_seen[nstores++] = store;
        if (d->sales[i].total_cents < 0) refunds++;
    }
    /* Cards on receipts that are not in the customer table: rows of the result, not written back. */
    const size_t rows = crm_result_rows(res);
    unknown = rows;
    for (size_t i = 0; i < d->nmembers; i++)
        if (crm_result_find(res, d->members[i].card_no) >= 0) unknown--;
    crm_date_from_day(crm_result_as_of_day(res), &y, &m, &dd, NULL);
    printf("pos_nightly: %zu receipts (refunds: %zu) at %zu stores, %zu members; as of %04d-%02d-%02d "
           "(store time, UTC+01:00)\n",
           d->nsales, refunds, nstores, d->nmembers, (int)y, (int)m, (int)dd);
    printf("records:   %" PRId64 " of %" PRId64 " sales and %" PRId64 " of %" PRId64 " members accepted; "
           "%zu profiles, %zu for cards not in the customer table\n",
           crm_result_records(res, CRM_INPUT_TRANSACTIONS, CRM_FATE_ACCEPTED),
           crm_result_records_total(res, CRM_INPUT_TRANSACTIONS),
           crm_result_records(res, CRM_INPUT_CUSTOMERS, CRM_FATE_ACCEPTED),
           crm_result_records_total(res, CRM_INPUT_CUSTOMERS), rows, unknown);
    print_counts(d, res, CRM_COLUMN_SEGMENT, "segments:", offsetof(pos_customer, segment));
    print_counts(d, res, CRM_COLUMN_VALUE_TIER, "tiers:", offsetof(pos_customer, tier));
    print_counts(d, res, CRM_COLUMN_LIFECYCLE_STAGE, "stages:", offsetof(pos_customer, stage));
    print_counts(d, res, CRM_COLUMN_RISK_LEVEL, "risk:", offsetof(pos_customer, risk));

    const pos_customer **list = xcalloc(d->nmembers, sizeof *list);
    size_t n = 0;
    for (size_t i = 0; i < d->nmembers; i++)
        if (strcmp(d->members[i].risk, "high") == 0 || strcmp(d->members[i].risk, "medium") == 0)
            list[n++] = &d->members[i];
    qsort(list, n, sizeof *list, by_risk_and_value);
    printf("\ncall list (high risk first, then by net spend; %zu members at risk):\n", n);
    print_header();
    for (size_t i = 0; i < n && i < top; i++) print_member(list[i]);
    free(list);

    if (table) {
        printf("\ncustomer table:\n");
        print_header();
        for (size_t i = 0; i < d->nmembers; i++) print_member(&d->members[i]);
    }
}

/* ---- main ---- */

static void usage(FILE *to) {
    fprintf(to, "usage: pos_nightly [--members N] [--days D] [--seed S] [--top N] [--table]\n"
                "       pos_nightly --sample [--top N] [--table]\n"
                "  --members N  loyalty members to generate (default 2000)\n"
                "  --days D     days of sales up to 2025-06-30 (default 730)\n"
                "  --seed S     seed of the generator (default 20250630)\n"
                "  --sample     analyse the small fixed journal instead (6 members, 13 receipts)\n"
                "  --top N      members on the call list (default 10)\n"
                "  --table      print the whole customer table as written back\n");
}

/* A whole number in min..max. */
static int parse_count(const char *option, const char *text, unsigned long long min, unsigned long long max,
                       unsigned long long *out) {
    char *end = NULL;
    if (text == NULL) {
        fprintf(stderr, "%s: %s needs a value\n", program, option);
        return 0;
    }
    *out = strtoull(text, &end, 10);
    if (text[0] == '\0' || text[0] == '-' || *end != '\0' || *out < min || *out > max) {
        fprintf(stderr, "%s: %s needs a whole number from %llu to %llu, not '%s'\n", program, option, min,
                max, text);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv) {
    unsigned long long members = 2000, days = 730, seed = 20250630, top = 10;
    int sample = 0, table = 0, status = EXIT_FAILURE;
    pos_data data;
    crm_config *config = NULL;
    crm_result *res = NULL;
    crm_error err;
    memset(&data, 0, sizeof data);

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int ok = 1;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return EXIT_SUCCESS;
        } else if (strcmp(a, "--sample") == 0) {
            sample = 1;
        } else if (strcmp(a, "--table") == 0) {
            table = 1;
        } else if (strcmp(a, "--members") == 0) {
            ok = parse_count(a, v, 1, 10000000, &members);
            i++;
        } else if (strcmp(a, "--days") == 0) {
            ok = parse_count(a, v, 1, 36500, &days);
            i++;
        } else if (strcmp(a, "--seed") == 0) {
            ok = parse_count(a, v, 0, UINT64_MAX, &seed);
            i++;
        } else if (strcmp(a, "--top") == 0) {
            ok = parse_count(a, v, 0, SIZE_MAX, &top);
            i++;
        } else {
            fprintf(stderr, "%s: unknown argument '%s'\n", program, a);
            ok = 0;
        }
        if (!ok) {
            usage(stderr);
            return 2;
        }
    }

    if (sample)
        sample_data(&data);
    else
        generate_data(&data, (size_t)members, (int32_t)days, (uint64_t)seed);

    if (crm_config_create(NULL, &config, &err) != CRM_STATUS_OK ||
        crm_config_set_int(config, CRM_OPTION_DAY_OFFSET, DAY_OFFSET, &err) != CRM_STATUS_OK) {
        fprintf(stderr, "%s: configuration: %s\n", program, err.message);
        goto done;
    }
    res = nightly_job(&data, config);
    if (res == NULL) goto done;
    print_summary(&data, res, (size_t)top, table);
    status = EXIT_SUCCESS;
done:
    crm_result_free(res);
    crm_config_free(config);
    free(data.sales);
    free(data.members);
    return status;
}

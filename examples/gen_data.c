/*
 * gen_data - write a deterministic, realistic crmkit data set.
 *
 *   gen_data [--customers N] [--seed S] [--end YYYY-MM-DD] [--out DIR]
 *
 * Writes into DIR (which must exist), times in epoch seconds UTC, covering
 * three years that end on --end (default 2025-12-31):
 *   transactions.csv  customer_id,time,amount,cost,discount
 *   interactions.csv  customer_id,time,kind,value,ref,purpose
 *   customers.csv     customer_id,birthday,relationship_start,money,authority,need,targeted
 * The same arguments always give byte-identical files, and each customer has
 * own random streams, so --customers 100 writes the first 100 customers of
 * --customers 4000 unchanged.
 *
 * The population mixes weekly, monthly, quarterly and yearly (December)
 * buyers, one-time buyers, churners, new customers, customers coming back
 * after a long silence and prospects (interactions only); purchases follow a
 * season (December peak, summer dip), often have several line items on one
 * day, and about 5% of line items are partly returned later.
 *
 * The later columns and customers.csv come from a second stream per customer,
 * so the earlier columns keep the values they had before these were added.
 * cost: 55-75% of the amount (a return carries the negative cost of the goods
 * coming back); discount: money off the list price, on about one shopping trip
 * in eight, one in three in November and December, and most trips of the
 * price-sensitive 15% of buyers. purpose: every outbound contact (*_out) is
 * for value, relationship or action about 7:2:1 overall (some customers get
 * mostly offers), every other record none. customers.csv: one row per
 * customer and per lead, a prospect known only from its attributes (about 5%
 * more ids, from 10100001 on); dates are ISO dates or empty, the MAN answers
 * yes/no/unknown, targeted 0/1.
 *
 * A third stream per customer adds what the demo needs to show every rule
 * of docs/DEFINITIONS.md Part II, leaving the values above unchanged: about
 * 8% of buyers are served at a loss (goods sold below cost: negative gross
 * profit), and about 3% of customers bring a lead from a sales campaign whose
 * money, authority and need are all known (every one of the 8 combinations,
 * ids from 20100001 on).
 *
 * Standard C99 (no libm, no POSIX) and crmkit for its calendar and the
 * canonical names of interaction kinds, so it builds wherever crmkit does.
 */
#include <crmkit.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_SECONDS  86400LL
#define HOUR_SECONDS 3600LL
#define HISTORY_DAYS 1120 /* a little over three years, so some tenures reach 1095 days */

/* ---- random numbers: splitmix64, one stream per customer ---- */

typedef struct rng {
    uint64_t state;
} rng;

static uint64_t rng_next(rng *r) {
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1) with 53 random bits. */
static double rng_unit(rng *r) { return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0); }

static int64_t rng_range(rng *r, int64_t lo, int64_t hi) /* [lo, hi] */
{
    return lo + (int64_t)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static int rng_chance(rng *r, double p) { return rng_unit(r) < p; }

/* ---- calendar: crmkit's (proleptic Gregorian, days since 1970-01-01) ---- */

/* The day number of a date; 0 when the date is outside years 1..9999 or does not exist. */
static int day_of(int32_t year, int32_t month, int32_t mday, int32_t *day) {
    return crm_day_from_date(year, month, mday, day, NULL) == CRM_STATUS_OK;
}

/* The date of a day number. Every day this program makes lies in the calendar. */
static void date_of(int32_t day, int32_t *year, int32_t *month, int32_t *mday) {
    if (crm_date_from_day(day, year, month, mday, NULL) != CRM_STATUS_OK) {
        fprintf(stderr, "gen_data: day %ld is outside the calendar\n", (long)day);
        exit(EXIT_FAILURE);
    }
}

static int month_of(int32_t day) {
    int32_t y, m, d;
    date_of(day, &y, &m, &d);
    return (int)m;
}

/* Relative purchase rate by month: December peak, summer dip. */
static double season(int32_t day) {
    static const double factor[12] = {0.90, 0.85, 1.00, 1.00, 0.95, 0.80, 0.70, 0.75, 1.00, 1.05, 1.30, 1.75};
    return factor[month_of(day) - 1];
}

/* ---- growing record arrays ---- */

typedef struct txn {
    uint64_t customer_id;
    int64_t time;
    double amount;
    double cost;
    double discount;
    uint64_t seq; /* creation order: makes the sort a total order */
} txn;

typedef struct event {
    uint64_t customer_id;
    int64_t time;
    int32_t kind;    /* crm_kind */
    int32_t purpose; /* crm_purpose */
    double value;
    uint64_t ref;
    uint64_t seq;
} event;

/* Attributes of one customer or lead: days or CRM_NO_DAY, crm_answer codes, 0/1. */
typedef struct attrs {
    uint64_t customer_id;
    int32_t birthday;
    int32_t relationship_start;
    int32_t money, authority, need;
    int32_t targeted;
} attrs;

/* The current customer's second stream and the traits drawn from it. */
typedef struct extras {
    rng stream;
    rng third;           /* for what came after the second stream */
    int price_sensitive; /* waits for discounts */
    int loss_maker;      /* buys below cost (third stream) */
    double value_share;  /* of outbound contacts; the rest is relationship, then action */
    double relationship_share;
} extras;

typedef struct dataset {
    txn *txns;
    size_t n_txns, cap_txns;
    event *events;
    size_t n_events, cap_events;
    attrs *attrs;
    size_t n_attrs, cap_attrs;
    uint64_t seq;
    uint64_t next_complaint;
    int64_t end_time; /* last second of the last day */
    extras *extras;   /* of the customer being generated */
} dataset;

static void *grow(void *ptr, size_t *cap, size_t elem) {
    size_t n = *cap ? *cap * 2 : 4096;
    void *p = realloc(ptr, n * elem);
    if (p == NULL) {
        fprintf(stderr, "gen_data: out of memory\n");
        exit(EXIT_FAILURE);
    }
    *cap = n;
    return p;
}

static void add_txn(dataset *ds, uint64_t id, int64_t time, double amount, double cost, double discount) {
    if (time > ds->end_time) return; /* a return after the data set ends never happened yet */
    if (ds->n_txns == ds->cap_txns) ds->txns = grow(ds->txns, &ds->cap_txns, sizeof *ds->txns);
    txn *t = &ds->txns[ds->n_txns++];
    t->customer_id = id;
    t->time = time;
    t->amount = amount;
    t->cost = cost;
    t->discount = discount;
    t->seq = ds->seq++;
}

static int outbound(int32_t kind) {
    return kind == CRM_KIND_CALL_OUT || kind == CRM_KIND_VISIT_OUT || kind == CRM_KIND_EMAIL_OUT ||
           kind == CRM_KIND_MESSAGE_OUT;
}

/* Returns 1 when the event lies within the data set and was added. An
 * outbound contact gets a purpose from the customer's second stream. */
static int add_event(dataset *ds, uint64_t id, int64_t time, int32_t kind, double value, uint64_t ref) {
    if (time > ds->end_time) return 0;
    if (ds->n_events == ds->cap_events) ds->events = grow(ds->events, &ds->cap_events, sizeof *ds->events);
    event *e = &ds->events[ds->n_events++];
    e->customer_id = id;
    e->time = time;
    e->kind = kind;
    e->purpose = CRM_PURPOSE_NONE;
    if (outbound(kind)) {
        const double u = rng_unit(&ds->extras->stream);
        e->purpose = u < ds->extras->value_share                                    ? CRM_PURPOSE_VALUE
                     : u < ds->extras->value_share + ds->extras->relationship_share ? CRM_PURPOSE_RELATIONSHIP
                                                                                    : CRM_PURPOSE_ACTION;
    }
    e->value = value;
    e->ref = ref;
    e->seq = ds->seq++;
    return 1;
}

/* ---- customer profiles ---- */

enum rhythm { R_WEEKLY, R_MONTHLY, R_QUARTERLY, R_YEARLY, R_ONCE, R_PROSPECT };

typedef struct profile {
    uint64_t id;
    enum rhythm rhythm;
    double interval;   /* mean days between purchase days */
    double spend;      /* typical line-item amount */
    int32_t start_day; /* first day the customer can act */
    int32_t stop_day;  /* churners stop buying after this day */
    int32_t gap_start; /* silence (customers coming back), or -1 */
    int32_t gap_end;
    int churner;
    int decliner; /* buys less often in the last 100 days */
    int managed;  /* has an account manager: outbound calls and visits */
    int has_app;  /* produces engagement events */
    int promoter; /* likes the shop: refers others, answers surveys well */
} profile;

static profile make_profile(rng *r, uint64_t id, int32_t first_day, int32_t last_day) {
    profile p;
    memset(&p, 0, sizeof p);
    p.id = id;
    p.gap_start = -1;
    p.gap_end = -1;

    const double u = rng_unit(r);
    if (u < 0.08) {
        p.rhythm = R_WEEKLY;
        p.interval = 5.0 + 5.0 * rng_unit(r);
    } else if (u < 0.38) {
        p.rhythm = R_MONTHLY;
        p.interval = 22.0 + 20.0 * rng_unit(r);
    } else if (u < 0.62) {
        p.rhythm = R_QUARTERLY;
        p.interval = 70.0 + 60.0 * rng_unit(r);
    } else if (u < 0.75) {
        p.rhythm = R_YEARLY;
        p.interval = 365.0;
    } else if (u < 0.97) {
        p.rhythm = R_ONCE;
        p.interval = 0.0;
    } else {
        p.rhythm = R_PROSPECT;
    }

    /* Line-item spend: skewed, a few customers spend far more (the 80/20 rule). */
    const double s = rng_unit(r);
    p.spend = 8.0 + 60.0 * rng_unit(r) + 900.0 * s * s * s * s * s;
    if (p.rhythm == R_WEEKLY) p.spend *= 0.5; /* frequent buyers buy smaller baskets */

    /* Start: most customers were there when the export begins, some joined
     * later, about 6% in the last 90 days (new customers). */
    const double j = rng_unit(r);
    if (j < 0.55)
        p.start_day = first_day + (int32_t)rng_range(r, 0, 60);
    else if (j < 0.94)
        p.start_day = first_day + (int32_t)rng_range(r, 61, HISTORY_DAYS - 91);
    else
        p.start_day = last_day - (int32_t)rng_range(r, 0, 89);

    /* Churners stop buying at some point and fade away. */
    p.stop_day = last_day;
    if (p.rhythm != R_ONCE && p.rhythm != R_PROSPECT && rng_chance(r, 0.25) &&
        p.start_day + 60 < last_day - 30) {
        p.churner = 1;
        p.stop_day = (int32_t)rng_range(r, p.start_day + 60, last_day - 30);
    } else if (p.rhythm != R_ONCE && p.rhythm != R_PROSPECT && p.rhythm != R_YEARLY) {
        p.decliner = rng_chance(r, 0.10);
    }

    /* About 5% fall silent for a long time and come back: some long ago,
     * some only in the last weeks (their last two purchases span the silence). */
    if (!p.churner && (p.rhythm == R_MONTHLY || p.rhythm == R_QUARTERLY || p.rhythm == R_WEEKLY) &&
        p.start_day < first_day + 200 && rng_chance(r, 0.16)) {
        if (rng_chance(r, 0.5)) {
            p.gap_start = p.start_day + (int32_t)rng_range(r, 60, 300);
            p.gap_end = p.gap_start + (int32_t)rng_range(r, 300, 500);
            if (p.gap_end > last_day - 30) p.gap_end = last_day - 30;
        } else {
            p.gap_end = last_day - (int32_t)rng_range(r, 2, 45);
            p.gap_start = p.gap_end - (int32_t)rng_range(r, 300, 500);
            if (p.gap_start < p.start_day + 30) p.gap_start = p.start_day + 30;
        }
    }

    p.managed = p.spend > 150.0 || (p.rhythm == R_WEEKLY && rng_chance(r, 0.3));
    p.has_app = rng_chance(r, p.rhythm == R_WEEKLY ? 0.8 : 0.4);
    p.promoter = rng_chance(r, 0.15);
    return p;
}

/* floor(a / b) for b > 0: the day of a time before 1970 too. */
static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b < 0); }

/* A time on the given day between 08:00 and 21:59 UTC. */
static int64_t time_on(rng *r, int32_t day) {
    return (int64_t)day * DAY_SECONDS + 8 * HOUR_SECONDS + rng_range(r, 0, 14 * HOUR_SECONDS - 1);
}

static double cents(double amount) {
    /* Round half away from zero to cents without libm. */
    const double scaled = amount * 100.0;
    const int64_t c = (int64_t)(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
    return (double)c / 100.0;
}

/* One shopping trip: one to four line items, some later partly returned.
 * Cost and discount come from the second stream, so the amounts and times
 * drawn from r are those of the versions without them. */
static void purchase_day(dataset *ds, rng *r, const profile *p, int32_t day) {
    extras *x = ds->extras;
    const double u = rng_unit(r);
    const int items = u < 0.55 ? 1 : u < 0.80 ? 2 : u < 0.92 ? 3 : 4;
    /* A coupon for the whole trip: 5-30% off the list price. */
    const double coupon_chance = x->price_sensitive ? 0.7 : month_of(day) >= 11 ? 0.35 : 0.12;
    const double off =
        rng_chance(&x->stream, coupon_chance) ? 0.05 * (double)rng_range(&x->stream, 1, 6) : 0.0;
    int64_t t = time_on(r, day);
    for (int i = 0; i < items; i++) {
        /* Line items of one receipt are seconds to minutes apart; stay on the day. */
        if (i > 0) t += rng_range(r, 5, 900);
        if (t >= (int64_t)(day + 1) * DAY_SECONDS) t = (int64_t)(day + 1) * DAY_SECONDS - 1;
        double amount = rng_chance(r, 0.005) ? 0.0 : cents(p->spend * (0.3 + 1.4 * rng_unit(r)));
        if (amount < 0.5 && amount != 0.0) amount = 0.5;
        /* A loss-making customer's goods cost 130-150% of what they pay. */
        const double cost_share = 0.55 + 0.20 * rng_unit(&x->stream) + (x->loss_maker ? 0.75 : 0.0);
        if (amount == 0.0) {
            /* A free order: goods given away, the whole list price as discount. */
            const double list = cents(p->spend * 0.5);
            add_txn(ds, p->id, t, amount, cents(list * cost_share), list);
        } else {
            add_txn(ds, p->id, t, amount, cents(amount * cost_share),
                    off > 0.0 ? cents(amount * off / (1.0 - off)) : 0.0);
        }
        if (amount > 0.0 && rng_chance(r, 0.05)) {
            /* A partial return 1..30 days later (a whole return now and then): the
             * goods come back at their cost, the discount stays with the sale. */
            const double share = rng_chance(r, 0.25) ? 1.0 : 0.2 + 0.7 * rng_unit(r);
            double back = cents(amount * share);
            if (back <= 0.0) back = amount;
            add_txn(ds, p->id, time_on(r, day + (int32_t)rng_range(r, 1, 30)), -back,
                    -cents(back * cost_share), 0.0);
        }
    }
}

/* A complaint after a purchase, with response, resolution and follow-up
 * mostly, but not always, within the SLAs of docs/DEFINITIONS.md section 6. */
static void complaint(dataset *ds, rng *r, const profile *p, int32_t day) {
    const uint64_t ref = ds->next_complaint++;
    const int major = rng_chance(r, 0.15);
    const int64_t opened = time_on(r, day);
    if (!add_event(ds, p->id, opened, CRM_KIND_COMPLAINT, major ? 1.0 : 0.0, ref)) return;
    if (!rng_chance(r, 0.96)) return; /* never answered */
    const int64_t sla = major ? 2 * HOUR_SECONDS : 24 * HOUR_SECONDS;
    const int64_t answered =
        opened + (rng_chance(r, 0.85) ? rng_range(r, 300, sla) : rng_range(r, sla + 60, 3 * sla));
    if (!add_event(ds, p->id, answered, CRM_KIND_COMPLAINT_RESPONSE, 0.0, ref)) return;
    if (!rng_chance(r, 0.93)) return; /* still open */
    /* Most are resolved within 24 h of opening, the rest within a week. */
    const int64_t quick =
        opened + 23 * HOUR_SECONDS > answered + 600 ? opened + 23 * HOUR_SECONDS : answered + 600;
    const int64_t resolved = rng_chance(r, 0.75)
                                 ? rng_range(r, answered + 300, quick)
                                 : answered + rng_range(r, 25 * HOUR_SECONDS, 7 * DAY_SECONDS);
    if (!add_event(ds, p->id, resolved, CRM_KIND_COMPLAINT_RESOLUTION, 0.0, ref)) return;
    if (!rng_chance(r, 0.8)) return; /* nobody called back */
    const int64_t followed =
        resolved + (rng_chance(r, 0.8) ? rng_range(r, HOUR_SECONDS, 70 * HOUR_SECONDS)
                                       : rng_range(r, 73 * HOUR_SECONDS, 10 * DAY_SECONDS));
    add_event(ds, p->id, followed, CRM_KIND_FOLLOW_UP, 0.0, ref);
}

/* Events of one kind at a mean interval (days) in [from, to]. */
static void periodic(dataset *ds, rng *r, uint64_t id, int32_t kind, double interval, int32_t from,
                     int32_t to) {
    if (interval <= 0.0) return;
    double d = (double)from + interval * rng_unit(r);
    while ((int32_t)d <= to) {
        add_event(ds, id, time_on(r, (int32_t)d), kind, 0.0, 0);
        d += interval * (0.3 + 1.4 * rng_unit(r));
    }
}

static void generate_customer(dataset *ds, rng *r, const profile *p, int32_t last_day) {
    int purchases = 0;
    int32_t last_purchase = -1;

    /* Purchase days. The gap to the next purchase shrinks in busy months. */
    if (p->rhythm == R_ONCE) {
        /* Seasonal rejection sampling: one-time buyers come mostly in December. */
        int32_t day = p->start_day;
        for (int tries = 0; tries < 50; tries++) {
            day = (int32_t)rng_range(r, p->start_day, last_day);
            if (rng_unit(r) * 1.75 < season(day)) break;
        }
        purchase_day(ds, r, p, day);
        purchases = 1;
        last_purchase = day;
    } else if (p->rhythm == R_YEARLY) {
        /* Christmas shoppers: once a year around mid-December, sometimes also in spring. */
        int32_t y, m, d, december, april;
        date_of(p->start_day, &y, &m, &d);
        for (int32_t year = y; year <= y + 4 && day_of(year, 12, 10, &december) && day_of(year, 4, 1, &april);
             year++) {
            const int32_t day = december + (int32_t)rng_range(r, -12, 12);
            if (day >= p->start_day && day <= p->stop_day && day <= last_day) {
                purchase_day(ds, r, p, day);
                purchases++;
                last_purchase = day;
            }
            const int32_t spring = april + (int32_t)rng_range(r, 0, 60);
            if (rng_chance(r, 0.25) && spring >= p->start_day && spring <= p->stop_day &&
                spring <= last_day) {
                purchase_day(ds, r, p, spring);
                purchases++;
            }
        }
    } else if (p->rhythm != R_PROSPECT) {
        double d = (double)p->start_day;
        while ((int32_t)d <= p->stop_day) {
            int32_t day = (int32_t)d;
            if (p->gap_start >= 0 && day >= p->gap_start && day < p->gap_end) {
                d = (double)p->gap_end;
                continue;
            }
            purchase_day(ds, r, p, day);
            purchases++;
            last_purchase = day;
            if (rng_chance(r, 0.01)) complaint(ds, r, p, day + (int32_t)rng_range(r, 0, 10));
            /* Churners slow down before they stop; decliners buy less lately. */
            double gap = p->interval * (0.5 + rng_unit(r)) / season(day);
            if (p->churner && day > p->stop_day - 150) gap *= 2.5;
            if (p->decliner && day > last_day - 100) gap *= 3.0;
            d += gap < 1.0 ? 1.0 : gap;
        }
    }

    const int32_t active_end = p->churner ? p->stop_day + 60 : last_day;
    const int32_t contact_end = active_end < last_day ? active_end : last_day;

    /* Engagement (logins, app visits); churners' engagement fades out. */
    if (p->has_app || p->rhythm == R_PROSPECT) {
        const double every = p->rhythm == R_WEEKLY ? 4.0 + 6.0 * rng_unit(r) : 10.0 + 30.0 * rng_unit(r);
        if (p->churner) {
            const int32_t fade = p->stop_day - 150 > p->start_day ? p->stop_day - 150 : p->start_day;
            periodic(ds, r, p->id, CRM_KIND_ENGAGEMENT, every, p->start_day, fade);
            periodic(ds, r, p->id, CRM_KIND_ENGAGEMENT, every * 3.0, fade + 1, contact_end);
        } else {
            periodic(ds, r, p->id, CRM_KIND_ENGAGEMENT, every, p->start_day, last_day);
        }
    }

    /* Inbound contacts of every channel, a few a year. */
    periodic(ds, r, p->id, CRM_KIND_CALL_IN, 300.0, p->start_day, contact_end);
    periodic(ds, r, p->id, CRM_KIND_EMAIL_IN, 200.0, p->start_day, contact_end);
    periodic(ds, r, p->id, CRM_KIND_MESSAGE_IN, 250.0, p->start_day, contact_end);
    if (rng_chance(r, 0.2)) periodic(ds, r, p->id, CRM_KIND_VISIT_IN, 365.0, p->start_day, contact_end);
    /* Service calls to about half of the buyers, roughly yearly. */
    if (p->rhythm != R_PROSPECT && rng_chance(r, 0.5))
        periodic(ds, r, p->id, CRM_KIND_CALL_OUT, 300.0, p->start_day, contact_end);

    /* Account management: calls and visits for big spenders, some of whom
     * are forgotten for a while (contact_overdue). */
    if (p->managed && p->rhythm != R_PROSPECT) {
        const int32_t mgr_end = rng_chance(r, 0.3) ? last_day - (int32_t)rng_range(r, 60, 200) : last_day;
        periodic(ds, r, p->id, CRM_KIND_CALL_OUT, 25.0 + 50.0 * rng_unit(r), p->start_day, mgr_end);
        periodic(ds, r, p->id, CRM_KIND_VISIT_OUT, 120.0 + 120.0 * rng_unit(r), p->start_day, mgr_end);
        periodic(ds, r, p->id, CRM_KIND_MESSAGE_OUT, 90.0, p->start_day, mgr_end);
    }

    /* Newsletters once a quarter, until the customer unsubscribes. */
    int32_t unsub = -1;
    int32_t resub = -1;
    if (rng_chance(r, 0.08)) {
        unsub = (int32_t)rng_range(r, p->start_day, last_day);
        add_event(ds, p->id, time_on(r, unsub), CRM_KIND_UNSUBSCRIBE, 0.0, 0);
        if (rng_chance(r, 0.3)) {
            resub = unsub + (int32_t)rng_range(r, 20, 400);
            if (!add_event(ds, p->id, time_on(r, resub), CRM_KIND_RESUBSCRIBE, 0.0, 0) || resub > last_day)
                resub = -1;
        }
    }
    int32_t end_year, end_month, end_mday;
    date_of(last_day, &end_year, &end_month, &end_mday);
    for (int32_t y = end_year - 3; y <= end_year; y++) {
        for (int32_t q = 0; q < 4; q++) {
            int32_t day;
            if (!day_of(y, 1 + 3 * q, 15, &day) || day < p->start_day || day > last_day) continue;
            if (unsub >= 0 && day >= unsub && (resub < 0 || day < resub)) continue;
            add_event(ds, p->id, time_on(r, day), CRM_KIND_EMAIL_OUT, 0.0, 0);
        }
    }

    /* Surveys: promoters score high, everybody else anywhere. */
    if (purchases > 0 && last_purchase >= 0 && rng_chance(r, 0.35)) {
        const int n = (int)rng_range(r, 1, 3);
        for (int i = 0; i < n; i++) {
            const int32_t day = (int32_t)rng_range(r, p->start_day, last_purchase + 7);
            const double score = p->promoter ? (double)rng_range(r, 8, 10) : (double)rng_range(r, 0, 10);
            add_event(ds, p->id, time_on(r, day), CRM_KIND_SURVEY, score, 0);
        }
    }
    if (p->rhythm == R_PROSPECT && rng_chance(r, 0.3)) {
        /* Separate statements: argument evaluation order is unspecified in C. */
        const int64_t when = time_on(r, (int32_t)rng_range(r, p->start_day, last_day));
        add_event(ds, p->id, when, CRM_KIND_SURVEY, (double)rng_range(r, 3, 10), 0);
    }

    /* Referrals by promoters who keep buying. */
    if (p->promoter && purchases >= 2) {
        const int n = (int)rng_range(r, 1, 3);
        for (int i = 0; i < n; i++)
            add_event(ds, p->id, time_on(r, (int32_t)rng_range(r, p->start_day, contact_end)),
                      CRM_KIND_REFERRAL, 0.0, 0);
    }
}

/* ---- attributes (customers.csv) ---- */

/* Leads are numbered from here: above every customer id (100001 + at most 10,000,000 customers). */
#define LEAD_ID_BASE 10100001ULL

static void add_attrs(dataset *ds, const attrs *a) {
    if (ds->n_attrs == ds->cap_attrs) ds->attrs = grow(ds->attrs, &ds->cap_attrs, sizeof *ds->attrs);
    ds->attrs[ds->n_attrs++] = *a;
}

static attrs no_attrs(uint64_t id) {
    attrs a;
    a.customer_id = id;
    a.birthday = a.relationship_start = CRM_NO_DAY;
    a.money = a.authority = a.need = CRM_ANSWER_UNKNOWN;
    a.targeted = 0;
    return a;
}

/* yes, no or unknown with the given chances of yes and no. */
static int32_t answer(rng *r, double yes, double no) {
    const double u = rng_unit(r);
    return u < yes ? CRM_ANSWER_YES : u < yes + no ? CRM_ANSWER_NO : CRM_ANSWER_UNKNOWN;
}

/* With the given chance, the birthday of someone 18 to 80 years old in end_year. */
static int32_t birthday(rng *r, double known, int32_t end_year) {
    if (!rng_chance(r, known)) return CRM_NO_DAY;
    const int32_t year = end_year - (int32_t)rng_range(r, 18, 80);
    int32_t first, next;
    if (!day_of(year, 1, 1, &first) || !day_of(year + 1, 1, 1, &next)) return CRM_NO_DAY;
    return first + (int32_t)rng_range(r, 0, next - first - 1);
}

/* MAN qualification of a prospect; the promising ones are often targeted. */
static void qualify(rng *r, attrs *a) {
    a->money = answer(r, 0.45, 0.20);
    a->authority = answer(r, 0.45, 0.20);
    a->need = answer(r, 0.50, 0.15);
    a->targeted = rng_chance(r, a->money == CRM_ANSWER_YES && a->need == CRM_ANSWER_YES ? 0.6 : 0.15);
}

static attrs customer_attrs(rng *r, const profile *p, int32_t first_day, int32_t last_day, int32_t end_year) {
    attrs a = no_attrs(p->id);
    if (p->rhythm == R_PROSPECT) {
        a.birthday = birthday(r, 0.4, end_year);
        qualify(r, &a);
        return a;
    }
    a.birthday = birthday(r, 0.6, end_year);
    if (p->managed) {
        /* A contract, signed shortly before the first purchase; for accounts
         * there when the export begins, often years earlier. */
        const int64_t before = p->start_day <= first_day + 60 ? rng_range(r, 0, 2500) : rng_range(r, 0, 30);
        a.relationship_start = p->start_day - (int32_t)before;
    } else if (rng_chance(r, 0.35)) {
        /* A loyalty membership, joined within four months of the first purchase. */
        const int32_t joined = p->start_day + (int32_t)rng_range(r, 0, 120);
        a.relationship_start = joined < last_day ? joined : last_day;
    }
    if (rng_chance(r, 0.4)) { /* qualified once, as a prospect */
        a.money = answer(r, 0.9, 0.0);
        a.authority = answer(r, 0.85, 0.0);
        a.need = answer(r, 0.8, 0.05);
    }
    a.targeted = rng_chance(r, 0.2);
    return a;
}

/* A lead: a prospect known only from its attributes. */
static attrs lead_attrs(rng *r, uint64_t id, int32_t end_year) {
    attrs a = no_attrs(id);
    a.birthday = birthday(r, 0.3, end_year);
    qualify(r, &a);
    return a;
}

/* Campaign leads are numbered from here, above every lead id. */
#define CAMPAIGN_ID_BASE 20100001ULL

/* A lead of a sales campaign: money, authority and need all asked and
 * answered, each yes or no with even chances, so every combination occurs
 * (no, no, no is a non-customer). */
static attrs campaign_attrs(rng *r, uint64_t id, int32_t end_year) {
    attrs a = no_attrs(id);
    a.birthday = birthday(r, 0.3, end_year);
    a.money = rng_chance(r, 0.5) ? CRM_ANSWER_YES : CRM_ANSWER_NO;
    a.authority = rng_chance(r, 0.5) ? CRM_ANSWER_YES : CRM_ANSWER_NO;
    a.need = rng_chance(r, 0.5) ? CRM_ANSWER_YES : CRM_ANSWER_NO;
    a.targeted = rng_chance(r, a.money == CRM_ANSWER_YES && a.need == CRM_ANSWER_YES ? 0.7 : 0.1);
    return a;
}

/* ---- output ---- */

static int cmp_txn(const void *a, const void *b) {
    const txn *x = a, *y = b;
    if (x->time != y->time) return x->time < y->time ? -1 : 1;
    if (x->customer_id != y->customer_id) return x->customer_id < y->customer_id ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_event(const void *a, const void *b) {
    const event *x = a, *y = b;
    if (x->time != y->time) return x->time < y->time ? -1 : 1;
    if (x->customer_id != y->customer_id) return x->customer_id < y->customer_id ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_attrs(const void *a, const void *b) {
    const attrs *x = a, *y = b;
    return x->customer_id < y->customer_id ? -1 : x->customer_id > y->customer_id;
}

#define DATE_SIZE 40 /* room for three int32 numbers and two dashes */

/* "YYYY-MM-DD", or "" for CRM_NO_DAY and days after last. */
static const char *iso_date(int32_t day, int32_t last, char *buf) {
    int32_t y, m, d;
    buf[0] = '\0';
    if (day == CRM_NO_DAY || day > last) return buf;
    date_of(day, &y, &m, &d);
    snprintf(buf, DATE_SIZE, "%04ld-%02ld-%02ld", (long)y, (long)m, (long)d);
    return buf;
}

/* Cost or money without a sign on zero ("-0.00" reads oddly). */
static double unsigned_zero(double v) { return v == 0.0 ? 0.0 : v; }

static FILE *open_out(const char *dir, const char *name) {
    char path[4096];
    const size_t len = strlen(dir);
    const char *sep = len > 0 && dir[len - 1] != '/' ? "/" : "";
    if (snprintf(path, sizeof path, "%s%s%s", dir, sep, name) >= (int)sizeof path) {
        fprintf(stderr, "gen_data: output path too long\n");
        exit(EXIT_FAILURE);
    }
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "gen_data: cannot write %s (does the folder exist?)\n", path);
        exit(EXIT_FAILURE);
    }
    return f;
}

static void close_out(FILE *f, const char *name) {
    if (ferror(f) || fclose(f) != 0) {
        fprintf(stderr, "gen_data: error writing %s\n", name);
        exit(EXIT_FAILURE);
    }
}

static void usage(FILE *to) {
    fprintf(to, "usage: gen_data [--customers N] [--seed S] [--end YYYY-MM-DD] [--out DIR]\n"
                "  --customers N   number of customers (default 4000)\n"
                "  --seed S        random seed (default 20260101)\n"
                "  --end DATE      last day of the three-year history (default 2025-12-31)\n"
                "  --out DIR       existing folder for transactions.csv, interactions.csv and customers.csv\n"
                "                  (default .)\n");
}

static int parse_u64(const char *s, uint64_t *out) {
    char *end = NULL;
    if (s == NULL || *s == '\0' || *s == '-') return 0;
    const unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0') return 0;
    *out = (uint64_t)v;
    return 1;
}

/* "YYYY-MM-DD", digits checked one by one (sscanf would accept "+1" or " 1"). */
static int parse_date(const char *s, int32_t *day) {
    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
    const int32_t y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    const int32_t m = (s[5] - '0') * 10 + (s[6] - '0');
    const int32_t d = (s[8] - '0') * 10 + (s[9] - '0');
    return y >= 1900 && day_of(y, m, d, day); /* the calendar rejects 2025-02-30 */
}

int main(int argc, char **argv) {
    uint64_t customers = 4000;
    uint64_t seed = 20260101;
    const char *out = ".";
    int32_t last_day = 0;
    (void)day_of(2025, 12, 31, &last_day);

    /* Every option takes a value, hence the step of 2. */
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return EXIT_SUCCESS;
        }
        int ok = 0;
        if (strcmp(a, "--customers") == 0)
            ok = parse_u64(v, &customers) && customers >= 1 && customers <= 10000000;
        else if (strcmp(a, "--seed") == 0)
            ok = parse_u64(v, &seed);
        else if (strcmp(a, "--end") == 0)
            ok = parse_date(v, &last_day);
        else if (strcmp(a, "--out") == 0 && v != NULL)
            ok = (out = v) != NULL;
        if (!ok) {
            fprintf(stderr, "gen_data: bad argument '%s'%s%s\n", a, v ? " " : "", v ? v : "");
            usage(stderr);
            return 2;
        }
    }

    dataset ds;
    memset(&ds, 0, sizeof ds);
    ds.next_complaint = 1;
    ds.end_time = (int64_t)(last_day + 1) * DAY_SECONDS - 1;
    const int32_t first_day = last_day - HISTORY_DAYS + 1;
    int32_t end_year, end_month, end_mday;
    date_of(last_day, &end_year, &end_month, &end_mday);

    uint64_t leads = 0, campaign = 0;
    for (uint64_t i = 0; i < customers; i++) {
        /* Own stream per customer: the seed mixed with the customer's index. */
        rng r = {seed * 0x2545F4914F6CDD1DULL + i};
        (void)rng_next(&r);
        /* And a second one, for what came later: the same mix, scrambled. */
        rng seeder = {(seed * 0x2545F4914F6CDD1DULL + i) ^ 0xD6E8FEB86659FD93ULL};
        extras x;
        x.stream.state = rng_next(&seeder);
        x.price_sensitive = rng_chance(&x.stream, 0.15);
        const int pushed = rng_chance(&x.stream, 0.15); /* mostly offers, few greetings */
        x.value_share = pushed ? 0.40 : 0.75;
        x.relationship_share = pushed ? 0.10 : 0.20;
        /* And a third, for the Part II demo: the same mix, scrambled otherwise. */
        rng seeder3 = {(seed * 0x2545F4914F6CDD1DULL + i) ^ 0x8CB92BA72F3D8DD7ULL};
        x.third.state = rng_next(&seeder3);
        x.loss_maker = rng_chance(&x.third, 0.08);
        ds.extras = &x;
        const profile p = make_profile(&r, 100001 + i, first_day, last_day);
        generate_customer(&ds, &r, &p, last_day);
        const attrs a = customer_attrs(&x.stream, &p, first_day, last_day, end_year);
        add_attrs(&ds, &a);
        if (rng_chance(&x.stream, 0.05)) {
            const attrs lead = lead_attrs(&x.stream, LEAD_ID_BASE + leads++, end_year);
            add_attrs(&ds, &lead);
        }
        if (rng_chance(&x.third, 0.03)) {
            const attrs lead = campaign_attrs(&x.third, CAMPAIGN_ID_BASE + campaign++, end_year);
            add_attrs(&ds, &lead);
        }
        ds.extras = NULL;
    }

    /* The default as-of day is the day of the latest transaction: keep every
     * interaction by then, so none is reported as after the as-of time. */
    int64_t latest = INT64_MIN;
    for (size_t i = 0; i < ds.n_txns; i++)
        if (ds.txns[i].time > latest) latest = ds.txns[i].time;
    const int64_t cutoff =
        latest == INT64_MIN ? ds.end_time : (floor_div(latest, DAY_SECONDS) + 1) * DAY_SECONDS - 1;

    /* Exports are usually in time order. (qsort must not get NULL, even for 0 items.) */
    if (ds.n_txns > 0) qsort(ds.txns, ds.n_txns, sizeof *ds.txns, cmp_txn);
    if (ds.n_events > 0) qsort(ds.events, ds.n_events, sizeof *ds.events, cmp_event);
    qsort(ds.attrs, ds.n_attrs, sizeof *ds.attrs, cmp_attrs); /* at least one customer */

    FILE *f = open_out(out, "transactions.csv");
    fputs("customer_id,time,amount,cost,discount\n", f);
    for (size_t i = 0; i < ds.n_txns; i++) {
        const txn *t = &ds.txns[i];
        fprintf(f, "%llu,%lld,%.2f,%.2f,%.2f\n", (unsigned long long)t->customer_id, (long long)t->time,
                t->amount, unsigned_zero(t->cost), unsigned_zero(t->discount));
    }
    close_out(f, "transactions.csv");

    size_t written = 0;
    f = open_out(out, "interactions.csv");
    fputs("customer_id,time,kind,value,ref,purpose\n", f);
    for (size_t i = 0; i < ds.n_events; i++) {
        const event *e = &ds.events[i];
        if (e->time > cutoff) continue;
        fprintf(f, "%llu,%lld,%s,%g,%llu,%s\n", (unsigned long long)e->customer_id, (long long)e->time,
                crm_enum_name(CRM_ENUM_KIND, e->kind), e->value, (unsigned long long)e->ref,
                crm_enum_name(CRM_ENUM_PURPOSE, e->purpose));
        written++;
    }
    close_out(f, "interactions.csv");

    /* Like interactions, a relationship that starts after the as-of day is not known yet. */
    const int32_t cutoff_day = (int32_t)floor_div(cutoff, DAY_SECONDS);
    f = open_out(out, "customers.csv");
    fputs("customer_id,birthday,relationship_start,money,authority,need,targeted\n", f);
    for (size_t i = 0; i < ds.n_attrs; i++) {
        const attrs *a = &ds.attrs[i];
        char birthday_text[DATE_SIZE], start_text[DATE_SIZE];
        fprintf(f, "%llu,%s,%s,%s,%s,%s,%d\n", (unsigned long long)a->customer_id,
                iso_date(a->birthday, cutoff_day, birthday_text),
                iso_date(a->relationship_start, cutoff_day, start_text),
                crm_enum_name(CRM_ENUM_ANSWER, a->money), crm_enum_name(CRM_ENUM_ANSWER, a->authority),
                crm_enum_name(CRM_ENUM_ANSWER, a->need), (int)a->targeted);
    }
    close_out(f, "customers.csv");

    printf("gen_data: %llu customers, %zu transactions, %zu interactions, %zu customer records (%llu leads) "
           "in %s\n",
           (unsigned long long)customers, ds.n_txns, written, ds.n_attrs,
           (unsigned long long)(leads + campaign), out);
    free(ds.txns);
    free(ds.events);
    free(ds.attrs);
    return EXIT_SUCCESS;
}

/* summary/summary.h - the per-customer summary: facts of each customer at the as-of
 * day and one window before it.
 * Internal (not installed): names use the prefix crm__. */
#ifndef CRM_SUMMARY_SUMMARY_H
#define CRM_SUMMARY_SUMMARY_H

#include "input/input.h"

#include <math.h>

/* ---- per-customer facts (summary/) ---- */

/* Transaction facts of one customer at one as-of day. */
typedef struct crm__facts {
    int32_t first_day, last_day; /* CRM_NO_DAY without a purchase day */
    int32_t prev_day;            /* the purchase day before last_day, or CRM_NO_DAY */
    int64_t purchase_days;       /* distinct days with a purchase */
    int64_t purchase_records;    /* records with amount >= 0 */
    int64_t returns_count;
    double gross, returns_amount, monetary;
    double median_interval; /* NaN below two purchase days */
    int64_t recent_days, prior_days;
    double recent_amount, prior_amount;
    int64_t days_lookback;   /* purchase days within complaint_lookback_days (health) */
    int64_t days_last_year;  /* purchase days within the last 365 days (customer states) */
    double repeat_spend;     /* mean net spend per repeat purchase day (models) */
    double cost;             /* sum of the known costs (0 without a cost column) */
    double gross_profit;     /* sum of amount - cost over records whose cost is known */
    double costed_net;       /* net amount of records whose cost is known */
    double discount;         /* sum of discounts over purchase records */
    double list_value;       /* sum of amount + discount over purchase records */
    int64_t discounted_days; /* purchase days with a discount > 0 */
} crm__facts;

/* Interaction facts of one customer at one as-of time. */
typedef struct crm__ifacts {
    int64_t records; /* accepted interaction records up to the as-of time */
    int32_t last_call, last_visit, last_inbound, last_outbound; /* days, CRM_NO_DAY if none */
    int64_t complaints;                                         /* opened within complaint_lookback_days */
    int64_t open_complaints; /* without resolution by the as-of time, any age */
    int64_t sla_breaches;    /* complaints of the lookback breaching any SLA */
    int64_t referrals;       /* up to the as-of time */
    double last_survey;      /* latest survey score, NaN if none */
    int64_t recent_engagement, prior_engagement;
    int64_t lookback_interactions; /* interactions of any kind within engagement_lookback_days */
    int unsubscribed;
    int advocacy; /* a referral or a survey >= advocate_survey_min within advocate_lookback_days */
    int32_t last_resolution_day; /* day of the latest complaint resolution, CRM_NO_DAY if none */
    double median_response_hours;
    /* complaint-handling tallies over complaints opened within the lookback */
    int64_t sla_ok, sla_base, resolved_ok, resolved_base, follow_ok, follow_base;
    int64_t outbound_by_purpose[4]; /* outbound contacts within the last 365 days, by crm_purpose */
    int64_t calls, visits, emails, messages, all_complaints; /* up to the as-of time: service cost */
    int32_t last_issue_day; /* latest complaint or survey <= detractor_max, CRM_NO_DAY if none */
} crm__ifacts;

/* A customer's purchase rhythm on one day: what the lifecycle stage reads. */
typedef struct crm__rhythm {
    int32_t first_day, last_day, prev_day; /* CRM_NO_DAY without a purchase day */
    int64_t purchase_days;
    double median_interval; /* NaN below two purchase days */
} crm__rhythm;

static inline crm__rhythm crm__rhythm_of(const crm__facts *f) {
    crm__rhythm r;
    r.first_day = f->first_day;
    r.last_day = f->last_day;
    r.prev_day = f->prev_day;
    r.purchase_days = f->purchase_days;
    r.median_interval = f->median_interval;
    return r;
}

/* One customer of a summary. Interaction facts and attributes live in
 * arrays of their own, made only when the caller supplied those inputs, so
 * a transactions-only summary stays small. */
typedef struct crm__customer {
    uint64_t id;
    crm__facts now;          /* at the as-of day */
    crm__rhythm prev;        /* at as-of day - W, for previous_stage */
    const crm__ifacts *inow; /* never NULL: crm__ifacts_none without interactions */
    const crm__attrs *attrs; /* NULL without an attributes record */
    int32_t has_tx, has_ix;  /* an accepted record of each input by the as-of time */
    int32_t prev_any;        /* any record by the previous as-of day */
    int32_t prev_advocacy;   /* advocacy condition at the previous as-of day */
} crm__customer;

/* The interaction facts of a customer without interaction records. */
extern const crm__ifacts crm__ifacts_none;

struct crm_summary {
    crm_allocator allocator;
    crm_config config; /* deep copy */
    int64_t as_of;     /* seconds */
    int32_t as_of_day;
    int has_interactions; /* the caller supplied interaction records (a non-empty view) */
    int has_contacts;     /* an accepted outbound call or visit: the contact plan can be checked */
    int has_cost, has_discount, has_purpose; /* the caller supplied these optional columns */
    crm__customer *customers;                /* sorted by id */
    crm__ifacts *ifacts;                     /* of the customers with interaction records, or NULL */
    crm__attrs *attrs;                       /* the accepted attribute records, or NULL */
    size_t ncustomers;
    int64_t records[CRM__INPUT_COUNT][CRM__FATE_COUNT]; /* [crm_input][crm_fate] */
    int64_t totals[CRM__INPUT_COUNT];
    crm__vec response_hours; /* double: first-response hours of the lookback's answered complaints */
};

/* Interaction facts of one customer's sorted records at as_of. Appends the
 * first-response hours of the lookback's answered complaints to hours (may be
 * NULL). */
crm_status crm__ix_facts(const crm_config *c, int64_t as_of, const crm__ixrec *r, size_t n, crm__ifacts *f,
                         const crm_allocator *a, crm__vec *hours);
/* The advocacy condition (a referral, or a survey >= advocate_survey_min, within
 * advocate_lookback_days of as_of_day) over records with day <= as_of_day. */
int crm__ix_advocacy(const crm_config *c, int32_t as_of_day, const crm__ixrec *r, size_t n);

/* The two halves of crm_summarize. New: an empty summary for as_of with a
 * deep copy of config (flags, records and totals zero: the caller sets
 * them). Fill: the customers and their facts from prepared inputs (sorted
 * as their prepare functions sort them, interactions linked); takes
 * ownership of at whatever the outcome (crm_summary_free releases it);
 * total is the number of records given, for the NO_DATA message. */
crm_status crm__summary_new(const crm_config *config, int64_t as_of, crm_summary **out, crm_error *err);
crm_status crm__summary_fill(crm_summary *s, const crm__txset *txs, const crm__ixrec *ix, size_t nix,
                             crm__attrs *at, size_t nat, size_t total, crm_error *err);

/* A hash of a summary's content: crm_score accepts only summaries whose
 * fingerprint was added to the population. */
uint64_t crm__summary_fingerprint(const crm_summary *s);

/* Transaction facts of one customer's sorted records [r, r + n) on days <= day,
 * and in the same pass its purchase rhythm on days <= prev_day (< day), all
 * that previous_stage reads (summary/transaction_facts.c). extra: the set's
 * cost and discount, or NULL. gaps: scratch room for n doubles. */
void crm__tx_facts(const crm_config *c, const crm__txrec *r, size_t n, const crm__txextra *extra, int32_t day,
                   int32_t prev_day, double *gaps, crm__facts *f, crm__rhythm *prev);

/* ---- model inputs: x, t_x and T are computed here and nowhere else ---- */

/* What the value models read of a customer with a purchase day: x repeat
 * purchase days, t_x and T in time units of unit days (first to last
 * purchase day, first purchase day to the as-of day), repeat_spend (NaN
 * without a repeat day) and avg_spend (net monetary per purchase day). */
typedef struct crm__model_input {
    double x, t_x, T, repeat_spend, avg_spend;
} crm__model_input;

static inline crm__model_input crm__model_input_of(const crm__facts *f, int32_t as_of_day, double unit) {
    crm__model_input m;
    m.x = (double)(f->purchase_days - 1);
    m.t_x = (double)(f->last_day - f->first_day) / unit;
    m.T = (double)(as_of_day - f->first_day) / unit;
    m.repeat_spend = f->repeat_spend;
    m.avg_spend = f->monetary / (double)f->purchase_days;
    return m;
}

/* ---- profit (docs/DEFINITIONS.md section 12): a per-customer fact ---- */

/* The service cost of a customer's interactions, priced by the cost_* options. */
static inline double crm__service_cost(const crm_config *c, const crm__ifacts *x) {
    return (double)x->calls * crm__opt(c, CRM_OPTION_COST_CALL) +
           (double)x->visits * crm__opt(c, CRM_OPTION_COST_VISIT) +
           (double)x->emails * crm__opt(c, CRM_OPTION_COST_EMAIL) +
           (double)x->messages * crm__opt(c, CRM_OPTION_COST_MESSAGE) +
           (double)x->all_complaints * crm__opt(c, CRM_OPTION_COST_COMPLAINT);
}

/* Profit of a customer: NaN unless the summary had a cost column. */
static inline double crm__profit_of(const crm_config *c, const crm__customer *cu, int has_cost) {
    return has_cost ? cu->now.gross_profit - crm__service_cost(c, cu->inow) : NAN;
}

#endif /* CRM_SUMMARY_SUMMARY_H */

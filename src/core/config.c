/* config.c - options with defaults and bounds, caller cut points, segment rules. */
#include "core/core.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct option_info {
    const char *name;
    int type;        /* crm_option_type */
    int enumeration; /* crm_enum for CRM_OPTION_TYPE_ENUM */
    double def, min, max;
} option_info;

#define I(name, def, lo, hi)                                                                                 \
    { name, CRM_OPTION_TYPE_INT, CRM_ENUM_NONE, def, lo, hi }
#define R(name, def, lo, hi)                                                                                 \
    { name, CRM_OPTION_TYPE_REAL, CRM_ENUM_NONE, def, lo, hi }
#define E(name, en, def, hi)                                                                                 \
    { name, CRM_OPTION_TYPE_ENUM, en, def, 0, hi }
#define DAYS 36500.0 /* a century: more than any window or cadence needs */

/* Indexed by crm_option; the order must match the enum in crmkit.h. */
static const option_info options[CRM__OPTION_COUNT] = {
    I("as_of", 0, (double)CRM_TIME_MIN, (double)CRM_TIME_MAX),
    I("day_offset", 0, -86399, 86399),
    I("rfm_bins", 5, 2, 10),
    E("ties", CRM_ENUM_TIES, CRM_TIES_SHARED, CRM_TIES_NTILE),
    E("frequency_basis", CRM_ENUM_FREQUENCY, CRM_FREQUENCY_PURCHASE_DAYS, CRM_FREQUENCY_RECORDS),
    E("validation", CRM_ENUM_VALIDATION, CRM_VALIDATION_SKIP, CRM_VALIDATION_STRICT),
    I("window_days", 90, 1, 3650),
    R("key_share", 0.80, 0, 1),
    R("major_share", 0.95, 0, 1),
    R("regular_share", 0.99, 0, 1),
    R("head_fraction", 0.20, 0, 1),
    R("waist_fraction", 0.80, 0, 1),
    I("strategic_tenure_days", 1095, 0, DAYS),
    I("growth_tenure_days", 365, 0, DAYS),
    R("active_r_min", 3, 1, 5),
    R("valuable_fm_min", 3, 1, 5),
    R("default_interval_days", 365, 1, DAYS),
    R("at_risk_multiple", 2, 0, 1000),
    R("at_risk_min_days", 14, 0, DAYS),
    R("at_risk_max_days", 365, 0, DAYS),
    R("lapsed_multiple", 4, 0, 1000),
    R("lapsed_min_days", 60, 0, DAYS),
    R("lapsed_max_days", 730, 0, DAYS),
    I("new_tenure_days", 90, 0, DAYS),
    I("advocate_tenure_days", 180, 0, DAYS),
    I("advocate_lookback_days", 365, 0, DAYS),
    R("advocate_survey_min", 9, -1e9, 1e9),
    I("inactive_days", 90, 0, DAYS),
    R("overdue_multiple", 2, 0, 1000),
    R("drop_ratio", 0.5, 0, 1),
    I("drop_min_prior", 2, 1, 1e9),
    I("value_lapsing_days", 90, 0, DAYS),
    R("detractor_max", 6, -1e9, 1e9),
    I("sla_normal_seconds", 86400, 0, 1e9),
    I("sla_major_seconds", 7200, 0, 1e9),
    I("resolution_seconds", 86400, 0, 1e9),
    I("follow_up_seconds", 259200, 0, 1e9),
    I("complaint_lookback_days", 365, 0, DAYS),
    R("weight_scale", 1, 0, 1e6),
    R("weight_activity", 1, 0, 1e6),
    R("weight_recency", 1, 0, 1e6),
    R("weight_engagement", 1, 0, 1e6),
    R("weight_complaints", 1, 0, 1e6),
    R("weight_satisfaction", 1, 0, 1e6),
    I("engagement_lookback_days", 365, 0, DAYS),
    R("survey_scale_max", 10, 1e-9, 1e9),
    R("health_red_below", 50, 0, 100),
    R("health_green_above", 75, 0, 100),
    I("call_days_key", 30, 0, DAYS),
    I("visit_days_key", 91, 0, DAYS),
    I("call_days_major", 91, 0, DAYS),
    I("visit_days_major", 182, 0, DAYS),
    I("call_days_regular", 182, 0, DAYS),
    I("visit_days_regular", 365, 0, DAYS),
    I("call_days_minor", 365, 0, DAYS),
    I("visit_days_minor", 0, 0, DAYS),
    E("model", CRM_ENUM_MODEL_KIND, CRM_MODEL_KIND_NONE, CRM_MODEL_KIND_PARETO_NBD),
    E("spend_model", CRM_ENUM_BOOL, 0, 1),
    R("time_unit_days", 7, 1.0 / 86400.0, 3660),
    R("horizon_days", 365, 0, DAYS),
    R("discount_rate", 0.10, 0, 100),
    R("margin", 1, 0, 1),
    R("l2_penalty", 0, 0, 1e9),
    I("max_iterations", 500, 1, 1e7),
    R("tolerance", 1e-10, 0, 1),
    R("risk_p_alive_high", 0.3, 0, 1),
    R("risk_p_alive_medium", 0.7, 0, 1),
    I("threads", 1, 1, 256),
    I("care_lead_days", 14, 0, DAYS),
    R("cost_call", 0, 0, 1e9),
    R("cost_visit", 0, 0, 1e9),
    R("cost_email", 0, 0, 1e9),
    R("cost_message", 0, 0, 1e9),
    R("cost_complaint", 0, 0, 1e9),
    I("loyal_min_purchase_days", 3, 1, 1e9),
    R("mix_target_value", 0.7, 0, 1),
    R("mix_target_relationship", 0.2, 0, 1),
    R("mix_target_action", 0.1, 0, 1),
    I("mix_min_contacts", 10, 1, 1e9),
    R("mix_tolerance", 0.2, 0, 1),
    R("price_sensitive_share", 0.5, 0, 1),
    I("max_evaluations", 100000, 1, 1e9),
    R("fit_seconds", 0, 0, 1e6),
    E("spend_q_constraint", CRM_ENUM_BOOL, 0, 1),
};

/* What each option means, for crm_enum_description (same order). */
static const char *const option_texts[CRM__OPTION_COUNT] = {
    "the analysed moment, seconds; unset: the end of the day of the latest accepted transaction",
    "seconds east of UTC that decide which calendar day a time falls on",
    "k, the number of RFM scores per dimension",
    "how equal values share RFM scores: shared (by rank) or ntile (SQL NTILE, ties by id)",
    "F counts distinct purchase days or purchase records",
    "skip and count bad records, or fail at the first (strict)",
    "W, the length of the recent and prior windows and of previous_stage's look back",
    "value tiers: customers holding this share of positive revenue, from the top, are key",
    "value tiers: up to this share of positive revenue are major",
    "value tiers: up to this share of positive revenue are regular; the rest minor",
    "contribution bands: this fraction of scored customers, from the top, is the head",
    "contribution bands: up to this fraction is the waist; the rest the base",
    "tenure bands: at least this many days since the first purchase is strategic",
    "tenure bands: at least this many days is growth; less is new",
    "value classes: an R score (on 1..5) at least this is active",
    "value classes: a mean of F and M scores (on 1..5) at least this is valuable",
    "the expected purchase interval when no customer has two purchase days",
    "at risk after this many expected intervals without a purchase",
    "at risk never before this many days",
    "at risk at the latest after this many days",
    "lapsed after this many expected intervals without a purchase",
    "lapsed never before this many days",
    "lapsed at the latest after this many days",
    "a customer is new for this many days after the first purchase",
    "advocates have bought for at least this many days",
    "advocacy (a referral or a high survey score) counts within this many days",
    "a survey score at least this is advocacy",
    "the inactive flag after this many days without a purchase",
    "the overdue flag after this many own purchase intervals without a purchase",
    "frequency, spend and engagement drops: recent below this share of prior",
    "drops need at least this many prior purchase days or engagement events",
    "key and major customers lapse after this many days without a purchase",
    "the detractor flag for a latest survey score at or below this",
    "first response time allowed for a normal complaint",
    "first response time allowed for a major complaint",
    "time allowed to resolve a complaint",
    "time allowed to follow up a resolved complaint",
    "complaints, SLA breaches and response times count within this many days",
    "health: weight of the monetary rank",
    "health: weight of the purchase days rank",
    "health: weight of the recency rank",
    "health: weight of the engagement rank (with interactions)",
    "health: weight of the complaint rate (with interactions)",
    "health: weight of the latest survey score",
    "health: interactions count as engagement within this many days",
    "the top of the survey scale",
    "health band red below this score",
    "health band green above this score",
    "contact plan: days between calls to key customers (0: none)",
    "contact plan: days between visits to key customers (0: none)",
    "contact plan: days between calls to major customers (0: none)",
    "contact plan: days between visits to major customers (0: none)",
    "contact plan: days between calls to regular customers (0: none)",
    "contact plan: days between visits to regular customers (0: none)",
    "contact plan: days between calls to minor customers (0: none)",
    "contact plan: days between visits to minor customers (0: none)",
    "the purchase model fitted by the analysis: none, bgnbd, mbgnbd or pareto_nbd",
    "fit Gamma-Gamma for expected spend (1) or not (0)",
    "the models' time unit in days (7: weeks)",
    "expected purchases and CLV over this many days",
    "yearly discount rate of CLV",
    "the share of revenue that is profit, for CLV",
    "ridge penalty on the models' log parameters (towards 1)",
    "the most iterations a model fit may take",
    "a model fit converges when the gradient is this small",
    "risk high when P(alive) is below this",
    "risk medium when P(alive) is below this",
    "how many threads the library's own runner uses",
    "care_due when the next birthday or anniversary is at most this many days away",
    "service cost of one call (call_in or call_out)",
    "service cost of one visit (visit_in or visit_out)",
    "service cost of one e-mail (email_in or email_out)",
    "service cost of one message (message_in or message_out)",
    "service cost of one complaint",
    "loyal customers have at least this many purchase days",
    "7:2:1 target share of value contacts",
    "7:2:1 target share of relationship contacts",
    "7:2:1 target share of action contacts",
    "mix_off needs at least this many purposed outbound contacts",
    "mix_off when the mix is further than this from the targets",
    "price_sensitive when at least this share of purchase days had a discount",
    "the most likelihood evaluations a model fit may take",
    "the most processor seconds a model fit may take (0: no limit)",
    "fit Gamma-Gamma with q > 1, so that its mean spend exists (1) or not (0)",
};

const char *crm__option_description(int option) {
    return option >= 0 && option < CRM__OPTION_COUNT ? option_texts[option] : NULL;
}

static int valid_option(int option) { return option >= 0 && option < CRM__OPTION_COUNT; }

static void default_alloc_free(void *opaque, void *p) {
    (void)opaque;
    free(p);
}
static void *default_alloc(void *opaque, size_t size) {
    (void)opaque;
    return malloc(size);
}

void crm__config_defaults(crm_config *c, const crm_allocator *allocator) {
    memset(c, 0, sizeof *c);
    if (allocator) {
        c->allocator = *allocator;
    } else {
        c->allocator.alloc = default_alloc;
        c->allocator.free = default_alloc_free;
        c->allocator.opaque = NULL;
    }
    for (int i = 0; i < CRM__OPTION_COUNT; i++) c->opt[i] = options[i].def;
}

crm_status crm_config_create(const crm_allocator *allocator, crm_config **out, crm_error *err) {
    crm__error_clear(err);
    if (!out) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_config_create: out is NULL");
    *out = NULL;
    if (allocator && (!allocator->alloc || !allocator->free))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_config_create: allocator has a NULL function");
    crm_config tmp;
    crm__config_defaults(&tmp, allocator);
    crm_config *c = crm__alloc(&tmp.allocator, sizeof *c);
    if (!c) return crm__nomem(err);
    *c = tmp;
    *out = c;
    return CRM_STATUS_OK;
}

void crm__config_release(crm_config *c) {
    const crm_allocator *a = &c->allocator;
    for (int d = 0; d < 3; d++) {
        crm__free(a, c->cuts[d]);
        c->cuts[d] = NULL;
        c->ncuts[d] = 0;
    }
    for (size_t i = 0; i < c->nrules; i++) crm__free(a, c->rules[i].name);
    crm__free(a, c->rules);
    c->rules = NULL;
    c->nrules = 0;
    for (int k = 0; k < CRM__GIVEN_MODELS; k++) {
        crm__free(a, c->model_bytes[k]);
        c->model_bytes[k] = NULL;
        c->model_size[k] = 0;
    }
}

crm_status crm__config_set_model_bytes(crm_config *c, int kind, const void *bytes, size_t size,
                                       crm_error *err) {
    unsigned char *copy = NULL;
    if (size > 0) {
        copy = crm__alloc(&c->allocator, size);
        if (!copy) return crm__nomem(err);
        memcpy(copy, bytes, size);
    }
    crm__free(&c->allocator, c->model_bytes[kind]);
    c->model_bytes[kind] = copy;
    c->model_size[kind] = size;
    return CRM_STATUS_OK;
}

void crm_config_free(crm_config *config) {
    if (!config) return;
    crm_allocator a = config->allocator;
    crm__config_release(config);
    crm__free(&a, config);
}

crm_status crm__config_copy_into(crm_config *dst, const crm_config *src, crm_error *err) {
    const crm_allocator *a = &src->allocator;
    *dst = *src;
    for (int d = 0; d < 3; d++) dst->cuts[d] = NULL;
    dst->rules = NULL;
    dst->nrules = 0;
    for (int k = 0; k < CRM__GIVEN_MODELS; k++) {
        dst->model_bytes[k] = NULL;
        dst->model_size[k] = 0;
    }
    for (int k = 0; k < CRM__GIVEN_MODELS; k++)
        if (src->model_size[k] && crm__config_set_model_bytes(dst, k, src->model_bytes[k], src->model_size[k],
                                                              err) != CRM_STATUS_OK)
            goto nomem;
    for (int d = 0; d < 3; d++) {
        if (!src->cuts[d]) continue;
        dst->cuts[d] = crm__calloc(a, src->ncuts[d], sizeof(double));
        if (!dst->cuts[d]) goto nomem;
        memcpy(dst->cuts[d], src->cuts[d], src->ncuts[d] * sizeof(double));
    }
    if (src->nrules) {
        dst->rules = crm__calloc(a, src->nrules, sizeof(crm__rule));
        if (!dst->rules) goto nomem;
        for (size_t i = 0; i < src->nrules; i++) {
            dst->rules[i] = src->rules[i];
            dst->rules[i].name = crm__strdup(a, src->rules[i].name);
            if (!dst->rules[i].name) goto nomem;
            dst->nrules = i + 1;
        }
    }
    return CRM_STATUS_OK;
nomem:
    crm__config_release(dst);
    return crm__nomem(err);
}

crm_status crm_config_clone(const crm_config *config, crm_config **out, crm_error *err) {
    crm__error_clear(err);
    if (!config || !out)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_config_clone: NULL argument");
    *out = NULL;
    crm_config *c = crm__alloc(&config->allocator, sizeof *c);
    if (!c) return crm__nomem(err);
    crm_status st = crm__config_copy_into(c, config, err);
    if (st != CRM_STATUS_OK) {
        crm__free(&config->allocator, c);
        return st;
    }
    *out = c;
    return CRM_STATUS_OK;
}

int crm__config_equal(const crm_config *a, const crm_config *b) {
    if (a->as_of_set != b->as_of_set || (a->as_of_set && a->as_of != b->as_of)) return 0;
    /* How the work is scheduled does not change results: threads and runner are not compared. */
    for (int i = 0; i < CRM__OPTION_COUNT; i++)
        if (i != CRM_OPTION_AS_OF && i != CRM_OPTION_THREADS && a->opt[i] != b->opt[i]) return 0;
    for (int d = 0; d < 3; d++) {
        if (a->ncuts[d] != b->ncuts[d]) return 0;
        if (a->ncuts[d] && memcmp(a->cuts[d], b->cuts[d], a->ncuts[d] * sizeof(double)) != 0) return 0;
    }
    for (int k = 0; k < CRM__GIVEN_MODELS; k++)
        if (a->model_size[k] != b->model_size[k] ||
            (a->model_size[k] && memcmp(a->model_bytes[k], b->model_bytes[k], a->model_size[k]) != 0))
            return 0;
    if (a->nrules != b->nrules) return 0;
    for (size_t i = 0; i < a->nrules; i++) {
        const crm__rule *x = &a->rules[i], *y = &b->rules[i];
        if (strcmp(x->name, y->name) != 0 || x->r_min != y->r_min || x->r_max != y->r_max ||
            x->f_min != y->f_min || x->f_max != y->f_max || x->m_min != y->m_min || x->m_max != y->m_max)
            return 0;
    }
    return 1;
}

/* FNV-1a 64 over what crm__config_equal compares (as-of apart): equal
 * configurations have equal digests. */
static uint64_t digest_bytes(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}
static uint64_t digest_double(uint64_t h, double v) {
    if (v == 0) v = 0; /* -0.0 equals +0.0 */
    return digest_bytes(h, &v, sizeof v);
}

uint64_t crm__config_digest(const crm_config *c) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int i = 0; i < CRM__OPTION_COUNT; i++)
        if (i != CRM_OPTION_AS_OF && i != CRM_OPTION_THREADS) h = digest_double(h, c->opt[i]);
    for (int d = 0; d < 3; d++) {
        h = digest_double(h, (double)c->ncuts[d]);
        for (size_t i = 0; i < c->ncuts[d]; i++) h = digest_double(h, c->cuts[d][i]);
    }
    h = digest_double(h, (double)c->nrules);
    for (size_t i = 0; i < c->nrules; i++) {
        const crm__rule *x = &c->rules[i];
        h = digest_bytes(h, x->name, strlen(x->name) + 1);
        const int32_t bounds[6] = {x->r_min, x->r_max, x->f_min, x->f_max, x->m_min, x->m_max};
        for (int k = 0; k < 6; k++) h = digest_double(h, (double)bounds[k]);
    }
    for (int k = 0; k < CRM__GIVEN_MODELS; k++) { /* models given instead of fitted */
        h = digest_double(h, (double)c->model_size[k]);
        if (c->model_size[k]) h = digest_bytes(h, c->model_bytes[k], c->model_size[k]);
    }
    return h;
}

/* Check and store one option value (already converted to double). */
static crm_status set_value(crm_config *c, int option, double v, crm_error *err) {
    const option_info *o = &options[option];
    if (option == CRM_OPTION_MODEL && v == CRM_MODEL_KIND_BGBB)
        return crm__fail(
            err, CRM_STATUS_BAD_OPTION,
            "option model: bgbb is for discrete-time (x, t_x, n) rows: fit it with crm_model_fit; "
            "the analysis offers bgnbd, mbgnbd and pareto_nbd");
    if (isnan(v) || v < o->min || v > o->max)
        return crm__fail(err, CRM_STATUS_BAD_OPTION, "option %s: value %.17g is outside [%.17g, %.17g]",
                         o->name, v, o->min, o->max);
    if (o->type != CRM_OPTION_TYPE_REAL && v != floor(v))
        return crm__fail(err, CRM_STATUS_BAD_OPTION, "option %s: value %.17g is not a whole number", o->name,
                         v);
    c->opt[option] = v;
    return CRM_STATUS_OK;
}

crm_status crm_config_set_int(crm_config *config, int option, int64_t value, crm_error *err) {
    crm__error_clear(err);
    if (!config || !valid_option(option))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_config_set_int: NULL configuration or unknown option %d", option);
    if (options[option].type == CRM_OPTION_TYPE_REAL)
        return crm__fail(err, CRM_STATUS_WRONG_TYPE, "option %s is real: use crm_config_set_real",
                         options[option].name);
    if (option == CRM_OPTION_AS_OF) {
        if (value < CRM_TIME_MIN || value > CRM_TIME_MAX)
            return crm__fail(err, CRM_STATUS_BAD_OPTION,
                             "option as_of: %lld is outside the representable range", (long long)value);
        config->as_of = value;
        config->as_of_set = 1;
        return CRM_STATUS_OK;
    }
    return set_value(config, option, (double)value, err);
}

crm_status crm_config_set_real(crm_config *config, int option, double value, crm_error *err) {
    crm__error_clear(err);
    if (!config || !valid_option(option))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_config_set_real: NULL configuration or unknown option %d", option);
    if (option == CRM_OPTION_AS_OF) {
        if (!(value >= (double)CRM_TIME_MIN && value <= (double)CRM_TIME_MAX) || value != floor(value))
            return crm__fail(err, CRM_STATUS_BAD_OPTION, "option as_of: %.17g is not a time in range", value);
        return crm_config_set_int(config, option, (int64_t)value, err);
    }
    return set_value(config, option, value, err);
}

crm_status crm_config_set_text(crm_config *config, const char *name, const char *value, crm_error *err) {
    crm__error_clear(err);
    if (!config || !name || !value)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_config_set_text: NULL argument");
    int option = crm_enum_value(CRM_ENUM_OPTION, name);
    if (option < 0) return crm__fail(err, CRM_STATUS_BAD_OPTION, "unknown option '%s'", name);
    const option_info *o = &options[option];
    if (o->type == CRM_OPTION_TYPE_ENUM) {
        int32_t v = crm_enum_value(o->enumeration, value);
        if (v >= 0) return set_value(config, option, v, err);
    }
    errno = 0;
    char *end = NULL;
    if (option == CRM_OPTION_AS_OF) {
        long long t = strtoll(value, &end, 10);
        if (end == value || *end != '\0' || errno == ERANGE)
            return crm__fail(err, CRM_STATUS_BAD_OPTION,
                             "option as_of: '%s' is not a whole number of seconds", value);
        return crm_config_set_int(config, option, (int64_t)t, err);
    }
    double v = strtod(value, &end);
    if (end == value || *end != '\0' || errno == ERANGE)
        return crm__fail(err, CRM_STATUS_BAD_OPTION, "option %s: cannot read '%s' as %s", o->name, value,
                         o->type == CRM_OPTION_TYPE_ENUM ? "a value name or number" : "a number");
    return set_value(config, option, v, err);
}

crm_status crm_config_reset(crm_config *config, int option, crm_error *err) {
    crm__error_clear(err);
    if (!config || !valid_option(option))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_config_reset: NULL configuration or unknown option %d", option);
    if (option == CRM_OPTION_AS_OF) config->as_of_set = 0;
    config->opt[option] = options[option].def;
    return CRM_STATUS_OK;
}

crm_status crm_config_get_int(const crm_config *config, int option, int64_t *value, crm_error *err) {
    crm__error_clear(err);
    if (!config || !valid_option(option) || !value)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_config_get_int: NULL argument or unknown option %d", option);
    if (options[option].type == CRM_OPTION_TYPE_REAL)
        return crm__fail(err, CRM_STATUS_WRONG_TYPE, "option %s is real: use crm_config_get_real",
                         options[option].name);
    if (option == CRM_OPTION_AS_OF)
        *value = config->as_of_set ? config->as_of : INT64_MIN;
    else
        *value = (int64_t)config->opt[option];
    return CRM_STATUS_OK;
}

crm_status crm_config_get_real(const crm_config *config, int option, double *value, crm_error *err) {
    crm__error_clear(err);
    if (!config || !valid_option(option) || !value)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_config_get_real: NULL argument or unknown option %d", option);
    if (option == CRM_OPTION_AS_OF)
        *value = config->as_of_set ? (double)config->as_of : NAN;
    else
        *value = config->opt[option];
    return CRM_STATUS_OK;
}

const char *crm__option_name(int option) { return valid_option(option) ? options[option].name : NULL; }
int crm_option_type_of(int option) { return valid_option(option) ? options[option].type : 0; }
int crm_option_enum(int option) {
    return valid_option(option) && options[option].type == CRM_OPTION_TYPE_ENUM ? options[option].enumeration
                                                                                : CRM_ENUM_NONE;
}

crm_status crm_option_bounds(int option, double *min, double *max, crm_error *err) {
    crm__error_clear(err);
    if (!valid_option(option))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "unknown option %d", option);
    if (min) *min = options[option].min;
    if (max) *max = options[option].max;
    return CRM_STATUS_OK;
}

crm_status crm_option_default(int option, double *value, crm_error *err) {
    crm__error_clear(err);
    if (!valid_option(option))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "unknown option %d", option);
    if (value) *value = option == CRM_OPTION_AS_OF ? NAN : options[option].def;
    return CRM_STATUS_OK;
}

/* Options whose values must keep an order between them; checked when an
 * analysis starts, since they are set one at a time. */
crm_status crm__config_validate(const crm_config *c, crm_error *err) {
    static const struct {
        crm_option low, high;
    } pairs[] = {
        {CRM_OPTION_KEY_SHARE, CRM_OPTION_MAJOR_SHARE},
        {CRM_OPTION_MAJOR_SHARE, CRM_OPTION_REGULAR_SHARE},
        {CRM_OPTION_HEAD_FRACTION, CRM_OPTION_WAIST_FRACTION},
        {CRM_OPTION_GROWTH_TENURE_DAYS, CRM_OPTION_STRATEGIC_TENURE_DAYS},
        {CRM_OPTION_AT_RISK_MIN_DAYS, CRM_OPTION_AT_RISK_MAX_DAYS},
        {CRM_OPTION_LAPSED_MIN_DAYS, CRM_OPTION_LAPSED_MAX_DAYS},
        {CRM_OPTION_HEALTH_RED_BELOW, CRM_OPTION_HEALTH_GREEN_ABOVE},
        {CRM_OPTION_RISK_P_ALIVE_HIGH, CRM_OPTION_RISK_P_ALIVE_MEDIUM},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (c->opt[pairs[i].low] > c->opt[pairs[i].high])
            return crm__fail(err, CRM_STATUS_BAD_OPTION, "option %s (%g) must not exceed %s (%g)",
                             options[pairs[i].low].name, c->opt[pairs[i].low], options[pairs[i].high].name,
                             c->opt[pairs[i].high]);
    return CRM_STATUS_OK;
}

/* ---- caller cut points ---- */

crm_status crm_config_set_cut_points(crm_config *config, int dim, const double *thresholds, size_t n,
                                     crm_error *err) {
    crm__error_clear(err);
    if (!config || dim < CRM_DIM_R || dim > CRM_DIM_M || (n > 0 && !thresholds))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_config_set_cut_points: NULL argument or bad dimension");
    if (n > 9)
        return crm__fail(err, CRM_STATUS_BAD_RULES, "cut points: %zu thresholds, at most 9 (rfm_bins <= 10)",
                         n);
    for (size_t i = 0; i < n; i++) {
        if (isnan(thresholds[i]))
            return crm__fail(err, CRM_STATUS_BAD_RULES, "cut points: threshold %zu is NaN", i);
        if (i > 0) {
            int bad =
                dim == CRM_DIM_R ? thresholds[i] > thresholds[i - 1] : thresholds[i] < thresholds[i - 1];
            if (bad)
                return crm__fail(err, CRM_STATUS_BAD_RULES,
                                 "cut points: threshold %zu (%g) is out of order: %s", i, thresholds[i],
                                 dim == CRM_DIM_R ? "recency thresholds must not increase"
                                                  : "thresholds must not decrease");
        }
    }
    double *copy = NULL;
    if (n) {
        copy = crm__calloc(&config->allocator, n, sizeof *copy);
        if (!copy) return crm__nomem(err);
        memcpy(copy, thresholds, n * sizeof *copy);
    }
    crm__free(&config->allocator, config->cuts[dim]);
    config->cuts[dim] = copy;
    config->ncuts[dim] = n;
    return CRM_STATUS_OK;
}

/* ---- segment rules ---- */

crm_status crm_config_set_segment_rules(crm_config *config, const crm_segment_rule *rules, size_t n,
                                        crm_error *err) {
    crm__error_clear(err);
    if (!config || (n > 0 && !rules))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_config_set_segment_rules: NULL argument");
    if (n > 1000) return crm__fail(err, CRM_STATUS_BAD_RULES, "segment rules: %zu rules, at most 1000", n);
    for (size_t i = 0; i < n; i++)
        if (!rules[i].name || !rules[i].name[0])
            return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "segment rule %zu has no name", i);
    crm__rule *copy = NULL;
    if (n) {
        copy = crm__calloc(&config->allocator, n, sizeof *copy);
        if (!copy) return crm__nomem(err);
        for (size_t i = 0; i < n; i++) {
            copy[i].name = crm__strdup(&config->allocator, rules[i].name);
            if (!copy[i].name) {
                for (size_t j = 0; j < i; j++) crm__free(&config->allocator, copy[j].name);
                crm__free(&config->allocator, copy);
                return crm__nomem(err);
            }
            copy[i].r_min = rules[i].r_min;
            copy[i].r_max = rules[i].r_max;
            copy[i].f_min = rules[i].f_min;
            copy[i].f_max = rules[i].f_max;
            copy[i].m_min = rules[i].m_min;
            copy[i].m_max = rules[i].m_max;
        }
        int32_t *table = NULL;
        crm_status st = crm__segment_table(&config->allocator, copy, n, (int)config->opt[CRM_OPTION_RFM_BINS],
                                           &table, err);
        crm__free(&config->allocator, table);
        if (st != CRM_STATUS_OK) {
            for (size_t j = 0; j < n; j++) crm__free(&config->allocator, copy[j].name);
            crm__free(&config->allocator, copy);
            return st;
        }
    }
    for (size_t i = 0; i < config->nrules; i++) crm__free(&config->allocator, config->rules[i].name);
    crm__free(&config->allocator, config->rules);
    config->rules = copy;
    config->nrules = n;
    return CRM_STATUS_OK;
}

crm_status crm_config_set_runner(crm_config *config, const crm_runner *runner, crm_error *err) {
    crm__error_clear(err);
    if (!config) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_config_set_runner: config is NULL");
    if (runner && (!runner->run || runner->workers == 0))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_config_set_runner: a runner needs a run function and at least one worker");
    if (runner)
        config->runner = *runner;
    else
        memset(&config->runner, 0, sizeof config->runner);
    return CRM_STATUS_OK;
}

crm_status crm__report_stage(const crm_config *c, int phase, int64_t done, const char *who, crm_error *err) {
    if (c == NULL || !crm__progress(c, phase, done, 3)) return CRM_STATUS_OK;
    return crm__fail(err, CRM_STATUS_CANCELLED, "%s: cancelled by the progress callback", who);
}

crm_status crm_config_set_progress(crm_config *config, crm_progress_fn fn, void *opaque, crm_error *err) {
    crm__error_clear(err);
    if (!config)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_config_set_progress: config is NULL");
    config->progress = fn;
    config->progress_opaque = fn ? opaque : NULL;
    return CRM_STATUS_OK;
}

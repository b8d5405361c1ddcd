/* codec.c - crm_state_save and crm_state_load: the state as versioned,
 * checksummed bytes, little-endian on every machine.
 *
 *   header  "CRMSTATE" | version u32 | flags u32 (0) | payload length u64 |
 *           FNV-1a 64 of the payload u64
 *   payload fate count F; rejected[input 1..3][fate 0..F-1] and totals[1..3];
 *           day_offset, survey_scale_max; flags (cost, discount, purpose,
 *           extra columns); latest time; next interaction number;
 *           transactions, interactions, attributes, each a count then the
 *           records in their sorted order; version 2 only: the kept fit,
 *           its as-of time, a count, then per model its kind and the
 *           length and bytes of crm_model_save (version 1 is written when
 *           no fit is kept, so older libraries read those states).
 * Integers are LEB128 varints (signed ones zigzag-coded); customer ids are
 * deltas from the previous record's id, days and times deltas from the
 * previous record of the same customer (records run in time order). Doubles
 * are their 8 IEEE-754 bytes. Loading checks every field as validation
 * would have, and the order, so that no byte string gives a state the rest
 * of the library could not take. */
#include "state/state.h"

#include "core/bytes.h"
#include "models/models.h"

#include <math.h>

static void write_payload(const crm_state_handle *s, crm__writer *w) {
    crm__put_varint(w, CRM__FATE_COUNT);
    for (int in = CRM_INPUT_TRANSACTIONS; in <= CRM_INPUT_CUSTOMERS; in++) {
        for (int f = 0; f < CRM__FATE_COUNT; f++) crm__put_varint(w, (uint64_t)s->rejected[in][f]);
        crm__put_varint(w, (uint64_t)s->totals[in]);
    }
    crm__put_signed(w, crm__opt_int(&s->config, CRM_OPTION_DAY_OFFSET));
    crm__put_f64(w, crm__opt(&s->config, CRM_OPTION_SURVEY_SCALE_MAX));
    int extra = s->extra != NULL;
    crm__put_varint(w, (uint64_t)(s->has_cost | s->has_discount << 1 | s->has_purpose << 2 | extra << 3));
    crm__put_signed(w, s->latest);
    crm__put_varint(w, (uint64_t)s->next_index);
    crm__put_varint(w, s->ntx);
    uint64_t id = 0;
    for (size_t i = 0; i < s->ntx; i++) {
        const crm__txrec *r = &s->tx[i];
        int same = i > 0 && r->id == id;
        crm__put_varint(w, r->id - id);
        if (same)
            crm__put_varint(w, (uint64_t)((int64_t)r->day - s->tx[i - 1].day));
        else
            crm__put_signed(w, r->day);
        id = r->id;
        crm__put_f64(w, r->amount);
        if (extra) {
            crm__put_f64(w, s->extra[r->extra].cost);
            crm__put_f64(w, s->extra[r->extra].discount);
        }
    }
    crm__put_varint(w, s->nix);
    id = 0;
    for (size_t i = 0; i < s->nix; i++) {
        const crm__ixrec *r = &s->ix[i];
        int same = i > 0 && r->id == id;
        crm__put_varint(w, r->id - id);
        if (same)
            crm__put_varint(w, (uint64_t)(r->time - s->ix[i - 1].time));
        else
            crm__put_signed(w, r->time);
        id = r->id;
        crm__put_varint(w, (uint64_t)r->kind);
        crm__put_varint(w, (uint64_t)r->purpose);
        crm__put_varint(w, r->ref);
        crm__put_f64(w, r->value);
        crm__put_varint(w, (uint64_t)r->index);
    }
    crm__put_varint(w, s->nat);
    id = 0;
    for (size_t i = 0; i < s->nat; i++) {
        const crm__attrs *r = &s->at[i];
        crm__put_varint(w, r->id - id);
        id = r->id;
        crm__put_signed(w, r->birthday);
        crm__put_signed(w, r->relationship_start);
        crm__put_signed(w, r->money);
        crm__put_signed(w, r->authority);
        crm__put_signed(w, r->need);
        crm__put_signed(w, r->targeted);
    }
    if (s->fitted_at == INT64_MIN) return;
    crm__put_signed(w, s->fitted_at);
    uint64_t kept = 0;
    for (int k = 0; k < CRM__GIVEN_MODELS; k++) kept += s->kept_size[k] > 0;
    crm__put_varint(w, kept);
    for (int k = 0; k < CRM__GIVEN_MODELS; k++) {
        if (!s->kept_size[k]) continue;
        crm__put_varint(w, (uint64_t)k);
        crm__put_varint(w, s->kept_size[k]);
        crm__put_bytes(w, s->kept[k], s->kept_size[k]);
    }
}

crm_status crm_state_save(const crm_state_handle *s, void *buffer, size_t capacity, size_t *size,
                          crm_error *err) {
    crm__error_clear(err);
    if (!s || !size || (!buffer && capacity > 0))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_state_save: state or size is NULL, or buffer NULL with a capacity");
    crm__writer w = {NULL, 0};
    write_payload(s, &w);
    size_t payload = w.n;
    *size = CRM__STATE_HEADER + payload;
    if (!buffer) return CRM_STATUS_OK;
    if (capacity < *size)
        return crm__fail(err, CRM_STATUS_SHORT_BUFFER,
                         "crm_state_save: the state needs %zu bytes, the buffer has %zu", *size, capacity);
    unsigned char *out = buffer;
    w.out = out + CRM__STATE_HEADER;
    w.n = 0;
    write_payload(s, &w);
    crm__writer h = {out, 0};
    memcpy(out, CRM__STATE_MAGIC, 8);
    h.n = 8;
    crm__put_fixed(&h, s->fitted_at == INT64_MIN ? 1 : CRM__STATE_VERSION, 4);
    crm__put_fixed(&h, 0, 4);
    crm__put_fixed(&h, payload, 8);
    crm__put_fixed(&h, crm__fnv1a64(out + CRM__STATE_HEADER, payload), 8);
    return CRM_STATUS_OK;
}

static int32_t get_i32(crm__reader *r) {
    int64_t v = crm__get_signed(r);
    if (v < INT32_MIN || v > INT32_MAX) r->bad = 1;
    return r->bad ? 0 : (int32_t)v;
}

static int amount_ok(double v) { return isfinite(v) && fabs(v) <= CRM_AMOUNT_MAX; }

static int read_transactions(crm_state_handle *s, crm__reader *r, int extra) {
    const crm_allocator *a = &s->allocator;
    size_t n = crm__get_count(r, extra ? 26 : 10);
    if (r->bad) return 0;
    if (crm__state_grow(a, (void **)&s->tx, &s->cap_tx, 0, n, sizeof *s->tx) != CRM_STATUS_OK) return -1;
    if (extra &&
        crm__state_grow(a, (void **)&s->extra, &s->cap_extra, 0, n, sizeof *s->extra) != CRM_STATUS_OK)
        return -1;
    uint64_t id = 0;
    for (size_t i = 0; i < n && !r->bad; i++) {
        crm__txrec *t = &s->tx[i];
        uint64_t delta = crm__get_varint(r);
        if (delta > UINT64_MAX - id) return 0;
        int same = i > 0 && delta == 0;
        id += delta;
        int64_t day = same ? (int64_t)s->tx[i - 1].day + (int64_t)(crm__get_varint(r) & 0xffffffffu)
                           : crm__get_signed(r);
        if (day < CRM_TIME_MIN_DAYS || day > CRM_TIME_MAX_DAYS) return 0;
        t->id = id;
        t->day = (int32_t)day;
        t->amount = crm__get_f64(r);
        t->extra = (uint32_t)i;
        if (!amount_ok(t->amount)) return 0;
        if (extra) {
            crm__txextra *e = &s->extra[i];
            e->cost = crm__get_f64(r);
            e->discount = crm__get_f64(r);
            if ((!isnan(e->cost) && !amount_ok(e->cost)) || !amount_ok(e->discount) || e->discount < 0)
                return 0;
        }
        if (i > 0 && crm__cmp_txrec(&s->tx[i - 1], t) > 0) return 0;
        if (r->bad) return 0;
    }
    s->ntx = n;
    if (extra) s->nextra = n;
    return !r->bad;
}

static int read_interactions(crm_state_handle *s, crm__reader *r) {
    const crm_allocator *a = &s->allocator;
    size_t n = crm__get_count(r, 14);
    if (r->bad) return 0;
    if (crm__state_grow(a, (void **)&s->ix, &s->cap_ix, 0, n, sizeof *s->ix) != CRM_STATUS_OK) return -1;
    int64_t offset = crm__opt_int(&s->config, CRM_OPTION_DAY_OFFSET);
    double survey_max = crm__opt(&s->config, CRM_OPTION_SURVEY_SCALE_MAX);
    uint64_t id = 0;
    for (size_t i = 0; i < n && !r->bad; i++) {
        crm__ixrec *x = &s->ix[i];
        memset(x, 0, sizeof *x);
        uint64_t delta = crm__get_varint(r);
        if (delta > UINT64_MAX - id) return 0;
        int same = i > 0 && delta == 0;
        id += delta;
        int64_t time;
        if (same) {
            uint64_t d = crm__get_varint(r);
            if (d > (uint64_t)(CRM_TIME_MAX - s->ix[i - 1].time)) return 0;
            time = s->ix[i - 1].time + (int64_t)d;
        } else {
            time = crm__get_signed(r);
        }
        if (time < CRM_TIME_MIN || time > CRM_TIME_MAX) return 0;
        uint64_t kind = crm__get_varint(r), purpose = crm__get_varint(r);
        x->id = id;
        x->time = time;
        x->day = crm__day_of(time, offset);
        x->ref = crm__get_varint(r);
        x->value = crm__get_f64(r);
        x->index = (int64_t)crm__get_varint(r);
        if (kind < 1 || kind >= CRM__KIND_COUNT || purpose > CRM_PURPOSE_ACTION || !isfinite(x->value))
            return 0;
        x->kind = (int32_t)kind;
        x->purpose = (int32_t)purpose;
        if (x->kind == CRM_KIND_SURVEY && (x->value < 0 || x->value > survey_max)) return 0;
        if (x->kind == CRM_KIND_COMPLAINT && x->value != 0 && x->value != 1) return 0;
        if (x->index < 0 || x->index >= s->next_index) return 0;
        if (i > 0 && crm__cmp_ixrec(&s->ix[i - 1], x) > 0) return 0;
        if (r->bad) return 0;
    }
    s->nix = n;
    return !r->bad;
}

static int read_attrs(crm_state_handle *s, crm__reader *r) {
    size_t n = crm__get_count(r, 7);
    if (r->bad) return 0;
    if (crm__state_grow(&s->allocator, (void **)&s->at, &s->cap_at, 0, n, sizeof *s->at) != CRM_STATUS_OK)
        return -1;
    uint64_t id = 0;
    for (size_t i = 0; i < n && !r->bad; i++) {
        crm__attrs *x = &s->at[i];
        uint64_t delta = crm__get_varint(r);
        if ((i > 0 && delta == 0) || delta > UINT64_MAX - id) return 0;
        id += delta;
        x->id = id;
        x->birthday = get_i32(r);
        x->relationship_start = get_i32(r);
        x->money = get_i32(r);
        x->authority = get_i32(r);
        x->need = get_i32(r);
        x->targeted = get_i32(r);
    }
    s->nat = n;
    return !r->bad;
}

/* The kept fit of a version 2 payload, as crm_state_fit leaves it: one or
 * two models (at most one purchase model, and Gamma-Gamma), each as
 * crm_model_load reads it (checksummed on its own), of the kind it is
 * stored under, usable (fitted, converged or not: finite parameters).
 * 1 read, 0 corrupt, -1 out of memory, 2 a model of a newer format. */
static int read_kept(crm_state_handle *s, crm__reader *r) {
    s->fitted_at = crm__get_signed(r);
    uint64_t n = crm__get_varint(r);
    if (r->bad || s->fitted_at < CRM_TIME_MIN || s->fitted_at > CRM_TIME_MAX || n == 0 || n > 2) return 0;
    int purchase = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t kind = crm__get_varint(r), size = crm__get_varint(r);
        if (r->bad || kind < CRM_MODEL_KIND_BGNBD || kind >= CRM__GIVEN_MODELS || s->kept_size[kind] ||
            size == 0 || size > r->n - r->at)
            return 0;
        if (kind != CRM_MODEL_KIND_GAMMA_GAMMA && purchase++) return 0;
        crm_model *m = NULL;
        crm_status st = crm_model_load(&s->config, r->p + r->at, (size_t)size, &m, NULL);
        if (st == CRM_STATUS_NO_MEMORY) return -1;
        if (st == CRM_STATUS_VERSION) return 2;
        const int ok = st == CRM_STATUS_OK && crm_model_kind_of(m) == (int)kind && crm__model_usable(m);
        if (ok) s->kept_unit[kind] = crm_model_time_unit_days(m);
        crm_model_free(m);
        if (!ok) return 0;
        s->kept[kind] = crm__alloc(&s->allocator, (size_t)size);
        if (!s->kept[kind]) return -1;
        memcpy(s->kept[kind], r->p + r->at, (size_t)size);
        s->kept_size[kind] = (size_t)size;
        r->at += (size_t)size;
    }
    return 1;
}

static crm_status corrupt(crm_error *err, const char *what) {
    return crm__fail(err, CRM_STATUS_CORRUPT, "crm_state_load: %s", what);
}

/* The record account against the kept records: no accepted count stored
 * (those are counted when a result is made), and every record given either
 * kept or counted under a fate (attributes replaced by a later record of
 * their customer under CRM_FATE_REPLACED), as crm_state_add leaves it. */
static int account_ok(const crm_state_handle *s) {
    const uint64_t kept[CRM__INPUT_COUNT] = {0, (uint64_t)s->ntx, (uint64_t)s->nix, (uint64_t)s->nat};
    for (int in = CRM_INPUT_TRANSACTIONS; in <= CRM_INPUT_CUSTOMERS; in++) {
        if (s->rejected[in][CRM_FATE_ACCEPTED] != 0) return 0;
        uint64_t total = (uint64_t)s->totals[in], sum = kept[in];
        if (sum > total) return 0;
        for (int f = 1; f < CRM__FATE_COUNT; f++) {
            if ((uint64_t)s->rejected[in][f] > total - sum) return 0; /* also keeps sum <= total */
            sum += (uint64_t)s->rejected[in][f];
        }
        if (sum != total) return 0;
    }
    return s->next_index == s->totals[CRM_INPUT_INTERACTIONS];
}

/* The payload into an empty state: 1 done, 0 corrupt, -1 out of memory. */
static int read_payload(crm_state_handle *s, crm__reader *r, uint64_t version, crm_error *err,
                        crm_status *st) {
    uint64_t fates = crm__get_varint(r);
    if (r->bad || fates == 0 || fates > CRM__FATE_COUNT) {
        *st = corrupt(err, "bad count of record fates");
        return 0;
    }
    for (int in = CRM_INPUT_TRANSACTIONS; in <= CRM_INPUT_CUSTOMERS; in++) {
        for (uint64_t f = 0; f < fates; f++) {
            uint64_t v = crm__get_varint(r);
            if (v > INT64_MAX) r->bad = 1;
            s->rejected[in][f] = (int64_t)v;
        }
        uint64_t v = crm__get_varint(r);
        if (v > INT64_MAX) r->bad = 1;
        s->totals[in] = (int64_t)v;
    }
    int64_t offset = crm__get_signed(r);
    double survey_max = crm__get_f64(r);
    uint64_t flags = crm__get_varint(r);
    s->latest = crm__get_signed(r);
    uint64_t next = crm__get_varint(r);
    if (r->bad || flags > 15 || next > INT64_MAX ||
        (s->latest != INT64_MIN && (s->latest < CRM_TIME_MIN || s->latest > CRM_TIME_MAX))) {
        *st = corrupt(err, "bad header fields of the payload");
        return 0;
    }
    if (offset != crm__opt_int(&s->config, CRM_OPTION_DAY_OFFSET) ||
        survey_max != crm__opt(&s->config, CRM_OPTION_SURVEY_SCALE_MAX)) {
        *st = crm__fail(err, CRM_STATUS_MISMATCH,
                        "crm_state_load: the state was stored with day_offset %lld and survey_scale_max %g, "
                        "the configuration has %lld and %g",
                        (long long)offset, survey_max,
                        (long long)crm__opt_int(&s->config, CRM_OPTION_DAY_OFFSET),
                        crm__opt(&s->config, CRM_OPTION_SURVEY_SCALE_MAX));
        return 0;
    }
    s->has_cost = (int)(flags & 1);
    s->has_discount = (int)(flags >> 1 & 1);
    s->has_purpose = (int)(flags >> 2 & 1);
    s->next_index = (int64_t)next;
    int ok = read_transactions(s, r, (int)(flags >> 3 & 1));
    if (ok == 1) ok = read_interactions(s, r);
    if (ok == 1) ok = read_attrs(s, r);
    if (ok == 1 && version >= 2) ok = read_kept(s, r);
    if (ok < 0) {
        *st = crm__nomem(err);
        return -1;
    }
    if (ok == 2) {
        *st = crm__fail(err, CRM_STATUS_VERSION,
                        "crm_state_load: a kept model is in a newer format than this library reads");
        return 0;
    }
    if (ok == 1 && r->at != r->n) ok = 0;
    if (ok == 1) { /* latest: no kept record later */
        int64_t offset_days = crm__opt_int(&s->config, CRM_OPTION_DAY_OFFSET);
        for (size_t i = 0; ok && i < s->ntx; i++)
            if (s->latest == INT64_MIN || s->tx[i].day > crm__day_of(s->latest, offset_days)) ok = 0;
        for (size_t i = 0; ok && i < s->nix; i++)
            if (s->ix[i].time > s->latest) ok = 0;
        if (s->ntx + s->nix == 0 && s->latest != INT64_MIN) ok = 0;
    }
    if (ok == 1) ok = account_ok(s);
    if (ok != 1) {
        *st = corrupt(err, "the records are not a valid state (out of range, out of order, truncated, or an "
                           "account that does not add up)");
        return 0;
    }
    return 1;
}

crm_status crm_state_load(const crm_config *config, const void *bytes, size_t size, crm_state_handle **out,
                          crm_error *err) {
    crm__error_clear(err);
    if (!out || (!bytes && size > 0))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_state_load: out or bytes is NULL");
    *out = NULL;
    const unsigned char *p = bytes;
    if (size < 8 || memcmp(p, CRM__STATE_MAGIC, 8) != 0)
        return corrupt(err, "not a crmkit state (no CRMSTATE magic)");
    if (size < CRM__STATE_HEADER) return corrupt(err, "truncated header");
    uint64_t version = crm__get_fixed(p + 8, 4), flags = crm__get_fixed(p + 12, 4);
    uint64_t length = crm__get_fixed(p + 16, 8), sum = crm__get_fixed(p + 24, 8);
    if (version > CRM__STATE_VERSION)
        return crm__fail(err, CRM_STATUS_VERSION,
                         "crm_state_load: format version %llu is newer than this library's (%u)",
                         (unsigned long long)version, CRM__STATE_VERSION);
    if (version == 0 || flags != 0) return corrupt(err, "bad version or flags");
    if (length != size - CRM__STATE_HEADER)
        return crm__fail(err, CRM_STATUS_CORRUPT,
                         "crm_state_load: the payload should have %llu bytes, there are %zu",
                         (unsigned long long)length, size - CRM__STATE_HEADER);
    if (crm__fnv1a64(p + CRM__STATE_HEADER, (size_t)length) != sum) return corrupt(err, "checksum mismatch");
    crm_state_handle *s = NULL;
    crm_status st = crm__state_new(config, &s, err);
    if (st != CRM_STATUS_OK) return st;
    crm__reader r = {p + CRM__STATE_HEADER, (size_t)length, 0, 0};
    if (read_payload(s, &r, version, err, &st) != 1) {
        crm_state_free(s);
        return st;
    }
    *out = s;
    return CRM_STATUS_OK;
}

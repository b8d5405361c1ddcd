/* bytes.c - crm_population_save, crm_population_load and
 * crm_population_merge: a population (a partition's contribution before
 * crm_population_finish, or the finished statistics) as versioned,
 * checksummed bytes, little-endian on every machine.
 *
 *   header  "CRMPOPUL" | version u32 | flags u32 (0) | payload length u64 |
 *           FNV-1a 64 of the payload u64
 *   payload flags (finished, interactions, contacts, cost, as-of known);
 *           digest of the configuration (u64, crm__config_digest); as-of; customers; fingerprints of the
 * summaries added (u64 each); unfinished: customer ids; the repeat customers' median intervals, now and
 * previous; the gathered columns r, f, m, activity, engagement, profit as (order key u64, id) pairs; the
 * model inputs (x, t_x, T, repeat_spend, avg_spend); finished: the ranked columns r, f, m, activity,
 * engagement, profit (count, their sorted pairs when scoring needs positions, the distinct values and the
 * counts below each); the suffix sums of positive monetary; the expected intervals; the cut points; each
 *           model slot as its crm_model_save bytes (size 0: none).
 * Integers are LEB128 varints (signed ones zigzag-coded), doubles their 8
 * IEEE-754 bytes (core/bytes.h). The segment table is rebuilt from the
 * configuration on loading. */
#include "population/population.h"

#include "core/bytes.h"

#include <math.h>
#include <string.h>

#define MAGIC   "CRMPOPUL"
#define VERSION 1u
#define HEADER  32 /* magic 8, version 4, flags 4, length 8, checksum 8 */

enum { F_FINISHED = 1, F_INTERACTIONS = 2, F_CONTACTS = 4, F_COST = 8, F_AS_OF = 16 };

static crm__vec *gathered_of(crm_population *p, int k) {
    crm__vec *g[6] = {&p->r, &p->f, &p->m, &p->activity, &p->engagement, &p->profit};
    return g[k];
}
static crm__ranked *ranked_of(crm_population *p, int k) {
    crm__ranked *r[6] = {&p->rr, &p->rf, &p->rm, &p->ractivity, &p->rengagement, &p->rprofit};
    return r[k];
}

static const crm__vec *cgathered_of(const crm_population *p, int k) {
    const crm__vec *g[6] = {&p->r, &p->f, &p->m, &p->activity, &p->engagement, &p->profit};
    return g[k];
}
static const crm__ranked *cranked_of(const crm_population *p, int k) {
    const crm__ranked *r[6] = {&p->rr, &p->rf, &p->rm, &p->ractivity, &p->rengagement, &p->rprofit};
    return r[k];
}

/* ---- writing ---- */

static void put_pairs(crm__writer *w, const crm__pair *v, size_t n) {
    for (size_t i = 0; i < n; i++) {
        crm__put_fixed(w, v[i].key, 8);
        crm__put_varint(w, v[i].val);
    }
}

static void put_doubles(crm__writer *w, const crm__vec *v) {
    const double *d = v->data;
    crm__put_varint(w, v->len);
    for (size_t i = 0; i < v->len; i++) crm__put_f64(w, d[i]);
}

static void write_payload(const crm_population *p, crm__writer *w) {
    crm__put_varint(w,
                    (uint64_t)((p->finished ? F_FINISHED : 0) | (p->has_interactions ? F_INTERACTIONS : 0) |
                               (p->has_contacts ? F_CONTACTS : 0) | (p->has_cost ? F_COST : 0) |
                               (p->have_as_of ? F_AS_OF : 0)));
    crm__put_fixed(w, crm__config_digest(&p->config), 8);
    crm__put_signed(w, p->as_of);
    crm__put_varint(w, p->customers);
    const uint64_t *added = p->added.data;
    crm__put_varint(w, p->added.len);
    for (size_t i = 0; i < p->added.len; i++) crm__put_fixed(w, added[i], 8);
    if (!p->finished) {
        const uint64_t *ids = p->ids.data;
        crm__put_varint(w, p->ids.len);
        for (size_t i = 0; i < p->ids.len; i++) crm__put_varint(w, ids[i]);
        put_doubles(w, &p->intervals);
        put_doubles(w, &p->prev_intervals);
        for (int k = 0; k < 6; k++) {
            const crm__vec *g = cgathered_of(p, k);
            crm__put_varint(w, g->len);
            put_pairs(w, g->data, g->len);
        }
        const crm__model_input *mi = p->model_inputs.data;
        crm__put_varint(w, p->model_inputs.len);
        for (size_t i = 0; i < p->model_inputs.len; i++) {
            crm__put_f64(w, mi[i].x);
            crm__put_f64(w, mi[i].t_x);
            crm__put_f64(w, mi[i].T);
            crm__put_f64(w, mi[i].repeat_spend);
            crm__put_f64(w, mi[i].avg_spend);
        }
        return;
    }
    for (int k = 0; k < 6; k++) {
        const crm__ranked *c = cranked_of(p, k);
        crm__put_varint(w, c->n);
        crm__put_varint(w, c->v != NULL);
        if (c->v) put_pairs(w, c->v, c->n);
        crm__put_varint(w, c->ndistinct);
        for (size_t j = 0; j < c->ndistinct; j++) crm__put_f64(w, c->distinct[j]);
        for (size_t j = 0; j <= c->ndistinct; j++) crm__put_varint(w, c->below[j]);
    }
    for (size_t i = 0; i <= p->rm.n; i++) crm__put_f64(w, p->positive_above[i]);
    crm__put_f64(w, p->expected_interval);
    crm__put_f64(w, p->prev_expected_interval);
    for (int d = 0; d < 3; d++)
        for (int j = 0; j < 9; j++) crm__put_f64(w, p->cuts[d][j]);
    for (int k = 0; k < CRM__MODEL_SLOTS; k++) {
        size_t size = 0;
        if (p->models[k]) crm_model_save(p->models[k], NULL, 0, &size, NULL);
        crm__put_varint(w, size);
        if (size && w->out) crm_model_save(p->models[k], w->out + w->n, size, &size, NULL);
        w->n += size;
    }
}

crm_status crm_population_save(const crm_population *population, void *buffer, size_t capacity, size_t *size,
                               crm_error *err) {
    crm__error_clear(err);
    if (!population || !size || (!buffer && capacity > 0))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_population_save: population or size is NULL, or buffer NULL with a capacity");
    const crm_population *p = population;
    crm__writer w = {NULL, 0};
    write_payload(p, &w);
    size_t payload = w.n;
    *size = HEADER + payload;
    if (!buffer) return CRM_STATUS_OK;
    if (capacity < *size)
        return crm__fail(err, CRM_STATUS_SHORT_BUFFER,
                         "crm_population_save: the population needs %zu bytes, the buffer has %zu", *size,
                         capacity);
    unsigned char *out = buffer;
    w.out = out + HEADER;
    w.n = 0;
    write_payload(p, &w);
    crm__writer h = {out, 0};
    memcpy(out, MAGIC, 8);
    h.n = 8;
    crm__put_fixed(&h, VERSION, 4);
    crm__put_fixed(&h, 0, 4);
    crm__put_fixed(&h, payload, 8);
    crm__put_fixed(&h, crm__fnv1a64(out + HEADER, payload), 8);
    return CRM_STATUS_OK;
}

/* ---- reading: 1 done, 0 corrupt, -1 out of memory ---- */

static int get_pairs(const crm_allocator *a, crm__reader *r, crm__vec *v, size_t n) {
    if (crm__vec_reserve(a, v, n) != CRM_STATUS_OK) return -1;
    crm__pair *out = v->data;
    for (size_t i = 0; i < n && !r->bad; i++) {
        if (r->n - r->at < 8) return 0;
        out[i].key = crm__get_fixed(r->p + r->at, 8);
        r->at += 8;
        out[i].val = crm__get_varint(r);
    }
    v->len = n;
    return !r->bad;
}

static int get_doubles(const crm_allocator *a, crm__reader *r, crm__vec *v) {
    size_t n = crm__get_count(r, 8);
    if (r->bad) return 0;
    if (crm__vec_reserve(a, v, n) != CRM_STATUS_OK) return -1;
    double *d = v->data;
    for (size_t i = 0; i < n; i++) d[i] = crm__get_f64(r);
    v->len = n;
    return !r->bad;
}

static int read_unfinished(crm_population *p, crm__reader *r) {
    const crm_allocator *a = &p->allocator;
    size_t n = crm__get_count(r, 1);
    if (r->bad) return 0;
    if (crm__vec_reserve(a, &p->ids, n) != CRM_STATUS_OK) return -1;
    uint64_t *ids = p->ids.data;
    for (size_t i = 0; i < n; i++) ids[i] = crm__get_varint(r);
    p->ids.len = n;
    if (r->bad || n != p->customers) return 0;
    int ok = get_doubles(a, r, &p->intervals);
    if (ok == 1) ok = get_doubles(a, r, &p->prev_intervals);
    for (int k = 0; k < 6 && ok == 1; k++) {
        size_t m = crm__get_count(r, 9);
        ok = r->bad ? 0 : get_pairs(a, r, gathered_of(p, k), m);
    }
    if (ok != 1) return ok;
    if (p->r.len != p->f.len || p->r.len != p->m.len || p->r.len != p->activity.len ||
        p->r.len != p->engagement.len || p->profit.len > p->r.len || p->r.len > n)
        return 0;
    size_t nm = crm__get_count(r, 40);
    if (r->bad || (nm != 0 && nm != p->r.len)) return 0;
    if (crm__vec_reserve(a, &p->model_inputs, nm) != CRM_STATUS_OK) return -1;
    crm__model_input *mi = p->model_inputs.data;
    for (size_t i = 0; i < nm; i++) {
        mi[i].x = crm__get_f64(r);
        mi[i].t_x = crm__get_f64(r);
        mi[i].T = crm__get_f64(r);
        mi[i].repeat_spend = crm__get_f64(r);
        mi[i].avg_spend = crm__get_f64(r);
    }
    p->model_inputs.len = nm;
    return !r->bad;
}

static int read_ranked(crm_population *p, crm__reader *r, int k) {
    const crm_allocator *a = &p->allocator;
    crm__ranked *c = ranked_of(p, k);
    uint64_t n = crm__get_varint(r), has_v = crm__get_varint(r);
    if (r->bad || has_v > 1 || n > p->customers || (has_v && k == 5)) return 0;
    c->n = (size_t)n;
    if (has_v) {
        if (n > (r->n - r->at) / 9) return 0;
        int ok = get_pairs(a, r, gathered_of(p, k), c->n);
        if (ok != 1) return ok;
        c->v = gathered_of(p, k)->data;
    }
    size_t nd = crm__get_count(r, 9);
    if (r->bad || nd > c->n) return 0;
    c->distinct = crm__calloc(a, nd + 1, sizeof *c->distinct);
    c->below = crm__calloc(a, nd + 1, sizeof *c->below);
    if (!c->distinct || !c->below) return -1;
    c->ndistinct = nd;
    for (size_t j = 0; j < nd; j++) c->distinct[j] = crm__get_f64(r);
    for (size_t j = 0; j <= nd; j++) c->below[j] = (size_t)crm__get_varint(r);
    if (r->bad || c->below[0] != 0 || c->below[nd] != c->n) return 0;
    for (size_t j = 0; j < nd; j++)
        if (isnan(c->distinct[j]) || (j > 0 && !(c->distinct[j - 1] < c->distinct[j])) ||
            c->below[j] >= c->below[j + 1])
            return 0;
    return 1;
}

static int read_finished(crm_population *p, crm__reader *r, crm_error *err, crm_status *st) {
    const crm_allocator *a = &p->allocator;
    for (int k = 0; k < 6; k++) {
        int ok = read_ranked(p, r, k);
        if (ok != 1) return ok;
    }
    for (int d = 0; d < 3; d++) /* ntile scores look positions up in the sorted pairs */
        if (crm__opt_int(&p->config, CRM_OPTION_TIES) == CRM_TIES_NTILE && !p->config.cuts[d] &&
            !ranked_of(p, d)->v && ranked_of(p, d)->n)
            return 0;
    if (p->rr.n != p->rm.n || p->rf.n != p->rm.n || p->ractivity.n != p->rm.n ||
        p->rengagement.n != p->rm.n || p->rprofit.n > p->rm.n || p->rm.n > p->customers ||
        p->rm.n > (r->n - r->at) / 8)
        return 0;
    p->positive_above = crm__calloc(a, p->rm.n + 1, sizeof(double));
    if (!p->positive_above) return -1;
    for (size_t i = 0; i <= p->rm.n; i++) p->positive_above[i] = crm__get_f64(r);
    p->expected_interval = crm__get_f64(r);
    p->prev_expected_interval = crm__get_f64(r);
    for (int d = 0; d < 3; d++)
        for (int j = 0; j < 9; j++) p->cuts[d][j] = crm__get_f64(r);
    for (int k = 0; k < CRM__MODEL_SLOTS && !r->bad; k++) {
        size_t size = crm__get_count(r, 1);
        if (r->bad || !size) continue;
        crm_status ms = crm_model_load(&p->config, r->p + r->at, size, &p->models[k], err);
        if (ms == CRM_STATUS_NO_MEMORY) {
            *st = ms;
            return -1;
        }
        if (ms != CRM_STATUS_OK) return 0;
        r->at += size;
    }
    if (r->bad) return 0;
    crm_status ts = crm__segment_table(a, p->config.rules, p->config.nrules,
                                       (int)crm__opt_int(&p->config, CRM_OPTION_RFM_BINS), &p->segments, err);
    if (ts != CRM_STATUS_OK) {
        *st = ts;
        return -2;
    }
    return 1;
}

static crm_status corrupt(crm_error *err, const char *what) {
    return crm__fail(err, CRM_STATUS_CORRUPT, "crm_population_load: %s", what);
}

crm_status crm_population_load(const crm_config *config, const void *bytes, size_t size, crm_population **out,
                               crm_error *err) {
    crm__error_clear(err);
    if (!out || (!bytes && size > 0))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_population_load: out or bytes is NULL");
    *out = NULL;
    const unsigned char *b = bytes;
    if (size < 8 || memcmp(b, MAGIC, 8) != 0)
        return corrupt(err, "not a crmkit population (no CRMPOPUL magic)");
    if (size < HEADER) return corrupt(err, "truncated header");
    uint64_t version = crm__get_fixed(b + 8, 4), flags = crm__get_fixed(b + 12, 4);
    uint64_t length = crm__get_fixed(b + 16, 8), sum = crm__get_fixed(b + 24, 8);
    if (version > VERSION)
        return crm__fail(err, CRM_STATUS_VERSION,
                         "crm_population_load: format version %llu is newer than this library's (%u)",
                         (unsigned long long)version, VERSION);
    if (version == 0 || flags != 0) return corrupt(err, "bad version or flags");
    if (length != size - HEADER)
        return crm__fail(err, CRM_STATUS_CORRUPT,
                         "crm_population_load: the payload should have %llu bytes, there are %zu",
                         (unsigned long long)length, size - HEADER);
    if (crm__fnv1a64(b + HEADER, (size_t)length) != sum) return corrupt(err, "checksum mismatch");
    crm_population *p = NULL;
    crm_status st = crm_population_create(config, &p, err);
    if (st != CRM_STATUS_OK) return st;
    crm__reader r = {b + HEADER, (size_t)length, 0, 0};
    uint64_t pf = crm__get_varint(&r);
    uint64_t digest = 0;
    if (!r.bad && r.n - r.at >= 8) digest = crm__get_fixed(r.p + r.at, 8);
    if (r.n - r.at < 8) {
        r.bad = 1;
        r.at = r.n;
    } else {
        r.at += 8;
    }
    p->as_of = crm__get_signed(&r);
    uint64_t customers = crm__get_varint(&r);
    size_t nadded = crm__get_count(&r, 8);
    if (!r.bad && (digest != crm__config_digest(&p->config) ||
                   (p->config.as_of_set && (pf & F_AS_OF) && p->config.as_of != p->as_of))) {
        crm_population_free(p);
        return crm__fail(err, CRM_STATUS_MISMATCH,
                         "crm_population_load: the population was saved under another configuration or as-of "
                         "time: load it with the configuration it was made with");
    }
    int ok = 0;
    if (!r.bad && pf < 32 && customers <= SIZE_MAX && (pf & F_AS_OF || !(pf & F_FINISHED))) {
        p->finished = (pf & F_FINISHED) != 0;
        p->has_interactions = (pf & F_INTERACTIONS) != 0;
        p->has_contacts = (pf & F_CONTACTS) != 0;
        p->has_cost = (pf & F_COST) != 0;
        p->have_as_of = (pf & F_AS_OF) != 0;
        p->customers = (size_t)customers;
        ok = crm__vec_reserve(&p->allocator, &p->added, nadded) == CRM_STATUS_OK ? 1 : -1;
        uint64_t *added = p->added.data;
        for (size_t i = 0; ok == 1 && i < nadded; i++, r.at += 8) added[i] = crm__get_fixed(r.p + r.at, 8);
        if (ok == 1) p->added.len = nadded;
    }
    st = CRM_STATUS_NO_MEMORY;
    if (ok == 1) ok = p->finished ? read_finished(p, &r, err, &st) : read_unfinished(p, &r);
    if (ok == 1 && r.at != r.n) ok = 0;
    if (ok != 1) {
        crm_population_free(p);
        if (ok == 0)
            return corrupt(err,
                           "the content is not a valid population (out of range, inconsistent or truncated)");
        return ok == -1 ? crm__nomem(err) : st;
    }
    *out = p;
    return CRM_STATUS_OK;
}

/* ---- merging contributions ---- */

static crm_status append(const crm_allocator *a, crm__vec *into, const crm__vec *from) {
    if (!from->len) return CRM_STATUS_OK;
    if (crm__vec_reserve(a, into, from->len) != CRM_STATUS_OK) return CRM_STATUS_NO_MEMORY;
    memcpy((char *)into->data + into->len * into->elem, from->data, from->len * from->elem);
    into->len += from->len;
    return CRM_STATUS_OK;
}

crm_status crm_population_merge(crm_population *into, const crm_population *part, crm_error *err) {
    crm__error_clear(err);
    if (!into || !part || into == part)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_population_merge: NULL or the same population twice");
    if (into->finished || part->finished)
        return crm__fail(err, CRM_STATUS_STATE, "crm_population_merge: a population is already finished");
    if (into->have_as_of && part->have_as_of && into->as_of != part->as_of)
        return crm__fail(err, CRM_STATUS_MISMATCH,
                         "partitions have different as-of times (%lld and %lld): set the as_of option",
                         (long long)into->as_of, (long long)part->as_of);
    crm_config ci = into->config, cp = part->config;
    ci.as_of_set = cp.as_of_set = 0;
    if (!crm__config_equal(&ci, &cp))
        return crm__fail(err, CRM_STATUS_MISMATCH,
                         "crm_population_merge: the populations have different configurations");
    const crm_allocator *a = &into->allocator;
    const crm__vec *from[] = {&part->r,          &part->f,      &part->m,           &part->activity,
                              &part->engagement, &part->profit, &part->intervals,   &part->prev_intervals,
                              &part->ids,        &part->added,  &part->model_inputs};
    crm__vec *to[] = {&into->r,          &into->f,      &into->m,           &into->activity,
                      &into->engagement, &into->profit, &into->intervals,   &into->prev_intervals,
                      &into->ids,        &into->added,  &into->model_inputs};
    /* Reserve everything first, so a failure leaves into as it was. */
    for (size_t k = 0; k < sizeof to / sizeof to[0]; k++)
        if (crm__vec_reserve(a, to[k], from[k]->len) != CRM_STATUS_OK) return crm__nomem(err);
    for (size_t k = 0; k < sizeof to / sizeof to[0]; k++) append(a, to[k], from[k]);
    into->customers += part->customers;
    if (part->have_as_of) {
        into->have_as_of = 1;
        into->as_of = part->as_of;
    }
    into->has_interactions |= part->has_interactions;
    into->has_contacts |= part->has_contacts;
    into->has_cost |= part->has_cost;
    return CRM_STATUS_OK;
}

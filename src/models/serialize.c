/* serialize.c - a model as bytes and back (crm_model_save, crm_model_load).
 *
 * Format version 1, every integer and double little-endian (doubles as
 * their IEEE 754 bit patterns), independent of the machine:
 *   0  magic "CRMMODEL" (8 bytes)
 *   8  u32 format version (1)
 *  12  u32 total size in bytes (the checksum included)
 *  16  i32 kind, i32 status, u32 parameter count, u32 limits
 *  32  i32 converged, u32 message length m (< 240)
 *  40  i64 iterations
 *  48  f64 log-likelihood, f64 nobs, f64 time_unit_days (NaN: unknown)
 *  72  f64 parameters[4], f64 standard errors[4] (unused slots NaN)
 * 136  the message, m bytes (no terminator)
 * 136 + m  u32 CRC-32 (IEEE 802.3, as zlib's crc32) of the bytes before it.
 * A reader checks the size before it reads anything, so no byte past the
 * end of the caller's buffer is ever read. */
#include "models/models.h"

#include <math.h>
#include <string.h>

#define FORMAT_VERSION 1u
#define HEADER_SIZE    136u
static const unsigned char magic[8] = {'C', 'R', 'M', 'M', 'O', 'D', 'E', 'L'};

static uint32_t crc32_of(const unsigned char *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
}

static void put_u32(unsigned char *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static void put_u64(unsigned char *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static void put_f64(unsigned char *p, double d) {
    uint64_t v;
    memcpy(&v, &d, sizeof v);
    put_u64(p, v);
}
static uint32_t get_u32(const unsigned char *p) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v |= (uint32_t)p[i] << (8 * i);
    return v;
}
static uint64_t get_u64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}
static double get_f64(const unsigned char *p) {
    uint64_t v = get_u64(p);
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
}
static int32_t get_i32(const unsigned char *p) {
    uint32_t u = get_u32(p);
    return u <= 0x7FFFFFFFu ? (int32_t)u : -(int32_t)(0xFFFFFFFFu - u) - 1;
}

crm_status crm_model_save(const crm_model *model, void *buffer, size_t capacity, size_t *size,
                          crm_error *err) {
    if (model == NULL || size == NULL)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model or size is NULL");
    size_t mlen = 0;
    while (mlen < sizeof model->message - 1 && model->message[mlen] != '\0') mlen++;
    size_t total = HEADER_SIZE + mlen + 4;
    *size = total;
    if (buffer == NULL || capacity < total)
        return crm__fail(err, CRM_STATUS_SHORT_BUFFER, "the buffer needs %lu bytes, %lu given",
                         (unsigned long)total, (unsigned long)(buffer ? capacity : 0));
    unsigned char *p = buffer;
    memcpy(p, magic, 8);
    put_u32(p + 8, FORMAT_VERSION);
    put_u32(p + 12, (uint32_t)total);
    put_u32(p + 16, (uint32_t)model->kind);
    put_u32(p + 20, (uint32_t)model->status);
    put_u32(p + 24, (uint32_t)model->nparams);
    put_u32(p + 28, model->limits);
    put_u32(p + 32, (uint32_t)model->converged);
    put_u32(p + 36, (uint32_t)mlen);
    put_u64(p + 40, (uint64_t)model->iterations);
    put_f64(p + 48, model->loglik);
    put_f64(p + 56, model->nobs);
    put_f64(p + 64, model->time_unit_days);
    for (size_t i = 0; i < CRM__MODEL_MAX_PARAMS; i++) {
        put_f64(p + 72 + 8 * i, i < model->nparams ? model->param[i] : NAN);
        put_f64(p + 104 + 8 * i, i < model->nparams ? model->se[i] : NAN);
    }
    memcpy(p + HEADER_SIZE, model->message, mlen);
    put_u32(p + HEADER_SIZE + mlen, crc32_of(p, HEADER_SIZE + mlen));
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_config_set_model(crm_config *config, int kind, const crm_model *model, crm_error *err) {
    crm__error_clear(err);
    if (config == NULL)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_config_set_model: config is NULL");
    if (kind < CRM_MODEL_KIND_BGNBD || kind > CRM_MODEL_KIND_GAMMA_GAMMA)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_config_set_model: kind %d is not bgnbd, mbgnbd, pareto_nbd or gamma_gamma",
                         kind);
    if (model == NULL) return crm__config_set_model_bytes(config, kind, NULL, 0, err);
    if (crm_model_kind_of(model) != kind)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_config_set_model: the model is a %s, not a %s",
                         crm_enum_name(CRM_ENUM_MODEL_KIND, crm_model_kind_of(model)),
                         crm_enum_name(CRM_ENUM_MODEL_KIND, kind));
    for (size_t i = 0; i < crm_model_param_count(kind); i++)
        if (!isfinite(crm_model_param(model, i)))
            return crm__fail(err, CRM_STATUS_NOT_FOUND,
                             "crm_config_set_model: the model has no parameters (its fit failed)");
    unsigned char bytes[512];
    size_t size = 0;
    crm_status st = crm_model_save(model, bytes, sizeof bytes, &size, err);
    if (st != CRM_STATUS_OK) return st;
    return crm__config_set_model_bytes(config, kind, bytes, size, err);
}

static crm_status corrupt(crm_error *err, const char *why) {
    return crm__fail(err, CRM_STATUS_CORRUPT, "not a valid saved model: %s", why);
}

crm_status crm_model_load(const crm_config *config, const void *buffer, size_t size, crm_model **out,
                          crm_error *err) {
    if (out == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    if (buffer == NULL && size > 0) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "buffer is NULL");
    const unsigned char *p = buffer;
    if (size < 12 || memcmp(p, magic, 8) != 0) {
        if (size >= 8 && memcmp(p, magic, 8) == 0) return corrupt(err, "truncated (no version)");
        return corrupt(err, size < 8 ? "truncated (shorter than the magic number)"
                                     : "no crmkit model magic number");
    }
    uint32_t version = get_u32(p + 8);
    if (version > FORMAT_VERSION)
        return crm__fail(err, CRM_STATUS_VERSION,
                         "the saved model has format version %lu; this library reads up to version %lu",
                         (unsigned long)version, (unsigned long)FORMAT_VERSION);
    if (version == 0) return corrupt(err, "format version 0");
    if (size < HEADER_SIZE + 4) return corrupt(err, "truncated");
    uint32_t total = get_u32(p + 12), mlen = get_u32(p + 36);
    if (mlen >= sizeof((crm_model *)0)->message) return corrupt(err, "message length out of range");
    if (total != HEADER_SIZE + mlen + 4) return corrupt(err, "inconsistent size");
    if (size < total) return corrupt(err, "truncated");
    if (size > total) return corrupt(err, "trailing bytes after the model");
    if (get_u32(p + HEADER_SIZE + mlen) != crc32_of(p, HEADER_SIZE + mlen))
        return corrupt(err, "checksum mismatch (the bytes were changed)");
    int kind = get_i32(p + 16), status = get_i32(p + 20);
    const crm__model_ops *ops = crm__model_ops_of(kind);
    if (ops == NULL) return corrupt(err, "unknown model kind");
    if (get_u32(p + 24) != ops->nparams) return corrupt(err, "wrong parameter count for the kind");
    if (status != CRM_STATUS_OK && status != CRM_STATUS_NOT_CONVERGED &&
        status != CRM_STATUS_NOT_IDENTIFIED && status != CRM_STATUS_NUMERIC)
        return corrupt(err, "unknown fit status");
    crm_config defaults;
    crm_model *m = NULL;
    if (crm__model_alloc(crm__config_or_defaults(config, &defaults), ops, &m) != CRM_STATUS_OK)
        return crm__nomem(err);
    m->status = status;
    m->limits = get_u32(p + 28);
    m->converged = get_i32(p + 32) != 0;
    m->iterations = (int64_t)get_u64(p + 40);
    m->loglik = get_f64(p + 48);
    m->nobs = get_f64(p + 56);
    m->time_unit_days = get_f64(p + 64);
    for (size_t i = 0; i < ops->nparams; i++) {
        m->param[i] = get_f64(p + 72 + 8 * i);
        m->se[i] = get_f64(p + 104 + 8 * i);
    }
    memcpy(m->message, p + HEADER_SIZE, mlen);
    m->message[mlen] = '\0';
    /* A usable model's parameters must be usable: finite and positive. */
    int bad = 0;
    for (size_t i = 0; i < ops->nparams; i++)
        if (crm__model_usable(m) && !(m->param[i] > 0 && isfinite(m->param[i]))) bad = 1;
    if (!(m->time_unit_days > 0 && isfinite(m->time_unit_days)) && !isnan(m->time_unit_days)) bad = 1;
    if (bad) {
        crm_model_free(m);
        return corrupt(err, "a parameter or the time unit is out of range");
    }
    *out = m;
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

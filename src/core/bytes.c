/* bytes.c - the byte formats' shared reading and writing (core/bytes.h). */
#include "core/bytes.h"

#include <string.h>

uint64_t crm__fnv1a64(const unsigned char *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

void crm__put_byte(crm__writer *w, unsigned v) {
    if (w->out) w->out[w->n] = (unsigned char)v;
    w->n++;
}

void crm__put_varint(crm__writer *w, uint64_t v) {
    while (v >= 0x80) {
        crm__put_byte(w, (unsigned)(v & 0x7f) | 0x80);
        v >>= 7;
    }
    crm__put_byte(w, (unsigned)v);
}

static uint64_t zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (v < 0 ? UINT64_MAX : 0); }
void crm__put_signed(crm__writer *w, int64_t v) { crm__put_varint(w, zigzag(v)); }

void crm__put_fixed(crm__writer *w, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; i++) crm__put_byte(w, (unsigned)(v >> (8 * i)) & 0xff);
}

void crm__put_f64(crm__writer *w, double d) {
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    crm__put_fixed(w, b, 8);
}

void crm__put_bytes(crm__writer *w, const void *bytes, size_t n) {
    if (w->out && n) memcpy(w->out + w->n, bytes, n);
    w->n += n;
}

uint64_t crm__get_varint(crm__reader *r) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->at >= r->n) {
            r->bad = 1;
            return 0;
        }
        unsigned b = r->p[r->at++];
        if (shift == 63 && b > 1) { /* more than 64 bits */
            r->bad = 1;
            return 0;
        }
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) return v;
    }
    r->bad = 1;
    return 0;
}

int64_t crm__get_signed(crm__reader *r) {
    uint64_t u = crm__get_varint(r);
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

uint64_t crm__get_fixed(const unsigned char *p, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

double crm__get_f64(crm__reader *r) {
    if (r->n - r->at < 8) {
        r->bad = 1;
        r->at = r->n;
        return 0;
    }
    uint64_t b = crm__get_fixed(r->p + r->at, 8);
    r->at += 8;
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

size_t crm__get_count(crm__reader *r, size_t min_bytes) {
    uint64_t v = crm__get_varint(r);
    if (r->bad || v > (r->n - r->at) / min_bytes) {
        r->bad = 1;
        return 0;
    }
    return (size_t)v;
}

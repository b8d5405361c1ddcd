/* core/bytes.h - the little-endian byte formats' reading and writing:
 * LEB128 varints (signed ones zigzag-coded), fixed-width integers, doubles as
 * their 8 IEEE-754 bytes and the FNV-1a 64 checksum. Shared by the state's
 * (state/codec.c) and the population's (population/bytes.c) formats.
 * Internal (not installed): names use the prefix crm__. */
#ifndef CRM_CORE_BYTES_H
#define CRM_CORE_BYTES_H

#include <stddef.h>
#include <stdint.h>

uint64_t crm__fnv1a64(const unsigned char *p, size_t n);

/* Writing: with out NULL only the size n is counted. */
typedef struct crm__writer {
    unsigned char *out;
    size_t n;
} crm__writer;

void crm__put_byte(crm__writer *w, unsigned v);
void crm__put_varint(crm__writer *w, uint64_t v);
void crm__put_signed(crm__writer *w, int64_t v);
void crm__put_fixed(crm__writer *w, uint64_t v, int bytes);
void crm__put_f64(crm__writer *w, double d);
void crm__put_bytes(crm__writer *w, const void *bytes, size_t n);

/* Reading: every read checks the end first; a read past the end or a value
 * that does not fit sets bad and returns 0. */
typedef struct crm__reader {
    const unsigned char *p;
    size_t n, at;
    int bad;
} crm__reader;

uint64_t crm__get_varint(crm__reader *r);
int64_t crm__get_signed(crm__reader *r);
uint64_t crm__get_fixed(const unsigned char *p, int bytes);
double crm__get_f64(crm__reader *r);
/* A count of records of at least min_bytes each that the rest can hold. */
size_t crm__get_count(crm__reader *r, size_t min_bytes);

#endif /* CRM_CORE_BYTES_H */

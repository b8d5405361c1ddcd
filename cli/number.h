/* number.h - reading and writing numbers without the C library on the hot
 * path: integers and decimal numbers parsed directly (exact, correctly
 * rounded), integers written digit pairs at a time, doubles written in the
 * shortest form that reads back to the same double (Giulietti's Schubfach
 * algorithm) or with a fixed number of decimals when that is exact. */
#ifndef CRMKIT_CLI_NUMBER_H
#define CRMKIT_CLI_NUMBER_H

#include <float.h>
#include <stddef.h>
#include <stdint.h>

/* Room for any number this module writes (the longest is a double such as
 * -2.2250738585072014e-308, 24 bytes). */
#define NUM_MAX 32

/* Build the table of powers of ten the shortest formatter needs. Called by
 * num_shortest on first use; call it once before formatting from several
 * threads. */
void num_init(void);

/* Exact powers of ten: 10^0 .. 10^22. */
extern const double num_pow10[23];

/* Eight digits at a time where bytes can be read as a little-endian word
 * (the usual SWAR conversion). */
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NUM_SWAR 1
#include <string.h>
static inline int num_eight_digits(const char *s, uint64_t *out) {
    uint64_t v;
    memcpy(&v, s, 8);
    if ((v & 0xF0F0F0F0F0F0F0F0ULL) != 0x3030303030303030ULL ||
        ((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) != 0x3030303030303030ULL)
        return 0;
    v -= 0x3030303030303030ULL;
    v = v * 10 + (v >> 8);
    v = (((v & 0x000000FF000000FFULL) * 0x000F424000000064ULL) +
         (((v >> 16) & 0x000000FF000000FFULL) * 0x0000271000000001ULL)) >>
        32;
    *out = (uint32_t)v;
    return 1;
}
#else
#define NUM_SWAR 0
#endif

/* An unsigned decimal integer of exactly len bytes, digits only. canonical:
 * also refuse leading zeros ("007"), so that the text is the integer's only
 * spelling. 1 on success, 0 otherwise (overflow included). Inline: the
 * loader calls it for every id and time. */
static inline int num_parse_u64(const char *s, size_t len, int canonical, uint64_t *out) {
    if (len == 0 || len > 20) return 0;
    if (canonical && len > 1 && s[0] == '0') return 0;
    uint64_t v = 0;
    size_t i = 0;
#if NUM_SWAR
    for (uint64_t eight; i + 8 <= len && i < 16; i += 8) { /* at most 16 digits: no overflow */
        if (!num_eight_digits(s + i, &eight)) return 0;
        v = v * 100000000 + eight;
    }
#endif
    for (; i < len; i++) {
        const unsigned d = (unsigned)((unsigned char)s[i] - '0');
        if (d > 9) return 0;
        if (i == 19 && v > (UINT64_MAX - d) / 10) return 0;
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}

/* A decimal integer with an optional sign. 1 on success. */
static inline int num_parse_i64(const char *s, size_t len, int64_t *out) {
    int neg = 0;
    uint64_t v;
    if (len > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        s++;
        len--;
    }
    if (!num_parse_u64(s, len, 0, &v)) return 0;
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1) return 0;
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    } else {
        if (v > (uint64_t)INT64_MAX) return 0;
        *out = (int64_t)v;
    }
    return 1;
}

/* A decimal number: [+-]digits[SEP digits][(e|E)[+-]digits], SEP being point
 * ('.' or ','), or what strtod reads ("nan", "inf", ...) as a fallback. The
 * result is the correctly rounded double: exact arithmetic for up to 19
 * significant digits and a power of ten up to 22, strtod otherwise. decimals
 * (may be NULL): the number of digits after the separator (0 without one)
 * when there is no exponent, else -1. 1 on success, 0 when the text is not a
 * number. */
int num_parse_number(const char *s, size_t len, char point, double *out, int *decimals);

/* num_parse_number with the common case inline: an optional minus sign and
 * at most 15 digits around the decimal mark, exact as a quotient of two
 * exactly represented doubles. */
static inline int num_parse_double(const char *s, size_t len, char point, double *out, int *decimals) {
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    size_t i = len > 0 && s[0] == '-';
    if (len - i >= 1 && len - i <= 16) {
        uint64_t m = 0;
        int dec = -1, digits = 0;
        for (; i < len; i++) {
            const unsigned d = (unsigned)((unsigned char)s[i] - '0');
            if (d <= 9) {
                m = m * 10 + d;
                digits++;
                dec += dec >= 0;
            } else if (s[i] == point && dec < 0) {
                dec = 0;
            } else {
                break;
            }
        }
        if (i == len && digits > 0 && digits <= 15) {
            const double v = dec > 0 ? (double)m / num_pow10[dec] : (double)m;
            *out = s[0] == '-' ? -v : v;
            if (decimals) *decimals = dec > 0 ? dec : 0;
            return 1;
        }
    }
#endif
    return num_parse_number(s, len, point, out, decimals);
}

/* Writers: each writes into buf (NUM_MAX bytes) without a terminating NUL
 * and returns the length. */
size_t num_write_u64(char *buf, uint64_t v);
size_t num_write_i64(char *buf, int64_t v);

/* The shortest decimal that reads back (with correct rounding, as strtod
 * does) to exactly v: plain notation for 1e-5 <= |v| < 1e21, else
 * scientific ("1.5e+21", "2e-07"); "nan", "inf", "-inf" for the rest. */
size_t num_write_shortest(char *buf, double v);

/* v with exactly `decimals` digits after the point (0..9; no point for 0)
 * when that decimal reads back to exactly v, as the nearest double of a sum
 * of amounts with that many decimals does; returns 0 (nothing written) when
 * it does not. */
size_t num_write_fixed(char *buf, double v, int decimals);

#endif /* CRMKIT_CLI_NUMBER_H */

/* number.c - see number.h.
 *
 * The shortest formatter follows R. Giulietti, "The Schubfach way to render
 * doubles" (2020): the value's rounding interval is scaled by a 128-bit
 * approximation of a power of ten, rounded to odd, and the shortest decimal
 * inside the interval is read off the scaled bounds. The 617 powers of ten
 * are computed at first use with a small exact big-integer routine instead
 * of being pasted in as a table. */
#include "number.h"

#include <errno.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>

/* Exact powers of ten as doubles: 10^0 .. 10^22 are all representable. */
const double num_pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                              1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The fast path's products and quotients are correctly rounded only when
 * doubles are evaluated as doubles (not x87 extended precision). */
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
#define NUM_EXACT_DOUBLES 1
#else
#define NUM_EXACT_DOUBLES 0
#endif

/* ---- parsing ---- */

/* strtod on a NUL-terminated copy, with the decimal comma turned into a point. */
static int parse_with_strtod(const char *s, size_t len, char point, double *out) {
    char buf[128];
    char *end = NULL;
    if (len == 0 || len >= sizeof buf) return 0;
    if (s[0] == ' ' || s[0] == '\t') return 0; /* strtod would skip it */
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (point != '.') {
        for (size_t i = 0; i < len; i++) {
            if (buf[i] == '.') return 0; /* a point where a comma is the decimal mark */
            if (buf[i] == point) buf[i] = '.';
        }
    }
    errno = 0;
    *out = strtod(buf, &end);
    return end == buf + len;
}

int num_parse_number(const char *s, size_t len, char point, double *out, int *decimals) {
    const char *p = s, *end = s + len;
    int neg = 0, any = 0, digits = 0, exp10 = 0, dec = 0, lost = 0;
    uint64_t m = 0;
    if (decimals) *decimals = -1;
    if (p < end && (*p == '-' || *p == '+')) {
        neg = *p == '-';
        p++;
    }
    for (; p < end; p++) {
        const unsigned d = (unsigned)((unsigned char)*p - '0');
        if (d > 9) break;
        any = 1;
        if (digits < 19) {
            m = m * 10 + d;
            digits += m != 0; /* leading zeros are not significant */
        } else {
            exp10++;
            lost |= d != 0;
        }
    }
    if (p < end && *p == point) {
        dec = 0;
        for (p++; p < end; p++) {
            const unsigned d = (unsigned)((unsigned char)*p - '0');
            if (d > 9) break;
            any = 1;
            dec++;
            if (digits < 19) {
                m = m * 10 + d;
                digits += m != 0;
                exp10--;
            } else {
                lost |= d != 0;
            }
        }
    }
    if (!any) return parse_with_strtod(s, len, point, out); /* "nan", "inf", ... */
    if (p < end && (*p == 'e' || *p == 'E')) {
        int eneg = 0, e = 0, edigits = 0;
        p++;
        if (p < end && (*p == '-' || *p == '+')) {
            eneg = *p == '-';
            p++;
        }
        for (; p < end; p++) {
            const unsigned d = (unsigned)((unsigned char)*p - '0');
            if (d > 9) break;
            if (e < 100000) e = e * 10 + (int)d;
            edigits++;
        }
        if (edigits == 0) return 0;
        exp10 += eneg ? -e : e;
        dec = -1;
    }
    if (p != end) return 0;
    if (decimals) *decimals = dec;
    if (m == 0) {
        *out = neg ? -0.0 : 0.0;
        return 1;
    }
    if (NUM_EXACT_DOUBLES && !lost && m <= ((uint64_t)1 << 53) && exp10 >= -22 && exp10 <= 22) {
        /* Both operands are exact, so the one rounding is the correct one. */
        double v = (double)m;
        v = exp10 < 0 ? v / num_pow10[-exp10] : v * num_pow10[exp10];
        *out = neg ? -v : v;
        return 1;
    }
    return parse_with_strtod(s, len, point, out);
}

/* ---- integers ---- */

static const char digit_pairs[201] = "00010203040506070809"
                                     "10111213141516171819"
                                     "20212223242526272829"
                                     "30313233343536373839"
                                     "40414243444546474849"
                                     "50515253545556575859"
                                     "60616263646566676869"
                                     "70717273747576777879"
                                     "80818283848586878889"
                                     "90919293949596979899";

/* Digits of v (1 for 0). */
static int digit_count(uint64_t v) {
    static const uint64_t limits[19] = {10ULL,
                                        100ULL,
                                        1000ULL,
                                        10000ULL,
                                        100000ULL,
                                        1000000ULL,
                                        10000000ULL,
                                        100000000ULL,
                                        1000000000ULL,
                                        10000000000ULL,
                                        100000000000ULL,
                                        1000000000000ULL,
                                        10000000000000ULL,
                                        100000000000000ULL,
                                        1000000000000000ULL,
                                        10000000000000000ULL,
                                        100000000000000000ULL,
                                        1000000000000000000ULL,
                                        10000000000000000000ULL};
    int n = 1;
    while (n < 20 && v >= limits[n - 1]) n++;
    return n;
}

/* The n digits of v (n = digit_count(v) or more, zero-padded) at buf, from the right. */
static void put_digits(char *buf, uint64_t v, int n) {
    char *p = buf + n;
    while (v >= 100) {
        const unsigned r = (unsigned)(v % 100);
        v /= 100;
        p -= 2;
        p[0] = digit_pairs[2 * r];
        p[1] = digit_pairs[2 * r + 1];
    }
    if (v >= 10) {
        p -= 2;
        p[0] = digit_pairs[2 * v];
        p[1] = digit_pairs[2 * v + 1];
    } else {
        *--p = (char)('0' + v);
    }
    while (p > buf) *--p = '0';
}

size_t num_write_u64(char *buf, uint64_t v) {
    const int n = digit_count(v);
    put_digits(buf, v, n);
    return (size_t)n;
}

size_t num_write_i64(char *buf, int64_t v) {
    if (v >= 0) return num_write_u64(buf, (uint64_t)v);
    buf[0] = '-';
    return 1 + num_write_u64(buf + 1, (uint64_t)0 - (uint64_t)v);
}

/* ---- 128-bit helpers ---- */

typedef struct u128 {
    uint64_t hi, lo;
} u128;

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 num_uint128;
static void mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo) {
    const num_uint128 p = (num_uint128)a * b;
    *hi = (uint64_t)(p >> 64);
    *lo = (uint64_t)p;
}
#else
static void mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo) {
    const uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    const uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    const uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    *lo = (mid << 32) | (uint32_t)p00;
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}
#endif

/* floor(x / 2^n) for any sign of x (>> of a negative int is implementation-defined). */
static int floor_shift(int32_t x, int n) {
    if (x >= 0) return (int)(x >> n);
    return -(int)((-(int64_t)x + ((int64_t)1 << n) - 1) >> n);
}

/* floor(log10(2^e)) and floor(log10(3/4 * 2^e)) for |e| <= 2620; floor(log2(10^e)) for |e| <= 1233. */
static int floor_log10_pow2(int e) { return floor_shift(e * 1262611, 22); }
static int floor_log10_three_quarters_pow2(int e) { return floor_shift(e * 1262611 - 524031, 22); }
static int floor_log2_pow10(int e) { return floor_shift(e * 1741647, 19); }

/* ---- the powers of ten: g(e) = floor(10^e * 2^(127 - floor(log2 10^e))) + 1, in [2^127, 2^128) ---- */

#define POW10_MIN   (-292)
#define POW10_MAX   324
#define POW10_COUNT (POW10_MAX - POW10_MIN + 1)
static u128 pow10_table[POW10_COUNT];
static int pow10_ready;

#define BIG_WORDS 40 /* 1280 bits: 10^324 < 2^1077 and 2^1098 are the largest numbers needed */
typedef struct big {
    uint32_t w[BIG_WORDS]; /* little-endian words */
} big;

static void big_mul_small(big *b, uint32_t k) {
    uint64_t carry = 0;
    for (int i = 0; i < BIG_WORDS; i++) {
        const uint64_t t = (uint64_t)b->w[i] * k + carry;
        b->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
}

static void big_div_small(big *b, uint32_t k) {
    uint64_t rem = 0;
    for (int i = BIG_WORDS - 1; i >= 0; i--) {
        const uint64_t t = (rem << 32) | b->w[i];
        b->w[i] = (uint32_t)(t / k);
        rem = t % k;
    }
}

static int big_bit(const big *b, int i) {
    if (i < 0 || i >= 32 * BIG_WORDS) return 0;
    return (int)((b->w[i / 32] >> (i % 32)) & 1u);
}

/* floor(b / 2^pos) (b * 2^-pos when pos < 0), which must fit in 128 bits, plus one. */
static u128 big_top_plus_one(const big *b, int pos) {
    u128 r = {0, 0};
    for (int i = 127; i >= 0; i--) {
        const uint64_t bit = (uint64_t)big_bit(b, pos + i);
        if (i >= 64)
            r.hi |= bit << (i - 64);
        else
            r.lo |= bit << i;
    }
    r.lo++;
    if (r.lo == 0) r.hi++;
    return r;
}

void num_init(void) {
    if (pow10_ready) return;
    big b;
    /* 10^e for e >= 0, multiplying up. */
    memset(&b, 0, sizeof b);
    b.w[0] = 1;
    for (int e = 0; e <= POW10_MAX; e++) {
        pow10_table[e - POW10_MIN] = big_top_plus_one(&b, floor_log2_pow10(e) - 127);
        big_mul_small(&b, 10);
    }
    /* 10^e for e < 0: floor(2^(127 - L) / 10^-e), dividing down. */
    for (int e = -1; e >= POW10_MIN; e--) {
        const int shift = 127 - floor_log2_pow10(e);
        memset(&b, 0, sizeof b);
        b.w[shift / 32] = (uint32_t)1 << (shift % 32);
        for (int i = 0; i < -e; i++) big_div_small(&b, 10);
        pow10_table[e - POW10_MIN] = big_top_plus_one(&b, 0);
    }
    pow10_ready = 1;
}

/* floor(g * cp / 2^128), rounded to odd (the lowest bit set when the rest is not 0). */
static uint64_t round_to_odd(u128 g, uint64_t cp) {
    uint64_t x_hi, x_lo, y_hi, y_lo;
    mul64(g.lo, cp, &x_hi, &x_lo);
    mul64(g.hi, cp, &y_hi, &y_lo);
    (void)x_lo;
    y_lo += x_hi;
    y_hi += y_lo < x_hi;
    return y_hi | (y_lo > 1);
}

/* The shortest decimal digits * 10^exp10 inside the rounding interval of a
 * positive finite double given by its fields; the closest one when several
 * have that length. */
static void to_decimal(uint64_t fraction, int biased, uint64_t *digits, int *exp10) {
    uint64_t c;
    int q;
    if (biased != 0) {
        c = ((uint64_t)1 << 52) | fraction;
        q = biased - 1075;
        if (q <= 0 && q > -53 && (c & (((uint64_t)1 << -q) - 1)) == 0) { /* an integer below 2^53 */
            *digits = c >> -q;
            *exp10 = 0;
            return;
        }
    } else {
        c = fraction;
        q = -1074;
    }
    const int even = (c & 1) == 0;
    const int lower_closer = fraction == 0 && biased > 1;
    const uint64_t cbl = 4 * c - 2 + (uint64_t)lower_closer, cb = 4 * c, cbr = 4 * c + 2;
    const int k = lower_closer ? floor_log10_three_quarters_pow2(q) : floor_log10_pow2(q);
    const int h = q + floor_log2_pow10(-k) + 1;
    const u128 g = pow10_table[-k - POW10_MIN];
    const uint64_t vbl = round_to_odd(g, cbl << h);
    const uint64_t vb = round_to_odd(g, cb << h);
    const uint64_t vbr = round_to_odd(g, cbr << h);
    const uint64_t lower = vbl + (uint64_t)!even, upper = vbr - (uint64_t)!even;
    const uint64_t s = vb / 4;
    if (s >= 10) { /* one digit fewer, when exactly one of its two neighbours is inside */
        const uint64_t sp = s / 10;
        const int up_inside = lower <= 40 * sp, wp_inside = 40 * sp + 40 <= upper;
        if (up_inside != wp_inside) {
            *digits = sp + (uint64_t)wp_inside;
            *exp10 = k + 1;
            return;
        }
    }
    const int u_inside = lower <= 4 * s, w_inside = 4 * s + 4 <= upper;
    if (u_inside != w_inside) {
        *digits = s + (uint64_t)w_inside;
        *exp10 = k;
        return;
    }
    const uint64_t mid = 4 * s + 2; /* both inside: the closer, ties to even */
    *digits = s + (uint64_t)(vb > mid || (vb == mid && (s & 1) != 0));
    *exp10 = k;
}

size_t num_write_shortest(char *buf, double v) {
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    const int neg = (int)(bits >> 63);
    const int biased = (int)((bits >> 52) & 0x7FF);
    const uint64_t fraction = bits & (((uint64_t)1 << 52) - 1);
    char *p = buf;
    if (biased == 0x7FF) {
        if (fraction != 0) {
            memcpy(buf, "nan", 3);
            return 3;
        }
        if (neg) *p++ = '-';
        memcpy(p, "inf", 3);
        return (size_t)(p - buf) + 3;
    }
    if (neg) *p++ = '-';
    if (biased == 0 && fraction == 0) {
        *p++ = '0';
        return (size_t)(p - buf);
    }
    if (v < 9007199254740992.0 && v > -9007199254740992.0 && (double)(int64_t)v == v) /* an integer */
        return (size_t)(p - buf) + num_write_u64(p, (uint64_t)(neg ? -(int64_t)v : (int64_t)v));
    if (!pow10_ready) num_init();
    uint64_t digits;
    int exp10;
    to_decimal(fraction, biased, &digits, &exp10);
    while (digits % 10 == 0) {
        digits /= 10;
        exp10++;
    }
    const int n = digit_count(digits);
    const int point = n + exp10; /* v = 0.d1d2...dn * 10^point */
    if (point >= -4 && point <= 21) {
        if (point <= 0) { /* 0.000ddd */
            *p++ = '0';
            *p++ = '.';
            for (int i = 0; i < -point; i++) *p++ = '0';
            put_digits(p, digits, n);
            p += n;
        } else if (point < n) { /* ddd.ddd: the digits, then the fraction moved right for the point */
            put_digits(p, digits, n);
            for (int i = n; i > point; i--) p[i] = p[i - 1];
            p[point] = '.';
            p += n + 1;
        } else { /* dddd000 */
            put_digits(p, digits, n);
            p += n;
            for (int i = n; i < point; i++) *p++ = '0';
        }
        return (size_t)(p - buf);
    }
    put_digits(p + 1, digits, n); /* d.ddde+XX: the first digit moved left of the point */
    p[0] = p[1];
    if (n > 1) {
        p[1] = '.';
        p += n + 1;
    } else {
        p += 1;
    }
    int e = point - 1;
    *p++ = 'e';
    *p++ = e < 0 ? '-' : '+';
    if (e < 0) e = -e;
    if (e >= 100) *p++ = (char)('0' + e / 100);
    p[0] = digit_pairs[2 * (e % 100)];
    p[1] = digit_pairs[2 * (e % 100) + 1];
    p += 2;
    return (size_t)(p - buf);
}

size_t num_write_fixed(char *buf, double v, int decimals) {
    if (decimals < 0 || decimals > 9 || v != v) return 0;
    const double scaled = v * num_pow10[decimals];
    if (!(scaled < 9007199254740992.0 && scaled > -9007199254740992.0)) return 0;
    const int64_t m = (int64_t)(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
    if ((double)m / num_pow10[decimals] != v) return 0;
    char *p = buf;
    const uint64_t a = m < 0 ? (uint64_t)0 - (uint64_t)m : (uint64_t)m;
    if (m < 0) *p++ = '-';
    int n = digit_count(a);
    if (n <= decimals) n = decimals + 1; /* 0.0x: leading zeros */
    put_digits(p, a, n);
    if (decimals == 0) return (size_t)(p - buf) + (size_t)n;
    for (int i = n; i > n - decimals; i--) p[i] = p[i - 1];
    p[n - decimals] = '.';
    return (size_t)(p - buf) + (size_t)n + 1;
}

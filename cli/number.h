/* number.h - reading and writing numbers without the C library on the hot
 * path: integers and decimal numbers parsed directly (exact, correctly
 * rounded), integers written digit pairs at a time, doubles written in the
 * shortest form that reads back to the same double (Giulietti's Schubfach
 * algorithm) or with a fixed number of decimals when that is exact. */
#ifndef CRMKIT_CLI_NUMBER_H
#define CRMKIT_CLI_NUMBER_H

#include <stddef.h>
#include <stdint.h>

/* Room for any number this module writes (the longest is a double such as
 * -2.2250738585072014e-308, 24 bytes). */
#define NUM_MAX 32

/* Build the table of powers of ten the shortest formatter needs. Called by
 * num_shortest on first use; call it once before formatting from several
 * threads. */
void num_init(void);

/* An unsigned decimal integer of exactly len bytes, digits only. canonical:
 * also refuse leading zeros ("007"), so that the text is the integer's only
 * spelling. 1 on success, 0 otherwise (overflow included). */
int num_parse_u64(const char *s, size_t len, int canonical, uint64_t *out);

/* A decimal integer with an optional sign. 1 on success. */
int num_parse_i64(const char *s, size_t len, int64_t *out);

/* A decimal number: [+-]digits[SEP digits][(e|E)[+-]digits], SEP being point
 * ('.' or ','), or what strtod reads ("nan", "inf", ...) as a fallback. The
 * result is the correctly rounded double: exact arithmetic for up to 19
 * significant digits and a power of ten up to 22, strtod otherwise. decimals
 * (may be NULL): the number of digits after the separator when there is no
 * exponent, else -1. 1 on success, 0 when the text is not a number. */
int num_parse_double(const char *s, size_t len, char point, double *out, int *decimals);

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

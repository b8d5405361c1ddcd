/* timefmt.h - times and dates as exports write them: epoch seconds (or
 * milliseconds), ISO 8601 dates and date-times with or without an offset,
 * YYYYMMDD, and day-first or month-first dates when told which. Dates and
 * date-times without an offset are read in the calendar of the analysis's
 * day_offset (UTC unless set), so that a date in the file is the day the
 * analysis sees. */
#ifndef CRMKIT_CLI_TIMEFMT_H
#define CRMKIT_CLI_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

typedef enum time_format {
    TIME_AUTO = 0,     /* epoch seconds or ISO, told apart per field */
    TIME_EPOCH = 1,    /* integer seconds since 1970-01-01T00:00:00Z */
    TIME_EPOCH_MS = 2, /* integer milliseconds */
    TIME_ISO = 3,      /* YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|+HH[:MM]|-HH[:MM]] */
    TIME_YYYYMMDD = 4, /* 8 digits */
    TIME_DMY = 5,      /* DD/MM/YYYY[ HH:MM[:SS]]; '.' or '-' also separate */
    TIME_MDY = 6       /* MM/DD/YYYY[ HH:MM[:SS]] */
} time_format;

/* The format of a --time-format value ("auto", "epoch", "epoch_ms", "iso",
 * "YYYY-MM-DD", "YYYYMMDD", "DD/MM/YYYY", "MM/DD/YYYY", case-insensitive,
 * '.' or '-' in place of '/'); -1 when unknown. */
int time_format_from_name(const char *name);
const char *time_format_name(int format);

/* Parse a time of len bytes into seconds. day_offset: seconds east of UTC of
 * the calendar in which times without an offset are read. *integer (may be
 * NULL) is set to 1 when the text was read as integer seconds by TIME_AUTO.
 * 1 on success, 0 when the text is not a time of that format. */
int time_parse(int format, int64_t day_offset, const char *s, size_t len, int64_t *out, int *integer);

/* Parse a date (a time of day after it is ignored) into a day number (days
 * since 1970-01-01). ISO dates are always understood; the other formats as
 * told. 1 on success. */
int time_parse_day(int format, const char *s, size_t len, int32_t *day);

/* 1 when the text has the shape D/M/Y (any of / . -), to hint at --time-format. */
int time_looks_day_month(const char *s, size_t len);

/* "YYYY-MM-DD" of a day number into buf (at least 12 bytes), the number
 * itself for a day outside years 1..9999; returns the length. */
size_t time_write_day(char *buf, int32_t day);

#endif /* CRMKIT_CLI_TIMEFMT_H */

/* timefmt.c - see timefmt.h. The calendar is the library's
 * (crm_day_from_date, crm_date_from_day). */
#include "timefmt.h"

#include <ctype.h>
#include <string.h>

#include "crmkit.h"
#include "number.h"

static const struct {
    const char *name;
    int format;
} format_names[] = {
    {"auto", TIME_AUTO},         {"epoch", TIME_EPOCH},           {"seconds", TIME_EPOCH},
    {"epoch_ms", TIME_EPOCH_MS}, {"milliseconds", TIME_EPOCH_MS}, {"iso", TIME_ISO},
    {"YYYY-MM-DD", TIME_ISO},    {"YYYYMMDD", TIME_YYYYMMDD},     {"DD/MM/YYYY", TIME_DMY},
    {"MM/DD/YYYY", TIME_MDY},
};

/* Case-insensitive, with '.' and '-' equal to '/' between D, M and Y. */
static int same_name(const char *a, const char *b) {
    for (; *a && *b; a++, b++) {
        char x = (char)toupper((unsigned char)*a), y = (char)toupper((unsigned char)*b);
        if (y == '/' && (x == '.' || x == '-')) x = '/';
        if (x != y) return 0;
    }
    return *a == *b;
}

int time_format_from_name(const char *name) {
    for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
        if (same_name(name, format_names[i].name)) return format_names[i].format;
    return -1;
}

const char *time_format_name(int format) {
    for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
        if (format_names[i].format == format) return format_names[i].name;
    return "?";
}

/* n digits at s as a number; -1 when one is not a digit. */
static int digits(const char *s, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        const unsigned d = (unsigned)((unsigned char)s[i] - '0');
        if (d > 9) return -1;
        v = v * 10 + (int)d;
    }
    return v;
}

static int day_of(int y, int m, int d, int32_t *day) {
    if (y < 0 || m < 0 || d < 0) return 0;
    return crm_day_from_date(y, m, d, day, NULL) == CRM_STATUS_OK;
}

/* "HH:MM[:SS[.fff]]" at s (len bytes); *used: bytes read. Seconds of the day. */
static int clock_time(const char *s, size_t len, size_t *used, int32_t *secs) {
    if (len < 5 || s[2] != ':') return 0;
    const int hh = digits(s, 2), mm = digits(s + 3, 2);
    int ss = 0;
    size_t i = 5;
    if (len >= 8 && s[5] == ':') {
        ss = digits(s + 6, 2);
        i = 8;
        if (i < len && (s[i] == '.' || s[i] == ',')) { /* fractions of a second: dropped */
            size_t j = i + 1;
            while (j < len && isdigit((unsigned char)s[j])) j++;
            if (j == i + 1) return 0;
            i = j;
        }
    }
    if (hh < 0 || mm < 0 || ss < 0 || hh > 24 || mm > 59 || ss > 60 || (hh == 24 && (mm || ss))) return 0;
    *used = i;
    *secs = hh * 3600 + mm * 60 + ss;
    return 1;
}

/* "Z", "+HH", "+HH:MM", "+HHMM" (or '-'): seconds east of UTC. */
static int zone(const char *s, size_t len, int64_t *offset) {
    if (len == 1 && (s[0] == 'Z' || s[0] == 'z')) {
        *offset = 0;
        return 1;
    }
    if (len < 3 || (s[0] != '+' && s[0] != '-')) return 0;
    const int hh = digits(s + 1, 2);
    int mm = 0;
    if (len == 6 && s[3] == ':')
        mm = digits(s + 4, 2);
    else if (len == 5)
        mm = digits(s + 3, 2);
    else if (len != 3)
        return 0;
    if (hh < 0 || mm < 0 || hh > 18 || mm > 59) return 0;
    *offset = (s[0] == '-' ? -1 : 1) * (int64_t)(hh * 3600 + mm * 60);
    return 1;
}

/* A date of the format at the start of s: *used bytes, the day number. */
static int date_part(int format, const char *s, size_t len, size_t *used, int32_t *day) {
    if (format == TIME_YYYYMMDD) {
        if (len < 8) return 0;
        *used = 8;
        return day_of(digits(s, 4), digits(s + 4, 2), digits(s + 6, 2), day);
    }
    if (format == TIME_DMY || format == TIME_MDY) {
        /* 1-2 digits, separator, 1-2 digits, the same separator, 4 digits */
        size_t i = 0;
        int a = 0, b = 0;
        char sep = 0;
        for (int part = 0; part < 2; part++) {
            const size_t start = i;
            int v = 0;
            while (i < len && i - start < 2 && isdigit((unsigned char)s[i])) v = v * 10 + (s[i++] - '0');
            if (i == start || i >= len) return 0;
            if (part == 0) sep = s[i];
            if (s[i] != sep || (sep != '/' && sep != '.' && sep != '-')) return 0;
            i++;
            if (part == 0)
                a = v;
            else
                b = v;
        }
        if (len - i < 4) return 0;
        const int y = digits(s + i, 4);
        *used = i + 4;
        return format == TIME_DMY ? day_of(y, b, a, day) : day_of(y, a, b, day);
    }
    /* ISO: YYYY-MM-DD or YYYY/MM/DD */
    if (len < 10 || (s[4] != '-' && s[4] != '/') || s[7] != s[4]) return 0;
    *used = 10;
    return day_of(digits(s, 4), digits(s + 5, 2), digits(s + 8, 2), day);
}

/* A date, then optionally (T or blank) a clock time and (ISO only) a zone. */
static int date_time(int format, int64_t day_offset, const char *s, size_t len, int64_t *out) {
    size_t used = 0;
    int32_t day, secs = 0;
    int64_t offset = day_offset;
    if (!date_part(format, s, len, &used, &day)) return 0;
    if (used < len) {
        if (s[used] != 'T' && s[used] != ' ') return 0;
        size_t clock = 0;
        used++;
        while (used < len && s[used] == ' ') used++;
        if (!clock_time(s + used, len - used, &clock, &secs)) return 0;
        used += clock;
        if (used < len) {
            if (format != TIME_ISO && format != TIME_AUTO) return 0;
            if (s[used] == ' ') used++;
            if (!zone(s + used, len - used, &offset)) return 0;
        }
    }
    *out = (int64_t)day * 86400 + secs - offset;
    return 1;
}

int time_parse(int format, int64_t day_offset, const char *s, size_t len, int64_t *out, int *integer) {
    if (integer) *integer = 0;
    if (len == 0) return 0;
    switch (format) {
    case TIME_EPOCH: return num_parse_i64(s, len, out);
    case TIME_EPOCH_MS: {
        int64_t ms;
        if (!num_parse_i64(s, len, &ms)) return 0;
        *out = ms >= 0 ? ms / 1000 : -((-(ms + 1)) / 1000) - 1; /* floor */
        return 1;
    }
    case TIME_AUTO:
        if (len >= 10 && (s[4] == '-' || s[4] == '/')) return date_time(TIME_ISO, day_offset, s, len, out);
        if (num_parse_i64(s, len, out)) {
            if (integer) *integer = 1;
            return 1;
        }
        return 0;
    default: return date_time(format, day_offset, s, len, out);
    }
}

int time_parse_day(int format, const char *s, size_t len, int32_t *day) {
    size_t used = 0;
    if (format != TIME_YYYYMMDD && format != TIME_DMY && format != TIME_MDY) format = TIME_ISO;
    if (!date_part(format, s, len, &used, day)) return 0;
    /* a time of day may follow */
    return used == len || s[used] == 'T' || s[used] == ' ';
}

int time_looks_day_month(const char *s, size_t len) {
    size_t used;
    int32_t day;
    return date_part(TIME_DMY, s, len, &used, &day) || date_part(TIME_MDY, s, len, &used, &day);
}

size_t time_write_day(char *buf, int32_t day) {
    int32_t y, m, d;
    if (crm_date_from_day(day, &y, &m, &d, NULL) != CRM_STATUS_OK) return num_write_i64(buf, day);
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    return 10;
}

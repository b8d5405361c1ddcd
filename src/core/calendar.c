/* calendar.c - day numbers and proleptic Gregorian dates (the day numbers of
 * every day column), so callers, the command-line tool and the tests share
 * one calendar. Howard Hinnant's days_from_civil / civil_from_days. */
#include "core/core.h"

int64_t crm__days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void crm__civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

crm_status crm_day_from_date(int32_t year, int32_t month, int32_t mday, int32_t *day, crm_error *err) {
    crm__error_clear(err);
    if (!day) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_day_from_date: day is NULL");
    if (year < 1 || year > 9999 || month < 1 || month > 12 || mday < 1 || mday > 31)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "%d-%d-%d is not a date of years 1..9999", year,
                         month, mday);
    int64_t d = crm__days_from_civil(year, month, mday), y, m, dd;
    crm__civil_from_days(d, &y, &m, &dd);
    if (y != year || m != month || dd != mday)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "%04d-%02d-%02d does not exist", year, month,
                         mday);
    *day = (int32_t)d;
    return CRM_STATUS_OK;
}

crm_status crm_date_from_day(int32_t day, int32_t *year, int32_t *month, int32_t *mday, crm_error *err) {
    crm__error_clear(err);
    if (!year || !month || !mday)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_date_from_day: NULL output");
    if (day < CRM_TIME_MIN_DAYS || day > CRM_TIME_MAX_DAYS)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "day %d is outside 0001-01-01..9999-12-31", day);
    int64_t y, m, d;
    crm__civil_from_days(day, &y, &m, &d);
    *year = (int32_t)y;
    *month = (int32_t)m;
    *mday = (int32_t)d;
    return CRM_STATUS_OK;
}

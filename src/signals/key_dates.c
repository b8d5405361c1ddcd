/* key_dates.c - birthdays and anniversaries of the relationship, and when to
 * greet (docs/DEFINITIONS.md section 11). */
#include "signals/signals.h"

/* The first day >= from with the month and day of day `of` (29 February
 * falls on 28 February in other years); its year into *year. */
static int32_t next_same_date(int32_t of, int32_t from, int64_t *year) {
    int64_t y, m, d, fy, fm, fd;
    crm__civil_from_days(of, &y, &m, &d);
    crm__civil_from_days(from, &fy, &fm, &fd);
    for (int64_t yy = fy;; yy++) {
        int64_t dd = d;
        int leap = (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0;
        if (m == 2 && d == 29 && !leap) dd = 28;
        int64_t day = crm__days_from_civil(yy, m, dd);
        if (day >= from) {
            *year = yy;
            return day > CRM_TIME_MAX_DAYS ? CRM_NO_DAY : (int32_t)day;
        }
    }
}

static int milestone(int32_t years) {
    return years == 1 || years == 3 || years == 5 || (years >= 10 && years % 5 == 0);
}

crm__key_dates crm__key_dates_of(const crm_config *c, const crm__customer *cu, int32_t day) {
    crm__key_dates k;
    int64_t year;
    k.next_birthday = k.next_anniversary = k.next_key_date = CRM_NO_DAY;
    k.relationship_years = CRM_NO_DAY;
    k.kind = CRM_KEY_DATE_NONE;
    k.care_due = k.milestone = 0;
    if (cu->attrs && cu->attrs->birthday != CRM_NO_DAY)
        k.next_birthday = next_same_date(cu->attrs->birthday, day, &year);
    int32_t since = cu->attrs && cu->attrs->relationship_start != CRM_NO_DAY ? cu->attrs->relationship_start
                                                                             : cu->now.first_day;
    if (since != CRM_NO_DAY && since <= day) {
        k.next_anniversary = next_same_date(since, day, &year);
        if (k.next_anniversary != CRM_NO_DAY) {
            int64_t y0, m0, d0;
            crm__civil_from_days(since, &y0, &m0, &d0);
            k.relationship_years = (int32_t)(year - y0);
            k.milestone = milestone(k.relationship_years);
        }
    }
    if (k.next_birthday != CRM_NO_DAY &&
        (k.next_anniversary == CRM_NO_DAY || k.next_birthday <= k.next_anniversary)) {
        k.next_key_date = k.next_birthday;
        k.kind = CRM_KEY_DATE_BIRTHDAY;
    } else if (k.next_anniversary != CRM_NO_DAY) {
        k.next_key_date = k.next_anniversary;
        k.kind = CRM_KEY_DATE_ANNIVERSARY;
    }
    k.care_due = k.next_key_date != CRM_NO_DAY &&
                 (int64_t)k.next_key_date - day <= crm__opt_int(c, CRM_OPTION_CARE_LEAD_DAYS);
    return k;
}

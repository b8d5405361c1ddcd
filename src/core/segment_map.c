/* segment.c - named RFM segments: the default map of DOMAIN section 3 and
 * validated caller rule tables, both turned into one k^3 lookup table. */
#include "core/core.h"

#include <stdio.h>
#include <string.h>

int crm__rescale5(int s, int k) {
    if (k == 5) return s;
    /* 1 + floor(4(s-1)/(k-1) + 1/2), in integers: floor((8(s-1) + (k-1)) / (2(k-1))) */
    return 1 + (8 * (s - 1) + (k - 1)) / (2 * (k - 1));
}

int32_t crm__default_segment(int r, int f, int m, int k) {
    r = crm__rescale5(r, k);
    int fm2 = crm__rescale5(f, k) + crm__rescale5(m, k); /* 2 * FM, so the bands are integers */
    int band = fm2 < 4 ? 0 : fm2 < 6 ? 1 : fm2 < 8 ? 2 : 3;
    static const int32_t map[5][4] = {
        /* R = 1 */ {CRM_SEGMENT_LOST, CRM_SEGMENT_HIBERNATING, CRM_SEGMENT_AT_RISK,
                     CRM_SEGMENT_CANT_LOSE_THEM},
        /* R = 2 */
        {CRM_SEGMENT_HIBERNATING, CRM_SEGMENT_NEED_ATTENTION, CRM_SEGMENT_AT_RISK, CRM_SEGMENT_AT_RISK},
        /* R = 3 */
        {CRM_SEGMENT_ABOUT_TO_SLEEP, CRM_SEGMENT_NEED_ATTENTION, CRM_SEGMENT_LOYAL_CUSTOMERS,
         CRM_SEGMENT_LOYAL_CUSTOMERS},
        /* R = 4 */
        {CRM_SEGMENT_PROMISING, CRM_SEGMENT_POTENTIAL_LOYALIST, CRM_SEGMENT_LOYAL_CUSTOMERS,
         CRM_SEGMENT_CHAMPIONS},
        /* R = 5 */
        {CRM_SEGMENT_NEW_CUSTOMERS, CRM_SEGMENT_POTENTIAL_LOYALIST, CRM_SEGMENT_LOYAL_CUSTOMERS,
         CRM_SEGMENT_CHAMPIONS},
    };
    return map[r - 1][band];
}

static void cell_code(char *buf, size_t size, int r, int f, int m, int k) {
    if (k <= 9)
        snprintf(buf, size, "%d%d%d", r, f, m);
    else
        snprintf(buf, size, "(%d,%d,%d)", r, f, m);
}

/* Append text to a bounded message, marking truncation with "...". */
static void append(char *msg, size_t size, const char *text) {
    size_t used = strlen(msg);
    if (used + 1 >= size) return;
    if (used + strlen(text) + 4 >= size) {
        if (!strstr(msg, "...")) snprintf(msg + used, size - used, "...");
        return;
    }
    snprintf(msg + used, size - used, "%s", text);
}

crm_status crm__segment_table(const crm_allocator *a, const crm__rule *rules, size_t nrules, int k,
                              int32_t **table, crm_error *err) {
    *table = NULL;
    size_t cells = (size_t)k * (size_t)k * (size_t)k;
    int32_t *t = crm__calloc(a, cells, sizeof *t);
    if (!t) return crm__nomem(err);
    if (!rules) {
        for (int r = 1; r <= k; r++)
            for (int f = 1; f <= k; f++)
                for (int m = 1; m <= k; m++)
                    t[((r - 1) * k + (f - 1)) * k + (m - 1)] = crm__default_segment(r, f, m, k);
        *table = t;
        return CRM_STATUS_OK;
    }
    char uncovered[160] = "", overlapping[160] = "";
    size_t nuncovered = 0, noverlap = 0;
    for (int r = 1; r <= k; r++)
        for (int f = 1; f <= k; f++)
            for (int m = 1; m <= k; m++) {
                int32_t *cell = &t[((r - 1) * k + (f - 1)) * k + (m - 1)];
                int first = -1, second = -1;
                for (size_t i = 0; i < nrules; i++) {
                    const crm__rule *u = &rules[i];
                    if (r < u->r_min || r >= u->r_max || f < u->f_min || f >= u->f_max || m < u->m_min ||
                        m >= u->m_max)
                        continue;
                    if (first < 0)
                        first = (int)i;
                    else if (second < 0)
                        second = (int)i;
                }
                char code[48], item[128];
                cell_code(code, sizeof code, r, f, m, k);
                if (first < 0) {
                    snprintf(item, sizeof item, "%s%s", nuncovered++ ? ", " : "", code);
                    append(uncovered, sizeof uncovered, item);
                } else if (second >= 0) {
                    snprintf(item, sizeof item, "%s%s (rules %d and %d)", noverlap++ ? ", " : "", code, first,
                             second);
                    append(overlapping, sizeof overlapping, item);
                }
                *cell = first + 1;
            }
    if (nuncovered || noverlap) {
        crm__free(a, t);
        if (nuncovered && noverlap)
            return crm__fail(err, CRM_STATUS_BAD_RULES,
                             "segment rules: %zu cells uncovered: %s; %zu cells overlap: %s", nuncovered,
                             uncovered, noverlap, overlapping);
        if (nuncovered)
            return crm__fail(err, CRM_STATUS_BAD_RULES, "segment rules: %zu cells uncovered: %s", nuncovered,
                             uncovered);
        return crm__fail(err, CRM_STATUS_BAD_RULES, "segment rules: %zu cells overlap: %s", noverlap,
                         overlapping);
    }
    *table = t;
    return CRM_STATUS_OK;
}

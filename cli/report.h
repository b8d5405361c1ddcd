/* report.h - the HTML report of an analysis: one self-contained file (inline
 * SVG, no script, no network, printable) a manager would rather look at than
 * read. Part of the crmkit command, not of the library: it reads only the
 * library's public result table (crmkit.h). */
#ifndef CRMKIT_REPORT_H
#define CRMKIT_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "crmkit.h"

typedef struct crmkit_report_input {
    const crm_result *result; /* the analysis (required) */
    /* A crm_calibration_split result for the tracking chart, or NULL. Its
     * holdout is taken to end at result's as-of day (the split's holdout_end
     * is not in its result), and the chart refits result's purchase model
     * (BG/NBD when none) on the calibration period. */
    const crm_result *calibration;
    const char *title; /* shown at the top, e.g. the input file's name; NULL: "crmkit report" */
    /* The customers' ids as the caller's files wrote them, row-aligned with
     * result (NULL: the numeric ids are shown). */
    const char *const *customer_labels;
    size_t call_list; /* rows of the call list; 0: 20 */
    /* The configuration of the analysis, for the thresholds the report
     * states (the 7:2:1 targets, mix_tolerance, mix_min_contacts,
     * loyal_min_purchase_days), or NULL: the defaults. */
    const crm_config *config;
} crmkit_report_input;

/* Write the report to out. Returns 0, or -1 with a sentence in err (errlen
 * bytes, NUL-terminated) when the input is unusable or writing fails. */
int crmkit_report_write(FILE *out, const crmkit_report_input *in, char *err, size_t errlen);

#endif /* CRMKIT_REPORT_H */

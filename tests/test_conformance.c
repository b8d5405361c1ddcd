/* test_conformance.c - every value of tests/data/conformance/ reproduced:
 * expected_small.csv (summary, RFM under both ties policies, tiers) and
 * expected_signals_small.csv (lifecycle, flags, health, contact plan,
 * complaint and engagement aggregates). */
#include "crm_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    crm_transaction *tx;
    size_t ntx;
    crm_interaction *ix;
    size_t nix;
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    f->ntx = crm_test_load_transactions("conformance/transactions_small.csv", &f->tx);
    f->nix = crm_test_load_interactions("conformance/interactions_small.csv", &f->ix);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    free(f->tx);
    free(f->ix);
    free(f);
    return 0;
}

static crm_result *run(const fixture *f, int with_interactions, const char *ties) {
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    if (ties) assert_int_equal(crm_config_set_text(cfg, "ties", ties, &err), CRM_STATUS_OK);
    crm_transactions tv;
    crm_interactions iv;
    crm_transactions_from_array(&tv, f->tx, f->ntx, NULL);
    crm_interactions_from_array(&iv, f->ix, f->nix, NULL);
    crm_result *r = NULL;
    crm_status st = crm_analyze(cfg, &tv, with_interactions ? &iv : NULL, NULL, &r, &err);
    if (st != CRM_STATUS_OK) print_error("crm_analyze: %s\n", err.message);
    assert_int_equal(st, CRM_STATUS_OK);
    crm_config_free(cfg);
    return r;
}

/* Mismatch bookkeeping: print the first few, count all, fail at the end. */
typedef struct tally {
    long mismatches;
    long checked;
} tally;

static void mismatch(tally *t, const char *column, const char *id, const char *got, const char *want) {
    if (t->mismatches++ < 25)
        print_error("customer %s column %s: got '%s', expected '%s'\n", id, column, got, want);
}

static void check_int(tally *t, const char *column, const char *id, long long got, const char *want) {
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", got);
    t->checked++;
    if (atoll(want) != got || !want[0]) mismatch(t, column, id, buf, want);
}

/* Money and ratios are rounded to 6 decimals in the files. */
static void check_real(tally *t, const char *column, const char *id, double got, const char *want) {
    char buf[48];
    snprintf(buf, sizeof buf, "%.9g", got);
    t->checked++;
    if (!want[0]) {
        if (!isnan(got)) mismatch(t, column, id, buf, "(empty)");
        return;
    }
    double w = atof(want);
    if (!(fabs(got - w) <= 5.1e-7 + 1e-12 * fabs(w))) mismatch(t, column, id, buf, want);
}

static void check_text(tally *t, const char *column, const char *id, const char *got, const char *want) {
    t->checked++;
    if (strcmp(got ? got : "(null)", want) != 0) mismatch(t, column, id, got ? got : "(null)", want);
}

static void check_day(tally *t, const char *column, const char *id, int32_t got, const char *want) {
    char buf[16] = "";
    if (got != CRM_NO_DAY) crm_test_iso(got, buf, sizeof buf);
    check_text(t, column, id, buf, want);
}

static void test_expected_small(void **state) {
    const fixture *f = *state;
    crm_result *shared = run(f, 0, NULL), *ntile = run(f, 0, "ntile");
    char path[1024];
    crm_csv e;
    crm_csv_read(&e, crm_test_data_path(path, sizeof path, "conformance/expected_small.csv"));
    assert_int_equal(e.rows, 300);
    assert_int_equal(crm_result_rows(shared), 300);
    char iso[16];
    crm_test_iso(crm_result_as_of_day(shared), iso, sizeof iso);
    assert_string_equal(iso, "2023-01-05");
    tally t = {0, 0};
    static const struct {
        const char *name;
        int column;
        int ntile;
    } cols[] = {
        {"tenure_days", CRM_COLUMN_TENURE_DAYS, 0},
        {"recency_days", CRM_COLUMN_RECENCY_DAYS, 0},
        {"purchase_days", CRM_COLUMN_PURCHASE_DAYS, 0},
        {"transactions", CRM_COLUMN_TRANSACTIONS, 0},
        {"monetary", CRM_COLUMN_MONETARY, 0},
        {"gross", CRM_COLUMN_GROSS, 0},
        {"returns_count", CRM_COLUMN_RETURNS_COUNT, 0},
        {"returns_amount", CRM_COLUMN_RETURNS_AMOUNT, 0},
        {"median_interval_days", CRM_COLUMN_MEDIAN_INTERVAL_DAYS, 0},
        {"recent_purchase_days", CRM_COLUMN_RECENT_PURCHASE_DAYS, 0},
        {"prior_purchase_days", CRM_COLUMN_PRIOR_PURCHASE_DAYS, 0},
        {"r_score", CRM_COLUMN_R_SCORE, 0},
        {"f_score", CRM_COLUMN_F_SCORE, 0},
        {"m_score", CRM_COLUMN_M_SCORE, 0},
        {"r_score_ntile", CRM_COLUMN_R_SCORE, 1},
        {"f_score_ntile", CRM_COLUMN_F_SCORE, 1},
        {"m_score_ntile", CRM_COLUMN_M_SCORE, 1},
        {"rfm_cell", CRM_COLUMN_RFM_CELL, 0},
        {"segment", CRM_COLUMN_SEGMENT, 0},
        {"value_tier", CRM_COLUMN_VALUE_TIER, 0},
        {"contribution_band", CRM_COLUMN_CONTRIBUTION_BAND, 0},
    };
    for (size_t row = 0; row < e.rows; row++) {
        const char *id = crm_csv_at(&e, row, crm_csv_col(&e, "customer_id"));
        int64_t i = crm_result_find(shared, strtoull(id, NULL, 10));
        assert_true(i >= 0);
        assert_int_equal((size_t)i, row); /* rows sorted by customer id */
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            const crm_result *r = cols[c].ntile ? ntile : shared;
            const char *want = crm_csv_at(&e, row, crm_csv_col(&e, cols[c].name));
            int col = cols[c].column;
            switch (crm_column_type(col)) {
            case CRM_TYPE_I32:
                if (crm_column_enum(col) != CRM_ENUM_NONE)
                    check_text(&t, cols[c].name, id, crm_result_label(r, col, crm_result_i32(r, col)[i]),
                               want);
                else
                    check_int(&t, cols[c].name, id, crm_result_i32(r, col)[i], want);
                break;
            case CRM_TYPE_I64: check_int(&t, cols[c].name, id, crm_result_i64(r, col)[i], want); break;
            default: check_real(&t, cols[c].name, id, crm_result_f64(r, col)[i], want); break;
            }
        }
    }
    crm_csv_free(&e);
    crm_result_free(shared);
    crm_result_free(ntile);
    print_message("expected_small: %ld values checked, %ld mismatches\n", t.checked, t.mismatches);
    assert_int_equal(t.mismatches, 0);
}

static void flag_names(crm_flags flags, char *buf, size_t size) {
    /* names sorted alphabetically, joined by '|' */
    const char *names[crm_enum_count(CRM_ENUM_FLAG)];
    size_t n = 0;
    for (int b = 0; b < crm_enum_count(CRM_ENUM_FLAG); b++)
        if (flags & CRM_FLAG_BIT(b)) names[n++] = crm_enum_name(CRM_ENUM_FLAG, b);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            const char *tmp = names[j];
            names[j] = names[j - 1];
            names[j - 1] = tmp;
        }
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i) strncat(buf, "|", size - strlen(buf) - 1);
        strncat(buf, names[i], size - strlen(buf) - 1);
    }
}

static void test_expected_signals(void **state) {
    const fixture *f = *state;
    crm_result *r = run(f, 1, NULL);
    char path[1024];
    crm_csv e;
    crm_csv_read(&e, crm_test_data_path(path, sizeof path, "conformance/expected_signals_small.csv"));
    assert_int_equal(e.rows, 328);
    assert_int_equal(crm_result_rows(r), 328);
    tally t = {0, 0};
    static const struct {
        const char *name;
        int column;
    } cols[] = {
        {"lifecycle_stage", CRM_COLUMN_LIFECYCLE_STAGE},
        {"previous_stage", CRM_COLUMN_PREVIOUS_STAGE},
        {"expected_interval_days", CRM_COLUMN_EXPECTED_INTERVAL_DAYS},
        {"overdue_ratio", CRM_COLUMN_OVERDUE_RATIO},
        {"value_tier", CRM_COLUMN_VALUE_TIER},
        {"contribution_band", CRM_COLUMN_CONTRIBUTION_BAND},
        {"tenure_band", CRM_COLUMN_TENURE_BAND},
        {"value_class", CRM_COLUMN_VALUE_CLASS},
        {"churn_flags", CRM_COLUMN_CHURN_FLAGS},
        {"risk_level", CRM_COLUMN_RISK_LEVEL},
        {"health_score", CRM_COLUMN_HEALTH_SCORE},
        {"health_band", CRM_COLUMN_HEALTH_BAND},
        {"next_call_due", CRM_COLUMN_NEXT_CALL_DUE},
        {"next_visit_due", CRM_COLUMN_NEXT_VISIT_DUE},
        {"contact_overdue", CRM_COLUMN_CONTACT_OVERDUE},
        {"complaints", CRM_COLUMN_COMPLAINTS},
        {"open_complaints", CRM_COLUMN_OPEN_COMPLAINTS},
        {"sla_breaches", CRM_COLUMN_SLA_BREACHES},
        {"referrals", CRM_COLUMN_REFERRALS},
        {"last_survey_score", CRM_COLUMN_LAST_SURVEY_SCORE},
        {"recent_engagement", CRM_COLUMN_RECENT_ENGAGEMENT},
        {"prior_engagement", CRM_COLUMN_PRIOR_ENGAGEMENT},
        {"unsubscribed", CRM_COLUMN_UNSUBSCRIBED},
    };
    const int32_t *stage = crm_result_i32(r, CRM_COLUMN_LIFECYCLE_STAGE);
    for (size_t row = 0; row < e.rows; row++) {
        const char *id = crm_csv_at(&e, row, crm_csv_col(&e, "customer_id"));
        int64_t i = crm_result_find(r, strtoull(id, NULL, 10));
        assert_true(i >= 0);
        int prospect = stage[i] == CRM_STAGE_PROSPECT;
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            const char *want = crm_csv_at(&e, row, crm_csv_col(&e, cols[c].name));
            int col = cols[c].column;
            if (col == CRM_COLUMN_CHURN_FLAGS) {
                char buf[256];
                flag_names(crm_result_u64(r, col)[i], buf, sizeof buf);
                check_text(&t, cols[c].name, id, buf, want);
            } else if (col == CRM_COLUMN_NEXT_CALL_DUE || col == CRM_COLUMN_NEXT_VISIT_DUE) {
                check_day(&t, cols[c].name, id, crm_result_i32(r, col)[i], want);
            } else if (col == CRM_COLUMN_CONTACT_OVERDUE && prospect) {
                /* Not applicable to prospects (empty in the file); the column holds 0. */
                check_text(&t, cols[c].name, id, crm_result_i32(r, col)[i] == 0 ? "" : "1", want);
            } else if (crm_column_type(col) == CRM_TYPE_I32 && crm_column_enum(col) != CRM_ENUM_NONE &&
                       crm_column_enum(col) != CRM_ENUM_BOOL) {
                const char *got = crm_result_label(r, col, crm_result_i32(r, col)[i]);
                /* The file leaves health_band empty where no score applies. */
                if (col == CRM_COLUMN_HEALTH_BAND && crm_result_i32(r, col)[i] == CRM_HEALTH_NONE) got = "";
                check_text(&t, cols[c].name, id, got, want);
            } else if (crm_column_type(col) == CRM_TYPE_I32) {
                check_int(&t, cols[c].name, id, crm_result_i32(r, col)[i], want);
            } else if (crm_column_type(col) == CRM_TYPE_I64) {
                check_int(&t, cols[c].name, id, crm_result_i64(r, col)[i], want);
            } else {
                check_real(&t, cols[c].name, id, crm_result_f64(r, col)[i], want);
            }
        }
    }
    crm_csv_free(&e);
    crm_result_free(r);
    print_message("expected_signals_small: %ld values checked, %ld mismatches\n", t.checked, t.mismatches);
    assert_int_equal(t.mismatches, 0);
}

/* Every record is accounted for: accepted + rejected by reason = total. */
static void test_accounting(void **state) {
    const fixture *f = *state;
    crm_result *r = run(f, 1, NULL);
    for (int input = CRM_INPUT_TRANSACTIONS; input <= CRM_INPUT_INTERACTIONS; input++) {
        int64_t sum = 0;
        for (int fate = 0; fate < crm_enum_count(CRM_ENUM_FATE); fate++)
            sum += crm_result_records(r, input, fate);
        assert_int_equal(sum, crm_result_records_total(r, input));
    }
    assert_int_equal(crm_result_records_total(r, CRM_INPUT_TRANSACTIONS), (int64_t)f->ntx);
    assert_int_equal(crm_result_records(r, CRM_INPUT_TRANSACTIONS, CRM_FATE_ACCEPTED), (int64_t)f->ntx);
    assert_int_equal(crm_result_records_total(r, CRM_INPUT_INTERACTIONS), (int64_t)f->nix);
    crm_result_free(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expected_small),
        cmocka_unit_test(test_expected_signals),
        cmocka_unit_test(test_accounting),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

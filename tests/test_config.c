/* test_config.c - options: defaults, bounds, names, text parsing, types,
 * reset, clone; enumeration, column and metric names; versions. */
#include "crm_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void test_defaults_and_names(void **state) {
    (void)state;
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    assert_int_equal(err.status, CRM_STATUS_OK);
    assert_int_equal(err.record, -1);
    for (int o = 0; o < crm_enum_count(CRM_ENUM_OPTION); o++) {
        const char *name = crm_enum_name(CRM_ENUM_OPTION, o);
        assert_non_null(name);
        assert_int_equal(crm_enum_value(CRM_ENUM_OPTION, name), o);
        double def, lo, hi, got;
        assert_int_equal(crm_option_default(o, &def, NULL), CRM_STATUS_OK);
        assert_int_equal(crm_option_bounds(o, &lo, &hi, NULL), CRM_STATUS_OK);
        assert_true(lo <= hi);
        assert_int_equal(crm_config_get_real(cfg, o, &got, &err), CRM_STATUS_OK);
        if (o == CRM_OPTION_AS_OF) {
            assert_true(isnan(def) && isnan(got));
        } else {
            assert_true(def == got);
            assert_true(def >= lo && def <= hi);
        }
        assert_true(crm_option_type_of(o) >= CRM_OPTION_TYPE_INT &&
                    crm_option_type_of(o) <= CRM_OPTION_TYPE_ENUM);
    }
    /* A few defaults of docs/DEFINITIONS.md, by name */
    double v;
    crm_config_get_real(cfg, crm_enum_value(CRM_ENUM_OPTION, "rfm_bins"), &v, &err);
    assert_near(v, 5, 0, 0);
    crm_config_get_real(cfg, crm_enum_value(CRM_ENUM_OPTION, "window_days"), &v, &err);
    assert_near(v, 90, 0, 0);
    crm_config_get_real(cfg, crm_enum_value(CRM_ENUM_OPTION, "key_share"), &v, &err);
    assert_near(v, 0.80, 0, 0);
    crm_config_get_real(cfg, crm_enum_value(CRM_ENUM_OPTION, "sla_major_seconds"), &v, &err);
    assert_near(v, 7200, 0, 0);
    crm_config_get_real(cfg, crm_enum_value(CRM_ENUM_OPTION, "call_days_key"), &v, &err);
    assert_near(v, 30, 0, 0);
    assert_null(crm_enum_name(CRM_ENUM_OPTION, crm_enum_count(CRM_ENUM_OPTION)));
    assert_int_equal(crm_enum_value(CRM_ENUM_OPTION, "no_such_option"), -1);
    assert_int_equal(crm_enum_value(CRM_ENUM_OPTION, NULL), -1);
    assert_int_equal(crm_option_enum(CRM_OPTION_TIES), CRM_ENUM_TIES);
    assert_int_equal(crm_option_enum(CRM_OPTION_RFM_BINS), CRM_ENUM_NONE);
    crm_config_free(cfg);
}

static void test_setters(void **state) {
    (void)state;
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    int64_t i;
    /* range, type and whole-number checks; the value is unchanged on failure */
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_RFM_BINS, 11, &err), CRM_STATUS_BAD_OPTION);
    assert_non_null(strstr(err.message, "rfm_bins"));
    assert_non_null(strstr(err.message, "[2, 10]"));
    assert_int_equal(crm_config_get_int(cfg, CRM_OPTION_RFM_BINS, &i, &err), CRM_STATUS_OK);
    assert_int_equal(i, 5);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_KEY_SHARE, 1, &err), CRM_STATUS_WRONG_TYPE);
    assert_int_equal(crm_config_set_real(cfg, CRM_OPTION_RFM_BINS, 4.5, &err), CRM_STATUS_BAD_OPTION);
    assert_int_equal(crm_config_set_real(cfg, CRM_OPTION_RFM_BINS, 4.0, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_real(cfg, CRM_OPTION_KEY_SHARE, NAN, &err), CRM_STATUS_BAD_OPTION);
    /* BG/BB is a model kind but not one the analysis fits: the message says where it goes. */
    assert_int_equal(crm_config_set_text(cfg, "model", "bgbb", &err), CRM_STATUS_BAD_OPTION);
    assert_non_null(strstr(err.message, "crm_model_fit"));
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_MODEL, CRM_MODEL_KIND_GAMMA_GAMMA, &err),
                     CRM_STATUS_BAD_OPTION);
    assert_int_equal(crm_config_get_int(cfg, CRM_OPTION_KEY_SHARE, &i, &err), CRM_STATUS_WRONG_TYPE);
    assert_int_equal(crm_config_set_int(cfg, -1, 1, &err), CRM_STATUS_INVALID_ARGUMENT);
    assert_int_equal(crm_config_set_int(NULL, CRM_OPTION_RFM_BINS, 4, &err), CRM_STATUS_INVALID_ARGUMENT);
    /* text: numbers and enum value names */
    assert_int_equal(crm_config_set_text(cfg, "ties", "ntile", &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_get_int(cfg, CRM_OPTION_TIES, &i, &err), CRM_STATUS_OK);
    assert_int_equal(i, CRM_TIES_NTILE);
    assert_int_equal(crm_config_set_text(cfg, "ties", "1", &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "ties", "random", &err), CRM_STATUS_BAD_OPTION);
    assert_int_equal(crm_config_set_text(cfg, "model", "pareto_nbd", &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "key_share", "0.7", &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_text(cfg, "key_share", "0.7x", &err), CRM_STATUS_BAD_OPTION);
    assert_int_equal(crm_config_set_text(cfg, "bogus", "1", &err), CRM_STATUS_BAD_OPTION);
    assert_non_null(strstr(err.message, "unknown option 'bogus'"));
    assert_int_equal(crm_config_set_text(cfg, "as_of", "1700000000", &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_get_int(cfg, CRM_OPTION_AS_OF, &i, &err), CRM_STATUS_OK);
    assert_int_equal(i, 1700000000);
    assert_int_equal(crm_config_set_int(cfg, CRM_OPTION_AS_OF, CRM_TIME_MAX + 1, &err),
                     CRM_STATUS_BAD_OPTION);
    /* clone keeps everything; reset restores defaults */
    crm_config *copy;
    assert_int_equal(crm_config_clone(cfg, &copy, &err), CRM_STATUS_OK);
    double v;
    assert_int_equal(crm_config_get_real(copy, CRM_OPTION_KEY_SHARE, &v, &err), CRM_STATUS_OK);
    assert_near(v, 0.7, 0, 0);
    assert_int_equal(crm_config_reset(copy, CRM_OPTION_AS_OF, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_get_int(copy, CRM_OPTION_AS_OF, &i, &err), CRM_STATUS_OK);
    assert_int_equal(i, INT64_MIN);
    assert_int_equal(crm_config_reset(copy, CRM_OPTION_KEY_SHARE, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_get_real(copy, CRM_OPTION_KEY_SHARE, &v, &err), CRM_STATUS_OK);
    assert_near(v, 0.8, 0, 0);
    assert_int_equal(crm_config_get_int(cfg, CRM_OPTION_AS_OF, &i, &err), CRM_STATUS_OK);
    assert_int_equal(i, 1700000000); /* the original is untouched */
    crm_config_free(copy);
    crm_config_free(cfg);
}

static void test_enum_and_column_names(void **state) {
    (void)state;
    assert_string_equal(crm_enum_name(CRM_ENUM_STAGE, CRM_STAGE_REACTIVATED), "reactivated");
    assert_string_equal(crm_enum_name(CRM_ENUM_KIND, CRM_KIND_COMPLAINT_RESOLUTION), "complaint_resolution");
    assert_string_equal(crm_enum_name(CRM_ENUM_CLASS, CRM_CLASS_DORMANT_HIGH_POTENTIAL),
                        "dormant_high_potential");
    assert_null(crm_enum_name(CRM_ENUM_STAGE, 99));
    assert_null(crm_enum_name(CRM_ENUM_STAGE, -1));
    assert_null(crm_enum_name(999, 0));
    assert_int_equal(crm_enum_value(CRM_ENUM_KIND, "follow_up"), CRM_KIND_FOLLOW_UP);
    assert_int_equal(crm_enum_value(CRM_ENUM_KIND, "Follow_Up"), -1);
    assert_int_equal(crm_enum_value(CRM_ENUM_KIND, NULL), -1);
    for (int k = 1; k < crm_enum_count(CRM_ENUM_KIND); k++) assert_non_null(crm_enum_name(CRM_ENUM_KIND, k));
    for (int b = 0; b < crm_enum_count(CRM_ENUM_FLAG); b++) {
        assert_non_null(crm_enum_name(CRM_ENUM_FLAG, b));
        assert_non_null(crm_enum_description(CRM_ENUM_FLAG, b));
    }
    assert_string_equal(crm_enum_name(CRM_ENUM_FLAG, CRM_FLAG_SLA_BREACH), "sla_breach");
    assert_int_equal(CRM_FLAG_BIT(CRM_FLAG_SLA_BREACH), 256);
    assert_string_equal(crm_enum_description(CRM_ENUM_FLAG, CRM_FLAG_CONTACT_OVERDUE),
                        "the scheduled call is overdue");
    assert_null(crm_enum_name(CRM_ENUM_FLAG, crm_enum_count(CRM_ENUM_FLAG)));
    assert_null(crm_enum_name(CRM_ENUM_FLAG, -1));
    for (int c = 0; c < crm_enum_count(CRM_ENUM_COLUMN); c++) {
        assert_non_null(crm_enum_name(CRM_ENUM_COLUMN, c));
        assert_int_equal(crm_enum_value(CRM_ENUM_COLUMN, crm_enum_name(CRM_ENUM_COLUMN, c)), c);
        assert_true(crm_column_type(c) != CRM_TYPE_NONE);
        assert_true(crm_column_unit(c) != CRM_UNIT_NONE);
        /* enumeration columns are exactly the ENUM and BOOL units */
        int e = crm_column_enum(c);
        assert_int_equal(e != CRM_ENUM_NONE,
                         crm_column_unit(c) == CRM_UNIT_ENUM || crm_column_unit(c) == CRM_UNIT_BOOL);
    }
    assert_int_equal(crm_column_unit(CRM_COLUMN_NEXT_CALL_DUE), CRM_UNIT_DAY);
    assert_int_equal(crm_column_unit(CRM_COLUMN_RECENCY_DAYS), CRM_UNIT_DAYS);
    assert_int_equal(crm_column_unit(crm_enum_count(CRM_ENUM_COLUMN)), CRM_UNIT_NONE);
    assert_int_equal(crm_enum_count(CRM_ENUM_STAGE), 8);
    assert_int_equal(crm_enum_count(CRM_ENUM_SEGMENT), 12);
    assert_int_equal(crm_enum_count(CRM_ENUM_KIND), 18);
    assert_int_equal(crm_enum_count(CRM_ENUM_FATE), 12);
    assert_int_equal(crm_enum_count(CRM_ENUM_FLAG), 13);
    assert_int_equal(crm_enum_count(CRM_ENUM_COLUMN), 86);
    assert_int_equal(crm_enum_count(CRM_ENUM_OPTION), 84);
    assert_int_equal(crm_enum_count(CRM_ENUM_METRIC), 17);
    assert_int_equal(crm_enum_count(CRM_ENUM_STATUS), CRM_STATUS_SHORT_BUFFER + 1);
    assert_int_equal(crm_enum_count(CRM_ENUM_INPUT), CRM_INPUT_CUSTOMERS + 1);
    assert_int_equal(crm_enum_count(CRM_ENUM_FIELD), CRM_FIELD_TARGETED + 1);
    /* Every enumeration names each of its values once, and names parse back. */
    for (int e = 1; e < crm_enum_count(CRM_ENUM_ENUM); e++) {
        int32_t n = crm_enum_count(e);
        assert_true(n > 0);
        assert_non_null(crm_enum_name(CRM_ENUM_ENUM, e));
        for (int32_t v = 0; v < n; v++) {
            const char *name = crm_enum_name(e, v);
            if (!name) {
                /* only the unused 0 of the 1-based type enumerations */
                assert_int_equal(v, 0);
                assert_true(e == CRM_ENUM_OPTION_TYPE || e == CRM_ENUM_TYPE);
                continue;
            }
            assert_int_equal(crm_enum_value(e, name), v);
        }
        assert_null(crm_enum_name(e, n));
    }
    assert_string_equal(crm_enum_name(CRM_ENUM_STATUS, CRM_STATUS_NO_MEMORY), "no_memory");
    assert_string_equal(crm_enum_name(CRM_ENUM_FATE, CRM_FATE_DUPLICATE_CUSTOMER), "duplicate_customer");
    assert_string_equal(crm_enum_name(CRM_ENUM_FATE, CRM_FATE_REPLACED), "replaced");
    assert_string_equal(crm_enum_name(CRM_ENUM_PURPOSE, CRM_PURPOSE_RELATIONSHIP), "relationship");
    assert_string_equal(crm_enum_name(CRM_ENUM_ANSWER, CRM_ANSWER_YES), "yes");
    assert_string_equal(crm_enum_name(CRM_ENUM_OPTION, CRM_OPTION_RFM_BINS), "rfm_bins");
    assert_int_equal(crm_enum_value(CRM_ENUM_ENUM, "column"), CRM_ENUM_COLUMN);
    assert_int_equal(crm_option_type_of(CRM_OPTION_TIES), CRM_OPTION_TYPE_ENUM);
    assert_string_equal(crm_enum_description(CRM_ENUM_FATE, CRM_FATE_NONFINITE), "is NaN or infinite");
    assert_null(crm_enum_description(CRM_ENUM_SEGMENT, 1));
    for (int o = 0; o < crm_enum_count(CRM_ENUM_OPTION); o++)
        assert_non_null(crm_enum_description(CRM_ENUM_OPTION, o));
    assert_null(crm_enum_description(CRM_ENUM_OPTION, crm_enum_count(CRM_ENUM_OPTION)));
    assert_int_equal(crm_enum_count(999), 0);
    assert_string_equal(crm_enum_name(CRM_ENUM_COLUMN, CRM_COLUMN_MEDIAN_INTERVAL_DAYS),
                        "median_interval_days");
    assert_int_equal(crm_column_type(CRM_COLUMN_CUSTOMER_ID), CRM_TYPE_U64);
    assert_int_equal(crm_column_enum(CRM_COLUMN_SEGMENT), CRM_ENUM_SEGMENT);
    assert_null(crm_enum_name(CRM_ENUM_COLUMN, crm_enum_count(CRM_ENUM_COLUMN)));
    assert_int_equal(crm_enum_value(CRM_ENUM_COLUMN, "nope"), -1);
    for (int m = 0; m < crm_enum_count(CRM_ENUM_METRIC); m++)
        assert_non_null(crm_enum_name(CRM_ENUM_METRIC, m));
    assert_string_equal(crm_enum_name(CRM_ENUM_METRIC, CRM_METRIC_RECOVERY_RATE), "recovery_rate");
    for (int s = 0; s <= CRM_STATUS_SHORT_BUFFER; s++)
        assert_non_null(crm_enum_description(CRM_ENUM_STATUS, s));
    assert_string_equal(crm_enum_description(CRM_ENUM_STATUS, CRM_STATUS_NO_MEMORY), "out of memory");
    assert_null(crm_enum_description(CRM_ENUM_STATUS, -5));
    assert_null(crm_enum_description(CRM_ENUM_STATUS, CRM_STATUS_SHORT_BUFFER + 1));
}

static void test_version(void **state) {
    (void)state;
    assert_int_equal(crm_version(), CRM_VERSION_NUMBER);
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", CRM_VERSION_MAJOR, CRM_VERSION_MINOR, CRM_VERSION_PATCH);
    assert_string_equal(crm_version_string(), want);
}

/* Ordered option pairs are checked when an analysis starts. */
static void test_option_order(void **state) {
    (void)state;
    crm_config *cfg;
    crm_error err;
    assert_int_equal(crm_config_create(NULL, &cfg, &err), CRM_STATUS_OK);
    assert_int_equal(crm_config_set_real(cfg, CRM_OPTION_KEY_SHARE, 0.97, &err),
                     CRM_STATUS_OK); /* above major_share */
    crm_transaction t = {1, 86400, 5};
    crm_transactions v;
    crm_transactions_from_array(&v, &t, 1, NULL);
    crm_result *r = NULL;
    assert_int_equal(crm_analyze(cfg, &v, NULL, NULL, &r, &err), CRM_STATUS_BAD_OPTION);
    assert_non_null(strstr(err.message, "key_share"));
    assert_non_null(strstr(err.message, "major_share"));
    crm_population *p = NULL;
    assert_int_equal(crm_population_create(cfg, &p, &err), CRM_STATUS_BAD_OPTION);
    assert_int_equal(crm_config_set_real(cfg, CRM_OPTION_MAJOR_SHARE, 0.98, &err), CRM_STATUS_OK);
    assert_int_equal(crm_analyze(cfg, &v, NULL, NULL, &r, &err), CRM_STATUS_OK);
    crm_result_free(r);
    crm_config_free(cfg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_names),    cmocka_unit_test(test_setters),
        cmocka_unit_test(test_enum_and_column_names), cmocka_unit_test(test_version),
        cmocka_unit_test(test_option_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

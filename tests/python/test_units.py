"""Column units and label counts come from the library (crm_column_unit,
crm_enum_count, crm_result_label_count), not from header comments or probing."""

import datetime
import sys
import unittest

import pyhelpers
from pyhelpers import DAY, crmkit

np, NUMPY_REASON = pyhelpers.optional_module("numpy")
pd, PANDAS_REASON = pyhelpers.optional_module("pandas")
if PANDAS_REASON:
    sys.stderr.write("test_units: skipping the pandas tests: %s\n" % PANDAS_REASON)

f = crmkit.ffi
lib = crmkit.lib

# Two purchasing customers and a prospect (10) with interactions, so that the
# contact day columns, both booleans and CRM_NO_DAY occur.
IX = {"customer_id": [10, 11, 11, 12, 12], "time": [0, DAY, DAY + 60, 2 * DAY, 3 * DAY],
      "kind": ["call_in", "engagement", "complaint", "call_out", "unsubscribe"],
      "value": [0.0, 0.0, 1.0, 0.0, 0.0], "ref": [0, 0, 77, 0, 0]}


def analyze_with_interactions():
    return crmkit.analyze([11, 12, 12], [DAY, DAY, 5 * DAY], [5.0, 3.0, 4.0], interactions=IX)


def cell_rules():
    """One rule per (R, F) score pair of a 5-bin RFM: 25 rules, more than the
    default segment map has names."""
    return [("R%dF%d" % (r, fs), (r, r + 1), (fs, fs + 1), (1, 6)) for r in range(1, 6) for fs in range(1, 6)]


class TestColumnUnit(unittest.TestCase):
    def test_units_of_some_columns(self):
        want = {
            "customer_id": "id",
            "first_purchase": "day",
            "last_purchase": "day",
            "last_call": "day",
            "next_visit_due": "day",
            "last_outbound": "day",
            "tenure_days": "days",
            "recency_days": "days",
            "median_interval_days": "days",
            "purchase_days": "count",
            "monetary": "money",
            "r_score": "score",
            "segment": "enum",
            "value_tier": "enum",
            "churn_flags": "flags",
            "contact_overdue": "bool",
            "unsubscribed": "bool",
            "p_alive": "ratio",
            "health_score": "points",
            "T": "time_units",
            "median_response_hours": "hours",
        }
        got = {name: crmkit.column_unit(name) for name in want}
        self.assertEqual(got, want)

    def test_by_id_and_against_the_c_function(self):
        unit_names = {v: lib.crm_enum_name(f.CRM_ENUM_UNIT, v).decode() for v in range(lib.crm_enum_count(
            f.CRM_ENUM_UNIT))}
        for cid, name in enumerate(crmkit.column_names()):
            self.assertEqual(crmkit.column_unit(name), unit_names[lib.crm_column_unit(cid)], name)
            self.assertEqual(crmkit.column_unit(cid), crmkit.column_unit(name), name)
        self.assertEqual(crmkit.column_unit(f.CRM_COLUMN_FIRST_PURCHASE), "day")

    def test_unknown_column(self):
        with self.assertRaises(KeyError):
            crmkit.column_unit("no_such_column")
        for bad in (-1, lib.crm_enum_count(f.CRM_ENUM_COLUMN)):
            with self.assertRaises(KeyError):
                crmkit.column_unit(bad)

    def test_no_comment_annotations_in_the_bindings(self):
        # the generator no longer reads the "[i32 day]" notes of the header
        self.assertFalse(hasattr(f, "COLUMN_ANNOTATIONS"))


class TestEnumCounts(unittest.TestCase):
    def test_enum_names_cover_crm_enum_count(self):
        enums = [v for n, v in f.ENUMS["crm_enum"].items() if n != "CRM_ENUM_NONE"]
        self.assertTrue(enums)
        for e in enums:
            n = lib.crm_enum_count(e)
            self.assertGreater(n, 0, e)
            names = crmkit.enum_names(e)
            # option types and types start at 1; every other enumeration at 0
            first = 1 if e in (f.CRM_ENUM_OPTION_TYPE, f.CRM_ENUM_TYPE) else 0
            self.assertEqual(sorted(names), list(range(first, n)), e)
            self.assertEqual(names, {v: lib.crm_enum_name(e, v).decode() for v in range(first, n)})
            self.assertEqual(crmkit.enum_count(e), n)
        self.assertEqual(len(crmkit.enum_names(f.CRM_ENUM_BOOL)), 2)
        self.assertEqual(lib.crm_enum_count(f.CRM_ENUM_NONE), 0)
        self.assertEqual(crmkit.enum_names(f.CRM_ENUM_NONE), {})


class FutureLibrary(object):
    """The loaded library, except that some enumerations have one more value
    and BG/NBD one more parameter: what a newer library would report."""

    def __init__(self, real, grow):
        self.real = real
        self.grow = grow  # {crm_enum id: name of the appended value}

    def __getattr__(self, name):
        return getattr(self.real, name)

    def crm_enum_count(self, e):
        return self.real.crm_enum_count(e) + (1 if e in self.grow else 0)

    def crm_enum_name(self, e, value):
        if e in self.grow and value == self.real.crm_enum_count(e):
            return self.grow[e].encode()
        return self.real.crm_enum_name(e, value)

    def crm_enum_description(self, e, value):
        if e in self.grow and value == self.real.crm_enum_count(e):
            return b"a value of a newer library"
        return self.real.crm_enum_description(e, value)

    def crm_column_unit(self, column):
        return self.real.crm_column_unit(column) if column < self.real.crm_enum_count(f.CRM_ENUM_COLUMN) \
            else f.CRM_UNIT_MONEY

    def crm_model_param_count(self, kind):
        return self.real.crm_model_param_count(kind) + (kind == f.CRM_MODEL_KIND_BGNBD)

    def crm_model_param_name(self, kind, i):
        if kind == f.CRM_MODEL_KIND_BGNBD and i == self.real.crm_model_param_count(kind):
            return b"extra"
        return self.real.crm_model_param_name(kind, i)


class TestNamesFromTheLibrary(unittest.TestCase):
    """Counts and names are the library's: crm_enum_count / crm_enum_name for
    columns, options, metrics, flags and fates; crm_model_param_count / name
    for model parameters. Nothing is restated by the binding."""

    def test_tables_match_the_library(self):
        def names(e):
            return [lib.crm_enum_name(e, v).decode() for v in range(lib.crm_enum_count(e))]
        self.assertEqual(crmkit.column_names(), names(f.CRM_ENUM_COLUMN))
        self.assertEqual(crmkit.option_names(), names(f.CRM_ENUM_OPTION))
        self.assertEqual(crmkit.metric_names(), names(f.CRM_ENUM_METRIC))
        self.assertEqual(crmkit.flag_names(), names(f.CRM_ENUM_FLAG))
        self.assertEqual(crmkit.fate_names(), names(f.CRM_ENUM_FATE))
        self.assertEqual(crmkit.input_names(), names(f.CRM_ENUM_INPUT)[1:])
        for kind in crmkit.model_names():
            k = lib.crm_enum_value(f.CRM_ENUM_MODEL_KIND, kind.encode())
            want = tuple(lib.crm_model_param_name(k, i).decode() for i in range(lib.crm_model_param_count(k)))
            self.assertEqual(crmkit.model_param_names(kind), want, kind)
            self.assertTrue(want, kind)
        self.assertEqual(crmkit.enum_count("flag"), lib.crm_enum_count(f.CRM_ENUM_FLAG))
        self.assertEqual(crmkit.enum_value("fate", "duplicate_customer"), f.CRM_FATE_DUPLICATE_CUSTOMER)
        self.assertEqual(crmkit.enum_value("fate", "no_such_fate"), -1)
        self.assertEqual(crmkit.enum_description("status", "no_memory"),
                         lib.crm_enum_description(f.CRM_ENUM_STATUS, f.CRM_STATUS_NO_MEMORY).decode())
        with self.assertRaises(KeyError):
            crmkit.enum_names("no_such_enumeration")

    def test_a_newer_library_is_followed(self):
        import crmkit._names as names
        grow = {f.CRM_ENUM_FLAG: "future_flag", f.CRM_ENUM_COLUMN: "future_column",
                f.CRM_ENUM_OPTION: "future_option", f.CRM_ENUM_METRIC: "future_metric",
                f.CRM_ENUM_FATE: "future_fate"}
        real = names.C
        names._cache.clear()
        names.C = FutureLibrary(real, grow)

        def restore():
            names.C = real
            names._cache.clear()
        self.addCleanup(restore)
        n = lib.crm_enum_count(f.CRM_ENUM_FLAG)
        self.assertEqual(crmkit.flag_names()[-1], "future_flag")
        self.assertEqual(crmkit.flags_of(1 << n | 1), ("inactive", "future_flag"))
        self.assertEqual(crmkit.flag_position("future_flag"), n)
        self.assertEqual(crmkit.flag_reason("future_flag"), "a value of a newer library")
        self.assertEqual(crmkit.column_names()[-1], "future_column")
        self.assertEqual(crmkit.column_unit("future_column"), "money")
        self.assertEqual(crmkit.option_names()[-1], "future_option")
        self.assertEqual(crmkit.metric_names()[-1], "future_metric")
        self.assertEqual(crmkit.fate_names()[-1], "future_fate")
        self.assertEqual(crmkit.model_param_names("bgnbd")[-1], "extra")
        self.assertEqual(len(crmkit.model_param_names("bgnbd")), lib.crm_model_param_count(f.CRM_MODEL_KIND_BGNBD) + 1)


class TestCalendar(unittest.TestCase):
    def test_day_numbers_agree_with_the_library(self):
        import ctypes
        from crmkit._convert import day_to_date
        for d in (datetime.date(1, 1, 1), datetime.date(1969, 12, 31), datetime.date(1970, 1, 1),
                  datetime.date(2000, 2, 29), datetime.date(2024, 3, 1), datetime.date(9999, 12, 31)):
            day = ctypes.c_int32()
            self.assertEqual(lib.crm_day_from_date(d.year, d.month, d.day, ctypes.byref(day), None),
                             f.CRM_STATUS_OK)
            self.assertEqual(crmkit.to_day(d), day.value, d)
            y, m, md = ctypes.c_int32(), ctypes.c_int32(), ctypes.c_int32()
            lib.crm_date_from_day(day.value, ctypes.byref(y), ctypes.byref(m), ctypes.byref(md), None)
            self.assertEqual(day_to_date(day.value), datetime.date(y.value, m.value, md.value))
        self.assertEqual(crmkit.to_day(datetime.date(1, 1, 1)), f.CRM_TIME_MIN_DAYS)
        self.assertEqual(crmkit.to_day(datetime.date(9999, 12, 31)), f.CRM_TIME_MAX_DAYS)


class TestLabels(unittest.TestCase):
    def test_default_map(self):
        r = analyze_with_interactions()
        for c in r.columns:
            cid = crmkit.column_names().index(c)
            n = lib.crm_result_label_count(r.handle, cid)
            if n == 0:
                with self.assertRaises(ValueError):
                    r.labels(c)
                continue
            labels = r.labels(c)
            self.assertEqual(list(labels), list(range(n)), c)
            self.assertEqual(n, lib.crm_enum_count(lib.crm_column_enum(cid)), c)
        self.assertEqual(r.labels("unsubscribed"), {0: "false", 1: "true"})
        self.assertEqual(r.labels("segment")[1], "Champions")

    def test_segment_rule_table(self):
        rules = cell_rules()
        r = crmkit.analyze(list(range(1, 41)), [i * DAY for i in range(40)], [float(i % 7 + 1) for i in range(40)],
                           rfm_bins=5, ties="ntile", segment_rules=rules)
        n = lib.crm_result_label_count(r.handle, f.CRM_COLUMN_SEGMENT)
        self.assertEqual(n, len(rules) + 1)
        self.assertGreater(n, lib.crm_enum_count(f.CRM_ENUM_SEGMENT))
        labels = r.labels("segment")
        self.assertEqual(len(labels), n)
        self.assertEqual(labels, dict([(0, "none")] + [(i + 1, rule[0]) for i, rule in enumerate(rules)]))
        names = r.column("segment", names=True)
        self.assertTrue(set(names) <= set(labels.values()))
        self.assertGreater(len(set(names)), 1)
        if pd is not None:
            cats = list(r.to_pandas()["segment"].cat.categories)
            self.assertEqual(cats, list(labels.values()))


class TestDates(unittest.TestCase):
    def test_dates_follow_the_day_unit(self):
        r = analyze_with_interactions()
        for c in r.columns:
            raw = r.column(c)
            dated = r.column(c, dates=True)
            if crmkit.column_unit(c) == "day":
                self.assertEqual(dated, [None if v == f.CRM_NO_DAY else datetime.date(1970, 1, 1)
                                         + datetime.timedelta(days=v) for v in raw], c)
            else:
                pyhelpers.assert_tables_equal(self, {c: dated}, {c: raw}, "dates=True")
        first = r.column("first_purchase", dates=True)
        self.assertEqual(r["customer_id"], [10, 11, 12])
        self.assertEqual(first, [None, datetime.date(1970, 1, 2), datetime.date(1970, 1, 2)])
        self.assertEqual(r.column("last_purchase", dates=True)[2], datetime.date(1970, 1, 6))
        self.assertEqual(r.column("last_call", dates=True), [None, None, datetime.date(1970, 1, 3)])
        self.assertEqual(r.column("last_inbound", dates=True)[0], datetime.date(1970, 1, 1))

    def test_names_follow_the_bool_unit(self):
        r = analyze_with_interactions()
        for c in ("unsubscribed", "contact_overdue"):
            if c in r:
                values = r.column(c, names=True)
                self.assertTrue(all(type(v) is bool for v in values), c)
                self.assertEqual(values, [bool(v) for v in r[c]])
        self.assertEqual(r.column("unsubscribed", names=True), [False, False, True])
        row = r.row(2)
        self.assertIs(row["unsubscribed"], True)
        self.assertEqual(row["first_purchase"], datetime.date(1970, 1, 2))


@unittest.skipIf(pd is None or np is None, PANDAS_REASON or NUMPY_REASON)
class TestPandasUnits(unittest.TestCase):
    def test_day_columns_are_datetime64(self):
        r = analyze_with_interactions()
        df = r.to_pandas()
        day_columns = [c for c in r.columns if crmkit.column_unit(c) == "day"]
        self.assertIn("first_purchase", day_columns)
        self.assertIn("last_call", day_columns)
        for c in r.columns:
            is_dt = str(df[c].dtype).startswith("datetime64")
            self.assertEqual(is_dt, c in day_columns, "%s: %s" % (c, df[c].dtype))
        for c in day_columns:
            want = r.column(c, dates=True)
            got = [None if pd.isna(v) else v.date() for v in df[c]]
            self.assertEqual(got, want, c)
        self.assertTrue(pd.isna(df.loc[0, "first_purchase"]))  # the prospect: CRM_NO_DAY -> NaT
        self.assertEqual(df.loc[2, "last_purchase"], pd.Timestamp(1970, 1, 6))

    def test_bool_and_days_columns(self):
        r = analyze_with_interactions()
        df = r.to_pandas()
        for c in r.columns:
            unit = crmkit.column_unit(c)
            if unit == "bool":
                self.assertEqual(df[c].dtype, bool, c)
            elif unit == "enum":
                self.assertEqual(str(df[c].dtype), "category", c)
        self.assertEqual(df["unsubscribed"].tolist(), [False, False, True])
        self.assertEqual(str(df["recency_days"].dtype), "Int32")
        self.assertTrue(pd.isna(df.loc[0, "recency_days"]))
        self.assertEqual(df["median_interval_days"].dtype, np.float64)  # days, but a float: NaN stays NaN


if __name__ == "__main__":
    unittest.main()

"""API 0.2 inputs: customer attributes (customers=), the optional transaction
columns cost and discount, the interaction column purpose; each reaches the
library (record accounting, strict validation naming the field)."""

import datetime
import unittest

import pyhelpers
from pyhelpers import DAY, crmkit

np, NUMPY_REASON = pyhelpers.optional_module("numpy")
pd, PANDAS_REASON = pyhelpers.optional_module("pandas")
f = crmkit.ffi

# Two purchasing customers in January 2024; as of the end of 2024-01-10.
BASE_DAY = (datetime.date(2024, 1, 1) - datetime.date(1970, 1, 1)).days
TX = {"customer_id": [1, 1, 2], "time": [(BASE_DAY + d) * DAY for d in (0, 5, 9)], "amount": [10.0, 20.0, 5.0]}


def customers_records(result):
    rec = result.records("customers")
    return {k: v for k, v in rec.items() if v}


def converted_customers(table):
    """{column: [int values]} the library is given for a customers table."""
    import ctypes
    from crmkit._analyze import CUSTOMER_COLUMNS, _views
    from crmkit._convert import table_columns
    cols = table_columns(table, [(n, r) for n, _, r in CUSTOMER_COLUMNS], "customers")
    views, n = _views(cols, CUSTOMER_COLUMNS, "customers", 0, [])
    out = {}
    for name, kind, _ in CUSTOMER_COLUMNS:
        v = views[name]
        ctype = ctypes.c_uint64 if kind == "u64" else ctypes.c_int32
        out[name] = None if v is None else [ctype.from_address(v.address + i * v.stride).value for i in range(n)]
    return out


class TestCustomers(unittest.TestCase):
    def test_accepted_and_duplicate_customer(self):
        cu = {"customer_id": [1, 7, 7, 9], "money": ["yes", "no", "yes", "unknown"]}
        r = crmkit.analyze(TX, customers=cu)
        # both records of customer 7 are rejected; 9 is a prospect row of its own
        self.assertEqual(customers_records(r), {"accepted": 2, "duplicate_customer": 2})
        self.assertEqual(r.records_total("customers"), 4)
        self.assertEqual(sum(r.records("customers").values()), 4)
        self.assertIn("duplicate_customer", crmkit.fate_names())
        self.assertIn("customers", crmkit.input_names())
        self.assertEqual(r["customer_id"], [1, 2, 9])
        self.assertEqual(r.column("lifecycle_stage", names=True)[2], "prospect")
        # the other inputs' accounting is unchanged
        self.assertEqual(r.records("transactions")["accepted"], 3)
        self.assertEqual(r.records_total("interactions"), 0)

    def test_duplicate_customer_under_strict_validation(self):
        cu = {"customer_id": [1, 7, 3, 7]}
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.analyze(TX, customers=cu, validation="strict")
        e = cm.exception
        self.assertEqual(e.status, f.CRM_STATUS_BAD_RECORD)
        self.assertEqual(e.input, "customers")
        self.assertEqual(e.reason, "duplicate_customer")
        self.assertEqual(e.field, "customer_id")
        self.assertEqual(e.record, 1)  # the first record of the repeated id

    def test_customers_only(self):
        r = crmkit.analyze(customers={"customer_id": [5, 4], "targeted": [True, False]}, as_of="2024-01-31")
        self.assertEqual(r.as_of_date, datetime.date(2024, 1, 31))
        self.assertEqual(r["customer_id"], [4, 5])
        self.assertEqual(r.column("lifecycle_stage", names=True), ["prospect", "prospect"])
        self.assertEqual(customers_records(r), {"accepted": 2})

    def test_attribute_forms_agree(self):
        base = {"customer_id": [1, 2, 3],
                "birthday": [crmkit.to_day(datetime.date(1980, 5, 17)), f.CRM_NO_DAY, 0],
                "relationship_start": [-365, 3, f.CRM_NO_DAY],
                "money": [f.CRM_ANSWER_YES, f.CRM_ANSWER_NO, f.CRM_ANSWER_UNKNOWN],
                "authority": [0, 1, 2], "need": [2, 2, 0], "targeted": [1, 0, 1]}
        want = crmkit.analyze(TX, customers=base)
        self.assertEqual(customers_records(want), {"accepted": 3})
        forms = {
            "dates and names": {
                "customer_id": [1, 2, 3],
                "birthday": [datetime.date(1980, 5, 17), None, "1970-01-01"],
                "relationship_start": ["1969-01-01", datetime.datetime(1970, 1, 4, 23, 59), None],
                "money": ["yes", "no", None], "authority": ["unknown", "no", "yes"],
                "need": [True, True, "unknown"], "targeted": [True, False, 1]},
        }
        if np is not None:
            forms["numpy"] = {
                "customer_id": np.array([1, 2, 3], dtype=np.uint64),
                "birthday": np.array(["1980-05-17", "NaT", "1970-01-01T13:00"], dtype="datetime64[m]"),
                "relationship_start": np.array([-365, 3, f.CRM_NO_DAY], dtype=np.int64),
                "money": np.array(["yes", "no", "unknown"]), "authority": np.array([0, 1, 2], dtype=np.int8),
                "need": np.array([2.0, 2.0, np.nan]), "targeted": np.array([True, False, True])}
        for what, cu in forms.items():
            r = crmkit.analyze(TX, customers=cu)
            self.assertEqual(customers_records(r), {"accepted": 3}, what)
            self.assertEqual(converted_customers(cu), converted_customers(base), what)
            pyhelpers.assert_tables_equal(self, r.to_dict(), want.to_dict(), what)

    def test_conversion_of_codes_and_days(self):
        from crmkit._analyze import CODES
        from crmkit._convert import column
        import ctypes

        def values(view):
            return list((ctypes.c_int32 * view.count).from_address(view.address)) if view.count else []
        money = column(["yes", "no", "unknown", None, True, False, 2, "maybe", float("nan")], "code", "money",
                       codes=CODES["money"])
        self.assertEqual(values(money), [2, 1, 0, 0, 2, 1, 2, -1, 0])
        purpose = column(["value", "relationship", "action", "none", None, 3, "gift"], "code", "purpose",
                         codes=CODES["purpose"])
        self.assertEqual(values(purpose), [f.CRM_PURPOSE_VALUE, f.CRM_PURPOSE_RELATIONSHIP, f.CRM_PURPOSE_ACTION,
                                           f.CRM_PURPOSE_NONE, f.CRM_PURPOSE_NONE, 3, -1])
        with self.assertRaises(TypeError):
            column([True], "code", "kind", codes=CODES["kind"])  # a bool is no interaction kind
        days = column([datetime.date(1970, 1, 2), datetime.datetime(1969, 12, 31, 23, 0), "2000-02-29", None, 5,
                       "2000-02-29T10:00:00+05:00", 2 ** 40], "day", "birthday")
        self.assertEqual(values(days), [1, -1, 11016, f.CRM_NO_DAY, 5, 11016, 2 ** 31 - 1])
        with self.assertRaises(ValueError):
            column(["2000-02-30"], "day", "birthday")

    def test_rejected_attributes(self):
        later = BASE_DAY + 30  # after the as-of day
        cu = {"customer_id": [1, 2, 3, 4, 5, 6], "money": ["yes", "maybe", "no", "yes", "no", "no"],
              "birthday": [0, 0, later, 0, 0, f.CRM_TIME_MAX_DAYS + 1],
              "relationship_start": [0, 0, 0, later, 0, 0], "targeted": [0, 0, 0, 0, 2, 0]}
        r = crmkit.analyze(TX, customers=cu)
        self.assertEqual(customers_records(r), {"accepted": 1, "unknown_code": 2, "value_range": 1,
                                                "after_as_of": 1, "time_range": 1})
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.analyze(TX, customers=cu, validation="strict")
        self.assertEqual((cm.exception.input, cm.exception.record, cm.exception.field, cm.exception.reason),
                         ("customers", 1, "money", "unknown_code"))

    def test_bad_tables(self):
        with self.assertRaises(KeyError):
            crmkit.analyze(TX, customers={"birthday": [0]})
        with self.assertRaises(TypeError):
            crmkit.analyze(TX, customers=[1, 2, 3])
        with self.assertRaises(ValueError):
            crmkit.analyze(TX, customers={"customer_id": [1, 2], "money": ["yes"]})

    @unittest.skipIf(pd is None, PANDAS_REASON)
    def test_dataframe(self):
        cu = pd.DataFrame({
            "customer_id": pd.array([1, 2, 3, 3], dtype="UInt64"),
            "birthday": pd.to_datetime(["1980-05-17", None, "1990-01-01", "1990-01-01"]),
            "relationship_start": pd.to_datetime(["1969-06-01", "1969-07-01", None, None]).tz_localize(
                "Asia/Shanghai"),
            "money": pd.Categorical(["yes", "no", None, None]),
            "authority": pd.array([2, None, 1, 1], dtype="Int64"),
            "need": pd.array(["yes", pd.NA, "no", "no"], dtype="string"),
            "targeted": pd.array([True, None, False, False], dtype="boolean"),
        })
        r = crmkit.analyze(pd.DataFrame(TX), customers=cu)
        self.assertEqual(customers_records(r), {"accepted": 2, "duplicate_customer": 2})
        # the same as plain lists
        plain = crmkit.analyze(TX, customers={
            "customer_id": [1, 2, 3, 3], "birthday": ["1980-05-17", None, "1990-01-01", "1990-01-01"],
            "relationship_start": ["1969-06-01", "1969-07-01", None, None], "money": ["yes", "no", None, None],
            "authority": [2, None, 1, 1], "need": ["yes", None, "no", "no"], "targeted": [True, None, False, False]})
        pyhelpers.assert_tables_equal(self, r.to_dict(), plain.to_dict(), "DataFrame vs lists")
        got = converted_customers(cu)
        self.assertEqual(got, converted_customers({
            "customer_id": [1, 2, 3, 3], "birthday": ["1980-05-17", None, "1990-01-01", "1990-01-01"],
            "relationship_start": ["1969-06-01", "1969-07-01", None, None], "money": ["yes", "no", None, None],
            "authority": [2, None, 1, 1], "need": ["yes", None, "no", "no"], "targeted": [True, None, False, False]}))
        self.assertEqual(got["money"], [f.CRM_ANSWER_YES, f.CRM_ANSWER_NO, f.CRM_ANSWER_UNKNOWN, f.CRM_ANSWER_UNKNOWN])
        self.assertEqual(got["relationship_start"][0], crmkit.to_day(datetime.date(1969, 6, 1)))  # date as written


class TestOptionalColumns(unittest.TestCase):
    def test_cost_and_discount_columns(self):
        tx = dict(TX, cost=[4.0, 8.0, 2.0], discount=[0.0, 1.5, 0.0])
        r = crmkit.analyze(tx)
        self.assertEqual(r.records(), dict(r.records(), accepted=3))
        # as arguments with the three columns: the same
        same = crmkit.analyze(TX["customer_id"], TX["time"], TX["amount"], cost=tx["cost"], discount=tx["discount"])
        pyhelpers.assert_tables_equal(self, same.to_dict(), r.to_dict(), "cost= discount=")
        with self.assertRaises(TypeError):
            crmkit.analyze(tx, cost=[1.0, 1.0, 1.0])
        with self.assertRaises(TypeError):
            crmkit.analyze(interactions={"customer_id": [1], "time": [0], "kind": ["call_in"]}, cost=[1.0])
        with self.assertRaises(ValueError):
            crmkit.analyze(dict(TX, cost=[1.0]))

    def test_cost_and_discount_reach_the_library(self):
        tx = dict(TX, cost=[4.0, float("inf"), 2.0], discount=[0.0, 0.0, -1.0])
        r = crmkit.analyze(tx)
        rec = r.records()
        self.assertEqual((rec["accepted"], rec["nonfinite"], rec["value_range"]), (1, 1, 1))
        # a NaN cost means "not known": accepted, and left out of profit
        r = crmkit.analyze(dict(TX, cost=[4.0, float("nan"), 2.0]))
        self.assertEqual(r.records()["accepted"], 3)
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.analyze(dict(TX, discount=[0.0, 0.0, -1.0]), validation="strict")
        self.assertEqual((cm.exception.field, cm.exception.record, cm.exception.reason),
                         ("discount", 2, "value_range"))
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.analyze(dict(TX, cost=[0.0, 2e15, 0.0]), validation="strict")
        self.assertEqual((cm.exception.field, cm.exception.record), ("cost", 1))
        self.assertGreater(2e15, f.CRM_AMOUNT_MAX)

    def test_purpose_column(self):
        ix = {"customer_id": [1, 1, 2, 2], "time": [DAY, 2 * DAY, DAY, 3 * DAY],
              "kind": ["call_out", "email_out", "visit_out", "call_in"],
              "purpose": ["value", "relationship", "action", None]}
        r = crmkit.analyze(TX, interactions=ix)
        self.assertEqual(r.records("interactions"), dict(r.records("interactions"), accepted=4))
        coded = dict(ix, purpose=[f.CRM_PURPOSE_VALUE, f.CRM_PURPOSE_RELATIONSHIP, f.CRM_PURPOSE_ACTION,
                                  f.CRM_PURPOSE_NONE])
        pyhelpers.assert_tables_equal(self, crmkit.analyze(TX, interactions=coded).to_dict(), r.to_dict(), "codes")
        as_tuple = (ix["customer_id"], ix["time"], ix["kind"], None, None, ix["purpose"])
        pyhelpers.assert_tables_equal(self, crmkit.analyze(TX, interactions=as_tuple).to_dict(), r.to_dict(),
                                      "tuple of six columns")
        bad = dict(ix, purpose=["value", "gift", "action", None])
        self.assertEqual(crmkit.analyze(TX, interactions=bad).records("interactions")["unknown_code"], 1)
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.analyze(TX, interactions=bad, validation="strict")
        self.assertEqual((cm.exception.input, cm.exception.record, cm.exception.field),
                         ("interactions", 1, "purpose"))


class TestFlagsArePositions(unittest.TestCase):
    def test_positions_bits_and_names(self):
        self.assertEqual(f.CRM_FLAG_OVERDUE, 1)
        self.assertEqual(crmkit.flag_position("overdue"), f.CRM_FLAG_OVERDUE)
        self.assertEqual(crmkit.flag_bit("overdue"), 1 << f.CRM_FLAG_OVERDUE)
        self.assertEqual(crmkit.flag_position(f.CRM_FLAG_SLA_BREACH), f.CRM_FLAG_SLA_BREACH)
        names = crmkit.flag_names()
        self.assertEqual(len(names), crmkit.lib.crm_enum_count(f.CRM_ENUM_FLAG))
        self.assertEqual(names[f.CRM_FLAG_INACTIVE], "inactive")
        self.assertEqual(crmkit.flags_of((1 << f.CRM_FLAG_SLA_BREACH) | (1 << f.CRM_FLAG_INACTIVE)),
                         ("inactive", "sla_breach"))
        self.assertTrue(crmkit.flag_reason("inactive"))
        self.assertEqual(crmkit.flag_reason(f.CRM_FLAG_INACTIVE), crmkit.flag_reason("inactive"))
        with self.assertRaises(KeyError):
            crmkit.flag_position("no_such_flag")

    def test_churn_flags_column_and_groups(self):
        # customer 1 bought long ago (inactive); 2 recently
        r = crmkit.analyze([1, 2, 2], [0, 200 * DAY, 201 * DAY], [5.0, 1.0, 1.0])
        self.assertEqual(crmkit.lib.crm_column_type(f.CRM_COLUMN_CHURN_FLAGS), f.CRM_TYPE_U64)
        flags = r["churn_flags"]
        self.assertTrue(flags[0] >> f.CRM_FLAG_INACTIVE & 1)
        self.assertIn("inactive", r.column("churn_flags", names=True)[0])
        for pos, name in enumerate(crmkit.flag_names()):
            want = [i for i, v in enumerate(flags) if v >> pos & 1]
            by_name = r.group("churn_flags", name)
            self.assertEqual(by_name, r.group("churn_flags", pos), name)
            self.assertEqual(by_name.customers, len(want), name)
        if np is not None:
            self.assertEqual(r.array("churn_flags").dtype, np.uint64)


if __name__ == "__main__":
    unittest.main()

"""Inputs as analysts have them (issue 12): DataFrame columns selected by
name, customer ids of any hashable type (factorised, one mapping for the
three inputs, original ids in the Result), times of any datetime64
resolution or time zone, strptime formats, YYYYMMDD integers refused with a
hint, clear errors naming the column and row. The standard-library parts run
everywhere; the pandas parts are skipped (with the reason) without pandas."""

import datetime
import sys
import unittest

import pyhelpers
from pyhelpers import DAY, crmkit

np, NUMPY_REASON = pyhelpers.optional_module("numpy")
pd, PANDAS_REASON = pyhelpers.optional_module("pandas")

if PANDAS_REASON:
    sys.stderr.write("test_frames: skipping the pandas tests: %s\n" % PANDAS_REASON)

AS_OF = "2023-01-05"


def without_ids(table):
    return {k: v for k, v in table.items() if k != "customer_id"}


class TestIdsPlain(unittest.TestCase):
    """Lists only: no numpy or pandas needed."""

    @classmethod
    def setUpClass(cls):
        cls.cid, cls.time, cls.amount = pyhelpers.small_transactions()
        cls.base = crmkit.analyze(cls.cid, cls.time, cls.amount, as_of=AS_OF)
        cls.table = cls.base.to_dict()

    def test_integer_ids_unchanged(self):
        self.assertIsNone(self.base.ids)
        self.assertEqual(self.table["customer_id"], sorted(set(self.cid)))

    def test_string_ids_same_numbers_row_for_row(self):
        # zero-padded to 20 digits: the strings sort as the integers do
        ids = ["%020d" % c for c in self.cid]
        r = crmkit.analyze(ids, self.time, self.amount, as_of=AS_OF)
        got = r.to_dict()
        self.assertEqual(got["customer_id"], ["%020d" % c for c in self.table["customer_id"]])
        pyhelpers.assert_tables_equal(self, without_ids(got), without_ids(self.table), "string ids")
        self.assertEqual(r.ids, got["customer_id"])
        self.assertTrue(all(isinstance(v, str) for v in got["customer_id"]))

    def test_prefixed_ids_per_customer(self):
        ids = ["C-%d" % c for c in self.cid]
        r = crmkit.analyze(ids, self.time, self.amount, as_of=AS_OF)
        got = r.to_dict(names=True)
        want = self.base.to_dict(names=True)
        index = {c: i for i, c in enumerate(want["customer_id"])}
        self.assertEqual(sorted(got["customer_id"]), got["customer_id"])  # sorted by the original ids
        for j, sid in enumerate(got["customer_id"]):
            i = index[int(sid[2:])]
            for name in want:
                if name != "customer_id":
                    self.assertTrue(pyhelpers.same(got[name][j], want[name][i]), (name, sid))
        # row(), find(), column()
        sid = got["customer_id"][5]
        self.assertEqual(r.find(sid), 5)
        self.assertIsNone(r.find("C-nobody"))
        self.assertEqual(r.row(5)["customer_id"], sid)
        self.assertEqual(r.column("customer_id")[5], sid)
        self.assertEqual(r["monetary"][5], want["monetary"][index[int(sid[2:])]])

    def test_input_order_does_not_matter(self):
        ids = ["C-%d" % c for c in self.cid]
        order = list(range(len(ids)))[::-1]
        a = crmkit.analyze(ids, self.time, self.amount, as_of=AS_OF).to_dict()
        b = crmkit.analyze([ids[i] for i in order], [self.time[i] for i in order],
                           [self.amount[i] for i in order], as_of=AS_OF).to_dict()
        pyhelpers.assert_tables_equal(self, b, a, "reversed input")

    def test_shared_mapping_with_interactions(self):
        ix = pyhelpers.small_interactions()
        base = crmkit.analyze(self.cid, self.time, self.amount, interactions=ix, as_of=AS_OF).to_dict()
        ix_s = dict(ix)
        ix_s["customer_id"] = ["%020d" % c for c in ix["customer_id"]]
        got = crmkit.analyze(["%020d" % c for c in self.cid], self.time, self.amount, interactions=ix_s,
                             as_of=AS_OF).to_dict()
        self.assertEqual(got["customer_id"], ["%020d" % c for c in base["customer_id"]])
        pyhelpers.assert_tables_equal(self, without_ids(got), without_ids(base), "string ids with interactions")

    def test_prospect_from_customers_only(self):
        r = crmkit.analyze(["a", "b"], [0, DAY], [1.0, 2.0], customers={"customer_id": ["zed", "a"]},
                           as_of="1970-01-10")
        self.assertEqual(r["customer_id"], ["a", "b", "zed"])
        self.assertEqual(r.records("customers")["accepted"], 2)

    def test_missing_and_mixed_ids(self):
        with self.assertRaises(ValueError) as cm:
            crmkit.analyze(["a", None, "b"], [0, 1, 2], [1.0, 1.0, 1.0])
        self.assertIn("customer_id", str(cm.exception))
        self.assertIn("row 1", str(cm.exception))
        with self.assertRaises(TypeError) as cm:
            crmkit.analyze(["a", "b", 7], [0, 1, 2], [1.0, 1.0, 1.0])
        self.assertIn("row 2", str(cm.exception))
        with self.assertRaises(TypeError):  # partitions must share their ids: integers only
            crmkit.summarize(["a"], [0], [1.0], as_of="1970-01-02")

    def test_yyyymmdd_integers(self):
        days = [19970101, 19970118, 19970802]
        with self.assertRaises(ValueError) as cm:
            crmkit.analyze([1, 1, 2], days, [1.0, 2.0, 3.0])
        self.assertIn('time_format="%Y%m%d"', str(cm.exception))
        self.assertIn("'time'", str(cm.exception))
        r = crmkit.analyze([1, 1, 2], days, [1.0, 2.0, 3.0], time_format="%Y%m%d", as_of="1997-12-31")
        iso = crmkit.analyze([1, 1, 2], ["1997-01-01", "1997-01-18", "1997-08-02"], [1.0, 2.0, 3.0],
                             as_of="1997-12-31")
        pyhelpers.assert_tables_equal(self, r.to_dict(), iso.to_dict(), "YYYYMMDD with time_format")
        self.assertEqual(r.column("first_purchase", dates=True), [datetime.date(1997, 1, 1),
                                                                  datetime.date(1997, 8, 2)])

    def test_time_format_strings(self):
        r = crmkit.analyze([1, 2], ["05/01/2023 10:00", "31/12/2022 23:59"], [1.0, 2.0],
                           time_format="%d/%m/%Y %H:%M", as_of=AS_OF)
        iso = crmkit.analyze([1, 2], ["2023-01-05T10:00", "2022-12-31T23:59"], [1.0, 2.0], as_of=AS_OF)
        pyhelpers.assert_tables_equal(self, r.to_dict(), iso.to_dict(), "time_format")
        with self.assertRaises(ValueError) as cm:
            crmkit.analyze([1, 2], ["05/01/2023 10:00", "2023-01-05"], [1.0, 2.0], time_format="%d/%m/%Y %H:%M")
        self.assertIn("row 1", str(cm.exception))
        self.assertIn("'2023-01-05'", str(cm.exception))

    def test_unparseable_time_names_row(self):
        with self.assertRaises(ValueError) as cm:
            crmkit.analyze([1, 2], ["2023-01-05", "soon"], [1.0, 2.0])
        self.assertIn("time[1]", str(cm.exception))


@unittest.skipIf(pd is None, PANDAS_REASON)
class TestFrames(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cid, cls.time, cls.amount = pyhelpers.small_transactions()
        cls.base = crmkit.analyze(cls.cid, cls.time, cls.amount, as_of=AS_OF)
        cls.table = cls.base.to_dict()
        cls.df = pd.DataFrame({"CustID": ["%020d" % c for c in cls.cid],
                               "Date": pd.to_datetime(cls.time, unit="s"), "Total": cls.amount})

    def check(self, result, what, ids=None):
        got = result.to_dict()
        pyhelpers.assert_tables_equal(self, without_ids(got), without_ids(self.table), what)
        if ids is not None:
            self.assertEqual(got["customer_id"], [ids(c) for c in self.table["customer_id"]], what)

    def test_named_columns(self):
        r = crmkit.analyze(self.df, customer_id="CustID", time="Date", amount="Total", as_of=AS_OF)
        self.check(r, "named columns", lambda c: "%020d" % c)
        df = r.to_pandas()
        self.assertEqual(df["customer_id"].tolist(), ["%020d" % c for c in self.table["customer_id"]])
        indexed = r.to_pandas(index=True)
        self.assertEqual(indexed.index.name, "customer_id")
        first = "%020d" % self.table["customer_id"][0]
        self.assertEqual(indexed.loc[first, "monetary"], self.table["monetary"][0])
        with self.assertRaises(KeyError) as cm:
            crmkit.analyze(self.df, customer_id="Customer", time="Date", amount="Total")
        self.assertIn("'Customer'", str(cm.exception))
        with self.assertRaises(KeyError) as cm:
            crmkit.analyze(self.df)
        self.assertIn('customer_id="..."', str(cm.exception))

    def test_categorical_and_nullable_ids(self):
        df = self.df.assign(CustID=self.df["CustID"].astype("category"))
        self.check(crmkit.analyze(df, customer_id="CustID", time="Date", amount="Total", as_of=AS_OF),
                   "categorical ids", lambda c: "%020d" % c)
        small = pd.DataFrame({"customer_id": pd.array([17, 4, 17], dtype="Int64"), "time": [0, DAY, 2 * DAY],
                              "amount": [1.0, 2.0, 3.0]})
        r = crmkit.analyze(small, as_of="1970-01-05")
        self.assertIsNone(r.ids)  # integers go straight through
        self.assertEqual(r["customer_id"], [4, 17])
        small.loc[1, "customer_id"] = pd.NA
        with self.assertRaises(ValueError) as cm:
            crmkit.analyze(small)
        self.assertIn("row 1", str(cm.exception))
        objs = pd.DataFrame({"who": ["00017", None, "00004"], "time": [0, DAY, 2 * DAY], "amount": [1.0] * 3},
                            index=["x", "y", "z"])
        with self.assertRaises(ValueError) as cm:
            crmkit.analyze(objs, customer_id="who")
        self.assertIn("'who'", str(cm.exception))
        self.assertIn("index 'y'", str(cm.exception))

    def test_times_any_resolution_and_zone(self):
        for unit in ("s", "ms", "us", "ns"):
            df = self.df.assign(Date=self.df["Date"].astype("datetime64[%s]" % unit)) if unit != "ns" else self.df
            self.check(crmkit.analyze(df, customer_id="CustID", time="Date", amount="Total", as_of=AS_OF),
                       "datetime64[%s]" % unit)
        aware = self.df.assign(Date=self.df["Date"].dt.tz_localize("UTC").dt.tz_convert("America/New_York"))
        self.check(crmkit.analyze(aware, customer_id="CustID", time="Date", amount="Total", as_of=AS_OF),
                   "tz-aware")
        py = self.df.assign(Date=[d.to_pydatetime() for d in self.df["Date"]])
        self.check(crmkit.analyze(py, customer_id="CustID", time="Date", amount="Total", as_of=AS_OF),
                   "python datetimes")
        text = self.df.assign(Date=self.df["Date"].dt.strftime("%d.%m.%Y %H:%M:%S"))
        self.check(crmkit.analyze(text, customer_id="CustID", time="Date", amount="Total", as_of=AS_OF,
                                  time_format="%d.%m.%Y %H:%M:%S"), "time_format")

    def test_order_does_not_matter(self):
        shuffled = self.df.sample(frac=1.0, random_state=7)
        self.check(crmkit.analyze(shuffled, customer_id="CustID", time="Date", amount="Total", as_of=AS_OF),
                   "shuffled", lambda c: "%020d" % c)

    def test_yyyymmdd_column(self):
        df = pd.DataFrame({"id": ["00004", "00004", "00021"], "day": [19970101, 19970118, 19970101],
                           "sum": [29.33, 29.73, 63.34]})
        with self.assertRaises(ValueError) as cm:
            crmkit.analyze(df, customer_id="id", time="day", amount="sum")
        self.assertIn('time_format="%Y%m%d"', str(cm.exception))
        self.assertIn("'day'", str(cm.exception))
        r = crmkit.analyze(df, customer_id="id", time="day", amount="sum", time_format="%Y%m%d",
                           as_of="1997-06-30")
        self.assertEqual(r["customer_id"], ["00004", "00021"])
        self.assertEqual(r.column("first_purchase", dates=True), [datetime.date(1997, 1, 1)] * 2)

    def test_interactions_and_customers_frames(self):
        ix = pyhelpers.small_interactions()
        base = crmkit.analyze(self.cid, self.time, self.amount, interactions=ix, as_of=AS_OF).to_dict()
        ixf = pd.DataFrame(ix).rename(columns={"customer_id": "CustID", "time": "When", "kind": "Channel"})
        ixf["CustID"] = ["%020d" % c for c in ix["customer_id"]]
        ixf["When"] = pd.to_datetime(ixf["When"], unit="s")
        r = crmkit.analyze(self.df, customer_id="CustID", time="Date", amount="Total", as_of=AS_OF,
                           interactions=ixf, interactions_columns={"time": "When", "kind": "Channel"})
        got = r.to_dict()
        pyhelpers.assert_tables_equal(self, without_ids(got), without_ids(base), "named interaction columns")
        with self.assertRaises(KeyError):
            crmkit.analyze(self.df, customer_id="CustID", time="Date", amount="Total", interactions=ixf,
                           interactions_columns={"when": "When"})

    def test_calibration_split_by_name(self):
        a = crmkit.calibration_split(self.cid, self.time, self.amount, calibration_end="2022-06-30",
                                     holdout_end=AS_OF)
        b = crmkit.calibration_split(self.df, customer_id="CustID", time="Date", amount="Total",
                                     calibration_end="2022-06-30", holdout_end=AS_OF)
        pyhelpers.assert_tables_equal(self, without_ids(b.to_dict()), without_ids(a.to_dict()), "calibration")
        self.assertEqual(b["customer_id"][0], "%020d" % a["customer_id"][0])


if __name__ == "__main__":
    unittest.main()

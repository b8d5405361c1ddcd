"""pandas in and out: DataFrames and Series as input, Result.to_pandas(),
Result.to_numpy(). Skipped (with the reason) where pandas or numpy is not
importable."""

import datetime
import sys
import unittest

import pyhelpers
from pyhelpers import DAY, crmkit

np, NUMPY_REASON = pyhelpers.optional_module("numpy")
pd, PANDAS_REASON = pyhelpers.optional_module("pandas")

for reason in (NUMPY_REASON, PANDAS_REASON):
    if reason:
        sys.stderr.write("test_pandas: skipping: %s\n" % reason)


@unittest.skipIf(np is None, NUMPY_REASON)
class TestNumpyOut(unittest.TestCase):
    def test_to_numpy(self):
        cid, t, amt = pyhelpers.small_transactions()
        r = crmkit.analyze(cid, t, amt)
        arrays = r.to_numpy()
        self.assertEqual(list(arrays), r.columns)
        self.assertEqual(arrays["customer_id"].dtype, np.uint64)
        self.assertEqual(arrays["recency_days"].dtype, np.int32)
        self.assertEqual(arrays["purchase_days"].dtype, np.int64)
        self.assertEqual(arrays["monetary"].dtype, np.float64)
        for name, a in arrays.items():
            self.assertEqual(len(a), len(r))
            pyhelpers.assert_tables_equal(self, {name: a.tolist()}, {name: r[name]}, "to_numpy")
        # copies: they outlive the result
        r.close()
        self.assertEqual(arrays["customer_id"].tolist(), sorted(set(cid)))


@unittest.skipUnless(np is None, "numpy is importable")
class TestWithoutNumpy(unittest.TestCase):
    def test_clear_import_errors(self):
        r = crmkit.analyze([1, 2], [0, DAY], [1.0, 2.0])
        with self.assertRaises(ImportError):
            r.to_numpy()
        with self.assertRaises(ImportError):
            r.to_pandas()
        self.assertEqual(r["customer_id"], [1, 2])


@unittest.skipIf(pd is None, PANDAS_REASON)
class TestPandas(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cid, cls.time, cls.amount = pyhelpers.small_transactions()
        cls.df = pd.DataFrame({"customer_id": cls.cid, "time": cls.time, "amount": cls.amount})
        cls.base = crmkit.analyze(cls.cid, cls.time, cls.amount)
        cls.table = cls.base.to_dict()

    def check(self, result, what):
        pyhelpers.assert_tables_equal(self, result.to_dict(), self.table, what)

    def test_dataframe_in(self):
        self.check(crmkit.analyze(self.df), "DataFrame")
        self.check(crmkit.analyze(self.df["customer_id"], self.df["time"], self.df["amount"]), "Series")
        self.check(crmkit.analyze(self.df.iloc[::-1]), "reversed DataFrame")
        shuffled = self.df.sample(frac=1.0, random_state=1).reset_index(drop=True)
        self.check(crmkit.analyze(shuffled), "shuffled DataFrame")

    def test_dataframe_column_of_a_2d_block_is_read_in_place(self):
        from crmkit._convert import column
        block = pd.DataFrame(np.column_stack([np.array(self.amount), np.array(self.amount) * 2]),
                             columns=["amount", "double"])
        col = block["amount"]
        view = column(col, "f64", "amount")
        self.assertFalse(view.copied)
        self.check(crmkit.analyze(self.df["customer_id"], self.df["time"], col), "2-D block column")

    def test_datetime_columns(self):
        df = self.df.copy()
        df["time"] = pd.to_datetime(df["time"], unit="s")
        self.check(crmkit.analyze(df), "datetime64[ns] column")
        df["time"] = df["time"].dt.tz_localize("UTC").dt.tz_convert("Asia/Shanghai")
        self.check(crmkit.analyze(df), "tz-aware column")

    def test_nullable_columns(self):
        df = self.df.copy()
        df["customer_id"] = df["customer_id"].astype("UInt64")
        df["amount"] = df["amount"].astype("Float64")
        self.check(crmkit.analyze(df), "nullable dtypes")
        df.loc[0, "amount"] = pd.NA
        r = crmkit.analyze(df)
        self.assertEqual(r.records()["nonfinite"], 1)

    def test_to_pandas(self):
        r = self.base
        df = r.to_pandas()
        self.assertEqual(df.shape, (len(r), len(r.columns)))
        self.assertEqual(list(df.columns), r.columns)
        self.assertEqual(df["customer_id"].dtype, np.uint64)
        self.assertEqual(df["customer_id"].tolist(), r["customer_id"])
        # enumerations: Categoricals of names, every defined name a category
        self.assertEqual(str(df["segment"].dtype), "category")
        self.assertEqual(df["segment"].astype(str).tolist(), r.column("segment", names=True))
        self.assertIn("Champions", list(df["segment"].cat.categories))
        self.assertEqual(list(df["value_tier"].cat.categories), list(r.labels("value_tier").values()))
        # day columns: datetimes, NaT where the C table has CRM_NO_DAY
        self.assertTrue(str(df["first_purchase"].dtype).startswith("datetime64"))
        want = r.column("first_purchase", dates=True)
        got = [None if pd.isna(v) else v.date() for v in df["first_purchase"]]
        self.assertEqual(got, want)
        # whole-day differences: nullable Int32
        self.assertEqual(str(df["recency_days"].dtype), "Int32")
        self.assertEqual(df["recency_days"].tolist(), r["recency_days"])
        # booleans
        self.assertEqual(df["unsubscribed"].dtype, bool)
        # numbers unchanged
        pyhelpers.assert_tables_equal(self, {"monetary": df["monetary"].tolist()}, {"monetary": r["monetary"]})

    def test_to_pandas_with_prospects(self):
        ix = pd.DataFrame({"customer_id": [10, 11, 11], "time": [0, DAY, DAY + 60],
                           "kind": pd.Categorical(["call_in", "engagement", "complaint"]),
                           "value": [0.0, 0.0, 1.0], "ref": [0, 0, 77]})
        r = crmkit.analyze([11], [DAY], [5.0], interactions=ix)
        df = r.to_pandas()
        self.assertEqual(df["customer_id"].tolist(), [10, 11])
        self.assertTrue(pd.isna(df.loc[0, "recency_days"]))
        self.assertTrue(pd.isna(df.loc[0, "first_purchase"]))
        self.assertEqual(df.loc[0, "lifecycle_stage"], "prospect")
        self.assertEqual(df.loc[1, "first_purchase"], pd.Timestamp(datetime.date(1970, 1, 2)))
        self.assertEqual(r.records("interactions")["accepted"], 3)

    def test_round_trip(self):
        # DataFrame in, DataFrame out, and the frame's columns back into numbers
        df = crmkit.analyze(self.df).to_pandas()
        self.assertEqual(df["purchase_days"].tolist(), self.table["purchase_days"])
        self.assertEqual(df["segment"].cat.codes.tolist(),
                         [list(df["segment"].cat.categories).index(n)
                          for n in self.base.column("segment", names=True)])
        summary = df[df["purchase_days"] > 0]
        m = crmkit.analyze(summary["customer_id"], [0] * len(summary), summary["monetary"])
        self.assertEqual(m["monetary"], summary["monetary"].tolist())


if __name__ == "__main__":
    unittest.main()

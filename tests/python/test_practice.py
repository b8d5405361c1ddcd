"""Part II of docs/DEFINITIONS.md through the binding: Result.whale_curve()
(lists and numpy arrays) against a reference computed here from the profit
column, and the new columns as names, dates and booleans in to_dict(),
row() and to_pandas(). numpy and pandas parts are skipped (with the reason)
where those are not importable."""

import datetime
import math
import sys
import unittest

import pyhelpers
from pyhelpers import DAY, crmkit

np, NUMPY_REASON = pyhelpers.optional_module("numpy")
pd, PANDAS_REASON = pyhelpers.optional_module("pandas")

for reason in (NUMPY_REASON, PANDAS_REASON):
    if reason:
        sys.stderr.write("test_practice: skipping: %s\n" % reason)

AS_OF = datetime.date(2025, 6, 30)
AS_OF_SECONDS = (AS_OF - datetime.date(1970, 1, 1)).days * DAY + DAY - 1

ENUM_COLUMNS = {
    "key_date_kind": "key_date",
    "profit_class": "profit_class",
    "customer_state": "state",
    "qualification": "qualification",
    "churn_cause": "churn_cause",
    "win_back": "win_back",
}
DAY_COLUMNS = ["next_birthday", "next_anniversary", "next_key_date"]
BOOL_COLUMNS = ["care_due", "milestone_anniversary"]


def days_before(n, hour=12):
    return AS_OF_SECONDS - n * DAY - (23 - hour) * 3600


def practice_data():
    """Twelve buyers (two below cost, one on discounts and lapsed), purposes
    on outbound contacts, and attributes with birthdays, relationship starts
    and two prospects."""
    cid, time, amount, cost, discount = [], [], [], [], []

    def buy(c, ago, a, cost_share=0.6, off=0.0):
        cid.append(c)
        time.append(days_before(ago))
        amount.append(a)
        cost.append(round(a * cost_share, 2))
        discount.append(off)

    for c in range(1, 13):
        for k in range(4):
            buy(c, 20 + 30 * k + c, 10.0 * c + k, 1.3 if c in (3, 7) else 0.6)
    for k in range(4):  # customer 20: every purchase day discounted, lapsed a year ago
        buy(20, 400 + 40 * k, 50.0, 0.5, 10.0)
    interactions = {"customer_id": [], "time": [], "kind": [], "purpose": []}
    for c in (1, 2):
        for k in range(12):
            interactions["customer_id"].append(c)
            interactions["time"].append(days_before(10 + 20 * k))
            interactions["kind"].append("email_out")
            interactions["purpose"].append("action" if c == 2 else ("value", "value", "relationship")[k % 3])
    customers = {
        "customer_id": [1, 2, 4, 500, 501],
        "birthday": [datetime.date(1980, 7, 5), None, datetime.date(1975, 12, 1), None, datetime.date(1990, 1, 2)],
        "relationship_start": [None, datetime.date(2020, 7, 2), None, None, None],
        "money": ["yes", "unknown", "unknown", "no", "yes"],
        "authority": ["yes", "unknown", "unknown", "no", "yes"],
        "need": ["yes", "unknown", "unknown", "no", "yes"],
        "targeted": [0, 0, 0, 0, 1],
    }
    tx = {"customer_id": cid, "time": time, "amount": amount, "cost": cost, "discount": discount}
    return tx, interactions, customers


def reference_whale(result):
    """The curve by its definition, from the result's own columns."""
    ids = result["customer_id"]
    profit = result["profit"]
    days = result["purchase_days"]
    rows = [(-profit[i], ids[i], profit[i]) for i in range(len(result))
            if days[i] > 0 and not math.isnan(profit[i])]
    rows.sort()
    total = math.fsum(r[2] for r in rows)
    xs, ys, cum = [0.0], [0.0], []
    for i, r in enumerate(rows):
        cum.append(r[2])
        xs.append((i + 1) / len(rows))
        ys.append(math.fsum(cum) / total)
    return xs, ys


class TestPractice(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        tx, ix, cu = practice_data()
        cls.result = crmkit.analyze(tx, interactions=ix, customers=cu, as_of=AS_OF, mix_min_contacts=10)

    def test_whale_curve_lists(self):
        xs, ys = self.result.whale_curve()
        self.assertIsInstance(xs, list)
        self.assertIsInstance(ys, list)
        rx, ry = reference_whale(self.result)
        self.assertEqual(len(xs), 14)  # 13 buyers with a profit, and the origin
        self.assertEqual(len(xs), len(rx))
        for a, b in zip(xs, rx):
            self.assertAlmostEqual(a, b, places=12)
        for a, b in zip(ys, ry):
            self.assertAlmostEqual(a, b, places=9)
        self.assertEqual((xs[0], ys[0]), (0.0, 0.0))
        self.assertAlmostEqual(ys[-1], 1.0, places=12)
        self.assertGreater(max(ys), 1.0)  # the two below cost take profit away: a whale
        # the metrics agree with the curve
        top = self.result.metric("top20_profit_share")
        self.assertAlmostEqual(top, ys[math.ceil((len(xs) - 1) / 5)], places=9)
        self.assertEqual(self.result.group("profit_class", "unprofitable").customers, 2)

    @unittest.skipIf(np is None, NUMPY_REASON)
    def test_whale_curve_numpy(self):
        xs, ys = self.result.whale_curve(numpy=True)
        self.assertEqual(xs.dtype, np.float64)
        self.assertEqual(ys.dtype, np.float64)
        lx, ly = self.result.whale_curve()
        self.assertEqual(xs.tolist(), lx)
        self.assertEqual(ys.tolist(), ly)

    def test_whale_curve_without_costs(self):
        tx, ix, cu = practice_data()
        r = crmkit.analyze(tx["customer_id"], tx["time"], tx["amount"], as_of=AS_OF)
        with self.assertRaises(crmkit.Error) as cm:
            r.whale_curve()
        self.assertIn("cost", str(cm.exception))
        self.assertTrue(all(v == "none" for v in r.column("profit_class", names=True)))

    def test_units(self):
        for c in ENUM_COLUMNS:
            self.assertEqual(crmkit.column_unit(c), "enum", c)
        for c in DAY_COLUMNS:
            self.assertEqual(crmkit.column_unit(c), "day", c)
        for c in BOOL_COLUMNS:
            self.assertEqual(crmkit.column_unit(c), "bool", c)

    def test_names_and_dates_in_to_dict(self):
        d = self.result.to_dict(names=True, dates=True)
        for c, e in ENUM_COLUMNS.items():
            names = set(crmkit.enum_names(e).values())
            self.assertTrue(all(isinstance(v, str) and v in names for v in d[c]), c)
        for c in DAY_COLUMNS:
            self.assertTrue(all(v is None or isinstance(v, datetime.date) for v in d[c]), c)
        for c in BOOL_COLUMNS:
            self.assertTrue(all(isinstance(v, bool) for v in d[c]), c)
        row = dict(zip(d["customer_id"], range(len(d["customer_id"]))))
        one = row[1]
        self.assertEqual(d["next_birthday"][one], datetime.date(2025, 7, 5))
        self.assertEqual(d["key_date_kind"][one], "birthday")
        self.assertTrue(d["care_due"][one])  # 5 days ahead
        self.assertEqual(d["next_anniversary"][row[2]], datetime.date(2025, 7, 2))
        self.assertEqual(d["relationship_years"][row[2]], 5)
        self.assertTrue(d["milestone_anniversary"][row[2]])
        self.assertEqual(d["customer_state"][row[500]], "non_customer")
        self.assertEqual(d["qualification"][row[500]], "stop_contact")
        self.assertEqual(d["customer_state"][row[501]], "target")
        self.assertEqual(d["qualification"][row[501]], "ideal")
        self.assertEqual(d["profit_class"][row[3]], "unprofitable")
        self.assertEqual(d["churn_cause"][row[20]], "price")
        self.assertEqual(d["win_back"][row[20]], "limited_time_offer")
        self.assertIn("mix_off", d["churn_flags"][row[2]])
        self.assertNotIn("mix_off", d["churn_flags"][row[1]])
        # raw values stay codes and day numbers
        self.assertEqual(self.result["next_birthday"][one], crmkit.to_day(datetime.date(2025, 7, 5)))
        r = self.result.row(one)
        self.assertEqual(r["key_date_kind"], "birthday")
        self.assertEqual(r["next_key_date"], datetime.date(2025, 7, 5))

    @unittest.skipIf(pd is None, PANDAS_REASON)
    def test_to_pandas(self):
        df = self.result.to_pandas().set_index("customer_id")
        for c, e in ENUM_COLUMNS.items():
            self.assertEqual(str(df[c].dtype), "category", c)
            self.assertEqual(list(df[c].cat.categories), list(crmkit.enum_names(e).values()), c)
        for c in DAY_COLUMNS:
            self.assertEqual(df[c].dtype, np.dtype("datetime64[ns]"), c)
        for c in BOOL_COLUMNS:
            self.assertEqual(df[c].dtype, np.dtype(bool), c)
        self.assertEqual(df.loc[1, "next_birthday"], pd.Timestamp("2025-07-05"))
        self.assertTrue(pd.isna(df.loc[500, "next_key_date"]))
        self.assertEqual(df.loc[500, "customer_state"], "non_customer")
        self.assertEqual(df.loc[20, "win_back"], "limited_time_offer")
        self.assertEqual(str(df["relationship_years"].dtype), "Int32")
        self.assertEqual(df.loc[2, "relationship_years"], 5)
        self.assertTrue(pd.isna(df.loc[500, "relationship_years"]))
        self.assertEqual(str(df["man_known"].dtype), "Int32")
        self.assertEqual(df.loc[501, "man_known"], 3)


if __name__ == "__main__":
    unittest.main()

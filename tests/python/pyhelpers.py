"""Shared helpers of the Python binding tests (not a test module).

Paths are relative to this file: the repository is two folders up and the
test data in its tests/data/, unless CRMKIT_TEST_DATA_DIR names another folder.
The package is imported from python/ of the repository when PYTHONPATH does
not already provide it.
"""

import csv
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DATA = os.environ.get("CRMKIT_TEST_DATA_DIR") or os.path.join(REPO, "tests", "data")
PYTHON_DIR = os.path.join(REPO, "python")

if PYTHON_DIR not in sys.path:
    sys.path.insert(0, PYTHON_DIR)

import crmkit  # noqa: E402

DAY = 86400


def data_path(*parts):
    return os.path.join(DATA, *parts)


def read_csv(*parts):
    with open(data_path(*parts), newline="") as f:
        return list(csv.DictReader(f))


def optional_module(name):
    """The module, or None (with the reason) when it is not importable."""
    try:
        return __import__(name), None
    except ImportError as exc:
        return None, "%s is not importable under %s: %s" % (name, sys.executable, exc)


def small_transactions():
    """(customer_id, time, amount) lists of conformance/transactions_small.csv."""
    rows = read_csv("conformance", "transactions_small.csv")
    return ([int(r["customer_id"]) for r in rows], [int(r["time"]) for r in rows],
            [float(r["amount"]) for r in rows])


def small_interactions():
    rows = read_csv("conformance", "interactions_small.csv")
    return {
        "customer_id": [int(r["customer_id"]) for r in rows],
        "time": [int(r["time"]) for r in rows],
        "kind": [r["kind"] for r in rows],
        "value": [float(r["value"]) for r in rows],
        "ref": [int(r["ref"]) for r in rows],
    }


def same(a, b, rel=0.0, abs_tol=0.0):
    """Equality with NaN == NaN and optional tolerance for floats."""
    if isinstance(a, float) or isinstance(b, float):
        a, b = float(a), float(b)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        if a == b:
            return True
        return abs(a - b) <= max(abs_tol, rel * max(abs(a), abs(b)))
    return a == b


def assert_tables_equal(test, got, expected, what=""):
    """Two {column: list} tables, NaN-aware."""
    test.assertEqual(sorted(got), sorted(expected), what)
    for name in expected:
        g, e = list(got[name]), list(expected[name])
        test.assertEqual(len(g), len(e), "%s column %s length" % (what, name))
        for i, (x, y) in enumerate(zip(g, e)):
            if not same(x, y):
                test.fail("%s column %s row %d: %r != %r" % (what, name, i, x, y))


def median(values):
    s = sorted(values)
    n = len(s)
    if n == 0:
        return float("nan")
    if n % 2:
        return float(s[n // 2])
    return (s[n // 2 - 1] + s[n // 2]) / 2.0


def reference_summary(customer_id, time, amount, as_of_day=None, window=90, day_offset=0):
    """Per-customer facts computed directly from the records (DOMAIN section 2),
    independently of the library. Every record is assumed valid."""
    days = [(t + day_offset) // DAY for t in time]
    if as_of_day is None:
        as_of_day = max(days)
    per = {}
    for c, d, a in zip(customer_id, days, amount):
        if d > as_of_day:
            continue
        per.setdefault(c, []).append((d, a))
    out = {}
    for c, recs in per.items():
        pdays = sorted(set(d for d, a in recs if a >= 0))
        gaps = [b - a for a, b in zip(pdays, pdays[1:])]
        purchases = [a for d, a in recs if a >= 0]
        returns = [a for d, a in recs if a < 0]
        out[c] = {
            "purchase_days": len(pdays),
            "transactions": len(purchases),
            "monetary": sum(a for d, a in recs),
            "gross": sum(purchases),
            "returns_count": len(returns),
            "returns_amount": -sum(returns),
            "first_purchase": pdays[0] if pdays else None,
            "last_purchase": pdays[-1] if pdays else None,
            "recency_days": as_of_day - pdays[-1] if pdays else None,
            "tenure_days": as_of_day - pdays[0] if pdays else None,
            "median_interval_days": median(gaps) if gaps else float("nan"),
            "recent_purchase_days": sum(1 for d in pdays if as_of_day - window < d <= as_of_day),
            "prior_purchase_days": sum(1 for d in pdays if as_of_day - 2 * window < d <= as_of_day - window),
        }
    return out, as_of_day

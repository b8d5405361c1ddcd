"""Bad input through the Python binding (README "Bad input", issue 14):
each gets a clear exception or the library's rejection, never a silently
wrapped or truncated value, never freed memory."""

import random
import unittest

import pyhelpers
from pyhelpers import DAY, crmkit

np, NUMPY_REASON = pyhelpers.optional_module("numpy")
pd, PANDAS_REASON = pyhelpers.optional_module("pandas")

D = 19700 * DAY  # 2023-12-09
IDS = [1, 1, 2]
TIMES = [D, D + 5 * DAY, D + 9 * DAY]
AMOUNTS = [10.0, 20.0, 5.0]


def rejected(result, input="transactions"):
    return {k: v for k, v in result.records(input).items() if v}


def model_data():
    """Transactions a BG/NBD fit identifies: 60 customers, some repeat buyers."""
    rng = random.Random(14)
    ids, times, amounts = [], [], []
    for c in range(60):
        first = rng.randrange(0, 100)
        for k in range(1 + rng.randrange(0, 5)):
            ids.append(c)
            times.append(D + (first + 20 * k) * DAY)
            amounts.append(10.0 + c)
    return ids, times, amounts


class TestBadInput(unittest.TestCase):
    def test_mismatched_lengths(self):
        with self.assertRaisesRegex(ValueError, "columns differ in length"):
            crmkit.analyze(customer_id=IDS, time=TIMES, amount=AMOUNTS[:2])

    def test_mixed_types(self):
        with self.assertRaisesRegex(TypeError, "expected a number"):
            crmkit.analyze(customer_id=IDS, time=TIMES, amount=[1.0, "x", 2.0])
        with self.assertRaisesRegex(TypeError, "give ids of one type"):
            crmkit.analyze(customer_id=[1, "a", 2], time=TIMES, amount=AMOUNTS)

    def test_bools_refused(self):
        with self.assertRaisesRegex(TypeError, "must not be booleans"):
            crmkit.analyze(customer_id=[True, False, True], time=TIMES, amount=AMOUNTS)
        with self.assertRaisesRegex(TypeError, "bool"):
            crmkit.analyze(customer_id=IDS, time=[True, False, True], amount=AMOUNTS)
        with self.assertRaisesRegex(TypeError, "bool"):
            crmkit.analyze(customer_id=IDS, time=TIMES, amount=[True, False, True])

    def test_ids_beyond_64_bits(self):
        for bad in (1 << 64, -1):
            with self.assertRaisesRegex(ValueError, "uint64 range"):
                crmkit.analyze(customer_id=[1, bad, 2], time=TIMES, amount=AMOUNTS)
        r = crmkit.analyze(customer_id=IDS, time=TIMES, amount=AMOUNTS)
        self.assertEqual(r.find(1), 0)
        for bad in ((1 << 64) + 1, -1):  # would wrap to 1 and to 2**64 - 1
            with self.assertRaisesRegex(ValueError, "uint64 range"):
                r.find(bad)

    def test_extreme_ids_exact(self):
        r = crmkit.analyze(customer_id=[0, (1 << 64) - 1], time=TIMES[:2], amount=AMOUNTS[:2])
        self.assertEqual(r["customer_id"], [0, (1 << 64) - 1])
        self.assertEqual(r.find((1 << 64) - 1), 1)

    def test_calibration_ends_beyond_64_bits(self):
        for end in ((1 << 64) + D, 1 << 70):
            with self.assertRaisesRegex(ValueError, "int64 range"):
                crmkit.calibration_split(customer_id=IDS, time=TIMES, amount=AMOUNTS, calibration_end=end,
                                         holdout_end=end + DAY)

    def test_option_nul(self):
        with self.assertRaisesRegex(ValueError, "NUL"):
            crmkit.analyze(customer_id=IDS, time=TIMES, amount=AMOUNTS, ties="ntile\0junk")
        with self.assertRaisesRegex(ValueError, "NUL"):
            crmkit.analyze(customer_id=IDS, time=TIMES, amount=AMOUNTS, **{"rfm_bins\0x": 4})
        with self.assertRaisesRegex(ValueError, "NUL"):
            crmkit.Config().set("rfm_bins", "4\0 junk")

    def test_config_not_a_config(self):
        with self.assertRaisesRegex(TypeError, "config must be a crmkit.Config, got str"):
            crmkit.analyze(customer_id=IDS, time=TIMES, amount=AMOUNTS, config="x")

    def test_population_add_result(self):
        r = crmkit.analyze(customer_id=IDS, time=TIMES, amount=AMOUNTS)
        pop = crmkit.Population(as_of=D + 10 * DAY)
        with self.assertRaisesRegex(TypeError, "takes a Summary.*got Result"):
            pop.add(r)
        with self.assertRaisesRegex(TypeError, "takes a Summary.*got Result"):
            pop.score(r)

    def test_model_after_result_closed(self):
        ids, times, amounts = model_data()
        with crmkit.analyze(customer_id=ids, time=times, amount=amounts, model="bgnbd") as r:
            m = r.model("bgnbd")
            inside = m.params
        self.assertTrue(all(v == v for v in inside.values()), inside)  # identified: no NaN
        with self.assertRaisesRegex(ValueError, "closed"):
            len(r)
        self.assertEqual(m.params, inside)  # the model keeps the C result alive
        self.assertEqual(m.kind, "bgnbd")
        del r
        self.assertEqual(m.params, inside)


@unittest.skipIf(np is None, NUMPY_REASON)
class TestBadInputNumpy(unittest.TestCase):
    def test_negative_stride_same_as_copy(self):
        ids = np.array(IDS[::-1], dtype=np.uint64)[::-1]
        times = np.array(TIMES[::-1], dtype=np.int64)[::-1]
        amounts = np.array(AMOUNTS[::-1])[::-1]
        self.assertLess(amounts.strides[0], 0)
        a = crmkit.analyze(customer_id=ids, time=times, amount=amounts)
        b = crmkit.analyze(customer_id=np.ascontiguousarray(ids), time=np.ascontiguousarray(times),
                           amount=np.ascontiguousarray(amounts))
        for name in a.columns:
            self.assertEqual(repr(a[name]), repr(b[name]), name)

    def test_object_arrays_mixed(self):
        with self.assertRaisesRegex(TypeError, "give ids of one type"):
            crmkit.analyze(customer_id=np.array([1, "a", 2.5], dtype=object), time=TIMES, amount=AMOUNTS)
        # ints, floats and None as amounts: None is a missing amount, rejected as nonfinite
        r = crmkit.analyze(customer_id=IDS, time=TIMES, amount=np.array([1, 2.5, None], dtype=object))
        self.assertEqual(rejected(r), {"accepted": 2, "nonfinite": 1})

    def test_nan_ids(self):
        with self.assertRaisesRegex(ValueError, "customer id is missing"):
            crmkit.analyze(customer_id=np.array([1.0, np.nan, 2.0]), time=TIMES, amount=AMOUNTS)

    def test_nat_times(self):
        t = np.array(["2023-12-09", "NaT", "2023-12-10"], dtype="datetime64[s]")
        r = crmkit.analyze(customer_id=IDS, time=t, amount=AMOUNTS)
        self.assertEqual(rejected(r), {"accepted": 2, "time_range": 1})

    def test_datetime64_days_out_of_range(self):
        for bad in (2 ** 62, -2 ** 62, 2932897, -719163):  # 2**62 days would wrap to a valid time
            t = np.array([19700, bad, 19701], dtype="datetime64[D]")
            r = crmkit.analyze(customer_id=IDS, time=t, amount=AMOUNTS)
            self.assertEqual(rejected(r), {"accepted": 2, "time_range": 1}, bad)

    def test_numpy_bools_refused(self):
        with self.assertRaisesRegex(TypeError, "booleans"):
            crmkit.analyze(customer_id=IDS, time=TIMES, amount=np.array([True, False, True]))
        with self.assertRaises(TypeError):
            crmkit.analyze(customer_id=np.array([True, False, True]), time=TIMES, amount=AMOUNTS)


@unittest.skipIf(pd is None, PANDAS_REASON)
class TestBadInputPandas(unittest.TestCase):
    def test_empty_dataframe(self):
        for df in (pd.DataFrame(), pd.DataFrame({"customer_id": [], "time": [], "amount": []})):
            with self.assertRaises(crmkit.Error) as cm:
                crmkit.analyze(df)
            self.assertEqual(cm.exception.status_name, "CRM_STATUS_NO_DATA")


if __name__ == "__main__":
    unittest.main()

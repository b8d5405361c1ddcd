"""crmkit.fit("bgbb") on the donations data of Fader, Hardie & Shang (2010)
(tests/data/cdnow/donations.csv), against the published maximum-likelihood
estimates and expectations."""

import unittest

import pyhelpers
from pyhelpers import crmkit


def donations():
    rows = pyhelpers.read_csv("cdnow", "donations.csv")
    return {k: [float(r[k]) for r in rows] for k in ("frequency", "recency", "periods", "weights")}


class BGBBTest(unittest.TestCase):
    def test_fit_donations(self):
        m = crmkit.fit("bgbb", data=donations())
        self.assertEqual(m.kind, "bgbb")
        self.assertEqual(m.param_names, ["alpha", "beta", "gamma", "delta"])
        want = {"alpha": 1.203522, "beta": 0.749716, "gamma": 0.656718, "delta": 2.783443}
        for name, value in want.items():
            self.assertAlmostEqual(m.params[name] / value, 1, delta=2e-4)
        self.assertAlmostEqual(m.loglik, -33225.581, delta=2e-3)
        self.assertTrue(m.converged)
        pa = m.p_alive(x=[0, 2, 6], t_x=[0, 4, 6], T=[6, 6, 6])
        for got, want_pa in zip(pa, [0.11, 0.59, 0.93]):
            self.assertAlmostEqual(got, want_pa, delta=0.005)
        e = m.expected_purchases(10, x=[0, 4], t_x=[0, 5], T=[6, 6])
        self.assertAlmostEqual(e[0] / 0.1302169, 1, delta=1e-4)
        self.assertAlmostEqual(e[1] / 3.627858, 1, delta=1e-4)
        self.assertAlmostEqual(m.expected_purchases_new(10) / 3.179805, 1, delta=1e-4)
        back = crmkit.Model.from_bytes(m.to_bytes())
        self.assertEqual(back.params, m.params)

    def test_bad_rows(self):
        with self.assertRaises(crmkit.Error) as ctx:
            crmkit.fit("bgbb", x=[3, 1, 0, 2, 1], t_x=[2, 1, 0, 2, 3], T=[6, 6, 6, 6, 6])
        self.assertIn("x > t_x", str(ctx.exception))


class ExpectedCumulativeTest(unittest.TestCase):
    def test_cdnow_tracking(self):
        rows = pyhelpers.read_csv("cdnow", "cdnow_customers_summary.csv")
        T = [float(r["T"]) for r in rows]
        birth = [max(T) - v for v in T]
        m = crmkit.Model.from_params("bgnbd", {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        cum = m.expected_cumulative(birth, [0, 13, max(T), 78])
        self.assertEqual(cum[0], 0)
        ref = sum(m.expected_purchases_new(78 - b) for b in birth)
        self.assertAlmostEqual(cum[3] / ref, 1, delta=1e-12)
        self.assertTrue(cum[1] < cum[2] < cum[3])
        self.assertAlmostEqual(cum[2] / 2457, 1, delta=0.05)


if __name__ == "__main__":
    unittest.main()

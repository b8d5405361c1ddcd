"""Model.summary() / fit_figures(), the reprs of Result and Model, the
public surface (__all__ without the ctypes layer, py.typed, type hints)
(issue 12). The pandas parts are skipped (with the reason) without pandas."""

import math
import os
import sys
import typing
import unittest

import pyhelpers
from pyhelpers import crmkit

pd, PANDAS_REASON = pyhelpers.optional_module("pandas")
if PANDAS_REASON:
    sys.stderr.write("test_summary_repr: skipping the pandas tests: %s\n" % PANDAS_REASON)


def cdnow():
    rows = pyhelpers.read_csv("cdnow", "cdnow_customers_summary.csv")
    return ([float(r["frequency"]) for r in rows], [float(r["recency"]) for r in rows],
            [float(r["T"]) for r in rows])


class TestFitFigures(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        x, t_x, T = cdnow()
        cls.model = crmkit.fit("bgnbd", x=x, t_x=t_x, T=T)

    def test_fit_figures(self):
        m = self.model
        f = m.fit_figures()
        self.assertEqual(f["kind"], "bgnbd")
        self.assertEqual(f["loglik"], m.loglik)
        self.assertEqual(f["aic"], m.aic)
        self.assertEqual(f["bic"], m.bic)
        self.assertTrue(f["converged"])
        self.assertEqual(f["status"], "ok")
        self.assertEqual(f["iterations"], m.iterations)
        self.assertGreater(f["iterations"], 0)
        # the BG/NBD has 4 parameters: AIC = 2k - 2 loglik, from the library
        self.assertAlmostEqual(f["aic"], 8 - 2 * m.loglik, places=6)

    def test_model_repr(self):
        text = repr(self.model)
        self.assertTrue(text.startswith("<crmkit.Model bgnbd "), text)
        for name in ("r=", "alpha=", "a=", "b=", "loglik="):
            self.assertIn(name, text)
        given = crmkit.Model.from_params("bgnbd", {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        self.assertIn("r=0.243", repr(given))

    def test_result_repr(self):
        r = crmkit.analyze([3, 1, 3], [0, 86400, 2 * 86400], [1.0, 2.0, 3.0], as_of="1970-01-10")
        self.assertEqual(repr(r), "<crmkit.Result 2 customers, %d columns, as of 1970-01-10>" % len(r.columns))
        s = crmkit.analyze(["b", "a", "b"], [0, 86400, 2 * 86400], [1.0, 2.0, 3.0], as_of="1970-01-10")
        self.assertEqual(repr(s), "<crmkit.Result 2 customers, %d columns, as of 1970-01-10, 2 ids factorised>"
                         % len(s.columns))
        r.close()
        self.assertEqual(repr(r), "<crmkit.Result closed>")


@unittest.skipIf(pd is None, PANDAS_REASON)
class TestSummary(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        x, t_x, T = cdnow()
        cls.model = crmkit.fit("bgnbd", x=x, t_x=t_x, T=T)

    def test_summary(self):
        m = self.model
        df = m.summary()
        self.assertEqual(list(df.index), ["r", "alpha", "a", "b"])
        self.assertEqual(df.index.name, "param")
        self.assertEqual(list(df.columns), ["estimate", "std_error", "lower", "upper"])
        ci = m.confint(0.95)
        for name in m.param_names:
            self.assertEqual(df.loc[name, "estimate"], m.params[name])
            self.assertEqual(df.loc[name, "std_error"], m.stderr[name])
            self.assertEqual(df.loc[name, "lower"], ci[name][0])
            self.assertEqual(df.loc[name, "upper"], ci[name][1])
            self.assertLess(df.loc[name, "lower"], df.loc[name, "estimate"])
            self.assertGreater(df.loc[name, "upper"], df.loc[name, "estimate"])
        # published CDNOW BG/NBD estimates (Fader, Hardie & Lee 2005)
        self.assertAlmostEqual(df.loc["r", "estimate"], 0.243, places=3)
        self.assertAlmostEqual(df.loc["alpha", "estimate"], 4.414, places=2)
        for key in ("loglik", "aic", "bic", "converged", "status", "iterations"):
            self.assertEqual(df.attrs[key], m.fit_figures()[key], key)
        self.assertEqual(df.attrs["level"], 0.95)

    def test_summary_level_and_log_scale(self):
        m = self.model
        wide, narrow = m.summary(0.99), m.summary(0.5)
        self.assertTrue((wide["upper"] - wide["lower"] > narrow["upper"] - narrow["lower"]).all())
        logs = m.summary(log_scale=True)
        self.assertTrue((logs["lower"] > 0).all())
        self.assertTrue(logs.attrs["log_scale"])
        for name, (lo, hi) in m.confint(0.95, log_scale=True).items():
            self.assertEqual(logs.loc[name, "lower"], lo)
            self.assertEqual(logs.loc[name, "upper"], hi)

    def test_summary_of_given_model(self):
        given = crmkit.Model.from_params("bgnbd", {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        df = given.summary()
        self.assertEqual(df.loc["b", "estimate"], 2.426)
        self.assertTrue(math.isnan(df.attrs["aic"]))


class TestPublicSurface(unittest.TestCase):
    def test_all(self):
        self.assertNotIn("ffi", crmkit.__all__)
        self.assertNotIn("lib", crmkit.__all__)
        for name in crmkit.__all__:
            self.assertTrue(hasattr(crmkit, name), name)
        self.assertTrue(hasattr(crmkit, "ffi") and hasattr(crmkit, "lib"))  # still reachable

    def test_py_typed_and_hints(self):
        self.assertTrue(os.path.isfile(os.path.join(os.path.dirname(crmkit.__file__), "py.typed")))
        hints = typing.get_type_hints(crmkit.analyze)
        self.assertIs(hints["return"], crmkit.Result)
        self.assertIs(typing.get_type_hints(crmkit.fit)["return"], crmkit.Model)
        self.assertIn("return", typing.get_type_hints(crmkit.Model.summary))


if __name__ == "__main__":
    unittest.main()

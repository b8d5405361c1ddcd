"""crmkit.fit and crmkit.Model on the CDNOW summary (weeks), against the
maximum-likelihood values of tests/data/cdnow/README.md. Skipped (with the
reason) when the library does not provide the model functions yet."""

import math
import sys
import unittest

import pyhelpers
from pyhelpers import crmkit

np, NUMPY_REASON = pyhelpers.optional_module("numpy")


def _unavailable(exc):
    if isinstance(exc, crmkit.MissingSymbolError):
        return str(exc)
    message = (exc.message or "").lower() if isinstance(exc, crmkit.Error) else ""
    if any(words in message for words in ("not implemented", "not wired", "not yet", " yet")):
        return exc.message
    return None


def call_or_skip(test, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except (crmkit.MissingSymbolError, crmkit.Error) as exc:
        reason = _unavailable(exc)
        if reason is None:
            raise
        sys.stderr.write("test_models: skipping: %s\n" % reason)
        test.skipTest("model functions not available: %s" % reason)


def cdnow():
    rows = pyhelpers.read_csv("cdnow", "cdnow_customers_summary.csv")
    return ([float(r["frequency"]) for r in rows], [float(r["recency"]) for r in rows],
            [float(r["T"]) for r in rows])


def cdnow_spend():
    rows = pyhelpers.read_csv("cdnow", "cdnow_customers_summary_with_transactions.csv")
    rows = [r for r in rows if float(r["x"]) > 0]
    return [float(r["x"]) for r in rows], [float(r["zbar"]) for r in rows]


def bgnbd_p_alive(params, x, t_x, T):
    """Fader, Hardie & Lee (2005), eq. for P(alive), computed here independently."""
    r, alpha, a, b = params["r"], params["alpha"], params["a"], params["b"]
    if x == 0:
        return 1.0
    return 1.0 / (1.0 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x))


class TestModels(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.x, cls.t_x, cls.T = cdnow()

    def assertRel(self, got, want, rel, what=""):
        self.assertTrue(abs(got - want) <= rel * abs(want), "%s: %r vs %r (rel %g)" % (what, got, want, rel))

    def fit_bgnbd(self):
        return call_or_skip(self, crmkit.fit, "bgnbd", x=self.x, t_x=self.t_x, T=self.T)

    def test_bgnbd_fit(self):
        m = self.fit_bgnbd()
        self.assertEqual(m.kind, "bgnbd")
        self.assertEqual(list(m.params), ["r", "alpha", "a", "b"])
        want = {"r": 0.242593, "alpha": 4.413531, "a": 0.792886, "b": 2.425753}
        for k, v in want.items():
            self.assertRel(m.params[k], v, 1e-4, k)
        self.assertTrue(m.converged)
        self.assertTrue(abs(m.loglik - (-9582.4256)) < 1e-2, m.loglik)
        self.assertEqual(set(m.stderr), set(want))
        self.assertIn("bgnbd", repr(m))

    def test_bgnbd_predictions(self):
        m = self.fit_bgnbd()
        p = m.params
        # lists in, list out; each row equals the closed form
        got = m.p_alive(x=self.x[:50], t_x=self.t_x[:50], T=self.T[:50])
        self.assertIsInstance(got, list)
        self.assertEqual(len(got), 50)
        for i, g in enumerate(got):
            self.assertRel(g, bgnbd_p_alive(p, self.x[i], self.t_x[i], self.T[i]), 1e-9, "p_alive row %d" % i)
        # scalars in, float out; a scalar broadcasts
        e = m.expected_purchases(39, x=2, t_x=30.43, T=38.86)
        self.assertIsInstance(e, float)
        self.assertRel(e, 1.22591, 1e-4, "E[X(39) | 2, 30.43, 38.86]")
        both = m.expected_purchases(39, x=[2, 2], t_x=[30.43, 30.43], T=38.86)
        self.assertEqual(len(both), 2)
        self.assertRel(both[1], e, 1e-12)
        self.assertTrue(0 < m.expected_purchases_new(52) < 10)
        self.assertTrue(0 < m.prob_purchases(39, 0) < 1)

    @unittest.skipIf(np is None, NUMPY_REASON)
    def test_numpy_predictions(self):
        m = self.fit_bgnbd()
        x, t_x, T = np.array(self.x), np.array(self.t_x), np.array(self.T)
        got = m.p_alive(x=x, t_x=t_x, T=T)
        self.assertIsInstance(got, np.ndarray)
        self.assertEqual(got.tolist(), m.p_alive(x=self.x, t_x=self.t_x, T=self.T))
        # strided inputs: a structured array of the three columns
        rec = np.zeros(len(x), dtype=[("x", "f8"), ("t_x", "f8"), ("T", "f8"), ("pad", "i4")])
        rec["x"], rec["t_x"], rec["T"] = x, t_x, T
        self.assertEqual(m.p_alive(data=rec).tolist(), got.tolist())
        fitted = call_or_skip(self, crmkit.fit, "bgnbd", data=rec)
        for k, v in m.params.items():
            self.assertRel(fitted.params[k], v, 1e-12, k)

    def test_weights(self):
        counts = {}
        for row in zip(self.x, self.t_x, self.T):
            counts[row] = counts.get(row, 0) + 1
        rows = sorted(counts)
        m = call_or_skip(self, crmkit.fit, "bgnbd", x=[r[0] for r in rows], t_x=[r[1] for r in rows],
                         T=[r[2] for r in rows], weights=[float(counts[r]) for r in rows])
        self.assertEqual(len(rows), 1016)
        for k, v in {"r": 0.242593, "alpha": 4.413531, "a": 0.792886, "b": 2.425753}.items():
            self.assertRel(m.params[k], v, 1e-4, k)

    def test_other_purchase_models(self):
        want = {
            "pareto_nbd": {"r": 0.553276, "alpha": 10.577612, "s": 0.606214, "beta": 11.667914},
            "mbgnbd": {"r": 0.524838, "alpha": 6.182992, "a": 0.891356, "b": 1.613999},
        }
        for kind, params in want.items():
            m = call_or_skip(self, crmkit.fit, kind, x=self.x, t_x=self.t_x, T=self.T)
            self.assertEqual(list(m.params), list(params))
            for k, v in params.items():
                self.assertRel(m.params[k], v, 1e-3, "%s %s" % (kind, k))

    def test_gamma_gamma_and_clv(self):
        x, spend = cdnow_spend()
        self.assertEqual(len(x), 946)
        gg = call_or_skip(self, crmkit.fit, "gamma_gamma", x=x, spend=spend)
        for k, v in {"p": 6.248803, "q": 3.744588, "gamma": 15.447747}.items():
            self.assertRel(gg.params[k], v, 1e-3, k)
        es = gg.expected_spend(x=x[:3], spend=spend[:3])
        self.assertEqual(len(es), 3)
        bg = self.fit_bgnbd()
        clv = bg.clv(gg, x=self.x[:5], t_x=self.t_x[:5], T=self.T[:5], time_unit_days=7, horizon_days=364,
                     discount_rate=0.0, margin=1.0)
        self.assertEqual(len(clv), 5)
        self.assertTrue(all(v >= 0 and math.isfinite(v) for v in clv))

    def test_from_params_and_errors(self):
        m = call_or_skip(self, crmkit.Model.from_params, "bgnbd",
                         {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        self.assertRel(m.prob_purchases(39, 0), 0.5737864, 1e-5, "P(X(39) = 0)")
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.Model.from_params("bgnbd", [1.0, 2.0])
        self.assertEqual(cm.exception.status, crmkit.ffi.CRM_STATUS_INVALID_ARGUMENT)
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.fit("bgnbd", x=[1.5], t_x=[1.0], T=[2.0])  # x not integral
        self.assertEqual(cm.exception.status, crmkit.ffi.CRM_STATUS_BAD_RECORD)
        self.assertEqual(cm.exception.record, 0)
        with self.assertRaises(ValueError):
            crmkit.fit("no_such_model", x=[1.0], t_x=[1.0], T=[2.0])

    def test_model_from_analysis(self):
        cid, t, amt = pyhelpers.small_transactions()
        r = call_or_skip(self, crmkit.analyze, cid, t, amt, model="bgnbd", spend_model=1)
        m = r.model("bgnbd")
        self.assertIsNotNone(m)
        self.assertEqual(m.kind, "bgnbd")
        self.assertIn("p_alive", r.columns)
        rows = [i for i, p in enumerate(r["purchase_days"]) if p > 0]
        cols = {k: [r[k][i] for i in rows] for k in ("x", "t_x", "T")}
        again = call_or_skip(self, crmkit.fit, "bgnbd", data=cols)
        for k, v in m.params.items():
            self.assertRel(again.params[k], v, 1e-6, k)
        direct = call_or_skip(self, crmkit.fit, "bgnbd", data=r)  # rows without x are left out
        self.assertEqual(direct.params, again.params)
        del r  # the model keeps the result alive
        self.assertEqual(m.kind, "bgnbd")


class TestModelParams(unittest.TestCase):
    """Parameter names come from crm_model_param_count / crm_model_param_name."""

    def test_param_names_of_every_kind(self):
        lib, f = crmkit.lib, crmkit.ffi
        self.assertEqual(crmkit.model_names(), [lib.crm_enum_name(f.CRM_ENUM_MODEL_KIND, k).decode()
                                                for k in range(1, lib.crm_enum_count(f.CRM_ENUM_MODEL_KIND))])
        for kind in crmkit.model_names():
            k = lib.crm_enum_value(f.CRM_ENUM_MODEL_KIND, kind.encode())
            names = crmkit.model_param_names(kind)
            self.assertEqual(len(names), lib.crm_model_param_count(k), kind)
            self.assertEqual(names, crmkit.model_param_names(k))
            m = crmkit.Model.from_params(kind, {n: 1.0 + i for i, n in enumerate(names)})
            self.assertEqual(m.kind, kind)
            self.assertEqual(m.param_names, list(names))
            self.assertEqual(list(m.params.values()), [1.0 + i for i in range(len(names))])
            with self.assertRaises(KeyError):
                crmkit.Model.from_params(kind, dict({n: 1.0 for n in names}, no_such_parameter=1.0))
            with self.assertRaises(KeyError):
                crmkit.Model.from_params(kind, {n: 1.0 for n in names[1:]})
        self.assertEqual(lib.crm_model_param_count(f.CRM_MODEL_KIND_NONE), 0)
        with self.assertRaises(ValueError):
            crmkit.model_param_names("no_such_model")

    def test_clv_reads_its_convention_from_a_configuration(self):
        bg = crmkit.Model.from_params("bgnbd", {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        rows = dict(x=[2.0, 0.0], t_x=[30.43, 0.0], T=[38.86, 38.86], spend=[20.0, 0.0])
        default = bg.clv(**rows)
        self.assertEqual(len(default), 2)
        self.assertGreater(default[0], 0.0)
        self.assertEqual(default[1], 0.0)  # no spend
        cfg = crmkit.Config(horizon_days=730, margin=0.5)
        longer = bg.clv(config=cfg, **rows)
        self.assertEqual(bg.clv(horizon_days=730, margin=0.5, **rows), longer)
        self.assertEqual(cfg.get("horizon_days"), 730.0)  # the configuration is not modified
        self.assertGreater(longer[0], 0.5 * default[0])
        self.assertEqual(crmkit.clv(bg, **rows), default)
        with self.assertRaises(crmkit.Error):
            bg.clv(margin=2.0, **rows)


class TestCalibrationSplit(unittest.TestCase):
    def test_against_plain_python(self):
        cid, t, amt = pyhelpers.small_transactions()
        last_day = max(t) // pyhelpers.DAY
        cal_day, hold_day = last_day - 180, last_day
        r = call_or_skip(self, crmkit.calibration_split, cid, t, amt,
                         calibration_end=(cal_day + 1) * pyhelpers.DAY - 1,
                         holdout_end=(hold_day + 1) * pyhelpers.DAY - 1, time_unit_days=1)
        days = {}
        for c, tt, a in zip(cid, t, amt):
            if a >= 0:
                days.setdefault(c, set()).add(tt // pyhelpers.DAY)
        want = {}
        for c, ds in days.items():
            cal = sorted(d for d in ds if d <= cal_day)
            if not cal:
                continue
            want[c] = (len(cal) - 1, cal[-1] - cal[0], cal_day - cal[0],
                       sum(1 for d in ds if cal_day < d <= hold_day))
        self.assertEqual(r["customer_id"], sorted(want))
        for i, c in enumerate(r["customer_id"]):
            got = (r["x"][i], r["t_x"][i], r["T"][i], r["holdout_purchases"][i])
            self.assertEqual(got, want[c], "customer %d" % c)
        # straight into a model
        m = call_or_skip(self, crmkit.fit, "bgnbd", data=r)
        self.assertEqual(len(m.p_alive(data=r)), len(r))


if __name__ == "__main__":
    unittest.main()

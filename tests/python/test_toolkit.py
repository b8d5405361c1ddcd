"""The rest of the BTYD toolkit in the binding: log-likelihood at given
parameters, conditional P(X(T, T+t) = n), P(alive) and expected-purchases
matrices, the alive path, confidence intervals, AIC/BIC and the Gamma-Gamma
independence check, on the CDNOW summary (weeks)."""

import math
import unittest

import pyhelpers
from pyhelpers import crmkit

np, NUMPY_REASON = pyhelpers.optional_module("numpy")

BGNBD = {"r": 0.242593, "alpha": 4.413531, "a": 0.792886, "b": 2.425753}
PNBD = {"r": 0.553276, "alpha": 10.577612, "s": 0.606214, "beta": 11.667914}


def cdnow():
    rows = pyhelpers.read_csv("cdnow", "cdnow_customers_summary_with_transactions.csv")
    return ([float(r["x"]) for r in rows], [float(r["t_x"]) for r in rows], [float(r["T"]) for r in rows],
            [float(r["zbar"]) for r in rows])


class TestToolkit(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.x, cls.t_x, cls.T, cls.spend = cdnow()
        cls.bg = crmkit.fit("bgnbd", x=cls.x, t_x=cls.t_x, T=cls.T)

    def test_given_model_values_an_analysis(self):
        # A model fitted once (here: on the CDNOW summary, in weeks) values a later analysis
        # without a new fit: the result's model is the given one.
        cid, time, amount = pyhelpers.small_transactions()
        cfg = crmkit.Config(model="bgnbd", time_unit_days=7).set_model("bgnbd", self.bg)
        r = crmkit.analyze(cid, time, amount, config=cfg)
        self.assertEqual(r.model("bgnbd").params, self.bg.params)
        fitted = crmkit.analyze(cid, time, amount, model="bgnbd", time_unit_days=7).model("bgnbd")
        self.assertNotEqual(fitted.params, self.bg.params)
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.Config(model="bgnbd").set_model("pareto_nbd", self.bg)
        self.assertEqual(cm.exception.status_name, "CRM_STATUS_INVALID_ARGUMENT")
        # A model fitted by an analysis in weeks does not value one in days (a model fitted on
        # the caller's own rows has no known unit and is taken as given).
        days = crmkit.Config(model="bgnbd", time_unit_days=1).set_model("bgnbd", fitted)
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.analyze(cid, time, amount, config=days)
        self.assertEqual(cm.exception.status_name, "CRM_STATUS_MISMATCH")

    def test_log_likelihood(self):
        m = self.bg
        total = m.log_likelihood(x=self.x, t_x=self.t_x, T=self.T)
        self.assertAlmostEqual(total, m.loglik, delta=1e-8)
        rows = m.log_likelihood(x=self.x, t_x=self.t_x, T=self.T, per_row=True)
        self.assertEqual(len(rows), len(self.x))
        self.assertAlmostEqual(math.fsum(rows), total, delta=1e-8)
        given = crmkit.Model.from_params("bgnbd", BGNBD)
        self.assertAlmostEqual(given.log_likelihood(x=self.x, t_x=self.t_x, T=self.T), -9582.4256, delta=1e-3)
        rep = [(x, s) for x, s in zip(self.x, self.spend) if x > 0]
        gg = crmkit.fit("gamma_gamma", x=[r[0] for r in rep], spend=[r[1] for r in rep])
        self.assertAlmostEqual(gg.log_likelihood(x=self.x, spend=self.spend), gg.loglik, delta=1e-8)

    def test_prob_purchases_conditional(self):
        for kind, params in (("bgnbd", BGNBD), ("pareto_nbd", PNBD)):
            m = crmkit.Model.from_params(kind, params)
            ps = [m.prob_purchases_conditional(52, n, x=2, t_x=30.43, T=38.86) for n in range(200)]
            self.assertAlmostEqual(sum(ps), 1.0, delta=1e-9)
            mean = sum(n * p for n, p in enumerate(ps))
            self.assertAlmostEqual(mean, m.expected_purchases(52, x=2, t_x=30.43, T=38.86), delta=1e-7)
            col = m.prob_purchases_conditional(52, 1, x=[0, 2], t_x=[0, 30.43], T=38.86)
            self.assertEqual(len(col), 2)
            self.assertEqual(col[1], ps[1])
            with self.assertRaises(crmkit.Error):
                m.prob_purchases_conditional(52, -1, x=2, t_x=30.43, T=38.86)

    def test_matrices(self):
        m = self.bg
        pa = m.p_alive_matrix(39, [0, 1, 10], [0, 20, 39])
        ex = m.expected_purchases_matrix(52, 39, [0, 1, 10], [0, 20, 39])
        self.assertEqual(len(pa), 3)
        self.assertTrue(math.isnan(pa[0][1]) and math.isnan(ex[0][2]))
        self.assertEqual(pa[2][1], m.p_alive(x=10, t_x=20, T=39))
        self.assertEqual(ex[1][2], m.expected_purchases(52, x=1, t_x=39, T=39))
        with self.assertRaises(crmkit.Error):
            m.p_alive_matrix(39, [1], [40])

    @unittest.skipIf(np is None, NUMPY_REASON)
    def test_matrix_numpy(self):
        pa = self.bg.p_alive_matrix(39, np.arange(5), np.linspace(0, 39, 4))
        self.assertEqual(pa.shape, (5, 4))

    def test_alive_path(self):
        m = self.bg
        path = m.alive_path([0, 3, 3, 10], step=1, points=15)
        self.assertEqual(len(path), 15)
        self.assertEqual(path[0], 1.0)
        self.assertEqual(path[12], m.p_alive(x=2, t_x=10, T=12))
        self.assertEqual(path[5], m.p_alive(x=1, t_x=3, T=5))
        self.assertEqual(len(m.alive_path([0, 3, 10])), 11)

    def test_confint_and_criteria(self):
        m = self.bg
        ci = m.confint(0.95)
        lo, hi = ci["r"]
        self.assertAlmostEqual(hi - lo, 2 * 1.959963984540054 * m.stderr["r"], delta=1e-12)
        llo, lhi = m.confint(0.95, log_scale=True)["alpha"]
        self.assertTrue(0 < llo < m.params["alpha"] < lhi)
        self.assertAlmostEqual(m.aic, 8 + 2 * 9582.4256, delta=1e-3)
        self.assertAlmostEqual(m.bic, 4 * math.log(2357) + 2 * 9582.4256, delta=1e-3)
        self.assertTrue(math.isnan(crmkit.Model.from_params("bgnbd", BGNBD).aic))

    def test_spend_correlation(self):
        # lifetimes' documentation: 0.113884 over the 946 repeat buyers
        self.assertAlmostEqual(crmkit.spend_correlation(x=self.x, spend=self.spend), 0.1138839104860045,
                               delta=1e-12)

    def test_dert(self):
        m = crmkit.Model.from_params("pareto_nbd", PNBD)
        delta = math.log(1.15) / 52
        d = m.dert(delta, x=[0, 2], t_x=[0, 30.43], T=38.86)
        self.assertTrue(0 < d[0] < d[1])
        c = m.clv_dert(x=2, t_x=30.43, T=38.86, spend=40.0, time_unit_days=7, discount_rate=0.15, margin=0.3)
        rate = 1.15 ** (7 / 365.25) - 1
        self.assertAlmostEqual(c, 0.3 * 40 * m.dert(math.log1p(rate), x=2, t_x=30.43, T=38.86), delta=1e-10)
        with self.assertRaises(crmkit.Error):
            self.bg.dert(delta, x=2, t_x=30.43, T=38.86)


class TestSaveLoad(unittest.TestCase):
    def setUp(self):
        x, t_x, T, _ = cdnow()
        self.m = crmkit.fit("pareto_nbd", x=x, t_x=t_x, T=T)

    def same(self, a, b):
        self.assertEqual(a.kind, b.kind)
        self.assertEqual(a.params, b.params)
        for k, v in a.stderr.items():
            self.assertTrue(v == b.stderr[k] or (v != v and b.stderr[k] != b.stderr[k]))
        self.assertEqual(a.loglik, b.loglik)
        self.assertEqual((a.status, a.converged, a.iterations, a.message, a.limits),
                         (b.status, b.converged, b.iterations, b.message, b.limits))
        self.assertEqual(a.p_alive(x=3, t_x=20, T=38), b.p_alive(x=3, t_x=20, T=38))

    def test_bytes_pickle_dict(self):
        import pickle
        raw = self.m.to_bytes()
        self.same(self.m, crmkit.Model.from_bytes(raw))
        self.same(self.m, pickle.loads(pickle.dumps(self.m)))
        d = self.m.to_dict()
        self.assertEqual(d["kind"], "pareto_nbd")
        self.assertIsNone(d["time_unit_days"])
        self.same(self.m, crmkit.Model.from_dict(d))
        del d["saved"]
        self.assertEqual(crmkit.Model.from_dict(d).params, self.m.params)

    def test_refused(self):
        raw = self.m.to_bytes()
        for bad in (raw[:-1], raw[:10], b"", raw + b"\0", raw[:50] + bytes([raw[50] ^ 1]) + raw[51:]):
            with self.assertRaises(crmkit.Error) as cm:
                crmkit.Model.from_bytes(bad)
            self.assertEqual(cm.exception.status_name, "CRM_STATUS_CORRUPT")
        newer = raw[:8] + b"\x02" + raw[9:]
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.Model.from_bytes(newer)
        self.assertEqual(cm.exception.status_name, "CRM_STATUS_VERSION")


if __name__ == "__main__":
    unittest.main()

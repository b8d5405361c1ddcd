"""Progress, cancellation and Ctrl-C (issue 10): a progress callback hears
the fits and the analysis and can stop them; SIGINT during a long fit stops
it within a second and raises KeyboardInterrupt; models that cannot be
fitted say why."""

import os
import random
import signal
import threading
import time
import unittest

import pyhelpers
from pyhelpers import crmkit


def cdnow():
    rows = pyhelpers.read_csv("cdnow", "cdnow_customers_summary.csv")
    return ([float(r["frequency"]) for r in rows], [float(r["recency"]) for r in rows],
            [float(r["T"]) for r in rows])


def slow_rows(n, seed=5):
    """n distinct Pareto/NBD-like rows: nothing to compress, so every
    likelihood evaluation costs n rows."""
    rnd = random.Random(seed)
    x, t_x, T = [], [], []
    for _ in range(n):
        t = 30 + 70 * rnd.random()
        k = rnd.randint(0, 40)
        x.append(float(k))
        t_x.append(t * rnd.random() if k else 0.0)
        T.append(t)
    return x, t_x, T


class TestProgress(unittest.TestCase):
    def test_fit_progress_and_cancel(self):
        x, t_x, T = cdnow()
        seen = []
        m = crmkit.fit("bgnbd", x=x, t_x=t_x, T=T, progress=lambda *a: seen.append(a) and False)
        self.assertEqual(m.status, "ok")
        self.assertTrue(len(seen) > 20)
        self.assertTrue(all(a[0] == "fit" and 0 < a[1] <= a[2] for a in seen))
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.fit("pareto_nbd", x=x, t_x=t_x, T=T, progress=lambda phase, done, total: done >= 5)
        self.assertEqual(cm.exception.status_name, "CRM_STATUS_CANCELLED")

    def test_callback_exception_propagates(self):
        x, t_x, T = cdnow()

        def boom(phase, done, total):
            raise ZeroDivisionError("from the callback")
        with self.assertRaises(ZeroDivisionError):
            crmkit.fit("bgnbd", x=x, t_x=t_x, T=T, progress=boom)

    def test_analysis_progress(self):
        tx = pyhelpers.small_transactions()
        phases = []
        crmkit.analyze(*tx, model="bgnbd", progress=lambda p, d, t: phases.append(p) and False)
        self.assertEqual(phases[:2], ["summarize", "population"])
        self.assertEqual(phases[-1], "score")
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.analyze(*tx, progress=lambda p, d, t: p == "population")
        self.assertEqual(cm.exception.status_name, "CRM_STATUS_CANCELLED")

    @unittest.skipUnless(hasattr(signal, "SIGINT") and hasattr(os, "kill"), "needs SIGINT")
    def test_ctrl_c_interrupts_a_fit(self):
        x, t_x, T = slow_rows(60000)
        timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
        start = time.monotonic()
        timer.start()
        try:
            with self.assertRaises(KeyboardInterrupt):
                # tolerance 0: only the interrupt (or the budgets) ends it
                crmkit.fit("pareto_nbd", x=x, t_x=t_x, T=T, tolerance=0, max_iterations=10**6, fit_seconds=300)
        finally:
            timer.cancel()
        took = time.monotonic() - start
        # Generous bound: a loaded CI machine delays the timer and the check; the point is that
        # the interrupt, not the 300 s budget, ended the fit.
        self.assertLess(took, 0.3 + 20, "the fit went on for %.2f s after Ctrl-C" % (took - 0.3))
        # The interpreter's own handler is back.
        self.assertIs(signal.getsignal(signal.SIGINT), signal.default_int_handler)

    def test_unidentified_model_says_why(self):
        # Every purchase on one day: T = 0 for everyone.
        ids = [i % 7 + 1 for i in range(30)]
        times = [1700000000 + i for i in range(30)]
        amounts = [10.0 + i for i in range(30)]
        r = crmkit.analyze(ids, times, amounts, model="bgnbd", spend_model=1)
        m = r.model("bgnbd")
        self.assertEqual(m.status, "not_identified")
        self.assertIn("every T is 0", m.message)
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.fit("bgnbd", x=[0.0] * 10, t_x=[0.0] * 10, T=[5.0] * 10)
        self.assertEqual(cm.exception.status_name, "CRM_STATUS_NOT_IDENTIFIED")
        self.assertIn("repeat purchase", str(cm.exception))

    def test_limits_and_q_constraint(self):
        m = crmkit.fit("bgnbd", x=[3.0], t_x=[20.0], T=[30.0], weights=[1e7])
        self.assertIn("common_purchase_rate", m.limits)
        self.assertIn("one purchase rate", m.message)


if __name__ == "__main__":
    unittest.main()

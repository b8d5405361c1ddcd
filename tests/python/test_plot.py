"""crmkit.plot (issue 12): every chart rendered to PNG with the Agg backend
and checked not to be blank; skipped (with the reason) where matplotlib is
not importable. That the package imports without matplotlib, and that a
chart then raises ImportError, is checked everywhere."""

import datetime
import os
import subprocess
import sys
import tempfile
import unittest

import pyhelpers
from pyhelpers import crmkit

mpl, MPL_REASON = pyhelpers.optional_module("matplotlib")
if mpl is not None:
    mpl.use("Agg")
    import matplotlib.image
    import matplotlib.pyplot as plt
    import numpy as np
else:
    sys.stderr.write("test_plot: skipping the drawing tests: %s\n" % MPL_REASON)

AS_OF = "2023-01-05"
CAL_END = "2022-06-30"


def cdnow():
    rows = pyhelpers.read_csv("cdnow", "cdnow_customers_summary.csv")
    return ([float(r["frequency"]) for r in rows], [float(r["recency"]) for r in rows],
            [float(r["T"]) for r in rows])


class TestWithoutMatplotlib(unittest.TestCase):
    def test_import_without_matplotlib(self):
        code = ("import sys; sys.modules['matplotlib'] = None\n"
                "import crmkit, crmkit.plot\n"
                "r = crmkit.analyze([1], [0], [2.0])\n"
                "try:\n"
                "    crmkit.plot.segments(r)\n"
                "except ImportError as e:\n"
                "    print('ImportError', 'matplotlib' in str(e))\n")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([pyhelpers.PYTHON_DIR, os.environ.get("PYTHONPATH", "")]))
        run = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             universal_newlines=True, env=env)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(run.stdout.strip(), "ImportError True")


@unittest.skipIf(mpl is None, MPL_REASON)
class TestPlots(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cid, cls.time, cls.amount = pyhelpers.small_transactions()
        cls.result = crmkit.analyze(["C-%d" % c for c in cls.cid], cls.time, cls.amount, as_of=AS_OF)
        x, t_x, T = cdnow()
        cls.model = crmkit.fit("bgnbd", x=x, t_x=t_x, T=T)
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def render(self, name, draw):
        fig, ax = plt.subplots(figsize=(5, 4), dpi=60)
        try:
            got = draw(ax)
            self.assertIs(got, ax, name)  # draws on the given Axes and returns it
            path = os.path.join(self.tmp.name, name + ".png")
            fig.savefig(path)
        finally:
            plt.close(fig)
        pixels = matplotlib.image.imread(path)[..., :3]
        self.assertGreater(float(pixels.std()), 0.05, "%s looks blank" % name)
        # more than axes and text: a fair share of the pixels is not background
        self.assertGreater(float((pixels.mean(axis=2) < 0.9).mean()), 0.02, name)
        return got

    def test_matrices(self):
        ax = self.render("fr", lambda ax: crmkit.plot.frequency_recency_matrix(self.model, T=39, t=52, ax=ax))
        shown = ax.images[0].get_array()
        want = self.model.expected_purchases_matrix(52, 39, np.arange(21.0), np.linspace(0, 39, 50))
        self.assertTrue(np.allclose(np.ma.filled(shown, np.nan), want, equal_nan=True))
        ax = self.render("palive", lambda ax: crmkit.plot.p_alive_matrix(self.model, T=39, ax=ax))
        self.assertEqual(ax.images[0].get_array().shape, (21, 50))

    def test_calibration_holdout(self):
        split = crmkit.calibration_split(self.cid, self.time, self.amount, calibration_end=CAL_END,
                                         holdout_end=AS_OF)
        model = crmkit.fit("bgnbd", data=split)
        weeks = (datetime.date(2023, 1, 5) - datetime.date(2022, 6, 30)).days / 7.0
        ax = self.render("holdout", lambda ax: crmkit.plot.calibration_holdout(split, model, weeks, ax=ax))
        actual = ax.lines[0].get_ydata()
        x = np.asarray(split["x"])
        hold = np.asarray(split["holdout_purchases"], dtype=float)
        self.assertAlmostEqual(actual[1], hold[x == 1].mean())

    def test_alive_history(self):
        ax = self.render("alive", lambda ax: crmkit.plot.alive_history(self.model, [0, 3, 10, 12], step=0.5,
                                                                      points=60, ax=ax))
        self.assertEqual(list(ax.lines[0].get_ydata()), self.model.alive_path([0, 3, 10, 12], 0.5, 60))

    def test_result_charts(self):
        self.render("rfm", lambda ax: crmkit.plot.rfm_heatmap(self.result, ax=ax))
        self.render("rfm_count", lambda ax: crmkit.plot.rfm_heatmap(self.result, value=None, ax=ax))
        ax = self.render("segments", lambda ax: crmkit.plot.segments(self.result, ax=ax))
        names = [t.get_text() for t in ax.get_yticklabels()]
        widths = [p.get_width() for p in ax.patches]
        self.assertEqual(sum(widths), len(self.result))
        self.assertEqual(widths[names.index("Champions")], self.result.group("segment", "Champions").customers)
        ax = self.render("tiers", lambda ax: crmkit.plot.tiers(self.result, by="revenue", ax=ax))
        self.render("lifecycle", lambda ax: crmkit.plot.lifecycle(self.result, ax=ax))
        with self.assertRaises(ValueError):
            crmkit.plot.segments(self.result, by="profit")

    def test_tracking(self):
        x, t_x, T = cdnow()
        birth = [max(T) - t for t in T]  # the cohort's first purchases, weeks from the first day
        times = list(np.linspace(1, 78, 40))
        actual = list(np.linspace(0, 4000, 40))
        ax = self.render("tracking", lambda ax: crmkit.plot.tracking(self.model, birth, times, actual, ax=ax))
        self.assertEqual(list(ax.lines[0].get_ydata()), list(self.model.expected_cumulative(birth, times)))
        self.assertEqual(list(ax.lines[1].get_ydata()), actual)
        with self.assertRaises(ValueError):
            crmkit.plot.tracking(self.model, birth, times, actual[:3], ax=ax)

    def test_lifecycle_transitions(self):
        ax = self.render("transitions", lambda ax: crmkit.plot.lifecycle_transitions(self.result, ax=ax))
        counts = ax.images[0].get_array()
        self.assertEqual(int(counts.sum()), len(self.result))
        # the column sums are the customers per stage now
        now = [t.get_text() for t in ax.get_xticklabels()]
        for j, name in enumerate(now):
            if name in self.result.labels("lifecycle_stage").values():
                self.assertEqual(int(counts[:, j].sum()), self.result.group("lifecycle_stage", name).customers)

    def test_new_figure_when_no_axes(self):
        ax = crmkit.plot.lifecycle(self.result)
        self.assertIsNotNone(ax.figure)
        plt.close(ax.figure)


pd, PANDAS_REASON = pyhelpers.optional_module("pandas")
EXAMPLE = os.path.join(pyhelpers.REPO, "examples", "python", "cdnow_quickstart.py")


@unittest.skipIf(mpl is None or pd is None, MPL_REASON or PANDAS_REASON)
class TestQuickstartExample(unittest.TestCase):
    def test_runs_into_a_folder(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "charts")
            env = dict(os.environ, PYTHONPATH=os.pathsep.join([pyhelpers.PYTHON_DIR,
                                                                os.environ.get("PYTHONPATH", "")]))
            run = subprocess.run([sys.executable, EXAMPLE, out, pyhelpers.data_path("cdnow", "CDNOW_sample.txt")],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, env=env)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("2357 customers", run.stdout)
            self.assertIn("records: {'accepted': 6919}", run.stdout)
            pngs = sorted(f for f in os.listdir(out) if f.endswith(".png"))
            self.assertEqual(pngs, sorted(["p_alive_matrix.png", "frequency_recency_matrix.png",
                                           "calibration_holdout.png", "alive_history.png", "segments.png",
                                           "segments_revenue.png", "rfm_heatmap.png", "tiers.png",
                                           "lifecycle.png"]))
            for name in pngs:
                pixels = matplotlib.image.imread(os.path.join(out, name))[..., :3]
                self.assertGreater(float(pixels.std()), 0.05, name)
            at_risk = pd.read_csv(os.path.join(out, "at_risk.csv"), dtype={"customer_id": str})
            self.assertTrue(len(at_risk) > 0)
            self.assertTrue(all(len(c) == 5 for c in at_risk["customer_id"]))  # the ids as written: "02761"

    def test_full_cohort_by_default(self):
        # The lifetimes quick start's data set: CDNOW_master.txt as published, with its header.
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, PYTHONPATH=os.pathsep.join([pyhelpers.PYTHON_DIR,
                                                                os.environ.get("PYTHONPATH", "")]))
            run = subprocess.run([sys.executable, EXAMPLE, tmp], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 universal_newlines=True, env=env)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("23570 customers", run.stdout)
            self.assertIn("records: {'accepted': 69659}", run.stdout)
            self.assertIn("revenue 2500315.63", run.stdout)


if __name__ == "__main__":
    unittest.main()

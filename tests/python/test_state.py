"""crmkit.State (crm_state_*): batches added in any order give analyze()'s
table over all of them; bytes round-trip and damaged ones are refused; a
kept fit values later nights as analyze() does with those models given.
Standard library only."""

import random
import unittest
import warnings

import pyhelpers
from pyhelpers import crmkit

DAY = 86400


def rows_of(result):
    table = {c: list(result[c]) for c in result.columns}
    return table


class StateTest(unittest.TestCase):
    def test_batches_in_any_order(self):
        ids, times, amounts = pyhelpers.small_transactions()
        order = list(range(len(ids)))
        random.Random(7).shuffle(order)
        batches = [order[k::3] for k in range(3)]
        st = crmkit.State(ties="ntile")
        for b in batches:
            st.add([ids[i] for i in b], [times[i] for i in b], [amounts[i] for i in b])
        self.assertEqual(st.records("transactions"), len(ids))
        self.assertEqual(st.customers, len(set(ids)))
        self.assertEqual(st.latest, max(times))
        self.assertEqual(st.models, "none")
        as_of = (max(times) // DAY + 3) * DAY - 1
        want = crmkit.analyze(ids, times, amounts, as_of=as_of, ties="ntile")
        pyhelpers.assert_tables_equal(self, rows_of(st.result(as_of)), rows_of(want), "state result")
        # the default as-of is analyze()'s
        pyhelpers.assert_tables_equal(self, rows_of(st.result()),
                                      rows_of(crmkit.analyze(ids, times, amounts, ties="ntile")), "default as-of")
        # stored and loaded: the same table; the same bytes again
        raw = st.to_bytes()
        self.assertEqual(raw[:8], b"CRMSTATE")
        back = crmkit.State.from_bytes(raw, ties="ntile")
        self.assertEqual(back.to_bytes(), raw)
        pyhelpers.assert_tables_equal(self, rows_of(back.result(as_of)), rows_of(want), "loaded")
        with self.assertRaises(crmkit.Error) as cm:
            back.result(min(times))  # earlier than the latest record
        self.assertEqual(cm.exception.status_name, "CRM_STATUS_STATE")

    def test_damaged_bytes(self):
        ids, times, amounts = pyhelpers.small_transactions()
        raw = bytearray(crmkit.State().add(ids, times, amounts).to_bytes())
        raw[len(raw) // 2] ^= 0x5A
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.State.from_bytes(bytes(raw))
        self.assertEqual(cm.exception.status_name, "CRM_STATUS_CORRUPT")
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.State.from_bytes(bytes(raw[:20]))
        self.assertEqual(cm.exception.status_name, "CRM_STATUS_CORRUPT")
        good = crmkit.State().add(ids, times, amounts).to_bytes()
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.State.from_bytes(good, day_offset=3600)
        self.assertEqual(cm.exception.status_name, "CRM_STATUS_MISMATCH")

    def test_kept_fit(self):
        ids, times, amounts = pyhelpers.small_transactions()
        as_of = (max(times) // DAY + 1) * DAY - 1
        later = as_of + 60 * DAY
        st = crmkit.State(model="bgnbd", spend_model=True).add(ids, times, amounts)
        self.assertEqual(st.models, "refit")
        self.assertIsNone(st.fitted_at)
        fitted = crmkit.analyze(ids, times, amounts, as_of=as_of, model="bgnbd", spend_model=True)
        st.fit()
        self.assertEqual(st.models, "kept")
        self.assertEqual(st.fitted_at, as_of)
        self.assertIn("models kept", repr(st))
        # later nights: the kept parameters, as analyze() with the models given
        cfg = crmkit.Config(model="bgnbd", spend_model=True)
        cfg.set_model("bgnbd", fitted.model("bgnbd"))
        cfg.set_model("gamma_gamma", fitted.model("gamma_gamma"))
        want = crmkit.analyze(ids, times, amounts, as_of=later, config=cfg)
        got = st.result(later)
        self.assertEqual(got.model("bgnbd").params, fitted.model("bgnbd").params)
        pyhelpers.assert_tables_equal(self, rows_of(got), rows_of(want), "kept fit")
        # kept through the bytes; forgotten: fitted again at the later as-of
        back = crmkit.State.from_bytes(st.to_bytes(), model="bgnbd", spend_model=True)
        self.assertEqual((back.models, back.fitted_at), ("kept", as_of))
        refit = back.forget_fit().result(later)
        self.assertEqual(back.models, "refit")
        self.assertNotEqual(refit.model("bgnbd").params, fitted.model("bgnbd").params)
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.State().add(ids, times, amounts).fit()
        self.assertEqual(cm.exception.status_name, "CRM_STATUS_STATE")
        # loaded under another model: "mismatch", and result() says so
        other = crmkit.State.from_bytes(st.to_bytes(), model="pareto_nbd", spend_model=True)
        self.assertEqual(other.models, "mismatch")
        with self.assertRaises(crmkit.Error) as cm:
            other.result()
        self.assertEqual(cm.exception.status_name, "CRM_STATUS_MISMATCH")
        # a budget too small: kept, with a warning
        short = crmkit.State(model="bgnbd", max_iterations=1).add(ids, times, amounts)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            short.fit()
        self.assertTrue(any(issubclass(w.category, crmkit.ConvergenceWarning) for w in caught))
        self.assertEqual(short.models, "kept")

    def test_progress_and_cancel(self):
        ids, times, amounts = pyhelpers.small_transactions()
        st = crmkit.State(model="bgnbd").add(ids, times, amounts)
        seen = []
        st.result(progress=lambda phase, done, total: seen.append(phase))
        self.assertEqual([p for p in ("summarize", "population", "fit", "score") if p in seen],
                         ["summarize", "population", "fit", "score"])
        with self.assertRaises(crmkit.Error) as cm:
            st.fit(progress=lambda phase, done, total: phase == "fit")
        self.assertEqual(cm.exception.status_name, "CRM_STATUS_CANCELLED")
        self.assertEqual(st.models, "refit")  # a stopped fit keeps nothing
        st.fit()
        self.assertEqual(st.models, "kept")


if __name__ == "__main__":
    unittest.main()

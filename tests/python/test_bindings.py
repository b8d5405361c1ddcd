"""crmkit Python binding: results against independent computations and the
conformance vectors, input layouts, options and errors."""

import array
import ctypes
import datetime
import math
import os
import subprocess
import sys
import unittest

import pyhelpers
from pyhelpers import DAY, crmkit, same

np, NUMPY_REASON = pyhelpers.optional_module("numpy")


class TestBasics(unittest.TestCase):
    def test_version_handshake(self):
        self.assertEqual(crmkit.lib.crm_version(), crmkit.ffi.CRM_VERSION_NUMBER)
        self.assertEqual(crmkit.library_version(), crmkit.__version__)
        self.assertEqual(crmkit.__version__, "%d.%d.%d" % (crmkit.ffi.CRM_VERSION_MAJOR,
                                                            crmkit.ffi.CRM_VERSION_MINOR,
                                                            crmkit.ffi.CRM_VERSION_PATCH))

    def test_generated_constants(self):
        f = crmkit.ffi
        self.assertEqual(f.CRM_TIME_MIN, f.CRM_TIME_MIN_DAYS * 86400)
        self.assertEqual(f.CRM_TIME_MAX, f.CRM_TIME_MAX_DAYS * 86400 + 86399)
        self.assertEqual(f.CRM_NO_DAY, -2 ** 31)
        self.assertEqual(f.CRM_FLAG_SLA_BREACH, 8)  # a position, not a bit
        self.assertEqual(f.ENUMS["crm_status"]["CRM_STATUS_BAD_RECORD"], 3)
        self.assertEqual(ctypes.sizeof(f.crm_error), 264)  # fixed layout: 4+4+8+4+4+240
        names = [n for n, _, _ in f.FUNCTIONS]
        self.assertIn("crm_analyze", names)
        self.assertTrue(all(n.startswith("crm_") for n in names))

    def test_import_uses_only_the_standard_library(self):
        code = ("import sys, crmkit; "
                "print(','.join(m for m in ('numpy', 'pandas') if m in sys.modules))")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([pyhelpers.PYTHON_DIR] + [p for p in env.get("PYTHONPATH", "").split(
            os.pathsep) if p])
        out = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=env, universal_newlines=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.strip(), "")

    def test_names(self):
        self.assertEqual(crmkit.model_names(), ["bgnbd", "mbgnbd", "pareto_nbd", "gamma_gamma", "bgbb"])
        self.assertEqual(crmkit.flag_names()[0], "inactive")
        self.assertEqual(crmkit.flags_of((1 << crmkit.ffi.CRM_FLAG_INACTIVE) | (1 << crmkit.ffi.CRM_FLAG_OVERDUE)),
                         ("inactive", "overdue"))
        self.assertIn("rfm_bins", crmkit.option_names())
        self.assertEqual(crmkit.column_names()[crmkit.ffi.CRM_COLUMN_RECENCY_DAYS], "recency_days")
        self.assertEqual(crmkit.fate_names()[0], "accepted")

    def test_small_example(self):
        # customer 1: two purchase days; 2: one; 3: a return only (a row, not scored)
        cid = [1, 1, 2, 3, 1]
        t = [10 * DAY, 20 * DAY + 5, 5 * DAY, 19 * DAY, 20 * DAY + 100]
        amt = [10.0, 5.5, 3.0, -1.0, 2.0]
        r = crmkit.analyze(cid, t, amt)
        self.assertEqual(len(r), 3)
        self.assertEqual(r["customer_id"], [1, 2, 3])
        self.assertEqual(r["recency_days"][:2], [0, 15])
        self.assertEqual(r["recency_days"][2], crmkit.ffi.CRM_NO_DAY)
        self.assertEqual(r["purchase_days"], [2, 1, 0])
        self.assertEqual(r["transactions"], [3, 1, 0])
        self.assertEqual(r["monetary"], [17.5, 3.0, -1.0])
        self.assertEqual(r["returns_count"], [0, 0, 1])
        self.assertEqual(r.column("first_purchase", dates=True),
                         [datetime.date(1970, 1, 11), datetime.date(1970, 1, 6), None])
        self.assertEqual(r.column("segment", names=True)[2], "none")
        self.assertEqual(r.as_of, 21 * DAY - 1)
        self.assertEqual(r.as_of_date, datetime.date(1970, 1, 21))
        self.assertEqual(r.records(), dict(r.records(), accepted=5))
        self.assertEqual(r.records_total("transactions"), 5)
        self.assertEqual(r.find(2), 1)
        self.assertIsNone(r.find(99))
        row = r.row(0)
        self.assertEqual(row["customer_id"], 1)
        self.assertEqual(row["last_purchase"], datetime.date(1970, 1, 21))
        self.assertIn("recency_days", r)
        self.assertNotIn("no_such_column", r)
        self.assertEqual(list(r), r.columns)
        self.assertEqual(set(r.to_dict()), set(r.columns))
        self.assertIsNone(r.model("bgnbd"))
        with self.assertRaises(KeyError):
            r["no_such_column"]
        r.close()
        with self.assertRaises(ValueError):
            len(r)

    def test_options_and_config(self):
        cfg = crmkit.Config(rfm_bins=4, ties="ntile", validation="strict")
        self.assertEqual(cfg.get("rfm_bins"), 4)
        self.assertEqual(cfg.get("ties"), "ntile")
        self.assertEqual(cfg.get("validation"), "strict")
        self.assertIsNone(cfg.get("as_of"))
        cfg.set("key_share", 0.7)
        self.assertAlmostEqual(cfg.get("key_share"), 0.7)
        cfg.set("default_interval_days", 100)  # an int given to a real option
        self.assertEqual(cfg.get("default_interval_days"), 100.0)
        cfg.set("window_days", "30")            # text
        self.assertEqual(cfg.get("window_days"), 30)
        copy = cfg.copy()
        copy.set("rfm_bins", 6)
        self.assertEqual(cfg.get("rfm_bins"), 4)
        cfg.reset("rfm_bins")
        self.assertEqual(cfg.get("rfm_bins"), 5)
        cfg.set("as_of", "2023-01-05")
        self.assertEqual(cfg.get("as_of"), 1672963199)
        cfg.set("as_of", None)
        self.assertIsNone(cfg.get("as_of"))
        with self.assertRaises(crmkit.Error) as cm:
            cfg.set("rfm_bins", 42)
        self.assertEqual(cm.exception.status, crmkit.ffi.CRM_STATUS_BAD_OPTION)
        self.assertTrue(cm.exception.message)
        self.assertEqual(cfg.get("rfm_bins"), 5)  # unchanged on failure

    def test_as_of_forms(self):
        cid, t, amt = [1, 2, 2], [0, 3 * DAY, 9 * DAY + 7], [1.0, 2.0, 3.0]
        want = 20 * DAY - 1  # last second of 1970-01-20
        forms = [want, datetime.date(1970, 1, 20), "1970-01-20", "1970-01-20T23:59:59Z",
                 "1970-01-20T23:59:59+00:00", datetime.datetime(1970, 1, 20, 23, 59, 59),
                 datetime.datetime(1970, 1, 21, 7, 59, 59,
                                   tzinfo=datetime.timezone(datetime.timedelta(hours=8)))]
        if np is not None:
            forms += [np.datetime64("1970-01-20"), np.datetime64("1970-01-20T23:59:59")]
        for form in forms:
            r = crmkit.analyze(cid, t, amt, as_of=form)
            self.assertEqual(r.as_of, want, repr(form))
            self.assertEqual(r["recency_days"], [19, 10])
        # a date is a day of the day_offset calendar
        r = crmkit.analyze(cid, t, amt, as_of="1970-01-20", day_offset=3600)
        self.assertEqual(r.as_of, want - 3600)
        with self.assertRaises(ValueError):
            crmkit.analyze(cid, t, amt, as_of="yesterday")
        with self.assertRaises(TypeError):
            crmkit.analyze(cid, t, amt, as_of=[1])


class TestConformance(unittest.TestCase):
    """The small conformance data: plain-Python reference values, and the
    expected_small.csv vectors."""

    @classmethod
    def setUpClass(cls):
        cls.cid, cls.time, cls.amount = pyhelpers.small_transactions()
        cls.result = crmkit.analyze(cls.cid, cls.time, cls.amount)
        cls.table = cls.result.to_dict()
        cls.rows = {c: i for i, c in enumerate(cls.table["customer_id"])}

    def test_summary_against_plain_python(self):
        ref, as_of_day = pyhelpers.reference_summary(self.cid, self.time, self.amount)
        self.assertEqual(self.result.as_of_day, as_of_day)
        self.assertEqual(self.result.as_of, (as_of_day + 1) * DAY - 1)
        self.assertEqual(sorted(ref), self.table["customer_id"])
        no_day = crmkit.ffi.CRM_NO_DAY
        for c, facts in ref.items():
            i = self.rows[c]
            for name, want in facts.items():
                got = self.table[name][i]
                if want is None:
                    want = no_day
                tol = 1e-9 if isinstance(want, float) else 0
                self.assertTrue(same(got, want, rel=tol, abs_tol=tol),
                                "customer %d %s: %r != %r" % (c, name, got, want))

    def _check_expected(self, table, suffix):
        expected = pyhelpers.read_csv("conformance", "expected_small.csv")
        rows = {c: i for i, c in enumerate(table["customer_id"])}
        scored = [i for i, p in enumerate(table["purchase_days"]) if p > 0]
        self.assertEqual(len(scored), len(expected))
        ints = ["tenure_days", "recency_days", "purchase_days", "transactions", "returns_count",
                "recent_purchase_days", "prior_purchase_days"]
        money = ["monetary", "gross", "returns_amount"]
        scores = ["r_score", "f_score", "m_score"]
        for e in expected:
            i = rows[int(e["customer_id"])]
            where = "customer %s" % e["customer_id"]
            for name in ints:
                self.assertEqual(table[name][i], int(e[name]), "%s %s" % (where, name))
            for name in money:
                self.assertTrue(same(table[name][i], float(e[name]), abs_tol=1.5e-6),
                                "%s %s: %r != %s" % (where, name, table[name][i], e[name]))
            mi = e["median_interval_days"]
            self.assertTrue(same(table["median_interval_days"][i], float(mi) if mi else float("nan")),
                            "%s median_interval_days" % where)
            for name in scores:
                self.assertEqual(table[name][i], int(e[name + suffix]), "%s %s%s" % (where, name, suffix))
            if not suffix:
                self.assertEqual(table["rfm_cell"][i], int(e["rfm_cell"]), where)
                self.assertEqual(table["segment"][i], e["segment"], where)
            self.assertEqual(table["value_tier"][i], e["value_tier"], where)
            self.assertEqual(table["contribution_band"][i], e["contribution_band"], where)

    def test_expected_small_shared_ties(self):
        self._check_expected(self.result.to_dict(names=True), "")

    def test_expected_small_ntile(self):
        r = crmkit.analyze(self.cid, self.time, self.amount, ties="ntile")
        self._check_expected(r.to_dict(names=True), "_ntile")

    def test_cut_points_reproduce_scores(self):
        t = self.table
        cuts = {d: self.result.cut_points(d) for d in "rfm"}
        for d in "rfm":
            self.assertEqual(len(cuts[d]), 4)
        for i, p in enumerate(t["purchase_days"]):
            if p == 0:
                continue
            self.assertEqual(t["r_score"][i], 1 + sum(t["recency_days"][i] <= c for c in cuts["r"]))
            self.assertEqual(t["f_score"][i], 1 + sum(t["purchase_days"][i] >= c for c in cuts["f"]))
            self.assertEqual(t["m_score"][i], 1 + sum(t["monetary"][i] >= c for c in cuts["m"]))
        # supplying the cut points back scores the same
        r = crmkit.analyze(self.cid, self.time, self.amount, cut_points=cuts)
        for name in ("r_score", "f_score", "m_score", "segment"):
            self.assertEqual(r[name], t[name])

    def test_records_groups_metrics(self):
        r = self.result
        rec = r.records("transactions")
        self.assertEqual(rec["accepted"], len(self.cid))
        self.assertEqual(sum(rec.values()), r.records_total("transactions"))
        self.assertEqual(r.records_total("interactions"), 0)
        self.assertEqual(r.metric("customers"), len(r))
        self.assertTrue(same(r.metric("revenue"), math.fsum(self.table["monetary"]), rel=1e-9))
        segments = r.column("segment", names=True)
        for name in set(segments):
            g = r.group("segment", name)
            idx = [i for i, s in enumerate(segments) if s == name]
            self.assertEqual(g.customers, len(idx), name)
            self.assertTrue(same(g.revenue, math.fsum(self.table["monetary"][i] for i in idx), rel=1e-9,
                                 abs_tol=1e-9), name)
            code = {v: k for k, v in r.labels("segment").items()}[name]
            self.assertEqual(r.group("segment", code), g)
        flags = self.table["churn_flags"]
        g = r.group("churn_flags", "inactive")
        self.assertEqual(g.customers, sum(1 for f in flags if f >> crmkit.ffi.CRM_FLAG_INACTIVE & 1))
        self.assertEqual(r.group("churn_flags", crmkit.ffi.CRM_FLAG_INACTIVE), g)  # a position
        with self.assertRaises(KeyError):
            r.group("segment", "No Such Segment")
        with self.assertRaises(crmkit.Error):
            r.group("monetary", 1)
        self.assertEqual(set(r.metrics()), set(n for n in crmkit.metric_names() if n))

    def test_rfm_bins_option(self):
        r = crmkit.analyze(self.cid, self.time, self.amount, rfm_bins=4, ties="ntile")
        scores = [s for s, p in zip(r["r_score"], r["purchase_days"]) if p > 0]
        self.assertEqual(set(scores), {1, 2, 3, 4})
        self.assertEqual(len(r.cut_points("r")), 3)


class TestInputs(unittest.TestCase):
    """Every accepted input layout gives the same table as plain lists."""

    @classmethod
    def setUpClass(cls):
        cls.cid, cls.time, cls.amount = pyhelpers.small_transactions()
        cls.base = crmkit.analyze(cls.cid, cls.time, cls.amount).to_dict()
        cls.half = crmkit.analyze(cls.cid[::2], cls.time[::2], cls.amount[::2]).to_dict()

    def check(self, table, what, expected=None):
        pyhelpers.assert_tables_equal(self, table, expected or self.base, what)

    def test_tuples_and_iterables(self):
        self.check(crmkit.analyze(tuple(self.cid), tuple(self.time), iter(self.amount)).to_dict(), "tuples")

    def test_array_array(self):
        from crmkit._convert import TYPECODES, column
        ids = array.array(TYPECODES["u64"], self.cid)
        times = array.array(TYPECODES["i64"], self.time)
        amounts = array.array("d", self.amount)
        self.check(crmkit.analyze(ids, times, amounts).to_dict(), "array.array")
        self.assertFalse(column(ids, "u64", "x").copied)
        self.assertEqual(column(times, "time", "x").address, times.buffer_info()[0])
        # other type codes are converted
        float_times = array.array("d", self.time)
        self.assertTrue(column(float_times, "time", "x").copied)
        self.check(crmkit.analyze(ids, float_times, amounts).to_dict(), "array.array of another type")

    def test_mapping(self):
        table = {"customer_id": self.cid, "time": self.time, "amount": self.amount, "other": [0] * len(self.cid)}
        self.check(crmkit.analyze(table).to_dict(), "mapping")
        with self.assertRaises(KeyError):
            crmkit.analyze({"customer_id": self.cid, "time": self.time})

    def test_python_datetimes(self):
        utc = datetime.timezone.utc
        times = [datetime.datetime.fromtimestamp(t, utc) for t in self.time]
        self.check(crmkit.analyze(self.cid, times, self.amount).to_dict(), "aware datetimes")
        naive = [t.replace(tzinfo=None) for t in times]
        self.check(crmkit.analyze(self.cid, naive, self.amount).to_dict(), "naive datetimes as UTC")
        iso = [t.isoformat() for t in times]
        self.check(crmkit.analyze(self.cid, iso, self.amount).to_dict(), "ISO strings")

    @unittest.skipIf(np is None, NUMPY_REASON)
    def test_numpy_contiguous(self):
        from crmkit._convert import column
        ids = np.array(self.cid, dtype=np.uint64)
        times = np.array(self.time, dtype=np.int64)
        amounts = np.array(self.amount)
        self.check(crmkit.analyze(ids, times, amounts).to_dict(), "numpy")
        view = column(amounts, "f64", "amount")
        self.assertFalse(view.copied)
        self.assertEqual(view.address, amounts.ctypes.data)
        # int64 ids are read in place (reinterpreted), other dtypes converted
        self.assertFalse(column(ids.astype(np.int64), "u64", "id").copied)
        self.check(crmkit.analyze(ids.astype(np.int64), times.astype(np.float64),
                                  amounts.astype(np.longdouble)).to_dict(), "numpy int64/float/longdouble")
        self.check(crmkit.analyze(ids.astype(np.uint64).astype(">u8"), times.astype(">i8"),
                                  amounts.astype(">f8")).to_dict(), "numpy big-endian")

    @unittest.skipIf(np is None, NUMPY_REASON)
    def test_numpy_structured_view_is_read_in_place(self):
        from crmkit._convert import column
        # an aligned record layout (padding after flag, as a C struct has)
        rec = np.zeros(len(self.cid), dtype=np.dtype([("customer_id", "<u8"), ("flag", "u1"), ("time", "<i8"),
                                                      ("amount", "<f8")], align=True))
        rec["customer_id"] = self.cid
        rec["time"] = self.time
        rec["amount"] = self.amount
        self.assertEqual(rec["amount"].strides[0], rec.dtype.itemsize)
        self.check(crmkit.analyze(rec["customer_id"], rec["time"], rec["amount"]).to_dict(), "structured fields")
        self.check(crmkit.analyze(rec).to_dict(), "structured array")
        view = column(rec["amount"], "f64", "amount")
        self.assertFalse(view.copied)
        self.assertEqual(view.stride, rec.dtype.itemsize)
        # a packed layout puts time and amount at odd addresses: copied, same table
        packed = np.zeros(len(self.cid), dtype=[("customer_id", "<u8"), ("flag", "u1"), ("time", "<i8"),
                                                ("amount", "<f8")])
        packed["customer_id"], packed["time"], packed["amount"] = self.cid, self.time, self.amount
        self.assertTrue(column(packed["amount"], "f64", "amount").copied)
        self.check(crmkit.analyze(packed).to_dict(), "packed structured array")
        # the C struct layout itself (crm_transaction) also works through the fields
        ct = np.zeros(len(self.cid), dtype=[("customer_id", "<u8"), ("time", "<i8"), ("amount", "<f8")])
        ct["customer_id"], ct["time"], ct["amount"] = self.cid, self.time, self.amount
        self.check(crmkit.analyze(ct).to_dict(), "crm_transaction layout")

    @unittest.skipIf(np is None, NUMPY_REASON)
    def test_numpy_slices_and_2d_columns(self):
        from crmkit._convert import column
        ids = np.array(self.cid, dtype=np.uint64)
        times = np.array(self.time, dtype=np.int64)
        amounts = np.array(self.amount)
        self.check(crmkit.analyze(ids[::2], times[::2], amounts[::2]).to_dict(), "[::2] slices", self.half)
        self.assertFalse(column(amounts[::2], "f64", "amount").copied)
        self.assertEqual(column(amounts[::2], "f64", "amount").stride, 16)
        # reversed (negative stride): copied, same table
        self.check(crmkit.analyze(ids[::-1], times[::-1], amounts[::-1]).to_dict(), "reversed")
        # columns of a C-ordered 2-D block (stride = row size)
        block = np.column_stack([times.astype(np.float64), amounts, amounts])
        self.assertFalse(column(block[:, 1], "f64", "amount").copied)
        self.check(crmkit.analyze(ids, times, block[:, 1]).to_dict(), "2-D block column")

    @unittest.skipIf(np is None, NUMPY_REASON)
    def test_numpy_datetime64(self):
        times = np.array(self.time, dtype=np.int64)
        for unit in ("s", "ms", "us", "ns"):
            dt = times.astype("datetime64[s]").astype("datetime64[%s]" % unit)
            self.check(crmkit.analyze(self.cid, dt, self.amount).to_dict(), "datetime64[%s]" % unit)
        # NaT is outside the accepted time range: skipped and counted
        dt = times.astype("datetime64[s]")
        dt[0] = np.datetime64("NaT")
        r = crmkit.analyze(self.cid, dt, self.amount)
        self.assertEqual(r.records()["time_range"], 1)

    def test_threads(self):
        # ctypes releases the GIL during crm_analyze; the library has no global state
        import threading
        out = [None] * 4
        errors = []

        def work(i):
            try:
                out[i] = crmkit.analyze(self.cid, self.time, self.amount).to_dict()
            except Exception as exc:  # reported below
                errors.append(exc)
        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(out))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        for table in out:
            self.check(table, "thread")

    def test_length_and_type_errors(self):
        with self.assertRaises(ValueError):
            crmkit.analyze([1, 2], [1, 2, 3], [1.0, 2.0])
        with self.assertRaises(ValueError):
            crmkit.analyze([-1], [0], [1.0])
        with self.assertRaises(TypeError):  # string ids are factorised; mixed with ints they are refused
            crmkit.analyze(["a", 1], [0, 0], [1.0, 1.0])
        with self.assertRaises(TypeError):
            crmkit.analyze([1], [0], ["x"])
        with self.assertRaises(TypeError):
            crmkit.analyze([1], [0])
        with self.assertRaises(TypeError):
            crmkit.analyze()


class TestErrors(unittest.TestCase):
    def test_strict_nan_amount_names_the_record(self):
        cid = [1, 2, 3, 4]
        t = [0, DAY, 2 * DAY, 3 * DAY]
        amt = [1.0, 2.0, float("nan"), 4.0]
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.analyze(cid, t, amt, validation="strict")
        e = cm.exception
        self.assertIsInstance(e, Exception)
        self.assertEqual(e.status, crmkit.ffi.CRM_STATUS_BAD_RECORD)
        self.assertEqual(e.status_name, "CRM_STATUS_BAD_RECORD")
        self.assertEqual(e.record, 2)
        self.assertEqual(e.field, "amount")
        self.assertEqual(e.input, "transactions")
        self.assertEqual(e.reason, "nonfinite")
        self.assertEqual(e.function, "crm_analyze")
        self.assertTrue(e.message)
        self.assertIn("2", e.message)
        self.assertIn(e.message, str(e))
        # the default validation skips and counts it
        r = crmkit.analyze(cid, t, amt)
        self.assertEqual(r.records()["nonfinite"], 1)
        self.assertEqual(len(r), 3)

    def test_missing_values_are_rejected_by_the_library(self):
        r = crmkit.analyze([1, 2, 3], [0, None, DAY], [1.0, 2.0, None])
        rec = r.records()
        self.assertEqual(rec["time_range"], 1)
        self.assertEqual(rec["nonfinite"], 1)
        self.assertEqual(rec["accepted"], 1)

    def test_bad_options(self):
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.analyze([1], [0], [1.0], rfm_bins=42)
        self.assertEqual(cm.exception.status, crmkit.ffi.CRM_STATUS_BAD_OPTION)
        self.assertTrue(cm.exception.message)
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.analyze([1], [0], [1.0], no_such_option=1)
        self.assertEqual(cm.exception.status, crmkit.ffi.CRM_STATUS_BAD_OPTION)
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.analyze([1], [0], [1.0], ties="sometimes")
        self.assertEqual(cm.exception.status, crmkit.ffi.CRM_STATUS_BAD_OPTION)

    def test_no_data(self):
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.analyze([], [], [])
        self.assertEqual(cm.exception.status, crmkit.ffi.CRM_STATUS_NO_DATA)
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.analyze([1], [0], [float("inf")])
        self.assertEqual(cm.exception.status, crmkit.ffi.CRM_STATUS_NO_DATA)

    def test_bad_segment_rules(self):
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.analyze([1], [0], [1.0], segment_rules=[("Everyone", (1, 5), (1, 6), (1, 6))])
        self.assertEqual(cm.exception.status, crmkit.ffi.CRM_STATUS_BAD_RULES)
        self.assertTrue(cm.exception.message)

    def test_segment_rules_labels(self):
        rules = [("Recent", (4, 6), (1, 6), (1, 6)), ("Older", (1, 4), (1, 6), (1, 6))]
        r = crmkit.analyze([1, 2, 3, 4, 5], [0, DAY, 2 * DAY, 3 * DAY, 40 * DAY], [1.0] * 5,
                           segment_rules=rules)
        self.assertEqual(r.labels("segment"), dict(r.labels("segment")))
        names = r.column("segment", names=True)
        self.assertEqual(set(names), {"Recent", "Older"})
        self.assertEqual(names[-1], "Recent")
        self.assertEqual(r.group("segment", "Recent").customers, names.count("Recent"))

    def test_group_counts_every_rule_of_a_repeated_name(self):
        # "Top" names two rules (codes 1 and 3): recent customers, and older
        # ones that bought often; "Rest" the others. Every cell once.
        rules = [("Top", (4, 6), (1, 6), (1, 6)), ("Rest", (1, 4), (1, 3), (1, 6)),
                 ("Top", (1, 4), (3, 6), (1, 6))]
        cid, t, amt = [], [], []
        for c in range(1, 41):
            for k in range(1 + c % 5):  # 1..5 purchase days
                cid.append(c)
                t.append((c * 7 + k * 3) * DAY)
                amt.append(float(c % 9 + 1))
        r = crmkit.analyze(cid, t, amt, rfm_bins=5, ties="ntile", segment_rules=rules)
        labels = r.labels("segment")
        self.assertEqual([v for v, n in labels.items() if n == "Top"], [1, 3])
        codes = r["segment"]
        self.assertIn(1, codes)
        self.assertIn(3, codes)  # both rules of "Top" hold customers
        names = r.column("segment", names=True)
        monetary = r["monetary"]
        for name in ("Top", "Rest"):
            g = r.group("segment", name)
            rows = [i for i, n in enumerate(names) if n == name]
            self.assertEqual(g.customers, len(rows), name)
            self.assertTrue(same(g.revenue, math.fsum(monetary[i] for i in rows), rel=1e-12, abs_tol=1e-9), name)
        by_code = [r.group("segment", code) for code in (1, 3)]
        self.assertEqual(r.group("segment", "Top").customers, sum(g.customers for g in by_code))
        self.assertEqual(r.group("segment", 1).customers, codes.count(1))  # a code is one rule
        self.assertEqual(r.group("segment", "Top").customers + r.group("segment", "Rest").customers, len(r))


class TestInteractions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cid, cls.time, cls.amount = pyhelpers.small_transactions()
        cls.ix = pyhelpers.small_interactions()
        cls.result = crmkit.analyze(cls.cid, cls.time, cls.amount, interactions=cls.ix)

    def test_kind_names_and_codes_agree(self):
        names = crmkit.enum_names(crmkit.ffi.CRM_ENUM_KIND)
        code = {v: k for k, v in names.items()}
        coded = dict(self.ix, kind=[code[k] for k in self.ix["kind"]])
        other = crmkit.analyze(self.cid, self.time, self.amount, interactions=coded)
        pyhelpers.assert_tables_equal(self, other.to_dict(), self.result.to_dict(), "kind codes")
        as_tuple = (self.ix["customer_id"], self.ix["time"], self.ix["kind"], self.ix["value"], self.ix["ref"])
        other = crmkit.analyze(self.cid, self.time, self.amount, interactions=as_tuple)
        pyhelpers.assert_tables_equal(self, other.to_dict(), self.result.to_dict(), "tuple of columns")

    def test_records_and_plain_python_counts(self):
        r = self.result
        rec = r.records("interactions")
        self.assertEqual(sum(rec.values()), len(self.ix["kind"]))
        self.assertEqual(r.records_total("interactions"), len(self.ix["kind"]))
        as_of_day = r.as_of_day
        referrals = {}
        for c, t, k in zip(self.ix["customer_id"], self.ix["time"], self.ix["kind"]):
            if k == "referral" and t // DAY <= as_of_day:
                referrals[c] = referrals.get(c, 0) + 1
        for c, i in zip(r["customer_id"], range(len(r))):
            self.assertEqual(r["referrals"][i], referrals.get(c, 0), "customer %d referrals" % c)

    def test_unknown_kind_names(self):
        ix = {"customer_id": [1, 1], "time": [0, DAY], "kind": ["engagement", "carrier_pigeon"]}
        r = crmkit.analyze([1], [0], [1.0], interactions=ix)
        self.assertEqual(r.records("interactions")["unknown_kind"], 1)
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.analyze([1], [0], [1.0], interactions=ix, validation="strict")
        self.assertEqual(cm.exception.input, "interactions")
        self.assertEqual(cm.exception.record, 1)
        self.assertEqual(cm.exception.field, "kind")

    def test_interactions_only(self):
        ix = {"customer_id": [7, 8], "time": [0, DAY], "kind": ["call_in", "engagement"]}
        r = crmkit.analyze(interactions=ix)
        self.assertEqual(r["customer_id"], [7, 8])
        self.assertEqual(r.column("lifecycle_stage", names=True), ["prospect", "prospect"])

    def test_expected_signals(self):
        expected = pyhelpers.read_csv("conformance", "expected_signals_small.csv")
        t = self.result.to_dict(names=True, dates=True)
        rows = {c: i for i, c in enumerate(t["customer_id"])}
        self.assertEqual(len(rows), len(expected))
        counts = ["complaints", "open_complaints", "sla_breaches", "referrals", "recent_engagement",
                  "prior_engagement"]
        enums = ["lifecycle_stage", "previous_stage", "value_tier", "contribution_band", "tenure_band",
                 "value_class", "risk_level"]
        for e in expected:
            i = rows[int(e["customer_id"])]
            where = "customer %s" % e["customer_id"]
            for name in counts:
                self.assertEqual(t[name][i], int(e[name]), "%s %s" % (where, name))
            for name in enums:
                self.assertEqual(t[name][i], e[name], "%s %s" % (where, name))
            self.assertEqual("|".join(sorted(t["churn_flags"][i])), e["churn_flags"], where + " churn_flags")
            self.assertEqual(t["unsubscribed"][i], e["unsubscribed"] == "1", where + " unsubscribed")
            for name in ("health_score", "expected_interval_days", "overdue_ratio", "last_survey_score"):
                want = float(e[name]) if e[name] else float("nan")
                self.assertTrue(same(t[name][i], want, abs_tol=1.5e-6), "%s %s: %r != %r"
                                % (where, name, t[name][i], want))
            for name in ("next_call_due", "next_visit_due"):
                got = t[name][i]
                self.assertEqual(got.isoformat() if got else "", e[name], "%s %s" % (where, name))


class TestPartitioned(unittest.TestCase):
    def test_partitions_match_one_analysis(self):
        cid, t, amt = pyhelpers.small_transactions()
        ix = pyhelpers.small_interactions()
        whole = crmkit.analyze(cid, t, amt, interactions=ix)
        cfg = crmkit.Config(as_of=whole.as_of)
        parts = []
        for p in range(3):
            sel = [i for i, c in enumerate(cid) if c % 3 == p]
            isel = [i for i, c in enumerate(ix["customer_id"]) if c % 3 == p]
            pix = {k: [v[i] for i in isel] for k, v in ix.items()}
            parts.append(crmkit.summarize([cid[i] for i in sel], [t[i] for i in sel], [amt[i] for i in sel],
                                          interactions=pix, config=cfg))
        self.assertEqual(sum(s.customers for s in parts), len(whole))
        self.assertEqual(parts[0].as_of, whole.as_of)
        pop = crmkit.Population(cfg)
        for s in parts:
            pop.add(s)
        with self.assertRaises(crmkit.Error) as cm:
            pop.score(parts[0])
        self.assertEqual(cm.exception.status, crmkit.ffi.CRM_STATUS_STATE)
        pop.finish()
        table = whole.to_dict()
        rows = {c: i for i, c in enumerate(table["customer_id"])}
        for s in parts:
            r = pop.score(s).to_dict()
            for j, c in enumerate(r["customer_id"]):
                i = rows[c]
                for name in table:
                    self.assertTrue(same(r[name][j], table[name][i]), "customer %d %s" % (c, name))


if __name__ == "__main__":
    unittest.main()

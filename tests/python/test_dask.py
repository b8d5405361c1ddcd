"""crmkit.dask on a distributed.LocalCluster of worker processes: the
profiles equal crmkit.analyze over all the data at once (bit for bit; the
fitted-model figures to 1e-12 relative), also when a worker process is
killed during the run. Skipped (with the reason) where dask, distributed,
pandas or numpy is not importable."""

import os
import signal
import sys
import threading
import time
import unittest

import pyhelpers
from pyhelpers import DAY, crmkit

np, NUMPY_REASON = pyhelpers.optional_module("numpy")
pd, PANDAS_REASON = pyhelpers.optional_module("pandas")
dask, DASK_REASON = pyhelpers.optional_module("dask.dataframe")
distributed, DISTRIBUTED_REASON = pyhelpers.optional_module("distributed")
REASON = NUMPY_REASON or PANDAS_REASON or DASK_REASON or DISTRIBUTED_REASON
if REASON:
    sys.stderr.write("test_dask: skipping: %s\n" % REASON)

MODEL_COLUMNS = ("p_alive", "expected_purchases", "expected_spend", "clv")


def generate(seed, n=40000, customers=4000):
    rng = np.random.default_rng(seed)
    tx = pd.DataFrame({
        "customer_id": rng.integers(1, customers, n).astype("int64") * 3,
        "time": ((19000 + rng.integers(0, 700, n)) * DAY + rng.integers(0, DAY, n)).astype("int64"),
        "amount": rng.integers(-2000, 20000, n) / 100.0,
    })
    tx["cost"] = np.where(rng.integers(0, 8, n) == 0, np.nan, tx["amount"] * 0.55)
    m = n // 4
    kinds = np.array(["call_out", "visit_out", "email_in", "engagement", "survey"])
    kind = kinds[rng.integers(0, len(kinds), m)]
    ix = pd.DataFrame({
        "customer_id": rng.integers(1, customers + 200, m).astype("int64") * 3,  # some prospects
        "time": ((19100 + rng.integers(0, 600, m)) * DAY + rng.integers(0, DAY, m)).astype("int64"),
        "kind": kind,
        "value": np.where(kind == "survey", rng.integers(0, 11, m), 0).astype("float64"),
    })
    ids = np.arange(1, customers + 300, 2, dtype="int64") * 3
    cu = pd.DataFrame({"customer_id": ids, "targeted": rng.integers(0, 2, len(ids)).astype("int64")})
    return tx, ix, cu


def assert_same(test, got, want):
    got = got.sort_values("customer_id").reset_index(drop=True)
    test.assertEqual(list(got.columns), list(want.columns))
    test.assertEqual(list(got.dtypes), list(want.dtypes))
    test.assertEqual(len(got), len(want))
    for c in want.columns:
        a, b = got[c], want[c]
        if c in MODEL_COLUMNS:
            np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-12, atol=0, err_msg=c)
        elif b.dtype == "float64":
            test.assertTrue(np.array_equal(a.to_numpy().view("uint64"), b.to_numpy().view("uint64")), c)
        else:
            pd.testing.assert_series_equal(a, b, check_exact=True, obj=c)


@unittest.skipIf(REASON, REASON)
class DaskTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The worker processes import crmkit and its library as this process does.
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (pyhelpers.PYTHON_DIR, os.environ.get("PYTHONPATH")) if p)
        import crmkit.dask  # noqa: F401
        cls.cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                               dashboard_address=None, silence_logs=40)
        cls.client = distributed.Client(cls.cluster)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()

    def frames(self, seed, npartitions=7):
        tx, ix, cu = generate(seed)
        dd = dask.dataframe if hasattr(dask, "dataframe") else dask
        return (tx, ix, cu), (dd.from_pandas(tx, npartitions=npartitions), dd.from_pandas(ix, npartitions=3),
                              dd.from_pandas(cu, npartitions=2))

    def test_identical_to_analyze(self):
        import crmkit.dask
        (tx, ix, cu), (dtx, dix, dcu) = self.frames(1)
        for options in ({}, {"ties": "ntile", "model": "bgnbd", "spend_model": 1}):
            want = crmkit.analyze(tx, interactions=ix, customers=cu, **options).to_pandas()
            got = crmkit.dask.analyze(dtx, dix, dcu, npartitions=5, **options)
            self.assertEqual(got.npartitions, 5)
            assert_same(self, got.compute(), want)
        # an explicit as-of, transactions only
        want = crmkit.analyze(tx, as_of="2023-12-01").to_pandas()
        assert_same(self, crmkit.dask.analyze(dtx, as_of="2023-12-01").compute(), want)

    def test_prospects_without_transactions(self):
        """Buckets holding prospects (interactions, attributes) but no
        transaction: summarised without a transactions table, their profit
        known when the transactions have costs; interactions or customers
        alone; customer_id= naming every input's id column."""
        import crmkit.dask
        dd = dask.dataframe if hasattr(dask, "dataframe") else dask
        tx = pd.DataFrame({"CustID": np.array([3, 6, 9, 3], dtype="int64"),
                           "time": np.array([19000, 19001, 19002, 19010], dtype="int64") * DAY,
                           "amount": [10.0, 20.0, 30.0, 15.0], "cost": [5.0, 8.0, 20.0, 7.0]})
        ids = np.arange(1, 200, dtype="int64") * 3
        ix = pd.DataFrame({"CustID": ids, "time": (19005 + ids % 7).astype("int64") * DAY,
                           "kind": np.where(ids % 2 == 0, "call_out", "visit_out")})
        cu = pd.DataFrame({"CustID": ids, "targeted": (ids % 3 == 0).astype("int64")})
        dtx, dix, dcu = (dd.from_pandas(f, npartitions=2) for f in (tx, ix, cu))
        opts = {"customer_id": "CustID", "cost_call": 2.5, "cost_visit": 4.0}
        want = crmkit.analyze(tx, interactions=ix, customers=cu, **opts).to_pandas()
        got = crmkit.dask.analyze(dtx, dix, dcu, npartitions=8, **opts).compute()
        assert_same(self, got, want)
        self.assertFalse(got["profit"].isna().any())  # prospects: minus their service cost
        # no transactions at all: the id column named per input, as analyze() takes it
        del opts["customer_id"]
        ixc, cuc = {"customer_id": "CustID"}, {"customer_id": "CustID"}
        want = crmkit.analyze(interactions=ix, interactions_columns=ixc, **opts).to_pandas()
        got = crmkit.dask.analyze(None, dix, npartitions=8, interactions_columns=ixc, **opts)
        assert_same(self, got.compute(), want)
        want = crmkit.analyze(customers=cu, customers_columns=cuc, as_of="2022-01-01", **opts).to_pandas()
        got = crmkit.dask.analyze(None, customers=dcu, customers_columns=cuc, as_of="2022-01-01", npartitions=8,
                                  **opts)
        assert_same(self, got.compute(), want)
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.dask.analyze(None, customers=dcu, customers_columns=cuc, npartitions=8, **opts)
        self.assertEqual(cm.exception.status_name, "CRM_STATUS_NO_DATA")

    def test_latest_in_one_partition(self):
        """One customer's transaction long after everyone else's: the as-of is
        the latest over all partitions, not any partition's own."""
        import crmkit.dask
        (tx, ix, cu), _ = self.frames(5)
        tx = pd.concat([tx, pd.DataFrame({"customer_id": [3], "time": [20000 * DAY + 5], "amount": [1.0],
                                          "cost": [0.5]})], ignore_index=True)
        dd = dask.dataframe if hasattr(dask, "dataframe") else dask
        want = crmkit.analyze(tx).to_pandas()
        assert_same(self, crmkit.dask.analyze(dd.from_pandas(tx, npartitions=5), npartitions=6).compute(), want)

    def test_time_format_and_yyyymmdd(self):
        """Integer dates read with time_format (their integer order is not
        their time order), and the YYYYMMDD refusal decided over the whole
        column, not per partition."""
        import crmkit.dask
        dd = dask.dataframe if hasattr(dask, "dataframe") else dask
        ids = np.arange(1, 301, dtype="int64")
        days = np.array([28122022] * 299 + [10022023], dtype="int64")  # %d%m%Y: the last is the latest
        tx = pd.DataFrame({"customer_id": ids, "time": days, "amount": np.ones(300)})
        want = crmkit.analyze(tx, time_format="%d%m%Y").to_pandas()
        got = crmkit.dask.analyze(dd.from_pandas(tx, npartitions=3), npartitions=4, time_format="%d%m%Y")
        assert_same(self, got.compute(), want)
        # 0 makes the column seconds; YYYYMMDD-looking values alone are refused, as by analyze()
        secs = tx.assign(time=np.where(ids == 1, 0, 20230210 + ids % 5).astype("int64"))
        want = crmkit.analyze(secs).to_pandas()
        got = crmkit.dask.analyze(dd.from_pandas(secs, npartitions=3), npartitions=6)
        assert_same(self, got.compute(), want)
        with self.assertRaises(ValueError):
            crmkit.dask.analyze(dd.from_pandas(secs[secs.time != 0], npartitions=3), npartitions=6)

    def test_other_scheduler_with_a_client(self):
        """A Client exists but another scheduler is chosen: that one runs it."""
        import crmkit.dask
        (tx, ix, cu), (dtx, dix, dcu) = self.frames(6)
        want = crmkit.analyze(tx, interactions=ix, customers=cu).to_pandas()
        import dask as dask_module
        for scheduler in ("synchronous", "threads"):
            with dask_module.config.set(scheduler=scheduler):
                got = crmkit.dask.analyze(dtx, dix, dcu, npartitions=3).compute()
            assert_same(self, got, want)

    def test_timings(self):
        import crmkit.dask
        (tx, ix, cu), (dtx, dix, dcu) = self.frames(3)
        want = crmkit.analyze(tx, interactions=ix, customers=cu).to_pandas()
        timings = {}
        got = crmkit.dask.analyze(dtx, dix, dcu, npartitions=4, timings=timings)
        self.assertEqual(sorted(timings), ["as_of", "combine", "read", "shuffle", "summarise"])
        self.assertTrue(all(v >= 0 for v in timings.values()), timings)
        assert_same(self, got.compute(), want)

    def test_default_as_of_skips_rejected(self):
        """The default as-of comes from the rows with the latest times only
        (crmkit.dask._latest_transaction); when those are rejected (NaN
        amount, infinite cost, time past CRM_TIME_MAX: more of them than the
        first look takes) it must look further and still equal crm_analyze's."""
        import crmkit.dask
        tx, _, _ = generate(4, n=20000, customers=2000)
        rng = np.random.default_rng(4)
        late = rng.choice(len(tx), 900, replace=False)
        tx.loc[late[:300], "time"] = tx["time"].max() + rng.integers(1, 40 * DAY, 300)
        tx.loc[late[:300], "amount"] = np.nan
        tx.loc[late[300:600], "time"] = tx["time"].max() + rng.integers(1, 40 * DAY, 300)
        tx.loc[late[300:600], "cost"] = np.inf
        tx.loc[late[600:], "time"] = 253402300799 + rng.integers(1, 1000, 300)
        dd = dask.dataframe if hasattr(dask, "dataframe") else dask
        for options in ({}, {"day_offset": -5 * 3600}, {"day_offset": 7 * 3600, "rfm_bins": 4}):
            want = crmkit.analyze(tx, **options)
            got = crmkit.dask.analyze(dd.from_pandas(tx, npartitions=3), npartitions=3, **options).compute()
            assert_same(self, got, want.to_pandas())
            for part in np.array_split(tx, 3):
                self.assertEqual(crmkit.dask._latest_transaction(part, {}, options),
                                 crmkit.dask._partition_as_of(part, "tx", {}, options))
        # every row rejected: no as-of from this partition
        bad = tx.assign(amount=np.nan)
        self.assertIsNone(crmkit.dask._latest_transaction(bad, {}, {}))
        # datetime64 times order as their seconds do: the same as-of
        stamped = tx[tx["time"] < 253402300799].assign(
            time=lambda f: pd.to_datetime(f["time"], unit="s"))
        self.assertEqual(crmkit.dask._latest_transaction(stamped, {}, {}),
                         crmkit.dask._partition_as_of(stamped, "tx", {}, {}))
        self.assertEqual(crmkit.dask._latest_transaction(stamped, {}, {}),
                         crmkit.analyze(stamped).as_of)

    def test_default_as_of_strict(self):
        """Strict validation: a bad record anywhere fails, as crmkit.analyze
        fails, even when it is not among the latest times."""
        import crmkit.dask
        tx, _, _ = generate(5, n=5000, customers=500)
        tx.loc[tx["time"].idxmin(), "amount"] = np.nan
        with self.assertRaises(crmkit.Error):
            crmkit.analyze(tx, validation="strict")
        with self.assertRaises(crmkit.Error):
            crmkit.dask._latest_transaction(tx, {}, {"validation": "strict"})
        self.assertEqual(crmkit.dask._latest_transaction(tx, {}, {}), crmkit.analyze(tx).as_of)

    def test_worker_killed(self):
        import crmkit.dask
        (tx, ix, cu), (dtx, dix, dcu) = self.frames(2, npartitions=8)
        want = crmkit.analyze(tx, interactions=ix, customers=cu).to_pandas()
        pids = self.client.run(os.getpid)
        victim = sorted(pids)[0]
        killed = threading.Event()

        def kill_when_busy():
            deadline = time.time() + 30
            while time.time() < deadline and not killed.is_set():
                if self.client.processing().get(victim):
                    os.kill(pids[victim], signal.SIGKILL)
                    killed.set()
                    return
                time.sleep(0.005)

        killer = threading.Thread(target=kill_when_busy)
        killer.start()
        got = crmkit.dask.analyze(dtx, dix, dcu, npartitions=8).compute()
        killer.join()
        self.assertTrue(killed.is_set(), "the worker was never seen busy")
        assert_same(self, got, want)
        self.client.wait_for_workers(2, timeout=30)


if __name__ == "__main__":
    unittest.main()

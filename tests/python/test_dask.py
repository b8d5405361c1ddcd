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

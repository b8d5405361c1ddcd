#!/usr/bin/env python3
"""dask_bench.py - crmkit.dask.analyze on a distributed.LocalCluster whose
per-worker memory limit is below the data's size, from CSV files to profile
files; prints throughput, peak memory per worker, spilled bytes and the time
split (read, shuffle, summarise, combine, score), then in the same run the
rival a Dask user would write instead (a dask.dataframe groupby RFM on the
same cluster and files) and crmkit.analyze in one process for scale.

    bench/dask_bench.py [--transactions N] [--customers C] [--files F]
                        [--workers W] [--memory-limit BYTES] [--npartitions P]
                        [--write csv|count] [--reference-rows R] [--no-rival]
                        [--scratch DIR]

The generated files (customer_id,time,amount; C customers with a skewed
number of purchases each, times over three years, 5 % returns) are kept in
DIR and reused by later runs with the same N, C and F. Needs the shared
library built (cmake --preset release && cmake --build --preset release) or
CRMKIT_LIBRARY; uses /usr/bin/python3's numpy, pandas, dask, distributed.
Never run by CI: at the default 100M transactions it needs minutes.
"""

import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY_DIR = os.path.join(ROOT, "python")
DAY = 86400
END = 1767225600  # 2026-01-01T00:00:00Z: three years of history end on 2025-12-31
SPAN = 3 * 365 * DAY
MIX = 2654435761  # odd, so id = (k + 1) * MIX mod 2^32 is one-to-one: scattered ids


def human(n):
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return "%.1f %s" % (n, unit) if unit != "B" else "%d B" % n
        n /= 1024.0


def parse_bytes(text):
    text = text.strip().lower().replace(" ", "")
    for suffix, scale in (("gib", 2**30), ("mib", 2**20), ("kib", 2**10), ("gb", 10**9), ("mb", 10**6),
                          ("kb", 10**3), ("b", 1)):
        if text.endswith(suffix):
            return int(float(text[:-len(suffix)]) * scale)
    return int(text)


# ---- data ----

def write_file(job):
    """One CSV file: its slice of the three years, customers drawn skewed
    (the lowest indexes buy most), in time order as a daily export would be."""
    path, rows, customers, index, files, seed = job
    import numpy as np
    import pandas as pd
    rng = np.random.default_rng([seed, index])
    lo = END - SPAN + SPAN * index // files
    hi = END - SPAN + SPAN * (index + 1) // files
    t = np.sort(rng.integers(lo, hi, rows))
    k = np.minimum((customers * rng.random(rows) ** 1.6).astype("int64"), customers - 1)
    ids = ((k + 1) * MIX) % (1 << 32)
    cents = np.round(np.exp(rng.normal(3.4, 0.9, rows)) * 100)
    returns = rng.random(rows) < 0.05
    cents[returns] = -np.ceil(cents[returns] * rng.random(returns.sum()))
    frame = pd.DataFrame({"customer_id": ids, "time": t, "amount": cents / 100.0})
    tmp = path + ".part"
    frame.to_csv(tmp, index=False)
    os.replace(tmp, path)
    return path


def generate(args):
    folder = os.path.join(args.scratch, "tx-%d-%d-%d" % (args.transactions, args.customers, args.files))
    manifest = os.path.join(folder, "manifest.json")
    paths = [os.path.join(folder, "tx-%05d.csv" % i) for i in range(args.files)]
    if os.path.exists(manifest) and all(os.path.exists(p) for p in paths):
        print("data: reusing %s" % folder)
        return paths
    os.makedirs(folder, exist_ok=True)
    base, extra = divmod(args.transactions, args.files)
    jobs = [(p, base + (1 if i < extra else 0), args.customers, i, args.files, args.seed)
            for i, p in enumerate(paths)]
    t0 = time.perf_counter()
    import multiprocessing
    with multiprocessing.Pool(args.workers) as pool:
        for _ in pool.imap_unordered(write_file, jobs):
            pass
    with open(manifest, "w") as f:
        json.dump({"transactions": args.transactions, "customers": args.customers, "files": args.files,
                   "seed": args.seed}, f)
    print("data: generated %d files in %s (%.1f s)" % (args.files, folder, time.perf_counter() - t0))
    return paths


# ---- worker measurements ----

def reset_peak():
    """Resets this process's peak resident size (VmHWM; Linux >= 4.0)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def worker_memory(dask_worker):
    """VmHWM and VmRSS of the worker process and its spill counters."""
    status = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmHWM:", "VmRSS:")):
                name, value = line.split(":")
                status[name] = int(value.split()[0]) * 1024
    metrics = {}
    get = getattr(getattr(dask_worker, "data", None), "get_metrics", None)
    if get is not None:
        metrics = get()
    return {"peak": status.get("VmHWM", 0), "rss": status.get("VmRSS", 0),
            "spilled": metrics.get("disk_write_bytes_total", 0),
            "unspilled": metrics.get("disk_read_bytes_total", 0)}


class Meter(object):
    """Peak memory and bytes spilled per worker over one measured run."""

    def __init__(self, client):
        self.client = client

    def __enter__(self):
        self.client.run(reset_peak)
        reset_peak()  # the client: the combine runs here
        self.before = self.client.run(worker_memory)
        return self

    def __exit__(self, *exc):
        self.client_peak = worker_memory(None)["peak"]
        after = self.client.run(worker_memory)
        self.workers = []
        for address in sorted(after):
            a, b = after[address], self.before.get(address, {"spilled": 0, "unspilled": 0})
            self.workers.append({"peak": a["peak"], "spilled": a["spilled"] - b["spilled"],
                                 "unspilled": a["unspilled"] - b["unspilled"]})

    def lines(self, limit):
        out = []
        for i, w in enumerate(self.workers):
            out.append("  worker %d: peak %s (%.0f %% of its limit %s), spilled to disk %s, read back %s"
                       % (i, human(w["peak"]), 100.0 * w["peak"] / limit, human(limit),
                          human(w["spilled"]), human(w["unspilled"])))
        out.append("  client (this process, where the combine runs): peak %s" % human(self.client_peak))
        return out


# ---- the runs ----

def write_out(frame, mode, folder):
    """Computes a Dask DataFrame to its sink: CSV files, or a row count."""
    import dask
    if mode == "csv":
        import shutil
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        frame.to_csv(os.path.join(folder, "part-*.csv"), index=False)
        return None
    return int(sum(dask.compute(*[dask.delayed(len)(p) for p in frame.to_delayed()])))


def run_crmkit(args, paths, client, limit):
    import dask.dataframe as dd
    import crmkit.dask
    timings = {}
    out = os.path.join(args.scratch, "out-crmkit")
    with Meter(client) as meter:
        t0 = time.perf_counter()
        tx = dd.read_csv(paths, blocksize=args.blocksize)
        # Timed stages are waited for one by one: --no-split measures the
        # run as a user has it, without those boundaries.
        profiles = crmkit.dask.analyze(tx, npartitions=args.npartitions,
                                       timings=None if args.no_split else timings)
        t1 = time.perf_counter()
        rows = write_out(profiles, args.write, out)
        t2 = time.perf_counter()
    timings["score"] = t2 - t1
    if args.no_split:
        timings = {"analyze()": t1 - t0, "score": t2 - t1}
    total = t2 - t0
    if rows is None:
        rows = sum(1 for _ in open_rows(out))
    return total, timings, rows, meter


def open_rows(folder):
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name)) as f:
            next(f, None)
            for line in f:
                yield line


def rival_rfm(tx, npartitions):
    """The RFM table as a Dask user writes it: last purchase, count, sum per
    customer (a hashed groupby over npartitions), quintile scores from
    Dask's (approximate) quantiles."""
    import numpy as np
    g = tx.groupby("customer_id").agg({"time": "max", "amount": ["count", "sum"]}, split_out=npartitions)
    g.columns = ["last", "frequency", "monetary"]
    q = g[["last", "frequency", "monetary"]].quantile([0.2, 0.4, 0.6, 0.8]).compute()
    cuts = {col: q[col].to_numpy() for col in q.columns}  # a plain dict: map_partitions would align a frame

    def score(part, cuts):
        part = part.copy()
        for col, name in (("last", "r_score"), ("frequency", "f_score"), ("monetary", "m_score")):
            part[name] = np.searchsorted(cuts[col], part[col].to_numpy(), side="right") + 1
        return part.reset_index()

    return g.map_partitions(score, cuts)


def run_rival(args, paths, client):
    import dask.dataframe as dd
    out = os.path.join(args.scratch, "out-rival")
    with Meter(client) as meter:
        t0 = time.perf_counter()
        tx = dd.read_csv(paths, blocksize=args.blocksize)
        rows = write_out(rival_rfm(tx, args.npartitions), args.write, out)
        total = time.perf_counter() - t0
    if rows is None:
        rows = sum(1 for _ in open_rows(out))
    return total, rows, meter


REFERENCE = r"""
import os, resource, sys, time
import pandas as pd, crmkit
paths, out, mode = sys.argv[1].split(","), sys.argv[2], sys.argv[3]
t0 = time.perf_counter()
tx = pd.concat([pd.read_csv(p) for p in paths], ignore_index=True)
t1 = time.perf_counter()
result = crmkit.analyze(tx, threads=2)
t2 = time.perf_counter()
rows = len(result)
if mode == "csv":
    result.to_pandas().to_csv(out, index=False)
t3 = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print("%d %d %.3f %.3f %.3f %d" % (len(tx), rows, t1 - t0, t2 - t1, t3 - t2, peak))
"""


def run_reference(args, paths):
    """crmkit.analyze in one process (2 threads) on the first files, up to
    --reference-rows transactions: pandas reads them, crmkit analyses,
    pandas writes the profiles (with --write csv)."""
    per_file = args.transactions / float(args.files)
    k = max(1, min(len(paths), int(args.reference_rows // per_file)))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (PY_DIR, env.get("PYTHONPATH")) if p)
    out = os.path.join(args.scratch, "out-reference.csv")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", REFERENCE, ",".join(paths[:k]), out, args.write], env=env,
                          stdout=subprocess.PIPE, check=True, universal_newlines=True)
    total = time.perf_counter() - t0
    n, rows, read, analyze, write, peak = proc.stdout.split()
    return {"files": k, "transactions": int(n), "rows": int(rows), "read": float(read),
            "analyze": float(analyze), "write": float(write), "peak": int(peak), "total": total}


STAGES = (
    ("analyze()", "--no-split: the read, shuffle, as-of, summarise and combine stages unseparated"),
    ("read", "dd.read_csv of every file to frames with each record's hash bucket, kept on the workers"),
    ("shuffle", "the records moved to their customer's hash partition (Dask's task shuffle), kept on "
                "the workers (spilled to disk beyond the memory limit)"),
    ("as_of", "the default as-of: each shuffled partition's latest accepted transaction (the rows with "
              "the latest times summarised)"),
    ("summarise", "each partition summarised (crm_summarize) and its population contribution saved as "
                  "bytes, on the workers"),
    ("combine", "in the client: the contributions pulled one at a time, merged and finished (ranks, cut "
                "points, models), its bytes broadcast to the workers; the frame's meta (one partition "
                "scored on a worker)"),
    ("score", "each partition summarised again and scored (crm_score) to a pandas frame, written out "
              "(--write)"),
)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--transactions", type=int, default=100000000)
    p.add_argument("--customers", type=int, default=None, help="default: transactions / 10")
    p.add_argument("--files", type=int, default=100)
    p.add_argument("--workers", type=int, default=2, help="worker processes, one thread each")
    p.add_argument("--memory-limit", default="1GiB", help="per worker (default 1GiB)")
    p.add_argument("--npartitions", type=int, default=None,
                   help="customer hash partitions (default: one per million transactions, at least --files)")
    p.add_argument("--blocksize", default="64MB", help="dd.read_csv blocksize")
    p.add_argument("--write", choices=("csv", "count"), default="csv",
                   help="csv: write the profiles as CSV files (default); count: compute and count them")
    p.add_argument("--reference-rows", type=float, default=10e6,
                   help="transactions (whole files) for the one-process crmkit.analyze reference; 0: none")
    p.add_argument("--no-split", action="store_true",
                   help="time analyze() as one (no waiting at the stage boundaries) and the scoring")
    p.add_argument("--no-rival", action="store_true", help="skip the dask.dataframe groupby RFM")
    p.add_argument("--scratch", default="/tmp/crm-dask-bench")
    p.add_argument("--seed", type=int, default=15)
    args = p.parse_args()
    try:
        import numpy, pandas, dask.dataframe, distributed  # noqa: F401
    except ImportError as e:
        sys.exit("dask_bench: %s (run it with an interpreter that has numpy, pandas, dask and distributed, "
                 "e.g. /usr/bin/python3 bench/dask_bench.py)" % e)
    args.customers = args.customers or max(1, args.transactions // 10)
    args.npartitions = args.npartitions or max(args.files, -(-args.transactions // 1000000))
    limit = parse_bytes(args.memory_limit)

    os.makedirs(args.scratch, exist_ok=True)
    sys.path.insert(0, PY_DIR)
    lib = os.path.join(ROOT, "build-release", "libcrmkit.so")
    if "CRMKIT_LIBRARY" not in os.environ and os.path.exists(lib):
        os.environ["CRMKIT_LIBRARY"] = lib
    # The worker processes import crmkit as this process does.
    os.environ["PYTHONPATH"] = os.pathsep.join(x for x in (PY_DIR, os.environ.get("PYTHONPATH")) if x)

    paths = generate(args)
    csv_bytes = sum(os.path.getsize(x) for x in paths)
    frame_bytes = args.transactions * 24  # customer_id int64, time int64, amount float64
    print("transactions %d of %d customers in %d CSV files: %s on disk, %s as frames (3 x 8 B a row)"
          % (args.transactions, args.customers, len(paths), human(csv_bytes), human(frame_bytes)))
    print("cluster: %d workers x 1 thread, memory limit %s per worker (%s in all): %s the frames' size"
          % (args.workers, human(limit), human(limit * args.workers),
             "below" if limit * args.workers < frame_bytes else
             "per worker below" if limit < frame_bytes else "NOT below"))
    print("customer hash partitions: %d; read_csv blocksize %s; profiles: %s"
          % (args.npartitions, args.blocksize, "written as CSV" if args.write == "csv" else "counted"))
    sys.stdout.flush()

    from distributed import Client, LocalCluster
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, memory_limit=limit,
                           dashboard_address=None, silence_logs=40,
                           local_directory=os.path.join(args.scratch, "dask-worker-space"))
    client = Client(cluster)
    try:
        total, timings, rows, meter = run_crmkit(args, paths, client, limit)
        print("\ncrmkit.dask.analyze, CSV to profiles: %.1f s, %.0f transactions/s, %d profiles"
              % (total, args.transactions / total, rows))
        split = sum(timings.get(name, 0) for name, _ in STAGES)
        for name, what in STAGES:
            if name in timings:
                print("  %-9s %7.1f s %4.0f %%  %s" % (name, timings[name], 100 * timings[name] / total, what))
        print("  (stages add up to %.1f s of %.1f s; the rest: building the graphs)" % (split, total))
        for line in meter.lines(limit):
            print(line)
        sys.stdout.flush()
        if not args.no_rival:
            rtotal, rrows, rmeter = run_rival(args, paths, client)
            print("\nrival: dask.dataframe groupby RFM (last time, count, sum; quintile scores), same cluster "
                  "and files: %.1f s, %.0f transactions/s, %d rows (crmkit: %.2fx its time)"
                  % (rtotal, args.transactions / rtotal, rrows, total / rtotal))
            for line in rmeter.lines(limit):
                print(line)
            sys.stdout.flush()
    finally:
        client.close()
        cluster.close()
    if args.reference_rows > 0:
        r = run_reference(args, paths)
        rate = r["transactions"] / r["total"]
        print("\none process: crmkit.analyze (2 threads) on the first %d files, %d transactions: %.1f s, "
              "%.0f transactions/s (read %.1f s, analyze %.1f s, write %.1f s), peak %s, %d profiles"
              % (r["files"], r["transactions"], r["total"], rate, r["read"], r["analyze"], r["write"],
                 human(r["peak"]), r["rows"]))


if __name__ == "__main__":
    main()

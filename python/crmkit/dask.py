"""crmkit on Dask: the partitioned pipeline over Dask DataFrames.

    import crmkit.dask
    from distributed import Client
    client = Client("tcp://scheduler:8786")        # or a LocalCluster
    tx = dask.dataframe.read_csv("tx-*.csv")        # customer_id, time, amount
    profiles = crmkit.dask.analyze(tx, rfm_bins=5)  # a Dask DataFrame
    profiles.to_parquet("profiles/")

What runs where: the records are hash-partitioned by customer id (every
record of a customer in one partition) and the partitions kept on the
workers (persisted: spilled to disk beyond their memory limit, not read and
shuffled again); the default as-of is the latest accepted transaction's day
end over those partitions; each partition is summarised on a worker
(crm_summarize) and its population contribution saved as bytes
(crm_population_save); the contributions are pulled to the calling process
one at a time, in partition order, merged and finished there
(crm_population_merge, crm_population_finish: ranks, cut points, fitted
models; about 100 bytes a customer, outside any worker's memory limit);
the finished population's bytes (O(distinct values) with the default
ties=shared) are broadcast to the
workers, which load them (crm_population_load) and score their partitions
(crm_score). Python only moves bytes and frames; the C library does the
work. The rows equal crmkit.analyze(...) over all the data at once.

Dask is imported only when analyze() is called: `import crmkit` works
without it. This module is named crmkit.dask; inside it the dask package is
imported absolutely.
"""

from __future__ import absolute_import

import time
from typing import Any, Dict, Mapping, Optional

from ._analyze import Population, summarize
from . import _ffi
from ._errors import Error

_PART = "_crm_part"
_MIX = 0x9E3779B97F4A7C15
_NO_DATA = _ffi.crm_status.CRM_STATUS_NO_DATA.value


def _dask():
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as e:  # pragma: no cover - depends on the machine
        raise ImportError("crmkit.dask needs dask (pip install 'dask[dataframe]' distributed, "
                          "or Debian's python3-dask python3-distributed): %s" % e)
    return dask, dd


def _bucket(ids, n):
    """The partition of each customer id: a multiplicative hash of the id
    (uint64 arithmetic), so consecutive ids spread over the partitions."""
    import numpy as np
    v = np.asarray(ids).astype("uint64", copy=False)
    with np.errstate(over="ignore"):
        h = v * np.uint64(_MIX)
    return ((h >> np.uint64(32)) % np.uint64(n)).astype("int64")


def _with_bucket(df, id_name, n):
    return df.assign(**{_PART: _bucket(df[id_name].values, n)})


def _without_bucket(df):
    return df.drop(columns=[_PART])


def _strip(df):
    if df is None:
        return None
    df = df.drop(columns=[_PART]) if _PART in df.columns else df
    return df if len(df) else None


def _call(tx, ix, cu, kwargs, options, **more):
    """summarize() of whichever inputs a partition has: the transactions
    positionally only when there are some, and the customer_id= name, which
    summarize() takes for the transactions, given to the other inputs that
    have such a column when there are none (as analyze() applies it)."""
    kw = dict(kwargs)
    if tx is None and "customer_id" in kw:
        name = kw.pop("customer_id")
        for frame, key in ((ix, "interactions_columns"), (cu, "customers_columns")):
            if frame is not None and name in frame.columns:
                cols = dict(kw.get(key) or {})
                cols.setdefault("customer_id", name)
                kw[key] = cols
    kw.update(options)
    kw.update(more)
    return summarize(*((tx,) if tx is not None else ()), interactions=ix, customers=cu, _check_times=False,
                     **kw)


def _summarize(tx, ix, cu, kwargs, options, as_of):
    tx, ix, cu = _strip(tx), _strip(ix), _strip(cu)
    if tx is None and ix is None and cu is None:
        return None
    return _call(tx, ix, cu, kwargs, options, as_of=as_of)


def _partition_as_of(frame, which, kwargs, options):
    """The default as-of of one input partition alone (None: no record accepted)."""
    frame = _strip(frame)
    if frame is None:
        return None
    try:
        s = _call(frame, None, None, kwargs, options) if which == "tx" else \
            _call(None, frame, None, kwargs, options)
    except Error as e:
        if e.status == _NO_DATA:
            return None
        raise
    return s.as_of


def _span(frame, column):
    """(min, max) of a partition's integer time column; "empty" for an empty
    partition; None when the column is not integers."""
    from ._frames import _integer_times
    frame = _strip(frame)
    if frame is None or column not in frame.columns:
        return "empty"
    return _integer_times(frame[column])


def _check_spans(spans, label):
    """crmkit.analyze's YYYYMMDD refusal, decided once over every partition's
    span of an integer time column (a partition alone could look like dates
    when the whole column does not)."""
    from ._frames import check_integer_times
    spans = [x for x in spans if x != "empty"]
    if not spans or any(x is None for x in spans):
        return
    check_integer_times([min(x[0] for x in spans), max(x[1] for x in spans)], label)


def _strict(options):
    return str(options.get("validation", "skip")).lower() not in ("skip", "0")


def _latest_transaction(frame, kwargs, options):
    """_partition_as_of of transactions without summarising them all: only
    the rows with the k latest times (argpartition), k growing until one of
    them is accepted. Exact: an accepted row among the k latest is no earlier
    than any row outside them, so the latest accepted row is among them.
    Only where a record's time orders as its seconds do (integer or
    datetime64 columns) and validation is not strict (there a bad record
    anywhere must fail as crmkit.analyze fails); else every row is summarised."""
    import numpy as np
    frame = _strip(frame)
    if frame is None:
        return None
    t = frame["time"] if "time" in frame.columns else None
    # Integers order as times only without time_format ("%d%m%Y" integers do not).
    if t is not None and isinstance(t.dtype, np.dtype) and t.dtype.kind in "iM" and not _strict(options) \
            and "time_format" not in kwargs:
        values = t.to_numpy()
        n, k = len(values), 64
        while k < n:
            latest = _partition_as_of(frame.iloc[np.argpartition(values, n - k)[n - k:]], "tx", kwargs, options)
            if latest is not None:
                return latest
            k *= 16
    return _partition_as_of(frame, "tx", kwargs, options)


def _latest(values):
    values = [v for v in values if v is not None]
    return max(values) if values else None


def _contribution(tx, ix, cu, kwargs, options, as_of):
    s = _summarize(tx, ix, cu, kwargs, options, as_of)
    if s is None:
        return None
    p = Population(as_of=as_of, **options)
    p.add(s)
    return p.to_bytes()


def _combine(parts, options, as_of):
    """The contributions (bytes, or None for an empty partition) merged in
    partition order and finished: the finished population's bytes. Each
    contribution is dropped once merged, so the memory is the merged
    population's plus one contribution's."""
    merged = None
    for raw in parts:
        if raw is None:
            continue
        p = Population.from_bytes(raw, as_of=as_of, **options)
        del raw
        if merged is None:
            merged = p
        else:
            merged.merge(p)
            p.close()
    if merged is None:
        raise Error(_NO_DATA, "no valid record in any partition", function="crmkit.dask.analyze")
    return merged.finish().to_bytes()


def _combine_on_client(client, contributions, options, as_of):
    """The combine in the calling process, pulling one contribution at a
    time from the workers (in partition order, so that the merge and the
    model fits see the rows as one analysis does whatever finishes first).
    The merged population holds every customer's ranked values (about 100
    bytes a customer while it is finished): on a worker, next to the
    contributions it waits for, it would need several times that under the
    worker's memory limit; the client has no such limit."""
    futures = client.compute(list(contributions))
    del contributions[:]  # the caller's list too: a released future then frees its worker's memory

    def pulled():
        for k in range(len(futures)):
            future, futures[k] = futures[k], None
            raw = future.result()
            future.release()  # the worker may drop it now
            del future
            yield raw
            del raw  # before the next one is fetched

    return _combine(pulled(), options, as_of)


def _meta(tx, ix, cu, finished, kwargs, options, as_of):
    """The profiles' columns and dtypes (an empty frame), from one partition
    scored on a worker; None when the partition has no customer."""
    s = _summarize(tx, ix, cu, kwargs, options, as_of)
    if s is None:
        return None
    return Population.from_bytes(finished, as_of=as_of, **options).score(s).to_pandas().iloc[:0]


def _score(tx, ix, cu, finished, kwargs, options, as_of, meta):
    s = _summarize(tx, ix, cu, kwargs, options, as_of)
    if s is None:
        return meta
    p = Population.from_bytes(finished, as_of=as_of, **options)
    return p.score(s).to_pandas()


def _id_name(frame, names, fallback):
    if names and "customer_id" in names:
        return names["customer_id"]
    if fallback in frame.columns:
        return fallback
    return "customer_id"


class _Clock(object):
    """Seconds per stage into a caller's dict (analyze(timings=...)); the
    stage is waited for only when timed, so an untimed run is not held at
    the boundaries."""

    def __init__(self, timings):
        self.timings = timings
        self.t = time.perf_counter()

    def __call__(self, stage, *collections):
        if self.timings is None:
            return
        _wait(collections)
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self.t
        self.t = now


def _client():
    """The distributed Client that runs this computation, or None: a Client
    that exists while another scheduler is chosen (dask.config.set(
    scheduler="threads")) does not run it."""
    try:
        from distributed import get_client
        client = get_client()
    except (ImportError, ValueError):
        return None
    import dask.base
    return client if dask.base.get_scheduler() == client.get else None


def _wait(collections):
    """Until persisted collections are computed (a no-op for the local
    schedulers, whose persist computes before it returns)."""
    client = _client()
    if client is not None:
        from distributed import futures_of, wait
        futures = futures_of(list(c for c in collections if c is not None))
        if futures:
            wait(futures)


def analyze(transactions: Any, interactions: Any = None, customers: Any = None, as_of: Any = None,
            npartitions: Optional[int] = None, customer_id: Optional[str] = None,
            interactions_columns: Optional[Mapping[str, str]] = None,
            customers_columns: Optional[Mapping[str, str]] = None, time_format: Optional[str] = None,
            timings: Optional[Dict[str, float]] = None, **options: Any) -> Any:
    """crmkit.analyze over Dask DataFrames, partition by partition on the
    workers; returns a Dask DataFrame of profiles with the columns and dtypes
    of crmkit.analyze(...).to_pandas() and the same rows (one per customer,
    ordered by customer id within each partition, partitions in hash order:
    sort or set_index on customer_id for the global order).

    transactions, interactions, customers: Dask DataFrames with the columns
    crmkit.analyze takes of a DataFrame (customer_id, time, amount[, cost]
    [, discount]; ...); interactions and customers may be None. Customer ids
    must be integers in this version (crmkit.summarize refuses others).
    customer_id= names the transactions' id column; interactions_columns= /
    customers_columns= and time_format= as for crmkit.analyze. as_of: as
    for crmkit.analyze; when None it is the latest accepted transaction's
    day end over all partitions (of the latest interaction when no
    transaction is accepted), as crm_analyze's default. options: the
    configuration options by their C names (rfm_bins=4, model="bgnbd", ...).
    npartitions: the partitions customers are hashed into (default: the
    transactions' count); each is summarised in one task, so choose it for
    the memory of one worker (about a million transactions each).

    Runs the reading, shuffling, summarising, merging and finishing of the
    population when called (with the current Dask scheduler, e.g. a
    distributed Client); the shuffled partitions are persisted on the
    workers (spilled to disk beyond their memory limit) and kept for as
    long as the returned frame is, whose scoring runs when it is computed.
    The finished population is broadcast to the workers (Client.scatter)
    when a distributed client is active.

    timings: a dict to receive the seconds of each stage ("read",
    "shuffle", "as_of", "summarise", "combine"); the stages are then waited
    for one by one (the input read is persisted before it is shuffled),
    which costs some overlap.
    """
    dask, dd = _dask()
    if "config" in options:
        raise TypeError("crmkit.dask.analyze takes options as keywords, not a Config (it must reach the workers)")
    clock = _Clock(timings)
    first = next((f for f in (transactions, interactions, customers) if f is not None), None)
    if first is None:
        raise TypeError("crmkit.dask.analyze: transactions, interactions or customers are needed")
    n = int(npartitions or first.npartitions)
    tx_id = customer_id or "customer_id"
    kwargs = {}
    if customer_id is not None:
        kwargs["customer_id"] = customer_id
    if interactions_columns is not None:
        kwargs["interactions_columns"] = dict(interactions_columns)
    if customers_columns is not None:
        kwargs["customers_columns"] = dict(customers_columns)
    if time_format is not None:
        kwargs["time_format"] = time_format

    # Read and bucket; persisted apart only when timed (otherwise the read
    # streams into the shuffle and never sits whole on the workers).
    inputs = [f.map_partitions(_with_bucket, name, n) if f is not None else None
              for f, name in ((transactions, tx_id),
                              (interactions, interactions is not None and
                               _id_name(interactions, interactions_columns, tx_id)),
                              (customers, customers is not None and _id_name(customers, customers_columns, tx_id)))]
    if timings is not None:
        inputs = [f.persist() if f is not None else None for f in inputs]
    clock("read", *inputs)

    # Every record of a customer in one partition, kept on the workers: the
    # summarising and the scoring both read them, and reading and shuffling
    # them twice cost more than spilling them.
    shuffled = [f.shuffle(on=_PART, npartitions=n, ignore_index=True).map_partitions(_without_bucket).persist()
                if f is not None else None for f in inputs]
    del inputs
    clock("shuffle", *shuffled)

    def parts(frame):
        return frame.to_delayed() if frame is not None else [None] * n

    tx_parts, ix_parts, cu_parts = (parts(f) for f in shuffled)

    if as_of is None:  # one small integer per partition
        latest = [dask.delayed(_latest_transaction)(p, kwargs, options) for p in tx_parts]
        as_of = dask.compute(dask.delayed(_latest)(latest))[0]
        if as_of is None and interactions is not None:
            latest = [dask.delayed(_partition_as_of)(p, "ix", kwargs, options) for p in ix_parts]
            as_of = dask.compute(dask.delayed(_latest)(latest))[0]
        if as_of is None:
            raise Error(_NO_DATA, "no accepted transaction or interaction to take the as-of from (customer "
                        "attributes alone do not date an analysis: give as_of)", function="crmkit.dask.analyze")
        clock("as_of")
    if time_format is None:  # crmkit.analyze's YYYYMMDD refusal, over whole columns
        ix_time = (interactions_columns or {}).get("time", "time")
        spans = dask.compute([dask.delayed(_span)(p, "time") for p in tx_parts],
                             [dask.delayed(_span)(p, ix_time) for p in ix_parts])
        _check_spans(spans[0], "transactions column 'time'")
        _check_spans(spans[1], "interactions column %r" % ix_time)

    contributions = [dask.delayed(_contribution)(t, i, c, kwargs, options, as_of)
                     for t, i, c in zip(tx_parts, ix_parts, cu_parts)]
    if timings is not None:
        contributions = list(dask.persist(*contributions))
    clock("summarise", *contributions)
    client = _client()
    if client is not None:
        finished = _combine_on_client(client, contributions, options, as_of)  # empties contributions
        shared = client.scatter(finished, broadcast=True)
    else:  # a local scheduler: every task runs in this process anyway
        finished = dask.compute(dask.delayed(_combine)(contributions, options, as_of))[0]
        shared = finished
    del finished

    # The columns and dtypes: the first partition with customers, scored on
    # a worker (only the empty frame comes back).
    meta = None
    for t, i, c in zip(tx_parts, ix_parts, cu_parts):
        meta = dask.compute(dask.delayed(_meta)(t, i, c, shared, kwargs, options, as_of))[0]
        if meta is not None:
            break
    clock("combine")
    scored = [dask.delayed(_score)(t, i, c, shared, kwargs, options, as_of, meta)
              for t, i, c in zip(tx_parts, ix_parts, cu_parts)]
    return dd.from_delayed(scored, meta=meta, verify_meta=False)

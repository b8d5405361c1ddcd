"""crmkit on Dask: the partitioned pipeline over Dask DataFrames.

    import crmkit.dask
    from distributed import Client
    client = Client("tcp://scheduler:8786")        # or a LocalCluster
    tx = dask.dataframe.read_csv("tx-*.csv")        # customer_id, time, amount
    profiles = crmkit.dask.analyze(tx, rfm_bins=5)  # a Dask DataFrame
    profiles.to_parquet("profiles/")

What runs where: the records are hash-partitioned by customer id (every
record of a customer in one partition); each partition is summarised on a
worker (crm_summarize) and its population contribution saved as bytes
(crm_population_save); the contributions are merged and finished in one
task (crm_population_merge, crm_population_finish: ranks, cut points,
fitted models); the finished population's bytes are broadcast to the
workers, which load them (crm_population_load) and score their partitions
(crm_score). Python only moves bytes and frames; the C library does the
work. The rows equal crmkit.analyze(...) over all the data at once.

Dask is imported only when analyze() is called: `import crmkit` works
without it. This module is named crmkit.dask; inside it the dask package is
imported absolutely.
"""

from __future__ import absolute_import

from typing import Any, Mapping, Optional

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


def _strip(df):
    if df is None:
        return None
    df = df.drop(columns=[_PART]) if _PART in df.columns else df
    return df if len(df) else None


def _summarize(tx, ix, cu, kwargs, options, as_of):
    tx, ix, cu = _strip(tx), _strip(ix), _strip(cu)
    if tx is None and ix is None and cu is None:
        return None
    return summarize(tx, interactions=ix, customers=cu, as_of=as_of, **dict(kwargs, **options))


def _partition_as_of(frame, which, kwargs, options):
    """The default as-of of one input partition alone (None: no record accepted)."""
    frame = _strip(frame)
    if frame is None:
        return None
    try:
        s = summarize(frame, **dict(kwargs, **options)) if which == "tx" else \
            summarize(interactions=frame, **dict(kwargs, **options))
    except Error as e:
        if e.status == _NO_DATA:
            return None
        raise
    return s.as_of


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
    merged = None
    for raw in parts:
        if raw is None:
            continue
        p = Population.from_bytes(raw, as_of=as_of, **options)
        if merged is None:
            merged = p
        else:
            merged.merge(p)
    if merged is None:
        raise ValueError("crmkit.dask.analyze: no records")
    return merged.finish().to_bytes()


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


def analyze(transactions: Any, interactions: Any = None, customers: Any = None, as_of: Any = None,
            npartitions: Optional[int] = None, customer_id: Optional[str] = None,
            interactions_columns: Optional[Mapping[str, str]] = None,
            customers_columns: Optional[Mapping[str, str]] = None, time_format: Optional[str] = None,
            **options: Any) -> Any:
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
    for crmkit.analyze; when None it is fixed once for all partitions by a
    first pass (each input partition summarised alone: the latest accepted
    transaction's day end, as crm_analyze's default). options: the
    configuration options by their C names (rfm_bins=4, model="bgnbd", ...).
    npartitions: the partitions customers are hashed into (default: the
    transactions' count).

    Runs the summarising, merging and finishing of the population when
    called (with the current Dask scheduler, e.g. a distributed Client);
    the returned frame's scoring runs when it is computed. The finished
    population is broadcast to the workers (Client.scatter) when a
    distributed client is active.
    """
    dask, dd = _dask()
    if "config" in options:
        raise TypeError("crmkit.dask.analyze takes options as keywords, not a Config (it must reach the workers)")
    n = int(npartitions or transactions.npartitions)
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

    if as_of is None:  # the first, cheap pass: one small integer per input partition
        latest = [dask.delayed(_partition_as_of)(p, "tx", kwargs, options) for p in transactions.to_delayed()]
        as_of = dask.compute(dask.delayed(_latest)(latest))[0]
        if as_of is None and interactions is not None:
            latest = [dask.delayed(_partition_as_of)(p, "ix", kwargs, options) for p in interactions.to_delayed()]
            as_of = dask.compute(dask.delayed(_latest)(latest))[0]
        if as_of is None:
            raise ValueError("crmkit.dask.analyze: no accepted transaction or interaction to take the as-of from")

    def hashed(frame, id_name):
        if frame is None:
            return [None] * n
        with_part = frame.map_partitions(_with_bucket, id_name, n)
        return with_part.shuffle(on=_PART, npartitions=n, ignore_index=True).to_delayed()

    tx_parts = hashed(transactions, tx_id)
    ix_parts = hashed(interactions, _id_name(interactions, interactions_columns, tx_id)) \
        if interactions is not None else [None] * n
    cu_parts = hashed(customers, _id_name(customers, customers_columns, tx_id)) \
        if customers is not None else [None] * n

    contributions = [dask.delayed(_contribution)(t, i, c, kwargs, options, as_of)
                     for t, i, c in zip(tx_parts, ix_parts, cu_parts)]
    finished = dask.compute(dask.delayed(_combine)(contributions, options, as_of))[0]

    # The columns and dtypes: the first partition with customers, scored here.
    meta = None
    for t, i, c in zip(tx_parts, ix_parts, cu_parts):
        frames = dask.compute(t, i, c)
        s = _summarize(frames[0], frames[1], frames[2], kwargs, options, as_of)
        if s is not None:
            meta = Population.from_bytes(finished, as_of=as_of, **options).score(s).to_pandas().iloc[:0]
            break

    shared = finished
    try:
        from distributed import get_client
        shared = get_client().scatter(finished, broadcast=True)
    except (ImportError, ValueError):
        shared = finished
    scored = [dask.delayed(_score)(t, i, c, shared, kwargs, options, as_of, meta)
              for t, i, c in zip(tx_parts, ix_parts, cu_parts)]
    return dd.from_delayed(scored, meta=meta, verify_meta=False)

"""crmkit.analyze and crmkit.calibration_split."""

import ctypes

from . import _ffi
from ._config import Config
from ._convert import column, same_length, table_columns, to_seconds
from ._handle import Handle
from ._loader import C, check, new_error
from ._result import Result

U64_P = ctypes.POINTER(ctypes.c_uint64)
I64_P = ctypes.POINTER(ctypes.c_int64)
I32_P = ctypes.POINTER(ctypes.c_int32)
F64_P = ctypes.POINTER(ctypes.c_double)

TRANSACTION_COLUMNS = (("customer_id", True), ("time", True), ("amount", True))
INTERACTION_COLUMNS = (("customer_id", True), ("time", True), ("kind", True), ("value", False),
                       ("ref", False))


def _make_config(config, options, as_of):
    cfg = config.copy() if config is not None else Config()
    cut_points = options.pop("cut_points", None)
    segment_rules = options.pop("segment_rules", None)
    # day_offset first: dates given for as_of are days of that calendar.
    if "day_offset" in options:
        cfg.set("day_offset", options.pop("day_offset"))
    for name, value in options.items():
        cfg.set(name, value)
    if cut_points:
        for dim, thresholds in cut_points.items():
            cfg.set_cut_points(dim, thresholds)
    if segment_rules is not None:
        cfg.set_segment_rules(segment_rules)
    if as_of is not None:
        cfg.set("as_of", as_of)
    return cfg


def _ptr(view, ptype):
    return ctypes.cast(view.address, ptype) if view is not None and view.address else None


def _transactions(customer_id, time, amount, day_offset, keep):
    if customer_id is None and time is None and amount is None:
        return None
    if time is None and amount is None:
        cols = table_columns(customer_id, TRANSACTION_COLUMNS, "transactions")
        if cols is None:
            raise TypeError("analyze(customer_id, time, amount): give three columns, or a DataFrame / "
                            "mapping / structured array with columns customer_id, time, amount")
        customer_id, time, amount = cols["customer_id"], cols["time"], cols["amount"]
    elif customer_id is None or time is None or amount is None:
        raise TypeError("analyze(): customer_id, time and amount go together")
    views = {
        "customer_id": column(customer_id, "u64", "customer_id"),
        "time": column(time, "time", "time", day_offset),
        "amount": column(amount, "f64", "amount"),
    }
    n = same_length(views, "transactions")
    keep.append(views)
    v = _ffi.crm_transactions()
    err = new_error()
    c, t, a = views["customer_id"], views["time"], views["amount"]
    # crm_transactions_from_columns cannot fail for non-NULL columns; it is the
    # documented way to fill the view.
    status = C.crm_transactions_from_columns(ctypes.byref(v), _ptr(c, U64_P), c.stride, _ptr(t, I64_P), t.stride,
                                             _ptr(a, F64_P), a.stride, n)
    check(status, err, "crm_transactions_from_columns")
    return v


def _interactions(interactions, day_offset, keep):
    if interactions is None:
        return None
    cols = table_columns(interactions, INTERACTION_COLUMNS, "interactions")
    if cols is None:
        if isinstance(interactions, (tuple, list)) and 3 <= len(interactions) <= 5:
            names = [n for n, _ in INTERACTION_COLUMNS]
            cols = dict(zip(names, list(interactions) + [None] * (5 - len(interactions))))
        else:
            raise TypeError("interactions: a DataFrame / mapping / structured array with columns customer_id, "
                            "time, kind[, value[, ref]], or a tuple of those columns")
    views = {
        "customer_id": column(cols["customer_id"], "u64", "interactions.customer_id"),
        "time": column(cols["time"], "time", "interactions.time", day_offset),
        "kind": column(cols["kind"], "i32", "interactions.kind"),
        "value": column(cols["value"], "f64", "interactions.value") if cols.get("value") is not None else None,
        "ref": column(cols["ref"], "u64", "interactions.ref") if cols.get("ref") is not None else None,
    }
    n = same_length(views, "interactions")
    keep.append(views)
    v = _ffi.crm_interactions()
    err = new_error()
    c, t, k, val, ref = (views[x] for x in ("customer_id", "time", "kind", "value", "ref"))
    status = C.crm_interactions_from_columns(
        ctypes.byref(v), _ptr(c, U64_P), c.stride, _ptr(t, I64_P), t.stride, _ptr(k, I32_P), k.stride,
        _ptr(val, F64_P), val.stride if val is not None else 0, _ptr(ref, U64_P),
        ref.stride if ref is not None else 0, n)
    check(status, err, "crm_interactions_from_columns")
    return v


def _inputs(customer_id, time, amount, interactions, cfg, keep):
    day_offset = cfg.get("day_offset")
    tx = _transactions(customer_id, time, amount, day_offset, keep)
    ix = _interactions(interactions, day_offset, keep)
    if tx is None and ix is None:
        raise TypeError("transactions or interactions are needed")
    return (ctypes.byref(tx) if tx is not None else None, ctypes.byref(ix) if ix is not None else None)


def analyze(customer_id=None, time=None, amount=None, interactions=None, as_of=None, config=None,
            **options):
    """Analyse transactions (and interactions): crm_analyze.

    Transactions: three columns customer_id, time, amount (sequences,
    array.array, numpy arrays of any stride, pandas Series), or one
    DataFrame / mapping / numpy structured array with those column names as
    the first argument. time: int seconds since the epoch (UTC), numpy or
    pandas datetime64 (converted to seconds), datetime, date or ISO strings.

    interactions: a DataFrame / mapping / structured array with columns
    customer_id, time, kind, and optionally value and ref (or a tuple of those
    columns); kind holds names ("call_in", "complaint", ...) or codes.

    as_of: int seconds, datetime, date, numpy.datetime64 or an ISO string (a
    date means the last second of that day). config: a crmkit.Config to start
    from (not modified). options: configuration options by their C names
    (rfm_bins=4, ties="ntile", validation="strict", model="bgnbd", ...), plus
    cut_points={"r": [...], ...} and segment_rules=[...] (see Config).

    Returns a crmkit.Result; raises crmkit.Error with the C message.
    """
    keep = []
    cfg = _make_config(config, dict(options), as_of)
    tx, ix = _inputs(customer_id, time, amount, interactions, cfg, keep)
    out = ctypes.POINTER(_ffi.crm_result)()
    err = new_error()
    status = C.crm_analyze(cfg.handle, tx, ix, ctypes.byref(out), ctypes.byref(err))
    check(status, err, "crm_analyze")
    del keep  # the input buffers were needed until here
    return Result(out)


def calibration_split(customer_id=None, time=None, amount=None, calibration_end=None, holdout_end=None,
                      config=None, **options):
    """crm_calibration_split: a Result with x, t_x, T, repeat_spend (up to
    calibration_end) and holdout_purchases (to holdout_end) per customer. The
    ends accept what as_of accepts (a date means its last second)."""
    if calibration_end is None or holdout_end is None:
        raise TypeError("calibration_split() needs calibration_end and holdout_end")
    keep = []
    cfg = _make_config(config, dict(options), None)
    day_offset = cfg.get("day_offset")
    tx = _transactions(customer_id, time, amount, day_offset, keep)
    if tx is None:
        raise TypeError("calibration_split() needs transactions")
    cal = to_seconds(calibration_end, day_offset, True, "calibration_end")
    hold = to_seconds(holdout_end, day_offset, True, "holdout_end")
    out = ctypes.POINTER(_ffi.crm_result)()
    err = new_error()
    check(C.crm_calibration_split(cfg.handle, ctypes.byref(tx), cal, hold, ctypes.byref(out), ctypes.byref(err)),
          err, "crm_calibration_split")
    del keep
    return Result(out)


class Summary(Handle):
    """One partition's summary (crm_summarize); add it to a Population."""

    _free = "crm_summary_free"
    _noun = "summary"

    @property
    def customers(self):
        return int(C.crm_summary_customers(self.handle))

    @property
    def as_of(self):
        return int(C.crm_summary_as_of(self.handle))

    def __repr__(self):
        return "<crmkit.Summary %d customers>" % self.customers if self._h else "<crmkit.Summary closed>"


def summarize(customer_id=None, time=None, amount=None, interactions=None, as_of=None, config=None,
              **options):
    """crm_summarize: one partition of a partitioned analysis. Arguments as
    analyze(); every partition must use the same configuration and as-of time
    (give as_of: the default depends on the data). See Population."""
    keep = []
    cfg = _make_config(config, dict(options), as_of)
    tx, ix = _inputs(customer_id, time, amount, interactions, cfg, keep)
    out = ctypes.POINTER(_ffi.crm_summary)()
    err = new_error()
    check(C.crm_summarize(cfg.handle, tx, ix, ctypes.byref(out), ctypes.byref(err)), err, "crm_summarize")
    del keep
    return Summary(out)


class Population(Handle):
    """Partitioned pipeline: population statistics over several summaries.

        cfg = crmkit.Config(as_of="2023-01-05")
        parts = [crmkit.summarize(df_part, config=cfg) for df_part in partitions]
        pop = crmkit.Population(cfg)
        for s in parts: pop.add(s)
        pop.finish()
        results = [pop.score(s) for s in parts]  # rows identical to one analyze()
    """

    _free = "crm_population_free"
    _noun = "population"

    def __init__(self, config=None, as_of=None, **options):
        cfg = _make_config(config, dict(options), as_of)
        out = ctypes.POINTER(_ffi.crm_population)()
        err = new_error()
        check(C.crm_population_create(cfg.handle, ctypes.byref(out), ctypes.byref(err)), err,
              "crm_population_create")
        Handle.__init__(self, out)

    def add(self, summary):
        err = new_error()
        check(C.crm_population_add(self.handle, summary.handle, ctypes.byref(err)), err, "crm_population_add")
        return self

    def finish(self):
        err = new_error()
        check(C.crm_population_finish(self.handle, ctypes.byref(err)), err, "crm_population_finish")
        return self

    def score(self, summary):
        out = ctypes.POINTER(_ffi.crm_result)()
        err = new_error()
        check(C.crm_score(self.handle, summary.handle, ctypes.byref(out), ctypes.byref(err)), err, "crm_score")
        return Result(out)

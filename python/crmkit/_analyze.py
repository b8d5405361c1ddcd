"""crmkit.analyze and crmkit.calibration_split."""

import ctypes

from . import _ffi
from ._config import Config
from ._convert import Codes, column, same_length, table_columns, to_seconds
from ._handle import Handle
from ._loader import C, check, new_error
from ._progress import Interruptible
from ._result import Result

U64_P = ctypes.POINTER(ctypes.c_uint64)
I64_P = ctypes.POINTER(ctypes.c_int64)
I32_P = ctypes.POINTER(ctypes.c_int32)
F64_P = ctypes.POINTER(ctypes.c_double)

# Columns of each input: (name, kind, required). Optional columns are given
# to the library by their crm_field with *_set_column when present.
TRANSACTION_COLUMNS = (("customer_id", "u64", True), ("time", "time", True), ("amount", "f64", True),
                       ("cost", "f64", False), ("discount", "f64", False))
INTERACTION_COLUMNS = (("customer_id", "u64", True), ("time", "time", True), ("kind", "code", True),
                       ("value", "f64", False), ("ref", "u64", False), ("purpose", "code", False))
CUSTOMER_COLUMNS = (("customer_id", "u64", True), ("birthday", "day", False),
                    ("relationship_start", "day", False), ("money", "code", False),
                    ("authority", "code", False), ("need", "code", False), ("targeted", "code", False))

_ANSWER = Codes(_ffi.CRM_ENUM_ANSWER, _ffi.CRM_ANSWER_UNKNOWN, true=_ffi.CRM_ANSWER_YES,
                false=_ffi.CRM_ANSWER_NO, what="answers ('yes', 'no', 'unknown', codes or booleans)")
CODES = {
    "kind": Codes(_ffi.CRM_ENUM_KIND, -1, what="interaction kind names or codes"),
    "purpose": Codes(_ffi.CRM_ENUM_PURPOSE, _ffi.CRM_PURPOSE_NONE,
                     what="purposes ('value', 'relationship', 'action', 'none' or codes)"),
    "money": _ANSWER,
    "authority": _ANSWER,
    "need": _ANSWER,
    "targeted": Codes(_ffi.CRM_ENUM_BOOL, 0, true=1, false=0, what="booleans or 0/1"),
}
POINTER_OF = {"u64": U64_P, "time": I64_P, "f64": F64_P, "code": I32_P, "day": I32_P}


def _field(name):
    """The crm_field of a column name ("cost" -> CRM_FIELD_COST)."""
    return _ffi.crm_field["CRM_FIELD_" + name.upper()].value


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


def _views(cols, spec, what, day_offset, keep):
    """{name: ColumnView or None} of the given columns, all of one length."""
    views = {}
    for name, kind, required in spec:
        obj = cols.get(name)
        if obj is None:
            views[name] = None
            continue
        views[name] = column(obj, kind, "%s.%s" % (what, name) if what != "transactions" else name, day_offset,
                             CODES.get(name))
    n = same_length(views, what)
    keep.append(views)
    return views, n


def _view(ctype, constructor, args, set_column, views, spec):
    """A view filled by the library's constructor(view, struct_size, *args,
    err) (the *_sized form: struct_size is this binding's size of the view),
    the optional columns present then added by set_column(view, field, data,
    stride, err)."""
    v = ctype()
    err = new_error()
    check(constructor(ctypes.byref(v), ctypes.sizeof(ctype), *(tuple(args) + (ctypes.byref(err),))), err,
          constructor.__name__)
    if v.struct_size != ctypes.sizeof(ctype):
        raise RuntimeError("crmkit: the library's %s has %d bytes, the bindings' %d: the loaded library has "
                           "another layout" % (ctype.__name__, v.struct_size, ctypes.sizeof(ctype)))
    for name, kind, required in spec:
        col = views.get(name)
        if required or col is None:
            continue
        check(set_column(ctypes.byref(v), _field(name), _ptr(col, ctypes.c_void_p), col.stride,
                         ctypes.byref(err)), err, set_column.__name__)
    return v


def _transactions(customer_id, time, amount, day_offset, keep, cost=None, discount=None):
    if customer_id is None and time is None and amount is None:
        if cost is not None or discount is not None:
            raise TypeError("cost and discount go with the transaction columns")
        return None
    if time is None and amount is None:
        cols = table_columns(customer_id, [(n, r) for n, _, r in TRANSACTION_COLUMNS], "transactions")
        if cols is None:
            raise TypeError("analyze(customer_id, time, amount): give three columns, or a DataFrame / "
                            "mapping / structured array with columns customer_id, time, amount[, cost]"
                            "[, discount]")
        for name, value in (("cost", cost), ("discount", discount)):
            if value is not None:
                if cols[name] is not None:
                    raise TypeError("%s is both a column of the transactions and an argument" % name)
                cols[name] = value
    elif customer_id is None or time is None or amount is None:
        raise TypeError("analyze(): customer_id, time and amount go together")
    else:
        cols = {"customer_id": customer_id, "time": time, "amount": amount, "cost": cost, "discount": discount}
    views, n = _views(cols, TRANSACTION_COLUMNS, "transactions", day_offset, keep)
    c, t, a = views["customer_id"], views["time"], views["amount"]
    args = (_ptr(c, U64_P), c.stride, _ptr(t, I64_P), t.stride, _ptr(a, F64_P), a.stride, n)
    return _view(_ffi.crm_transactions, C.crm_transactions_from_columns_sized, args, C.crm_transactions_set_column,
                 views, TRANSACTION_COLUMNS)


def _interactions(interactions, day_offset, keep):
    if interactions is None:
        return None
    names = [n for n, _, _ in INTERACTION_COLUMNS]
    cols = table_columns(interactions, [(n, r) for n, _, r in INTERACTION_COLUMNS], "interactions")
    if cols is None:
        if isinstance(interactions, (tuple, list)) and 3 <= len(interactions) <= len(names):
            cols = dict(zip(names, list(interactions) + [None] * (len(names) - len(interactions))))
        else:
            raise TypeError("interactions: a DataFrame / mapping / structured array with columns customer_id, "
                            "time, kind[, value][, ref][, purpose], or a tuple of those columns")
    views, n = _views(cols, INTERACTION_COLUMNS, "interactions", day_offset, keep)
    c, t, k = views["customer_id"], views["time"], views["kind"]
    args = (_ptr(c, U64_P), c.stride, _ptr(t, I64_P), t.stride, _ptr(k, I32_P), k.stride, n)
    return _view(_ffi.crm_interactions, C.crm_interactions_from_columns_sized, args, C.crm_interactions_set_column,
                 views, INTERACTION_COLUMNS)


def _customers(customers, keep):
    if customers is None:
        return None
    cols = table_columns(customers, [(n, r) for n, _, r in CUSTOMER_COLUMNS], "customers")
    if cols is None:
        raise TypeError("customers: a DataFrame / mapping / structured array with columns customer_id"
                        "[, birthday][, relationship_start][, money][, authority][, need][, targeted]")
    views, n = _views(cols, CUSTOMER_COLUMNS, "customers", 0, keep)
    c = views["customer_id"]
    return _view(_ffi.crm_customers, C.crm_customers_from_columns_sized, (_ptr(c, U64_P), c.stride, n),
                 C.crm_customers_set_column, views, CUSTOMER_COLUMNS)


def _inputs(customer_id, time, amount, interactions, customers, cost, discount, cfg, keep):
    day_offset = cfg.get("day_offset")
    tx = _transactions(customer_id, time, amount, day_offset, keep, cost, discount)
    ix = _interactions(interactions, day_offset, keep)
    cu = _customers(customers, keep)
    if tx is None and ix is None and cu is None:
        raise TypeError("transactions, interactions or customers are needed")
    keep.extend(v for v in (tx, ix, cu) if v is not None)
    return tuple(ctypes.byref(v) if v is not None else None for v in (tx, ix, cu))


def analyze(customer_id=None, time=None, amount=None, interactions=None, customers=None, as_of=None,
            config=None, cost=None, discount=None, progress=None, **options):
    """Analyse transactions, interactions and customer attributes: crm_analyze.

    Transactions: three columns customer_id, time, amount (sequences,
    array.array, numpy arrays of any stride, pandas Series), or one
    DataFrame / mapping / numpy structured array with those column names as
    the first argument. time: int seconds since the epoch (UTC), numpy or
    pandas datetime64 (converted to seconds), datetime, date or ISO strings.
    Optional columns cost and discount (numbers) are used when the table has
    them, or given as cost= and discount= with the three columns.

    interactions: a DataFrame / mapping / structured array with columns
    customer_id, time, kind, and optionally value, ref and purpose (or a
    tuple of those columns in that order); kind holds names ("call_in",
    "complaint", ...) or codes, purpose names ("value", "relationship",
    "action", "none") or codes (missing: none).

    customers: customer attributes, a DataFrame / mapping / structured array
    with column customer_id and optionally birthday and relationship_start
    (dates, datetimes, datetime64 or day numbers; missing: unknown), money,
    authority and need ("yes", "no", "unknown", booleans or codes; missing:
    unknown) and targeted (booleans or 0/1). At most one record per
    customer: an id given twice rejects every record of it
    (duplicate_customer, see Result.records("customers")). A customer with
    attributes and no other record is a row (a prospect).

    as_of: int seconds, datetime, date, numpy.datetime64 or an ISO string (a
    date means the last second of that day). config: a crmkit.Config to start
    from (not modified). options: configuration options by their C names
    (rfm_bins=4, ties="ntile", validation="strict", model="bgnbd", ...), plus
    cut_points={"r": [...], ...} and segment_rules=[...] (see Config).

    progress: None or a callable (phase, done, total), phase one of
    "summarize", "population", "score", "fit", called between the stages and
    at every likelihood evaluation of the model fits; a true result stops
    the analysis (crmkit.Error, status "cancelled"). Ctrl-C stops it at the
    next report (within a second for the fits) and raises KeyboardInterrupt.

    Returns a crmkit.Result; raises crmkit.Error with the C message.
    """
    keep = []
    cfg = _make_config(config, dict(options), as_of)
    tx, ix, cu = _inputs(customer_id, time, amount, interactions, customers, cost, discount, cfg, keep)
    out = ctypes.POINTER(_ffi.crm_result)()
    err = new_error()
    with Interruptible(cfg, progress) as guard:
        status = C.crm_analyze(cfg.handle, tx, ix, cu, ctypes.byref(out), ctypes.byref(err))
    guard.check(status)
    check(status, err, "crm_analyze")
    del keep  # the input buffers were needed until here
    return Result(out)


def calibration_split(customer_id=None, time=None, amount=None, calibration_end=None, holdout_end=None,
                      config=None, **options):
    """crm_calibration_split: a Result with x, t_x, T, repeat_spend (up to
    calibration_end) and holdout_purchases, holdout_spend and holdout_duration
    (to holdout_end; the duration in time units) per customer. The
    ends accept what as_of accepts (a date means its last second)."""
    if calibration_end is None or holdout_end is None:
        raise TypeError("calibration_split() needs calibration_end and holdout_end")
    keep = []
    cfg = _make_config(config, dict(options), None)
    day_offset = cfg.get("day_offset")
    tx = _transactions(customer_id, time, amount, day_offset, keep)
    if tx is None:
        raise TypeError("calibration_split() needs transactions")
    keep.append(tx)
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


def summarize(customer_id=None, time=None, amount=None, interactions=None, customers=None, as_of=None,
              config=None, cost=None, discount=None, **options):
    """crm_summarize: one partition of a partitioned analysis. Arguments as
    analyze(); every partition must use the same configuration and as-of time
    (give as_of: the default depends on the data). See Population."""
    keep = []
    cfg = _make_config(config, dict(options), as_of)
    tx, ix, cu = _inputs(customer_id, time, amount, interactions, customers, cost, discount, cfg, keep)
    out = ctypes.POINTER(_ffi.crm_summary)()
    err = new_error()
    check(C.crm_summarize(cfg.handle, tx, ix, cu, ctypes.byref(out), ctypes.byref(err)), err, "crm_summarize")
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

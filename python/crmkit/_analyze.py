"""crmkit.analyze and crmkit.calibration_split."""

import ctypes
from typing import Any, Callable, Mapping, Optional

from . import _ffi
from ._config import Config
from ._convert import Codes, column, numpy_module, same_length, table_columns, to_seconds_int64
from ._frames import check_integer_times, factorize_ids, parse_times
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
    if config is not None and not isinstance(config, Config):
        raise TypeError("config must be a crmkit.Config, got %s (give options as keywords: rfm_bins=4)"
                        % type(config).__name__)
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


def _label(what, names, key):
    """How messages name a column: "transactions column 'CustID'"."""
    return "%s column %r" % (what, names.get(key, key))


def _views(cols, spec, what, day_offset, keep, names=None):
    """{name: ColumnView or None} of the given columns, all of one length."""
    names = names or {}
    views = {}
    for name, kind, required in spec:
        obj = cols.get(name)
        if obj is None:
            views[name] = None
            continue
        label = names.get(name, name if what == "transactions" else "%s.%s" % (what, name))
        views[name] = column(obj, kind, label, day_offset, CODES.get(name))
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


def _names_of(mapping, spec, what):
    """A {crmkit column: the caller's column name} mapping, checked."""
    if mapping is None:
        return {}
    if not hasattr(mapping, "items"):
        raise TypeError("%s_columns: a dict {crmkit column: your column name}" % what)
    known = [n for n, _, _ in spec]
    out = {}
    for key, value in mapping.items():
        if key not in known:
            raise KeyError("%s_columns: %r is not a column of the %s (columns: %s)"
                           % (what, key, what, ", ".join(known)))
        if not isinstance(value, str):
            raise TypeError("%s_columns[%r]: a column name (a str), got %s" % (what, key, type(value).__name__))
        out[key] = value
    return out


def _transaction_table(columns, customer_id, time, amount, cost, discount):
    """(cols, names) of the transactions: cols {crmkit column: column or
    None}, names {crmkit column: the caller's column name} for a table whose
    columns were selected by name (analyze(df, customer_id="CustID"))."""
    if len(columns) == 1:
        table = columns[0]
        names = {}
        for key, value in (("customer_id", customer_id), ("time", time), ("amount", amount), ("cost", cost),
                           ("discount", discount)):
            if value is None or (key in ("cost", "discount") and not isinstance(value, str)):
                continue
            if not isinstance(value, str):
                raise TypeError("analyze(table, %s=...): with a table, %s= names its column (a str), got %s"
                                % (key, key, type(value).__name__))
            names[key] = value
        cols = table_columns(table, [(n, r) for n, _, r in TRANSACTION_COLUMNS], "transactions", names)
        if cols is None:
            raise TypeError("analyze(table): a DataFrame / mapping / structured array, got %s"
                            % type(table).__name__)
        for key, value in (("cost", cost), ("discount", discount)):
            if value is not None and not isinstance(value, str):
                if cols[key] is not None:
                    raise TypeError("%s is both a column of the transactions and an argument" % key)
                cols[key] = value
        return cols, names
    if len(columns) == 3:
        if customer_id is not None or time is not None or amount is not None:
            raise TypeError("analyze(customer_id, time, amount): each column given once")
        customer_id, time, amount = columns
    elif columns:
        raise TypeError("analyze() takes one table or three columns (customer_id, time, amount), got %d "
                        "positional arguments" % len(columns))
    if customer_id is None and time is None and amount is None:
        if cost is not None or discount is not None:
            raise TypeError("cost and discount go with the transaction columns")
        return None, {}
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
        return cols, {}
    if customer_id is None or time is None or amount is None:
        raise TypeError("analyze(): customer_id, time and amount go together")
    return {"customer_id": customer_id, "time": time, "amount": amount, "cost": cost, "discount": discount}, {}


def _default_names(table, names, spec, shared):
    """names completed by the transactions' names of customer_id / time
    (shared) where the table has that column and names does not say."""
    out = dict(names)
    cols = _column_names(table)
    for key, value in shared.items():
        if key not in out and value in cols and key in [n for n, _, _ in spec]:
            out[key] = value
    return out


def _column_names(table):
    np = numpy_module()
    if np is not None and isinstance(table, np.ndarray) and table.dtype.names:
        return list(table.dtype.names)
    if hasattr(table, "columns"):
        return [str(c) for c in table.columns]
    if hasattr(table, "keys"):
        return [str(k) for k in table.keys()]
    return []


def _interaction_table(interactions, names):
    if interactions is None:
        return None
    keys = [n for n, _, _ in INTERACTION_COLUMNS]
    cols = table_columns(interactions, [(n, r) for n, _, r in INTERACTION_COLUMNS], "interactions", names)
    if cols is None:
        if isinstance(interactions, (tuple, list)) and 3 <= len(interactions) <= len(keys):
            cols = dict(zip(keys, list(interactions) + [None] * (len(keys) - len(interactions))))
        else:
            raise TypeError("interactions: a DataFrame / mapping / structured array with columns customer_id, "
                            "time, kind[, value][, ref][, purpose], or a tuple of those columns")
    return cols


def _customer_table(customers, names):
    if customers is None:
        return None
    cols = table_columns(customers, [(n, r) for n, _, r in CUSTOMER_COLUMNS], "customers", names)
    if cols is None:
        raise TypeError("customers: a DataFrame / mapping / structured array with columns customer_id"
                        "[, birthday][, relationship_start][, money][, authority][, need][, targeted]")
    return cols


def _prepare_times(cols, what, names, time_format):
    """The time column of cols parsed with time_format, or checked for
    YYYYMMDD integers when there is no format."""
    if cols is None or cols.get("time") is None:
        return
    label = _label(what, names, "time")
    if time_format is not None:
        cols["time"] = parse_times(cols["time"], label, time_format)
    else:
        check_integer_times(cols["time"], label)


def _tx_view(cols, names, day_offset, keep):
    views, n = _views(cols, TRANSACTION_COLUMNS, "transactions", day_offset, keep, names)
    c, t, a = views["customer_id"], views["time"], views["amount"]
    args = (_ptr(c, U64_P), c.stride, _ptr(t, I64_P), t.stride, _ptr(a, F64_P), a.stride, n)
    return _view(_ffi.crm_transactions, C.crm_transactions_from_columns_sized, args, C.crm_transactions_set_column,
                 views, TRANSACTION_COLUMNS)


def _ix_view(cols, names, day_offset, keep):
    views, n = _views(cols, INTERACTION_COLUMNS, "interactions", day_offset, keep, names)
    c, t, k = views["customer_id"], views["time"], views["kind"]
    args = (_ptr(c, U64_P), c.stride, _ptr(t, I64_P), t.stride, _ptr(k, I32_P), k.stride, n)
    return _view(_ffi.crm_interactions, C.crm_interactions_from_columns_sized, args, C.crm_interactions_set_column,
                 views, INTERACTION_COLUMNS)


def _cu_view(cols, names, keep):
    views, n = _views(cols, CUSTOMER_COLUMNS, "customers", 0, keep, names)
    c = views["customer_id"]
    return _view(_ffi.crm_customers, C.crm_customers_from_columns_sized, (_ptr(c, U64_P), c.stride, n),
                 C.crm_customers_set_column, views, CUSTOMER_COLUMNS)


class _Inputs(object):
    """The three inputs as the library's views, and the original customer
    ids when they were factorised (ids[key]), else None."""

    def __init__(self, columns, customer_id, time, amount, cost, discount, interactions, customers, cfg, keep,
                 interactions_columns=None, customers_columns=None, time_format=None, factorize=True,
                 check_times=True):
        day_offset = cfg.get("day_offset")
        tx, names = _transaction_table(columns, customer_id, time, amount, cost, discount)
        shared = {k: v for k, v in names.items() if k in ("customer_id", "time")}
        ix_names = _names_of(interactions_columns, INTERACTION_COLUMNS, "interactions")
        cu_names = _names_of(customers_columns, CUSTOMER_COLUMNS, "customers")
        if interactions is not None:
            ix_names = _default_names(interactions, ix_names, INTERACTION_COLUMNS, shared)
        if customers is not None:
            cu_names = _default_names(customers, cu_names, CUSTOMER_COLUMNS, shared)
        ix = _interaction_table(interactions, ix_names)
        cu = _customer_table(customers, cu_names)
        if tx is None and ix is None and cu is None:
            raise TypeError("transactions, interactions or customers are needed")
        tables = (("transactions", tx, names), ("interactions", ix, ix_names), ("customers", cu, cu_names))
        id_columns = [(_label(w, n, "customer_id"), t["customer_id"] if t is not None else None)
                      for w, t, n in tables]
        ids_in, self.ids = factorize_ids(id_columns)
        if self.ids is not None and not factorize:
            raise TypeError("%s: customer ids must be integers here (every partition must use the same ids); "
                            "map them to integers first" % next(l for l, c in id_columns if c is not None))
        for (w, t, n), ids in zip(tables, ids_in):
            if t is not None:
                t["customer_id"] = ids
        if check_times or time_format is not None:
            _prepare_times(tx, "transactions", names, time_format)
            _prepare_times(ix, "interactions", ix_names, time_format)
        self.tx = _tx_view(tx, names, day_offset, keep) if tx is not None else None
        self.ix = _ix_view(ix, ix_names, day_offset, keep) if ix is not None else None
        self.cu = _cu_view(cu, cu_names, keep) if cu is not None else None
        keep.extend(v for v in (self.tx, self.ix, self.cu) if v is not None)

    def refs(self):
        return tuple(ctypes.byref(v) if v is not None else None for v in (self.tx, self.ix, self.cu))


def analyze(*columns: Any, customer_id: Any = None, time: Any = None, amount: Any = None,
            interactions: Any = None, customers: Any = None, as_of: Any = None, config: Optional[Config] = None,
            cost: Any = None, discount: Any = None, progress: Optional[Callable[[str, int, int], Any]] = None,
            interactions_columns: Optional[Mapping[str, str]] = None,
            customers_columns: Optional[Mapping[str, str]] = None, time_format: Optional[str] = None,
            **options: Any) -> Result:
    """Analyse transactions, interactions and customer attributes: crm_analyze.

    Transactions: three columns customer_id, time, amount (sequences,
    array.array, numpy arrays of any stride, pandas Series; positional or
    as the keywords customer_id=, time=, amount=), or one DataFrame /
    mapping / numpy structured array as the only positional argument, its
    columns named customer_id, time, amount[, cost][, discount] or selected
    by the keywords as names: analyze(df, customer_id="CustID", time="Date",
    amount="Total"). time: int seconds since the epoch (UTC), numpy or
    pandas datetime64 of any resolution (naive: UTC; tz-aware: converted to
    UTC), datetime, date, ISO strings, or with time_format= (a strptime
    format) strings and integers such as 19970101 ("%Y%m%d"). An integer
    time column whose values all lie in 19000101..21001231 is refused
    (ValueError hinting time_format="%Y%m%d"). Optional columns cost and
    discount (numbers) are used when the table has them, or given as cost=
    and discount= (columns, or names with a table).

    Customer ids: integers go to the library as they are; ids of any other
    hashable type (strings such as "C-001" or "00017", categoricals,
    objects) are factorised with one mapping shared by the three inputs, and
    the Result shows the original ids (Result.ids). A missing id raises
    ValueError, ids of mixed types TypeError, both naming the column and
    the first offending row.

    interactions_columns= / customers_columns=: {crmkit column: your column
    name} for those frames; without them the names given for customer_id
    and time apply to every frame that has a column of that name.

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
    inputs = _Inputs(columns, customer_id, time, amount, cost, discount, interactions, customers, cfg, keep,
                     interactions_columns, customers_columns, time_format)
    tx, ix, cu = inputs.refs()
    out = ctypes.POINTER(_ffi.crm_result)()
    err = new_error()
    with Interruptible(cfg, progress) as guard:
        status = C.crm_analyze(cfg.handle, tx, ix, cu, ctypes.byref(out), ctypes.byref(err))
    guard.check(status)
    check(status, err, "crm_analyze")
    del keep  # the input buffers were needed until here
    return Result(out, ids=inputs.ids)


def calibration_split(*columns: Any, calibration_end: Any = None, holdout_end: Any = None,
                      customer_id: Any = None, time: Any = None, amount: Any = None, config: Optional[Config] = None,
                      time_format: Optional[str] = None, **options: Any) -> Result:
    """crm_calibration_split: a Result with x, t_x, T, repeat_spend (up to
    calibration_end) and holdout_purchases, holdout_spend and holdout_duration
    (to holdout_end; the duration in time units) per customer. The ends
    accept what as_of accepts (a date means its last second). Transactions as analyze() takes them (three columns, or one table with
    customer_id=, time=, amount= naming its columns; ids of any type;
    time_format=); calibration_end and holdout_end may also follow three
    columns positionally."""
    if len(columns) == 5:
        if calibration_end is not None or holdout_end is not None:
            raise TypeError("calibration_split(): calibration_end and holdout_end given twice")
        columns, calibration_end, holdout_end = columns[:3], columns[3], columns[4]
    if calibration_end is None or holdout_end is None:
        raise TypeError("calibration_split() needs calibration_end and holdout_end")
    keep = []
    cfg = _make_config(config, dict(options), None)
    day_offset = cfg.get("day_offset")
    inputs = _Inputs(columns, customer_id, time, amount, None, None, None, None, cfg, keep, time_format=time_format)
    if inputs.tx is None:
        raise TypeError("calibration_split() needs transactions")
    cal = to_seconds_int64(calibration_end, day_offset, True, "calibration_end")
    hold = to_seconds_int64(holdout_end, day_offset, True, "holdout_end")
    out = ctypes.POINTER(_ffi.crm_result)()
    err = new_error()
    check(C.crm_calibration_split(cfg.handle, ctypes.byref(inputs.tx), cal, hold, ctypes.byref(out),
                                  ctypes.byref(err)), err, "crm_calibration_split")
    del keep
    return Result(out, ids=inputs.ids)


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


def summarize(*columns: Any, customer_id: Any = None, time: Any = None, amount: Any = None,
              interactions: Any = None, customers: Any = None, as_of: Any = None, config: Optional[Config] = None,
              cost: Any = None, discount: Any = None, interactions_columns: Optional[Mapping[str, str]] = None,
              customers_columns: Optional[Mapping[str, str]] = None, time_format: Optional[str] = None,
              _check_times: bool = True, **options: Any) -> "Summary":
    """crm_summarize: one partition of a partitioned analysis. Arguments as
    analyze(), except that customer ids must be integers (the partitions
    must share them); every partition must use the same configuration and
    as-of time (give as_of: the default depends on the data). See Population.
    (_check_times=False: the caller has checked the whole integer time
    column for YYYYMMDD values, as crmkit.dask does across partitions.)"""
    keep = []
    cfg = _make_config(config, dict(options), as_of)
    inputs = _Inputs(columns, customer_id, time, amount, cost, discount, interactions, customers, cfg, keep,
                     interactions_columns, customers_columns, time_format, factorize=False,
                     check_times=_check_times)
    tx, ix, cu = inputs.refs()
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
        if not isinstance(summary, Summary):
            raise TypeError("Population.add() takes a Summary (from crmkit.summarize()), got %s"
                            % type(summary).__name__)
        err = new_error()
        check(C.crm_population_add(self.handle, summary.handle, ctypes.byref(err)), err, "crm_population_add")
        return self

    def finish(self):
        err = new_error()
        check(C.crm_population_finish(self.handle, ctypes.byref(err)), err, "crm_population_finish")
        return self

    def merge(self, other):
        """Add what another unfinished Population gathered (e.g. a
        partition's contribution from from_bytes): crm_population_merge.
        Merging and then finishing equals adding every summary to one
        population."""
        if not isinstance(other, Population):
            raise TypeError("Population.merge() takes a Population, got %s" % type(other).__name__)
        err = new_error()
        check(C.crm_population_merge(self.handle, other.handle, ctypes.byref(err)), err, "crm_population_merge")
        return self

    def to_bytes(self):
        """The population in the library's versioned, checksummed byte format
        (crm_population_save): before finish() a partition's contribution
        (O(customers) bytes), after it the finished statistics score() reads."""
        size = ctypes.c_size_t()
        err = new_error()
        check(C.crm_population_save(self.handle, None, 0, ctypes.byref(size), ctypes.byref(err)), err,
              "crm_population_save")
        buf = ctypes.create_string_buffer(size.value)
        check(C.crm_population_save(self.handle, buf, size.value, ctypes.byref(size), ctypes.byref(err)), err,
              "crm_population_save")
        return buf.raw[:size.value]

    @classmethod
    def from_bytes(cls, data, config=None, as_of=None, **options):
        """A population from to_bytes's bytes (crm_population_load), under the
        configuration it was made with (config and options as for
        Population(); the bytes do not carry them). A finished one scores
        summaries with the content of those added before saving, made here
        or elsewhere. crmkit.Error with status CRM_STATUS_CORRUPT for
        damaged bytes, CRM_STATUS_VERSION for a newer format."""
        cfg = _make_config(config, dict(options), as_of)
        raw = bytes(data)
        buf = raw if raw else None  # read in place: the library only reads len(raw) bytes
        out = ctypes.POINTER(_ffi.crm_population)()
        err = new_error()
        check(C.crm_population_load(cfg.handle, buf, len(raw), ctypes.byref(out), ctypes.byref(err)), err,
              "crm_population_load")
        self = cls.__new__(cls)
        Handle.__init__(self, out)
        return self

    def score(self, summary):
        if not isinstance(summary, Summary):
            raise TypeError("Population.score() takes a Summary (from crmkit.summarize()), got %s"
                            % type(summary).__name__)
        out = ctypes.POINTER(_ffi.crm_result)()
        err = new_error()
        check(C.crm_score(self.handle, summary.handle, ctypes.byref(out), ctypes.byref(err)), err, "crm_score")
        return Result(out)

"""crmkit.Result: the columnar result table of an analysis."""

import collections
import ctypes
import math
from typing import Any, Dict, List, Optional

from . import _ffi
from ._convert import day_to_date
from ._handle import Handle
from ._loader import C, check, new_error
from ._names import (column_id, column_names, column_units, dim_id, fate_names, flag_position, flags_of, input_id,
                     metric_id, metric_names, model_kind)

CTYPE_OF = {
    _ffi.CRM_TYPE_U64: ctypes.c_uint64,
    _ffi.CRM_TYPE_I64: ctypes.c_int64,
    _ffi.CRM_TYPE_I32: ctypes.c_int32,
    _ffi.CRM_TYPE_F64: ctypes.c_double,
}
NUMPY_OF = {
    _ffi.CRM_TYPE_U64: "uint64",
    _ffi.CRM_TYPE_I64: "int64",
    _ffi.CRM_TYPE_I32: "int32",
    _ffi.CRM_TYPE_F64: "float64",
}
NO_DAY = _ffi.CRM_NO_DAY

Group = collections.namedtuple("Group", "customers revenue")


def _unit(column):
    """crm_unit of a column (name or id), from crm_column_unit."""
    cid = column_id(column)
    units = column_units()
    return units[cid] if 0 <= cid < len(units) else _ffi.CRM_UNIT_NONE


def is_day_column(column):
    """A day-number column (CRM_UNIT_DAY): first_purchase, last_call, ..."""
    return _unit(column) == _ffi.CRM_UNIT_DAY


def is_bool_column(column):
    """A 0/1 column (CRM_UNIT_BOOL): contact_overdue, unsubscribed."""
    return _unit(column) == _ffi.CRM_UNIT_BOOL


def is_enum_column(column):
    """Codes named by crm_result_label (CRM_UNIT_ENUM): segment, value_tier, ..."""
    return _unit(column) == _ffi.CRM_UNIT_ENUM


def is_days_column(column):
    """A whole-day difference column (CRM_UNIT_DAYS stored as int32:
    tenure_days, recency_days): CRM_NO_DAY where it does not apply."""
    return _unit(column) == _ffi.CRM_UNIT_DAYS and C.crm_column_type(column_id(column)) == _ffi.CRM_TYPE_I32


def is_count32_column(column):
    """A count stored as int32 (CRM_UNIT_COUNT: relationship_years,
    man_known): CRM_NO_DAY where it does not apply."""
    return _unit(column) == _ffi.CRM_UNIT_COUNT and C.crm_column_type(column_id(column)) == _ffi.CRM_TYPE_I32


class _Keeper(object):
    """Owns a C result whose models were lent out: a borrowed model keeps it
    (and so the model's memory) alive after Result.close()."""

    __slots__ = ("_h",)

    def __init__(self, handle):
        self._h = handle

    def __del__(self):
        h, self._h = self._h, None
        if h:
            try:
                C.crm_result_free(h)
            except Exception:  # interpreter shutdown
                pass


class Result(Handle):
    """One row per customer, sorted by customer id; columns by name.

    result["recency_days"]      list of the raw C values (codes for enumeration
                                columns, day numbers, CRM_NO_DAY, NaN)
    result.column(name, names=True, dates=True)
                                enumeration columns as names, churn_flags as
                                tuples of flag names, booleans as bool, day
                                columns as datetime.date (None for CRM_NO_DAY)
    len(result), result.columns, iter(result) (column names), name in result
    to_dict(), to_numpy(), to_pandas(), records(), cut_points(), group(),
    metric(), metrics(), whale_curve(), model(), find(), row(), labels()
    """

    _free = "crm_result_free"
    _noun = "result"

    def __init__(self, handle, ids=None):
        Handle.__init__(self, handle)
        self._refs = 0
        # the original customer ids when analyze() factorised them: ids[key]
        self._ids = ids
        self._keys = None

    @property
    def ids(self) -> Optional[List[Any]]:
        """The original customer ids in row order when analyze() factorised
        them (string ids, ...), else None (the customer_id column holds the
        caller's integer ids)."""
        if self._ids is None:
            return None
        return [self._ids[k] for k in self._raw("customer_id")[0]]

    def _key_of(self, customer_id):
        if self._ids is None:
            key = int(customer_id)
            if not 0 <= key <= (1 << 64) - 1:  # ctypes would wrap it
                raise ValueError("customer id %r is outside the uint64 range of customer ids" % (customer_id,))
            return key
        if self._keys is None:
            self._keys = {v: k for k, v in enumerate(self._ids)}
        return self._keys.get(customer_id)

    def close(self):
        """Free the C result now (models taken from it keep it alive)."""
        if getattr(self, "_keeper", None) is not None:
            # models borrowed from this result hold the keeper, which frees the
            # C result once the last of them is gone
            self._h = None
            self._keeper = None
            return
        Handle.close(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---- shape ----
    def __len__(self):
        return int(C.crm_result_rows(self.handle))

    @property
    def rows(self):
        return len(self)

    @property
    def columns(self):
        """Names of the columns present, in column-id order."""
        h = self.handle
        return [n for i, n in enumerate(column_names()) if n and C.crm_result_has_column(h, i)]

    def __iter__(self):
        return iter(self.columns)

    def keys(self):
        return self.columns

    def __contains__(self, name):
        try:
            return bool(C.crm_result_has_column(self.handle, column_id(name)))
        except KeyError:
            return False

    # ---- columns ----
    def _raw(self, name):
        """(ctypes array over the borrowed C column, type id, column id)."""
        cid = column_id(name)
        ctype = ctypes.c_int()
        data = ctypes.c_void_p()
        err = new_error()
        check(C.crm_result_column(self.handle, cid, ctypes.byref(ctype), ctypes.byref(data), ctypes.byref(err)),
              err, "crm_result_column")
        n = len(self)
        if n == 0 or not data.value:
            return (CTYPE_OF[ctype.value] * 0)(), ctype.value, cid
        return (CTYPE_OF[ctype.value] * n).from_address(data.value), ctype.value, cid

    def __getitem__(self, name):
        if not isinstance(name, (str, int)):
            raise TypeError("columns are indexed by name (or column id)")
        return self.column(name)

    def column(self, name: str, names: bool = False, dates: bool = False) -> List[Any]:
        """A column as a list. names=True: enumeration columns give their
        names (crm_result_label), churn_flags tuples of flag names, boolean
        columns bool. dates=True: day columns give datetime.date, None for
        CRM_NO_DAY."""
        arr, t, cid = self._raw(name)
        values = list(arr)
        if cid == _ffi.CRM_COLUMN_CUSTOMER_ID and self._ids is not None:
            return [self._ids[k] for k in values]
        if names:
            if is_enum_column(cid):
                labels = self.labels(cid)
                values = [labels.get(v, v) for v in values]
            elif is_bool_column(cid):
                values = [bool(v) for v in values]
            elif cid == _ffi.CRM_COLUMN_CHURN_FLAGS:
                values = [flags_of(v) for v in values]
        if dates and is_day_column(cid):
            values = [None if v == NO_DAY else day_to_date(v) for v in values]
        return values

    def labels(self, column):
        """{code: name} of an enumeration column of this result, codes
        0..crm_result_label_count - 1 (the rule names of a caller segment map
        included)."""
        cid = column_id(column)
        h = self.handle
        n = int(C.crm_result_label_count(h, cid))
        if n <= 0:
            raise ValueError("%s is not an enumeration column" % (column,))
        out = {}
        for v in range(n):
            label = C.crm_result_label(h, cid, v)
            if label is not None:
                out[v] = label.decode("utf-8")
        return out

    def label(self, column, value):
        label = C.crm_result_label(self.handle, column_id(column), int(value))
        return label.decode("utf-8") if label is not None else None

    def to_dict(self, names: bool = False, dates: bool = False) -> Dict[str, List[Any]]:
        """{column name: list}, every column present."""
        return {c: self.column(c, names=names, dates=dates) for c in self.columns}

    def array(self, name):
        """One column as a numpy array (a copy owned by numpy)."""
        np = _numpy()
        arr, t, cid = self._raw(name)
        if cid == _ffi.CRM_COLUMN_CUSTOMER_ID and self._ids is not None:
            # the original ids (object dtype unless numpy finds a better one)
            ids = np.empty(len(self._ids), dtype=object)
            ids[:] = self._ids
            return ids[np.frombuffer(arr, dtype="uint64").astype("int64")] if len(arr) else ids[:0]
        if len(arr) == 0:
            return np.zeros(0, dtype=NUMPY_OF[t])
        return np.frombuffer(arr, dtype=NUMPY_OF[t]).copy()

    def to_numpy(self) -> Dict[str, Any]:
        """{column name: numpy array} with the C types (uint64, int64, int32,
        float64; raw codes and day numbers). Needs numpy."""
        return {c: self.array(c) for c in self.columns}

    def to_pandas(self, index: bool = False) -> Any:
        """One pandas DataFrame, a row per customer and customer_id a column
        (index=True: the index instead, named customer_id). customer_id holds
        the original ids (strings, ...) when analyze() factorised them.
        Enumeration columns become Categoricals of their names (every defined
        name a category, in code order); boolean columns bool; day columns
        datetime64 (NaT for CRM_NO_DAY); whole-day differences
        (tenure_days, recency_days, ...) and int32 counts (relationship_years,
        man_known) nullable Int32 (<NA> for CRM_NO_DAY);
        churn_flags stays the uint64 bit set, bit 1 << position per flag
        (crmkit.flags_of() names it).
        Needs pandas."""
        np = _numpy()
        pd = _pandas()
        data = collections.OrderedDict()
        for c in self.columns:
            a = self.array(c)
            cid = column_id(c)
            if is_bool_column(cid):
                data[c] = a.astype(bool)
            elif is_enum_column(cid):
                labels = self.labels(cid)
                cats = []
                for name in labels.values():
                    if name not in cats:
                        cats.append(name)
                codes = np.full(len(a), -1, dtype="int64")
                for v in np.unique(a):
                    if int(v) in labels:
                        codes[a == v] = cats.index(labels[int(v)])
                data[c] = pd.Categorical.from_codes(codes, categories=cats)
            elif is_day_column(cid):
                days = a.astype("int64")
                days[a == NO_DAY] = np.iinfo("int64").min
                data[c] = days.view("datetime64[D]")
            elif is_days_column(cid) or is_count32_column(cid):
                mask = a == NO_DAY
                s = pd.array(np.where(mask, 0, a), dtype="Int32")
                if mask.any():
                    s[mask] = pd.NA
                data[c] = s
            else:
                data[c] = a
        df = pd.DataFrame(data)
        if index and "customer_id" in df.columns:
            df = df.set_index("customer_id")
        return df

    # ---- rows ----
    def find(self, customer_id: Any) -> Optional[int]:
        """Row index of a customer id, or None."""
        key = self._key_of(customer_id)
        if key is None:
            return None
        r = C.crm_result_find(self.handle, key)
        return None if r < 0 else int(r)

    def row(self, index: int, names: bool = True, dates: bool = True) -> Dict[str, Any]:
        """One row as {column: value} (names and dates as in column())."""
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("row %d of %d" % (index, n))
        out = {}
        for c in self.columns:
            arr, t, cid = self._raw(c)
            v = arr[index]
            if cid == _ffi.CRM_COLUMN_CUSTOMER_ID and self._ids is not None:
                v = self._ids[v]
            elif names and is_enum_column(cid):
                v = self.label(cid, v) or v
            elif names and is_bool_column(cid):
                v = bool(v)
            elif names and cid == _ffi.CRM_COLUMN_CHURN_FLAGS:
                v = flags_of(v)
            if dates and is_day_column(cid):
                v = None if v == NO_DAY else day_to_date(v)
            out[c] = v
        return out

    # ---- population figures ----
    @property
    def as_of(self):
        """The as-of time, seconds since the epoch."""
        return int(C.crm_result_as_of(self.handle))

    @property
    def as_of_day(self):
        return int(C.crm_result_as_of_day(self.handle))

    @property
    def as_of_date(self):
        return day_to_date(self.as_of_day)

    def records(self, input: str = "transactions") -> Dict[str, int]:
        """Record accounting of one input ("transactions", "interactions" or
        "customers"): {fate name: count} over every fate the library has,
        "accepted" first; the counts sum to records_total(input)."""
        h = self.handle
        iid = input_id(input)
        return {name: int(C.crm_result_records(h, iid, i)) for i, name in enumerate(fate_names()) if name}

    def records_total(self, input="transactions"):
        return int(C.crm_result_records_total(self.handle, input_id(input)))

    def cut_points(self, dim):
        """RFM cut points t_2..t_k of dimension "r", "f" or "m" (floats;
        +/-inf for a score no customer reached)."""
        cap = 16
        buf = (ctypes.c_double * cap)()
        n = ctypes.c_size_t()
        err = new_error()
        check(C.crm_result_cut_points(self.handle, dim_id(dim), buf, cap, ctypes.byref(n), ctypes.byref(err)),
              err, "crm_result_cut_points")
        if n.value > cap:
            buf = (ctypes.c_double * n.value)()
            check(C.crm_result_cut_points(self.handle, dim_id(dim), buf, n.value, ctypes.byref(n),
                                          ctypes.byref(err)), err, "crm_result_cut_points")
        return [buf[i] for i in range(n.value)]

    def group(self, column, value):
        """Group(customers, revenue) of the rows whose enumeration column has
        value, or, for churn_flags, that carry the flag value.

        value is a code (for churn_flags a flag position) or a name, e.g.
        group("segment", "Champions"), group("churn_flags", "inactive"). A
        name counts every code carrying it: a caller segment map may give one
        segment name to several rules, and the group is then their union
        (customers summed, revenue summed)."""
        cid = column_id(column)
        if isinstance(value, str):
            if cid == _ffi.CRM_COLUMN_CHURN_FLAGS:
                codes = [flag_position(value)]
            else:
                labels = self.labels(cid)
                codes = [v for v, n in sorted(labels.items()) if n == value]
                if not codes:
                    raise KeyError("%s has no value named %r (values: %s)"
                                   % (column, value, ", ".join(sorted(set(labels.values())))))
        else:
            codes = [int(value)]
        customers, revenue = 0, []
        for code in codes:
            n = ctypes.c_int64()
            r = ctypes.c_double()
            err = new_error()
            check(C.crm_result_group(self.handle, cid, code, ctypes.byref(n), ctypes.byref(r), ctypes.byref(err)),
                  err, "crm_result_group")
            customers += int(n.value)
            revenue.append(r.value)
        return Group(customers, revenue[0] if len(revenue) == 1 else math.fsum(revenue))

    def metric(self, name: str) -> float:
        """A population figure by name ("customers", "revenue",
        "recovery_rate", ...); NaN when undefined."""
        return float(C.crm_result_metric(self.handle, metric_id(name)))

    def metrics(self):
        return {n: self.metric(i) for i, n in enumerate(metric_names()) if n}

    def whale_curve(self, numpy=False):
        """The whale curve (crm_result_whale_curve): customers with a
        purchase day and a profit, the most profitable first (ties by id);
        returns (customer_share, profit_share), point i = (i / n, cumulative
        profit of the first i / total profit) for i = 0..n. Lists of floats,
        or two float64 numpy arrays with numpy=True. Raises crmkit.Error
        (status not_found) when the analysis had no cost column."""
        n = ctypes.c_size_t()
        err = new_error()
        check(C.crm_result_whale_curve(self.handle, None, None, 0, ctypes.byref(n), ctypes.byref(err)), err,
              "crm_result_whale_curve")
        cap = n.value
        if numpy:
            np = _numpy()
            xs = np.zeros(cap, dtype="float64")
            ys = np.zeros(cap, dtype="float64")
            px = xs.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
            py = ys.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
        else:
            xs = px = (ctypes.c_double * cap)()
            ys = py = (ctypes.c_double * cap)()
        check(C.crm_result_whale_curve(self.handle, px, py, cap, ctypes.byref(n), ctypes.byref(err)), err,
              "crm_result_whale_curve")
        if numpy:
            return xs, ys
        return list(xs), list(ys)

    def model(self, kind: str) -> Any:
        """The model fitted by the analysis ("bgnbd", "mbgnbd", "pareto_nbd",
        "gamma_gamma"), or None when the analysis did not fit it."""
        from ._models import Model
        ptr = C.crm_result_model(self.handle, model_kind(kind))
        if not ptr:
            return None
        if getattr(self, "_keeper", None) is None:
            self._keeper = _Keeper(self._h)  # from now on the keeper frees the C result
        return Model(ptr, owner=self._keeper)

    def __repr__(self):
        if not self._h:
            return "<crmkit.Result closed>"
        return "<crmkit.Result %d customers, %d columns, as of %s%s>" % (
            len(self), len(self.columns), self.as_of_date,
            ", %d ids factorised" % len(self._ids) if self._ids is not None else "")


def _numpy():
    try:
        import numpy
    except ImportError:
        raise ImportError("this needs numpy, which is not installed")
    return numpy


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError("to_pandas() needs pandas, which is not installed")
    return pandas


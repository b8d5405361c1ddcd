"""Inputs as analysts have them: customer ids of any hashable type and times
in the forms a CSV or a DataFrame gives them.

Customer ids: integer columns (int/uint numpy or pandas dtypes, nullable
Int64 without missing values, lists of ints) go to the library as they are.
Any other ids (strings such as 'C-001' or '00017', categoricals, objects) are
factorised to the keys 0..n-1 with one mapping shared by transactions,
interactions and customers; the Result maps the keys back to the original ids.
This module only converts: nothing the library computes is computed here.
"""

import datetime
import numbers

from ._convert import _datetime_seconds, is_bool, is_missing, is_series, numpy_module, pandas_module

# An integer time column whose values all lie here is taken for YYYYMMDD dates.
YYYYMMDD_MIN = 19000101
YYYYMMDD_MAX = 21001231


def _where(obj, i):
    """' row 3' or ' row 3 (index 'x')' for position i of obj."""
    if is_series(obj):
        try:
            label = obj.index[i]
            if label != i:
                return " row %d (index %r)" % (i, label)
        except Exception:  # noqa: BLE001 - the label is a courtesy only
            pass
    return " row %d" % i


def _values(obj):
    """The values of a column as a Python list (categoricals as their values)."""
    pd = pandas_module()
    if pd is not None and is_series(obj):
        return obj.astype(object).tolist()  # categoricals: their values
    np = numpy_module()
    if np is not None and isinstance(obj, np.ndarray):
        return obj.tolist()
    return list(obj)


def _is_integer_column(obj):
    """True when obj is a column of integers the library reads as ids as is."""
    np = numpy_module()
    pd = pandas_module()
    if pd is not None and is_series(obj):
        dt = obj.dtype
        if isinstance(dt, pd.CategoricalDtype):
            return False
        if getattr(dt, "kind", "O") in "iu":
            return not (not isinstance(dt, np.dtype) and bool(obj.isna().any()))
        if getattr(dt, "kind", "O") != "O":
            return False
        obj = obj.to_numpy()
    if np is not None and isinstance(obj, np.ndarray):
        if obj.dtype.kind in "iu":
            return True
        if obj.dtype.kind != "O":
            return False
        obj = obj.tolist()
    if hasattr(obj, "typecode"):  # array.array
        return obj.typecode not in "fd"
    try:
        values = obj if isinstance(obj, (list, tuple)) else list(obj)
    except TypeError:
        return True  # not a sequence: column() says what is wrong
    return all(isinstance(v, numbers.Integral) and not is_bool(v) for v in values)


def _family(v):
    if isinstance(v, str):
        return "str"
    if isinstance(v, bytes):
        return "bytes"
    if isinstance(v, numbers.Integral) and not is_bool(v):
        return "int"
    if isinstance(v, numbers.Real) and not is_bool(v):
        return "int" if float(v).is_integer() else "float"
    return type(v).__name__


def factorize_ids(columns):
    """columns: [(label, column or None)], label the user's name of the
    column for messages. Returns (columns, ids): the columns unchanged and
    ids None when every present one is an integer column; else each column
    as a list of keys and ids the list of original ids (ids[key]), sorted
    when the ids are orderable, in order of appearance otherwise.

    Raises ValueError naming the column and the first row of a missing id,
    TypeError for ids of mixed types (strings and numbers, ...)."""
    present = [(label, c) for label, c in columns if c is not None]
    if all(_is_integer_column(c) for _, c in present):
        return [c for _, c in columns], None
    for label, c in present:
        # booleans are not ids (pandas would even take True for 1)
        if getattr(getattr(c, "dtype", None), "kind", None) == "b":
            raise TypeError("%s: customer ids must not be booleans" % label)
        for i, v in enumerate(_values(c) if getattr(getattr(c, "dtype", None), "kind", "O") == "O" else ()):
            if is_bool(v):
                raise TypeError("%s%s: customer ids must not be booleans, got %r" % (label, _where(c, i), v))
    if numpy_module() is not None and pandas_module() is not None:
        fast = _factorize_pandas(columns)
        if fast is not None:
            return fast
    lists = []
    family = None
    first = None
    for label, c in columns:
        if c is None:
            lists.append(None)
            continue
        values = _values(c)
        for i, v in enumerate(values):
            if is_missing(v):
                raise ValueError("%s%s: the customer id is missing (%r)" % (label, _where(c, i), v))
            try:
                hash(v)
            except TypeError:
                raise TypeError("%s%s: customer ids must be hashable, got %s" % (label, _where(c, i),
                                                                                type(v).__name__))
            f = _family(v)
            if family is None:
                family, first = f, (label, i, v)
            elif f != family:
                raise TypeError("%s%s: customer id %r (%s) mixed with ids of type %s (%r,%s of %s); give ids "
                                "of one type" % (label, _where(c, i), v, f, family, first[2],
                                                 " row %d" % first[1], first[0]))
        lists.append(values)
    seen = {}
    for values in lists:
        if values is not None:
            for v in values:
                if v not in seen:
                    seen[v] = len(seen)
    ids = list(seen)
    try:
        ids.sort()
    except TypeError:
        pass  # not orderable: order of appearance
    key = {v: k for k, v in enumerate(ids)}
    out = [None if values is None else [key[v] for v in values] for values in lists]
    return out, ids


def _object_array(np, pd, c):
    if is_series(c):
        return c.to_numpy(dtype=object)  # categoricals: their values
    if isinstance(c, np.ndarray):
        return c.astype(object) if c.dtype != object else c
    values = c if isinstance(c, (list, tuple)) else list(c)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _factorize_pandas(columns):
    """factorize_ids with pandas.factorize: the same keys and ids, faster.
    None when the slow path must decide (unorderable or unhashable ids, mixed
    types: it raises the errors with the offending row)."""
    np, pd = numpy_module(), pandas_module()
    arrays = []
    for label, c in columns:
        if c is None:
            arrays.append(None)
            continue
        a = _object_array(np, pd, c)
        if a.ndim != 1:
            return None
        missing = pd.isna(a)
        if missing.any():
            i = int(np.argmax(missing))
            raise ValueError("%s%s: the customer id is missing (%r)" % (label, _where(c, i), a[i]))
        arrays.append(a)
    values = np.concatenate([a for a in arrays if a is not None])
    try:
        codes, uniques = pd.factorize(values, sort=True)
    except TypeError:
        return None
    ids = list(uniques.tolist() if hasattr(uniques, "tolist") else uniques)
    if len(set(_family(v) for v in ids)) > 1:
        return None
    out, start = [], 0
    for a in arrays:
        if a is None:
            out.append(None)
            continue
        out.append(np.ascontiguousarray(codes[start:start + len(a)], dtype="int64"))
        start += len(a)
    return out, ids


# ---------------------------------------------------------------------------
# Times
# ---------------------------------------------------------------------------

def _integer_times(obj):
    """(min, max) of an integer time column, or None when obj is not one."""
    np = numpy_module()
    pd = pandas_module()
    if pd is not None and is_series(obj):
        dt = obj.dtype
        if getattr(dt, "kind", "O") not in "iu" or isinstance(dt, pd.CategoricalDtype):
            return None
        s = obj.dropna()
        return (int(s.min()), int(s.max())) if len(s) else None
    if np is not None and isinstance(obj, np.ndarray):
        if obj.dtype.kind not in "iu" or obj.shape[0] == 0 or obj.ndim != 1:
            return None
        return int(obj.min()), int(obj.max())
    if hasattr(obj, "typecode"):
        if obj.typecode in "fd" or len(obj) == 0:
            return None
        return min(obj), max(obj)
    if isinstance(obj, (list, tuple)) and obj and all(isinstance(v, numbers.Integral) and not is_bool(v)
                                                       for v in obj):
        return min(obj), max(obj)
    return None


def check_integer_times(obj, label):
    """Refuse an integer time column that looks like YYYYMMDD dates."""
    span = _integer_times(obj)
    if span is not None and YYYYMMDD_MIN <= span[0] and span[1] <= YYYYMMDD_MAX:
        raise ValueError("%s: every value is between %d and %d: these look like YYYYMMDD dates, not seconds "
                         "since the epoch; give time_format=\"%%Y%%m%%d\" (or convert them to datetimes)"
                         % (label, YYYYMMDD_MIN, YYYYMMDD_MAX))


def parse_times(obj, label, time_format):
    """A time column parsed with the strptime format time_format: strings,
    and integers written out in decimal (19970101 with "%Y%m%d"). Datetimes,
    dates and missing values pass through (missing values become None, which
    the library rejects and counts). Naive results are UTC; a %z offset is
    honoured. Returns a list of int seconds / None / passed-through values."""
    values = _values(obj)
    cache = {}
    out = []
    for i, v in enumerate(values):
        if is_missing(v):
            out.append(None)
            continue
        if isinstance(v, (datetime.date, datetime.datetime)):
            out.append(v)
            continue
        if isinstance(v, bytes):
            v = v.decode()
        if isinstance(v, numbers.Integral) and not is_bool(v):
            text = str(int(v))
        elif isinstance(v, float) and v.is_integer():
            text = str(int(v))
        elif isinstance(v, str):
            text = v.strip()
        else:
            raise TypeError("%s%s: %r is neither a string nor an integer to parse with time_format %r"
                            % (label, _where(obj, i), v, time_format))
        s = cache.get(text)
        if s is None:
            try:
                s = _datetime_seconds(datetime.datetime.strptime(text, time_format))
            except ValueError:
                raise ValueError("%s%s: %r does not match time_format %r" % (label, _where(obj, i), v,
                                                                           time_format))
            cache[text] = s
        out.append(s)
    return out

"""Turning Python, array.array, numpy and pandas inputs into C column views.

A column becomes (address, byte stride, count, keepalive). numpy arrays of the
exact C type (native byte order) are read in place, whatever their positive
stride (a structured-array field, a [::2] slice, a DataFrame column of a 2-D
block), as long as every element is aligned for its type; anything else
(other dtypes, negative strides, packed structured dtypes) is converted into
a new buffer, which keepalive holds until the C call returns.

Column kinds: 'u64' (ids, references), 'time' (int64 seconds), 'f64'
(amounts, values, cost, discount), 'code' (int32 codes of an enumeration,
read from names or codes as a Codes describes) and 'day' (int32 day numbers,
read from dates, datetimes, datetime64 or ints).
"""

import array
import datetime
import math
import numbers
import re
import sys

from . import _ffi

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
UINT64_MAX = (1 << 64) - 1
INT32_MIN = -(1 << 31)
INT32_MAX = (1 << 31) - 1

EPOCH_DATE = datetime.date(1970, 1, 1)
EPOCH_NAIVE = datetime.datetime(1970, 1, 1)
EPOCH_AWARE = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def _typecode(kind, size, signed):
    for code in kind:
        if array.array(code).itemsize == size:
            return code
    raise RuntimeError("no array.array type code for a %d-byte %s integer"
                       % (size, "signed" if signed else "unsigned"))


# array.array type codes of the C element types.
TYPECODES = {
    "u64": _typecode("QL", 8, False),
    "i64": _typecode("qli", 8, True),
    "i32": _typecode("ilh", 4, True),
    "f64": "d",
}
# The C element type of each column kind.
ELEMENT = {"u64": "u64", "i64": "i64", "time": "i64", "code": "i32", "day": "i32", "f64": "f64"}
NUMPY_DTYPES = {"u64": "uint64", "i64": "int64", "i32": "int32", "f64": "float64"}
ITEMSIZE = {"u64": 8, "i64": 8, "i32": 4, "f64": 8}
NO_DAY = _ffi.CRM_NO_DAY
TIME_MIN_DAYS = _ffi.CRM_TIME_MIN_DAYS
TIME_MAX_DAYS = _ffi.CRM_TIME_MAX_DAYS


class Codes(object):
    """How a 'code' column is read: names of the library enumeration enum
    (crm_enum_name), ints as codes, a missing value (None, NaN, NA) as
    missing, booleans as the codes true / false (refused when those are
    None). A name or an int the enumeration does not have becomes -1, which
    the library rejects and counts (unknown_kind, unknown_code)."""

    __slots__ = ("enum", "missing", "true", "false", "what")

    def __init__(self, enum, missing, true=None, false=None, what="names or codes"):
        self.enum = enum
        self.missing = missing
        self.true = true
        self.false = false
        self.what = what


def numpy_module():
    """numpy if the caller has imported it (an input can only be a numpy array
    then), else None. Never imports numpy."""
    return sys.modules.get("numpy")


def pandas_module():
    return sys.modules.get("pandas")


def is_numpy_array(obj):
    np = numpy_module()
    return np is not None and isinstance(obj, np.ndarray)


def is_dataframe(obj):
    pd = pandas_module()
    return pd is not None and isinstance(obj, pd.DataFrame)


def is_series(obj):
    pd = pandas_module()
    return pd is not None and isinstance(obj, (pd.Series, pd.Index))


def is_missing(v):
    """None, a float NaN, numpy NaT, pandas NA or NaT."""
    if v is None:
        return True
    if isinstance(v, float):
        return v != v
    pd = pandas_module()
    if pd is not None and (v is pd.NA or v is pd.NaT):
        return True
    np = numpy_module()
    if np is not None:
        if isinstance(v, np.floating):
            return bool(np.isnan(v))
        if isinstance(v, (np.datetime64, np.timedelta64)):
            return bool(np.isnat(v))
    return False


def is_bool(v):
    np = numpy_module()
    return isinstance(v, bool) or (np is not None and isinstance(v, np.bool_))


# ---------------------------------------------------------------------------
# Times
# ---------------------------------------------------------------------------

DATE_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def date_to_day(d):
    return (d - EPOCH_DATE).days


def day_to_date(day):
    return EPOCH_DATE + datetime.timedelta(days=int(day))


def to_day(value, what="day"):
    """Day number (days since 1970-01-01) of a date-like value: a date, a
    datetime (its calendar date as written, whatever its time zone), a
    numpy.datetime64 (floored to its day), an ISO 8601 string, or an int (a
    day number already). CRM_NO_DAY for a missing value."""
    if is_missing(value):
        return NO_DAY
    if is_bool(value):
        raise TypeError("%s: expected a date or a day number, got a bool" % what)
    if isinstance(value, numbers.Integral):
        v = int(value)
        return v if INT32_MIN <= v <= INT32_MAX else INT32_MAX  # out of range: rejected by the library
    if isinstance(value, datetime.datetime):
        return date_to_day(value.date())
    if isinstance(value, datetime.date):
        return date_to_day(value)
    np = numpy_module()
    if np is not None and isinstance(value, np.datetime64):
        return int(value.astype("datetime64[D]").astype("int64"))
    if isinstance(value, (str, bytes)):
        text = value.decode() if isinstance(value, bytes) else value
        m = DATE_RE.match(text)
        try:
            if m:
                return date_to_day(datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
            text = text.strip()
            if text.endswith(("Z", "z")):
                text = text[:-1] + "+00:00"
            return date_to_day(datetime.datetime.fromisoformat(text).date())
        except ValueError:
            raise ValueError("%s: %r is not an ISO 8601 date" % (what, value))
    if isinstance(value, numbers.Real):
        f = float(value)
        if f.is_integer():
            return to_day(int(f), what)
    raise TypeError("%s: expected a date, datetime, numpy.datetime64, ISO string or day number, got %r"
                    % (what, value))


def _datetime_seconds(value):
    if value.tzinfo is not None and value.utcoffset() is not None:
        td = value - EPOCH_AWARE
    else:
        td = value.replace(tzinfo=None) - EPOCH_NAIVE
    return td.days * 86400 + td.seconds  # floor of fractional seconds


def _date_seconds(day, day_offset, end):
    if end:
        return (day + 1) * 86400 - 1 - day_offset
    return day * 86400 - day_offset


def to_seconds(value, day_offset=0, end_of_day=True, what="time"):
    """Seconds since 1970-01-01T00:00:00Z of an int, datetime, date,
    numpy.datetime64 or ISO 8601 string.

    int: as is; a float: its floor. datetime (pandas Timestamp included): aware ones exactly,
    naive ones as UTC. numpy.datetime64 with a time unit: as UTC. A date (a
    datetime.date, an ISO date "2023-01-05", a datetime64 in days or coarser)
    is a whole calendar day of the day_offset calendar: its last second when
    end_of_day (as_of), else its first second."""
    if isinstance(value, bool):
        raise TypeError("%s: expected a time, got a bool" % what)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, datetime.datetime):
        return _datetime_seconds(value)
    if isinstance(value, datetime.date):
        return _date_seconds(date_to_day(value), day_offset, end_of_day)
    np = numpy_module()
    if np is not None and isinstance(value, np.datetime64):
        if np.isnat(value):
            raise ValueError("%s: NaT is not a time" % what)
        unit = np.datetime_data(value.dtype)[0]
        if unit in ("Y", "M", "W", "D"):
            day = int(value.astype("datetime64[D]").astype("int64"))
            return _date_seconds(day, day_offset, end_of_day)
        return int(value.astype("datetime64[s]").astype("int64"))
    if isinstance(value, str):
        m = DATE_RE.match(value)
        if m:
            d = datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return _date_seconds(date_to_day(d), day_offset, end_of_day)
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            dt = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError("%s: %r is not an ISO 8601 date or date-time" % (what, value))
        return _datetime_seconds(dt)
    if isinstance(value, numbers.Real):
        f = float(value)
        if math.isfinite(f):
            return int(math.floor(f))  # fractional seconds: floor, as for datetimes
        raise ValueError("%s: %r is not a time" % (what, value))
    raise TypeError("%s: expected int seconds, datetime, date, numpy.datetime64 or an ISO string, "
                    "got %s" % (what, type(value).__name__))


def to_seconds_int64(value, day_offset=0, end_of_day=True, what="time"):
    """to_seconds, refusing a time beyond int64 (ctypes would wrap it)."""
    s = to_seconds(value, day_offset, end_of_day, what)
    if not INT64_MIN <= s <= INT64_MAX:
        raise ValueError("%s: %r is beyond the int64 range of times" % (what, value))
    return s


# ---------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------

class ColumnView(object):
    __slots__ = ("address", "stride", "count", "keep", "copied")

    def __init__(self, address, stride, count, keep, copied):
        self.address = address
        self.stride = stride
        self.count = count
        self.keep = keep
        self.copied = copied


def _from_array_array(arr, copied):
    address, count = arr.buffer_info()
    return ColumnView(address if count else 0, arr.itemsize, count, arr, copied)


def _numpy_view(np, arr, kind, copied):
    """arr already has the exact dtype; read in place when the stride allows."""
    n = arr.shape[0]
    itemsize = arr.dtype.itemsize
    if n == 0:
        return ColumnView(0, itemsize, 0, arr, copied)
    stride = arr.strides[0]
    if n == 1:
        stride = itemsize
    if stride <= 0 or not arr.flags.aligned:
        # negative or zero strides cannot be described; a misaligned element
        # (a packed structured dtype) may not be read through a typed C pointer
        arr = np.ascontiguousarray(arr)
        stride = itemsize
        copied = True
    return ColumnView(arr.ctypes.data, stride, n, arr, copied)


def _code_values(values, name, codes):
    """int32 codes of a sequence of names, codes, booleans and missing values."""
    from ._names import code_of
    out = array.array(TYPECODES["i32"])
    for v in values:
        if is_missing(v):
            out.append(codes.missing)
        elif isinstance(v, (str, bytes)):
            out.append(code_of(codes.enum, v.decode() if isinstance(v, bytes) else v))
        elif is_bool(v):
            if codes.true is None:
                raise TypeError("%s: expected %s, got the bool %r" % (name, codes.what, v))
            out.append(codes.true if v else codes.false)
        elif isinstance(v, numbers.Integral):
            iv = int(v)
            out.append(iv if INT32_MIN <= iv <= INT32_MAX else -1)
        elif isinstance(v, numbers.Real) and float(v).is_integer():
            iv = int(v)
            out.append(iv if INT32_MIN <= iv <= INT32_MAX else -1)
        else:
            raise TypeError("%s: expected %s, got %r" % (name, codes.what, v))
    return out


def _sequence_column(values, kind, name, day_offset, codes=None):
    if not isinstance(values, (list, tuple)):
        values = list(values)
    if kind == "code":
        return _from_array_array(_code_values(values, name, codes), True)
    if kind == "day":
        out = array.array(TYPECODES["i32"], [to_day(v, "%s[%d]" % (name, i)) for i, v in enumerate(values)])
        return _from_array_array(out, True)
    for i, v in enumerate(values):
        if is_bool(v):  # array.array would take True as 1
            raise TypeError("%s[%d]: expected %s, got the bool %r"
                            % (name, i, {"u64": "a customer id", "i64": "an integer", "time": "a time",
                                         "f64": "a number"}[kind], v))
    code = TYPECODES[ELEMENT[kind]]
    try:
        return _from_array_array(array.array(code, values), True)
    except (TypeError, OverflowError):
        pass
    out = array.array(code)
    if kind == "u64":
        for i, v in enumerate(values):
            if isinstance(v, bool) or not isinstance(v, numbers.Integral):
                raise TypeError("%s[%d]: customer ids are integers, got %r" % (name, i, v))
            if not 0 <= int(v) <= UINT64_MAX:
                raise ValueError("%s[%d]: %r is outside the uint64 range of customer ids" % (name, i, v))
            out.append(int(v))
    elif kind == "i64":
        for i, v in enumerate(values):
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or not INT64_MIN <= v <= INT64_MAX:
                raise TypeError("%s[%d]: expected an int64, got %r" % (name, i, v))
            out.append(int(v))
    elif kind == "time":
        for i, v in enumerate(values):
            if v is None or (isinstance(v, float) and not math.isfinite(v)):
                out.append(INT64_MIN)  # missing: rejected by the library as time_range
                continue
            try:
                s = to_seconds(v, day_offset, end_of_day=False, what="%s[%d]" % (name, i))
            except ValueError:
                np = numpy_module()
                if np is not None and isinstance(v, np.datetime64) and np.isnat(v):
                    out.append(INT64_MIN)
                    continue
                raise
            out.append(s if INT64_MIN <= s <= INT64_MAX else INT64_MIN)
    elif kind == "f64":
        for i, v in enumerate(values):
            if v is None:
                out.append(float("nan"))  # missing: rejected by the library as nonfinite
            elif isinstance(v, numbers.Real):
                out.append(float(v))
            else:
                try:
                    out.append(float(v))
                except (TypeError, ValueError):
                    raise TypeError("%s[%d]: expected a number, got %r" % (name, i, v))
    return _from_array_array(out, True)


def _series_to_numpy(np, pd, s, kind):
    """A pandas Series/Index as a numpy array, without copying where pandas can."""
    dtype = s.dtype
    if kind == "time" and isinstance(dtype, pd.DatetimeTZDtype):
        s = pd.Series(s).dt.tz_convert("UTC").dt.tz_localize(None)
        dtype = s.dtype
    if kind == "day" and isinstance(dtype, pd.DatetimeTZDtype):
        s = pd.Series(s).dt.tz_localize(None)  # the calendar date as written
        dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return np.asarray(s.astype(object), dtype=object)
    if isinstance(dtype, np.dtype):
        return s.to_numpy()
    # pandas extension dtypes (Int64, Float64, string, boolean, ...)
    if kind == "f64" or (kind in ("code", "day") and getattr(dtype, "kind", "O") in "iuf"):
        return s.to_numpy(dtype="float64", na_value=np.nan)
    if kind == "time":
        if getattr(dtype, "kind", "O") in "iu":
            return s.to_numpy(dtype="int64", na_value=INT64_MIN)
        return s.to_numpy(dtype=object, na_value=None)
    if kind in ("u64", "i64") and getattr(dtype, "kind", "O") in "iu":
        if s.isna().any():
            raise ValueError("customer ids / references must not be missing (NA)")
        return s.to_numpy(dtype="int64" if kind == "i64" or dtype.kind == "i" else "uint64")
    return s.to_numpy(dtype=object, na_value=None)


def column(obj, kind, name, day_offset=0, codes=None):
    """ColumnView of one input column. kind: 'u64' (ids, references), 'time'
    (int64 seconds; datetime64, datetime, date and ISO strings converted),
    'f64' (amounts, values), 'code' (int32 codes: names or codes, as codes,
    a Codes, says), 'day' (int32 day numbers: dates, datetimes, datetime64,
    ISO strings or ints)."""
    if kind == "code" and codes is None:
        raise TypeError("a code column needs a Codes")
    np = numpy_module()
    if is_series(obj):
        obj = _series_to_numpy(np, pandas_module(), obj, kind)
    if isinstance(obj, array.array):
        element = ELEMENT[kind]
        typecodes = {"u64": "QL", "i64": "qli", "i32": "ilh", "f64": "d"}[element]
        if obj.typecode in typecodes and obj.itemsize == ITEMSIZE[element]:
            return _from_array_array(obj, False)
        return _sequence_column(obj.tolist(), kind, name, day_offset, codes)
    if np is not None and not isinstance(obj, np.ndarray) and hasattr(obj, "__array__") \
            and not isinstance(obj, (list, tuple, str, bytes)):
        obj = np.asarray(obj)
    if np is not None and isinstance(obj, np.ndarray):
        return _numpy_column(np, obj, kind, name, day_offset, codes)
    if isinstance(obj, (str, bytes)) or not hasattr(obj, "__iter__"):
        raise TypeError("%s: expected a sequence, array.array, numpy array or pandas Series, got %s"
                        % (name, type(obj).__name__))
    return _sequence_column(obj, kind, name, day_offset, codes)


def _int32_or(np, arr, out_of_range):
    """An integer array as int32, values outside the int32 range replaced."""
    big = (arr < INT32_MIN) | (arr > INT32_MAX)
    out = arr.astype("int32")
    if big.any():
        out[big] = out_of_range
    return out


def _integral_floats(np, arr, missing, out_of_range, name):
    """A float array of integral values (NaN: missing) as int32."""
    nan = np.isnan(arr)
    ok = ~nan
    if not np.all(np.floor(arr[ok]) == arr[ok]):
        raise TypeError("%s: expected whole numbers, got fractions" % name)
    big = ok & ((arr < INT32_MIN) | (arr > INT32_MAX))
    out = np.where(ok & ~big, arr, 0).astype("int32")
    out[nan] = missing
    out[big] = out_of_range
    return out


def _numpy_column(np, arr, kind, name, day_offset, codes=None):
    if arr.ndim != 1:
        raise ValueError("%s: expected a one-dimensional array, got shape %r" % (name, arr.shape))
    target = np.dtype(NUMPY_DTYPES[ELEMENT[kind]])
    dt = arr.dtype
    if dt == target:
        return _numpy_view(np, arr, kind, False)
    k = dt.kind
    if kind == "u64":
        if k in "iu" and dt.itemsize == 8 and dt.isnative:
            if arr.shape[0] and int(arr.min()) < 0:
                raise ValueError("%s: negative customer id %d" % (name, int(arr.min())))
            return _numpy_view(np, arr.view(target), kind, False)
        if k in "iu":
            if arr.shape[0] and k == "i" and int(arr.min()) < 0:
                raise ValueError("%s: negative customer id %d" % (name, int(arr.min())))
            return _numpy_view(np, arr.astype(target), kind, True)
        if k == "O":
            return _sequence_column(arr.tolist(), kind, name, day_offset)
        raise TypeError("%s: customer ids must be integers, got dtype %s" % (name, dt))
    if kind == "time":
        if k == "M":
            unit = np.datetime_data(dt)[0]
            if unit in ("Y", "M", "W", "D"):
                days = arr.astype("datetime64[D]").view("int64")
                # NaT, and days whose seconds would not fit in int64 (they would
                # wrap): INT64_MIN, which the library rejects as time_range
                bad = (days < TIME_MIN_DAYS - 1) | (days > TIME_MAX_DAYS + 1)
                secs = np.where(bad, 0, days) * 86400 - day_offset
                secs[bad] = INT64_MIN
                return _numpy_view(np, secs, kind, True)
            if unit == "s" and dt.isnative:
                return _numpy_view(np, arr.view("int64"), kind, False)
            return _numpy_view(np, arr.astype("datetime64[s]").view("int64"), kind, True)
        if k in "iu":
            if k == "u" and arr.shape[0] and int(arr.max()) > INT64_MAX:
                raise ValueError("%s: time beyond the int64 range" % name)
            return _numpy_view(np, arr.astype(target), kind, True)
        if k == "f":
            out = np.full(arr.shape[0], INT64_MIN, dtype=target)
            ok = np.isfinite(arr) & (arr >= -9.2e18) & (arr <= 9.2e18)
            out[ok] = np.floor(arr[ok]).astype(target)
            return _numpy_view(np, out, kind, True)
        if k in "OUS":
            return _sequence_column(arr.tolist() if k == "O" else [str(v) for v in arr.tolist()],
                                    kind, name, day_offset)
        raise TypeError("%s: times must be int seconds or datetime64, got dtype %s" % (name, dt))
    if kind == "f64":
        if k == "b":
            raise TypeError("%s: expected numbers, got booleans" % name)
        if k in "iuf":
            return _numpy_view(np, arr.astype(target), kind, True)
        if k == "O":
            return _sequence_column(arr.tolist(), kind, name, day_offset)
        raise TypeError("%s: expected numbers, got dtype %s" % (name, dt))
    if kind == "code":
        if k in "iu":
            return _numpy_view(np, _int32_or(np, arr, -1), kind, True)
        if k == "b":
            if codes.true is None:
                raise TypeError("%s: expected %s, got booleans" % (name, codes.what))
            return _numpy_view(np, np.where(arr, codes.true, codes.false).astype(target), kind, True)
        if k == "f":
            return _numpy_view(np, _integral_floats(np, arr, codes.missing, -1, name), kind, True)
        if k in "OUS":
            return _sequence_column(arr.tolist(), kind, name, day_offset, codes)
        raise TypeError("%s: expected %s, got dtype %s" % (name, codes.what, dt))
    if kind == "day":
        if k == "M":
            days = arr.astype("datetime64[D]").view("int64")
            out = _int32_or(np, days, INT32_MAX)
            out[days == INT64_MIN] = NO_DAY
            return _numpy_view(np, out, kind, True)
        if k in "iu":
            return _numpy_view(np, _int32_or(np, arr, INT32_MAX), kind, True)
        if k == "f":
            return _numpy_view(np, _integral_floats(np, arr, NO_DAY, INT32_MAX, name), kind, True)
        if k in "OUS":
            return _sequence_column(arr.tolist() if k == "O" else [str(v) for v in arr.tolist()],
                                    kind, name, day_offset)
        raise TypeError("%s: expected dates, datetime64 or day numbers, got dtype %s" % (name, dt))
    raise AssertionError(kind)


def table_columns(obj, names, what, rename=None):
    """Columns of a DataFrame, mapping or numpy structured array by name;
    missing optional names give None. rename: {name: the table's column
    name} for columns the caller named otherwise."""
    rename = rename or {}
    out = {}
    np = numpy_module()
    if is_dataframe(obj):
        available = [str(c) for c in obj.columns]
        get = obj.__getitem__
    elif np is not None and isinstance(obj, np.ndarray) and obj.dtype.names:
        available = list(obj.dtype.names)
        get = obj.__getitem__
    elif hasattr(obj, "keys") and hasattr(obj, "__getitem__"):
        available = [str(k) for k in obj.keys()]
        get = obj.__getitem__
    else:
        return None
    for key, required in names:
        source = rename.get(key, key)
        if source in available:
            out[key] = get(source)
        elif is_dataframe(obj) and len(obj) == 0 and not obj.columns.size:
            out[key] = [] if required else None  # an empty DataFrame: no records (the no-data error)
        elif required or key in rename:
            hint = "" if key in rename else ("; name yours with %s=\"...\"" % key if what == "transactions"
                                             else "; name yours with %s_columns={%r: \"...\"}" % (what, key))
            raise KeyError("%s: no column %r (columns: %s)%s" % (what, source, ", ".join(available), hint))
        else:
            out[key] = None
    return out


def same_length(views, what):
    counts = {name: v.count for name, v in views.items() if v is not None}
    if len(set(counts.values())) > 1:
        raise ValueError("%s: columns differ in length: %s"
                         % (what, ", ".join("%s=%d" % kv for kv in counts.items())))
    return next(iter(counts.values())) if counts else 0

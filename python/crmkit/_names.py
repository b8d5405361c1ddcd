"""Names of enumerations, columns, metrics, fates and flags, from the library."""

from . import _ffi
from ._loader import C

_cache = {}


def _s(b):
    return b.decode("utf-8") if b is not None else None


def enum_count(enum_id):
    """Number of values of a crm_enum (crm_enum_count; they run 0..count-1),
    0 for an unknown enumeration."""
    return int(C.crm_enum_count(enum_id))


def enum_names(enum_id):
    """{value: canonical name} of a crm_enum, values 0..crm_enum_count - 1."""
    key = ("enum", enum_id)
    if key not in _cache:
        out = {}
        for v in range(enum_count(enum_id)):
            name = _s(C.crm_enum_name(enum_id, v))
            if name is not None:
                out[v] = name
        _cache[key] = out
    return _cache[key]


def enum_value(enum_id, name):
    for v, n in enum_names(enum_id).items():
        if n == name:
            return v
    return -1


def kind_code(name):
    """Code of an interaction kind name; -1 when unknown."""
    return enum_value(_ffi.CRM_ENUM_INTERACTION_KIND, name)


def _table(key, count, fn, convert=_s):
    if key not in _cache:
        _cache[key] = [convert(fn(i)) for i in range(count)]
    return _cache[key]


def column_names():
    """Names of every column id (index = id)."""
    return _table("columns", _ffi.CRM_COLUMN_COUNT, C.crm_column_name)


def column_id(name):
    if isinstance(name, int):
        return name
    names = column_names()
    if name in names:
        return names.index(name)
    raise KeyError("no column named %r (columns: %s)" % (name, ", ".join(n for n in names if n)))


# crm_unit values and their names: CRM_UNIT_DAY -> "day", CRM_UNIT_TIME_UNITS -> "time_units".
UNIT_NAMES = {v: n[len("CRM_UNIT_"):].lower() for n, v in _ffi.ENUMS["crm_unit"].items()}


def column_units():
    """crm_unit of every column id (index = id), from crm_column_unit."""
    return _table("units", _ffi.CRM_COLUMN_COUNT, C.crm_column_unit, convert=int)


def column_unit(column):
    """What a column's numbers measure, by column name or id: "day" (a day
    number), "days" (a number of days), "bool", "money", "enum", ... (the
    crm_unit names, lower case, without CRM_UNIT_). KeyError for an unknown
    column."""
    cid = column_id(column)
    if not 0 <= cid < _ffi.CRM_COLUMN_COUNT:
        raise KeyError("no column id %d (ids run 0..%d)" % (cid, _ffi.CRM_COLUMN_COUNT - 1))
    unit = column_units()[cid]
    return UNIT_NAMES.get(unit, str(unit))


def metric_names():
    return _table("metrics", _ffi.CRM_METRIC_COUNT, C.crm_metric_name)


def metric_id(name):
    if isinstance(name, int):
        return name
    names = metric_names()
    if name in names:
        return names.index(name)
    raise KeyError("no metric named %r (metrics: %s)" % (name, ", ".join(n for n in names if n)))


def fate_names():
    return _table("fates", _ffi.CRM_FATE_COUNT, C.crm_fate_name)


def flag_names():
    """Names of the churn flag bits, bit 0 first."""
    return _table("flags", _ffi.CRM_FLAG_COUNT, lambda i: C.crm_flag_name(1 << i))


def flag_bit(name):
    if isinstance(name, int):
        return name
    names = flag_names()
    if name in names:
        return 1 << names.index(name)
    raise KeyError("no churn flag named %r (flags: %s)" % (name, ", ".join(names)))


def flags_of(bits):
    """Tuple of the flag names set in a churn_flags value, bit order."""
    names = flag_names()
    return tuple(names[i] for i in range(len(names)) if bits >> i & 1)


def flag_reason(name):
    return _s(C.crm_flag_reason(flag_bit(name)))


INPUTS = {"transactions": _ffi.CRM_INPUT_TRANSACTIONS, "interactions": _ffi.CRM_INPUT_INTERACTIONS}
DIMS = {"r": _ffi.CRM_DIM_R, "f": _ffi.CRM_DIM_F, "m": _ffi.CRM_DIM_M}


def input_id(name):
    if isinstance(name, int):
        return name
    try:
        return INPUTS[name]
    except KeyError:
        raise KeyError("input must be 'transactions' or 'interactions', not %r" % (name,))


def dim_id(name):
    if isinstance(name, int):
        return name
    try:
        return DIMS[str(name).lower()]
    except KeyError:
        raise KeyError("RFM dimension must be 'r', 'f' or 'm', not %r" % (name,))


def model_kind(name):
    """crm_model_kind of a model name ("bgnbd", "mbgnbd", "pareto_nbd", "gamma_gamma")."""
    if isinstance(name, int):
        return name
    v = enum_value(_ffi.CRM_ENUM_MODEL, name)
    if v <= 0:
        raise ValueError("unknown model %r: use one of %s" % (name, ", ".join(model_names())))
    return v


def model_names():
    return [n for v, n in sorted(enum_names(_ffi.CRM_ENUM_MODEL).items()) if v != 0]

"""Names, counts and descriptions of the library's enumerations.

Everything here is asked of the loaded library at run time (crm_enum_count,
crm_enum_name, crm_enum_description, crm_model_param_count/name,
crm_column_unit): the binding restates no count and no name, so a newer
library's columns, options, flags, fates or metrics appear without a new
binding.
"""

from . import _ffi
from ._loader import C

_cache = {}


def _s(b):
    return b.decode("utf-8") if b is not None else None


def _cached(key, make):
    if key not in _cache:
        _cache[key] = make()
    return _cache[key]


# ---------------------------------------------------------------------------
# Any enumeration
# ---------------------------------------------------------------------------

def enum_id(e):
    """The crm_enum id of an enumeration given by id or by its library name
    ("segment", "flag", "column", "option", ...). KeyError when unknown."""
    if isinstance(e, int) and not isinstance(e, bool):
        return e
    names = _cached(("enum_ids",), lambda: {n: v for v, n in _names_of(_ffi.CRM_ENUM_ENUM).items()})
    try:
        return names[e]
    except KeyError:
        raise KeyError("no enumeration named %r (enumerations: %s)"
                       % (e, ", ".join(n for n in names if n != "none")))


def enum_count(e):
    """Number of values of an enumeration (crm_enum_count): its values run
    0..count-1 (1..count-1 for option types and types). 0 for an unknown id."""
    return int(C.crm_enum_count(enum_id(e)))


def _names_of(e):
    def make():
        out = {}
        for v in range(int(C.crm_enum_count(e))):
            name = _s(C.crm_enum_name(e, v))
            if name is not None:
                out[v] = name
        return out
    return _cached(("names", e), make)


def enum_names(e):
    """{value: canonical name} of an enumeration (by id or name), values
    0..crm_enum_count - 1 that have a name."""
    return dict(_names_of(enum_id(e)))


def _codes_of(e):
    return _cached(("codes", e), lambda: {n: v for v, n in _names_of(e).items()})


def enum_value(e, name):
    """The value named name in an enumeration (crm_enum_value semantics:
    exact, case-sensitive), or -1 when there is none."""
    if isinstance(name, bytes):
        name = name.decode("utf-8", "replace")
    return _codes_of(enum_id(e)).get(name, -1)


def enum_description(e, value):
    """One-line English description of a value (crm_enum_description): the
    text of a status, fate, flag, option, column or metric; None where the
    library has none. value may be a name."""
    e = enum_id(e)
    if isinstance(value, str):
        code = enum_value(e, value)
        if code < 0:
            raise KeyError("no value named %r in enumeration %s" % (value, _names_of(_ffi.CRM_ENUM_ENUM).get(e, e)))
        value = code
    return _s(C.crm_enum_description(e, int(value)))


def _table(e):
    """[name or None] indexed by value, 0..crm_enum_count - 1."""
    def make():
        names = _names_of(e)
        return [names.get(v) for v in range(int(C.crm_enum_count(e)))]
    return _cached(("table", e), make)


def _lookup(e, name, what):
    """Value of a name (or an int passed through); KeyError listing the names."""
    if isinstance(name, int) and not isinstance(name, bool):
        return name
    v = _codes_of(e).get(name, -1)
    if v < 0:
        raise KeyError("no %s named %r (%ss: %s)" % (what, name, what, ", ".join(n for n in _table(e) if n)))
    return v


def code_of(e, name):
    """Code of a value name in enumeration e; -1 when unknown (the library
    then rejects the record as unknown_kind / unknown_code)."""
    return _codes_of(e).get(name, -1)


# ---------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------

def column_names():
    """Names of every column id (index = id), from the library."""
    return list(_table(_ffi.CRM_ENUM_COLUMN))


def column_count():
    return int(C.crm_enum_count(_ffi.CRM_ENUM_COLUMN))


def column_id(name):
    return _lookup(_ffi.CRM_ENUM_COLUMN, name, "column")


def unit_names():
    """{crm_unit value: name}: "day", "days", "bool", "money", "enum", ..."""
    return dict(_names_of(_ffi.CRM_ENUM_UNIT))


def column_units():
    """crm_unit of every column id (index = id), from crm_column_unit."""
    return _cached(("units",), lambda: [int(C.crm_column_unit(i)) for i in range(column_count())])


def column_unit(column):
    """What a column's numbers measure, by column name or id: "day" (a day
    number), "days" (a number of days), "bool", "money", "enum", ... (the
    library's crm_unit names). KeyError for an unknown column."""
    cid = column_id(column)
    n = column_count()
    if not 0 <= cid < n:
        raise KeyError("no column id %d (ids run 0..%d)" % (cid, n - 1))
    unit = column_units()[cid]
    return _names_of(_ffi.CRM_ENUM_UNIT).get(unit, str(unit))


# ---------------------------------------------------------------------------
# Metrics, fates, inputs, dimensions
# ---------------------------------------------------------------------------

def metric_names():
    return list(_table(_ffi.CRM_ENUM_METRIC))


def metric_id(name):
    return _lookup(_ffi.CRM_ENUM_METRIC, name, "metric")


def fate_names():
    """Names of the record fates, "accepted" first, then the rejection reasons."""
    return list(_table(_ffi.CRM_ENUM_FATE))


def input_names():
    """Names of the inputs with records: "transactions", "interactions", "customers"."""
    return [n for v, n in sorted(_names_of(_ffi.CRM_ENUM_INPUT).items()) if v != _ffi.CRM_INPUT_NONE]


def input_id(name):
    if isinstance(name, int) and not isinstance(name, bool):
        return name
    v = code_of(_ffi.CRM_ENUM_INPUT, name)
    if v <= _ffi.CRM_INPUT_NONE:
        raise KeyError("input must be one of %s, not %r" % (", ".join(repr(n) for n in input_names()), name))
    return v


def dim_id(name):
    if isinstance(name, int) and not isinstance(name, bool):
        return name
    v = code_of(_ffi.CRM_ENUM_DIM, str(name).lower())
    if v < 0:
        raise KeyError("RFM dimension must be one of %s, not %r"
                       % (", ".join(repr(n) for n in _table(_ffi.CRM_ENUM_DIM) if n), name))
    return v


# ---------------------------------------------------------------------------
# Churn flags: positions 0..63 of the churn_flags bit set
# ---------------------------------------------------------------------------

def flag_names():
    """Names of the churn flags by position (position 0 first)."""
    return list(_table(_ffi.CRM_ENUM_FLAG))


def flag_position(name):
    """Position (0..63) of a churn flag given by name; an int is returned as is."""
    return _lookup(_ffi.CRM_ENUM_FLAG, name, "churn flag")


def flag_bit(name):
    """The bit of a flag in the churn_flags column: 1 << its position
    (CRM_FLAG_BIT)."""
    return 1 << flag_position(name)


def flags_of(bits):
    """Tuple of the names of the flags set in a churn_flags value, position order."""
    bits = int(bits)
    return tuple(n if n is not None else str(i) for i, n in enumerate(flag_names()) if bits >> i & 1)


def flag_reason(name):
    """One-line reason of a flag (by name or position) for contact lists."""
    return _s(C.crm_enum_description(_ffi.CRM_ENUM_FLAG, flag_position(name)))


# ---------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------

def option_names():
    """Every option name of the configuration, in id order."""
    return [n for n in _table(_ffi.CRM_ENUM_OPTION) if n is not None]


def option_id(name):
    """Id of an option name, or -1 when the library has no such option."""
    return code_of(_ffi.CRM_ENUM_OPTION, name)


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------

def model_kind(name):
    """crm_model_kind of a model name ("bgnbd", "mbgnbd", "pareto_nbd", "gamma_gamma", "bgbb")."""
    if isinstance(name, int) and not isinstance(name, bool):
        return name
    v = code_of(_ffi.CRM_ENUM_MODEL_KIND, name)
    if v <= _ffi.CRM_MODEL_KIND_NONE:
        raise ValueError("unknown model %r: use one of %s" % (name, ", ".join(model_names())))
    return v


def model_names():
    return [n for v, n in sorted(_names_of(_ffi.CRM_ENUM_MODEL_KIND).items()) if v != _ffi.CRM_MODEL_KIND_NONE]


def model_kind_name(kind):
    return _names_of(_ffi.CRM_ENUM_MODEL_KIND).get(int(kind), str(kind))


def model_param_names(kind):
    """Parameter names of a model kind (by name or id), in the order every
    model function uses (crm_model_param_count / crm_model_param_name)."""
    k = model_kind(kind)

    def make():
        return tuple(_s(C.crm_model_param_name(k, i)) for i in range(int(C.crm_model_param_count(k))))
    return _cached(("params", k), make)

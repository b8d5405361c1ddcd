"""crmkit.Config: a crm_config handle with options by name."""

import ctypes
import numbers

from . import _ffi
from ._convert import INT64_MAX, INT64_MIN, to_seconds
from ._handle import Handle
from ._loader import C, check, new_error
from ._names import dim_id, enum_description, enum_names, model_kind, option_id, option_names

__all__ = ["Config", "option_info", "option_names"]


def option_info(name):
    """What the library says of an option: {"name", "type" ("int", "real" or
    "enum"), "default", "min", "max" (floats; as_of has no default: NaN),
    "values" (the value names of an enum option, else None), "description"}.
    KeyError for an unknown option."""
    oid = option_id(name)
    if oid < 0:
        raise KeyError("unknown option %r" % (name,))
    err = new_error()
    lo, hi, default = ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    check(C.crm_option_bounds(oid, ctypes.byref(lo), ctypes.byref(hi), ctypes.byref(err)), err,
          "crm_option_bounds")
    check(C.crm_option_default(oid, ctypes.byref(default), ctypes.byref(err)), err, "crm_option_default")
    e = C.crm_option_enum(oid)
    return {
        "name": name,
        "type": enum_names(_ffi.CRM_ENUM_OPTION_TYPE).get(C.crm_option_type_of(oid)),
        "default": default.value,
        "min": lo.value,
        "max": hi.value,
        "values": [n for v, n in sorted(enum_names(e).items())] if e else None,
        "description": enum_description(_ffi.CRM_ENUM_OPTION, oid),
    }


class Config(Handle):
    """A configuration: Config(rfm_bins=4, ties="ntile").

    Options use the library's names (crmkit.option_names()). Values: str is parsed by
    crm_config_set_text (numbers, enum value names such as "ntile"); int and
    bool go to crm_config_set_int (or set_real for a real option); float to
    crm_config_set_real; None restores the default. as_of also accepts
    datetime, date, numpy.datetime64 and ISO strings (see crmkit.analyze).
    """

    _free = "crm_config_free"
    _noun = "configuration"

    def __init__(self, _handle=None, **options):
        if _handle is None:
            handle = ctypes.POINTER(_ffi.crm_config)()
            err = new_error()
            check(C.crm_config_create(None, ctypes.byref(handle), ctypes.byref(err)), err,
                  "crm_config_create")
        else:
            handle = _handle
        Handle.__init__(self, handle)
        self._keep = []
        for name, value in options.items():
            self.set(name, value)

    def copy(self):
        out = ctypes.POINTER(_ffi.crm_config)()
        err = new_error()
        check(C.crm_config_clone(self.handle, ctypes.byref(out), ctypes.byref(err)), err,
              "crm_config_clone")
        return Config(_handle=out)

    def set(self, name, value):
        """Set one option by name; raises crmkit.Error with the C message."""
        if value is None:
            return self.reset(name)
        if "\0" in str(name) or (isinstance(value, str) and "\0" in value):
            # C would read the text only up to the NUL
            raise ValueError("option %r: names and values must not contain a NUL character" % (name,))
        err = new_error()
        h = self.handle
        oid = option_id(name)
        if name == "as_of" and oid >= 0:
            value = to_seconds(value, self.get("day_offset"), end_of_day=True, what="as_of")
        if oid < 0 or isinstance(value, str) or not isinstance(value, numbers.Real):
            text = value if isinstance(value, str) else str(value)
            check(C.crm_config_set_text(h, name.encode(), text.encode(), ctypes.byref(err)), err,
                  "crm_config_set_text")
            return self
        if isinstance(value, numbers.Integral):
            iv = int(value)
            if not INT64_MIN <= iv <= INT64_MAX:
                check(C.crm_config_set_text(h, name.encode(), str(iv).encode(), ctypes.byref(err)), err,
                      "crm_config_set_text")
                return self
            status = C.crm_config_set_int(h, oid, iv, ctypes.byref(err))
            if status == _ffi.CRM_STATUS_WRONG_TYPE:  # a real option
                status = C.crm_config_set_real(h, oid, float(iv), ctypes.byref(err))
                check(status, err, "crm_config_set_real")
            check(status, err, "crm_config_set_int")
            return self
        check(C.crm_config_set_real(h, oid, float(value), ctypes.byref(err)), err, "crm_config_set_real")
        return self

    def get(self, name):
        """Value of an option: int for int options, float for real ones, the
        value name for enum options; None for an unset as_of."""
        oid = option_id(name)
        if oid < 0:
            raise KeyError("unknown option %r" % (name,))
        err = new_error()
        iv = ctypes.c_int64()
        status = C.crm_config_get_int(self.handle, oid, ctypes.byref(iv), ctypes.byref(err))
        if status == _ffi.CRM_STATUS_WRONG_TYPE:
            rv = ctypes.c_double()
            check(C.crm_config_get_real(self.handle, oid, ctypes.byref(rv), ctypes.byref(err)), err,
                  "crm_config_get_real")
            return rv.value
        check(status, err, "crm_config_get_int")
        if name == "as_of" and iv.value == INT64_MIN:
            return None
        e = C.crm_option_enum(oid)
        if e:
            return enum_names(e).get(iv.value, iv.value)
        return iv.value

    def reset(self, name):
        oid = option_id(name)
        if oid < 0:
            raise KeyError("unknown option %r" % (name,))
        err = new_error()
        check(C.crm_config_reset(self.handle, oid, ctypes.byref(err)), err, "crm_config_reset")
        return self

    def to_dict(self):
        return {name: self.get(name) for name in option_names()}

    def set_cut_points(self, dim, thresholds):
        """Supply the RFM cut points t_2..t_k of dimension "r", "f" or "m";
        an empty sequence returns the dimension to computed cut points."""
        values = [float(t) for t in (thresholds or ())]
        buf = (ctypes.c_double * max(1, len(values)))(*values)
        err = new_error()
        check(C.crm_config_set_cut_points(self.handle, dim_id(dim), buf if values else None, len(values),
                                          ctypes.byref(err)), err, "crm_config_set_cut_points")
        return self

    def set_model(self, kind, model=None):
        """Use a fitted model instead of fitting one (crm_config_set_model):
        analyses made with this configuration take model's parameters for
        kind ("bgnbd", "mbgnbd", "pareto_nbd" or "gamma_gamma"); model None
        forgets it. The configuration keeps its own copy."""
        err = new_error()
        check(C.crm_config_set_model(self.handle, model_kind(kind), model.handle if model is not None else None,
                                     ctypes.byref(err)), err, "crm_config_set_model")
        return self

    def set_segment_rules(self, rules):
        """Replace the segment map: rules is a sequence of
        (name, (r_min, r_max), (f_min, f_max), (m_min, m_max)) with half-open
        score ranges, or of dicts with keys name, r_min, r_max, f_min, f_max,
        m_min, m_max. An empty sequence restores the default map."""
        rules = list(rules or ())
        arr = (_ffi.crm_segment_rule * max(1, len(rules)))()
        names = []
        for i, rule in enumerate(rules):
            if isinstance(rule, dict):
                name = rule["name"]
                r = (rule["r_min"], rule["r_max"])
                f = (rule["f_min"], rule["f_max"])
                m = (rule["m_min"], rule["m_max"])
            else:
                name, r, f, m = rule
            b = name.encode("utf-8") if isinstance(name, str) else name
            names.append(b)
            arr[i].name = b
            arr[i].r_min, arr[i].r_max = int(r[0]), int(r[1])
            arr[i].f_min, arr[i].f_max = int(f[0]), int(f[1])
            arr[i].m_min, arr[i].m_max = int(m[0]), int(m[1])
        err = new_error()
        check(C.crm_config_set_segment_rules(self.handle, arr if rules else None, len(rules),
                                             ctypes.byref(err)), err, "crm_config_set_segment_rules")
        return self

    def __repr__(self):
        return "<crmkit.Config>"

"""crmkit: customer-relationship analytics (RFM, tiers, lifecycle, churn
flags, health, CLV models) over the libcrmkit C library, through ctypes.

    import crmkit
    result = crmkit.analyze(customer_id, time, amount, rfm_bins=5, ties="ntile")
    result = crmkit.analyze(tx_frame, interactions=ix_frame, customers=attributes)
    result["recency_days"]            # a column, by its C name
    df = result.to_pandas()           # one DataFrame (needs pandas)
    bg = crmkit.fit("bgnbd", x=x, t_x=t_x, T=T)
    bg.params, bg.p_alive(x=x, t_x=t_x, T=T)

Nothing beyond the standard library is needed at run time; numpy and pandas
are used when the caller has them. Every name and count (columns, options,
flags, fates, metrics, model parameters) is asked of the loaded library. The
low-level declarations are in crmkit.ffi, generated from crmkit.h by
python/tools/gen_bindings.py; the loaded library is crmkit.lib (one
attribute per C function).
"""

from . import _ffi as ffi
from ._errors import ConvergenceWarning, Error, LibraryNotFoundError, MissingSymbolError
from ._loader import C as lib
from ._config import Config, option_info, option_names
from ._result import Group, Result
from ._models import Model, clv, fit, spend_correlation
from ._analyze import Population, Summary, analyze, calibration_split, summarize
from ._state import State
from ._names import (column_names, column_unit, enum_count, enum_description, enum_names, enum_value, fate_names,
                     flag_bit, flag_names, flag_position, flag_reason, flags_of, input_names, metric_names,
                     model_names, model_param_names)
from ._convert import to_day, to_seconds
from . import plot  # matplotlib is imported only when a plot is drawn

__version__ = ffi.CRM_VERSION_STRING
__all__ = [
    "analyze", "calibration_split", "summarize", "Population", "Summary", "State", "fit", "clv", "spend_correlation", "Config", "Result",
    "Model", "Group", "Error", "MissingSymbolError", "LibraryNotFoundError", "ConvergenceWarning",
    "option_names", "option_info", "column_names", "column_unit", "enum_count", "enum_names", "enum_value",
    "enum_description", "fate_names", "input_names", "flag_names", "flag_position", "flag_bit", "flag_reason",
    "flags_of", "metric_names", "model_names", "model_param_names", "to_seconds", "to_day", "library_path",
    "library_version", "plot",
]  # the ctypes layer (crmkit.ffi, crmkit.lib) stays reachable as attributes, outside __all__

library_path = lib.path


def library_version() -> str:
    """The loaded library's version string (crm_version_string())."""
    return lib.crm_version_string().decode()

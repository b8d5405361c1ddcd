"""Exceptions of the crmkit binding."""

from . import _ffi


def _suffix_names(prefix, enum):
    """{value: lower-case name without prefix} of a generated enumeration."""
    return {v: k[len(prefix):].lower() for k, v in _ffi.ENUMS[enum].items() if k.startswith(prefix)}


STATUS_NAMES = {v: k for k, v in _ffi.ENUMS["crm_status"].items()}
INPUT_NAMES = _suffix_names("CRM_INPUT_", "crm_input")
FIELD_NAMES = _suffix_names("CRM_FIELD_", "crm_field")


class Error(Exception):
    """A crmkit C function failed.

    Attributes:
      status       the crm_status code (int), e.g. 3
      status_name  its constant name, e.g. "CRM_E_BAD_RECORD"
      status_text  crm_status_str(status), e.g. "invalid record"
      message      the C library's message (crm_error.message)
      input        "transactions" / "interactions" for a record error, else None
      record       index of the offending record (or model data row), else None
      field        "customer_id", "time", "amount", "kind", "value", "ref", else None
      reason       the record's fate name ("nonfinite", ...), else None
      function     the C function that failed ("crm_analyze")
    """

    def __init__(self, status, message="", input=None, record=None, field=None, reason=None,
                 function=None, status_text=None):
        self.status = int(status)
        self.status_name = STATUS_NAMES.get(self.status, "CRM_STATUS_%d" % self.status)
        self.status_text = status_text
        self.message = message
        self.input = input
        self.record = record
        self.field = field
        self.reason = reason
        self.function = function
        text = message or status_text or self.status_name
        where = "%s: " % function if function else ""
        super(Error, self).__init__("%s%s [%s]" % (where, text, self.status_name))


class MissingSymbolError(NotImplementedError):
    """The loaded libcrmkit does not export a function the header declares
    (a library built from an older or partial source tree)."""


class LibraryNotFoundError(ImportError):
    """No loadable libcrmkit was found; the message lists every place tried."""


class ConvergenceWarning(UserWarning):
    """A model fit stopped before converging (CRM_E_NOT_CONVERGED); the model
    is still returned, with converged == False."""

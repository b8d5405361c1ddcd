"""Exceptions of the crmkit binding."""

from . import _ffi


def status_constant(status, library_name=None):
    """The C constant name of a status ("CRM_STATUS_BAD_RECORD"); for a code
    the header does not know, made from the library's name of it."""
    try:
        return _ffi.crm_status(status).name
    except ValueError:
        return "CRM_STATUS_%s" % (library_name.upper() if library_name else status)


class Error(Exception):
    """A crmkit C function failed.

    Attributes:
      status       the crm_status code (int), e.g. 3
      status_name  its C constant name, e.g. "CRM_STATUS_BAD_RECORD"
      status_text  the library's description of it (crm_enum_description), e.g.
                   "bad input record"
      message      the C library's message (crm_error.message)
      input        "transactions", "interactions" or "customers" for a record
                   error, else None (the library's crm_input names)
      record       index of the offending record (or model data row), else None
      field        "customer_id", "time", "amount", "cost", "purpose", "birthday",
                   ... (the library's crm_field names), else None
      reason       the record's fate name ("nonfinite", "duplicate_customer",
                   ...), else None
      function     the C function that failed ("crm_analyze")
    """

    def __init__(self, status, message="", input=None, record=None, field=None, reason=None,
                 function=None, status_text=None, status_name=None):
        self.status = int(status)
        self.status_name = status_name or status_constant(self.status)
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
    """A model fit stopped before converging (CRM_STATUS_NOT_CONVERGED); the model
    is still returned, with converged == False."""

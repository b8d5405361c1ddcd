"""crmkit.State: the nightly state (crm_state_*) from Python."""

import ctypes
import warnings
from typing import Any, Callable, Mapping, Optional

from . import _ffi
from ._analyze import _Inputs, _make_config
from ._config import Config
from ._convert import to_seconds_int64
from ._errors import ConvergenceWarning
from ._handle import Handle
from ._loader import C, check, error_from, new_error
from ._progress import Interruptible
from ._result import Result

_NO_TIME = -(1 << 63)  # INT64_MIN: "the default as-of" / "no fit kept"


class State(Handle):
    """A nightly state: every accepted record kept, day batches added, a
    result at any as-of equal to crmkit.analyze over every record added so
    far, and bytes to store between nights (a file, a database BLOB).

        st = crmkit.State(model="bgnbd", spend_model=True)   # or State.from_bytes(blob, ...)
        st.add(todays_receipts)                 # a DataFrame, as analyze() takes it
        st.fit()                                # weekly: fit the models once and keep them
        profiles = st.result().to_pandas()      # nightly: valued with the kept fit
        blob = st.to_bytes()

    The configuration (config=, options as keywords) is fixed for the state's
    life; give the same one to from_bytes(). Customer ids must be integers
    (the state keeps no labels). See README "Nightly state".
    """

    _free = "crm_state_free"
    _noun = "state"

    def __init__(self, config: Optional[Config] = None, **options: Any) -> None:
        self._cfg = _make_config(config, dict(options), None)
        out = ctypes.POINTER(_ffi.crm_state_handle)()
        err = new_error()
        check(C.crm_state_create(self._cfg.handle, ctypes.byref(out), ctypes.byref(err)), err, "crm_state_create")
        Handle.__init__(self, out)

    @classmethod
    def from_bytes(cls, data: bytes, config: Optional[Config] = None, **options: Any) -> "State":
        """A state from to_bytes()'s bytes (crm_state_load) under a configuration
        (the bytes keep the records and a kept fit, not the options).
        crmkit.Error with status "corrupt" for damaged bytes, "version" for
        a newer format, "mismatch" for another day_offset or survey_scale_max."""
        self = cls.__new__(cls)
        self._cfg = _make_config(config, dict(options), None)
        raw = bytes(data)
        buf = raw if raw else None  # read in place: the library only reads len(raw) bytes
        out = ctypes.POINTER(_ffi.crm_state_handle)()
        err = new_error()
        check(C.crm_state_load(self._cfg.handle, buf, len(raw), ctypes.byref(out), ctypes.byref(err)), err,
              "crm_state_load")
        Handle.__init__(self, out)
        return self

    def add(self, *columns: Any, customer_id: Any = None, time: Any = None, amount: Any = None,
            interactions: Any = None, customers: Any = None, cost: Any = None, discount: Any = None,
            interactions_columns: Optional[Mapping[str, str]] = None,
            customers_columns: Optional[Mapping[str, str]] = None,
            time_format: Optional[str] = None) -> "State":
        """Add a batch (crm_state_add): transactions, interactions= and
        customers= as crmkit.analyze() takes them; any of them may be left
        out. Records may be late, returns, or complaint events of earlier
        complaints. Returns the state."""
        keep = []
        if not columns and customer_id is None and time is None and amount is None:
            if interactions is None and customers is None:
                return self
        inputs = _Inputs(columns, customer_id, time, amount, cost, discount, interactions, customers, self._cfg,
                         keep, interactions_columns, customers_columns, time_format, factorize=False)
        tx, ix, cu = inputs.refs()
        err = new_error()
        check(C.crm_state_add(self.handle, tx, ix, cu, ctypes.byref(err)), err, "crm_state_add")
        del keep
        return self

    def _time(self, as_of):
        if as_of is None:
            return _NO_TIME
        return to_seconds_int64(as_of, self._cfg.get("day_offset"), True, "as_of")

    def _guard(self, progress):
        handle = self.handle
        return Interruptible(None, progress, lambda cb, err: C.crm_state_set_progress(handle, cb, None, err))

    def result(self, as_of: Any = None, progress: Optional[Callable[[str, int, int], Any]] = None) -> Result:
        """The analysis of every record added so far (crm_state_result) at
        as_of (as analyze() takes it; None: the analysis's default).
        progress: as for analyze() (a true result stops it: crmkit.Error,
        status "cancelled"); Ctrl-C stops it and raises KeyboardInterrupt."""
        out = ctypes.POINTER(_ffi.crm_result)()
        err = new_error()
        with self._guard(progress) as guard:
            status = C.crm_state_result(self.handle, self._time(as_of), ctypes.byref(out), ctypes.byref(err))
        guard.check(status)
        check(status, err, "crm_state_result")
        return Result(out)

    def fit(self, as_of: Any = None, progress: Optional[Callable[[str, int, int], Any]] = None) -> "State":
        """Fit the enabled models (model=, spend_model=) on every record kept
        and keep their parameters (crm_state_fit): later results value the
        customers with them instead of fitting. A fit that reached its
        budget before converging is kept all the same, with a
        crmkit.ConvergenceWarning. progress and Ctrl-C as for result(); a
        stopped fit leaves the state as it was. Returns the state."""
        err = new_error()
        with self._guard(progress) as guard:
            status = C.crm_state_fit(self.handle, self._time(as_of), ctypes.byref(err))
        guard.check(status)
        if status == _ffi.CRM_STATUS_NOT_CONVERGED:
            warnings.warn(ConvergenceWarning(str(error_from(status, err, "crm_state_fit"))), stacklevel=2)
            return self
        check(status, err, "crm_state_fit")
        return self

    def forget_fit(self) -> "State":
        """Forget the kept fit: later results fit the models again."""
        C.crm_state_forget_fit(self.handle)
        return self

    @property
    def models(self) -> str:
        """Where results take their models from: "refit", "kept", "given", "none",
        or "mismatch" (a kept fit the configuration's models do not match:
        result() fails until fit() or forget_fit())."""
        return _ffi.crm_models_source(C.crm_state_models(self.handle, None)).name[len("CRM_MODELS_SOURCE_"):].lower()

    @property
    def fitted_at(self) -> Optional[int]:
        """The as-of (seconds) of the kept fit, or None."""
        at = ctypes.c_int64()
        C.crm_state_models(self.handle, ctypes.byref(at))
        return None if at.value == _NO_TIME else at.value

    @property
    def customers(self) -> int:
        return int(C.crm_state_customers(self.handle))

    def records(self, input: str = "transactions") -> int:
        """Kept records of an input ("transactions", "interactions", "customers")."""
        code = _ffi.crm_input["CRM_INPUT_" + input.upper()].value
        return int(C.crm_state_records(self.handle, code))

    @property
    def latest(self) -> Optional[int]:
        """The latest kept record's time (the earliest as_of result() takes), or None."""
        t = int(C.crm_state_latest(self.handle))
        return None if t == _NO_TIME else t

    def to_bytes(self) -> bytes:
        """The state as the library's versioned, checksummed bytes (crm_state_save)."""
        size = ctypes.c_size_t()
        err = new_error()
        check(C.crm_state_save(self.handle, None, 0, ctypes.byref(size), ctypes.byref(err)), err, "crm_state_save")
        buf = ctypes.create_string_buffer(max(size.value, 1))
        check(C.crm_state_save(self.handle, buf, size.value, ctypes.byref(size), ctypes.byref(err)), err,
              "crm_state_save")
        return buf.raw[:size.value]

    def __repr__(self) -> str:
        if not self._h:
            return "<crmkit.State closed>"
        return "<crmkit.State %d customers, %d transactions, models %s>" % (
            self.customers, self.records("transactions"), self.models)

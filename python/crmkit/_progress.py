"""Progress and cancellation of long calls (fits, analyses): Ctrl-C stops
the C work at its next progress report and raises KeyboardInterrupt."""

import ctypes
import signal
import threading

from . import _ffi
from ._loader import C, check, new_error

PHASES = {_ffi.CRM_PHASE_SUMMARIZE: "summarize", _ffi.CRM_PHASE_POPULATION: "population",
          _ffi.CRM_PHASE_SCORE: "score", _ffi.CRM_PHASE_FIT: "fit"}


class Interruptible:
    """with Interruptible(cfg, progress) as guard: status = C.call(...);
    guard.check(status) raises KeyboardInterrupt when Ctrl-C stopped it.

    Sets a progress callback on cfg (a private copy made for the call): the
    C library reports at every likelihood evaluation of a fit and between
    the stages of an analysis, and the callback asks it to stop once SIGINT
    has arrived. On the main thread SIGINT is caught by a handler that only
    records it (so that no KeyboardInterrupt is raised inside the callback,
    where ctypes would swallow it); elsewhere the interpreter's handler
    raises it inside the callback, which records it the same way.
    progress: None or a callable (phase, done, total) whose true result
    stops the call (crmkit.Error with status "cancelled" then).
    """

    def __init__(self, cfg, progress=None, install=None):
        """install: None to set the callback on cfg, or a function(cb, err)
        returning a crm_status that sets it elsewhere (a nightly state's
        crm_state_set_progress; cfg is then unused)."""
        self.cfg = cfg
        self.progress = progress
        self._install = install or (lambda cb, err: C.crm_config_set_progress(self.cfg.handle, cb, None, err))
        self.interrupted = False
        self.error = None
        self._old = None
        self._cb = _ffi.crm_progress_fn(self._report)

    def _report(self, opaque, phase, done, total):
        try:
            if self.interrupted:
                return 1
            if self.progress is not None and self.progress(PHASES.get(phase, phase), done, total):
                return 1
            return 1 if self.interrupted else 0
        except KeyboardInterrupt:
            self.interrupted = True
            return 1
        except BaseException as e:  # noqa: B902 - any failure of the caller's callback stops the call
            self.error = e
            return 1

    def _on_sigint(self, signum, frame):
        self.interrupted = True

    def __enter__(self):
        err = new_error()
        check(self._install(self._cb, ctypes.byref(err)), err, "setting the progress callback")
        if threading.current_thread() is threading.main_thread():
            try:
                self._old = signal.signal(signal.SIGINT, self._on_sigint)
            except (ValueError, TypeError):
                self._old = None
        return self

    def __exit__(self, *exc):
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)
            self._old = None
        self._install(_ffi.crm_progress_fn(), None)
        return False

    def check(self, status):
        """Raise what stopped a cancelled call: KeyboardInterrupt for Ctrl-C,
        the progress callback's own exception; else nothing."""
        if status == _ffi.CRM_STATUS_CANCELLED or self.interrupted:
            if self.interrupted:
                raise KeyboardInterrupt
            if self.error is not None:
                raise self.error

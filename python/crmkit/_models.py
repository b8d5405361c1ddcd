"""crmkit.fit and crmkit.Model: BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma."""

import array
import ctypes
import numbers
import warnings
from typing import Any, Dict, List, Optional, Tuple

from . import _ffi
from ._config import Config
from ._convert import column, is_numpy_array, is_series, numpy_module, table_columns
from ._errors import ConvergenceWarning
from ._handle import Handle
from ._loader import C, check, error_from, new_error
from ._names import enum_names, model_kind, model_kind_name, model_param_names
from ._progress import Interruptible

DOUBLE_P = ctypes.POINTER(ctypes.c_double)

# Column names accepted in a data table (DataFrame, mapping, structured array,
# crmkit.Result), first match wins; the lifetimes-style names are aliases.
DATA_NAMES = {
    "x": ("x", "frequency"),
    "t_x": ("t_x", "recency"),
    "T": ("T", "periods"),
    "spend": ("spend", "repeat_spend", "monetary_value"),
    "weight": ("weight", "weights"),
}


def _is_scalar(v):
    if isinstance(v, bool):
        return False
    if isinstance(v, numbers.Real):
        return True
    np = numpy_module()
    return np is not None and isinstance(v, np.ndarray) and v.ndim == 0


class _Data(object):
    """A crm_model_data over the given columns plus the output shape."""

    def __init__(self, fields):
        self.keep = []
        vectors = {k: v for k, v in fields.items() if v is not None and not _is_scalar(v)}
        self.numpy = any(is_numpy_array(v) or is_series(v) for v in vectors.values())
        self.scalar = not vectors
        views = {}
        for k, v in vectors.items():
            views[k] = column(v, "f64", k)
        counts = set(view.count for view in views.values())
        if len(counts) > 1:
            raise ValueError("model data: columns differ in length: %s"
                             % ", ".join("%s=%d" % (k, view.count) for k, view in views.items()))
        n = counts.pop() if counts else 1
        for k, v in fields.items():
            if v is not None and _is_scalar(v):
                views[k] = column(array.array("d", [float(v)]) * n, "f64", k)
        self.count = n
        self.views = views
        d = _ffi.crm_model_data()
        err = new_error()
        check(C.crm_model_data_init_sized(ctypes.byref(d), ctypes.sizeof(d), ctypes.byref(err)), err,
              "crm_model_data_init")
        if d.struct_size != ctypes.sizeof(d):
            raise RuntimeError("crmkit: the library's crm_model_data has %d bytes, the bindings' %d: the loaded "
                               "library has another layout" % (d.struct_size, ctypes.sizeof(d)))
        for k in ("x", "t_x", "T", "spend", "weight"):
            view = views.get(k)
            if view is not None:
                setattr(d, k, ctypes.cast(view.address, DOUBLE_P))
                setattr(d, k + "_stride", view.stride)
        d.count = n
        self.struct = d

    def output(self):
        """(buffer, pointer) for count doubles."""
        np = numpy_module()
        if self.numpy and np is not None:
            buf = np.empty(self.count, dtype="float64")
            return buf, ctypes.cast(buf.ctypes.data, DOUBLE_P)
        buf = (ctypes.c_double * max(1, self.count))()
        return buf, ctypes.cast(buf, DOUBLE_P)

    def result(self, buf):
        if self.scalar:
            return float(buf[0])
        if self.numpy and numpy_module() is not None:
            return buf
        return list(buf[:self.count])


def _fields_from(data, x, t_x, T, spend, weights):
    fields = {"x": x, "t_x": t_x, "T": T, "spend": spend, "weight": weights}
    if data is None:
        return fields
    names = []
    for key, aliases in DATA_NAMES.items():
        names.extend((a, False) for a in aliases)
    from ._result import Result
    if isinstance(data, Result):
        # rows of customers with a purchase day (x is NaN for the others)
        present = set(data.columns)
        xs = data["x"] if "x" in present else []
        rows = [i for i, v in enumerate(xs) if v == v]
        np = numpy_module()
        cols = {}
        for a, _ in names:
            if a not in present:
                cols[a] = None
            elif np is not None:
                cols[a] = data.array(a)[rows] if len(rows) != len(xs) else data.array(a)
            else:
                col = data[a]
                cols[a] = [col[i] for i in rows]
    else:
        cols = table_columns(data, names, "model data")
        if cols is None:
            raise TypeError("data must be a pandas DataFrame, a mapping of columns, a numpy structured "
                            "array or a crmkit.Result")
    for key, aliases in DATA_NAMES.items():
        if fields[key] is None:
            for a in aliases:
                if cols.get(a) is not None:
                    fields[key] = cols[a]
                    break
    return fields


class Model(Handle):
    """A fitted (or given) customer-value model.

    kind        "bgnbd", "mbgnbd", "pareto_nbd", "gamma_gamma" or "bgbb"
    params      {name: value} in the library's order of the kind's parameters
                (crmkit.model_param_names(kind))
    stderr      {name: standard error} (NaN where not available)
    loglik, converged, iterations

    Predictions are vectorised: sequences give lists, numpy arrays (or pandas
    Series) give numpy arrays, scalars give a float; a scalar argument is
    broadcast against the others.
    """

    _free = "crm_model_free"
    _noun = "model"

    def __init__(self, handle, owner=None):
        # owner: a Result the model is borrowed from, or None (owned)
        Handle.__init__(self, handle, owner)

    @classmethod
    def from_params(cls, kind, params, config=None):
        """A model with known parameters: params is a sequence in the order of
        the parameter names, or a dict keyed by them."""
        k = model_kind(kind)
        if isinstance(params, dict):
            order = model_param_names(k)
            missing = [p for p in order if p not in params]
            if missing:
                raise KeyError("missing parameters: %s" % ", ".join(missing))
            unknown = [p for p in params if p not in order]
            if unknown:
                raise KeyError("%s has no parameter %s (parameters: %s)"
                               % (model_kind_name(k), ", ".join(unknown), ", ".join(order)))
            values = [float(params[p]) for p in order]
        else:
            values = [float(p) for p in params]
        buf = (ctypes.c_double * max(1, len(values)))(*values)
        out = ctypes.POINTER(_ffi.crm_model)()
        err = new_error()
        cfg = config.handle if config is not None else None
        check(C.crm_model_from_params(cfg, k, buf, len(values), ctypes.byref(out), ctypes.byref(err)), err,
              "crm_model_from_params")
        return cls(out)

    @property
    def kind(self):
        return model_kind_name(C.crm_model_kind_of(self.handle))

    @property
    def param_names(self):
        """The parameter names of this model's kind, from the library."""
        return list(model_param_names(C.crm_model_kind_of(self.handle)))

    @property
    def params(self):
        h = self.handle
        return {n: float(C.crm_model_param(h, i)) for i, n in enumerate(self.param_names)}

    @property
    def stderr(self):
        h = self.handle
        return {n: float(C.crm_model_stderr(h, i)) for i, n in enumerate(self.param_names)}

    @property
    def loglik(self):
        return float(C.crm_model_loglik(self.handle))

    @property
    def converged(self):
        return bool(C.crm_model_converged(self.handle))

    @property
    def iterations(self):
        return int(C.crm_model_iterations(self.handle))

    @property
    def status(self):
        """The status name of the fit that made the model ("ok", "not_converged",
        or, for a model of an analysis that could not be fitted, "not_identified")."""
        v = int(C.crm_model_status(self.handle))
        return enum_names(_ffi.CRM_ENUM_STATUS).get(v, str(v))

    @property
    def message(self):
        """What the fit has to say: why it stopped or could not be fitted, the
        limit it reached, or why Gamma-Gamma has no mean spend ("" if nothing)."""
        return C.crm_model_message(self.handle).decode()

    @property
    def limits(self):
        """The names of the model limits the parameters are at (crm_model_limits)."""
        bits = int(C.crm_model_limits(self.handle))
        return [name for v, name in sorted(enum_names(_ffi.CRM_ENUM_LIMIT).items()) if bits >> v & 1]

    def _predict(self, fn, name, fields, *extra):
        data = _Data(fields)
        buf, ptr = data.output()
        err = new_error()
        check(fn(self.handle, *(extra + (ctypes.byref(data.struct), ptr, ctypes.byref(err)))), err, name)
        return data.result(buf)

    def p_alive(self, x: Any = None, t_x: Any = None, T: Any = None, data: Any = None) -> Any:
        """P(alive | x, t_x, T) per row."""
        f = _fields_from(data, x, t_x, T, None, None)
        f.pop("spend")
        f.pop("weight")
        return self._predict(C.crm_model_p_alive, "crm_model_p_alive", f)

    def expected_purchases(self, t: float, x: Any = None, t_x: Any = None, T: Any = None, data: Any = None) -> Any:
        """E[X(T, T + t) | x, t_x, T]: expected purchases in the next t time units."""
        f = _fields_from(data, x, t_x, T, None, None)
        f.pop("spend")
        f.pop("weight")
        return self._predict(lambda h, *a: C.crm_model_expected_purchases(h, float(t), *a),
                             "crm_model_expected_purchases", f)

    def expected_spend(self, x: Any = None, spend: Any = None, data: Any = None) -> Any:
        """Gamma-Gamma: E[spend | x, mean spend] per row (the population mean for x = 0)."""
        f = _fields_from(data, x, None, None, spend, None)
        f = {"x": f["x"], "spend": f["spend"]}
        return self._predict(C.crm_model_expected_spend, "crm_model_expected_spend", f)

    def expected_purchases_new(self, t):
        """E[X(t)] for a new customer."""
        out = ctypes.c_double()
        err = new_error()
        check(C.crm_model_expected_purchases_new(self.handle, float(t), ctypes.byref(out), ctypes.byref(err)),
              err, "crm_model_expected_purchases_new")
        return out.value

    def prob_purchases(self, t, n):
        """P(X(t) = n) for a new customer."""
        out = ctypes.c_double()
        err = new_error()
        check(C.crm_model_prob_purchases(self.handle, float(t), int(n), ctypes.byref(out), ctypes.byref(err)),
              err, "crm_model_prob_purchases")
        return out.value

    def clv(self, spend_model=None, x=None, t_x=None, T=None, spend=None, data=None, config=None, **options):
        """Customer lifetime value per row with this purchase model, with the
        convention of the analysis's clv column (crm_model_clv):
        margin * E[spend] * sum_i (E[X(t_i)] - E[X(t_{i-1})]) / (1 + rate)^(t_i in years)
        over horizon_days in monthly steps, the data in units of
        time_unit_days days. Those options (time_unit_days, horizon_days,
        discount_rate yearly, margin) come from config (a crmkit.Config, not
        modified) and options by name, else the library's defaults.
        E[spend]: spend_model (Gamma-Gamma) when given, else the spend column."""
        f = _fields_from(data, x, t_x, T, spend, None)
        f.pop("weight")
        sm = spend_model.handle if spend_model is not None else None
        cfg = None
        if config is not None or options:
            cfg = config.copy() if config is not None else Config()
            for name, value in options.items():
                cfg.set(name, value)
        ch = cfg.handle if cfg is not None else None
        return self._predict(lambda h, d, out, err: C.crm_model_clv(h, sm, ch, d, out, err), "crm_model_clv", f)

    def log_likelihood(self, x=None, t_x=None, T=None, spend=None, weights=None, data=None, per_row=False):
        """The log-likelihood of the rows at this model's parameters
        (crm_model_loglik_rows): the weighted total, or with per_row=True each
        row's own (unweighted) value. Gamma-Gamma reads x and spend; its rows
        with x = 0 contribute 0."""
        f = _fields_from(data, x, t_x, T, spend, weights)
        if self.kind == "gamma_gamma":
            f.pop("t_x")
            f.pop("T")
        else:
            f.pop("spend")
        d = _Data(f)
        buf, ptr = d.output()
        total = ctypes.c_double()
        err = new_error()
        check(C.crm_model_loglik_rows(self.handle, ctypes.byref(d.struct), ptr if per_row else None,
                                      ctypes.byref(total), ctypes.byref(err)), err, "crm_model_loglik_rows")
        return d.result(buf) if per_row else total.value

    def prob_purchases_conditional(self, t, n, x=None, t_x=None, T=None, data=None):
        """P(X(T, T + t) = n | x, t_x, T): exactly n purchases in the next t time units, per row."""
        f = _fields_from(data, x, t_x, T, None, None)
        f.pop("spend")
        f.pop("weight")
        return self._predict(lambda h, *a: C.crm_model_prob_purchases_conditional(h, float(t), int(n), *a),
                             "crm_model_prob_purchases_conditional", f)

    def _grid(self, fn, name, head, x_values, tx_values):
        xs = [float(v) for v in x_values]
        ts = [float(v) for v in tx_values]
        xb = (ctypes.c_double * max(1, len(xs)))(*xs)
        tb = (ctypes.c_double * max(1, len(ts)))(*ts)
        out = (ctypes.c_double * max(1, len(xs) * len(ts)))()
        err = new_error()
        check(fn(self.handle, *(head + (xb, len(xs), tb, len(ts), out, ctypes.byref(err)))), err, name)
        rows = [list(out[i * len(ts):(i + 1) * len(ts)]) for i in range(len(xs))]
        np = numpy_module()
        if np is not None and (is_numpy_array(x_values) or is_numpy_array(tx_values)):
            return np.array(rows, dtype="float64").reshape(len(xs), len(ts))
        return rows

    def p_alive_matrix(self, T: float, x_values: Any, tx_values: Any) -> Any:
        """P(alive) over a grid at one T: result[i][j] for x = x_values[i],
        t_x = tx_values[j] (a numpy array when either input is one). Cells
        that cannot occur (x = 0, t_x > 0) are NaN."""
        return self._grid(C.crm_model_p_alive_matrix, "crm_model_p_alive_matrix", (float(T),), x_values, tx_values)

    def expected_purchases_matrix(self, t: float, T: float, x_values: Any, tx_values: Any) -> Any:
        """E[X(T, T + t) | x, t_x, T] over a grid, laid out as p_alive_matrix."""
        return self._grid(C.crm_model_expected_purchases_matrix, "crm_model_expected_purchases_matrix",
                          (float(t), float(T)), x_values, tx_values)

    def expected_cumulative(self, birth: Any, times: Any) -> Any:
        """Expected cumulative repeat transactions of a population at each
        of times (crm_model_expected_cumulative): the sum over customers
        born before t of E[X(t - birth)]. birth: each customer's first
        transaction, times: points in calendar time, both in the model's
        time unit from one origin. A list (a numpy array when times is one)."""
        bs = [float(v) for v in birth]
        ts = [float(v) for v in times]
        bb = (ctypes.c_double * max(1, len(bs)))(*bs)
        tb = (ctypes.c_double * max(1, len(ts)))(*ts)
        out = (ctypes.c_double * max(1, len(ts)))()
        err = new_error()
        check(C.crm_model_expected_cumulative(self.handle, bb, len(bs), tb, len(ts), out, ctypes.byref(err)), err,
              "crm_model_expected_cumulative")
        values = list(out[:len(ts)])
        np = numpy_module()
        if np is not None and is_numpy_array(times):
            return np.array(values, dtype="float64")
        return values

    def alive_path(self, times: Any, step: float = 1.0, points: Optional[int] = None) -> List[float]:
        """One customer's P(alive) at times[0] + k * step, k = 0 .. points - 1,
        from their ascending purchase times (in the model's time unit; the
        first is the first purchase). points defaults to the span of times
        in steps plus one."""
        ts = [float(v) for v in times]
        if points is None:
            points = int((ts[-1] - ts[0]) // float(step)) + 1 if ts else 0
        tb = (ctypes.c_double * max(1, len(ts)))(*ts)
        out = (ctypes.c_double * max(1, int(points)))()
        err = new_error()
        check(C.crm_model_alive_path(self.handle, tb, len(ts), float(step), int(points), out, ctypes.byref(err)),
              err, "crm_model_alive_path")
        return list(out[:int(points)])

    def confint(self, level: float = 0.95, log_scale: bool = False) -> Dict[str, Tuple[float, float]]:
        """{name: (lower, upper)}: confidence intervals from the standard
        errors, on the natural scale (param -/+ z se) or, with log_scale=True,
        on the log scale (param * exp(-/+ z se / param), always positive)."""
        n = len(self.param_names)
        lo = (ctypes.c_double * n)()
        hi = (ctypes.c_double * n)()
        err = new_error()
        check(C.crm_model_confint(self.handle, float(level), 1 if log_scale else 0, lo, hi, ctypes.byref(err)),
              err, "crm_model_confint")
        return {name: (lo[i], hi[i]) for i, name in enumerate(self.param_names)}

    def fit_figures(self) -> Dict[str, Any]:
        """The figures of the fit as a dict (no pandas needed): kind,
        loglik, aic, bic, converged, status, iterations, message, limits,
        time_unit_days. summary() puts the same dict in its frame's attrs."""
        return {"kind": self.kind, "loglik": self.loglik, "aic": self.aic, "bic": self.bic,
                "converged": self.converged, "status": self.status, "iterations": self.iterations,
                "message": self.message, "limits": self.limits, "time_unit_days": self.time_unit_days}

    def summary(self, level: float = 0.95, log_scale: bool = False) -> Any:
        """A pandas DataFrame, one row per parameter (index "param", in the
        library's order): estimate, std_error, lower and upper (the level
        confidence interval of confint(level, log_scale)). The fit figures
        (fit_figures(), plus level and log_scale) are in df.attrs. Needs
        pandas."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("Model.summary() needs pandas, which is not installed (fit_figures() does not)")
        names = self.param_names
        params, stderr, ci = self.params, self.stderr, self.confint(level, log_scale)
        df = pd.DataFrame({"estimate": [params[n] for n in names], "std_error": [stderr[n] for n in names],
                           "lower": [ci[n][0] for n in names], "upper": [ci[n][1] for n in names]},
                          index=pd.Index(names, name="param"))
        df.attrs.update(self.fit_figures())
        df.attrs["level"] = float(level)
        df.attrs["log_scale"] = bool(log_scale)
        return df

    @property
    def aic(self):
        """2 k - 2 loglik (NaN for a model not fitted)."""
        return float(C.crm_model_aic(self.handle))

    @property
    def bic(self):
        """k log(customers) - 2 loglik (NaN for a model not fitted)."""
        return float(C.crm_model_bic(self.handle))

    def dert(self, delta, x=None, t_x=None, T=None, data=None):
        """Pareto/NBD: discounted expected residual transactions per row
        (crm_model_dert), delta the continuous discount rate per time unit."""
        f = _fields_from(data, x, t_x, T, None, None)
        f.pop("spend")
        f.pop("weight")
        return self._predict(lambda h, *a: C.crm_model_dert(h, float(delta), *a), "crm_model_dert", f)

    def clv_dert(self, spend_model=None, x=None, t_x=None, T=None, spend=None, data=None, config=None,
                 **options):
        """Pareto/NBD: CLV over the whole lifetime, margin * E[spend] * DERT
        (crm_model_clv_dert), the rate from discount_rate (yearly) and
        time_unit_days; options and spend as clv."""
        f = _fields_from(data, x, t_x, T, spend, None)
        f.pop("weight")
        sm = spend_model.handle if spend_model is not None else None
        cfg = None
        if config is not None or options:
            cfg = config.copy() if config is not None else Config()
            for name, value in options.items():
                cfg.set(name, value)
        ch = cfg.handle if cfg is not None else None
        return self._predict(lambda h, d, out, err: C.crm_model_clv_dert(h, sm, ch, d, out, err),
                             "crm_model_clv_dert", f)

    @property
    def time_unit_days(self):
        """Days per time unit of the data the model was fitted on: known for
        the models of an analysis, None otherwise."""
        v = float(C.crm_model_time_unit_days(self.handle))
        return None if v != v else v

    def to_bytes(self):
        """The model in the library's versioned, checksummed byte format
        (crm_model_save): kind, parameters, standard errors, log-likelihood,
        status and time unit."""
        size = ctypes.c_size_t()
        err = new_error()
        C.crm_model_save(self.handle, None, 0, ctypes.byref(size), ctypes.byref(err))
        buf = ctypes.create_string_buffer(size.value)
        check(C.crm_model_save(self.handle, buf, size.value, ctypes.byref(size), ctypes.byref(err)), err,
              "crm_model_save")
        return buf.raw[:size.value]

    @classmethod
    def from_bytes(cls, data, config=None):
        """A model from to_bytes's bytes (crm_model_load). crmkit.Error with
        status CRM_STATUS_CORRUPT when they are not a saved model (truncated,
        altered), CRM_STATUS_VERSION when a newer library wrote them."""
        raw = bytes(data)
        buf = raw if raw else None  # read in place: the library only reads len(raw) bytes
        out = ctypes.POINTER(_ffi.crm_model)()
        err = new_error()
        cfg = config.handle if config is not None else None
        check(C.crm_model_load(cfg, buf, len(raw), ctypes.byref(out), ctypes.byref(err)), err, "crm_model_load")
        return cls(out)

    def __reduce__(self):
        # pickle through the library's byte format
        return (_model_from_bytes, (self.to_bytes(),))

    def to_dict(self):
        """A plain dict: kind, params, stderr, loglik, converged, iterations,
        status, message, limits, time_unit_days, and "saved", the to_bytes
        form in base64, which from_dict reads back exactly."""
        import base64
        return {
            "kind": self.kind, "params": self.params, "stderr": self.stderr, "loglik": self.loglik,
            "converged": self.converged, "iterations": self.iterations, "status": self.status,
            "message": self.message, "limits": self.limits, "time_unit_days": self.time_unit_days,
            "saved": base64.b64encode(self.to_bytes()).decode("ascii"),
        }

    @classmethod
    def from_dict(cls, d, config=None):
        """The model of to_dict's dict: from its "saved" bytes when present
        (checked), else a model of the given kind and params (from_params)."""
        if d.get("saved") is not None:
            import base64
            return cls.from_bytes(base64.b64decode(d["saved"]), config)
        return cls.from_params(d["kind"], d["params"], config)

    def __repr__(self):
        if not self._h:
            return "<crmkit.Model closed>"
        p = ", ".join("%s=%.6g" % kv for kv in self.params.items())
        return "<crmkit.Model %s %s loglik=%.6g%s>" % (self.kind, p, self.loglik,
                                                        "" if self.converged else " NOT CONVERGED")


def _model_from_bytes(data):
    return Model.from_bytes(data)


def fit(model: str, x: Any = None, t_x: Any = None, T: Any = None, spend: Any = None, weights: Any = None,
        data: Any = None, config: Optional[Config] = None, progress: Any = None, **options: Any) -> "Model":
    """Fit a model by maximum likelihood.

    model: "bgnbd", "mbgnbd", "pareto_nbd", "gamma_gamma" or "bgbb".
    x: repeat purchase days; t_x: first to last purchase; T: first purchase to
    the end of observation (one time unit for all); for "bgbb" (discrete
    time) x is the opportunities with a transaction, t_x the last of them
    and T (data name T or periods) the opportunities n, whole numbers with
    x <= t_x <= n; spend: mean spend per
    repeat purchase day (Gamma-Gamma); weights: customers per row (default 1).
    Columns may come from data= (DataFrame, mapping, structured array or a
    crmkit.Result; names x/frequency, t_x/recency, T, spend/repeat_spend/
    monetary_value, weight/weights; of a Result only the rows with a purchase
    day, where x is defined, are used). options: max_iterations, tolerance,
    l2_penalty, max_evaluations, fit_seconds, spend_q_constraint (the
    configuration options of the same names).

    progress: None or a callable ("fit", evaluations, max_evaluations) called
    at every likelihood evaluation; a true result stops the fit (crmkit.Error,
    status "cancelled"). Ctrl-C stops it at the next evaluation and raises
    KeyboardInterrupt.

    Data that cannot identify the model raises crmkit.Error with status
    "not_identified" and the reason. A fit that does not converge returns the model with converged == False and
    issues a crmkit.ConvergenceWarning; every other failure raises crmkit.Error.
    """
    kind = model_kind(model)
    fields = _fields_from(data, x, t_x, T, spend, weights)
    d = _Data(fields)
    if d.scalar:
        raise TypeError("fit() needs columns (sequences or arrays), not scalars")
    cfg = config.copy() if config is not None else Config()
    for name, value in options.items():
        cfg.set(name, value)
    out = ctypes.POINTER(_ffi.crm_model)()
    err = new_error()
    with Interruptible(cfg, progress) as guard:
        status = C.crm_model_fit(cfg.handle, kind, ctypes.byref(d.struct), ctypes.byref(out), ctypes.byref(err))
    guard.check(status)
    if status == _ffi.CRM_STATUS_NOT_CONVERGED and out:
        e = error_from(status, err, "crm_model_fit")
        warnings.warn(ConvergenceWarning(str(e)), stacklevel=2)
        return Model(out)
    check(status, err, "crm_model_fit")
    return Model(out)


def clv(purchase_model: "Model", spend_model: Optional["Model"] = None, **kwargs: Any) -> Any:
    """crmkit.clv(purchase_model, spend_model, x=, t_x=, T=, spend=, data=,
    config=, time_unit_days=, horizon_days=, discount_rate=, margin=): see
    Model.clv."""
    return purchase_model.clv(spend_model, **kwargs)


def spend_correlation(x: Any = None, spend: Any = None, weights: Any = None, data: Any = None) -> float:
    """The Gamma-Gamma independence check: the correlation of x (frequency)
    and mean spend over the rows with x > 0 (crm_model_spend_correlation).
    Gamma-Gamma assumes it is close to 0."""
    f = _fields_from(data, x, None, None, spend, weights)
    d = _Data({"x": f["x"], "spend": f["spend"], "weight": f["weight"]})
    out = ctypes.c_double()
    err = new_error()
    check(C.crm_model_spend_correlation(ctypes.byref(d.struct), ctypes.byref(out), ctypes.byref(err)), err,
          "crm_model_spend_correlation")
    return out.value

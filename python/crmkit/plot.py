"""crmkit.plot: matplotlib charts of results and models.

matplotlib is optional: this module imports without it and each function
raises ImportError only when called. Every function draws on ax= (a
matplotlib Axes; a new figure when None) and returns the Axes. The figures
drawn are the library's: the matrices come from Model.p_alive_matrix and
Model.expected_purchases_matrix, the history from Model.alive_path, the bars
from Result.group; only grouping for display (means per cell, per
frequency) is done here.

    import crmkit, crmkit.plot
    ax = crmkit.plot.p_alive_matrix(model, T=39)
    ax.figure.savefig("p_alive.png")
"""

from typing import Any, Optional, Sequence

__all__ = ["frequency_recency_matrix", "p_alive_matrix", "calibration_holdout", "alive_history", "tracking",
           "rfm_heatmap", "segments", "tiers", "lifecycle", "lifecycle_transitions"]


def _modules():
    try:
        import numpy
        import matplotlib
    except ImportError as exc:
        raise ImportError("crmkit.plot needs matplotlib (and numpy), which is not importable: %s "
                          "(Debian: apt-get install python3-matplotlib; pip install matplotlib)" % exc)
    return numpy, matplotlib


def _axes(ax):
    _modules()
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt
    return plt.subplots()[1]


def _matrix(ax, values, T, max_frequency, title, label, cmap):
    im = ax.imshow(values, origin="lower", aspect="auto", interpolation="nearest", cmap=cmap,
                   extent=(0.0, float(T), -0.5, max_frequency + 0.5))
    ax.figure.colorbar(im, ax=ax, label=label)
    ax.set_xlabel("recency t_x (time units since the first purchase)")
    ax.set_ylabel("frequency x (repeat purchase days)")
    ax.set_title(title)
    return ax


def _grid(T, max_frequency, points):
    np, _ = _modules()
    return np.arange(int(max_frequency) + 1, dtype="float64"), np.linspace(0.0, float(T), int(points))


def frequency_recency_matrix(model: Any, T: float, t: float = 1.0, max_frequency: int = 20, points: int = 50,
                             ax: Any = None, cmap: str = "viridis") -> Any:
    """Expected purchases in the next t time units by frequency x (rows)
    and recency t_x (columns) at one age T (Model.expected_purchases_matrix).
    Cells that cannot occur (x = 0, t_x > 0) are blank."""
    ax = _axes(ax)
    xs, ts = _grid(T, max_frequency, points)
    values = model.expected_purchases_matrix(t, T, xs, ts)
    return _matrix(ax, values, T, max_frequency, "Expected purchases in the next %g time units (T = %g)" % (t, T),
                   "expected purchases", cmap)


def p_alive_matrix(model: Any, T: float, max_frequency: int = 20, points: int = 50, ax: Any = None,
                   cmap: str = "RdYlGn") -> Any:
    """P(alive) by frequency x (rows) and recency t_x (columns) at one age T
    (Model.p_alive_matrix)."""
    ax = _axes(ax)
    xs, ts = _grid(T, max_frequency, points)
    values = model.p_alive_matrix(T, xs, ts)
    ax = _matrix(ax, values, T, max_frequency, "P(alive) at T = %g" % T, "P(alive)", cmap)
    ax.images[-1].set_clim(0.0, 1.0)
    return ax


def calibration_holdout(split: Any, model: Any, t: float, max_frequency: int = 7, ax: Any = None) -> Any:
    """Calibration versus holdout: mean actual holdout purchases (the
    holdout_purchases column of crmkit.calibration_split) and mean expected
    purchases (Model.expected_purchases over the holdout length t, in the
    model's time unit) of the customers of each calibration frequency x
    (x >= max_frequency in the last group)."""
    np, _ = _modules()
    ax = _axes(ax)
    x, t_x, T = split.array("x"), split.array("t_x"), split.array("T")
    actual = split.array("holdout_purchases").astype("float64")
    expected = np.asarray(model.expected_purchases(t, x=x, t_x=t_x, T=T), dtype="float64")
    group = np.minimum(x, max_frequency).astype("int64")
    levels = np.arange(int(max_frequency) + 1)
    def means(v):
        return [v[group == g].mean() if (group == g).any() else np.nan for g in levels]
    ax.plot(levels, means(actual), marker="o", label="actual (holdout)")
    ax.plot(levels, means(expected), marker="s", linestyle="--", label="expected (%s)" % model.kind)
    ax.set_xticks(levels)
    ax.set_xticklabels([str(g) for g in levels[:-1]] + ["%d+" % levels[-1]])
    ax.set_xlabel("purchase frequency x in the calibration period")
    ax.set_ylabel("mean purchases in the holdout period")
    ax.set_title("Calibration vs holdout")
    ax.legend()
    return ax


def alive_history(model: Any, times: Sequence[float], step: float = 1.0, points: Optional[int] = None,
                  ax: Any = None) -> Any:
    """One customer's P(alive) over time (Model.alive_path) from their
    ascending purchase times (in the model's time unit), the purchases
    marked."""
    np, _ = _modules()
    ax = _axes(ax)
    path = model.alive_path(times, step, points)
    grid = float(times[0]) + float(step) * np.arange(len(path))
    ax.plot(grid, path, drawstyle="steps-post")
    for i, p in enumerate(times):
        ax.axvline(float(p), color="grey", linestyle=":", label="purchase" if i == 0 else None)
    ax.set_ylim(0.0, 1.05)
    ax.set_xlabel("time (model time units)")
    ax.set_ylabel("P(alive)")
    ax.set_title("P(alive) history")
    ax.legend()
    return ax


def rfm_heatmap(result: Any, value: Optional[str] = "monetary", ax: Any = None, cmap: str = "viridis") -> Any:
    """Recency score (rows) by frequency score (columns) of a Result: the
    mean of the column value (monetary by default) per cell, or the number of
    customers when value is None. Customers without a score (0) are left out."""
    np, _ = _modules()
    ax = _axes(ax)
    r, f = result.array("r_score").astype("int64"), result.array("f_score").astype("int64")
    v = result.array(value).astype("float64") if value is not None else np.ones(len(r))
    scored = (r > 0) & (f > 0)
    nr, nf = int(r.max()) if len(r) else 1, int(f.max()) if len(f) else 1
    grid = np.full((max(nr, 1), max(nf, 1)), np.nan)
    for i in range(1, nr + 1):
        for j in range(1, nf + 1):
            cell = scored & (r == i) & (f == j)
            if cell.any():
                grid[i - 1, j - 1] = v[cell].mean() if value is not None else cell.sum()
    im = ax.imshow(grid, origin="lower", aspect="auto", interpolation="nearest", cmap=cmap,
                   extent=(0.5, nf + 0.5, 0.5, nr + 0.5))
    ax.figure.colorbar(im, ax=ax, label="mean %s" % value if value is not None else "customers")
    ax.set_xticks(range(1, nf + 1))
    ax.set_yticks(range(1, nr + 1))
    ax.set_xlabel("F score")
    ax.set_ylabel("R score")
    ax.set_title("RFM: %s by R and F score" % ("mean " + value if value is not None else "customers"))
    return ax


def _bars(result, column, by, ax, title):
    ax = _axes(ax)
    if by not in ("customers", "revenue"):
        raise ValueError("by: 'customers' or 'revenue', got %r" % (by,))
    names = []
    for name in result.labels(column).values():
        if name not in names:
            names.append(name)
    values = [getattr(result.group(column, name), by) for name in names]
    ax.barh(range(len(names)), values)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names)
    ax.invert_yaxis()
    ax.set_xlabel(by)
    ax.set_title(title)
    return ax


def segments(result: Any, by: str = "customers", ax: Any = None) -> Any:
    """Customers (or revenue, by="revenue") per RFM segment (Result.group)."""
    return _bars(result, "segment", by, ax, "Segments by %s" % by)


def tiers(result: Any, by: str = "customers", ax: Any = None) -> Any:
    """Customers (or revenue) per value tier (Result.group)."""
    return _bars(result, "value_tier", by, ax, "Value tiers by %s" % by)


def lifecycle(result: Any, ax: Any = None) -> Any:
    """Customers per lifecycle stage (Result.group)."""
    return _bars(result, "lifecycle_stage", "customers", ax, "Lifecycle stages")


def tracking(model: Any, birth: Sequence[float], times: Sequence[float], actual: Optional[Sequence[float]] = None,
             ax: Any = None) -> Any:
    """Expected cumulative repeat transactions of the population over
    calendar time (Model.expected_cumulative: BTYD's PlotTrackingCum,
    lifetimes' expected_cumulative_transactions) beside the actual
    cumulative counts at the same times when given. birth: each customer's
    first purchase, times: the points, both in the model's time unit from
    one origin."""
    ax = _axes(ax)
    ts = [float(t) for t in times]
    ax.plot(ts, list(model.expected_cumulative(birth, ts)), label="expected", linestyle="--")
    if actual is not None:
        if len(actual) != len(ts):
            raise ValueError("actual: one value per time, got %d for %d times" % (len(actual), len(ts)))
        ax.plot(ts, [float(v) for v in actual], label="actual")
    ax.set_xlabel("time (model time units)")
    ax.set_ylabel("cumulative repeat transactions")
    ax.set_title("Tracking: cumulative repeat transactions")
    ax.legend()
    return ax


def lifecycle_transitions(result: Any, ax: Any = None, cmap: str = "Blues") -> Any:
    """Customers by their stage one window earlier (previous_stage, rows) and
    now (lifecycle_stage, columns): the lifecycle transition matrix, counts
    in the cells."""
    np, _ = _modules()
    ax = _axes(ax)
    names = result.labels("lifecycle_stage")
    before_names = result.labels("previous_stage")
    codes = sorted(set(names) | set(before_names))
    index = {c: i for i, c in enumerate(codes)}
    counts = np.zeros((len(codes), len(codes)), dtype="int64")
    for b, a in zip(result.column("previous_stage"), result.column("lifecycle_stage")):
        counts[index[b], index[a]] += 1
    im = ax.imshow(counts, cmap=cmap, aspect="auto")
    ax.figure.colorbar(im, ax=ax, label="customers")
    label = [names.get(c, before_names.get(c, str(c))) for c in codes]
    ax.set_xticks(range(len(codes)))
    ax.set_xticklabels(label, rotation=45, ha="right")
    ax.set_yticks(range(len(codes)))
    ax.set_yticklabels(label)
    for i in range(len(codes)):
        for j in range(len(codes)):
            if counts[i, j]:
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=8)
    ax.set_xlabel("stage now")
    ax.set_ylabel("stage one window earlier")
    ax.set_title("Lifecycle transitions")
    return ax

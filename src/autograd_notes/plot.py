"""Plots as inline SVG for the pages: function plots, loss curves, decision boundaries.

Every helper returns an HTML string ``<div class="ag-plot"><svg ...>...</svg></div>``,
ready to ``print()`` from a markdown-exec block with ``html="true"``. The SVG is
the same byte for byte on every run, has no XML prolog, draws black as
``currentColor`` on a transparent background (so it follows the page's text colour
in light and dark mode), and carries ``role="img"`` and a title for screen readers.

matplotlib is imported only when a plot is made; figures use the Agg canvas and
never touch pyplot, so nothing here changes the backend of a notebook.
"""

import contextlib
import hashlib
import html as _html
import io
import re

# Mid-tone colours: each has a contrast of at least 3:1 on white and on Material's slate background.
PALETTE = ("#2f7ed8", "#e8590c", "#16a34a", "#a855f7", "#db2777", "#0d9488")
NEG, POS = PALETTE[0], PALETTE[1]  # the colours of the labels -1 and +1
_DASHES = ("-", "--", "-.", ":")
_SALT = "autograd-notes"
MIN_SCALE = 0.75  # the smallest a plot is drawn on a narrow screen, as a fraction of its size


def _matplotlib():
    try:
        import matplotlib
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "autograd_notes.plot needs matplotlib, which is not installed: "
            "pip install matplotlib (or pip install 'autograd-notes[plot]')"
        ) from e
    return matplotlib


def _rc():
    from cycler import cycler

    return {
        "svg.fonttype": "none",  # text as <text>, not glyph outlines: smaller, and it takes currentColor
        "svg.hashsalt": _SALT,  # ids that do not change from run to run
        "font.family": "sans-serif",
        "font.size": 10,
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.transparent": True,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.color": "black",
        "grid.alpha": 0.15,
        "legend.frameon": False,
        "axes.prop_cycle": cycler(color=PALETTE),
        "path.simplify": True,
    }


@contextlib.contextmanager
def _style():
    mpl = _matplotlib()
    with mpl.rc_context(_rc()):
        yield


def subplots(nrows=1, ncols=1, size=(6.0, 3.6), **kw):
    """A new figure and its axes in this module's style (Agg canvas, no pyplot).

    Use it for figures the helpers below do not cover, inside ``with style():``,
    then ``print(html(fig, alt="what the plot shows"))``.

    Args:
        nrows: rows of axes.
        ncols: columns of axes.
        size: the figure size in inches, ``(width, height)``.
        **kw: passed on to ``Figure.subplots`` (e.g. ``sharey=True``).
    """
    _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.subplots(nrows, ncols, squeeze=False, **kw)


def style():
    """Context manager applying this module's matplotlib settings (use it around ``subplots`` and ``html``)."""
    return _style()


def to_svg(fig, alt):
    """Render a matplotlib figure as an inline ``<svg>`` string (deterministic, dark-mode friendly).

    Args:
        fig: a matplotlib ``Figure``.
        alt: what the plot shows, in words; it becomes the SVG's title and ``aria-label``.
    """
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("to_svg needs alt: a short description of the plot for screen readers, e.g. alt='loss curve'")
    buf = io.StringIO()
    with _style():
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return _clean(buf.getvalue(), alt.strip())


def html(fig, alt):
    """``to_svg(fig, alt)`` wrapped in ``<div class="ag-plot">``: print this from a page."""
    return f'<div class="ag-plot">{to_svg(fig, alt)}</div>'


def _clean(svg, alt):
    svg = svg[svg.index("<svg") :]  # no XML prolog or DOCTYPE: the SVG sits inside HTML
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    # matplotlib's <style> has a global `*` rule: inline, it would leak into the page.
    svg = re.sub(r"\s*<style[^>]*>.*?</style>", "", svg, flags=re.S)
    svg = re.sub(r"<defs>\s*</defs>", "", svg)
    svg = svg.replace("#000000", "currentColor")
    svg = "\n".join(line.strip() for line in svg.splitlines() if line.strip())
    svg = _shrink(svg)
    # Unique ids: keep only those something refers to, and prefix them per figure.
    prefix = "ag" + hashlib.sha1((alt + svg).encode()).hexdigest()[:8] + "-"
    used = set(re.findall(r'(?:href="#|url\(#)([^")]+)', svg))
    svg = re.sub(r'\s+id="([^"]*)"', lambda m: f' id="{prefix}{m.group(1)}"' if m.group(1) in used else "", svg)
    svg = re.sub(r'(href="#|url\(#)([^")]+)', lambda m: m.group(1) + prefix + m.group(2), svg)
    label = _html.escape(alt, quote=True)
    # On a narrow screen the plot shrinks to fit, but to no less than MIN_SCALE of its size (where 10 pt
    # labels are still about 10 px); narrower than that, it scrolls sideways.
    width = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', svg)
    floor = f"min-width:{round(float(width.group(1)) * 4 / 3 * MIN_SCALE)}px;" if width else ""
    head = (
        f'<svg role="img" aria-label="{label}" fill="currentColor" stroke-linejoin="round" '
        f'stroke-linecap="butt" style="max-width:100%;{floor}height:auto"'
    )
    svg = svg.replace("<svg", head, 1)
    end = svg.index(">") + 1
    return svg[:end] + f"<title>{_html.escape(alt)}</title>" + svg[end:]


def _shrink(svg):
    """Make the SVG smaller without changing what it draws (it is inlined in the page)."""
    # 2 decimals of a point (1/72 inch) is far below a pixel
    short = lambda m: f"{float(m.group()):.2f}".rstrip("0").rstrip(".")  # noqa: E731
    svg = re.sub(r'( (?:x|y|d|transform)=")([^"]*)"',
                 lambda m: m.group(1) + re.sub(r"-?\d+\.\d{3,}", short, m.group(2)) + '"', svg)
    # one shared style for a run of markers, instead of one copy per marker
    run = re.compile(r'<use ([^>]*?) style="([^"]*)"/>\n(?:<use [^>]*? style="\2"/>\n)+')
    unstyled = lambda m: re.sub(r' style="[^"]*"/>', "/>", m.group(0))  # noqa: E731
    svg = run.sub(lambda m: f'<g style="{m.group(2)}">\n' + unstyled(m) + "</g>\n", svg)
    # the browser's sans-serif when DejaVu Sans (whose widths matplotlib measured) is missing
    return re.sub(r"font-family: '[^;\"]*", "font-family: 'DejaVu Sans', sans-serif", svg)


# --- the plots pages need ---------------------------------------------------------


def function_plot(f, xs, marks=(), tangents=(), title=None, alt=None, size=(6.0, 3.4)):
    """The graph of ``f`` over ``xs``, e.g. ``f(x) = 3x^2 - 4x + 5`` from chapter 3.

    Args:
        f: a function of a float, returning a float or a ``Value``.
        xs: the x values, in order (a list, a range of floats, a numpy array).
        marks: x values to mark with a dot and their ``(x, f(x))``.
        tangents: x values where to draw the tangent, its slope from central differences.
        title: an optional title.
        alt: the description for screen readers (a default is made from the title or the data).
        size: the figure size in inches, ``(width, height)``.
    """
    from .gradcheck import numerical_grad

    xs = [float(x) for x in xs]
    if len(xs) < 2:
        raise ValueError(f"function_plot needs at least 2 x values, got {len(xs)}")
    g = lambda x: _scalar(f(x))  # noqa: E731
    with _style():
        fig, ax = _one(size)
        ax.plot(xs, [g(x) for x in xs], color=PALETTE[0], label="f(x)")
        span = (xs[-1] - xs[0]) / 6
        for i, x0 in enumerate(tangents):
            (s,) = numerical_grad(g, [x0])
            t = [x0 - span, x0 + span]
            ax.plot(t, [g(x0) + s * (x - x0) for x in t], color=PALETTE[1], ls=_DASHES[1 + i % 3],
                    label=f"tangent at x = {x0:g}, slope {s:.4g}")
        for x0 in marks:
            ax.plot([x0], [g(x0)], "o", color="black", ms=4)
            ax.annotate(f"({x0:g}, {g(x0):.4g})", (x0, g(x0)), textcoords="offset points", xytext=(6, -12))
        ax.set_xlabel("x")
        ax.set_ylabel("f(x)")
        if tangents:
            ax.legend()
        if title:
            ax.set_title(title)
        alt = alt or title or f"graph of f(x) for x from {xs[0]:g} to {xs[-1]:g}"
        return html(fig, alt)


def loss_curves(curves, ylog=False, key="loss", overlay=True, title=None, alt=None, size=(6.0, 3.4)):
    """Curves of the loss (or another record field) per step, one per entry of ``curves``.

    Args:
        curves: ``{"name": history}``, where a history is a list of numbers or the list of records
            ``train`` returns (the field ``key`` of each record is plotted).
        ylog: a log scale for the y axis (good when the loss spans several orders of magnitude).
        key: which record field to plot: ``"loss"`` or ``"accuracy"``.
        overlay: all curves in one plot with a legend (default), or side by side, one panel each.
        title: an optional title.
        alt: the description for screen readers (a default is made from the title or the data).
        size: the figure size in inches, ``(width, height)``.
    """
    if not isinstance(curves, dict) or not curves:
        raise ValueError('loss_curves needs a non-empty dict {"name": history}, e.g. {"lr 0.05": history}')
    series = {name: _series(h, key, name) for name, h in curves.items()}
    with _style():
        n = 1 if overlay else len(series)
        fig, axes = subplots(1, n, size=size if overlay else (3.2 * n, size[1]), sharey=True)
        for i, (name, ys) in enumerate(series.items()):
            ax = axes[0][0 if overlay else i]
            ax.plot(range(len(ys)), ys, color=PALETTE[i % len(PALETTE)], ls=_DASHES[i % len(_DASHES)], label=name)
            ax.set_xlabel("step")
            if not overlay:
                ax.set_title(name)
            if ylog:
                ax.set_yscale("log")
        axes[0][0].set_ylabel(key)
        if overlay and len(series) > 1:
            axes[0][0].legend()
        if title:
            fig.suptitle(title)
        alt = alt or title or f"{key} per step: " + ", ".join(series)
        return html(fig, alt)


def decision_boundary(model, X, y, step=0.25, title=None, alt=None, size=(4.2, 3.6)):
    """Where ``model``'s score is positive or negative over the plane, with the points on top.

    The score is computed on a grid of spacing ``step`` around the data (as in micrograd's demo);
    the line is where the score is 0.

    Args:
        model: a callable taking ``[x, y]`` and returning a Value (e.g. ``MLP(2, [16, 16, 1])``).
        X: the points, ``[x, y]`` pairs.
        y: their labels, -1 or +1.
        step: the grid spacing.
        title: an optional title.
        alt: the description for screen readers (a default is made from the title or the data).
        size: the figure size in inches, ``(width, height)``.
    """
    with _style():
        fig, ax = _one(size)
        _boundary(ax, model, X, y, step)
        if title:
            ax.set_title(title)
        alt = alt or title or "decision boundary of the model over the data; the classes as circles and triangles"
        return html(fig, alt)


def decision_boundaries(panels, X, y, step=0.25, ncols=None, alt=None, size=2.6):
    """Small multiples: one decision boundary per ``(title, model)`` in ``panels``, side by side.

    Args:
        panels: a list of ``(title, model)``, e.g. snapshots of one model at several training steps.
        X: the points, ``[x, y]`` pairs.
        y: their labels, -1 or +1.
        step: the grid spacing.
        ncols: panels per row (default: all in one row, at most 4 per row).
        alt: the description for screen readers (a default is made from the titles).
        size: inches per panel.
    """
    panels = list(panels)
    if not panels:
        raise ValueError("decision_boundaries needs at least one (title, model) pair")
    ncols = ncols or min(len(panels), 4)
    nrows = -(-len(panels) // ncols)
    with _style():
        fig, axes = subplots(nrows, ncols, size=(size * ncols, size * nrows))
        flat = [ax for row in axes for ax in row]
        for ax, (name, model) in zip(flat, panels):
            _boundary(ax, model, X, y, step, legend=False)
            ax.set_title(name)
        for ax in flat[len(panels) :]:
            ax.set_visible(False)
        alt = alt or "decision boundaries: " + ", ".join(name for name, _ in panels)
        return html(fig, alt)


def _boundary(ax, model, X, y, step, legend=True):
    if len(X) != len(y) or not X:
        raise ValueError(f"need one label per point, got {len(X)} points and {len(y)} labels")
    if not step > 0:
        raise ValueError(f"step must be a positive grid spacing, got {step!r}")
    xs = [p[0] for p in X]
    ys = [p[1] for p in X]
    gx = _grid(min(xs) - 1, max(xs) + 1, step)
    gy = _grid(min(ys) - 1, max(ys) + 1, step)
    Z = [[_scalar(model([a, b])) for a in gx] for b in gy]
    lo, hi = min(map(min, Z)), max(map(max, Z))
    ax.contourf(gx, gy, Z, levels=[min(lo, 0.0) - 1, 0.0, max(hi, 0.0) + 1], colors=[NEG, POS], alpha=0.25)
    if lo < 0.0 < hi:
        ax.contour(gx, gy, Z, levels=[0.0], colors="black", linewidths=1.0)
    for label, color, marker in ((-1, NEG, "o"), (1, POS, "^")):
        pts = [p for p, t in zip(X, y) if (t > 0) == (label > 0)]
        # plot() with markers, not scatter(): one shared style per class instead of one per point (smaller SVG)
        ax.plot([p[0] for p in pts], [p[1] for p in pts], ls="none", marker=marker, ms=4.5, mfc=color,
                mec="black", mew=0.5, label=f"y = {label:+d}", zorder=3)
    ax.set_xlim(gx[0], gx[-1])
    ax.set_ylim(gy[0], gy[-1])
    ax.set_aspect("equal")
    ax.grid(False)
    if legend:
        ax.legend(loc="upper right", fontsize=8)


def _grid(lo, hi, step):
    n = int((hi - lo) / step) + 1
    return [lo + i * step for i in range(n + 1)]


def _one(size):
    fig, axes = subplots(1, 1, size=size)
    return fig, axes[0][0]


def _series(h, key, name):
    h = list(h)
    if not h:
        raise ValueError(f"curve {name!r} is empty")
    if all(isinstance(v, (int, float)) for v in h):
        return [float(v) for v in h]
    try:
        return [float(getattr(r, key)) if hasattr(r, key) else float(r[key]) for r in h]
    except (KeyError, TypeError, IndexError) as e:
        raise ValueError(f"curve {name!r}: expected numbers or records with a {key!r} field, got {h[0]!r}") from e


def _scalar(v):
    return float(v.data if hasattr(v, "data") else v)

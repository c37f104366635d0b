"""Plots as inline SVG for the pages: function plots, loss curves, decision boundaries.

Every helper returns an HTML string ``<div class="ag-plot"><svg ...>...</svg></div>``,
ready to ``print()`` from a markdown-exec block with ``html="true"``. The SVG is
the same byte for byte on every run, has no XML prolog, draws black as
``currentColor`` on a transparent background (so it follows the page's text colour
in light and dark mode), and carries ``role="img"`` and a title for screen readers.

The SVG is written here, in plain Python, by a small ``Figure``/``Axes`` pair that
understands the few matplotlib calls the pages make (``plot``, ``barh``, ``contourf``,
``contour``, ``annotate``, labels, titles, log scales, legends). Why not matplotlib:
the pages' code also runs in the reader's browser (Pyodide), where no matplotlib
or numpy can be had offline; with one writer for both, a plot re-drawn in the page
after an edit looks exactly like the one the build drew. The notebooks use it too.
"""

import contextlib
import hashlib
import html as _html
import math
import re

# Mid-tone colours: each has a contrast of at least 3:1 on white and on Material's slate background.
PALETTE = ("#2f7ed8", "#e8590c", "#16a34a", "#a855f7", "#db2777", "#0d9488")
NEG, POS = PALETTE[0], PALETTE[1]  # the colours of the labels -1 and +1
_DASHES = ("-", "--", "-.", ":")
_DASHARRAY = {"-": None, "--": "5.55 2.4", "-.": "9.6 2.4 1.5 2.4", ":": "1.5 2.48", "none": None, "": None}
MIN_SCALE = 0.75  # the smallest a plot is drawn on a narrow screen, as a fraction of its size
FONT = 10  # points
CHAR = 0.6  # the width of a character, in font sizes: the site shows plot text in its code font (monospace)
_MARGIN = {"left": 46, "right": 12, "top": 12, "bottom": 34, "title": 16}  # points around each axes box


def _num(v):
    """A coordinate with at most 2 decimals (of a point: far below a pixel)."""
    return f"{v:.2f}".rstrip("0").rstrip(".") if abs(v) >= 0.005 else "0"


def _color(c):
    return "currentColor" if c in ("black", "k", "#000000", "#000") else _html.escape(str(c))


def _nice(lo, hi, n=6):
    """Round tick positions covering [lo, hi]: steps of 1, 2, 2.5 or 5 times a power of 10."""
    if hi <= lo:
        lo, hi = lo - 1, hi + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9)
    return [round(k * step, 12) for k in range(first, math.floor(hi / step + 1e-9) + 1)]


def _math(m):
    """One ``$...$`` of matplotlib's mathtext, the little the pages use: italic letters, ``_1`` and ``^2``."""
    out, parts = [], re.split(r"([_^])(\{[^}]*\}|.)", m.group(1))
    for k in range(0, len(parts), 3):
        if parts[k]:
            out.append(f'<tspan font-style="italic">{parts[k]}</tspan>')
        if k + 2 < len(parts):
            dy = 3 if parts[k + 1] == "_" else -4
            out.append(f'<tspan dy="{dy}" font-size="70%">{parts[k + 2].strip("{}")}</tspan><tspan dy="{-dy}">'
                       "\u200b</tspan>")
    return "".join(out)


def _text(s):
    """Text for an SVG ``<text>``: escaped, with ``$...$`` drawn as mathtext (``$w_1$``: w, subscript 1)."""
    return re.sub(r"\$([^$]+)\$", _math, _html.escape(str(s), quote=False))


def _width(s, size):
    """About how wide ``s`` is drawn at ``size`` points (``$`` and ``_`` of mathtext take no room)."""
    return len(re.sub(r"[$_^{}]", "", str(s))) * size * CHAR


def _label(v):
    text = f"{v:g}"
    return text.replace("-", "\u2212")  # a real minus sign, as matplotlib writes it


class _Line:
    def __init__(self, xs, ys, color, ls, marker, ms, mfc, mec, mew, lw, label, zorder, alpha):
        self.xs, self.ys, self.color, self.ls, self.marker = xs, ys, color, ls, marker
        self.ms, self.mfc, self.mec, self.mew, self.lw, self.label, self.zorder = ms, mfc, mec, mew, lw, label, zorder
        self.alpha = alpha


def _opacity(alpha):
    return f' opacity="{_num(alpha)}"' if alpha < 1 else ""


def _parse_fmt(fmt):
    marker = next((m for m in "o^s." if m in fmt), None)
    ls = next((d for d in ("--", "-.", "-", ":") if d in fmt), None)
    return marker, ls if ls else ("none" if marker else "-")


class Axes:
    """The matplotlib ``Axes`` calls the pages use, drawn as SVG by ``Figure``."""

    def __init__(self, fig):
        self.fig, self.lines, self.texts, self.fills, self.contours, self.bars = fig, [], [], [], [], []
        self.xlabel = self.ylabel = self.title = None
        self.xlim = self.ylim = None
        self.xscale = self.yscale = "linear"
        self.equal, self.gridded, self.visible, self.legend_at = False, True, True, None
        self.legend_size, self.title_size, self.yinverted = FONT, 12, False
        self.categories = None  # the names of barh's bars, shown as the y tick labels

    def plot(self, *args, color=None, ls=None, linestyle=None, label=None, ms=6.0, markersize=None, marker=None,
             mfc=None, mec=None, mew=1.0, lw=1.5, linewidth=None, zorder=2, alpha=1.0):
        fmt = args[2] if len(args) > 2 else (args[1] if len(args) == 2 and isinstance(args[1], str) else "")
        data = [a for a in args if not isinstance(a, str)]
        ys = [float(v) for v in data[-1]]
        xs = [float(v) for v in data[0]] if len(data) > 1 else [float(i) for i in range(len(ys))]
        if len(xs) != len(ys):
            raise ValueError(f"plot needs as many x as y values, got {len(xs)} and {len(ys)}")
        m, style = _parse_fmt(fmt)
        marker = marker or m
        style = ls or linestyle or style
        auto = color is None  # the next colour of the palette; as in matplotlib, a given colour takes no turn
        if auto:
            color = PALETTE[sum(1 for line in self.lines if line.auto and line.ls != "none") % len(PALETTE)]
        line = _Line(xs, ys, color, style, marker, markersize or ms, mfc, mec, mew, linewidth or lw, label, zorder,
                     float(alpha))
        line.auto = auto
        self.lines.append(line)

    def barh(self, names, widths, height=0.8, color=None):
        """One horizontal bar per name, from 0 to its width; the first name at y = 0, the next at 1, ..."""
        names, widths = [str(n) for n in names], [float(v) for v in widths]
        if len(names) != len(widths):
            raise ValueError(f"barh needs one width per name, got {len(names)} names and {len(widths)} widths")
        if self.bars:
            raise ValueError("barh draws one set of bars per axes: pass all the names and widths in one call")
        self.bars.append((widths, float(height), color or PALETTE[0]))
        self.categories = names

    def annotate(self, text, xy, textcoords="offset points", xytext=(0, 0)):
        self.texts.append((str(text), (float(xy[0]), float(xy[1])), xytext))

    def contourf(self, gx, gy, Z, levels, colors, alpha=1.0):
        self.fills.append((list(gx), list(gy), [list(map(float, r)) for r in Z], list(levels), list(colors), alpha))

    def contour(self, gx, gy, Z, levels=(0.0,), colors="black", linewidths=1.0):
        self.contours.append((list(gx), list(gy), [list(map(float, r)) for r in Z], levels[0], colors, linewidths))

    def set_xlabel(self, text):
        self.xlabel = str(text)

    def set_ylabel(self, text):
        self.ylabel = str(text)

    def set_title(self, text, fontsize=12):
        self.title, self.title_size = str(text), fontsize

    def set_xscale(self, scale):
        self.xscale = _scale("set_xscale", scale)

    def set_yscale(self, scale):
        self.yscale = _scale("set_yscale", scale)

    def invert_yaxis(self):
        """The y axis runs downwards: after ``barh``, the first bar on top."""
        self.yinverted = not self.yinverted

    def set_xlim(self, lo, hi):
        self.xlim = (float(lo), float(hi))

    def set_ylim(self, lo, hi):
        self.ylim = (float(lo), float(hi))

    def set_aspect(self, aspect):
        self.equal = aspect == "equal"

    def grid(self, on=True):
        self.gridded = bool(on)

    def set_visible(self, on):
        self.visible = bool(on)

    def legend(self, loc="best", fontsize=FONT):
        if loc != "best" and loc not in _PLACES:
            raise ValueError(f"legend takes loc='best' or one of {', '.join(_PLACES)}; got {loc!r}")
        self.legend_at, self.legend_size = loc, fontsize

    # --- drawing ---------------------------------------------------------------------------------------------

    def _limits(self):
        xs = [x for line in self.lines for x in line.xs] + [g for f in self.fills for g in (f[0][0], f[0][-1])]
        ys = [y for line in self.lines for y in line.ys] + [g for f in self.fills for g in (f[1][0], f[1][-1])]
        for widths, height, _ in self.bars:
            xs += [0.0, *widths]
            ys += [-height / 2, len(widths) - 1 + height / 2]
        return self.xlim or _span(xs, self.xscale == "log"), self.ylim or _span(ys, self.yscale == "log")

    def _svg(self, box, ylim_shared=None, xlim_shared=None):
        x0, y0, w, h = box
        (xa, xb), (ya, yb) = self._limits()
        if ylim_shared:
            ya, yb = ylim_shared
        if xlim_shared:
            xa, xb = xlim_shared
        logx, log = self.xscale == "log", self.yscale == "log"
        fx = math.log10 if logx else (lambda v: v)
        fy = math.log10 if log else (lambda v: v)
        ua, ub, ta, tb = fx(xa), fx(xb), fy(ya), fy(yb)
        if self.equal:  # one unit the same length on both axes: shrink the box, keep it centred
            k = min(w / (ub - ua), h / (tb - ta))
            x0, y0, w, h = x0 + (w - k * (ub - ua)) / 2, y0 + (h - k * (tb - ta)) / 2, k * (ub - ua), k * (tb - ta)
        # data -> SVG coordinates; on a log axis, 0 and below map to its low end (where a bar from 0 starts)
        sx = lambda v: x0 + (fx(v) - ua) / (ub - ua) * w if (v > 0 or not logx) else x0
        bottom, top = (y0, y0 + h) if self.yinverted else (y0 + h, y0)
        sy = lambda v: bottom + (fy(v) - ta) / (tb - ta) * (top - bottom) if (v > 0 or not log) else bottom
        out = []
        clip = self.fig._id(f"clip{len(self.fig._ids)}")
        out.append(f'<clipPath id="{clip}"><rect x="{_num(x0)}" y="{_num(y0)}" width="{_num(w)}" height="{_num(h)}"/>'
                   "</clipPath>")
        for gx, gy, Z, levels, colors, alpha in self.fills:
            out.append(_fill(gx, gy, Z, levels, colors, alpha, sx, sy, clip))
        for widths, height, color in self.bars:
            d = "".join(f"M{_num(sx(0))} {_num(sy(i - height / 2))}H{_num(sx(v))}V{_num(sy(i + height / 2))}"
                        f"H{_num(sx(0))}Z" for i, v in enumerate(widths))
            out.append(f'<path d="{d}" fill="{_color(color)}" clip-path="url(#{clip})"/>')
        xticks = _ticks(xa, xb, logx, 6)
        yticks = list(range(len(self.categories))) if self.categories else _ticks(ya, yb, log, 5)
        if self.gridded:
            grid = [f"M{_num(sx(t))} {_num(y0)}V{_num(y0 + h)}" for t in xticks]
            grid += [f"M{_num(x0)} {_num(sy(t))}H{_num(x0 + w)}" for t in yticks if not self.categories]
            out.append(f'<path d="{"".join(grid)}" fill="none" stroke="currentColor" stroke-opacity="0.15" '
                       'stroke-width="0.8"/>')
        for gx, gy, Z, level, color, lw in self.contours:
            out.append(_contour(gx, gy, Z, level, color, lw, sx, sy, clip))
        for line in sorted(self.lines, key=lambda line: line.zorder):
            out.append(_draw_line(line, sx, sy, clip))
        for text, (x, y), (dx, dy) in self.texts:
            out.append(f'<text x="{_num(sx(x) + dx)}" y="{_num(sy(y) - dy)}">{_text(text)}</text>')
        # spines, ticks and their labels
        axis = f"M{_num(x0)} {_num(y0)}V{_num(y0 + h)}H{_num(x0 + w)}"
        ticks = "".join(f"M{_num(sx(t))} {_num(y0 + h)}v3.5" for t in xticks)
        ticks += "".join(f"M{_num(x0)} {_num(sy(t))}h-3.5" for t in yticks)
        out.append(f'<path d="{axis}{ticks}" fill="none" stroke="currentColor" stroke-width="0.8"/>')
        if self.categories:
            ynames = [_html.escape(n) for n in self.categories]
        else:
            ynames = [_tick_label(t, log) for t in yticks]
        labels = [f'<text x="{_num(sx(t))}" y="{_num(y0 + h + 14)}" text-anchor="middle">{_tick_label(t, logx)}'
                  "</text>" for t in xticks]
        labels += [f'<text x="{_num(x0 - 6)}" y="{_num(sy(t) + 3.5)}" text-anchor="end">{name}</text>'
                   for t, name in zip(yticks, ynames)]
        out.extend(labels)
        if self.xlabel:
            out.append(f'<text x="{_num(x0 + w / 2)}" y="{_num(y0 + h + 28)}" text-anchor="middle">'
                       f"{_text(self.xlabel)}</text>")
        if self.ylabel:
            cx, cy = x0 - 36, y0 + h / 2
            out.append(f'<text transform="translate({_num(cx)} {_num(cy)}) rotate(-90)" text-anchor="middle">'
                       f"{_text(self.ylabel)}</text>")
        if self.title:
            out.append(f'<text x="{_num(x0 + w / 2)}" y="{_num(y0 - 6)}" text-anchor="middle" '
                       f'font-size="{_num(self.title_size)}">{_text(self.title)}</text>')
        if self.legend_at:
            out.append(_legend(self, (x0, y0, w, h), sx, sy))
        return "\n".join(o for o in out if o)


def _scale(name, scale):
    if scale not in ("linear", "log"):
        raise ValueError(f"{name} takes 'linear' or 'log', got {scale!r}")
    return scale


def _span(values, log):
    """The default range of an axis: the data's, padded."""
    if log:
        values = [v for v in values if v > 0] or [1.0]
    return _pad(min(values, default=0), max(values, default=1), log=log)


def _ticks(a, b, log, n):
    """The tick positions of an axis shown from a to b (b < a on an inverted axis)."""
    lo, hi = min(a, b), max(a, b)
    return _log_ticks(lo, hi) if log else [t for t in _nice(lo, hi, n) if lo - 1e-9 <= t <= hi + 1e-9]


def _pad(lo, hi, log=False):
    """matplotlib's default: 5 % of the data range on each side (in log space for a log scale)."""
    if log:
        a, b = _pad(math.log10(lo), math.log10(hi))
        return 10 ** a, 10 ** b
    if hi == lo:
        return lo - 0.5, hi + 0.5
    m = 0.05 * (hi - lo)
    return lo - m, hi + m


def _log_ticks(lo, hi, most=8):
    """Powers of 10 from lo to hi; every 2nd (3rd, ...) of them when more than `most` would crowd the axis."""
    a, b = math.log10(lo), math.log10(hi)
    powers = range(math.ceil(a - 1e-9), math.floor(b + 1e-9) + 1)  # 1e-9: 10^k at an end of the axis counts
    every = max(1, -(-len(powers) // most))
    ticks = [10.0 ** k for k in powers if k % every == 0]
    if len(ticks) < 2:  # less than a decade shown: 2 and 5 times the powers of 10 too
        ticks = sorted(m * 10.0 ** k for k in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1)
                       for m in (1, 2, 5) if lo <= m * 10.0 ** k <= hi)
    return ticks


def _tick_label(t, log):
    if not log:
        return _label(t)
    k = math.log10(t)
    if abs(k - round(k)) < 1e-9:
        return f'10<tspan dy="-4" font-size="7">{_label(round(k))}</tspan>'
    return _label(t)


def _draw_line(line, sx, sy, clip):
    pts = [(sx(x), sy(y)) for x, y in zip(line.xs, line.ys)]
    out = []
    color = _color(line.color)
    if line.ls != "none" and len(pts) > 1:
        d = "M" + "L".join(f"{_num(x)} {_num(y)}" for x, y in pts)
        dash = _DASHARRAY.get(line.ls)
        dash = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<path d="{d}" fill="none" stroke="{color}" stroke-width="{_num(line.lw)}"{dash}'
                   f'{_opacity(line.alpha)} clip-path="url(#{clip})"/>')
    if line.marker:
        r = line.ms / 2
        fill = _color(line.mfc or line.color)
        edge = _color(line.mec or line.color)
        shapes = [_marker(line.marker, x, y, r) for x, y in pts]
        out.append(f'<g fill="{fill}" stroke="{edge}" stroke-width="{_num(line.mew)}"{_opacity(line.alpha)}>'
                   f'{"".join(shapes)}</g>')
    return "\n".join(out)


def _marker(kind, x, y, r):
    if kind == "^":
        return (f'<path d="M{_num(x)} {_num(y - r)}L{_num(x + r * 0.87)} {_num(y + r / 2)}'
                f'L{_num(x - r * 0.87)} {_num(y + r / 2)}Z"/>')
    if kind == "s":
        return f'<rect x="{_num(x - r)}" y="{_num(y - r)}" width="{_num(2 * r)}" height="{_num(2 * r)}"/>'
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r if kind == "o" else r / 3)}"/>'


def _cells(gx, gy, Z):
    """Each grid cell: its 4 corners (x, y, z), in order around the cell."""
    for j in range(len(gy) - 1):
        for i in range(len(gx) - 1):
            yield [(gx[i], gy[j], Z[j][i]), (gx[i + 1], gy[j], Z[j][i + 1]),
                   (gx[i + 1], gy[j + 1], Z[j + 1][i + 1]), (gx[i], gy[j + 1], Z[j + 1][i])]


def _cross(a, b, level):
    t = (level - a[2]) / (b[2] - a[2])
    return a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])


def _fill(gx, gy, Z, levels, colors, alpha, sx, sy, clip):
    """Two bands (below and above the middle level) of a filled contour; the scores between grid points are
    taken as linear along each cell edge (marching squares)."""
    if len(levels) != 3 or len(colors) != 2:
        raise ValueError("contourf here draws two bands: pass 3 levels and 2 colours")
    level = levels[1]
    above = []
    for cell in _cells(gx, gy, Z):
        poly = []
        for a, b in zip(cell, cell[1:] + cell[:1]):
            if a[2] > level:
                poly.append((a[0], a[1]))
            if (a[2] > level) != (b[2] > level):
                poly.append(_cross(a, b, level))
        if len(poly) > 2:
            above.append("M" + "L".join(f"{_num(sx(x))} {_num(sy(y))}" for x, y in poly) + "Z")
    x0, x1, y0, y1 = sx(gx[0]), sx(gx[-1]), sy(gy[-1]), sy(gy[0])
    return (f'<g opacity="{_num(alpha)}" clip-path="url(#{clip})">'
            f'<rect x="{_num(x0)}" y="{_num(y0)}" width="{_num(x1 - x0)}" height="{_num(y1 - y0)}" '
            f'fill="{_color(colors[0])}"/>'
            f'<path d="{"".join(above)}" fill="{_color(colors[1])}" stroke="{_color(colors[1])}" '
            'stroke-width="0.3"/></g>')


def _contour(gx, gy, Z, level, color, lw, sx, sy, clip):
    segs = []
    for cell in _cells(gx, gy, Z):
        pts = [_cross(a, b, level) for a, b in zip(cell, cell[1:] + cell[:1]) if (a[2] > level) != (b[2] > level)]
        for p, q in zip(pts[::2], pts[1::2]):
            segs.append(f"M{_num(sx(p[0]))} {_num(sy(p[1]))}L{_num(sx(q[0]))} {_num(sy(q[1]))}")
    return (f'<path d="{"".join(segs)}" fill="none" stroke="{_color(color)}" stroke-width="{_num(lw)}" '
            f'clip-path="url(#{clip})"/>')


# matplotlib's legend places, in the order loc="best" tries them
_PLACES = ("upper right", "upper left", "lower left", "lower right", "right", "center left", "center right",
           "lower center", "upper center", "center")


def _place(loc, box, width, height):
    """The top left corner of a legend of this size at ``loc`` inside the axes ``box``."""
    x0, y0, w, h = box
    lx = {"left": x0 + 6, "center": x0 + (w - width) / 2}.get(loc.split()[-1], x0 + w - width - 6)
    ly = {"upper": y0 + 6, "lower": y0 + h - height - 6}.get(loc.split()[0], y0 + (h - height) / 2)
    return lx, ly


def _along(pts, step=2.0):
    """The points of a polyline every ``step`` units or so, its corners included."""
    for (p, r), (q, u) in zip(pts, pts[1:]):
        k = max(1, int(math.hypot(q - p, u - r) / step))
        yield from ((p + (q - p) * t / k, r + (u - r) * t / k) for t in range(k))
    yield from pts[-1:]


def _covered(ax, sx, sy, x, y, width, height):
    """How many points of the axes' lines a legend at (x, y) would hide (a faint line's points count less)."""
    n = 0
    for line in ax.lines:
        pts = [(sx(a), sy(b)) for a, b in zip(line.xs, line.ys)]
        if line.ls != "none":  # along the segments too: a long straight line counts where it crosses
            pts = list(_along(pts))
        n += line.alpha * sum(1 for a, b in pts if x <= a <= x + width and y <= b <= y + height)
    return n


def _legend(ax, box, sx, sy):
    items = [line for line in ax.lines if line.label]
    if not items:
        return ""
    size = ax.legend_size
    rows = size * 1.5
    width, height = 30 + max(_width(line.label, size) for line in items), rows * len(items)
    if ax.legend_at == "best":  # where it hides the fewest points of the lines; the first such place
        loc = min(_PLACES, key=lambda p: _covered(ax, sx, sy, *_place(p, box, width, height), width, height))
    else:
        loc = ax.legend_at
    lx, ly = _place(loc, box, width, height)
    out = [f'<g font-size="{_num(size)}">']
    for k, line in enumerate(items):
        y = ly + rows * (k + 0.5)
        if line.ls != "none":
            dash = _DASHARRAY.get(line.ls)
            dash = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<path d="M{_num(lx)} {_num(y)}h20" stroke="{_color(line.color)}" '
                       f'stroke-width="{_num(line.lw)}"{dash}{_opacity(line.alpha)}/>')
        if line.marker:
            out.append(f'<g fill="{_color(line.mfc or line.color)}" stroke="{_color(line.mec or line.color)}" '
                       f'stroke-width="{_num(line.mew)}"{_opacity(line.alpha)}>'
                       f'{_marker(line.marker, lx + 10, y, line.ms / 2)}</g>')
        out.append(f'<text x="{_num(lx + 26)}" y="{_num(y + size * 0.35)}">{_text(line.label)}</text>')
    out.append("</g>")
    return "".join(out)


class Figure:
    """A grid of ``Axes`` of a given size in inches, written as SVG (72 units to the inch, like points)."""

    def __init__(self, nrows, ncols, size, sharey=False, sharex=False):
        self.size, self.nrows, self.ncols, self.sharey, self.sharex = size, nrows, ncols, sharey, sharex
        self.axes = [[Axes(self) for _ in range(ncols)] for _ in range(nrows)]
        self.suptitle_text, self._ids, self.left = None, [], None

    def suptitle(self, text):
        self.suptitle_text = str(text)

    def subplots_adjust(self, left):
        """Where the first column's axes box starts, as a fraction of the figure's width (room for long labels)."""
        if not 0 < left < 1:
            raise ValueError(f"subplots_adjust takes left as a fraction of the figure's width, got {left!r}")
        self.left = float(left)

    def _id(self, name):
        self._ids.append(name)
        return f"{{prefix}}{name}"

    def tight_layout(self):
        """Nothing to do: the layout is always tight."""

    def svg_body(self):
        W, H = self.size[0] * 72, self.size[1] * 72
        top = 20 if self.suptitle_text else 0
        cw, ch = W / self.ncols, (H - top) / self.nrows
        flat = [ax for row in self.axes for ax in row if ax.visible]
        shared = shared_x = None
        if self.sharey and flat:
            lims = [ax._limits()[1] for ax in flat]
            shared = (min(a for a, _ in lims), max(b for _, b in lims))
        if self.sharex and flat:
            lims = [ax._limits()[0] for ax in flat]
            shared_x = (min(a for a, _ in lims), max(b for _, b in lims))
        parts = []
        if self.suptitle_text:
            parts.append(f'<text x="{_num(W / 2)}" y="15" text-anchor="middle" font-size="12">'
                         f"{_text(self.suptitle_text)}</text>")
        for r, row in enumerate(self.axes):
            for c, ax in enumerate(row):
                if not ax.visible:
                    continue
                m = _MARGIN
                t = m["top"] + (m["title"] if ax.title else 0)
                left = m["left"] if (ax.ylabel or c == 0 or not self.sharey) else 24
                if c == 0 and self.left is not None:
                    left = self.left * W
                if ax.categories:  # room for the longest name: the layout is tight
                    left = max(left, 10 + max(_width(n, FONT) for n in ax.categories))
                box = (c * cw + left, top + r * ch + t, cw - left - m["right"], ch - t - m["bottom"])
                parts.append(ax._svg(box, shared, shared_x))
        return W, H, "\n".join(parts)


def subplots(nrows=1, ncols=1, size=(6.0, 3.6), sharey=False, sharex=False, **kw):
    """A new figure and its axes (a list of rows of ``Axes``), drawn by this module.

    Use it for figures the helpers below do not cover, then ``print(html(fig, alt="what the plot shows"))``.

    Args:
        nrows: rows of axes.
        ncols: columns of axes.
        size: the figure size in inches, ``(width, height)``.
        sharey: one y range for all axes.
        sharex: one x range for all axes.
        **kw: other matplotlib ``subplots`` options are refused, with their name.
    """
    if kw:
        raise TypeError(f"plot.subplots does not take {', '.join(sorted(kw))}; "
                        "it takes nrows, ncols, size, sharey, sharex")
    fig = Figure(nrows, ncols, size, sharey=sharey, sharex=sharex)
    return fig, fig.axes


@contextlib.contextmanager
def style():
    """Kept for pages written for the matplotlib version: the style is now built in, this does nothing."""
    yield


def to_svg(fig, alt):
    """Render a ``Figure`` as an inline ``<svg>`` string (deterministic, dark-mode friendly).

    Args:
        fig: a ``Figure`` from ``subplots``.
        alt: what the plot shows, in words; it becomes the SVG's title and ``aria-label``.
    """
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("to_svg needs alt: a short description of the plot for screen readers, e.g. alt='loss curve'")
    alt = alt.strip()
    W, H, body = fig.svg_body()
    prefix = "ag" + hashlib.sha1((alt + body).encode()).hexdigest()[:8] + "-"  # ids unique per figure
    body = body.replace("{prefix}", prefix)
    label = _html.escape(alt, quote=True)
    # On a narrow screen the plot shrinks to fit, but to no less than MIN_SCALE of its size (where 10 pt
    # labels are still about 10 px); narrower than that, it scrolls sideways.
    floor = f"min-width:{round(W * 4 / 3 * MIN_SCALE)}px;"
    return (f'<svg role="img" aria-label="{label}" xmlns="http://www.w3.org/2000/svg" width="{_num(W)}pt" '
            f'height="{_num(H)}pt" viewBox="0 0 {_num(W)} {_num(H)}" fill="currentColor" '
            f'font-family="\'DejaVu Sans\', sans-serif" font-size="{FONT}" stroke-linejoin="round" '
            f'style="max-width:100%;{floor}height:auto"><title>{_html.escape(alt)}</title>\n{body}\n</svg>')


def html(fig, alt):
    """``to_svg(fig, alt)`` wrapped in ``<div class="ag-plot">``: print this from a page."""
    return f'<div class="ag-plot">{to_svg(fig, alt)}</div>'


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
    g = lambda x: _scalar(f(x))
    with style():
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
    with style():
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
    with style():
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
    with style():
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

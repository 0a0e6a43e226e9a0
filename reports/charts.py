"""W²-cirkels: radar charts as SVG, drawn by our own code (one axis per theme, 0 in the centre, 10 at the rim)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

# Distinct in colour AND in line style, so the chart still reads in black and white.
STYLES = {
    "start": {"stroke": "#6b6b6b", "dash": "4 3", "fill": "none", "marker": "square"},
    "now": {"stroke": "#1f5fa8", "dash": "", "fill": "#1f5fa8", "marker": "circle"},
    "future": {"stroke": "#2e7d32", "dash": "1.5 2.5", "fill": "none", "marker": "diamond"},
    # Moments over time (oldest to newest) and the two perspectives side by side.
    "m0": {"stroke": "#8a8a8a", "dash": "4 3", "fill": "none", "marker": "square"},
    "m1": {"stroke": "#b25e00", "dash": "1.5 2.5", "fill": "none", "marker": "diamond"},
    "m2": {"stroke": "#6a3d9a", "dash": "6 2", "fill": "none", "marker": "square"},
    "m3": {"stroke": "#1f5fa8", "dash": "", "fill": "#1f5fa8", "marker": "circle"},
    "jobseeker": {"stroke": "#1f5fa8", "dash": "", "fill": "#1f5fa8", "marker": "circle"},
    "counsellor": {"stroke": "#b25e00", "dash": "4 3", "fill": "none", "marker": "diamond"},
}


@dataclass(frozen=True)
class Series:
    """One closed line on the chart: a label and one value (0-10 or None) per axis."""

    key: str  # start | now | future
    label: str
    values: Sequence[int | None]


def _wrap(text: str, width: int = 16) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:3] or [""]


def _point(cx: float, cy: float, r: float, i: int, n: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / n
    return cx + r * value / 10 * math.cos(angle), cy + r * value / 10 * math.sin(angle)


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 2.2:.1f}" y="{y - 2.2:.1f}" width="4.4" height="4.4" fill="{colour}"/>'
    if kind == "diamond":
        pts = f"{x:.1f},{y - 3:.1f} {x + 3:.1f},{y:.1f} {x:.1f},{y + 3:.1f} {x - 3:.1f},{y:.1f}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.4" fill="{colour}"/>'


def radar_svg(title: str, axes: Sequence[str], series: Sequence[Series], size: int = 340) -> str:
    """An SVG radar chart; `title` and a text summary are in the SVG for screen readers."""
    n = len(axes)
    cx = cy = size / 2
    r = size / 2 - 62
    out = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" class="radar" viewBox="0 0 {size} {size + 34}" '
        f'width="{size}" height="{size + 34}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">'),
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(_summary(axes, series))}</desc>",
    ]
    if n < 3:
        out.append(f'<text x="{cx}" y="{cy}" text-anchor="middle" font-size="11">Te weinig thema\'s om te tekenen</text>')
        out.append("</svg>")
        return "".join(out)
    for ring in (2, 4, 6, 8, 10):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_point(cx, cy, r, i, n, ring) for i in range(n)))
        out.append(f'<polygon points="{pts}" fill="none" stroke="#c8c8c8" stroke-width="0.6"/>')
        lx, ly = _point(cx, cy, r, 0, n, ring)
        out.append(f'<text x="{lx + 3:.1f}" y="{ly + 3:.1f}" font-size="7" fill="#777">{ring}</text>')
    for i, label in enumerate(axes):
        x, y = _point(cx, cy, r, i, n, 10)
        out.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#c8c8c8" stroke-width="0.6"/>')
        tx, ty = _point(cx, cy, r + 10, i, n, 10)
        anchor = "middle" if abs(tx - cx) < 8 else ("start" if tx > cx else "end")
        lines = _wrap(label)
        ty -= (len(lines) - 1) * 4.5 if ty < cy - 8 else 0
        spans = "".join(
            f'<tspan x="{tx:.1f}" dy="{0 if k == 0 else 9}">{escape(line)}</tspan>' for k, line in enumerate(lines)
        )
        out.append(f'<text x="{tx:.1f}" y="{ty + 3:.1f}" font-size="8" text-anchor="{anchor}">{spans}</text>')
    for s in series:
        style = STYLES.get(s.key, STYLES["now"])
        pts = [_point(cx, cy, r, i, n, v) for i, v in enumerate(s.values) if v is not None]
        if not pts:
            continue
        fill = style["fill"]
        fill_attr = f'fill="{fill}" fill-opacity="0.12"' if fill != "none" else 'fill="none"'
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        out.append(
            f'<polygon class="series-{escape(s.key)}" points="{coords}" {fill_attr} '
            f'stroke="{style["stroke"]}" stroke-width="1.6"{dash}/>'
        )
        out.extend(_marker(style["marker"], x, y, style["stroke"]) for x, y in pts)
    ly = size + 18
    step = size / max(1, len(series))
    for k, s in enumerate(series):
        style = STYLES.get(s.key, STYLES["now"])
        x0 = 12 + k * step
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        out.append(f'<line x1="{x0:.1f}" y1="{ly}" x2="{x0 + 22:.1f}" y2="{ly}" stroke="{style["stroke"]}" '
                   f'stroke-width="1.6"{dash}/>')
        out.append(_marker(style["marker"], x0 + 11, ly, style["stroke"]))
        out.append(f'<text x="{x0 + 27:.1f}" y="{ly + 3}" font-size="9">{escape(s.label)}</text>')
    out.append("</svg>")
    return "".join(out)


def _summary(axes: Sequence[str], series: Sequence[Series]) -> str:
    parts = []
    for i, axis in enumerate(axes):
        vals = [f"{s.label.lower()} {s.values[i]}" for s in series if i < len(s.values) and s.values[i] is not None]
        parts.append(f"{axis}: {', '.join(vals) if vals else 'geen score'}")
    return "; ".join(parts)

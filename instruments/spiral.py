"""The spiral of phases as SVG: one rising loop per cycle, where the trajectory is now and has been."""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from w2.instruments.phases import BY_CODE, CYCLES, PHASES
from w2.platform.i18n import t

WIDTH, HEIGHT = 400, 600
CX, RX, RY, RISE, BOTTOM = 145, 125, 48, 120, 530


def _point(cycle: int, frac: float) -> tuple[float, float]:
    """A point on the helix: `frac` of the way round the loop of `cycle`, rising as it turns."""
    angle = math.pi / 2 + 2 * math.pi * frac
    return CX + RX * math.cos(angle), BOTTOM - cycle * RISE - frac * RISE + RY * math.sin(angle)


def _spots() -> dict[str, tuple[float, float]]:
    spots = {}
    for cycle in CYCLES:
        mine = [p for p in PHASES if p.cycle == cycle]
        for i, p in enumerate(mine):
            spots[p.code] = _point(cycle, (i + 0.5) / len(mine))
    return spots


SPOTS = _spots()


def spiral_svg(visited: list[str], current: str | None, lang: str = "nl", svg_id: str = "spiraal") -> Markup:
    """The picture, with a title and a description naming the current phase (its text alternative)."""
    seen = set(visited)
    path = " ".join(f"{'M' if k == 0 else 'L'}{x:.1f},{y:.1f}" for k, (x, y) in enumerate(
        _point(c, s / 24) for c in CYCLES for s in range(24 + (1 if c == CYCLES[-1] else 0))))
    now = BY_CODE.get(current or "")
    desc = (t("instruments.spiral.now", lang, phase=now.name, cycle=t(f"instruments.cycle.{now.cycle}", lang))
            if now else t("instruments.spiral.none", lang))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="spiral" role="img" '
        f'aria-labelledby="{svg_id}-t {svg_id}-d">',
        f'<title id="{svg_id}-t">{escape(t("instruments.spiral.title", lang))}</title>',
        f'<desc id="{svg_id}-d">{escape(desc)}</desc>',
        f'<path d="{path}" fill="none" stroke="#6b7a90" stroke-width="3"/>',
    ]
    for cycle in CYCLES:
        y = BOTTOM - cycle * RISE - RISE / 2 + 6
        parts.append(f'<text x="{CX + RX + 12}" y="{y:.0f}" font-size="15" fill="#1b1b1b">'
                     f'{escape(t(f"instruments.cycle.short.{cycle}", lang))}</text>')
    for p in PHASES:
        x, y = SPOTS[p.code]
        is_now = p.code == current
        fill = "#10325a" if is_now else "#5b8bd0" if p.code in seen else "#ffffff"
        text_fill = "#ffffff" if is_now else "#1b1b1b"
        r = 15 if is_now else 11
        parts.append(f'<g><title>{escape(p.name)}</title>'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{fill}" stroke="#1b1b1b" '
                     f'stroke-width="{4 if is_now else 1.5}"/>'
                     f'<text x="{x:.1f}" y="{y + 5:.1f}" font-size="{14 if is_now else 12}" text-anchor="middle" '
                     f'fill="{text_fill}">{p.order}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))

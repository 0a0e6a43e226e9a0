"""The shared drawings as SVG: a beam with blocks, a pair of scales, a network around the person."""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from w2.instruments.drawings import text_alternative
from w2.instruments.models import Drawing
from w2.platform.i18n import t

W, H = 360, 300
INK, BURDEN, SUPPORT, EMPTY = "#1b1b1b", "#b3261e", "#1a6b2a", "#6b6b6b"
MEANING = {"positive": ("#1a6b2a", "", 3), "negative": ("#b3261e", "6 4", 3), "neutral": ("#6b6b6b", "2 3", 1.5)}


def _short(text: str, n: int = 18) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _head(d: Drawing, lang: str, sid: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" class="drawing" role="img" '
            f'aria-labelledby="{sid}-t {sid}-d">',
            f'<title id="{sid}-t">{escape(t("instruments.drawing.kind." + d.kind, lang))}</title>',
            f'<desc id="{sid}-d">{escape(text_alternative(d, lang))}</desc>']


def _blocks(items: list[dict[str, object]], above: bool, colour: str, x0: float, y: float) -> list[str]:
    out, x = [], x0
    for it in items:
        size = int(it["size"])  # type: ignore[call-overload]  # items are JSON written through DrawingIn, so size is a number
        h, w = 22 * size, 70
        top = y - h if above else y
        out.append(f'<rect x="{x:.0f}" y="{top:.0f}" width="{w}" height="{h}" fill="#fff" stroke="{colour}" stroke-width="2"/>'
                   f'<text x="{x + w / 2:.0f}" y="{top + h / 2 + 4:.0f}" font-size="10" text-anchor="middle" '
                   f'fill="{INK}">{escape(_short(str(it["label"]), 13))}</text>')
        x += w + 6
    return out


def balance_svg(d: Drawing, lang: str, sid: str) -> list[str]:
    """The beam is the person; burdens stand on it, supports carry it; one empty block for the unnamed."""
    out = [f'<rect x="10" y="145" width="{W - 20}" height="12" fill="{INK}"/>',
           f'<text x="14" y="172" font-size="10" fill="{INK}">{escape(t("instruments.drawing.side.support", lang))}</text>',
           f'<text x="14" y="138" font-size="10" fill="{INK}">{escape(t("instruments.drawing.side.burden", lang))}</text>']
    burdens = [i for i in d.items if i["side"] == "burden"][:4]
    supports = [i for i in d.items if i["side"] == "support"][:4]
    out += _blocks(burdens, True, BURDEN, 70, 145)
    out += _blocks(supports, False, SUPPORT, 70, 157)
    ex = 70 + len(burdens) * 76
    if ex + 40 < W:
        out.append(f'<rect x="{ex:.0f}" y="123" width="40" height="22" fill="none" stroke="{EMPTY}" '
                   f'stroke-dasharray="4 3" stroke-width="2"/>')
    return out


def scale_svg(d: Drawing, lang: str, sid: str) -> list[str]:
    """Pros on the left pan, cons on the right; the beam tilts to the heavier side."""
    pro = sum(int(i["size"]) for i in d.items if i["side"] == "pro")  # type: ignore[call-overload]  # items are JSON written through DrawingIn, so size is a number
    con = sum(int(i["size"]) for i in d.items if i["side"] == "con")  # type: ignore[call-overload]  # items are JSON written through DrawingIn, so size is a number
    tilt = max(-20, min(20, (con - pro) * 5))
    cx, cy = W / 2, 90
    lx, ly = cx - 120, cy - tilt
    rx, ry = cx + 120, cy + tilt
    out = [f'<polygon points="{cx - 18},{H - 20} {cx + 18},{H - 20} {cx},{cy}" fill="#d9d9d9" stroke="{INK}"/>',
           f'<line x1="{lx}" y1="{ly}" x2="{rx}" y2="{ry}" stroke="{INK}" stroke-width="5"/>']
    if d.title:
        out.append(f'<text x="{cx}" y="22" font-size="13" text-anchor="middle" font-weight="700" fill="{INK}">'
                   f'{escape(_short(d.title, 40))}</text>')
    for side, x, y, colour in (("pro", lx, ly, SUPPORT), ("con", rx, ry, BURDEN)):
        out.append(f'<text x="{x}" y="{y + 22}" font-size="12" text-anchor="middle" font-weight="700" fill="{colour}">'
                   f'{escape(t("instruments.drawing.side." + side, lang))}</text>')
        for k, it in enumerate([i for i in d.items if i["side"] == side][:6]):
            out.append(f'<text x="{x}" y="{y + 40 + k * 16}" font-size="11" text-anchor="middle" fill="{INK}">'
                       f'{escape(_short(str(it["label"]), 20))} ({it["size"]})</text>')
    return out


def ecogram_svg(d: Drawing, lang: str, sid: str) -> list[str]:
    """The person in the middle, the people around; the line says whether the bond helps or weighs."""
    cx, cy, r = W / 2, H / 2, 110
    out = []
    people = d.items[:12]
    for k, it in enumerate(people):
        a = -math.pi / 2 + 2 * math.pi * k / max(1, len(people))
        x, y = cx + r * math.cos(a), cy + r * 0.8 * math.sin(a)
        colour, dash, width = MEANING[str(it["meaning"])]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.0f}" y2="{y:.0f}" stroke="{colour}" stroke-width="{width}"{dash_attr}/>')
        out.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="22" fill="#fff" stroke="{colour}" stroke-width="2"/>'
                   f'<text x="{x:.0f}" y="{y + 4:.0f}" font-size="10" text-anchor="middle" fill="{INK}">'
                   f'{escape(_short(str(it["label"]), 9))}</text>')
    out.append(f'<circle cx="{cx}" cy="{cy}" r="26" fill="#10325a"/><text x="{cx}" y="{cy + 4}" font-size="12" '
               f'text-anchor="middle" fill="#fff">{escape(t("instruments.drawing.me", lang))}</text>')
    return out


def drawing_svg(d: Drawing, lang: str = "nl") -> Markup:
    """The drawing, with its title and a text alternative inside the SVG."""
    sid = f"dr-{d.id.hex[:8]}"
    body = {"balance": balance_svg, "scale": scale_svg, "ecogram": ecogram_svg}[d.kind](d, lang, sid)
    return Markup("".join([*_head(d, lang, sid), *body, "</svg>"]))

"""W²-cirkels: the radar SVG is ours, complete and escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from w2.reports.charts import Series, radar_svg

NS = {"s": "http://www.w3.org/2000/svg"}


def test_radar_has_one_axis_per_theme_and_three_periods() -> None:
    axes = ["Inkomen", "Huisvesting", "Gezondheid", "Band met de kinderen", "Opleiding"]
    svg = radar_svg("Buitenkant", axes, [
        Series("start", "Start", [2, 3, 5, 4, 1]),
        Series("now", "Nu", [4, 3, 6, None, 2]),
        Series("future", "Toekomst", [7, 8, 8, 8, 6]),
    ])
    root = ET.fromstring(svg)
    assert root.attrib["role"] == "img"
    assert root.find("s:title", NS).text == "Buitenkant"
    lines = root.findall("s:line", NS)
    assert len([ln for ln in lines if ln.attrib.get("x1") == ln.attrib.get("x1") and "y2" in ln.attrib]) >= 5
    texts = " ".join("".join(t.itertext()) for t in root.findall("s:text", NS))
    for label in ("Inkomen", "Huisvesting", "Gezondheid", "Opleiding", "Start", "Nu", "Toekomst"):
        assert label in texts
    series = {p.attrib["class"]: p for p in root.findall("s:polygon", NS) if "class" in p.attrib}
    assert set(series) == {"series-start", "series-now", "series-future"}
    assert len(series["series-start"].attrib["points"].split()) == 5
    assert len(series["series-now"].attrib["points"].split()) == 4  # a blank score is left out, not drawn as 0
    desc = root.find("s:desc", NS).text
    assert "Inkomen: start 2, nu 4, toekomst 7" in desc


def test_score_ten_reaches_the_rim_and_zero_the_centre() -> None:
    svg = radar_svg("x", ["a", "b", "c", "d"], [Series("now", "Nu", [10, 0, 10, 0])], size=340)
    root = ET.fromstring(svg)
    pts = next(p for p in root.findall("s:polygon", NS) if p.attrib.get("class") == "series-now").attrib["points"]
    first = pts.split()[0].split(",")
    assert (float(first[0]), float(first[1])) == (170.0, 170.0 - (170 - 62))
    assert pts.split()[1] == "170.0,170.0"


def test_labels_are_escaped() -> None:
    svg = radar_svg("<t>", ["<script>", "a&b", "c"], [Series("now", "Nu", [1, 2, 3])])
    ET.fromstring(svg)  # still well-formed XML
    assert "<script>" not in svg and "&lt;script&gt;" in svg

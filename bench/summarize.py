"""Turn the output folder of `bench/all.py` into Markdown tables: `uv run python bench/summarize.py OUT_DIR`."""

from __future__ import annotations

import re
import sys
from pathlib import Path

LINE = re.compile(r"^(\S+)\s+(-?[\d.]+)\s+(\S+)$")


def figures(path: Path) -> dict[str, tuple[float, str]]:
    """name -> (value, unit) from one bench's output."""
    out: dict[str, tuple[float, str]] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if m := LINE.match(line.strip()):
                out[m[1]] = (float(m[2]), m[3])
    return out


def fmt(v: tuple[float, str] | None) -> str:
    if v is None:
        return "-"
    value, unit = v
    if unit == "count" or unit == "rows":
        return f"{value:.0f}"
    return f"{value:.2f} {unit}" if unit != "ms" else f"{value:.2f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bench-out")
    parts: list[str] = []
    pl = figures(out / "partner_list.txt")
    rows = [[name, fmt(pl.get(f"{name}_p50")), fmt(pl.get(f"{name}_p95")), fmt(pl.get(f"{name}_samples"))]
            for name in ("endpoint_partner", "raw_partner", "raw_partner_rls", "endpoint_workspace", "raw_workspace",
                         "raw_workspace_rls", "empty_route")]
    parts.append("Latency (ms)\n\n" + table(["variant", "p50", "p95", "n"], rows))
    parts.append(table(["ratio", "value"], [[k, fmt(v)] for k, v in pl.items() if "ratio" in k]))
    cc = figures(out / "consent_cost.txt")
    variants = ("served_no_policy", "served_policy", "served_rls_only", "served_policy_rls", "page_no_policy", "page_policy", "page_rls_only", "page_policy_rls", "count_no_policy",
                "count_policy", "count_rls_only", "count_policy_rls")
    rows = [[v, fmt(cc.get(f"busiest_{v}_p50")), fmt(cc.get(f"median_{v}_p50"))] for v in variants]
    parts.append("Consent cost, p50 (ms)\n\n" + table(["variant", "busiest agency", "median agency"], rows))
    parts.append(table(["ratio", "value"], [[k, fmt(v)] for k, v in cc.items() if "ratio" in k]))
    rs = figures(out / "reminder_scan.txt")
    parts.append("Reminder scan\n\n" + table(["figure", "value"], [[k, fmt(v)] for k, v in rs.items()]))
    for label, name in (("Throughput (workspace agreements)", "throughput"),
                        ("Throughput (partner list, busiest agency)", "throughput_partner")):
        tp = figures(out / f"{name}.txt")
        rows = [[w, fmt(tp.get(f"workers_{w}_requests_per_s")), fmt(tp.get(f"workers_{w}_p50")),
                 fmt(tp.get(f"workers_{w}_p95")), fmt(tp.get(f"workers_{w}_errors"))] for w in ("1", "2", "4")]
        parts.append(f"{label}\n\n" + table(["workers", "req/s", "p50 ms", "p95 ms", "errors"], rows))
    rt = figures(out / "roundtrips.txt")
    parts.append("Round trips\n\n" + table(["figure", "per request"], [[k, fmt(v)] for k, v in rt.items()]))
    summaries = [ln for f in sorted(out.glob("*.txt")) for ln in f.read_text().splitlines()
                 if ln.startswith("SUMMARY")]
    parts.append("\n".join(f"- {s}" for s in summaries))
    print("\n\n".join(parts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

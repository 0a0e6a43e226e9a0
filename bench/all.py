"""Run every bench in turn and keep their output: `uv run python bench/all.py OUT_DIR`."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCHES = [
    ("roundtrips", []),
    ("consent_cost", ["--explain", "{out}/consent_plans.txt", "--budget", "6", "--min-samples", "10"]),
    ("partner_list", ["--requests", "500", "--budget", "45", "--min-samples", "10"]),
    ("reminder_scan", ["--explain", "{out}/reminder_plans.txt"]),
    ("throughput", ["--clients", "32", "--seconds", "10", "--workers", "1,2,4", "--path-kind", "workspace"]),
    # The partner list with every client a user of the busiest agency (target: >= 20 requests/s).
    ("throughput_partner:throughput", ["--clients", "32", "--seconds", "10", "--workers", "1,2,4",
                                       "--path-kind", "partner", "--agencies", "1"]),
]


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bench-out")
    out.mkdir(parents=True, exist_ok=True)
    here = Path(__file__).resolve().parent
    summaries = []
    for entry, args in BENCHES:
        name, _, script = entry.partition(":")  # "label:script" runs script.py, output kept as label.txt
        t0 = time.monotonic()
        cmd = [sys.executable, str(here / f"{script or name}.py"), *(a.format(out=out) for a in args)]
        res = subprocess.run(cmd, check=False, capture_output=True, text=True)
        (out / f"{name}.txt").write_text(res.stdout + ("\n# stderr\n" + res.stderr[-4000:] if res.returncode else ""))
        lines = [ln for ln in res.stdout.splitlines() if ln.startswith("SUMMARY")] or [f"{name} failed"]
        summaries += lines
        print(f"# {name}: {time.monotonic() - t0:.0f} s, exit {res.returncode}", flush=True)
        print(res.stdout, flush=True)
    print("\n".join(summaries))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""A year of 5-minute probe snapshots for the example fleet, as snapshot files.

    python3 bench/year_of_probes.py OUT_DIR [--end 2026-04-06T09:00:00Z] [--days 365] [--seed 1]

Writes one compact snapshot file per 5 minutes (105,120 for 365 days) into OUT_DIR, each
with the results of the example project's newest snapshot in content/probes/ (same
checks and targets), ending at --end. Failures are seeded: every check fails in about
0.3 % of the snapshots, and one service has a 2-hour outage each month, so uptime figures
and sparklines have something to show. Deterministic for a given seed.

Used to measure the history store (PERFORMANCE.md, "A year of probes"):

    python3 bench/year_of_probes.py /tmp/year
    fleetdoc history import /tmp/year      # once
    fleetdoc build                         # measured
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEP = timedelta(minutes=5)


def template() -> dict:
    files = sorted((ROOT / "content" / "probes").glob("*.json"))
    return json.loads(files[-1].read_text())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--end", default="2026-04-06T09:00:00Z")
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    base = template()
    end = datetime.fromisoformat(a.end.replace("Z", "+00:00")).astimezone(timezone.utc)
    n = a.days * 24 * 12
    a.out.mkdir(parents=True, exist_ok=True)
    outage_target = base["results"][0]["target"]
    for i in range(n):
        t = end - STEP * (n - 1 - i)
        results = []
        for r in base["results"]:
            r = dict(r)
            fail = rng.random() < 0.003
            # A 2-hour outage on the 3rd of every month, 02:00-04:00.
            if r["target"] == outage_target and t.day == 3 and 2 <= t.hour < 4:
                fail = True
            if fail and r.get("ok", True):
                r["ok"] = False
                r.pop("status", None)
                r.pop("latency_ms", None)
                r["error"] = "connection timed out"
            elif "latency_ms" in r:
                r["latency_ms"] = 80 + rng.randrange(60)
            results.append(r)
        snap = {
            "taken_at": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "probe": base["probe"],
            "results": results,
        }
        name = t.strftime("%Y%m%dT%H%M%SZ") + ".json"
        (a.out / name).write_text(json.dumps(snap, separators=(",", ":")))
    print(f"{n} snapshots in {a.out}")


if __name__ == "__main__":
    main()

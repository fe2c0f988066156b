#!/usr/bin/env python3
"""A fleetdoc project with a big fleet and few pages, for the fleet-scale benchmark.

Why it exists: the runbook corpus (corpus.py) has 40 hosts; a fleet of thousands of hosts
shows whether the model, the analysis and the rendering stay linear in the fleet. Hosts
are spread over 8 regions with documentation addresses (2001:db8::/32), each runs
--services-per-host services, and each host's first service links to the previous
host's. Only Python's standard library is used; the output depends only on the arguments.

    python3 bench/big_fleet.py --hosts 5000 --services-per-host 11 --out /tmp/fleet-5000
    /usr/bin/time -v fleetdoc -v build --root /tmp/fleet-5000
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path


def address(h: int) -> str:
    # 2001:db8::/32 has room for every host.
    return f"2001:db8::{h // 65536:x}:{h % 65536:x}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hosts", type=int, default=5000)
    ap.add_argument("--services-per-host", type=int, default=11)
    ap.add_argument("--out", type=Path, required=True, help="folder to write (replaced)")
    a = ap.parse_args()
    if a.out.exists():
        shutil.rmtree(a.out)
    (a.out / "content").mkdir(parents=True)
    y = ["fleet:", "  name: Big fleet", "hosts:"]
    for h in range(a.hosts):
        y += [f"  h{h:05}:", f"    address: {address(h)}", "    role: worker",
              f"    region: region-{h % 8}"]
    y.append("services:")
    for h in range(a.hosts):
        for s in range(a.services_per_host):
            y += [f"  s{h:05}-{s}:", f"    host: h{h:05}", "    kind: process",
                  f"    port: {8000 + s}"]
    y.append("links:")
    for h in range(1, a.hosts):
        y += [f"  - from: s{h:05}-0", f"    to: s{h - 1:05}-0"]
    (a.out / "content" / "fleet.yaml").write_text("\n".join(y) + "\n")
    (a.out / "content" / "inventory.md").write_text(
        "---\ntitle: Hosts\n---\n\n```fleet\ntable: hosts\n```\n")
    (a.out / "fleetdoc.yaml").write_text("title: Big fleet\n")


if __name__ == "__main__":
    main()

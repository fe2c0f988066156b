"""Markdown tables of the benchmark's results, as printed to stdout and pasted into
PERFORMANCE.md.

Why it exists: the harness's output is meant to be read by people and diffed between
runs, so the tables have a fixed shape: one row per (pages, tool) for cold builds, one row
per tool for edit-to-served latency, then fleetdoc's own stage timings.
"""

from __future__ import annotations

from measure import median
from watchbench import EDITS, WatchResult


def fmt_s(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x < 10 else f"{x:.1f} s"


def fmt_mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


def cold_table(results: dict[int, dict[str, list]]) -> str:
    """results[pages][tool] = list of measure.Run (successful ones only)."""
    lines = [
        "| pages | tool | median wall | min - max | peak RSS (median) | wall vs Zola | RSS vs Zola |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for pages, by_tool in sorted(results.items()):
        zola = by_tool.get("zola") or []
        z_wall = median([r.wall_s for r in zola]) if zola else None
        z_rss = median([r.peak_kib for r in zola]) if zola else None
        for tool, runs in by_tool.items():
            if not runs:
                lines.append(f"| {pages} | {tool} | failed | | | | |")
                continue
            walls = [r.wall_s for r in runs]
            rss = median([r.peak_kib for r in runs])
            w = median(walls)
            ratio_w = f"{w / z_wall:.2f}" if z_wall else "n/a"
            ratio_m = f"{rss / z_rss:.2f}" if z_rss else "n/a"
            lines.append(
                f"| {pages} | {tool} | {fmt_s(w)} | {fmt_s(min(walls))} - {fmt_s(max(walls))} | "
                f"{fmt_mib(rss)} | {ratio_w} | {ratio_m} |"
            )
    return "\n".join(lines)


def _spread(xs: list[float], digits: int = 0) -> str:
    return f"{median(xs):.{digits}f} ms ({min(xs):.{digits}f} - {max(xs):.{digits}f})"


def watch_table(results: list[WatchResult], pages: int) -> str:
    kinds = [e for e in EDITS if any(e in r.latencies_ms or e in r.failures for r in results)]
    head = "| tool | " + " | ".join(f"{e} edit" for e in kinds) + " | note |"
    lines = [f"Edit to reload sent, {pages}-page corpus (median, min - max):", "", head,
             "|---|" + "---:|" * len(kinds) + "---|"]
    for r in results:
        cells = []
        for e in kinds:
            lat = r.latencies_ms.get(e) or []
            if e in r.failures:
                cells.append(r.failures[e])
            elif lat:
                cells.append(_spread(lat, 1 if median(lat) < 100 else 0))
            else:
                cells.append("not measured")
        lines.append(f"| {r.tool} | " + " | ".join(cells) + f" | {r.note} |")
    return "\n".join(lines)


# fleetdoc's stages of a rebuild before the reload is sent, in order (`fleetdoc -v watch`).
WATCH_STAGES = ("settle", "load", "model", "analyze", "render", "write", "notify")


def watch_stage_table(results: list[WatchResult], pages: int) -> str:
    """fleetdoc's own split of each page edit's rebuild (median, min - max)."""
    rows = []
    for r in results:
        for kind in ("page", "page-rename"):
            blocks = r.stages.get(kind) or []
            if not blocks:
                continue
            cells = []
            for n in WATCH_STAGES:
                xs = [b[n] for b in blocks if n in b]
                cells.append(_spread(xs, 2) if xs else "-")
            total = [sum(b.get(n, 0.0) for n in WATCH_STAGES) for b in blocks]
            rows.append(f"| {kind} | " + " | ".join(cells) + f" | {_spread(total, 2)} |")
    if not rows:
        return ""
    head = ["fleetdoc's own split of those rebuilds (`fleetdoc -v watch`; median, min - max), "
            f"{pages} pages:", "",
            "| edit | " + " | ".join(WATCH_STAGES) + " | sum |",
            "|---|" + "---:|" * (len(WATCH_STAGES) + 1)]
    return "\n".join(head + rows)


def stage_table(stages: dict[int, list[dict[str, float]]]) -> str:
    """stages[pages] = one {stage: ms} per `fleetdoc build -v` run."""
    names: list[str] = []
    for runs in stages.values():
        for r in runs:
            names += [n for n in r if n not in names]
    lines = ["| pages | " + " | ".join(names) + " |", "|---:|" + "---:|" * len(names)]
    for pages, runs in sorted(stages.items()):
        cells = [_spread([r.get(n, 0.0) for r in runs]) for n in names]
        lines.append(f"| {pages} | " + " | ".join(cells) + " |")
    return "\n".join(lines)

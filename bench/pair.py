#!/usr/bin/env python3
"""Two fleetdoc binaries on the same corpus, alternated pair by pair: what a change costs.

Why it exists: a feature's cost ("at most 25 % more wall time") is only honest when the
build before it and the build with it run on the same corpus, in the same minutes of a
shared machine. This script builds the corpus of `bench/corpus.py` (cached like
`bench/run.py`'s) with OLD and NEW, one untimed warm-up each, then RUNS pairs whose order
alternates (old-new, new-old, ...), each build into an empty output folder, with
`SOURCE_DATE_EPOCH` fixed, timed around the whole process with `/usr/bin/time -v`: wall
time, CPU time (user + system) and peak resident memory. It prints medians with min and
max and the NEW/OLD ratio pair by pair, and checks that both builds wrote the same files.

    python3 bench/pair.py OLD_BIN NEW_BIN --pages 1000,10000 --runs 7

A binary older than a project setting the corpus writes (it stops on "unknown key `x` in
fleetdoc.yaml") builds a copy of the corpus without that line; the script says so.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import clear_outputs, fresh_out, median  # noqa: E402
from run import CACHE, corpus_for, log, tmpfs_out_base  # noqa: E402

GNU_TIME = Path("/usr/bin/time")
_FIELDS = {
    "user": re.compile(r"User time \(seconds\): ([0-9.]+)"),
    "sys": re.compile(r"System time \(seconds\): ([0-9.]+)"),
    "rss": re.compile(r"Maximum resident set size \(kbytes\): (\d+)"),
}
_UNKNOWN_KEY = re.compile(r"unknown key `([A-Za-z0-9_]+)` in fleetdoc\.yaml")


def build(exe: Path, src: Path, out: Path, env: dict) -> dict:
    """One timed build: wall (s), cpu (s), rss (KiB), the tool's output."""
    with tempfile.NamedTemporaryFile(prefix="pair-time-", suffix=".log") as tlog:
        cmd = [str(GNU_TIME), "-v", "-o", tlog.name, str(exe), "build", "--root", str(src),
               "--out", str(out)]
        start = time.perf_counter()
        r = subprocess.run(cmd, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        t = Path(tlog.name).read_text(errors="replace")
    got = {k: float(m.group(1)) if (m := rx.search(t)) else 0.0 for k, rx in _FIELDS.items()}
    return {"ok": r.returncode == 0, "wall": wall, "cpu": got["user"] + got["sys"],
            "rss": int(got["rss"]), "output": r.stdout + r.stderr}


def project_for(exe: Path, src: Path, work: Path, env: dict) -> Path:
    """The corpus as `exe` accepts it: a copy without the settings it does not know yet."""
    dropped: list[str] = []
    proj = src
    for _ in range(5):
        out = fresh_out(work, "probe")
        r = build(exe, proj, out, env)
        shutil.rmtree(out, ignore_errors=True)
        m = _UNKNOWN_KEY.search(r["output"])
        if r["ok"] or not m:
            if not r["ok"]:
                sys.exit(f"{exe} failed to build {proj}:\n{r['output'][-3000:]}")
            break
        key = m.group(1)
        dropped.append(key)
        copy = work / f"project-{exe.name}"
        if proj == src:
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(src, copy)
            proj = copy
        cfg = proj / "fleetdoc.yaml"
        lines = cfg.read_text().splitlines(keepends=True)
        cfg.write_text("".join(l for l in lines if not l.startswith(f"{key}:")))
    if dropped:
        log(f"{exe.name}: built from a copy of the corpus without {', '.join(dropped)} "
            "(a setting it does not know)")
    return proj


def files_of(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_size for p in root.rglob("*") if p.is_file()}


def pct(xs: list[float]) -> str:
    return f"{median(xs):.2f} ({min(xs):.2f} - {max(xs):.2f})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old", type=Path, help="the build before the change")
    ap.add_argument("new", type=Path, help="the build with the change")
    ap.add_argument("--pages", default="1000,10000", help="comma-separated corpus sizes")
    ap.add_argument("--runs", type=int, default=7, help="pairs per size (default 7)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out-base", type=Path, default=None,
                    help="where the sites are written (default: on disk, bench/.cache/out)")
    ap.add_argument("--tmpfs", action="store_true",
                    help="write the sites to the /dev/shm tmpfs instead, when it has room")
    ap.add_argument("--json", type=Path, help="also write the raw figures here")
    args = ap.parse_args()
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    bins = {"old": args.old.resolve(), "new": args.new.resolve()}
    results = {}
    # Deleted when every size is measured (see `measure.fresh_out`).
    works: list[Path] = []
    bases: set[Path] = set()
    for pages in [int(p) for p in args.pages.split(",")]:
        src, _ = corpus_for(pages, args.seed)
        base = args.out_base or (args.tmpfs and tmpfs_out_base(pages)) or CACHE / "out"
        base.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="pair-", dir=HERE / ".cache"))
        projects = {k: project_for(b, src / "fleetdoc", work, env) for k, b in bins.items()}
        # Warm-up: fills the file cache; the two sites are compared file by file (sizes).
        sites = {}
        for k in bins:
            out = fresh_out(base, f"pair-{k}")
            r = build(bins[k], projects[k], out, env)
            if not r["ok"]:
                sys.exit(f"{k} failed:\n{r['output'][-3000:]}")
            sites[k] = files_of(out)
        only_new = sorted(set(sites["new"]) - set(sites["old"]))
        only_old = sorted(set(sites["old"]) - set(sites["new"]))
        runs = {"old": [], "new": []}
        for i in range(args.runs):
            order = ["old", "new"] if i % 2 == 0 else ["new", "old"]
            for k in order:
                out = fresh_out(base, f"pair-{k}")
                r = build(bins[k], projects[k], out, env)
                if not r["ok"]:
                    sys.exit(f"{k} failed:\n{r['output'][-3000:]}")
                r.pop("output")
                runs[k].append(r)
            o, n = runs["old"][-1], runs["new"][-1]
            log(f"{pages} pages, pair {i + 1}/{args.runs} ({'-'.join(order)}): wall "
                f"{o['wall']:.3f} / {n['wall']:.3f} s, cpu {o['cpu']:.2f} / {n['cpu']:.2f} s, "
                f"rss {o['rss'] // 1024} / {n['rss'] // 1024} MiB")
        works.append(work)
        bases.add(base)
        results[pages] = runs
        print(f"\n### {pages} pages, {args.runs} pairs ({bins['old'].name} -> {bins['new'].name})\n")
        print(f"files: old {len(sites['old'])}, new {len(sites['new'])}; only in new: "
              f"{len(only_new)} ({', '.join(only_new[:4])}{' ...' if len(only_new) > 4 else ''}); "
              f"only in old: {len(only_old)}\n")
        print("| measure | old, median (min - max) | new, median (min - max) | new/old pair by pair, median (min - max) |")
        print("|---|---:|---:|---:|")
        for m, unit, scale in (("wall", "s", 1), ("cpu", "s", 1), ("rss", "MiB", 1 / 1024)):
            o = [r[m] * scale for r in runs["old"]]
            n = [r[m] * scale for r in runs["new"]]
            ratio = [b / a for a, b in zip(o, n) if a]
            print(f"| {m} ({unit}) | {pct(o)} | {pct(n)} | {pct(ratio)} |")
    for base in bases:
        clear_outputs(base)
    for work in works:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

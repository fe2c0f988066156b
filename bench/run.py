#!/usr/bin/env python3
"""fleetdoc against Zola and Hugo: cold builds and edit-to-served latency, measured.

    python3 bench/run.py [--pages 1000,10000] [--runs 5] [--edits 20] [--tmpfs] [--zola-defaults] [--no-install]

Builds fleetdoc (release), generates the corpora (bench/corpus.py, cached by seed, size
and generator version under bench/.cache/), then builds every corpus with each tool in
the same run, alternating the order of tools each round, and prints Markdown tables to
stdout: median, min and max wall time and peak memory, the ratio to Zola, fleetdoc's own
stage timings (`build -v`), and edit-to-served latency (the file written to the reload
message the browser gets, checked against the served page) of page, topology and template
edits under each tool's watch server, at every corpus size.

Sites are written to disk (bench/.cache/out, or --out-base DIR); `--tmpfs` also builds
every corpus with the sites on the /dev/shm tmpfs, as a second table. Zola builds the site
of equal scope to fleetdoc's (code highlighted, search index written); `--zola-defaults`
adds Zola with its defaults (neither) as one more tool, so both comparisons can be shown.
Zola and Hugo are installed when missing (at nice 19) unless --no-install is given; a tool
that is not there is skipped with a message.

CI runs `python3 bench/run.py --pages 50 --runs 1 --edits 2 --no-install`: with only
fleetdoc present it skips the others, checks that every corpus builds, and exits 0. There
are no timing assertions; the exit code is 1 only when a tool fails to build a corpus or
a watch server fails an edit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
import measure  # noqa: E402
import report  # noqa: E402
import tools as toolmod  # noqa: E402
import watchbench  # noqa: E402

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache"
ALL_TOOLS = ["fleetdoc", "zola", "zola-defaults", "hugo"]


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def corpus_for(pages: int, seed: int) -> tuple[Path, dict]:
    """The corpus for (pages, seed), generated unless the cache holds this generator's copy."""
    d = CACHE / f"corpus-s{seed}-n{pages}-{corpus.fingerprint()}"
    info_path = d / "corpus.json"
    if info_path.is_file():
        return d, json.loads(info_path.read_text())
    log(f"generating corpus: {pages} pages, seed {seed} -> {d.relative_to(BENCH.parent)}")
    for old in CACHE.glob(f"corpus-s{seed}-n{pages}-*"):
        if old != d:
            shutil.rmtree(old, ignore_errors=True)
    return d, corpus.generate(d, pages, seed)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs ({cpu}){mem}, {platform.system()} {platform.release()}, load average {load}"


def tmpfs_out_base(pages: int) -> Path | None:
    """A folder on the /dev/shm tmpfs when it has room for the largest outputs, else None.

    The tmpfs table measures what the tools do without the file system's allocator: on
    an ext4 without a journal, creating files right after deleting many others (each run
    starts from an empty folder) scans past every recently freed inode. The disk table,
    the default, is what a user's build pays.
    """
    shm = Path("/dev/shm")
    need = 200_000 * pages  # Hugo's 10,000-page site is about 1.3 GB
    try:
        st = os.statvfs(shm)
        if shm.is_dir() and os.access(shm, os.W_OK) and st.f_bavail * st.f_frsize > 2 * need:
            return shm / "fleetdoc-bench"
    except OSError:
        pass
    return None


def cold_builds(tools: dict, sizes: list[int], runs: int, seed: int, env: dict,
                out_base: Path) -> tuple[dict, dict, bool]:
    results: dict[int, dict[str, list]] = {}
    stages: dict[int, list[dict[str, float]]] = {}
    ok = True
    out_base.mkdir(parents=True, exist_ok=True)
    for pages in sizes:
        src, info = corpus_for(pages, seed)
        log(f"corpus {pages} pages: mean page {info['page_bytes_mean']} B, {info['links']} links, "
            f"{info['fleet_blocks']} fleet blocks")
        results[pages] = {name: [] for name in tools}
        order = list(tools)
        failed: set[str] = set()
        # One untimed warm-up build each: fills the file cache and shows errors early.
        for name in order:
            t = tools[name]
            r = measure.timed(t.build_cmd(src / t.form, measure.fresh_out(out_base, name)), env)
            if not r.ok:
                log(f"{name}: FAILED to build the {pages}-page corpus:\n{r.output[-3000:]}")
                failed.add(name)
                ok = False
        for rnd in range(runs):
            k = rnd % len(order)
            for name in order[k:] + order[:k]:
                if name in failed:
                    continue
                t = tools[name]
                cmd = t.build_cmd(src / t.form, measure.fresh_out(out_base, name))
                if name == "fleetdoc":
                    cmd.insert(1, "-v")
                r = measure.timed(cmd, env)
                if not r.ok:
                    log(f"{name}: run {rnd + 1} failed:\n{r.output[-2000:]}")
                    ok = False
                    continue
                results[pages][name].append(r)
                if name == "fleetdoc":
                    stages.setdefault(pages, []).append(measure.stage_times(r.output))
                log(f"{pages} pages, round {rnd + 1}/{runs}, {name}: {r.wall_s * 1000:.0f} ms, "
                    f"{r.peak_kib / 1024:.0f} MiB")
    return results, stages, ok


def watch_runs(tools: dict, sizes: list[int], reps: int, seed: int, env: dict, work: Path,
               pause: float, kinds: tuple[str, ...]) -> dict:
    out: dict[int, list] = {}
    work.mkdir(parents=True, exist_ok=True)
    for pages in sizes:
        src, info = corpus_for(pages, seed)
        for name, t in tools.items():
            if name == "fleetdoc" and not toolmod.fleetdoc_has_watch(t):
                log("fleetdoc watch: SKIPPED, `fleetdoc --help` lists no `watch` command yet")
                continue
            if name == "zola-defaults":
                # `zola serve` renders only the edited page (`--fast`); its defaults change what
                # that page holds, not how it is served. One Zola watch figure is enough.
                log("watch zola-defaults: not measured (the edit figure is Zola's, measured as `zola`)")
                continue
            log(f"watch {name}: {pages} pages, {reps} edits of each kind")
            r = watchbench.measure(t, src, info["sample_page"], reps, env, log, work_base=work, pause=pause,
                                   edits=kinds)
            for kind, lat in r.latencies_ms.items():
                if lat:
                    log(f"watch {name}, {pages} pages, {kind}: median {measure.median(lat):.1f} ms "
                        f"({min(lat):.1f} - {max(lat):.1f})")
            out.setdefault(pages, []).append(r)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", default="1000,10000", help="comma-separated corpus sizes (default 1000,10000)")
    ap.add_argument("--runs", type=int, default=5, help="timed builds per tool and size (default 5)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--no-install", action="store_true", help="do not install missing Zola / Hugo")
    ap.add_argument("--tools", default="fleetdoc,zola,hugo", help="subset of fleetdoc,zola,zola-defaults,hugo")
    ap.add_argument("--fleetdoc", type=Path, help="use this fleetdoc binary instead of building one")
    ap.add_argument("--watch-pages", help="comma-separated corpus sizes for the watch benchmark "
                    "(default: the sizes of --pages)")
    ap.add_argument("--edits", type=int, default=20, help="edits of each kind per watch server (default 20)")
    ap.add_argument("--pause", type=float, default=1.0, help="seconds between one edit's reload and the "
                    "next save (default 1.0)")
    ap.add_argument("--watch-kinds", default=",".join(watchbench.EDITS),
                    help="edits to measure (default " + ",".join(watchbench.EDITS) + ")")
    ap.add_argument("--no-watch", action="store_true", help="skip edit-to-served latency")
    ap.add_argument("--no-cold", action="store_true", help="skip cold builds (only edit-to-served)")
    ap.add_argument("--out-base", type=Path, default=None,
                    help="a disk folder where the tools write their sites and watch copies "
                    "(default bench/.cache/out)")
    ap.add_argument("--tmpfs", action="store_true",
                    help="also build every corpus with the sites on the /dev/shm tmpfs: a second table")
    ap.add_argument("--zola-defaults", action="store_true",
                    help="also run Zola with its defaults (no highlighting, no search index)")
    ap.add_argument("--json", type=Path, help="also write the raw results here")
    a = ap.parse_args(argv)
    try:
        sizes = sorted({int(x) for x in a.pages.split(",") if x.strip()})
    except ValueError:
        ap.error("--pages takes numbers like 1000,10000")
    if not sizes or min(sizes) < 1 or a.runs < 1:
        ap.error("--pages and --runs must be at least 1")
    want = [t.strip() for t in a.tools.split(",") if t.strip()]
    if a.zola_defaults and "zola-defaults" not in want:
        want.append("zola-defaults")

    if unknown := [t for t in want if t not in ALL_TOOLS]:
        ap.error(f"unknown tool(s): {', '.join(unknown)}")

    fd = a.fleetdoc.resolve() if a.fleetdoc else None
    if fd and not fd.is_file():
        ap.error(f"--fleetdoc {a.fleetdoc}: no such file")
    tools = toolmod.discover(fd, want, not a.no_install, log)
    if not tools:
        log("no tool to run")
        return 1
    env = toolmod.env_for_runs()
    log("running: " + ", ".join(f"{t.name} ({t.version})" for t in tools.values()))
    for name in want:
        if name not in tools:
            log(f"not running: {name}")

    log(f"machine at start: {machine()}")
    out_base = (a.out_base or CACHE / "out").resolve()
    log(f"sites written to {out_base} ({measure.fs_type(out_base)})")
    results, stages, ok = ({}, {}, True) if a.no_cold else cold_builds(tools, sizes, a.runs, a.seed, env, out_base)
    shm_results: dict = {}
    shm_stages: dict = {}
    shm_base = tmpfs_out_base(max(sizes)) if a.tmpfs and not a.no_cold else None
    if a.tmpfs and not a.no_cold and shm_base is None:
        log("--tmpfs: /dev/shm is missing or has too little room; no tmpfs table")
    if shm_base:
        log(f"second table: sites written to {shm_base} ({measure.fs_type(shm_base)})")
        shm_results, shm_stages, shm_ok = cold_builds(tools, sizes, a.runs, a.seed, env, shm_base)
        ok = ok and shm_ok
        shutil.rmtree(shm_base, ignore_errors=True)  # memory, not disk: give it back
    wsizes = sorted({int(x) for x in a.watch_pages.split(",")}) if a.watch_pages else sizes
    watch = {} if a.no_watch else watch_runs(tools, wsizes, max(a.edits, 1), a.seed, env, out_base, a.pause,
                                                 tuple(k for k in a.watch_kinds.split(",") if k))
    if any(w.failures for ws in watch.values() for w in ws):
        ok = False

    print(f"## Benchmark: {', '.join(str(s) for s in sizes)} pages, {a.runs} runs each\n")
    print(f"Machine: {machine()}  ")
    print("Tools: " + "; ".join(f"{t.name}: {t.version}" for t in tools.values()) + "  ")
    if skipped := [n for n in want if n not in tools]:
        print("Skipped (not installed): " + ", ".join(skipped) + "  ")
    print("Peak memory from " + ("`/usr/bin/time -v`" if measure.HAS_GNU_TIME else "getrusage (wait4)") + ".\n")
    if results:
        print(f"### Cold build, sites written to disk: {measure.fs_type(out_base)} ({out_base})\n")
        print(report.cold_table(results) + "\n")
    if stages:
        print("### fleetdoc stages (`fleetdoc -v build`, disk; median, min - max)\n")
        print(report.stage_table(stages) + "\n")
    if shm_results:
        print(f"### Cold build, sites written to tmpfs ({shm_base})\n")
        print(report.cold_table(shm_results) + "\n")
    if shm_stages:
        print("### fleetdoc stages (`fleetdoc -v build`, tmpfs; median, min - max)\n")
        print(report.stage_table(shm_stages) + "\n")
    if watch:
        print(f"### Edit to served ({max(a.edits, 1)} edits of each kind, {a.pause:g} s apart; the "
              f"watched copies on {measure.fs_type(out_base)})\n")
        for pages, ws in sorted(watch.items()):
            print(report.watch_table(ws, pages) + "\n")
            split = report.watch_stage_table(ws, pages)
            if split:
                print(split + "\n")
    if a.json:
        raw = {
            "machine": machine(),
            "tools": {t.name: {"exe": str(t.exe), "version": t.version} for t in tools.values()},
            "cold": {str(p): {n: [{"wall_s": r.wall_s, "peak_kib": r.peak_kib} for r in rs]
                              for n, rs in by.items()} for p, by in results.items()},
            "stages": {str(p): s for p, s in stages.items()},
            "cold_tmpfs": {str(p): {n: [{"wall_s": r.wall_s, "peak_kib": r.peak_kib} for r in rs]
                                    for n, rs in by.items()} for p, by in shm_results.items()},
            "watch": {str(p): [{"tool": w.tool, "latencies_ms": w.latencies_ms, "failures": w.failures,
                                "note": w.note, "stages": w.stages} for w in ws]
                      for p, ws in watch.items()},
        }
        a.json.write_text(json.dumps(raw, indent=2) + "\n")
    measure.clear_outputs(out_base)  # every site built on disk, kept until now (see measure.fresh_out)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Timed cold builds: wall time and peak memory of one tool building one corpus.

Why it exists: the harness needs every tool measured the same way. Wall time is taken
around the child process with a monotonic clock; peak memory (maximum resident set size)
comes from `/usr/bin/time -v` when it is installed, else from the kernel's accounting of
the one child we waited for (`os.wait4`), which reports the same figure.
"""

from __future__ import annotations

import os
import re
import sys
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

GNU_TIME = Path("/usr/bin/time")
_MAXRSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


@dataclass
class Run:
    ok: bool
    wall_s: float
    peak_kib: int
    output: str  # what the tool printed (stdout and stderr), for errors and -v timings


def _has_gnu_time() -> bool:
    if not GNU_TIME.is_file():
        return False
    try:
        r = subprocess.run([str(GNU_TIME), "-v", "true"], capture_output=True, text=True, timeout=30)
    except OSError:
        return False
    return r.returncode == 0 and "Maximum resident" in r.stderr


HAS_GNU_TIME = _has_gnu_time()


def timed(cmd: list[str], env: dict[str, str], cwd: Path | None = None, timeout: float = 3600) -> Run:
    """Run `cmd` once; its output goes to a temp file so pipes never stall it."""
    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        log_path = Path(tmp) / "out.log"
        rss_path = Path(tmp) / "time.log"
        full = [str(GNU_TIME), "-v", "-o", str(rss_path), *cmd] if HAS_GNU_TIME else cmd
        with open(log_path, "w+b") as log:
            start = time.perf_counter()
            proc = subprocess.Popen(full, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd)
            deadline = start + timeout
            status, rusage = 0, None
            while True:
                pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    proc.kill()
                    _, status, rusage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.001)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
        output = log_path.read_text(errors="replace")
        peak = 0
        if HAS_GNU_TIME and rss_path.is_file():
            m = _MAXRSS.search(rss_path.read_text(errors="replace"))
            peak = int(m.group(1)) if m else 0
        elif rusage is not None:
            peak = rusage.ru_maxrss  # KiB on Linux
    return Run(ok=proc.returncode == 0, wall_s=wall, peak_kib=peak, output=output)


def fresh_out(base: Path, name: str) -> Path:
    """An output folder path that does not exist yet (each run starts from nothing).

    On disk, nothing is deleted while a benchmark measures: each build gets a folder of
    its own (`<name>-<n>`) and `clear_outputs` deletes them all when the benchmark is done.
    ext4 without a journal (this machine's) does not reuse an inode for 60 s after it was
    freed (360 s while its table block is dirty), and every file created meanwhile scans
    past the freed ones: deleting the previous run's 13,000 files right before a build made
    its system time grow run after run (a 1,000-page fleetdoc build from 0.9 to 2.0 s of
    wall time in six runs), which measured the allocator, not the tools. On a tmpfs (no
    such cost, and memory is short) the previous folder is deleted as before.
    """
    if fs_type(base.resolve()) == "tmpfs":
        out = base / name
        if out.exists():
            shutil.rmtree(out)
        for stale in base.glob(f"{name}.*"):
            shutil.rmtree(stale, ignore_errors=True)
        return out
    if shutil.disk_usage(base).free < _MIN_FREE:
        # Out of room: give the space back, and say that the next figures pay for it.
        print("[bench] disk nearly full: deleting the kept outputs (the next builds pay the "
              "file system's cost of reusing freed inodes)", file=sys.stderr)
        clear_outputs(base)
    _SEQ[0] += 1
    out = base / f"{name}-{os.getpid()}-{_SEQ[0]}"
    _KEPT.setdefault(base, []).append(out)
    return out


def clear_outputs(base: Path) -> None:
    """Deletes every output folder `fresh_out` made below `base` (and a killed run's)."""
    for out in _KEPT.pop(base, []):
        shutil.rmtree(out, ignore_errors=True)
        for stale in out.parent.glob(f"{out.name}.*"):
            shutil.rmtree(stale, ignore_errors=True)


_SEQ = [0]
_KEPT: dict[Path, list[Path]] = {}
_MIN_FREE = 3 * 1024**3


def fs_type(path: Path) -> str:
    """The file system type holding `path` (from /proc/mounts), or "unknown"."""
    best, kind = "", "unknown"
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return kind
    p = str(path)
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3:
            mnt = parts[1]
            if (p == mnt or p.startswith(mnt.rstrip("/") + "/")) and len(mnt) > len(best):
                best, kind = mnt, parts[2]
    return kind


def median(xs: list[float]) -> float:
    s = sorted(xs)
    n = len(s)
    if n == 0:
        return float("nan")
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


_STAGE = re.compile(r"^\s+([a-z][a-z-]*)\s+([0-9.]+) ms\s*$")


def stage_times(output: str) -> dict[str, float]:
    """fleetdoc's `-v` stage lines (`  render     123.4 ms`) as {stage: ms}."""
    stages: dict[str, float] = {}
    for line in output.splitlines():
        m = _STAGE.match(line)
        if m:
            stages[m.group(1)] = stages.get(m.group(1), 0.0) + float(m.group(2))
    return stages

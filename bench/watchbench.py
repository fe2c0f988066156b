"""Edit-to-served latency: how long from saving a file until the dev server answers with it.

Why it exists: a docs tool is used in a loop of edit, look, edit. For each tool the harness
starts its watch server (`fleetdoc watch`, `zola serve --fast`, `hugo server`) on a private
copy of the corpus on a loopback port, waits until it serves, then, for each of three
edits (one page, the topology, the page template), writes a file holding a fresh marker
string and polls the page over HTTP until the body holds the marker. The figure is the
time from just before the write to that response.
"""

from __future__ import annotations

import http.client
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tools import Tool

EDITS = ("page", "topology", "template")
TIMEOUT_S = 30.0
STARTUP_TIMEOUT_S = 300.0


@dataclass
class WatchResult:
    tool: str
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    note: str = ""


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
        "topology": (topo, "/fleet/"),
        "template": (tmpl, page_url),
    }


def apply_edit(kind: str, path: Path, original: str, marker: str) -> str:
    if kind == "page":
        return original + f"\n\nEdited: {marker}\n"
    if kind == "topology":
        # The first host's role: shown in every tool's fleet overview.
        return original.replace("    role: Edge node 1 of", f"    role: {marker} Edge node 1 of", 1)
    return original.replace('<article class="doc">', f'<article class="doc"><p>{marker}</p>', 1)


def measure(tool: Tool, corpus: Path, sample_page: str, reps: int, env: dict[str, str], log) -> WatchResult:
    res = WatchResult(tool.name)
    with tempfile.TemporaryDirectory(prefix=f"bench-watch-{tool.name}-") as tmp:
        root = Path(tmp) / "site-src"
        shutil.copytree(corpus / tool.name, root)
        port = free_port()
        server_log = open(Path(tmp) / "server.log", "w+b")
        try:
            proc = subprocess.Popen(tool.serve_cmd(root, port), cwd=root, env=env, stdout=server_log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        except OSError as e:
            res.note = f"cannot start the server: {e}"
            log(f"watch {tool.name}: {res.note}")
            server_log.close()
            return res
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
            time.sleep(1.0)
            for kind in EDITS:
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
                    start = time.perf_counter()
                    path.write_text(edited, encoding="utf-8")
                    took = wait_for(port, url, marker, TIMEOUT_S, proc)
                    if took is None:
                        res.failures[kind] = f"marker not served within {TIMEOUT_S:.0f} s"
                        break
                    lat.append((time.perf_counter() - start) * 1000.0)
                    time.sleep(1.0)  # let the server settle (some batch events for ~0.5 s)
                path.write_text(original, encoding="utf-8")
                time.sleep(1.0)
                res.latencies_ms[kind] = lat
        finally:
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

"""The live-reload channels the browser listens on, read from the harness.

Why it exists: the edit-to-served figure ends when the dev server tells the open tab to
reload, so the harness listens where the browser does instead of polling pages:
fleetdoc's Server-Sent Events stream (`/__fleetdoc/events`), and the LiveReload-protocol
WebSocket that Zola (`/livereload`) and Hugo (`/livereload`) serve. Only Python's
standard library is used: a WebSocket client is an HTTP upgrade, a hello message and
frames, nothing more.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import time


class Channel:
    """One open live-reload connection; `wait_reload` returns when a reload arrives."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buf = b""

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def _fill(self, deadline: float) -> bool:
        left = deadline - time.perf_counter()
        if left <= 0:
            return False
        self.sock.settimeout(left)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            return False
        if not chunk:
            raise ConnectionError("the live-reload connection closed")
        self.buf += chunk
        return True

    def drain(self) -> None:
        """Forget whatever already arrived (messages from an earlier edit)."""
        self.sock.setblocking(False)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                self.buf += chunk
        except (BlockingIOError, InterruptedError):
            pass
        finally:
            self.sock.setblocking(True)
        self.buf = b""
        self._reset()

    def _reset(self) -> None:
        pass

    def wait_reload(self, timeout: float) -> bool:
        raise NotImplementedError


class Sse(Channel):
    """fleetdoc: `event: reload` blocks of a text/event-stream."""

    def wait_reload(self, timeout: float) -> bool:
        deadline = time.perf_counter() + timeout
        while True:
            while b"\n\n" in self.buf:
                block, self.buf = self.buf.split(b"\n\n", 1)
                if any(line.strip() == b"event: reload" for line in block.split(b"\n")):
                    return True
            if not self._fill(deadline):
                return False


class WebSocket(Channel):
    """Zola, Hugo: LiveReload protocol messages (`{"command": "reload", ...}`) in text frames."""

    def _frame(self, deadline: float) -> tuple[int, bytes] | None:
        while True:
            if len(self.buf) >= 2:
                b0, b1 = self.buf[0], self.buf[1]
                n, at = b1 & 0x7F, 2
                if n == 126 and len(self.buf) >= 4:
                    n, at = struct.unpack(">H", self.buf[2:4])[0], 4
                elif n == 127 and len(self.buf) >= 10:
                    n, at = struct.unpack(">Q", self.buf[2:10])[0], 10
                elif n >= 126:
                    n = -1
                if b1 & 0x80:
                    at += 4  # a masked frame from a server: not expected, but skip the key
                if n >= 0 and len(self.buf) >= at + n:
                    payload, self.buf = self.buf[at:at + n], self.buf[at + n:]
                    return b0 & 0x0F, payload
            if not self._fill(deadline):
                return None

    def send_text(self, text: str) -> None:
        data = text.encode()
        mask = os.urandom(4)
        head = bytes([0x81])
        if len(data) < 126:
            head += bytes([0x80 | len(data)])
        else:
            head += bytes([0x80 | 126]) + struct.pack(">H", len(data))
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _pong(self, payload: bytes) -> None:
        mask = os.urandom(4)
        self.sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + mask
                          + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def wait_reload(self, timeout: float) -> bool:
        deadline = time.perf_counter() + timeout
        while True:
            f = self._frame(deadline)
            if f is None:
                return False
            op, payload = f
            if op == 0x9:
                self._pong(payload)
            elif op == 0x8:
                raise ConnectionError("the live-reload WebSocket closed")
            elif op == 0x1:
                try:
                    msg = json.loads(payload)
                except ValueError:
                    continue
                if isinstance(msg, dict) and msg.get("command") == "reload":
                    return True


def _connect(port: int, request: str, timeout: float) -> tuple[socket.socket, bytes]:
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.sendall(request.encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("the server closed the live-reload request")
        head += chunk
    status, rest = head.split(b"\r\n\r\n", 1)
    return sock, status + b"\r\n\r\n" + rest


def open_channel(tool: str, port: int, timeout: float = 10.0) -> Channel:
    """Connect as the browser's live-reload client of `tool` does."""
    if tool == "fleetdoc":
        sock, head = _connect(port, "GET /__fleetdoc/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n", timeout)
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"events stream refused: {head[:80]!r}")
        ch: Channel = Sse(sock)
        ch.buf = head.split(b"\r\n\r\n", 1)[1]
        # Chunked transfer encoding frames the events; the event text itself is what matters,
        # and chunk-size lines never hold a blank line between two event lines.
        return ch
    key = base64.b64encode(os.urandom(16)).decode()
    sock, head = _connect(port, f"GET /livereload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                          "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                          f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n", timeout)
    if b" 101 " not in head.split(b"\r\n", 1)[0]:
        raise ConnectionError(f"WebSocket upgrade refused: {head[:80]!r}")
    ws = WebSocket(sock)
    ws.buf = head.split(b"\r\n\r\n", 1)[1]
    ws.send_text(json.dumps({"command": "hello",
                             "protocols": ["http://livereload.com/protocols/official-7"]}))
    return ws

"""A partner's receiving system on loopback for the webhook tests: records every request (method, path, headers, the
raw body) and answers as it is told."""

import hashlib
import hmac
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int = 0  # what the receiver answered


@dataclass
class Receiver:
    """`script`: (status, headers) answers to give first, then 200. `delay_s`: how long each answer takes."""

    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    delay_s: float = 0.0
    received: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                item = Received(self.command, self.path, dict(self.headers.items()), self.rfile.read(length))
                receiver.received.append(item)
                time.sleep(receiver.delay_s)
                item.status, headers = receiver.script.pop(0) if receiver.script else (200, {})
                self.send_response(item.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            do_POST = do_GET = _answer  # noqa: N815 - the http.server API

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.url = f"{self.base}/hooks/samenveilig?source=test"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def expected_signature(secret: str, timestamp: str, body: bytes) -> str:
    """The signature as docs/webhooks.md defines it, computed here independently of the transport."""
    return "v1=" + hmac.new(secret.encode("utf-8"), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()

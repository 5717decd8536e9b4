"""What the push tests talk to: the npm package web-push-testing (a push service emulator that decrypts what it
receives), and a small push service on loopback that records every request and answers as it is told.

web-push-testing's own `start` command daemonises and keeps its process list in a `.node-persist` folder in the
working directory; the tests instead run its server with node in the foreground (its modules, unchanged), bound to
127.0.0.1 on a free port, and stop it by the process they started."""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

from samenveilig.core.tests.support import free_port

PACKAGE = settings.NODE_MODULES_DIR / "web-push-testing"

# Load the package's server and model, bind to 127.0.0.1 only, and give endpoints on 127.0.0.1 (its default is every
# interface and "localhost").
_LAUNCH = """
const [dir, port] = [process.argv[1], Number(process.argv[2])];
const Server = require(dir + "/src/server.js");
const {PushApiModel} = require(dir + "/src/PushApiModel.js");
const model = new PushApiModel();
const server = new Server(model, port);
const listen = server._app.listen.bind(server._app);
server._app.listen = (p, done) => listen(p, "127.0.0.1", done);
model.notifyUrl = "http://127.0.0.1:" + port + "/notify/";
server.startServer();
"""


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushServiceEmulator:
    """web-push-testing on a free loopback port. `subscribe` gives a PushSubscription JSON (plus its clientHash)."""

    def __init__(self) -> None:
        node = shutil.which("node")
        if node is None or not (PACKAGE / "src" / "server.js").exists():
            raise unittest.SkipTest(
                f"web-push-testing is not installed ({PACKAGE}; run `npm install`) or node is missing"
            )
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._dir = tempfile.mkdtemp(prefix="web-push-testing-")
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            [node, "-e", _LAUNCH, str(PACKAGE), str(self.port)],
            cwd=self._dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 15
        while True:
            try:
                self._post("/status", {})
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.close()
                    raise RuntimeError("web-push-testing did not start") from None
                time.sleep(0.05)

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        request = urllib.request.Request(  # noqa: S310 - loopback
            self.base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            raw = response.read()
        return json.loads(raw) if raw.strip().startswith(b"{") else None

    def subscribe(self, application_server_key: str) -> dict[str, Any]:
        return self._post("/subscribe", {"applicationServerKey": application_server_key})["data"]

    def expire(self, client_hash: str) -> None:
        self._post(f"/expire-subscription/{client_hash}", {})

    def messages(self, client_hash: str) -> list[str]:
        return self._post("/get-notifications", {"clientHash": client_hash})["data"]["messages"]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()
        shutil.rmtree(self._dir, ignore_errors=True)


class Browser:
    """The keys a browser makes for one subscription (RFC 8291), so a test can decrypt what a push service got."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = os.urandom(16)
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.p256dh = b64url(point)
        self.auth = b64url(self.auth_secret)

    def decrypt(self, body: bytes) -> dict[str, Any]:
        plain = http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm")
        return json.loads(plain)


class RecordingPushService:
    """A push service on loopback: records each request (path, headers, body); `script` is a list of
    (status, headers) answers to give first, then 201."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.received: list[dict[str, Any]] = []
        self.script: list[tuple[int, dict[str, str]]] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status, headers = service.script.pop(0) if service.script else (201, {})
                service.received.append({"path": self.path, "headers": self.headers, "body": body})  # any case
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://{host}:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def endpoint(self, name: str = "device") -> str:
        return f"{self.origin}/push/v1/{name}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    """An address on loopback where nothing listens (connection refused)."""
    return f"http://127.0.0.1:{free_port()}/push/v1/nobody"

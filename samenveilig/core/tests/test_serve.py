"""`samenveilig serve --demo` over real HTTP: one server start, as a newcomer would run it.

The slowest test of the suite (it sets up a fresh installation and builds the demo): keep it to this one start.
"""

import os
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.test import SimpleTestCase

from samenveilig.core.tests.support import CLI, PROJECT_DIR, child_env, free_port_pair

READY_WITHIN = 60.0  # seconds: the promise for `serve --demo` on a fresh data directory
STOP_WITHIN = 30.0
PATHS = ("/", "/api/v1/openapi.json", "/accounts/login/")


def fetch(url: str) -> tuple[int, dict[str, str]] | None:
    """(status, headers) of a GET, or None while nothing listens yet."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (http://127.0.0.1 only)
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def process_group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


class ServeDemoTests(SimpleTestCase):
    def test_serve_demo_answers_over_http_within_a_minute_and_stops_cleanly(self) -> None:
        port = free_port_pair()  # the live process takes port + 1
        base = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryDirectory(prefix="sv-serve-") as data_dir:
            log_path = Path(data_dir) / "serve.log"
            with log_path.open("w") as log:
                server = subprocess.Popen(  # noqa: S603
                    [*CLI, "serve", "--demo", "--host", "127.0.0.1", "--port", str(port)],
                    env=child_env(data_dir),
                    cwd=PROJECT_DIR,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: the test can find every process it started
                )
            try:
                answers = self._wait_until_ready(server, base, log_path)
                server.send_signal(signal.SIGTERM)
                exit_code = server.wait(timeout=STOP_WITHIN)
                deadline = time.monotonic() + 10
                while process_group_alive(server.pid) and time.monotonic() < deadline:
                    time.sleep(0.1)
                leftovers = process_group_alive(server.pid)
            finally:
                if server.poll() is None or process_group_alive(server.pid):
                    try:
                        os.killpg(server.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    server.wait(timeout=10)
            output = log_path.read_text()
            database_created = (Path(data_dir) / "samenveilig.sqlite3").exists()

        self.assertTrue(database_created)
        self.assertIn(f"{base}/", output)
        self.assertRegex(output, r"Demo accounts.*\n\s+\S.*@")  # the header, then at least one login
        for path, (status, headers) in answers.items():
            with self.subTest(path=path):
                self.assertEqual(status, 200)
                policy = headers["content-security-policy"]
                self.assertIn("frame-ancestors 'none'", policy)
                self.assertNotIn("unsafe-inline", policy)
                self.assertNotIn("unsafe-eval", policy)
                self.assertEqual(headers["x-content-type-options"], "nosniff")
                self.assertEqual(headers["referrer-policy"], "same-origin")
                self.assertIn("no-store", [d.strip() for d in headers["cache-control"].split(",")])
        self.assertEqual(exit_code, 0, output)
        self.assertFalse(leftovers, "a process of `serve` outlived it")
        self.assertNotIn("Traceback", output)

    def _wait_until_ready(
        self, server: subprocess.Popen, base: str, log_path: Path
    ) -> dict[str, tuple[int, dict[str, str]]]:
        deadline = time.monotonic() + READY_WITHIN
        answers: dict[str, tuple[int, dict[str, str]]] = {}
        while time.monotonic() < deadline:
            if server.poll() is not None:
                self.fail(f"`serve --demo` stopped with {server.returncode}:\n{log_path.read_text()}")
            for path in PATHS:
                if path not in answers and (answer := fetch(base + path)) is not None and answer[0] == 200:
                    answers[path] = answer
            if len(answers) == len(PATHS):
                return answers
            time.sleep(0.25)
        self.fail(f"not every page answered 200 within {READY_WITHIN:.0f} s: {sorted(answers)}\n{log_path.read_text()}")

"""Helpers for tests that start `samenveilig` in a child process with an environment of their own."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[3]
CLI = [sys.executable, "-m", "samenveilig.cli"]

# Variables that change what the child configures (DJANGO_ALLOW_ASYNC_UNSAFE, set by the browser tests, fails the
# deploy check); the tests set the ones they mean.
_CONFIGURING = ("DATABASE_URL", "REDIS_URL")
_CONFIGURING_PREFIXES = ("SAMENVEILIG_", "DJANGO_", "PYTEST_")


def child_env(data_dir: Path | str, **overrides: str) -> dict[str, str]:
    """The current environment without any Samen Veilig configuration, with its own data directory."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_CONFIGURING_PREFIXES) and key not in _CONFIGURING
    }
    if "SAMENVEILIG_NODE_MODULES" in os.environ:
        env["SAMENVEILIG_NODE_MODULES"] = os.environ["SAMENVEILIG_NODE_MODULES"]
    env["SAMENVEILIG_DATA_DIR"] = str(data_dir)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(overrides)
    return env


SETTINGS_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection

database = settings.DATABASES["default"]
cache = settings.CACHES["default"]
answer = {
    "DEBUG": settings.DEBUG,
    "ENGINE": database["ENGINE"],
    "CACHE_BACKEND": cache["BACKEND"],
    "CACHE_LOCATION": str(cache.get("LOCATION", "")),
    "SECURE_HSTS_SECONDS": getattr(settings, "SECURE_HSTS_SECONDS", 0),
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
}
if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        for pragma in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys"):
            cursor.execute(f"PRAGMA {pragma}")
            answer[pragma] = cursor.fetchone()[0]
print(json.dumps(answer))
"""


def settings_in_child(data_dir: Path | str, **env: str) -> dict[str, Any]:
    """Load the settings in a fresh interpreter with this environment; on SQLite, open a real connection and read
    its PRAGMAs."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETTINGS_PROBE],
        env=child_env(data_dir, DJANGO_SETTINGS_MODULE="samenveilig.settings", **env),
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode != 0:
        raise AssertionError(f"settings probe failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_port_pair() -> int:
    """A free port whose next port is free too (serve puts its live process on port + 1 by default)."""
    while True:
        port = free_port()
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port


def ensure_redis(host: str = "127.0.0.1", port: int = 6379, wait: float = 10.0) -> None:
    """Make sure a Redis server answers at host:port, starting a local one (no persistence) when none does."""
    import redis

    client = redis.Redis(host=host, port=port, socket_connect_timeout=1)
    try:
        client.ping()
        return
    except redis.exceptions.ConnectionError:
        pass
    server = shutil.which("redis-server")
    if server is None:
        raise AssertionError("Redis is not running and redis-server is not installed (Debian: redis-server).")
    subprocess.run(  # noqa: S603
        [server, "--daemonize", "yes", "--bind", host, "--port", str(port), "--save", ""], check=False, timeout=30
    )
    deadline = time.monotonic() + wait
    while True:
        try:
            client.ping()
            return
        except redis.exceptions.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)

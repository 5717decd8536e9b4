"""`samenveilig bench …`: benchmarks that print one JSON object. Performance is measured here, never in unit tests.

* `bench http`: start `samenveilig serve` on a free port of 127.0.0.1 against a fresh SQLite installation in a
  temporary data directory (migrated, with a small seeded community), load it with wrk (or, when wrk is missing, a
  Python keep-alive client) and report requests/s and p50/p99 latency of a few representative URLs.
* `bench geo`: the geo look-up benchmark of samenveilig.areas.bench.

Every run is bounded in time and sends traffic to 127.0.0.1 only; every process started is stopped by its id.
"""

import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from argparse import SUPPRESS
from collections import Counter
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

HTTP_TARGETS = {
    "GET /health": "/health",  # Django, one trivial query: the floor of a request through the whole stack
    "GET /": "/",  # a page: templates, every middleware, session and CSP
    "GET /api/v1/communities": "/api/v1/communities",  # the public list of the JSON API
}
MAX_SECONDS = 60  # per measured run
MAX_CONNECTIONS = 256
READY_WITHIN = 60.0
LOCALHOST = "127.0.0.1"


class Command(BaseCommand):
    help = "Run a benchmark and print its figures as one JSON object (`bench http`, `bench geo`)."

    def add_arguments(self, parser: CommandParser) -> None:
        benches = parser.add_subparsers(dest="bench", required=True, metavar="{http,geo}")
        http = benches.add_parser("http", help="requests/s and latency of serve on this machine")
        http.add_argument("--seconds", type=float, default=5.0, help=f"length of one measured run (≤ {MAX_SECONDS})")
        http.add_argument("--connections", type=int, default=32, help="concurrent keep-alive connections")
        http.add_argument("--runs", type=int, default=1, help="measured runs per URL; the median is reported")
        http.add_argument("--warmup", type=float, default=2.0, help="seconds of load before measuring each URL")
        http.add_argument("--client", choices=["auto", "wrk", "python"], default="auto", help="load generator")
        http.add_argument("--workers", type=int, default=None, help="passed to serve (default: serve's own)")
        http.add_argument("--threads", type=int, default=None, help="passed to serve (default: serve's own)")
        geo = benches.add_parser("geo", help="point-in-area and radius look-ups (samenveilig.areas.bench)")
        geo.add_argument("--points", type=int, default=None, help="number of points (default: the benchmark's)")
        geo.add_argument("--seed", type=int, default=None, help="random seed (default: the benchmark's)")
        benches.add_parser("seed-http", help=SUPPRESS)  # internal: fill the temporary installation of `bench http`

    def handle(self, *args: Any, **options: Any) -> None:
        bench = options["bench"]
        if bench == "http":
            result = bench_http(options, log=self.stderr.write)
        elif bench == "geo":
            result = bench_geo(points=options["points"], seed=options["seed"])
        else:
            result = seed_http()
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))


# --- geo --------------------------------------------------------------------------------------------------------------
def bench_geo(*, points: int | None, seed: int | None) -> Any:
    try:
        from samenveilig.areas import bench as geo_bench
    except ImportError as exc:
        raise CommandError("The geo benchmark (samenveilig.areas.bench) is not available in this version.") from exc
    kwargs = {name: value for name, value in {"points": points, "seed": seed}.items() if value is not None}
    return geo_bench.run(**kwargs)


# --- http: the installation under test --------------------------------------------------------------------------------
def seed_http() -> dict[str, int]:
    """A municipality, one buurt and a few communities: enough for the pages and lists to show something."""
    from samenveilig.areas.models import AreaKind
    from samenveilig.areas.services import area_save
    from samenveilig.communities.models import CommunityKind
    from samenveilig.communities.services import community_create

    def box(lon: float, lat: float, size: float) -> dict[str, Any]:
        ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        return {"type": "Polygon", "coordinates": [ring]}

    municipality, _ = area_save(
        kind=AreaKind.MUNICIPALITY, code="GM9999", name="Bench", geometry=box(5.10, 52.08, 0.04)
    )
    buurt, _ = area_save(
        kind=AreaKind.BUURT, code="BU99990001", name="Benchbuurt", geometry=box(5.11, 52.09, 0.01), parent=municipality
    )
    kinds = [CommunityKind.WHATSAPP, CommunityKind.STREET, CommunityKind.SHOPPING_AREA]
    for n, kind in enumerate(kinds, start=1):
        community_create(name=f"Bench community {n}", kind=kind, municipality=municipality, buurten=[buurt])
    return {"areas": 2, "communities": len(kinds)}


def _child_env(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SAMENVEILIG_", "DJANGO_")) and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    if "SAMENVEILIG_NODE_MODULES" in os.environ:
        env["SAMENVEILIG_NODE_MODULES"] = os.environ["SAMENVEILIG_NODE_MODULES"]
    env.update(SAMENVEILIG_DATA_DIR=str(data_dir), SAMENVEILIG_LOG_LEVEL="ERROR", PYTHONUNBUFFERED="1")
    return env


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((LOCALHOST, 0))
        return sock.getsockname()[1]


def _get_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (http://127.0.0.1 only)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


class Server:
    """`samenveilig serve` in its own process group on a temporary installation; stopped by its id."""

    def __init__(self, *, workers: int | None, threads: int | None, log: Any) -> None:
        self.log = log
        self.data_dir = Path(tempfile.mkdtemp(prefix="sv-bench-"))
        self.env = _child_env(self.data_dir)
        self.port = _free_port()
        self.base = f"http://{LOCALHOST}:{self.port}"
        self.extra = [
            *(["--workers", str(workers)] if workers else []),
            *(["--threads", str(threads)] if threads else []),
        ]
        self.process: subprocess.Popen | None = None

    def _run(self, *args: str) -> None:
        command = [sys.executable, "-m", "samenveilig.cli", *args]
        done = subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=300)  # noqa: S603
        if done.returncode != 0:
            raise CommandError(f"`samenveilig {' '.join(args)}` failed:\n{done.stderr[-2000:]}")

    def __enter__(self) -> "Server":
        self.log(f"bench: preparing a fresh installation in {self.data_dir}")
        self._run("setup")
        self._run("bench", "seed-http")
        command = [sys.executable, "-m", "samenveilig.cli", "serve", "--host", LOCALHOST, "--port", str(self.port)]
        self.server_log = (self.data_dir / "serve.log").open("w")
        self.process = subprocess.Popen(  # noqa: S603
            command + self.extra,
            env=self.env,
            stdout=self.server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + READY_WITHIN
        while _get_status(self.base + "/health") != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise CommandError("`samenveilig serve` did not start; see its log above.")
            time.sleep(0.2)
        self.log(f"bench: serve is up at {self.base}")
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.server_log.close()
        if exc and exc[0] is not None or (self.process and self.process.returncode not in (0, None)):
            self.log((self.data_dir / "serve.log").read_text()[-3000:])
        shutil.rmtree(self.data_dir, ignore_errors=True)


# --- http: the load generators ---------------------------------------------------------------------------------------
_WRK_TIME = re.compile(r"([\d.]+)(us|ms|s)\b")


def _wrk_ms(text: str) -> float:
    value, unit = _WRK_TIME.match(text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk_version() -> str | None:
    path = shutil.which("wrk")
    if path is None:
        return None
    done = subprocess.run([path, "-v"], capture_output=True, text=True, timeout=10)  # noqa: S603
    match = re.search(r"wrk\s+\S*?(\d+\.\d+(?:\.\d+)?)", done.stdout + done.stderr)
    return f"wrk {match.group(1)}" if match else "wrk"


def run_wrk(url: str, *, seconds: float, connections: int) -> dict[str, Any]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "5s", url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)  # noqa: S603
    return parse_wrk(done.stdout)


def parse_wrk(out: str) -> dict[str, Any]:
    """Requests/s, p50/p99 (ms), non-2xx answers and socket errors from wrk's `--latency` report."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    distribution = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+(?:us|ms|s))\s*$", out, re.MULTILINE))
    if rate is None or set(distribution) != {"50", "99"}:
        raise CommandError(f"Cannot read wrk's report:\n{out[-1500:]}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    return {
        "requests_per_s": float(rate.group(1)),
        "p50_ms": round(_wrk_ms(distribution["50"]), 3),
        "p99_ms": round(_wrk_ms(distribution["99"]), 3),
        "requests": int(total.group(1)) if total else None,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def run_python(url: str, *, seconds: float, connections: int) -> dict[str, Any]:
    """Keep-alive HTTP/1.1 from `connections` threads for `seconds`. The client shares the GIL and the cores with
    the server, so it saturates sooner than wrk: compare its figures only with its own."""
    match = re.match(r"http://([^:/]+):(\d+)(/.*)", url)
    host, port, path = match.group(1), int(match.group(2)), match.group(3)  # type: ignore[union-attr]
    deadline = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(connections)]
    statuses: list[Counter] = [Counter() for _ in range(connections)]
    errors = [0] * connections

    def client(n: int) -> None:
        connection = HTTPConnection(host, port, timeout=5)
        while (start := time.perf_counter()) < deadline:
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
            except OSError:
                errors[n] += 1
                connection.close()
                connection = HTTPConnection(host, port, timeout=5)
                continue
            latencies[n].append(time.perf_counter() - start)
            statuses[n][response.status] += 1
        connection.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 10)
    elapsed = time.perf_counter() - began
    all_latencies = sorted(x for per_thread in latencies for x in per_thread)
    status = sum(statuses, Counter())
    if not all_latencies:
        return {
            "requests_per_s": 0.0,
            "p50_ms": None,
            "p99_ms": None,
            "requests": 0,
            "non_2xx": 0,
            "errors": sum(errors),
        }

    def percentile(q: float) -> float:
        return round(all_latencies[min(len(all_latencies) - 1, int(q * len(all_latencies)))] * 1000, 2)

    return {
        "requests_per_s": round(len(all_latencies) / elapsed, 1),
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
        "requests": len(all_latencies),
        "non_2xx": sum(n for code, n in status.items() if not 200 <= code < 300),
        "errors": sum(errors),
    }


def bench_http(options: dict[str, Any], *, log: Any) -> dict[str, Any]:
    seconds = min(max(options["seconds"], 1.0), MAX_SECONDS)
    connections = min(max(options["connections"], 1), MAX_CONNECTIONS)
    runs = min(max(options["runs"], 1), 5)
    warmup = min(max(options["warmup"], 0.0), 10.0)
    version = wrk_version()
    if options["client"] == "wrk" and version is None:
        raise CommandError("wrk is not installed (Debian: apt-get install wrk); use --client python.")
    use_wrk = version is not None and options["client"] != "python"
    load = run_wrk if use_wrk else run_python
    client = version if use_wrk else "python threads, http.client keep-alive (wrk not used)"
    log(f"bench: load generator: {client}")

    results: dict[str, Any] = {}
    with Server(workers=options["workers"], threads=options["threads"], log=log) as server:
        for name, path in HTTP_TARGETS.items():
            url = server.base + path
            status = _get_status(url)
            if warmup:
                load(url, seconds=warmup, connections=connections)
            measured = [load(url, seconds=seconds, connections=connections) for _ in range(runs)]
            log(f"bench: {name}: " + ", ".join(f"{m['requests_per_s']:.0f}/s" for m in measured))
            median_run = sorted(measured, key=lambda m: m["requests_per_s"])[len(measured) // 2]
            results[name] = {
                "status": status,
                "requests_per_s": round(statistics.median(m["requests_per_s"] for m in measured), 1),
                "p50_ms": median_run["p50_ms"],
                "p99_ms": median_run["p99_ms"],
                "non_2xx": sum(m["non_2xx"] for m in measured),
                "errors": sum(m["errors"] for m in measured),
                "runs": [m["requests_per_s"] for m in measured],
            }
    embedded_workers = options["workers"] or 1
    embedded_threads = options["threads"] or 1
    return {
        "bench": "http",
        "client": client,
        "seconds": seconds,
        "connections": connections,
        "runs": runs,
        "server": {
            "command": "samenveilig serve (granian WSGI)",
            "database": "sqlite (temporary, WAL)",
            "workers": embedded_workers,
            "blocking_threads": embedded_threads,
            "in_process_worker": True,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "system": platform.platform(),
        },
        "results": results,
    }

"""`samenveilig bench …`: benchmarks that print one JSON object. Performance is measured here, never in unit tests.

* `bench http`: start `samenveilig serve` on a free port of 127.0.0.1 against a fresh SQLite installation in a
  temporary data directory (migrated, with a small seeded community), load it with wrk (or, when wrk is missing, a
  Python keep-alive client) and report requests/s and p50/p99 latency of a few representative URLs.
* `bench reports`: the same server (SQLite, or a throwaway database on the PostgreSQL server of DATABASE_URL) with a
  community of a few hundred members; concurrent API clients submit valid urgent reports, then the same clients load
  the floor endpoint (core.api_bench: one authenticated row in one transaction). Reports/s, the floor, their ratio and
  the latency percentiles of the reports; and a check that every accepted report was stored exactly once.
* `bench geo`: the geo look-up benchmark of samenveilig.areas.bench.
* `bench moderation`: the text checks of samenveilig.moderation.bench (one process, one thread).
* `bench alerts`: finding an alert's recipients among a million homes and writing their notifications
  (samenveilig.alerts.bench; the population is kept and reused, `--drop` removes it).

Every run is bounded in time and sends traffic to 127.0.0.1 only; every process started is stopped with its process
group (core.processes.stop_group).
"""

import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from argparse import SUPPRESS
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.client import HTTPConnection, RemoteDisconnected
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samenveilig.core.processes import stop_group

HTTP_TARGETS = {
    "GET /health": "/health",  # Django, one trivial query: the floor of a request through the whole stack
    "GET /": "/",  # a page: templates, every middleware, session and CSP
    "GET /api/v1/communities": "/api/v1/communities",  # the public list of the JSON API
}
MAX_SECONDS = 60  # per measured run
MAX_CONNECTIONS = 256
READY_WITHIN = 60.0
# A load client's patience per request. Generous: a request that times out may still be stored by the server, which
# the benchmark would then count as stored but not accepted; slow answers show in the percentiles instead.
CLIENT_TIMEOUT_S = 30.0
DRAIN_WITHIN = 300.0  # seconds the worker may take to write the notifications after a reports benchmark
LOCALHOST = "127.0.0.1"


class Command(BaseCommand):
    help = (
        "Run a benchmark and print its figures as one JSON object (`bench http`, `bench reports`, `bench geo`, "
        "`bench moderation`, `bench delivery`, `bench alerts`)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        benches = parser.add_subparsers(
            dest="bench", required=True, metavar="{http,reports,geo,moderation,delivery,alerts}"
        )
        http = benches.add_parser("http", help="requests/s and latency of serve on this machine")
        http.add_argument("--seconds", type=float, default=5.0, help=f"length of one measured run (≤ {MAX_SECONDS})")
        http.add_argument("--connections", type=int, default=32, help="concurrent keep-alive connections")
        http.add_argument("--runs", type=int, default=1, help="measured runs per URL; the median is reported")
        http.add_argument("--warmup", type=float, default=2.0, help="seconds of load before measuring each URL")
        http.add_argument("--client", choices=["auto", "wrk", "python"], default="auto", help="load generator")
        http.add_argument("--workers", type=int, default=None, help="passed to serve (default: serve's own)")
        http.add_argument("--threads", type=int, default=None, help="passed to serve (default: serve's own)")
        reports = benches.add_parser("reports", help="urgent reports/s against the floor of one row per request")
        reports.add_argument("--concurrency", type=int, default=16, help="concurrent API clients (default 16)")
        reports.add_argument(
            "--duration", type=float, default=10.0, help=f"seconds measured per endpoint (≤ {MAX_SECONDS}; default 10)"
        )
        reports.add_argument("--warmup", type=float, default=2.0, help="seconds of load before measuring each endpoint")
        reports.add_argument("--runs", type=int, default=1, help="measured runs per endpoint, alternating; the median")
        reports.add_argument("--members", type=int, default=None, help="active members of the community (default 300)")
        reports.add_argument("--workers", type=int, default=None, help="passed to serve (default: serve's own)")
        reports.add_argument("--threads", type=int, default=None, help="passed to serve (default: serve's own)")
        reports.add_argument(
            "--rate",
            type=float,
            default=None,
            help="requests per second, due at fixed times, for each endpoint in turn, instead of clients sending as "
            "fast as they are answered; latencies count from when a request was due (no ratio then)",
        )
        reports.add_argument(
            "--worker-after-load",
            action="store_true",
            help="diagnostic: no worker during the load (the request path alone); the fan-outs are written after it "
            "by `samenveilig worker --batch`, timed as fanout_drain_s",
        )
        geo = benches.add_parser("geo", help="point-in-area and radius look-ups (samenveilig.areas.bench)")
        geo.add_argument("--points", type=int, default=None, help="number of points (default: the benchmark's)")
        geo.add_argument("--seed", type=int, default=None, help="random seed (default: the benchmark's)")
        moderation = benches.add_parser(
            "moderation", help="text checks per second and their quality on the labelled set"
        )
        moderation.add_argument("--texts", type=int, default=20_000, help="texts checked (the labelled set, repeated)")
        delivery = benches.add_parser(
            "delivery", help="fan-out to 10,000 and 100,000 recipients, and one event to 5,000 live clients"
        )
        delivery.add_argument("--small", type=int, default=10_000, help="recipients of the small fan-out")
        delivery.add_argument("--large", type=int, default=100_000, help="recipients of the large fan-out")
        delivery.add_argument("--live-clients", type=int, default=5_000, help="connected SSE clients (default 5,000)")
        delivery.add_argument("--runs", type=int, default=3, help="measured runs of each; the median is reported")
        alerts = benches.add_parser(
            "alerts", help="an alert's recipients among 1,000,000 homes (500 m, 1 km, 2 km) and its fan-out"
        )
        alerts.add_argument("--points", type=int, default=1_000_000, help="homes in the population (default 1,000,000)")
        alerts.add_argument("--seed", type=int, default=1, help="random seed of the population (default 1)")
        alerts.add_argument("--rebuild", action="store_true", help="build the population anew even if it is there")
        alerts.add_argument("--drop", action="store_true", help="remove the population and measure nothing")
        alerts_run = benches.add_parser("alerts-run", help=SUPPRESS)  # internal: `bench alerts` in its installation
        alerts_run.add_argument("--points", type=int, required=True)
        alerts_run.add_argument("--seed", type=int, required=True)
        alerts_run.add_argument("--rebuild", action="store_true")
        seed_delivery = benches.add_parser("seed-delivery", help=SUPPRESS)  # internal: people of `bench delivery`
        seed_delivery.add_argument("--small", type=int, required=True)
        seed_delivery.add_argument("--large", type=int, required=True)
        seed_delivery.add_argument("--sessions", type=int, required=True)
        fanout = benches.add_parser("fanout-delivery", help=SUPPRESS)  # internal: one measured fan-out
        fanout.add_argument("--community", type=int, required=True)
        fanout.add_argument("--runs", type=int, default=1)
        benches.add_parser("seed-http", help=SUPPRESS)  # internal: fill the temporary installation of `bench http`
        seed = benches.add_parser("seed-reports", help=SUPPRESS)  # internal: the community of `bench reports`
        seed.add_argument("--clients", type=int, required=True)
        seed.add_argument("--members", type=int, default=None)
        benches.add_parser("tally-reports", help=SUPPRESS)  # internal: what `bench reports` stored

    def handle(self, *args: Any, **options: Any) -> None:
        bench = options["bench"]
        if bench == "http":
            result = bench_http(options, log=self.stderr.write)
        elif bench == "reports":
            result = bench_reports(options, log=self.stderr.write)
        elif bench == "geo":
            result = bench_geo(points=options["points"], seed=options["seed"])
        elif bench == "moderation":
            from samenveilig.moderation import bench as moderation_bench

            result = moderation_bench.run(texts=options["texts"])
        elif bench == "delivery":
            from samenveilig.notifications import bench as delivery

            result = delivery.run(
                small=options["small"],
                large=options["large"],
                live_clients=options["live_clients"],
                runs=min(max(options["runs"], 1), 9),
                log=self.stderr.write,
            )
        elif bench == "alerts":
            from samenveilig.alerts import bench as alerts_bench

            result = alerts_bench.run(
                points=options["points"],
                seed=options["seed"],
                rebuild=options["rebuild"],
                drop_only=options["drop"],
                log=self.stderr.write,
            )
        elif bench == "alerts-run":
            from samenveilig.alerts import bench as alerts_bench

            result = alerts_bench.measure(
                points=options["points"], seed=options["seed"], rebuild=options["rebuild"], log=self.stderr.write
            )
        elif bench == "seed-delivery":
            from samenveilig.notifications import bench as delivery

            result = delivery.seed(small=options["small"], large=options["large"], sessions=options["sessions"])
        elif bench == "fanout-delivery":
            from samenveilig.notifications import bench as delivery

            result = [delivery.fanout(community_id=options["community"]) for _ in range(options["runs"])]
        elif bench == "seed-reports":
            from samenveilig.reports import bench as scenario

            members = {"members": options["members"]} if options["members"] else {}
            result = scenario.seed(clients=options["clients"], **members)
        elif bench == "tally-reports":
            from samenveilig.reports import bench as scenario

            result = scenario.tally()
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


def _child_env(data_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SAMENVEILIG_", "DJANGO_")) and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    if "SAMENVEILIG_NODE_MODULES" in os.environ:
        env["SAMENVEILIG_NODE_MODULES"] = os.environ["SAMENVEILIG_NODE_MODULES"]
    env.update(SAMENVEILIG_DATA_DIR=str(data_dir), SAMENVEILIG_LOG_LEVEL="ERROR", PYTHONUNBUFFERED="1")
    env.update(extra or {})
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


@contextmanager
def throwaway_postgres(url: str, *, log: Any) -> Iterator[str]:
    """A new, empty database on the PostgreSQL server of `url` (created with the credentials of `url`), dropped
    afterwards even when the benchmark fails. Yields its URL."""
    import psycopg

    name = f"sv_bench_{int(time.time())}_{os.getpid()}"
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    log(f"bench: created the throwaway database {name}")
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        log(f"bench: dropped {name}")


class Server:
    """`samenveilig serve` in its own process group on a temporary installation; stopped by its id.

    The installation is a fresh data directory (and, with `database_url`, that database), set up with
    `samenveilig setup` and filled by the internal command `samenveilig bench <seed>`, whose JSON is kept in
    `self.seeded`."""

    def __init__(
        self,
        *,
        workers: int | None,
        threads: int | None,
        log: Any,
        seed: tuple[str, ...] = ("seed-http",),
        env: dict[str, str] | None = None,
        database_url: str | None = None,
        worker_process: bool = False,
        serve_args: tuple[str, ...] = (),
    ) -> None:
        self.log = log
        self.data_dir = Path(tempfile.mkdtemp(prefix="sv-bench-"))
        extra = dict(env or {})
        if database_url:
            extra["DATABASE_URL"] = database_url
        self.env = _child_env(self.data_dir, extra)
        self.port = _free_port()
        self.base = f"http://{LOCALHOST}:{self.port}"
        self.seed = seed
        self.seeded: Any = None
        self.extra = [
            *(["--workers", str(workers)] if workers else []),
            *(["--threads", str(threads)] if threads else []),
            *serve_args,
        ]
        self.process: subprocess.Popen | None = None
        # The scale configuration runs `samenveilig worker` beside the web processes (serve has no worker there).
        self.worker_process = worker_process
        self.worker: subprocess.Popen | None = None

    def run(self, *args: str) -> str:
        """Run `samenveilig ARGS` against this installation; its standard output."""
        command = [sys.executable, "-m", "samenveilig.cli", *args]
        done = subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=300)  # noqa: S603
        if done.returncode != 0:
            raise CommandError(f"`samenveilig {' '.join(args)}` failed:\n{done.stderr[-2000:]}")
        return done.stdout

    def __enter__(self) -> "Server":
        self.log(f"bench: preparing a fresh installation in {self.data_dir}")
        self.server_log = (self.data_dir / "serve.log").open("w")
        try:
            self.run("setup")
            self.seeded = json.loads(self.run("bench", *self.seed))
        except BaseException:
            self.__exit__(None, None, None)
            raise
        command = [sys.executable, "-m", "samenveilig.cli", "serve", "--host", LOCALHOST, "--port", str(self.port)]
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
        if self.worker_process:
            self.worker = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "samenveilig.cli", "worker", "--interval", "0.5"],
                env=self.env,
                stdout=self.server_log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.log(f"bench: serve is up at {self.base}" + (" with a worker process" if self.worker else ""))
        return self

    def __exit__(self, *exc: Any) -> None:
        # The whole group: serve's live process and granian's workers too (they outlived a signal to serve alone).
        if self.worker is not None:
            stop_group(self.worker)
        if self.process is not None:
            stop_group(self.process)
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


Request = tuple[str, str, bytes | None, dict[str, str]]  # method, path, body, headers


def _percentile(ordered: list[float], q: float) -> float | None:
    """The nearest-rank percentile of sorted latencies (seconds), in milliseconds."""
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)


def run_load(
    base: str, request: Callable[[int], Request], *, seconds: float, connections: int, rate: float | None = None
) -> dict[str, Any]:
    """Keep-alive HTTP/1.1 from `connections` threads for `seconds`; thread n sends `request(n)` again and again.
    Every answer counts (see non_2xx and statuses). The client shares the GIL and the cores with the server, so it
    saturates sooner than wrk: compare its figures only with its own.

    Without `rate` each thread sends its next request when the last one is answered (a closed loop: the clients
    go as fast as the server lets them). With `rate` (requests per second, all threads together) the requests are
    due at fixed times, the i-th at i / rate, taken in turn by the threads; a latency counts from the time the
    request was due, so a server that falls behind shows its queue in the percentiles instead of slowing the
    clients down (no coordinated omission)."""
    match = re.match(r"http://([^:/]+):(\d+)", base)
    host, port = match.group(1), int(match.group(2))  # type: ignore[union-attr]
    began_at = time.perf_counter()
    deadline = began_at + seconds
    latencies: list[list[float]] = [[] for _ in range(connections)]
    statuses: list[Counter] = [Counter() for _ in range(connections)]
    errors = [0] * connections
    reconnects = [0] * connections
    samples: dict[int, bytes] = {}
    error_samples: dict[str, str] = {}

    def client(n: int) -> None:
        connection = HTTPConnection(host, port, timeout=CLIENT_TIMEOUT_S)
        reused = False
        again = None  # the request to send again on a new connection (the same Idempotency-Key)
        turn = 0  # with a rate: this thread's requests are the n-th, (n + connections)-th, … of the schedule
        due = None
        while True:
            method, path, body, headers = again or request(n)
            if rate and again is None:
                due = began_at + (n + turn * connections) / rate
                turn += 1
                if due >= deadline:
                    break
                time.sleep(max(0.0, due - time.perf_counter()))
            again = None
            if (start := time.perf_counter()) >= deadline and not rate:
                break
            start = due if rate and due is not None else start
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                content = response.read()
            except (RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                connection.close()
                connection = HTTPConnection(host, port, timeout=CLIENT_TIMEOUT_S)
                if reused:  # the server closed an idle keep-alive connection: send the same request again on a new
                    reused = False  # one, as HTTP clients do; with its Idempotency-Key it is never stored twice
                    reconnects[n] += 1
                    again = (method, path, body, headers)
                    continue
                errors[n] += 1
                error_samples.setdefault(type(exc).__name__, str(exc)[:200])
                continue
            except OSError as exc:
                errors[n] += 1
                error_samples.setdefault(type(exc).__name__, str(exc)[:200])
                connection.close()
                connection = HTTPConnection(host, port, timeout=CLIENT_TIMEOUT_S)
                reused = False
                continue
            reused = not response.will_close
            if response.will_close:
                connection.close()
                connection = HTTPConnection(host, port, timeout=CLIENT_TIMEOUT_S)
            latencies[n].append(time.perf_counter() - start)
            if not 200 <= response.status < 300:
                samples.setdefault(response.status, content[:500])
            statuses[n][response.status] += 1
        connection.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 10)
    elapsed = time.perf_counter() - began
    ordered = sorted(x for per_thread in latencies for x in per_thread)
    status = sum(statuses, Counter())
    return {
        "requests_per_s": round(len(ordered) / elapsed, 1),
        "p50_ms": _percentile(ordered, 0.50),
        "p95_ms": _percentile(ordered, 0.95),
        "p99_ms": _percentile(ordered, 0.99),
        "requests": len(ordered),
        "non_2xx": sum(n for code, n in status.items() if not 200 <= code < 300),
        "errors": sum(errors),
        "error_types": error_samples,
        "reconnects": sum(reconnects),
        "statuses": {str(code): n for code, n in sorted(status.items())},
        "failures": {str(code): body.decode(errors="replace") for code, body in samples.items()},
    }


def run_python(url: str, *, seconds: float, connections: int) -> dict[str, Any]:
    """GET `url` with the Python keep-alive client (see run_load); the figures of `bench http`."""
    path = urlsplit(url).path or "/"
    get: Request = ("GET", path, None, {})
    done = run_load(url, lambda n: get, seconds=seconds, connections=connections)
    return {key: done[key] for key in ("requests_per_s", "p50_ms", "p99_ms", "requests", "non_2xx", "errors")}


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


# --- reports ----------------------------------------------------------------------------------------------------------
REPORTS_PATH = "/api/v1/reports"
FLOOR_PATH = "/api/v1/bench/floor"
TARGET_RATIO = 0.50
TARGET_P99_MS = 100.0


def _post_once(base: str, request: Request) -> tuple[int, Any]:
    method, path, body, headers = request
    host, port = urlsplit(base).hostname, urlsplit(base).port
    connection = HTTPConnection(host, port, timeout=10)  # type: ignore[arg-type]
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
    finally:
        connection.close()
    try:
        return response.status, json.loads(content)
    except ValueError:
        return response.status, content.decode(errors="replace")[:500]


def _server_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return f"PostgreSQL {row[0].split()[0]}" if row else "PostgreSQL"


def bench_reports(options: dict[str, Any], *, log: Any) -> dict[str, Any]:
    """POST /api/v1/reports against the floor POST /api/v1/bench/floor: same server, same clients, same run."""
    from contextlib import ExitStack

    from samenveilig.reports import bench as scenario

    concurrency = min(max(options["concurrency"], 1), MAX_CONNECTIONS)
    seconds = min(max(options["duration"], 1.0), MAX_SECONDS)
    warmup = min(max(options["warmup"], 0.0), 10.0)
    runs = min(max(options["runs"], 1), 5)
    database_url = os.environ.get("DATABASE_URL", "")
    after_load = bool(options.get("worker_after_load"))
    rate = min(max(options["rate"], 0.1), 10_000.0) if options.get("rate") else None
    seed = ["seed-reports", "--clients", str(concurrency)]
    if options["members"]:
        seed += ["--members", str(options["members"])]

    with ExitStack() as stack:
        url = stack.enter_context(throwaway_postgres(database_url, log=log)) if database_url else None
        database = _server_version(url) if url else f"SQLite {sqlite3.sqlite_version}"
        server = stack.enter_context(
            Server(
                workers=options["workers"],
                threads=options["threads"],
                log=log,
                seed=tuple(seed),
                env={"SAMENVEILIG_BENCH_ENDPOINTS": "1"},
                database_url=url,
                worker_process=bool(url) and not after_load,
                serve_args=("--no-worker",) if after_load else (),
            )
        )
        seeded = server.seeded
        body = json.dumps(scenario.report_body(seeded["community"])).encode()
        headers = [
            {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept": "application/json"}
            for token in seeded["tokens"]
        ]

        def poster(path: str) -> Callable[[int], Request]:
            def request(n: int) -> Request:
                return ("POST", path, body, {**headers[n], "Idempotency-Key": str(uuid.uuid4())})

            return request

        targets = {"reports": poster(REPORTS_PATH), "floor": poster(FLOOR_PATH)}
        accepted = Counter()

        # Before the load: each endpoint answers 201, and a replayed key answers with the same report.
        replay_key = str(uuid.uuid4())
        replayed = ("POST", REPORTS_PATH, body, {**headers[0], "Idempotency-Key": replay_key})
        first, second = _post_once(server.base, replayed), _post_once(server.base, replayed)
        if first[0] != 201 or second[0] not in (200, 201):
            raise CommandError(f"POST {REPORTS_PATH} did not accept the benchmark's report: {first} then {second}")
        replay_same = (
            isinstance(first[1], dict) and isinstance(second[1], dict) and first[1].get("id") == second[1].get("id")
        )
        accepted["reports"] += 1
        status, answer = _post_once(server.base, targets["floor"](0))
        if status != 201:
            raise CommandError(f"POST {FLOOR_PATH} answered {status}: {answer}")
        accepted["floor"] += 1

        def drained() -> None:
            """Wait until the worker has written the fan-outs of the reports so far: the floor is measured on a
            server that does nothing else, as its name says (else it shares the machine with the worker, which
            flatters the ratio)."""
            waited_from = time.monotonic()
            while json.loads(server.run("bench", "tally-reports"))["fanouts_pending"]:
                if time.monotonic() - waited_from > DRAIN_WITHIN:
                    raise CommandError(f"the worker did not write the pending fan-outs within {DRAIN_WITHIN:.0f} s")
                time.sleep(0.5)

        def load(name: str, duration: float) -> dict[str, Any]:
            if name == "floor" and not after_load:
                drained()
            done = run_load(server.base, targets[name], seconds=duration, connections=concurrency, rate=rate)
            accepted[name] += done["statuses"].get("201", 0)
            return done

        if warmup:
            for name in targets:
                load(name, warmup)
        measured: dict[str, list[dict[str, Any]]] = {name: [] for name in targets}
        for run in range(runs):
            for name in targets if run % 2 == 0 else reversed(list(targets)):
                measured[name].append(done := load(name, seconds))
                log(f"bench: {name}: {done['requests_per_s']:.0f}/s, p99 {done['p99_ms']} ms")
        # The notifications are written by the worker after each report's transaction: wait until it has caught
        # up, and report how long that took after the load stopped.
        load_ended = time.monotonic()
        if after_load:
            server.run("worker", "--batch")
        tally = json.loads(server.run("bench", "tally-reports"))
        while tally["fanouts_pending"] and time.monotonic() - load_ended < DRAIN_WITHIN:
            time.sleep(0.5)
            tally = json.loads(server.run("bench", "tally-reports"))
        drain_s = round(time.monotonic() - load_ended, 1) if not tally["fanouts_pending"] else None

    def median_run(name: str) -> dict[str, Any]:
        return sorted(measured[name], key=lambda m: m["requests_per_s"])[len(measured[name]) // 2]

    reports, floor = median_run("reports"), median_run("floor")
    reports_per_s = round(statistics.median(m["requests_per_s"] for m in measured["reports"]), 1)
    floor_per_s = round(statistics.median(m["requests_per_s"] for m in measured["floor"]), 1)
    # At a fixed rate both endpoints run at that rate: their latencies compare, their rates do not.
    ratio = round(reports_per_s / floor_per_s, 3) if floor_per_s and not rate else None
    failures = {name: m["failures"] for name in targets for m in measured[name] if m["failures"]}
    embedded = not url
    return {
        "bench": "reports",
        "reports_per_s": reports_per_s,
        "floor_per_s": floor_per_s,
        "ratio": ratio,
        "p50_ms": reports["p50_ms"],
        "p95_ms": reports["p95_ms"],
        "p99_ms": reports["p99_ms"],
        "concurrency": concurrency,
        "rate_per_s": rate,
        "duration_s": seconds,
        "database": "postgresql" if url else "sqlite",
        "database_version": database,
        "targets": {
            "ratio": TARGET_RATIO,
            "p99_ms": TARGET_P99_MS,
            # The targets are stated for clients sending as fast as they are answered: at a fixed rate, not judged.
            "met": None
            if rate
            else bool(ratio is not None and ratio >= TARGET_RATIO and (reports["p99_ms"] or 0) <= TARGET_P99_MS),
        },
        "floor": {key: floor[key] for key in ("p50_ms", "p95_ms", "p99_ms")},
        "runs": {name: [m["requests_per_s"] for m in measured[name]] for name in targets},
        "non_2xx": sum(m["non_2xx"] for name in targets for m in measured[name]),
        "errors": sum(m["errors"] for name in targets for m in measured[name]),
        "error_types": {k: v for name in targets for m in measured[name] for k, v in m["error_types"].items()},
        "reconnects": sum(m["reconnects"] for name in targets for m in measured[name]),
        "failures": failures,
        "checks": {
            "reports_accepted": accepted["reports"],
            "reports_stored": tally["reports"],
            "distinct_keys": tally["report_keys"],
            "stored_once": tally["reports"] == accepted["reports"] == tally["report_keys"],
            "replay_same_report": replay_same,
            "floor_accepted": accepted["floor"],
            "floor_rows": tally["floor_rows"],
            "routes": tally["routes"],
            "notifications": tally["notifications"],
            "notifications_expected": tally["reports"] * seeded["recipients_per_report"],
            "fanouts_pending": tally["fanouts_pending"],
            "fanout_drain_s": drain_s,
        },
        "scenario": {
            "community_members": seeded["members"],
            "police_staff": seeded["police_staff"],
            "report": "urgent, called 112, one person, one vehicle; routed to coordinators, police and all members",
            "warmup_s": warmup,
            "runs": runs,
            "worker_during_load": not after_load,
            "arrivals": f"fixed rate, {rate}/s per endpoint" if rate else "closed loop (each client sends on answer)",
        },
        "server": {
            "command": "samenveilig serve (granian WSGI)",
            "workers": options["workers"] or (1 if embedded else 2),
            "blocking_threads": options["threads"] or (1 if embedded else 4),
        },
        "client": "python threads, http.client keep-alive, one connection and one token per client",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
    }

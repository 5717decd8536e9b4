"""`samenveilig bench`: its report reading, its wiring and its load schedule. The benchmarks themselves are run by
hand (docs/serving.md); no test here measures how fast anything is."""

import json
import sys
import threading
import time
import types
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase

import samenveilig.areas
from samenveilig.core.management.commands.bench import parse_wrk, run_load

WRK_REPORT = """Running 1s test @ http://127.0.0.1:8799/health
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     8.69ms    6.50ms  49.53ms   72.64%
    Req/Sec   479.00    156.43   790.00     63.64%
  Latency Distribution
     50%  765.00us
     75%   12.66ms
     90%   15.94ms
     99%    1.20s
  525 requests in 1.10s, 266.78KB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 17
Requests/sec:    477.13
Transfer/sec:    242.46KB
"""


class WrkReportTests(SimpleTestCase):
    def test_the_rate_percentiles_and_failures_are_read_in_milliseconds(self) -> None:
        self.assertEqual(
            parse_wrk(WRK_REPORT),
            {"requests_per_s": 477.13, "p50_ms": 0.765, "p99_ms": 1200.0, "requests": 525, "non_2xx": 17, "errors": 3},
        )

    def test_a_report_without_figures_is_an_error_not_a_zero(self) -> None:
        with self.assertRaises(CommandError):
            parse_wrk("unable to connect to 127.0.0.1:1 Connection refused")


class BenchGeoWiringTests(SimpleTestCase):
    def test_bench_geo_passes_points_and_seed_to_the_areas_benchmark_and_prints_its_json(self) -> None:
        calls = []

        def run(**kwargs):
            calls.append(kwargs)
            return {"bench": "geo", "points": kwargs["points"]}

        fake = types.ModuleType("samenveilig.areas.bench")
        fake.run = run
        with (
            mock.patch.dict(sys.modules, {"samenveilig.areas.bench": fake}),
            mock.patch.object(samenveilig.areas, "bench", fake, create=True),
        ):
            out = StringIO()
            call_command("bench", "geo", "--points", "1000", "--seed", "7", stdout=out)
        self.assertEqual(calls, [{"points": 1000, "seed": 7}])
        self.assertEqual(json.loads(out.getvalue()), {"bench": "geo", "points": 1000})


class BenchReportsSmokeTests(SimpleTestCase):
    """One short real run: a fresh installation, `serve`, two clients for a second per endpoint."""

    def test_a_short_run_prints_the_figures_and_stores_every_accepted_report_exactly_once(self) -> None:
        out = StringIO()
        call_command(
            "bench", "reports", "--duration", "1", "--concurrency", "2", "--warmup", "0", stdout=out, stderr=StringIO()
        )
        result = json.loads(out.getvalue())
        for key in (
            "reports_per_s", "floor_per_s", "ratio", "p50_ms", "p95_ms", "p99_ms", "concurrency", "duration_s",
            "database",
        ):  # fmt: skip
            self.assertIn(key, result)
        self.assertEqual(result["concurrency"], 2)
        self.assertEqual(result["duration_s"], 1.0)
        self.assertIn(result["database"], {"sqlite", "postgresql"})
        self.assertGreater(result["reports_per_s"], 0)
        self.assertGreater(result["floor_per_s"], 0)
        self.assertAlmostEqual(result["ratio"], result["reports_per_s"] / result["floor_per_s"], places=2)
        self.assertLessEqual(result["p50_ms"], result["p95_ms"])
        self.assertLessEqual(result["p95_ms"], result["p99_ms"])
        self.assertEqual((result["non_2xx"], result["errors"]), (0, 0), (result["failures"], result["error_types"]))
        checks = result["checks"]
        self.assertGreater(checks["reports_accepted"], 1)
        self.assertEqual(checks["reports_stored"], checks["reports_accepted"])  # none lost, none doubled
        self.assertEqual(checks["distinct_keys"], checks["reports_stored"])
        self.assertTrue(checks["replay_same_report"])  # the replayed key answered with the first report
        self.assertEqual(checks["floor_rows"], checks["floor_accepted"])
        self.assertEqual(checks["routes"], 3 * checks["reports_stored"])  # members, coordinators, the police
        # The worker wrote every recipient's notification after the load: nothing pending, nobody missed or doubled.
        self.assertEqual(checks["fanouts_pending"], 0)
        self.assertIsNotNone(checks["fanout_drain_s"])
        self.assertEqual(checks["notifications"], checks["notifications_expected"])
        self.assertGreater(checks["notifications"], 0)


class FixedRateLoadTests(SimpleTestCase):
    """`bench reports --rate`: requests are due at fixed times and a latency counts from when its request was due,
    so a server that falls behind shows its queue. Against a tiny local server that takes 0.1 s per request and
    answers one at a time; what is asserted follows from the schedule, not from how fast this machine is."""

    def setUp(self) -> None:
        class Slow(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                time.sleep(0.1)
                self.send_response(201)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Slow)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def _load(self, **kwargs: object) -> dict:
        def request(n: int) -> tuple:
            return ("POST", "/x", b"{}", {"Content-Type": "application/json"})

        return run_load(self.base, request, seconds=1.0, connections=1, **kwargs)

    def test_every_request_due_in_the_time_is_sent_and_the_queue_shows_in_the_latencies(self) -> None:
        closed = self._load()
        fixed = self._load(rate=20.0)
        self.assertEqual(fixed["requests"], 20)  # due at 0, 0.05, …, 0.95 s: all sent, however late
        self.assertEqual(fixed["statuses"], {"201": 20})
        # The 20th was due at 0.95 s and is answered after 20 × 0.1 s at the earliest: ≥ 1.05 s after it was due.
        self.assertGreaterEqual(fixed["p99_ms"], 1000)
        # Closed loop: each latency is one request's own time, and the clients slow down with the server.
        self.assertLess(closed["requests"], 20)
        self.assertLess(closed["p50_ms"], fixed["p50_ms"])

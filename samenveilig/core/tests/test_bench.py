"""`samenveilig bench`: its report reading and its wiring. The benchmarks themselves are run by hand
(docs/serving.md); no test here measures time."""

import json
import sys
import types
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase

import samenveilig.areas
from samenveilig.core.management.commands.bench import parse_wrk

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

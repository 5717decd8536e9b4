"""Concurrent replays of one Idempotency-Key, through a real HTTP server: exactly one report, every answer 201 with
the same id. Runs on SQLite and PostgreSQL.

On SQLite the test database is normally in memory, and Django's live server then shares the test thread's single
connection with every request thread (LiveServerTestCase does that for in-memory SQLite), which would serialise the
requests and hide the race. So for SQLite this test copies the database into a file for its duration and lets
each request thread open its own connection to it, as the real server does (WAL, IMMEDIATE transactions)."""

import json
import threading
import urllib.request
from typing import Any
from uuid import uuid4

from django.test import LiveServerTestCase

from samenveilig.accounts import services as account_services
from samenveilig.core.testing import make_cast, swap_sqlite_memory_for_a_file
from samenveilig.notifications.models import Fanout, Notification
from samenveilig.notifications.services import fan_out_pending
from samenveilig.reports.models import Report, ReportEvent, ReportRoute
from samenveilig.reports.tests.factories import NOORD_POINT

THREADS = 8


class ConcurrentReplayTests(LiveServerTestCase):
    @classmethod
    def _make_connections_override(cls) -> dict[str, Any]:
        return {}  # every request thread opens its own connection (see the module text)

    def setUp(self) -> None:
        self._restore_sqlite = swap_sqlite_memory_for_a_file()
        make_cast(self)
        _token, self.key = account_services.token_create(user=self.anna)

    def tearDown(self) -> None:
        self._restore_sqlite()

    # --- the test ---------------------------------------------------------------------------------------------------
    def _post(self, idempotency_key: str, body: bytes, results: list, barrier: threading.Barrier) -> None:
        request = urllib.request.Request(  # noqa: S310 - the live server on 127.0.0.1
            f"{self.live_server_url}/api/v1/reports",
            data=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {self.key}",
                "Content-Type": "application/json",
                "Idempotency-Key": idempotency_key,
            },
        )
        barrier.wait(timeout=10)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                results.append((response.status, json.loads(response.read())["id"]))
        except urllib.error.HTTPError as error:
            results.append((error.code, error.read()[:300]))

    def test_concurrent_replays_of_one_key_store_one_report(self) -> None:
        body = json.dumps(
            {
                "community": str(self.buurt.code),
                "type": "urgent",
                "called_112": False,
                "what": "Iemand probeert fietsen los te knippen bij het station.",
                "location": NOORD_POINT,
                "persons": [{"sex": "man", "top": "groene jas", "shoes": "witte sneakers"}],
            }
        ).encode()
        key = str(uuid4())
        results: list[tuple[int, Any]] = []
        barrier = threading.Barrier(THREADS)
        threads = [threading.Thread(target=self._post, args=(key, body, results, barrier)) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(len(results), THREADS, results)
        self.assertEqual({status for status, _id in results}, {201}, results)
        self.assertEqual(len({report_id for _status, report_id in results}), 1, results)
        report = Report.objects.get()
        self.assertEqual(str(report.code), results[0][1])
        self.assertEqual(ReportEvent.objects.filter(report=report).count(), 1)
        self.assertEqual(ReportRoute.objects.filter(report=report).count(), 3)
        self.assertEqual(Fanout.objects.count(), 1)
        self.assertEqual((fan_out_pending(), fan_out_pending()), (1, 0))
        self.assertEqual(Notification.objects.count(), 4)  # cor, ivo, fenna, wendy: once each

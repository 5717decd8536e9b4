"""Concurrent replays of one Idempotency-Key, through a real HTTP server: exactly one report, every answer 201 with
the same id. Runs on SQLite and PostgreSQL.

On SQLite the test database is normally in memory, and Django's live server then shares the test thread's single
connection with every request thread (LiveServerTestCase does that for in-memory SQLite), which would serialise the
requests and hide the race. So for SQLite this test copies the database into a file for its duration and lets
each request thread open its own connection to it, as the real server does (WAL, IMMEDIATE transactions)."""

import json
import shutil
import sqlite3
import tempfile
import threading
import urllib.request
from pathlib import Path
from typing import Any
from uuid import uuid4

from django.db import connections
from django.test import LiveServerTestCase

from samenveilig.accounts import services as account_services
from samenveilig.core.testing import make_cast
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
        self._swap_sqlite_memory_for_a_file()
        make_cast(self)
        _token, self.key = account_services.token_create(user=self.anna)

    def tearDown(self) -> None:
        self._restore_sqlite()

    # --- SQLite: a file database for the duration of the test ------------------------------------------------------
    def _swap_sqlite_memory_for_a_file(self) -> None:
        self._saved: tuple[Any, Any, Path] | None = None
        memory = connections["default"]
        if memory.vendor != "sqlite" or not memory.is_in_memory_db():
            return
        folder = Path(tempfile.mkdtemp(prefix="sv-concurrency-"))
        path = folder / "test.sqlite3"
        memory.ensure_connection()
        with sqlite3.connect(path) as target:
            memory.connection.backup(target)  # the schema (and the migrations' rows), nothing of other tests
        settings_dict = {**memory.settings_dict, "NAME": str(path)}
        connections.settings["default"] = settings_dict
        file_db = connections.create_connection("default")
        connections["default"] = file_db
        self._saved = (memory, memory.settings_dict, folder)

    def _restore_sqlite(self) -> None:
        if self._saved is None:
            return
        memory, settings_dict, folder = self._saved
        connections["default"].close()
        connections.settings["default"] = settings_dict
        connections["default"] = memory
        shutil.rmtree(folder, ignore_errors=True)

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

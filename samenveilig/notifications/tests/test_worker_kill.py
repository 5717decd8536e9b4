"""Nothing is lost when a worker dies: a real `samenveilig worker` process, SIGKILLed in the middle of writing a large
fan-out, and twice more in the middle of its deliveries, started again each time. Every recipient ends with exactly
one notification per fan-out and one delivery per channel, all sent; the fake SMS gateway got no second message for a
delivery that was recorded as sent before a kill (only one that was sent but not yet recorded may come twice, with
the same key).

The installation is a real one in subprocesses (a fresh data directory; on PostgreSQL a throwaway database), since a
worker process cannot see the test's own database.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack, closing
from pathlib import Path

from django.test import SimpleTestCase

from samenveilig.core.management.commands.bench import throwaway_postgres
from samenveilig.notifications.delivery import BATCH
from samenveilig.notifications.tests.kill_scenario import FANOUTS, MEMBERS, PARALLEL
from samenveilig.notifications.tests.test_delivery import FakeGateway

SAMENVEILIG = str(Path(sys.executable).with_name("samenveilig"))
TOTAL = MEMBERS * FANOUTS


class InstallationTestCase(SimpleTestCase):
    """A real installation in subprocesses, a fake SMS gateway, and workers to start and kill."""

    def setUp(self) -> None:
        stack = ExitStack()
        self.addCleanup(stack.close)
        self.gateway = FakeGateway()
        self.gateway.delay_s = 0.002  # a gateway takes a moment: the kills land while deliveries are under way
        stack.callback(self.gateway.close)
        data_dir = stack.enter_context(tempfile.TemporaryDirectory())
        self.env = {
            **os.environ,
            "SAMENVEILIG_DATA_DIR": data_dir,
            "SAMENVEILIG_SMS_URL": self.gateway.url,
            "SAMENVEILIG_DELIVERY_LEASE_S": "2",
            "SAMENVEILIG_SITE_URL": "https://sv.example",
        }
        self.sqlite_path = Path(data_dir) / "samenveilig.sqlite3"
        self.database_url = ""
        if url := os.environ.get("DATABASE_URL"):
            self.database_url = stack.enter_context(throwaway_postgres(url, log=lambda _message: None))
            self.env["DATABASE_URL"] = self.database_url
        self.run_command([SAMENVEILIG, "migrate"])

    def fanouts_pending(self) -> int:
        """Read straight from the installation's database (a subprocess would take too long to catch the moment)."""
        sql = "SELECT count(*) FROM notifications_fanout WHERE done_at IS NULL"
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url) as connection:
                return connection.execute(sql).fetchone()[0]
        with closing(sqlite3.connect(self.sqlite_path, timeout=5)) as connection:
            return connection.execute(sql).fetchone()[0]

    def run_command(self, command: list[str]) -> str:
        done = subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=300, check=False)
        self.assertEqual(done.returncode, 0, done.stderr[-3000:])
        return done.stdout

    def scenario(self, step: str) -> dict:
        return json.loads(
            self.run_command([sys.executable, "-m", "samenveilig.notifications.tests.kill_scenario", step])
        )

    def start_worker(self) -> subprocess.Popen:
        return subprocess.Popen(  # its own process group: the kill reaches it and nothing else
            [SAMENVEILIG, "worker", "--interval", "0.1"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def kill(self, worker: subprocess.Popen) -> None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)

    def wait_for(self, predicate, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            self.assertLess(time.monotonic(), deadline, "timed out")
            time.sleep(0.002)


class WorkerKillTests(InstallationTestCase):
    def test_a_worker_killed_twice_mid_fan_out_loses_nothing_and_doubles_nothing(self) -> None:
        self.assertEqual(self.scenario("seed"), {"members": MEMBERS, "fanouts": FANOUTS})
        worker = self.start_worker()  # killed while it writes the fan-outs (a batch of them per transaction)
        self.wait_for(lambda: self.fanouts_pending() < FANOUTS, timeout=60)
        self.kill(worker)
        mid = self.scenario("state")
        self.assertGreater(mid["fanouts_pending"], 0)  # it really was in the middle
        self.assertEqual(mid["notifications"], (FANOUTS - mid["fanouts_pending"]) * MEMBERS)  # whole batches only
        recorded_at_kill: list[tuple[int, set[str]]] = []  # (messages received by then, keys recorded as sent)
        for threshold in (TOTAL // 5, TOTAL // 2):
            worker = self.start_worker()
            self.wait_for(lambda t=threshold: len(self.gateway.received) >= t)
            self.kill(worker)
            received_by_then = len(self.gateway.received)
            between = self.scenario("state")
            self.assertEqual((between["double_notifications"], between["double_deliveries"]), (0, 0))
            self.assertLess(len(between["sent_keys"]), TOTAL)  # the kill really came in the middle
            recorded_at_kill.append((received_by_then, set(between["sent_keys"])))

        worker = self.start_worker()
        try:
            self.wait_for(lambda: self.scenario("state")["states"] == {"sent": TOTAL}, timeout=240)
        finally:
            self.kill(worker)
        final = self.scenario("state")
        self.assertEqual((final["fanouts_pending"], final["notifications"], final["deliveries"]), (0, TOTAL, TOTAL))
        self.assertEqual((final["double_notifications"], final["double_deliveries"]), (0, 0))
        received = Counter(r["key"] for r in self.gateway.received)
        self.assertEqual(set(received), set(final["sent_keys"]))  # everybody got their message
        for received_by_then, recorded in recorded_at_kill:  # once recorded as sent, never sent again
            later = {r["key"] for r in self.gateway.received[received_by_then:]}
            self.assertEqual(later & recorded, set())
        # A message sent but not yet recorded when its worker died may come twice, always with the same key.
        self.assertLessEqual(sum(n - 1 for n in received.values()), 2 * BATCH)  # at most a leased batch per kill


class ParallelWorkersTests(InstallationTestCase):
    """Several workers at once (the scale configuration): each delivery is sent exactly once (no kill, so no
    message may come twice), and the fan-outs are written once."""

    def test_three_workers_at_once_send_every_delivery_exactly_once(self) -> None:
        self.env["SAMENVEILIG_DELIVERY_LEASE_S"] = "120"  # no worker dies here: a lease never runs out
        self.scenario("seed")
        self.assertEqual(self.scenario("ready"), {"fanouts": FANOUTS})  # a delivery task for each worker waits
        workers = [self.start_worker() for _ in range(PARALLEL)]
        try:
            self.wait_for(lambda: len(self.gateway.received) >= TOTAL, timeout=240)
            self.wait_for(lambda: self.scenario("state")["states"] == {"sent": TOTAL}, timeout=60)
            time.sleep(0.5)  # a late double would arrive now
        finally:
            for worker in workers:
                self.kill(worker)
        final = self.scenario("state")
        self.assertEqual((final["notifications"], final["deliveries"]), (TOTAL, TOTAL))
        self.assertEqual((final["double_notifications"], final["double_deliveries"]), (0, 0))
        received = Counter(r["key"] for r in self.gateway.received)
        self.assertEqual(len(received), TOTAL)
        self.assertEqual(max(received.values()), 1)

"""`samenveilig serve [--demo]`: the web interface and the API on granian (WSGI), plus the in-process worker.

Why WSGI, and one process on SQLite: see docs/serving.md (measured: granian WSGI serves 7-8x the requests of any
ASGI server on this stack; several writer processes on SQLite push p99 from 28 ms to ~1 s).

Process tree: this process is granian's supervisor. It spawns the web processes and, on SQLite, runs the background
worker in a thread of its own. Ctrl+C or SIGTERM stops granian (its web processes finish their requests), then the
worker thread finishes the task at hand, and the command exits with status 0.
"""

import multiprocessing
import os
import subprocess
import sys
import threading
from argparse import BooleanOptionalAction
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor

from samenveilig.core.management.commands.worker import make_worker

WORKER_STOP_TIMEOUT = 30.0  # seconds the worker thread may take to finish its task on shutdown


def embedded_database() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def pending_migrations() -> bool:
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@dataclass
class WorkerThread:
    """The in-process background worker: a django-tasks database worker in a daemon thread."""

    worker: Any
    thread: threading.Thread

    def stop(self, timeout: float = WORKER_STOP_TIMEOUT) -> bool:
        """Ask the worker to stop after the task at hand and wait for it; True when it has stopped."""
        self.worker.running = False
        self.thread.join(timeout)
        return not self.thread.is_alive()


def start_worker_thread(*, interval: float = 0.5, max_tasks: int | None = None) -> WorkerThread:
    """Run the django-tasks database worker in a daemon thread of this process (the embedded default)."""
    worker = make_worker(interval=interval, max_tasks=max_tasks)

    def run() -> None:
        try:
            worker.run()
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=run, name="samenveilig-worker", daemon=True)
    thread.start()
    return WorkerThread(worker=worker, thread=thread)


def start_live_process(host: str, port: int) -> subprocess.Popen[bytes]:
    """`samenveilig live` beside the web processes. They and the worker thread publish to it over loopback HTTP
    (or through Redis with REDIS_URL); the pages connect to it on this port (docs/live.md)."""
    os.environ["SAMENVEILIG_LIVE_PORT"] = str(port)  # the spawned web processes read it with their settings
    settings.LIVE_PORT = port
    if not os.environ.get("SAMENVEILIG_LIVE_BROKER") and settings.LIVE_BROKER == "local":
        settings.LIVE_BROKER = "http"
    return subprocess.Popen([sys.executable, "-m", "samenveilig.cli", "live", "--host", host, "--port", str(port)])


def stop_live_process(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Command(BaseCommand):
    help = (
        "Serve the web interface and the API. With --demo: create and migrate the SQLite database, load the demo "
        "data when it is empty, and print the demo accounts. Runs the background worker in-process on SQLite."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="set up and run the demo (Gemeente Voorbeeld)")
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="web processes (default: 1 on SQLite, the single-writer rule; 2 on PostgreSQL)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="threads per web process (default: 1 on SQLite, 4 on PostgreSQL)",
        )
        parser.add_argument(
            "--worker",
            action=BooleanOptionalAction,
            default=None,
            help="run the background worker in this process (default: on with SQLite, off with DATABASE_URL)",
        )
        parser.add_argument("--seed", type=int, default=1, help="demo data seed (with --demo)")
        parser.add_argument(
            "--live",
            action=BooleanOptionalAction,
            default=True,
            help="run the live channel (server-sent events on /live/) in its own process (default: on)",
        )
        parser.add_argument(
            "--live-port", type=int, default=None, help="port of the live channel (default: the port after --port)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._serve(options)
        except KeyboardInterrupt:  # Ctrl+C while setting up, before granian took over the signals
            self.stderr.write("Stopped.")

    def _serve(self, options: dict[str, Any]) -> None:
        from granian import Granian
        from granian.constants import Interfaces

        embedded = embedded_database()
        if options["demo"]:
            self._prepare_demo(seed=options["seed"])
        elif pending_migrations():
            raise CommandError("The database is not up to date: run `samenveilig migrate` (or `samenveilig setup`).")

        workers = options["workers"] or (1 if embedded else 2)
        threads = options["threads"] or (1 if embedded else 4)
        if embedded and (workers > 1 or threads > 1):
            self.stderr.write(
                self.style.WARNING(
                    "SQLite has one writer at a time: more than one web process or thread raises the tail latency "
                    "of writes (see docs/serving.md)."
                )
            )
        address = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"Samen Veilig is listening on {address}"))
        self.stdout.write(f"  API: {address}api/v1/openapi.json · docs: {address}api/v1/docs")
        if options["demo"]:
            from samenveilig.demo import builder

            self.stdout.write("  Demo accounts (one-click login on the login page, or e-mail + password):")
            for line in builder.account_lines():
                self.stdout.write(f"    {line}")
        self.stdout.write("  Stop with Ctrl+C.")
        self.stdout.flush()
        connections.close_all()  # the web processes open their own connections
        live = (
            start_live_process(options["host"], options["live_port"] or options["port"] + 1)
            if options["live"]
            else None
        )
        if live is not None:
            self.stdout.write(f"  Live channel: http://{options['host']}:{settings.LIVE_PORT}/live/")

        # Spawn, not fork, the web processes: this process runs the worker thread, and forking a process with
        # running threads can leave the child with a lock that nobody will ever release.
        multiprocessing.set_start_method("spawn", force=True)
        run_worker = options["worker"] if options["worker"] is not None else embedded
        background = start_worker_thread() if run_worker else None
        try:
            Granian(
                target="samenveilig.wsgi:application",
                address=options["host"],
                port=options["port"],
                interface=Interfaces.WSGI,
                workers=workers,
                blocking_threads=threads,
                log_access=False,
                log_level="warning",
            ).serve()
        finally:
            if live is not None:
                stop_live_process(live)
            if background is not None and not background.stop():
                self.stderr.write(self.style.WARNING("The background worker did not stop in time; its task is left."))
        self.stdout.write("Stopped.")

    def _prepare_demo(self, *, seed: int) -> None:
        """Create and migrate the database (plus translations and static files), then load the demo when empty."""
        call_command("setup", verbosity=0, stdout=self.stdout)
        from samenveilig.demo import builder

        if builder.is_empty():
            self.stdout.write("Building the demo municipality (Gemeente Voorbeeld)…")
            self.stdout.flush()
            summary = builder.build(seed=seed)
            self.stdout.write(f"  {summary}")

"""`samenveilig worker`: run background tasks (django-tasks, database backend) outside the web processes.

The scale configuration: on PostgreSQL any number of these, on any machine, claim task rows with
`SELECT … FOR UPDATE SKIP LOCKED`. On SQLite `samenveilig serve` already runs one worker thread in-process; an extra
worker process there is allowed (SQLite's busy timeout serialises the writers) but rarely useful.
"""

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks_db.management.commands.db_worker import Worker

DEFAULT_INTERVAL = 1.0  # seconds between polls of an empty queue


class PlatformWorker(Worker):
    """The django-tasks database worker, which first runs the apps' start hooks (core.tasks.on_worker_start) so
    that work a stopped worker left unfinished is picked up."""

    def run(self) -> None:
        from samenveilig.core.tasks import run_worker_start_hooks

        run_worker_start_hooks()
        super().run()


def make_worker(
    *,
    interval: float = DEFAULT_INTERVAL,
    batch: bool = False,
    max_tasks: int | None = None,
    startup_delay: bool = False,
) -> Worker:
    """A django-tasks database worker over every queue of the default backend, named after host and process."""
    return PlatformWorker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=startup_delay,
        max_tasks=max_tasks,
        worker_id=f"{socket.gethostname()[:40]}-{os.getpid()}",
        excluded_queue_names=[],
    )


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Run background tasks from the database queue (every queue). Stops cleanly on Ctrl+C or SIGTERM after the "
        "task at hand. With --batch: stop when the queue is empty."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--processes", type=_positive_int, default=1, help="worker processes to start (default 1)")
        parser.add_argument("--batch", action="store_true", help="run what is queued, then stop")
        parser.add_argument(
            "--interval",
            type=float,
            default=DEFAULT_INTERVAL,
            help=f"seconds to wait when the queue is empty (default {DEFAULT_INTERVAL})",
        )
        parser.add_argument("--max-tasks", type=_positive_int, default=None, help="stop after this many tasks")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] < 0:
            raise CommandError("--interval must be zero or more.")
        self._configure_logging(options["verbosity"])
        if options["processes"] > 1:
            self._run_processes(options)
            return
        worker = make_worker(
            interval=options["interval"],
            batch=options["batch"],
            max_tasks=options["max_tasks"],
            startup_delay=not options["batch"],
        )
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        if in_main_thread:  # signal handlers can only be set there (not when called from a thread, e.g. a test)
            worker.configure_signals()
        try:
            worker.run()
        except SystemExit as stop:  # the worker's own signal handler: stop between tasks
            if stop.code not in (0, None):
                raise
        finally:
            if in_main_thread:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)

    def _run_processes(self, options: dict[str, Any]) -> None:
        """Start N single-process workers and pass Ctrl+C / SIGTERM on to them; exit when all have stopped."""
        command = [sys.executable, "-m", "samenveilig.cli", "worker", "--interval", str(options["interval"])]
        command += ["--verbosity", str(options["verbosity"])]
        if options["batch"]:
            command.append("--batch")
        if options["max_tasks"]:
            command += ["--max-tasks", str(options["max_tasks"])]
        # Each child in a process group of its own: a Ctrl+C in the terminal reaches only this process, which passes
        # it on once (a second signal would make a worker abandon its task).
        children = [subprocess.Popen(command, process_group=0) for _ in range(options["processes"])]  # noqa: S603

        def forward(signum: int, frame: Any) -> None:
            # Always SIGTERM: a child still starting up may ignore SIGINT (as background jobs of a shell do), but
            # SIGTERM stops it either way; a child already running stops after its task, a second time at once.
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            codes = [child.wait() for child in children]
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        # A child stopped by our SIGTERM before it had set up its handlers ends with -SIGTERM: that is a clean stop.
        if any(code not in (0, -signal.SIGTERM) for code in codes):
            raise CommandError(f"A worker process stopped with an error (exit codes {codes}).")

    def _configure_logging(self, verbosity: int) -> None:
        level = {0: logging.CRITICAL, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in ("django_tasks", "django_tasks_db"):
            task_logger = logging.getLogger(name)
            task_logger.setLevel(level)
            if not task_logger.hasHandlers():
                task_logger.addHandler(logging.StreamHandler(self.stdout))

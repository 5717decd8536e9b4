"""`samenveilig serve [--demo]`: the web interface and the API on granian (WSGI), plus the in-process worker.

Why WSGI and one process on SQLite: see docs/serving.md (measured: granian WSGI serves 7-8x the requests of any
ASGI server on this stack; several writer processes on SQLite push p99 from 28 ms to ~1 s).
"""

import os
import threading
from argparse import BooleanOptionalAction

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def embedded_database() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def pending_migrations() -> bool:
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def start_worker_thread() -> threading.Thread:
    """Run the django-tasks database worker in a daemon thread of this process (the embedded default)."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"],
        interval=0.5,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"serve-{os.getpid()}",
        excluded_queue_names=[],
    )
    thread = threading.Thread(target=worker.run, name="samenveilig-worker", daemon=True)
    thread.start()
    return thread


class Command(BaseCommand):
    help = (
        "Serve the web interface and the API. With --demo: create and migrate the SQLite database, load the demo "
        "data when it is empty, and print the demo accounts. Runs the background worker in-process on SQLite."
    )

    def add_arguments(self, parser):
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

    def handle(self, *args, **options):
        from granian import Granian
        from granian.constants import Interfaces

        embedded = embedded_database()
        if options["demo"]:
            call_command("setup", verbosity=0)
            from samenveilig.demo import builder

            if builder.is_empty():
                self.stdout.write("Building the demo municipality (Gemeente Voorbeeld)…")
                summary = builder.build(seed=options["seed"])
                self.stdout.write(f"  {summary}")
        elif pending_migrations():
            raise CommandError("The database is not up to date: run `samenveilig migrate` (or `samenveilig setup`).")

        run_worker = options["worker"] if options["worker"] is not None else embedded
        if run_worker:
            start_worker_thread()

        workers = options["workers"] or (1 if embedded else 2)
        threads = options["threads"] or (1 if embedded else 4)
        address = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"Samen Veilig is listening on {address}"))
        self.stdout.write(f"  API: {address}api/v1/openapi.json · docs: {address}api/v1/docs")
        if options["demo"]:
            from samenveilig.demo import builder

            self.stdout.write("  Demo accounts (one-click login on the login page, or e-mail + password):")
            for line in builder.account_lines():
                self.stdout.write(f"    {line}")
        connection.close()  # the web processes open their own connections
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

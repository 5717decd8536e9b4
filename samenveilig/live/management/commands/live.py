"""`samenveilig live`: the live channel's own process (server-sent events on /live/, docs/live.md).

`samenveilig serve` starts one beside its web processes; at scale run one or more behind the proxy that routes
/live/ to them, with REDIS_URL set so that every one of them hears every event."""

import resource
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


def raise_open_files_limit() -> int:
    """Every open stream is a file descriptor: take the hard limit (the default soft limit is often 1,024)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


STOP_TIMEOUT_S = 3


class Command(BaseCommand):
    help = (
        "Serve the live channel: server-sent events on /live/ for signed-in people (new messages, new posts). "
        "`serve` starts it on the port after its own; events reach it from the web processes over HTTP, or through "
        "Redis pub/sub when REDIS_URL is set."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument(
            "--port", type=int, default=None, help="port to listen on (default SAMENVEILIG_LIVE_PORT, else 8001)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from granian import Granian
        from granian.constants import Interfaces

        limit = raise_open_files_limit()
        port = options["port"] or settings.LIVE_PORT or 8001
        Granian(
            target="samenveilig.live.asgi:application",
            address=options["host"],
            port=port,
            interface=Interfaces.ASGI,
            workers=1,
            backlog=4096,
            # Granian admits backlog/workers requests at a time by default; an open stream is a request that never
            # ends, so the ceiling is the open-files limit instead.
            backpressure=max(limit - 100, 1024),
            # Open streams never end by themselves: on Ctrl+C / SIGTERM the worker gets this long, then it is
            # stopped and the browsers reconnect (to the next process) with Last-Event-ID.
            workers_kill_timeout=STOP_TIMEOUT_S,
            log_access=False,
            log_level="warning",
        ).serve()

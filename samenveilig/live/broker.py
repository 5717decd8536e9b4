"""Carries events from the process that made them to the live process(es) that hold the connections.

* "redis": PUBLISH on one channel; every live process SUBSCRIBEs (several processes on several machines).
* "http": a POST to the one live process on LIVE_PORT (the embedded default: `serve` starts it beside the web
  process; its in-memory hub carries the event to the connections).
* "local": the hub of this very process (the live process itself, and tests that run one in-process).

Publishing never blocks or fails the request that caused it: the event goes on a queue that a daemon thread sends.
An event that cannot be sent is dropped (and logged): clients catch up from the records when they reconnect.
"""

import http.client
import json
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings

PUBLISH_PATH = "/live/_publish"
TOKEN_HEADER = "X-Samenveilig-Live-Token"  # noqa: S105 - a header name; the token is a setting
log = logging.getLogger(__name__)

# The in-process hub's entry point (set by the live process, or a test): called with each event.
local_sink: Callable[[dict[str, Any]], None] | None = None


class _Sender(threading.Thread):
    """Sends queued events, several at once when they pile up, over one kept-alive connection."""

    def __init__(self) -> None:
        super().__init__(name="samenveilig-live-publisher", daemon=True)
        self.events: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=10_000)
        self._http: http.client.HTTPConnection | None = None
        self._redis: Any = None

    def run(self) -> None:
        while True:
            batch = [self.events.get()]
            while len(batch) < 500:
                try:
                    batch.append(self.events.get_nowait())
                except queue.Empty:
                    break
            try:
                self._send(batch)
            except Exception:  # noqa: BLE001 - a lost event is caught up by replay; the request never sees it
                log.warning("live: %d event(s) not delivered to the live channel", len(batch), exc_info=True)
                self._http = None
            finally:
                for _event in batch:
                    self.events.task_done()

    def _send(self, batch: list[dict[str, Any]]) -> None:
        if settings.LIVE_BROKER == "redis":
            import redis

            if self._redis is None:
                self._redis = redis.Redis.from_url(settings.REDIS_URL)
            self._redis.publish(settings.LIVE_CHANNEL, json.dumps(batch))
            return
        body = json.dumps(batch).encode()
        for attempt in (1, 2):  # a kept-alive connection the server closed is opened once more
            if self._http is None:
                self._http = http.client.HTTPConnection("127.0.0.1", settings.LIVE_PORT, timeout=5)
            try:
                self._http.request(
                    "POST",
                    PUBLISH_PATH,
                    body,
                    {"Content-Type": "application/json", TOKEN_HEADER: settings.LIVE_PUBLISH_TOKEN},
                )
                response = self._http.getresponse()
                response.read()
                if response.status != 204:
                    raise RuntimeError(f"live process answered {response.status}")
                return
            except (http.client.HTTPException, OSError):
                self._http = None
                if attempt == 2:
                    raise


_sender: _Sender | None = None
_sender_lock = threading.Lock()


def publish(event: dict[str, Any]) -> None:
    """Hand one event to the live channel (see the module text for where it goes)."""
    if settings.LIVE_BROKER == "local":
        if local_sink is not None:
            local_sink(event)
        return
    global _sender
    with _sender_lock:
        if _sender is None or not _sender.is_alive():
            _sender = _Sender()
            _sender.start()
    try:
        _sender.events.put_nowait(event)
    except queue.Full:
        log.warning("live: the publish queue is full; an event was dropped")


def flush(timeout: float = 5.0) -> bool:
    """Wait until the queued events have been handed on (tests, the benchmark); True when the queue is empty."""
    import time

    deadline = time.monotonic() + timeout
    while _sender is not None and _sender.events.unfinished_tasks and time.monotonic() < deadline:
        time.sleep(0.005)
    return _sender is None or not _sender.events.unfinished_tasks

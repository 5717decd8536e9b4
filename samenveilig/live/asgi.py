"""The live process: a lean ASGI application that serves only the live channel (docs/live.md).

    GET  /live/          server-sent events for the signed-in person (session cookie); Last-Event-ID replays
    POST /live/_publish  events from the web processes and workers (the "http" broker; token in a header)
    GET  /live/health    how many connections are open

Not Django's request handling: one process holds thousands of open streams on one event loop, and Django's per-request
machinery would cost an OS thread per stream (perf-limits §7). The ORM is used only when a client connects (who it
is, what it missed), in a small thread pool.
"""

import asyncio
import hmac
import json
import logging
import os
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenveilig.settings")
django.setup()

from django.conf import settings  # noqa: E402 - after django.setup()
from django.db import close_old_connections  # noqa: E402
from django.http.cookie import parse_cookie  # noqa: E402
from django.http.request import validate_host  # noqa: E402

from samenveilig.live import broker  # noqa: E402
from samenveilig.live.hub import CLOSE, Connection, Hub, sse_frame  # noqa: E402
from samenveilig.live.selectors import Cursor, replay, start_cursor, viewer_for_session  # noqa: E402

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

log = logging.getLogger(__name__)
hub = Hub()
_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="samenveilig-live-db")
RETRY_MS = 2000  # how soon a browser reconnects after losing the stream


async def _db(fn: Callable[..., Any], *args: Any) -> Any:
    def run() -> Any:
        close_old_connections()
        return fn(*args)

    return await asyncio.get_running_loop().run_in_executor(_pool, run)


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


async def _plain(send: Send, status: int, body: bytes = b"", content_type: str = "text/plain; charset=utf-8") -> None:
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", content_type.encode())]})
    await send({"type": "http.response.body", "body": body})


def _cors(headers: dict[str, str]) -> list[tuple[bytes, bytes]] | None:
    """CORS headers for a page on another origin of an allowed host (the live port beside the site's), None when
    the origin is not allowed; [] when the request is same-origin (no Origin header)."""
    origin = headers.get("origin")
    if not origin:
        return []
    host = urlsplit(origin).hostname or ""
    if not validate_host(host if ":" not in host else f"[{host}]", settings.ALLOWED_HOSTS):
        return None
    return [
        (b"access-control-allow-origin", origin.encode("latin-1")),
        (b"access-control-allow-credentials", b"true"),
        (b"vary", b"Origin"),
    ]


async def stream(scope: Scope, receive: Receive, send: Send) -> None:
    headers = _headers(scope)
    cors = _cors(headers)
    if cors is None:
        await _plain(send, 403, b"origin not allowed")
        return
    cookies = parse_cookie(headers.get("cookie", ""))
    viewer = await _db(viewer_for_session, cookies.get(settings.SESSION_COOKIE_NAME, ""))
    if viewer is None:
        await _plain(send, 401, b"sign in first")  # EventSource gives up on a non-200 answer
        return
    given = Cursor.parse(headers.get("last-event-id", ""))
    conn = Connection(viewer, given or Cursor(0, 0))
    hub.add(conn)  # before reading the records: an event that lands meanwhile waits in the queue, none is missed
    try:
        missed = await _db(replay, viewer, given) if given else []
        if given is None:
            conn.cursor = await _db(start_cursor)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream; charset=utf-8"),
                    (b"cache-control", b"no-store"),
                    (b"x-accel-buffering", b"no"),  # a proxy must pass each event on at once
                    *cors,
                ],
            }
        )
        first = f"retry: {RETRY_MS}\n".encode() + sse_frame("ready", {}, str(conn.cursor if not missed else given))
        frames = [first]
        for name, data, after in missed:
            frames.append(sse_frame(name, data, str(after)))
            conn.cursor = Cursor(max(conn.cursor.n, after.n), max(conn.cursor.t, after.t))
        await send({"type": "http.response.body", "body": b"".join(frames), "more_body": True})
        watcher = asyncio.ensure_future(_watch(receive, conn))
        try:
            await _pump(send, conn)
        except Exception:  # noqa: BLE001 - a write to a client that just went away: the stream simply ends
            log.debug("live: stream ended while writing", exc_info=True)
        finally:
            watcher.cancel()
    finally:
        hub.remove(conn)


async def _watch(receive: Receive, conn: Connection) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
    conn.queue.put_nowait(CLOSE)


async def _pump(send: Send, conn: Connection) -> None:
    keepalive = settings.LIVE_KEEPALIVE_S
    while True:
        try:
            item = await asyncio.wait_for(conn.queue.get(), keepalive)
        except TimeoutError:
            await send({"type": "http.response.body", "body": b": ping\n\n", "more_body": True})
            continue
        if item is CLOSE:
            return
        frames = [conn.frame(item)]
        while not conn.queue.empty():  # several events at once go out in one write
            more = conn.queue.get_nowait()
            if more is CLOSE:
                return
            frames.append(conn.frame(more))
        body = b"".join(f for f in frames if f)
        if body:
            await send({"type": "http.response.body", "body": body, "more_body": True})


async def publish_endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    token = _headers(scope).get(broker.TOKEN_HEADER.lower(), "")
    if not hmac.compare_digest(token.encode(), settings.LIVE_PUBLISH_TOKEN.encode()):
        await _plain(send, 403, b"bad token")
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    try:
        events = json.loads(body)
    except ValueError:
        await _plain(send, 400, b"not JSON")
        return
    for event in events if isinstance(events, list) else [events]:
        if isinstance(event, dict):
            hub.dispatch(event)
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


async def _redis_listener() -> None:
    """With REDIS_URL: every live process hears every event (several processes on several machines)."""
    import redis.asyncio as redis

    while True:
        try:
            client = redis.Redis.from_url(settings.REDIS_URL)
            async with client.pubsub() as pubsub:
                await pubsub.subscribe(settings.LIVE_CHANNEL)
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        for event in json.loads(message["data"]):
                            hub.dispatch(event)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - Redis restarted: listen again; clients catch up from the records
            log.warning("live: lost the Redis subscription; subscribing again", exc_info=True)
            await asyncio.sleep(1)


_tasks: list[asyncio.Task[None]] = []


def _threadsafe_dispatch(loop: asyncio.AbstractEventLoop) -> Callable[[dict[str, Any]], None]:
    """The local broker's sink: events published from any thread of this process reach the hub on its loop."""
    return lambda event: loop.call_soon_threadsafe(hub.dispatch, event)


async def lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            broker.local_sink = _threadsafe_dispatch(asyncio.get_running_loop())
            if settings.LIVE_BROKER == "redis":
                _tasks.append(asyncio.ensure_future(_redis_listener()))
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            for task in _tasks:
                task.cancel()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def application(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
        return
    if scope["type"] != "http":
        return
    path, method = scope["path"], scope["method"]
    if path == "/live/" and method == "GET":
        await stream(scope, receive, send)
    elif path == broker.PUBLISH_PATH and method == "POST":
        await publish_endpoint(scope, receive, send)
    elif path == "/live/health" and method == "GET":
        await _plain(send, 200, json.dumps({"connections": hub.count}).encode(), "application/json")
    else:
        await _plain(send, 404, b"not found")

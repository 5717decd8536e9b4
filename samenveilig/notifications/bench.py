"""The scenario of `samenveilig bench delivery` (issue 6, "Benchmark"), run inside a temporary installation.

* `seed`: people in bulk: a community of `small` members (10,000) and one of `large` members (100,000), a tenth of
  them with e-mail chosen for conversation messages (so deliveries are written too), and `sessions` signed-in
  sessions for the live clients.
* `fanout`: the causing change (one audience notification in its own transaction, as a report routed to all
  members writes it) and the worker's fan-out that writes every in-app record and its deliveries; `fanout_s` is the
  time from the start of the change to the commit of the last record. A real worker picks the task up after its
  poll interval (0.5 s in `serve`), which comes on top.
"""

import time
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.utils import timezone

from samenveilig.accounts.models import User
from samenveilig.communities.models import Community, Membership, MembershipStatus
from samenveilig.communities.services import community_create
from samenveilig.core.permissions import Role
from samenveilig.core.processes import stop_group
from samenveilig.core.testing import make_areas
from samenveilig.notifications.models import ChannelChoice, Delivery, Notification
from samenveilig.notifications.services import fan_out_pending, notify_audience

BATCH = 5_000


def seed(*, small: int, large: int, sessions: int) -> dict[str, Any]:
    areas = make_areas()
    small_c = community_create(
        name="Tienduizend", kind="street", municipality=areas["gemeente"], buurten=[areas["noord"]]
    )
    large_c = community_create(
        name="Honderdduizend", kind="wijk", municipality=areas["gemeente"], buurten=[areas["zuid"]]
    )
    tag = uuid.uuid4().hex[:6]
    users = [
        User(username=f"b{tag}{i}", email=f"b{tag}{i}@example.org", password="!", first_name="Lid")  # noqa: S106
        for i in range(large)
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    ids = list(User.objects.filter(username__startswith=f"b{tag}").order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    for community, members in ((small_c, ids[:small]), (large_c, ids)):
        Membership.objects.bulk_create(
            [
                Membership(
                    community=community,
                    user_id=uid,
                    role=Role.PARTICIPANT,
                    status=MembershipStatus.ACTIVE,
                    rules_version_accepted=1,
                    rules_accepted_at=now,
                )
                for uid in members
            ],
            batch_size=BATCH,
        )
    ChannelChoice.objects.bulk_create(
        [ChannelChoice(user_id=uid, category="conversation", channel="email") for uid in ids[::10]], batch_size=BATCH
    )
    keys = []
    expire = now + timedelta(days=1)
    store = SessionStore()
    rows = []
    for user in User.objects.filter(pk__in=ids[:sessions]):
        key = uuid.uuid4().hex
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        keys.append(key)
    Session.objects.bulk_create(rows, batch_size=BATCH)
    return {"small": small_c.pk, "large": large_c.pk, "sessions": keys}


def fanout(*, community_id: int) -> dict[str, Any]:
    community = Community.objects.get(pk=community_id)
    before_n, before_d = Notification.objects.count(), Delivery.objects.count()
    started = time.perf_counter()
    with transaction.atomic():  # the causing change
        notify_audience(
            community=community,
            kind="conversation.shared_report",
            data={"community": community.name, "summary": "Bench"},
            link="/",
        )
    changed = time.perf_counter()
    fan_out_pending()  # the worker
    done = time.perf_counter()
    return {
        "fanout_s": round(done - started, 4),
        "change_s": round(changed - started, 4),
        "written": Notification.objects.count() - before_n,
        "deliveries": Delivery.objects.count() - before_d,
        "database": connection.vendor,
    }


# --- the benchmark itself (the process of `samenveilig bench delivery`) ----------------------------------------------
def run(*, small: int, large: int, live_clients: int, runs: int, log: Any) -> dict[str, Any]:
    """A fresh installation (a temporary data directory, or a throwaway database on DATABASE_URL's server), seeded
    once; the fan-out measured `runs` times per size in a worker-like process; then `live_clients` SSE clients on
    a real `samenveilig live` process and one event published `runs` times."""
    import asyncio
    import json
    import os
    import secrets
    import sqlite3
    import statistics
    import subprocess
    import sys
    import tempfile
    from contextlib import ExitStack
    from pathlib import Path

    from samenveilig.core.management.commands.bench import (
        _child_env,
        _free_port,
        _server_version,
        throwaway_postgres,
    )
    from samenveilig.live.management.commands.live import raise_open_files_limit

    samenveilig = str(Path(sys.executable).with_name("samenveilig"))
    database_url = os.environ.get("DATABASE_URL", "")
    with ExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sv-bench-delivery-")))
        token = secrets.token_urlsafe(24)
        env = _child_env(data_dir, {"SAMENVEILIG_LIVE_TOKEN": token, "SAMENVEILIG_LIVE_BROKER": "local"})
        url = stack.enter_context(throwaway_postgres(database_url, log=log)) if database_url else None
        if url:
            env["DATABASE_URL"] = url
        database = _server_version(url) if url else f"SQLite {sqlite3.sqlite_version}"

        def call(*args: str) -> Any:
            done = subprocess.run(
                [samenveilig, *args], env=env, capture_output=True, text=True, timeout=1800, check=False
            )
            if done.returncode != 0:
                raise RuntimeError(f"samenveilig {' '.join(args)} failed:\n{done.stderr[-3000:]}")
            return json.loads(done.stdout) if done.stdout.strip().startswith(("{", "[")) else done.stdout

        log("bench: migrating a fresh installation")
        call("migrate")
        log(f"bench: seeding {large:,} people ({small:,} in the small community) and {live_clients:,} sessions")
        seeded = call(
            "bench", "seed-delivery", "--small", str(small), "--large", str(large), "--sessions", str(live_clients)
        )
        fanouts = []
        for size, community in ((small, seeded["small"]), (large, seeded["large"])):
            log(f"bench: fan-out to {size:,} recipients, {runs}×")
            measured = call("bench", "fanout-delivery", "--community", str(community), "--runs", str(runs))
            fanouts.append(
                {
                    "recipients": size,
                    "fanout_s": round(statistics.median(m["fanout_s"] for m in measured), 4),
                    "runs": [m["fanout_s"] for m in measured],
                    "change_s": round(statistics.median(m["change_s"] for m in measured), 4),
                    "written": measured[-1]["written"],
                    "deliveries": measured[-1]["deliveries"],
                }
            )

        port = _free_port()
        live = subprocess.Popen(
            [samenveilig, "live", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        stack.callback(stop_group, live)  # with the granian worker it forked
        raise_open_files_limit()
        log(f"bench: {live_clients:,} SSE clients on the live process")
        live_result = asyncio.run(_live(port, token, seeded["sessions"], seeded["large"], runs))

    return {
        "bench": "delivery",
        "recipients": large,
        "fanout_s": fanouts[-1]["fanout_s"],
        "fanout": fanouts,
        **live_result,
        "database": database,
        "targets": {"fanout_s": {str(small): 0.25, str(large): 2.0}, "live_delivery_s": 1.0},
    }


async def _live(port: int, token: str, sessions: list[str], community: int, runs: int) -> dict[str, Any]:
    import asyncio
    import json
    import statistics
    import urllib.request

    from samenveilig.live.broker import PUBLISH_PATH, TOKEN_HEADER
    from samenveilig.live.client import StreamClient

    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            await asyncio.to_thread(urllib.request.urlopen, f"{base}/live/health", None, 2)
            break
        except OSError:
            await asyncio.sleep(0.1)
    clients = [StreamClient("127.0.0.1", port, cookie=f"sessionid={key}") for key in sessions]
    gate = asyncio.Semaphore(100)
    started = time.perf_counter()

    async def open_one(client: StreamClient) -> None:
        async with gate:
            if await client.connect(timeout=120) != 200:
                raise RuntimeError(f"the live process answered {client.status}")

    await asyncio.gather(*(open_one(c) for c in clients))
    readers = [asyncio.ensure_future(c.read()) for c in clients]
    while not all(c.events for c in clients):  # each has its "ready" event
        await asyncio.sleep(0.05)
    connect_s = time.perf_counter() - started
    times = []
    for run in range(1, runs + 1):
        event = {"type": "post", "community": community, "t": int(time.time() * 1_000_000)}
        body = json.dumps([event]).encode()
        request = urllib.request.Request(
            f"{base}{PUBLISH_PATH}",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", TOKEN_HEADER: token},
        )
        sent = time.perf_counter()
        await asyncio.to_thread(urllib.request.urlopen, request, None, 30)
        deadline = time.monotonic() + 30
        while sum(1 for c in clients if len(c.events) > run) < len(clients) and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        got = [c.events[run].at for c in clients if len(c.events) > run]
        if len(got) < len(clients):
            raise RuntimeError(f"only {len(got)} of {len(clients)} clients received event {run}")
        times.append(round(max(got) - sent, 4))
        await asyncio.sleep(0.5)
    for c in clients:
        c.close()
    await asyncio.gather(*readers, return_exceptions=True)
    return {
        "live_clients": len(clients),
        "live_delivery_s": statistics.median(times),
        "live_runs": times,
        "live_connect_s": round(connect_s, 2),
    }

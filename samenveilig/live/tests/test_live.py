"""The live channel for real (issue 6, item 6 and "Robustness"): a real installation in subprocesses, a real
`samenveilig live` process (and `samenveilig serve` for the Redis case), and SSE clients over real sockets.

* Each person hears only what is theirs: their notifications, posts in their communities, their share of a fan-out.
* A client that reconnects with Last-Event-ID gets what it missed, read from the records.
* Two hundred clients, the live process restarted while events happen: every client catches up.
* With REDIS_URL, an event raised by one server reaches a client connected to another.
"""

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.test import SimpleTestCase

from samenveilig.core.management.commands.bench import throwaway_postgres
from samenveilig.core.processes import stop_group
from samenveilig.live.client import StreamClient

SAMENVEILIG = str(Path(sys.executable).with_name("samenveilig"))
POST_TEXT = "Let op: vanavond is het buurtoverleg in het wijkcentrum, om acht uur."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class LiveInstallation(SimpleTestCase):
    members = 3

    def setUp(self) -> None:
        self.stack = ExitStack()
        self.addCleanup(self.stack.close)
        data_dir = self.stack.enter_context(tempfile.TemporaryDirectory())
        self.port = free_port()
        self.env = {
            **os.environ,
            "SAMENVEILIG_DATA_DIR": data_dir,
            "SAMENVEILIG_LIVE_PORT": str(self.port),
            "SAMENVEILIG_LIVE_BROKER": "http",
        }
        self.env.pop("REDIS_URL", None)
        if url := os.environ.get("DATABASE_URL"):
            self.env["DATABASE_URL"] = self.stack.enter_context(throwaway_postgres(url, log=lambda _m: None))
        self.run_command([SAMENVEILIG, "migrate"])
        self.seed = self.scenario("seed", str(self.members))

    def run_command(self, command: list[str]) -> str:
        done = subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=300, check=False)
        self.assertEqual(done.returncode, 0, done.stderr[-3000:])
        return done.stdout

    def scenario(self, step: str, *args: Any) -> dict:
        command = [sys.executable, "-m", "samenveilig.live.tests.scenario", step, *map(str, args)]
        return json.loads(self.run_command(command).strip().splitlines()[-1])

    def start_live(self, port: int | None = None, env: dict[str, str] | None = None) -> subprocess.Popen:
        port = port or self.port
        process = subprocess.Popen(
            [SAMENVEILIG, "live", "--port", str(port)],
            env=env or self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.addCleanup(stop_group, process)
        wait_http(f"http://127.0.0.1:{port}/live/health")
        return process

    def session(self, user_id: int) -> str:
        return f"sessionid={self.seed['sessions'][str(user_id)]}"

    def stream(self, user_id: int | None, port: int | None = None, **extra: Any) -> StreamClient:
        cookie = self.session(user_id) if user_id is not None else ""
        return StreamClient("127.0.0.1", port or self.port, cookie=cookie, **extra)


async def until(predicate: Any, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


def names(client: StreamClient) -> list[str]:
    return [e.name for e in client.events]


class WhoHearsWhatTests(LiveInstallation):
    def test_each_person_hears_only_what_concerns_them(self) -> None:
        self.start_live()
        coordinator, member = self.seed["members"][0], self.seed["members"][1]
        here = self.seed["here"]

        async def run() -> None:
            anonymous = self.stream(None)
            self.assertEqual(await anonymous.connect(), 401)
            foreign = self.stream(member, origin="https://elders.example")
            self.assertEqual(await foreign.connect(), 403)
            clients = {who: self.stream(who) for who in (coordinator, member, self.seed["stranger"])}
            for c in clients.values():
                self.assertEqual(await c.connect(), 200)
            readers = [asyncio.ensure_future(c.read()) for c in clients.values()]
            self.assertTrue(await until(lambda: all("ready" in names(c) for c in clients.values())))

            await asyncio.to_thread(self.scenario, "notify", member)
            self.assertTrue(await until(lambda: "notification" in names(clients[member])))
            await asyncio.to_thread(self.scenario, "post", here, coordinator, POST_TEXT)
            self.assertTrue(
                await until(lambda: all(f"post-{here}" in names(clients[w]) for w in (coordinator, member)))
            )
            # A fan-out to the community, leaving out the coordinator who caused it.
            await asyncio.to_thread(self.scenario, "audience", here, coordinator)
            self.assertTrue(await until(lambda: names(clients[member]).count("notification") == 2))
            await asyncio.sleep(0.5)  # time for anything misrouted to arrive
            for c in clients.values():
                c.close()
            await asyncio.gather(*readers)
            self.assertEqual(names(clients[member]), ["ready", "notification", f"post-{here}", "notification"])
            self.assertEqual(names(clients[coordinator]), ["ready", f"post-{here}"])
            self.assertEqual(names(clients[self.seed["stranger"]]), ["ready"])
            # Each event's id is the client's cursor: it only moves forward.
            ids = [tuple(map(int, e.id.split("."))) for e in clients[member].events]
            self.assertEqual(ids, sorted(ids))

        asyncio.run(run())

    def test_a_client_that_reconnects_gets_what_it_missed(self) -> None:
        self.start_live()
        coordinator, member = self.seed["members"][0], self.seed["members"][1]
        here = self.seed["here"]

        async def run() -> None:
            first = self.stream(member)
            self.assertEqual(await first.connect(), 200)
            reader = asyncio.ensure_future(first.read())
            self.assertTrue(await until(lambda: "ready" in names(first)))
            first.close()
            await reader
            # Meanwhile, while it is away:
            await asyncio.to_thread(self.scenario, "notify", member)
            await asyncio.to_thread(self.scenario, "post", here, coordinator, POST_TEXT)
            again = self.stream(member, last_id=first.last_id)
            self.assertEqual(await again.connect(), 200)
            reader = asyncio.ensure_future(again.read())
            self.assertTrue(await until(lambda: {"notification", f"post-{here}"} <= set(names(again))))
            replayed = next(e for e in again.events if e.name == "notification")
            self.assertTrue(replayed.data["replay"])
            self.assertEqual(len(replayed.data["ids"]), 1)
            # And the cursor it ends on replays nothing more.
            again.close()
            await reader
            third = self.stream(member, last_id=again.last_id)
            self.assertEqual(await third.connect(), 200)
            reader = asyncio.ensure_future(third.read())
            await asyncio.sleep(1.0)
            third.close()
            await reader
            self.assertEqual(names(third), ["ready"])

        asyncio.run(run())


class RestartTests(LiveInstallation):
    members = 200

    def test_two_hundred_clients_catch_up_after_a_restart(self) -> None:
        live = self.start_live()
        coordinator, here = self.seed["members"][0], self.seed["here"]
        others = self.seed["members"][1:]

        async def follow(client: StreamClient, stop: asyncio.Event) -> None:
            """Like a browser: read, and when the stream breaks, reconnect with Last-Event-ID."""
            while not stop.is_set():
                try:
                    if await client.connect(timeout=5) == 200:
                        await client.read()
                except OSError:
                    pass
                client.close()
                await asyncio.sleep(0.2)

        async def run() -> None:
            stop = asyncio.Event()
            clients = [self.stream(uid) for uid in others]
            tasks = [asyncio.ensure_future(follow(c, stop)) for c in clients]
            self.assertTrue(await until(lambda: all("ready" in names(c) for c in clients), timeout=60))
            live.terminate()
            await asyncio.to_thread(live.wait, 20)
            # While the live process is down: a post and a fan-out to every member.
            await asyncio.to_thread(self.scenario, "post", here, coordinator, POST_TEXT)
            await asyncio.to_thread(self.scenario, "audience", here, coordinator)
            await asyncio.to_thread(self.start_live)
            caught_up = await until(
                lambda: all({"notification", f"post-{here}"} <= set(names(c)) for c in clients), timeout=90
            )
            stop.set()
            for c in clients:
                c.close()
            await asyncio.gather(*tasks)
            missing = [c.cookie for c in clients if not {"notification", f"post-{here}"} <= set(names(c))]
            self.assertTrue(caught_up, f"{len(missing)} of {len(clients)} clients did not catch up")
            self.assertEqual(sum(names(c).count("ready") for c in clients), 2 * len(clients))  # each reconnected once

        asyncio.run(run())


class RedisTests(LiveInstallation):
    def test_an_event_raised_by_one_server_reaches_a_client_of_another(self) -> None:
        redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
        try:
            import redis

            redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
        except Exception as exc:  # noqa: BLE001
            self.skipTest(f"no Redis at {redis_url}: {exc}")  # .ci/run starts one
        servers, lives = [], []
        for _ in range(2):
            # Two free ports of their own (port + 1 may belong to a neighbour: a parallel test once had it).
            port, live = free_port(), free_port()
            env = {**self.env, "REDIS_URL": redis_url, "SAMENVEILIG_LIVE_BROKER": "redis"}
            env.pop("SAMENVEILIG_LIVE_PORT")
            process = subprocess.Popen(
                [SAMENVEILIG, "serve", "--port", str(port), "--live-port", str(live), "--no-worker"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            self.addCleanup(stop_group, process)
            servers.append(port)
            lives.append(live)
        for port, live in zip(servers, lives, strict=True):
            wait_http(f"http://127.0.0.1:{port}/health", timeout=60)
            wait_http(f"http://127.0.0.1:{live}/live/health", timeout=60)
        coordinator, member, here = self.seed["members"][0], self.seed["members"][1], self.seed["here"]

        async def run() -> None:
            on_b = self.stream(member, port=lives[1])
            self.assertEqual(await on_b.connect(), 200)
            reader = asyncio.ensure_future(on_b.read())
            self.assertTrue(await until(lambda: "ready" in names(on_b)))
            # Server A's web process takes a post through the API; server B's live process tells the member.
            request = urllib.request.Request(
                f"http://127.0.0.1:{servers[0]}/api/v1/communities/{self.seed['here_code']}/posts",
                data=json.dumps({"text": POST_TEXT}).encode(),
                headers={"Authorization": f"Bearer {self.seed['token']}", "Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - loopback
                self.assertEqual(answer.status, 201)
            self.assertTrue(await until(lambda: f"post-{here}" in names(on_b)), names(on_b))
            on_b.close()
            await reader

        asyncio.run(run())
        self.assertNotEqual(coordinator, member)

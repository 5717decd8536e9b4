"""Live updates in a real browser (issue 6, "Done when"): a real `samenveilig serve` (web process and live process)
on a fresh installation, and headless Chromium. A coordinator posts in the stream from one browser context; a member
who has the stream open in a second context sees the post appear without reloading, and sees a new message arrive
in the navigation and in the inbox, well before the fallback poll (60 s) could have fetched them."""

import json
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from samenveilig.core.tests.browser import ServedBrowser
from samenveilig.live.tests.test_live import POST_TEXT, SAMENVEILIG, LiveInstallation

LIVE_WITHIN_MS = 10_000  # far below the fallback poll of 60 s


@pytest.mark.browser
class LiveBrowserTests(ServedBrowser, LiveInstallation):
    def setUp(self) -> None:
        super().setUp()
        self.run_command([SAMENVEILIG, "setup"])  # static files and translations, as `serve --demo` has them
        env = {**self.env, "SAMENVEILIG_ALLOWED_HOSTS": "127.0.0.1,localhost"}
        env.pop("SAMENVEILIG_LIVE_PORT")
        env.pop("SAMENVEILIG_LIVE_BROKER")
        self.serve(env)
        self.env["SAMENVEILIG_LIVE_PORT"] = str(self.live)  # where the scenario's events go
        self.open_browser()

    def page_as(self, user_id: int):
        return self.page_with_session(self.seed["sessions"][str(user_id)])

    def connections(self) -> int:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.live}/live/health", timeout=5) as answer:  # noqa: S310
            return json.load(answer)["connections"]

    def wait_connections(self, n: int) -> None:
        deadline = time.monotonic() + 20
        while self.connections() < n:
            self.assertLess(time.monotonic(), deadline, "the pages did not connect to the live channel")
            time.sleep(0.1)

    def test_a_post_and_a_message_appear_live_in_another_browser(self) -> None:
        coordinator, member = self.seed["members"][0], self.seed["members"][1]
        stream = f"http://127.0.0.1:{self.web}/communities/hier/gesprek/"
        watcher = self.page_as(member)
        watcher.goto(stream)
        expect(watcher.locator("[data-post-text]")).to_have_count(0)
        author = self.page_as(coordinator)
        author.goto(stream)
        self.wait_connections(2)

        author.locator("#id_text").fill(POST_TEXT)
        with author.expect_navigation():
            author.locator("main form button[type=submit]").first.click()
        expect(watcher.locator("[data-post-text]").first).to_contain_text("buurtoverleg", timeout=LIVE_WITHIN_MS)

        # A message for the member: the navigation shows it at once, and so does the open inbox.
        nav = watcher.locator("a[data-unread]")
        expect(nav).to_have_attribute("data-unread", "0")
        self.scenario("notify", member)
        expect(nav).to_have_attribute("data-unread", "1", timeout=LIVE_WITHIN_MS)
        watcher.goto(f"http://127.0.0.1:{self.web}/berichten/")
        self.wait_connections(2)
        expect(watcher.locator("#inbox-messages li")).to_have_count(1)
        self.scenario("notify", member)
        expect(watcher.locator("#inbox-messages li")).to_have_count(2, timeout=LIVE_WITHIN_MS)
        self.assertEqual(self.csp_errors, [])

"""An alert in real browsers (issue 7, "Done when"), against a real `samenveilig serve` (web, live process and the
in-process worker that does the fan-out) on a fresh installation, with headless Chromium:

wendy (police, wijkagent) sends a missing-person alert to a 1 km radius through the send page; a resident inside
the radius, whose inbox is open, receives it live, opens it and answers "seen" with her location; the answer appears
on wendy's console (list and map pin) without a reload; wendy closes it as found and the resident sees the outcome;
a resident outside the radius receives nothing.

The installation is seeded by `seed()` in a child process (SEED): the live process and the worker cannot see a
test's own database.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from typing import Any

import pytest
from django.test import SimpleTestCase
from playwright.sync_api import expect

from samenveilig.core.tests.browser import ServedBrowser
from samenveilig.live.tests.test_live import SAMENVEILIG

LIVE_WITHIN_MS = 10_000  # well below the console's 30 s poll and the stream's 60 s fallback
INSIDE = (52.091, 5.111)  # about 130 m from the middle of Testdorp (52.09, 5.11)
OUTSIDE = (52.0805, 5.1005)  # about 1.2 km from it
ANSWER_AT = {"latitude": 52.0925, "longitude": 5.1125}
TITLE = "Vermist: Daan, 8 jaar"
TEXT = "Sinds 15:00 vermist bij de speeltuin. Rode jas, blauwe spijkerbroek, loopt richting het park."
SEED = (
    "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'samenveilig.settings'); django.setup(); "
    "from samenveilig.alerts.tests.test_browser import seed; print(json.dumps(seed()))"
)


def seed() -> dict[str, Any]:
    """The test cast (core.testing), a home inside the radius for anna and one outside it for olaf, sessions."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from samenveilig.accounts.services import residence_set
    from samenveilig.core.testing import make_cast

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    class Cast:
        pass

    cast = Cast()
    make_cast(cast)
    for user, (lat, lon) in ((cast.anna, INSIDE), (cast.olaf, OUTSIDE)):
        residence_set(
            user=user, street="Dorpsstraat", house_number="1", postcode="3511 AB", city="Testdorp", lat=lat, lon=lon
        )
    sessions = {}
    for user in (cast.wendy, cast.anna, cast.olaf):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions[user.username] = store.session_key
    return {"sessions": sessions}


@pytest.mark.browser
class AlertBrowserTests(ServedBrowser, SimpleTestCase):
    def setUp(self) -> None:
        self.stack = ExitStack()
        self.addCleanup(self.stack.close)
        data_dir = self.stack.enter_context(tempfile.TemporaryDirectory())
        self.env = {
            **os.environ,
            "SAMENVEILIG_DATA_DIR": data_dir,
            "SAMENVEILIG_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SAMENVEILIG_MAP_TILE_URL": "",  # no tile requests leave this machine
        }
        for name in ("REDIS_URL", "DATABASE_URL", "SAMENVEILIG_LIVE_PORT", "SAMENVEILIG_LIVE_BROKER"):
            self.env.pop(name, None)
        self.run_command([SAMENVEILIG, "setup"])  # migrations, static files and translations
        self.seed = json.loads(self.run_command([sys.executable, "-c", SEED]).splitlines()[-1])
        self.serve(self.env)
        self.open_browser()

    def run_command(self, command: list[str]) -> str:
        done = subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=300, check=False)
        self.assertEqual(done.returncode, 0, done.stderr[-3000:])
        return done.stdout

    def page_as(self, who: str, **context: Any):
        return self.page_with_session(self.seed["sessions"][who], **context)

    def test_an_alert_goes_out_is_answered_live_and_closed(self) -> None:
        # The two residents have their inbox open; wendy opens the send page.
        anna = self.page_as("anna", geolocation=ANSWER_AT, permissions=["geolocation"])
        anna.goto(self.url("/berichten/"))
        expect(anna.locator("#inbox-messages li")).to_have_count(0)
        olaf = self.page_as("olaf")
        olaf.goto(self.url("/berichten/"))
        wendy = self.page_as("wendy")
        wendy.goto(self.url("/oproepen/nieuw/"))

        # 1. A missing person, 1 km around the middle of Testdorp: the preview counts anna only.
        wendy.locator("#id_kind").select_option("missing")
        expect(wendy.locator("#id_title")).to_have_value(re.compile(r"\S"))  # the template filled it in
        expect(wendy.locator("#id_urgent")).to_be_checked()
        wendy.locator("#id_title").fill(TITLE)
        wendy.locator("#id_text").fill(TEXT)
        expect(wendy.locator("[data-centre-map].leaflet-container")).to_be_visible()
        wendy.locator("[data-centre-map]").click()  # the map opens on Testdorp: its middle
        expect(wendy.locator("[data-radius-label]")).to_contain_text("1 km")
        expect(wendy.locator("#alert-preview [data-preview-total]")).to_have_attribute("data-preview-total", "1")
        with wendy.expect_navigation():
            wendy.locator("[data-send]").click()
        self.assertRegex(wendy.url, r"/oproepen/[0-9a-f-]{36}/$")
        code = wendy.url.rstrip("/").rsplit("/", 1)[-1]
        expect(wendy.locator("[data-console-map].leaflet-container")).to_be_visible()
        expect(wendy.locator("[data-no-answers]")).to_be_visible()
        wendy.evaluate("window.svNotReloaded = true")

        # 2. Anna's open inbox and navigation show it without a reload; she opens it and answers "seen" here.
        expect(anna.locator("#inbox-messages li")).to_have_count(1, timeout=LIVE_WITHIN_MS)
        expect(anna.locator("a[data-unread]")).to_have_attribute("data-unread", "1", timeout=LIVE_WITHIN_MS)
        self.assertIn(TITLE, anna.locator("#inbox-messages li").inner_text())
        with anna.expect_navigation():
            anna.locator("#inbox-messages li button[name=open]").click()
        self.assertTrue(anna.url.endswith(f"/oproepen/{code}/"), anna.url)
        self.assertIn(TEXT, anna.locator("[data-alert-text]").inner_text())
        anna.locator("[data-use-location]").click()
        expect(anna.locator("form[data-answer-form]")).to_have_attribute("data-located", "1")
        with anna.expect_navigation():
            anna.locator("button[data-answer=seen]").click()
        expect(anna.locator("[data-own-answer=seen]")).to_have_count(1)

        # 3. Wendy's console shows the answer in the list and as a pin on the map, without a reload.
        expect(wendy.locator("[data-answer-item=seen]")).to_have_count(1, timeout=LIVE_WITHIN_MS)
        expect(wendy.locator("[data-console-map] .sv-pin--seen")).to_have_count(1, timeout=LIVE_WITHIN_MS)
        expect(wendy.locator("[data-count=seen] .sv-count__n")).to_have_text("1")
        self.assertTrue(wendy.evaluate("window.svNotReloaded === true"))

        # 4. Wendy closes it as found; anna, still on the alert's page, sees the outcome appear.
        wendy.locator("#close_outcome").select_option("found")
        wendy.locator("#close_text").fill("Daan is gevonden. Dank voor het uitkijken!")
        with wendy.expect_navigation():
            wendy.locator("[data-close]").click()
        expect(wendy.locator("[data-outcome=found]")).to_be_visible()
        expect(anna.locator("[data-outcome=found]")).to_be_visible(timeout=LIVE_WITHIN_MS)
        self.assertIn("Daan is gevonden", anna.locator("#alert-state").inner_text())

        # 5. Olaf, outside the radius, received nothing and cannot open it.
        expect(olaf.locator("#inbox-messages li")).to_have_count(0)
        expect(olaf.locator("a[data-unread]")).to_have_attribute("data-unread", "0")
        olaf.goto(self.url("/berichten/"))
        expect(olaf.locator("#inbox-messages li")).to_have_count(0)
        response = olaf.goto(self.url(f"/oproepen/{code}/"))
        self.assertEqual(response.status, 404)

        self.assertEqual(self.csp_errors, [])

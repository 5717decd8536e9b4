"""The offline queue in a real browser: Debian's headless Chromium at 360 px, against a live server. A report
filed while offline waits in IndexedDB, is sent once the browser is online again, stored exactly once, and the
browser keeps nothing afterwards; logging out empties the queue."""

import time

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client, override_settings

from samenveilig.core.testing import make_cast
from samenveilig.core.tests.browser import BrowserTestCase
from samenveilig.reports.models import Report
from samenveilig.reports.tests.factories import NOORD_POINT

QUEUE_LENGTH = "() => window.svReportQueue.all().then(items => items.length)"


@pytest.mark.browser
@override_settings(MAP_TILE_URL="")  # no tile requests leave this machine
class OfflineQueueTests(BrowserTestCase):
    def setUp(self) -> None:
        make_cast(self)
        self.context = self.browser.new_context(locale="nl-NL", viewport={"width": 360, "height": 740})
        client = Client()
        client.force_login(self.anna)
        self.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": self.live_server_url,
                }
            ]
        )
        self.page = self.context.new_page()

    def tearDown(self) -> None:
        self.context.close()

    def open_urgent_form(self) -> None:
        page = self.page
        page.goto(f"{self.live_server_url}/meldingen/nieuw/?community={self.buurt.code}&type=urgent")
        page.click("button[value=verdacht]")
        page.click("button[name=called_112][value=yes]")
        page.wait_for_selector("form[data-offline-queue]")
        # queue.js is deferred: the form can be in the DOM before the script has run, and the service worker
        # registered by the previous page is ready at once. Wait for both.
        page.wait_for_function("() => window.svReportQueue !== undefined")
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")

    def wait_for(self, predicate, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not self._holds(predicate):
            if time.monotonic() > deadline:
                self.fail("timed out")
            self.page.wait_for_timeout(200)

    @staticmethod
    def _holds(predicate) -> bool:
        """The test's in-memory SQLite database is shared with the live server's thread by table locks: a read
        while the server writes the report fails at once ("database table is locked") instead of waiting. Such a
        poll counts as not yet; the next one reads the committed state."""
        try:
            return predicate()
        except OperationalError as exc:
            if "table is locked" not in str(exc):
                raise
            return False

    def test_a_report_filed_offline_is_sent_once_back_online_and_the_browser_keeps_nothing(self) -> None:
        page = self.page
        self.open_urgent_form()
        page.fill("#id_what", "Twee mannen kijken bij auto's naar binnen.")
        page.fill("#id_persons_0_top", "zwarte jas")
        page.evaluate(
            "([lat, lon]) => { document.querySelector('input[name=lat]').value = lat;"
            " document.querySelector('input[name=lon]').value = lon; }",
            [str(NOORD_POINT["lat"]), str(NOORD_POINT["lon"])],
        )
        key = page.input_value("input[name=idempotency_key]")
        self.context.set_offline(True)
        page.click("[data-send]")
        page.wait_for_selector("[data-queue-status][data-state=queued]")
        self.assertTrue(page.is_visible("[data-queue-status]"))
        self.context.set_offline(False)
        self.wait_for(lambda: Report.objects.filter(idempotency_key=key).exists() and page.evaluate(QUEUE_LENGTH) == 0)
        page.wait_for_timeout(1000)  # a late second sender (service worker sync, online event) changes nothing
        self.wait_for(lambda: Report.objects.filter(idempotency_key=key).count() == 1)
        self.assertEqual(Report.objects.filter(idempotency_key=key).count(), 1)
        self.assertEqual(Report.objects.get(idempotency_key=key).persons.get().top, "zwarte jas")
        self.assertEqual(page.evaluate(QUEUE_LENGTH), 0)

    def test_an_online_submit_goes_to_the_confirmation(self) -> None:
        page = self.page
        self.open_urgent_form()
        page.fill("#id_what", "Iemand loopt aan deurklinken te voelen.")
        page.evaluate(
            "([lat, lon]) => { document.querySelector('input[name=lat]').value = lat;"
            " document.querySelector('input[name=lon]').value = lon; }",
            [str(NOORD_POINT["lat"]), str(NOORD_POINT["lon"])],
        )
        with page.expect_navigation(url="**/verstuurd/"):
            page.click("[data-send]")
        self.assertEqual(Report.objects.count(), 1)
        self.assertTrue(page.is_visible("a[href^='https://wa.me/?text=']"))

    def test_logging_out_empties_the_queue(self) -> None:
        page = self.page
        self.open_urgent_form()
        page.evaluate(
            "() => window.svReportQueue.put({key: 'k1', url: '/meldingen/nieuw/', entries: [['what', 'privé']],"
            " what: 'privé', status: 'rejected', error: 'x'})"
        )
        self.assertEqual(page.evaluate(QUEUE_LENGTH), 1)
        with page.expect_navigation():
            page.click("form[data-logout] button")
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        names = page.evaluate("() => indexedDB.databases().then(list => list.map(db => db.name))")
        self.assertNotIn("sv-reports", names)
        self.assertEqual(page.evaluate("() => document.body.dataset.signedIn"), "0")

"""The reporting loop in a real browser at 360 px wide (issue 4, "Done when"): a resident files an urgent report,
the wijkagent signs in with her authenticator app, finds it in her inbox, moves it to "in progress", gives
feedback and closes it, and the resident reads the feedback under "Mijn meldingen". Debian's headless Chromium
through Playwright; every page is also checked for Content Security Policy violations."""

import re

import pytest
from django.test import override_settings
from django.utils import translation
from playwright.sync_api import expect

from samenveilig.accounts.tests.helpers import totp_code, verified
from samenveilig.core.testing import make_cast
from samenveilig.core.tests.browser import BrowserTestCase
from samenveilig.reports.models import Report, ReportStatus

WHAT = "Twee personen lopen langs de achterdeuren en voelen aan de deurklinken."
FEEDBACK = "Bedankt! We zijn direct langs geweest en hebben de twee aangesproken."


def t(message: str) -> str:
    """A message as the Dutch-first pages show it (the English msgid until the catalogue has it)."""
    with translation.override("nl"):
        return translation.gettext(message)


@pytest.mark.browser
@override_settings(MAP_TILE_URL="")  # no tile requests leave this machine
class ReportingLoopBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        make_cast(self)
        verified(self.anna)
        verified(self.wendy)
        self.csp_errors: list[str] = []

    def _page(self):
        context = self.browser.new_context(locale="nl-NL", viewport={"width": 360, "height": 780})
        self.addCleanup(context.close)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on(
            "console",
            lambda msg: self.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        return page

    def _sign_in(self, page, user, *, totp: bool = False) -> None:
        page.goto(self.live_server_url + "/accounts/login/")
        page.locator("main input[name=login]").fill(user.email)
        page.locator("main input[name=password]").fill("correct-horse-battery")
        with page.expect_navigation():
            page.locator("main form[method=post] [type=submit]").first.click()
        if totp:
            page.locator("main input[name=code]").fill(totp_code(user))
            with page.expect_navigation():
                page.locator("main form[method=post] [type=submit]").first.click()
        self.assertNotIn("/accounts/login", page.url)

    def _no_horizontal_scroll(self, page) -> None:
        width = page.evaluate("document.documentElement.scrollWidth")
        self.assertLessEqual(width, 360, f"{page.url} is {width}px wide at a 360px viewport")

    def _file_urgent_report(self, page) -> Report:
        page.goto(self.live_server_url + "/meldingen/nieuw/")
        page.locator("input[name=type][value=urgent]").check()
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        with page.expect_navigation():
            page.locator("button[name=urgency][value=verdacht]").click()
        expect(page.locator("a[href='tel:112']").first).to_be_visible()
        with page.expect_navigation():
            page.locator("button[name=called_112][value=yes]").click()
        page.locator("#id_what").fill(WHAT)
        lat, lon = page.locator("#id_lat"), page.locator("#id_lon")
        if lat.is_visible():
            lat.fill("52.095")
            lon.fill("5.11")
        else:  # the map replaces the coordinates: tap the middle of the community's area
            page.locator("[data-pick-map]").click()
        self._no_horizontal_scroll(page)
        page.locator("[data-send]").click()
        page.wait_for_url(re.compile(r"/meldingen/[0-9a-f-]{36}/verstuurd/"))
        self.assertIn(t("Thank you: your report has been sent"), page.locator("h1").inner_text())
        return Report.objects.get()

    def test_a_resident_reports_the_wijkagent_handles_it_and_the_resident_reads_the_feedback(self) -> None:
        # 1. Anna files an urgent report on her phone.
        anna = self._page()
        self._sign_in(anna, self.anna)
        report = self._file_urgent_report(anna)
        self.assertEqual((report.type, report.status, report.called_112), ("urgent", "received", True))

        # 2. Wendy signs in with password and authenticator code and finds it in her inbox.
        wendy = self._page()
        self._sign_in(wendy, self.wendy, totp=True)
        wendy.goto(self.live_server_url + "/meldingen/inbox/")
        self._no_horizontal_scroll(wendy)
        card = wendy.locator(".sv-inbox-list li", has_text=WHAT[:40])
        self.assertEqual(card.count(), 1)
        self.assertIn(str(t("received")).capitalize(), card.inner_text())
        with wendy.expect_navigation():
            card.locator("a").first.click()
        self.assertIn(WHAT, wendy.locator("main").inner_text())
        expect(wendy.locator(".sv-report-map.leaflet-container")).to_be_visible()  # the point on a map
        self._no_horizontal_scroll(wendy)

        # 3. received → in progress (the only next status offered).
        options = wendy.locator("#transition_status option").all_inner_texts()
        self.assertEqual(options, [str(t("in progress")).capitalize()])
        with wendy.expect_navigation():
            wendy.locator("#status button[type=submit]").click()
        self.assertIn(str(t("in progress")).capitalize(), wendy.locator("main .sv-status").first.inner_text())

        # 4. Closing before any feedback asks for a confirmation; she gives feedback instead, then closes.
        wendy.locator("#transition_status").select_option("closed")
        wendy.locator("#transition_outcome").select_option("solved")
        with wendy.expect_navigation():
            wendy.locator("#status button[type=submit]").click()
        expect(wendy.get_by_label(t("Close without feedback"))).to_be_visible()
        wendy.locator("#feedback_to_reporter").fill(FEEDBACK)
        with wendy.expect_navigation():
            wendy.locator("#feedback button[type=submit]").click()
        self.assertIn(FEEDBACK, wendy.locator(".sv-timeline").inner_text())
        wendy.locator("#transition_status").select_option("closed")
        wendy.locator("#transition_outcome").select_option("solved")
        with wendy.expect_navigation():
            wendy.locator("#status button[type=submit]").click()
        self.assertIn(str(t("closed")).capitalize(), wendy.locator("main .sv-status").first.inner_text())
        report.refresh_from_db()
        self.assertEqual((report.status, report.outcome), (ReportStatus.CLOSED, "solved"))

        # 5. Anna sees the feedback and the closed status under "Mijn meldingen".
        anna.goto(self.live_server_url + "/meldingen/")
        self._no_horizontal_scroll(anna)
        with anna.expect_navigation():
            anna.locator(f"main a[href$='/meldingen/{report.code}/']").first.click()
        main = anna.locator("main").inner_text()
        self.assertIn(FEEDBACK, main)
        self.assertIn(str(t("closed")), main.lower())
        self._no_horizontal_scroll(anna)

        self.assertEqual(self.csp_errors, [])

"""Accessibility: axe-core (WCAG 2.1 A and AA rules) over every page, signed out and in, error states included,
in Debian's headless Chromium. The same run fails on any Content Security Policy violation the browser reports."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from samenveilig.core.testing import make_cast
from samenveilig.core.tests.browser import BrowserTestCase

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass(frozen=True)
class Visit:
    name: str
    path: str
    who: str | None = None
    submit: str | None = None  # CSS selector of a form to submit empty/invalid first (error state)
    status: int = 200  # of the first answer (before any submit)


def visits(cast) -> list[Visit]:
    noord = cast.buurt
    invite = cast.invite
    return [
        Visit("home", "/"),
        Visit("home signed in", "/", "anna"),
        Visit("communities", "/communities/"),
        Visit("communities signed in", "/communities/", "cor"),
        Visit("community public", f"/communities/{noord.slug}/"),
        Visit("community member view", f"/communities/{noord.slug}/", "anna"),
        Visit("community coordinator view", f"/communities/{noord.slug}/", "cor"),
        Visit("community partner view", f"/communities/{noord.slug}/", "wendy"),
        Visit("community members", f"/communities/{noord.slug}/leden/", "cor"),
        Visit("community invites", f"/communities/{noord.slug}/uitnodigingen/", "cor"),
        Visit("community rules", f"/communities/{noord.slug}/spelregels/", "cor"),
        Visit("community phase", f"/communities/{noord.slug}/fase/", "fenna"),
        Visit("community create", "/communities/nieuw/", "olaf"),
        Visit("community create errors", "/communities/nieuw/", "olaf", submit="main form[method=post]"),
        Visit("invite join signed out", f"/communities/uitnodiging/{invite.token}/"),
        Visit("invite join", f"/communities/uitnodiging/{invite.token}/", "olaf"),
        Visit(
            "invite join errors", f"/communities/uitnodiging/{invite.token}/", "olaf", submit="main form[method=post]"
        ),
        Visit("community pending", f"/communities/{noord.slug}/aanmeldingen/", "cor"),
        Visit("member remove", f"/communities/{noord.slug}/leden/{cast.anna_membership.code}/verwijderen/", "cor"),
        Visit(
            "member remove errors",
            f"/communities/{noord.slug}/leden/{cast.anna_membership.code}/verwijderen/",
            "cor",
            submit="main form[method=post]",
        ),
        Visit("areas", "/gebieden/"),
        Visit("area lookup", "/gebieden/punt/"),
        Visit("area lookup errors", "/gebieden/punt/?lat=91&lon=abc", status=422),
        Visit("profile errors", "/accounts/profiel/", "anna", submit="main form[action$='/woonadres/']"),
        Visit("area detail", f"/gebieden/{cast.noord.code}/"),
        Visit("login", "/accounts/login/"),
        Visit("login errors", "/accounts/login/", submit="main form[method=post]"),
        Visit("login by code", "/accounts/login/code/"),
        Visit("signup", "/accounts/signup/"),
        Visit("signup errors", "/accounts/signup/", submit="main form[method=post]"),
        Visit("password reset", "/accounts/password/reset/"),
        Visit("profile", "/accounts/profiel/", "anna"),
        Visit("organisation", f"/accounts/organisaties/{cast.police.code}/", "wendy"),
        Visit("two-factor setup", "/accounts/2fa/totp/activate", "olaf"),
        Visit("report choose", "/meldingen/nieuw/", "anna"),
        Visit("report urgency", f"/meldingen/nieuw/?community={noord.code}&type=urgent", "anna"),
        Visit(
            "report call 112", f"/meldingen/nieuw/?community={noord.code}&type=urgent&urgency=levensbedreigend", "anna"
        ),
        Visit(
            "report form",
            f"/meldingen/nieuw/?community={noord.code}&type=urgent&urgency=verdacht&called_112=no",
            "anna",
        ),
        Visit(
            "report form errors",
            f"/meldingen/nieuw/?community={noord.code}&type=urgent&urgency=verdacht&called_112=yes",
            "anna",
            submit="main form[data-offline-queue]",
        ),
        Visit("report form nuisance", f"/meldingen/nieuw/?community={noord.code}&type=overlast", "anna"),
        Visit("report sent", f"/meldingen/{cast.report.code}/verstuurd/", "anna"),
        Visit("my reports", "/meldingen/", "anna"),
        Visit("report as reporter", f"/meldingen/{cast.report.code}/", "anna"),
        Visit("report as member", f"/meldingen/{cast.report.code}/", "ivo"),
        Visit("messages", "/berichten/", "cor"),
        Visit("delivery settings", "/berichten/instellingen/", "cor"),
        Visit("delivery operations", "/berichten/bezorging/", "root"),
        Visit("delivery history", f"/berichten/bezorging/?persoon={cast.anna.email}", "root"),
        Visit("not found", "/bestaat-niet/", status=404),
        *inbox_visits(cast),
        *conversation_visits(cast),
        *alert_visits(cast),
    ]


def alert_visits(cast) -> list[Visit]:
    """The alert pages (issue 7): the list, sending (with its errors), the sender's console with an answer, the
    recipient's view."""
    from samenveilig.accounts.services import residence_set
    from samenveilig.alerts import services as alerts
    from samenveilig.alerts.tests.factories import CENTRE, send

    residence_set(
        user=cast.anna,
        street="Dorpsstraat",
        house_number="1",
        postcode="3511 AB",
        city="Testdorp",
        lat=52.091,
        lon=5.111,
    )
    alert = send(cast.wendy, lat=CENTRE[0], lon=CENTRE[1], radius_m=1000)
    alerts.alert_respond(alert=alert, responder=cast.anna, kind="seen", text="Bij de speeltuin.", lat=52.0912, lon=5.11)
    return [
        Visit("alerts", "/oproepen/", "anna"),
        Visit("alert send", "/oproepen/nieuw/", "wendy"),
        Visit("alert send errors", "/oproepen/nieuw/", "wendy", submit="main form[data-alert-form]"),
        Visit("alert console", f"/oproepen/{alert.code}/", "wendy"),
        Visit("alert as recipient", f"/oproepen/{alert.code}/", "anna"),
    ]


def conversation_visits(cast) -> list[Visit]:
    """The conversation and conduct pages (issue 5): a stream with a shared report and partner feedback, the kind
    prompt, the queue, conduct steps and appeals, and the municipality's overview of signals."""
    from samenveilig.conversation import services as conversation
    from samenveilig.moderation import services as moderation

    slug = cast.buurt.slug
    conversation.post_create(community=cast.buurt, author=cast.ivo, text="Het hek van de school stond open, dicht.")
    prompted = conversation.post_create(community=cast.buurt, author=cast.anna, text="Die donkere man weer, eng")
    for _ in range(3):
        held = conversation.post_create(community=cast.buurt, author=cast.ivo, text="Die donkere man weer, eng")
        conversation.post_send_anyway(post=held, by=cast.ivo)
    anna = cast.buurt.memberships.get(user=cast.anna)
    step = moderation.conduct_step_take(membership=anna, by=cast.cor, kind="request", message="Let op de toon.")
    moderation.appeal_file(step=step, by=cast.anna, text="Ik bedoelde het anders.")
    return [
        Visit("conversation", f"/communities/{slug}/gesprek/", "anna"),
        Visit("conversation errors", f"/communities/{slug}/gesprek/", "anna", submit="main form[enctype]"),
        Visit("kind prompt", f"/communities/{slug}/gesprek/{prompted.code}/", "anna"),
        Visit("queue", f"/communities/{slug}/gesprek/wachtrij/", "cor"),
        Visit("my conduct", "/gedrag/", "anna"),
        Visit("member conduct", f"/communities/{slug}/leden/{anna.code}/gedrag/", "cor"),
        Visit("appeals", f"/communities/{slug}/bezwaren/", "fenna"),
        Visit("moderation settings", f"/communities/{slug}/moderatie/", "cor"),
        Visit("signals", "/signalen/", "mark"),
    ]


def inbox_visits(cast) -> list[Visit]:
    """The partner pages of reports (reports.inbox_views), with a report, a possible duplicate, an anonymous report
    and a one-time forward link to show."""
    from samenveilig.reports import services as report_services
    from samenveilig.reports.tests.factories import submit

    report = submit(cast.anna, cast.buurt)
    submit(cast.anna, cast.buurt, what="Twee mannen bij de fietsenstalling.")
    anonymous = submit(cast.anna, cast.buurt, anonymous=True)
    _link, token = report_services.report_forward(
        report=report,
        by=cast.wendy,
        organisation=cast.police,
        recipient="Woonstichting",
        message="Kunnen jullie kijken?",
    )
    inbox = f"/meldingen/inbox/{report.code}/"
    return [
        Visit("inbox", "/meldingen/inbox/", "wendy"),
        Visit("inbox errors", "/meldingen/inbox/?age=3", "wendy", status=422),
        Visit("inbox report", inbox, "wendy"),
        Visit("inbox report errors", inbox, "wendy", submit="main form[action$='/notitie/']"),
        Visit("inbox report admin", inbox, "root"),
        Visit("inbox deadlines", "/meldingen/inbox/termijnen/", "wendy"),
        Visit("routing rules", f"/meldingen/routering/{cast.buurt.code}/", "cor"),
        Visit("forward answer", f"/meldingen/extern/{token}/"),
        Visit("forward answer errors", f"/meldingen/extern/{token}/", submit="main form[method=post]"),
        Visit("forward gone", "/meldingen/extern/bestaat-niet-meer-want-al-gebruikt/", status=404),
        Visit("reveal reporter", f"/meldingen/inbox/{anonymous.code}/melder/", "root"),
        Visit(
            "reveal reporter errors",
            f"/meldingen/inbox/{anonymous.code}/melder/",
            "root",
            submit="main form[method=post]",
        ),
    ]


@pytest.mark.browser
@override_settings(MAP_TILE_URL="")  # no tile requests leave this machine
class AccessibilityScanTests(BrowserTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.axe_source = (Path(settings.NODE_MODULES_DIR) / "axe-core" / "axe.min.js").read_text()

    def setUp(self) -> None:
        make_cast(self)
        from samenveilig.communities import services

        self.invite = services.invite_create(community=self.buurt, by=self.cor)
        self.anna_membership = self.buurt.memberships.get(user=self.anna)
        from samenveilig.reports import services as report_services
        from samenveilig.reports.tests.factories import submit

        self.report = submit(self.anna, self.buurt, address="Kerkstraat 12")
        report_services.report_question_ask(
            report=self.report, by=self.wendy, organisation=self.police, text="Hoe laat?"
        )
        report_services.feedback_give(
            report=self.report, by=self.wendy, organisation=self.police, to_reporter="Bedankt.", to_community="Fijn."
        )

    def _context(self, who: str | None):
        context = self.browser.new_context(locale="nl-NL", viewport={"width": 360, "height": 780})
        if who:
            client = Client()
            client.force_login(getattr(self, who))
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": self.live_server_url,
                    }
                ]
            )
        return context

    def test_every_page_passes_axe_without_csp_violations(self) -> None:
        failures: list[str] = []
        for visit in visits(self):
            with self.subTest(page=visit.name):
                context = self._context(visit.who)
                page = context.new_page()
                csp_errors: list[str] = []
                page.on(
                    "console",
                    lambda msg, bucket=csp_errors: (
                        bucket.append(msg.text) if "Content Security Policy" in msg.text else None
                    ),
                )
                response = page.goto(self.live_server_url + visit.path)
                self.assertIsNotNone(response)
                self.assertEqual(response.status, visit.status, visit.name)
                if visit.submit:
                    # form.submit() skips the browser's own checks, so the server's error state is what we see
                    with page.expect_navigation():
                        page.locator(visit.submit).first.evaluate("form => form.submit()")
                page.evaluate(self.axe_source)
                result = page.evaluate(
                    "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
                )
                for violation in result["violations"]:
                    targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
                    failures.append(f"{visit.name}: {violation['id']} ({violation['impact']}): {targets}")
                failures.extend(f"{visit.name}: CSP: {text}" for text in csp_errors)
                context.close()
        self.assertEqual(failures, [], "\n".join(failures))

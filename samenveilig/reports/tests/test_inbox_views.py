"""The partner pages: the inbox, handling one report, deadlines, routing rules, forwarding and revealing."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from samenveilig.core.models import AuditEvent
from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.reports import services
from samenveilig.reports.models import (
    EventKind,
    Feedback,
    HandlingDeadline,
    Outcome,
    ReopenRequest,
    ReportEvent,
    ReportRoute,
    ReportStatus,
    RoutingRule,
)
from samenveilig.reports.tests.factories import submit


def t(message: str) -> str:
    """A message as the Dutch-first pages show it (the English msgid until the catalogue has it)."""
    with translation.override("nl"):
        return translation.gettext(message)


class InboxTestCase(SamenVeiligTestCase):
    def setUp(self) -> None:
        self.report = submit(self.anna, self.buurt, what="Iemand probeert fietsen open te breken bij de flat.")

    def detail(self, who: str | None, report=None):
        self.login_as(who)
        return self.client.get(reverse("inbox:detail", args=[(report or self.report).code]))

    def post(self, name: str, data: dict, report=None, **kwargs):
        return self.client.post(reverse(f"inbox:{name}", args=[(report or self.report).code], **kwargs), data)

    def move(self, status: str, **extra) -> None:
        services.report_transition(report=self.report, by=self.wendy, organisation=self.police, status=status, **extra)


class InboxListTests(InboxTestCase):
    def test_wendy_sees_the_routed_report_with_a_count(self) -> None:
        self.login_as("wendy")
        response = self.client.get(reverse("inbox:list"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "fietsen open te breken")
        self.assertContains(response, reverse("inbox:detail", args=[self.report.code]))
        self.assertEqual(response.context["count"], 1)

    def test_other_police_see_an_empty_inbox_and_residents_none_at_all(self) -> None:
        self.login_as("bob")
        response = self.client.get(reverse("inbox:list"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "fietsen open te breken")
        self.assertEqual(response.context["count"], 0)
        for who in ("anna", "cor", "olaf"):
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(self.client.get(reverse("inbox:list")).status_code, 404)
        self.login_as(None)
        self.assertEqual(self.client.get(reverse("inbox:list")).status_code, 302)

    def test_urgent_open_reports_come_first_then_newest(self) -> None:
        newer = submit(self.anna, self.buurt, "overlast", what="Harde muziek in het park.")
        self.move(ReportStatus.IN_PROGRESS)
        self.login_as("mark")  # the municipality receives nuisance, not urgent reports
        self.assertEqual([r["report"] for r in self.client.get(reverse("inbox:list")).context["rows"]], [newer])
        self.login_as("wendy")
        rows = self.client.get(reverse("inbox:list")).context["rows"]
        self.assertEqual([r["report"] for r in rows], [self.report])

    def test_filters_by_type_status_community_age_and_overdue(self) -> None:
        HandlingDeadline.objects.create(organisation=self.police, type="urgent", hours=4)
        late = submit(self.anna, self.buurt, what="Verdachte auto rijdt rondjes.")
        ReportRoute.objects.filter(report=late, organisation=self.police).update(
            due_at=timezone.now() - timedelta(hours=1)
        )
        self.move(ReportStatus.IN_PROGRESS)
        self.login_as("wendy")

        def shown(**query):
            response = self.client.get(reverse("inbox:list"), query)
            self.assertEqual(response.status_code, 200)
            return [r["report"] for r in response.context["rows"]]

        self.assertEqual(shown(status="in_progress"), [self.report])
        self.assertEqual(shown(status="received"), [late])
        self.assertEqual(shown(overdue="on"), [late])
        self.assertEqual(shown(type="overlast"), [])
        self.assertEqual(shown(community=str(self.buurt.code), age="1"), [late, self.report])
        response = self.client.get(reverse("inbox:list"), {"overdue": "on"})
        self.assertContains(response, t("Overdue"))
        self.assertEqual(self.client.get(reverse("inbox:list"), {"age": "3"}).status_code, 422)
        self.assertEqual(self.client.get(reverse("inbox:list"), {"community": "elders"}).status_code, 422)

    def test_pending_requests_to_reopen_are_listed_on_top(self) -> None:
        self.move(ReportStatus.IN_PROGRESS)
        feedback = services.feedback_give(report=self.report, by=self.wendy, organisation=self.police, to_reporter="Ok")
        self.move(ReportStatus.CLOSED, outcome=Outcome.SOLVED)
        services.feedback_rate(feedback=feedback, helpful=False, reason="Er is niets veranderd")
        self.login_as("wendy")
        response = self.client.get(reverse("inbox:list"))
        self.assertContains(response, "Er is niets veranderd")
        content = response.content.decode()
        self.assertLess(content.index('id="reopen-heading"'), content.index('id="reports-heading"'))


class DetailAccessTests(InboxTestCase):
    def test_who_may_open_the_report_in_the_inbox(self) -> None:
        expected = {"wendy": 200, "root": 200, "bob": 404, "anna": 404, "cor": 404, "mark": 404, "olaf": 404}
        for who, status in expected.items():
            with self.subTest(who=who):
                self.assertEqual(self.detail(who).status_code, status)
        self.assertEqual(self.detail(None).status_code, 302)

    def test_wendy_sees_the_map_the_details_the_routes_and_the_forms(self) -> None:
        response = self.detail("wendy")
        self.assertTrue(response.context["can_handle"])
        content = response.content.decode()
        self.assertIn(f'data-lat="{self.report.lat:f}"', content)
        self.assertIn("zwarte hoodie", content)  # the person described
        self.assertIn("Politie basisteam Testdorp", content)  # routed to
        for name in ("transition", "feedback", "note", "question", "forward", "contact"):
            self.assertIn(f'action="{reverse(f"inbox:{name}", args=[self.report.code])}"', content)
        self.assertNotIn("anna@example.org", content)  # contact only on request

    def test_only_the_allowed_next_statuses_are_offered(self) -> None:
        form = self.detail("wendy").context["transition_form"]
        self.assertEqual([v for v, _label in form.fields["status"].widget.choices], ["in_progress"])

    def test_an_admin_sees_it_read_only_and_may_not_handle(self) -> None:
        response = self.detail("root")
        self.assertFalse(response.context["can_handle"])
        self.assertNotContains(response, reverse("inbox:transition", args=[self.report.code]))
        response = self.post("transition", {"status": "in_progress"})
        self.assertEqual(response.status_code, 403)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.RECEIVED)

    def test_handling_posts_by_the_wrong_people_are_404(self) -> None:
        forms = {
            "transition": {"status": "in_progress"},
            "feedback": {"to_reporter": "Hallo"},
            "note": {"text": "Notitie"},
            "question": {"text": "Vraag?"},
            "forward": {"recipient": "Woonstichting"},
            "contact": {},
        }
        for who in ("bob", "anna", "cor", "olaf"):
            self.login_as(who)
            for name, data in forms.items():
                with self.subTest(who=who, form=name):
                    self.assertEqual(self.post(name, data).status_code, 404)
        self.assertEqual(ReportEvent.objects.filter(report=self.report).count(), 1)  # only "submitted"
        self.assertFalse(AuditEvent.objects.filter(action="report.reporter_read").exists())

    def test_contact_details_show_on_request_and_the_read_is_logged(self) -> None:
        self.detail("wendy")
        self.assertFalse(AuditEvent.objects.filter(action="report.reporter_read").exists())
        response = self.post("contact", {})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "anna@example.org")
        self.assertContains(response, "Anna Jansen")
        self.assertEqual(AuditEvent.objects.filter(action="report.reporter_read").count(), 1)

    def test_an_anonymous_report_shows_no_reporter(self) -> None:
        anonymous = submit(self.anna, self.buurt, anonymous=True)
        response = self.detail("wendy", anonymous)
        self.assertContains(response, t("Anonymous report"))
        self.assertNotContains(response, reverse("inbox:contact", args=[anonymous.code]))
        response = self.post("contact", {}, report=anonymous)
        self.assertNotContains(response, "anna@example.org")
        self.assertNotContains(response, "Jansen")

    def test_possible_duplicates_are_shown_side_by_side(self) -> None:
        twin = submit(self.anna, self.buurt, what="Twee mannen bij de fietsenstalling.")
        response = self.detail("wendy")
        self.assertEqual(response.context["duplicates"], [twin])
        self.assertContains(response, "Twee mannen bij de fietsenstalling.")

    def test_a_note_and_a_question_are_added_and_an_empty_one_comes_back_with_its_message(self) -> None:
        self.detail("wendy")
        written = {
            "note": lambda text: ReportEvent.objects.filter(report=self.report, kind=EventKind.NOTE, text=text),
            "question": lambda text: self.report.questions.filter(text=text),
        }
        for name, text in (("note", "Buurman gesproken."), ("question", "Hoe laat was dit precies?")):
            with self.subTest(form=name):
                response = self.post(name, {"text": text})
                self.assertRedirects(response, reverse("inbox:detail", args=[self.report.code]))
                self.assertTrue(written[name](text).exists())
                empty = self.post(name, {"text": ""})
                self.assertEqual(empty.status_code, 422)
                self.assertTrue(empty.context[f"{name}_form"].errors)


class StatusFlowTests(InboxTestCase):
    def test_received_in_progress_feedback_and_closed(self) -> None:
        self.login_as("wendy")
        response = self.post("transition", {"status": "in_progress", "note": "Ik ga erheen."})
        self.assertRedirects(response, reverse("inbox:detail", args=[self.report.code]))
        response = self.post("feedback", {"to_reporter": "We hebben twee jongens aangesproken.", "to_community": ""})
        self.assertRedirects(response, reverse("inbox:detail", args=[self.report.code]))
        response = self.post("transition", {"status": "closed", "outcome": "solved"})
        self.assertRedirects(response, reverse("inbox:detail", args=[self.report.code]))
        self.report.refresh_from_db()
        self.assertEqual((self.report.status, self.report.outcome), ("closed", "solved"))
        page = self.client.get(reverse("inbox:detail", args=[self.report.code]))
        self.assertContains(page, "We hebben twee jongens aangesproken.")
        self.assertContains(page, "Ik ga erheen.")  # the internal note is in the partner's history
        self.assertNotEqual(page.context["closing"], "")
        self.assertNotEqual(page.context["first_response"], "")

    def test_closing_without_feedback_asks_for_a_confirmation(self) -> None:
        self.move(ReportStatus.IN_PROGRESS)
        self.login_as("wendy")
        response = self.post("transition", {"status": "closed", "outcome": "no_action"})
        self.assertEqual(response.status_code, 409)
        self.assertIn("confirm_without_feedback", response.context["transition_form"].fields)
        self.assertContains(response, t("Close without feedback"), status_code=409)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.IN_PROGRESS)
        response = self.post(
            "transition", {"status": "closed", "outcome": "no_action", "confirm_without_feedback": "on"}
        )
        self.assertRedirects(response, reverse("inbox:detail", args=[self.report.code]))
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.CLOSED)

    def test_an_invalid_transition_shows_the_reason_and_changes_nothing(self) -> None:
        self.login_as("wendy")
        response = self.post("transition", {"status": "closed", "outcome": "solved"})
        self.assertEqual(response.status_code, 409)
        errors = response.context["transition_form"].non_field_errors()
        self.assertTrue(any(str(ReportStatus.IN_PROGRESS.label) in e for e in errors), errors)
        self.assertContains(response, escape(str(errors[0]).split(";")[0]), status_code=409)  # as the page escapes it
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.RECEIVED)

    def test_closing_needs_an_outcome(self) -> None:
        self.move(ReportStatus.IN_PROGRESS)
        self.login_as("wendy")
        response = self.post("transition", {"status": "closed", "confirm_without_feedback": "on"})
        self.assertEqual(response.status_code, 422)
        self.assertTrue(response.context["transition_form"].errors["outcome"])

    def test_empty_feedback_note_and_question_are_refused(self) -> None:
        self.login_as("wendy")
        self.assertEqual(self.post("feedback", {"to_reporter": "", "to_community": ""}).status_code, 422)
        self.assertEqual(self.post("note", {"text": ""}).status_code, 422)
        self.assertEqual(self.post("question", {"text": " "}).status_code, 422)
        self.assertFalse(Feedback.objects.exists())

    def test_a_note_stays_internal_and_a_question_reaches_the_reporter(self) -> None:
        self.login_as("wendy")
        self.post("note", {"text": "Bekende situatie, buurman gebeld."})
        self.post("question", {"text": "Welke kant liepen ze op?"})
        note = ReportEvent.objects.get(report=self.report, kind=EventKind.NOTE)
        self.assertTrue(note.internal)
        self.assertTrue(self.report.questions.filter(text="Welke kant liepen ze op?").exists())

    def test_a_request_to_reopen_is_decided(self) -> None:
        self.move(ReportStatus.IN_PROGRESS)
        feedback = services.feedback_give(report=self.report, by=self.wendy, organisation=self.police, to_reporter="Ok")
        self.move(ReportStatus.CLOSED, outcome=Outcome.SOLVED)
        services.feedback_rate(feedback=feedback, helpful=False, reason="Nog steeds last")
        request = ReopenRequest.objects.get()
        self.login_as("bob")
        response = self.client.post(
            reverse("inbox:reopen", args=[self.report.code, request.pk]), {"decision": "reopen"}
        )
        self.assertEqual(response.status_code, 404)
        self.login_as("wendy")
        response = self.client.post(
            reverse("inbox:reopen", args=[self.report.code, request.pk]), {"decision": "decline"}
        )
        self.assertEqual(response.status_code, 422)  # declining needs a reason
        response = self.client.post(
            reverse("inbox:reopen", args=[self.report.code, request.pk]), {"decision": "reopen"}
        )
        self.assertRedirects(response, reverse("inbox:detail", args=[self.report.code]))
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.REOPENED)


class ForwardTests(InboxTestCase):
    def test_the_link_is_shown_once_answered_once_then_gone(self) -> None:
        self.login_as("wendy")
        response = self.post("forward", {"recipient": "Woonstichting De Buurt", "message": "Kunnen jullie kijken?"})
        self.assertEqual(response.status_code, 200)
        url = response.context["forward_url"]
        self.assertTrue(url.startswith("http://testserver/meldingen/extern/"), url)
        self.assertContains(response, url)
        self.assertNotContains(self.client.get(reverse("inbox:detail", args=[self.report.code])), url)

        path = re.sub(r"^http://testserver", "", url)
        self.login_as(None)
        page = self.client.get(path)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "fietsen open te breken")
        self.assertContains(page, "Kunnen jullie kijken?")
        for secret in ("Anna", "anna@example.org", "Jansen"):
            self.assertNotContains(page, secret)
        self.assertEqual(self.client.post(path, {"text": ""}).status_code, 422)
        response = self.client.post(path, {"text": "We sturen morgen iemand langs."})
        self.assertEqual(response.status_code, 200)
        answer = ReportEvent.objects.get(report=self.report, kind=EventKind.FORWARD_ANSWER)
        self.assertEqual(answer.text, "We sturen morgen iemand langs.")
        self.assertTrue(answer.internal)

        gone = self.client.get(path)
        self.assertEqual(gone.status_code, 404)
        self.assertContains(gone, t("This link no longer works"), status_code=404)
        self.assertEqual(self.client.post(path, {"text": "Nog een keer"}).status_code, 404)
        self.assertEqual(ReportEvent.objects.filter(kind=EventKind.FORWARD_ANSWER).count(), 1)

    def test_an_unknown_token_is_a_friendly_404(self) -> None:
        response = self.client.get(reverse("inbox:forward_answer", args=["x" * 43]))
        self.assertContains(response, t("This link no longer works"), status_code=404)

    def test_forwarding_needs_a_recipient(self) -> None:
        self.login_as("wendy")
        self.assertEqual(self.post("forward", {"recipient": ""}).status_code, 422)


class DeadlineTests(InboxTestCase):
    def test_wendy_sets_the_deadlines_of_her_organisation(self) -> None:
        self.login_as("wendy")
        response = self.client.get(reverse("inbox:deadlines"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Politie basisteam Testdorp")
        prefix = str(self.police.code)
        data = {"organisation": prefix, f"{prefix}-urgent": "4", f"{prefix}-overlast": "72"}
        response = self.client.post(reverse("inbox:deadlines"), data)
        self.assertRedirects(response, reverse("inbox:deadlines"))
        hours = dict(HandlingDeadline.objects.filter(organisation=self.police).values_list("type", "hours"))
        self.assertEqual(hours, {"urgent": 4, "overlast": 72})
        self.assertTrue(AuditEvent.objects.filter(action="deadline.change").exists())
        data[f"{prefix}-overlast"] = ""
        self.client.post(reverse("inbox:deadlines"), data)
        self.assertFalse(HandlingDeadline.objects.filter(organisation=self.police, type="overlast").exists())

    def test_bad_hours_and_foreign_organisations_are_refused(self) -> None:
        self.login_as("wendy")
        prefix = str(self.police.code)
        response = self.client.post(reverse("inbox:deadlines"), {"organisation": prefix, f"{prefix}-urgent": "0"})
        self.assertEqual(response.status_code, 422)
        other = str(self.other_police.code)
        response = self.client.post(reverse("inbox:deadlines"), {"organisation": other, f"{other}-urgent": "4"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(HandlingDeadline.objects.exists())

    def test_residents_have_no_deadlines_page(self) -> None:
        self.login_as("anna")
        self.assertEqual(self.client.get(reverse("inbox:deadlines")).status_code, 404)


class RoutingPageTests(SamenVeiligTestCase):
    def url(self) -> str:
        return reverse("inbox:routing", args=[self.buurt.code])

    def test_cor_sees_the_defaults_and_changes_a_rule(self) -> None:
        self.login_as("cor")
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertTrue(all(row["is_default"] for row in response.context["rows"]))
        data = {
            "rule_type": "overlast",
            "overlast-type": "overlast",
            "overlast-to_coordinators": "on",
            "overlast-partner_kinds": ["municipality", "police"],
        }
        response = self.client.post(self.url(), data)
        self.assertRedirects(response, self.url())
        rule = RoutingRule.objects.get(community=self.buurt, type="overlast")
        self.assertEqual(
            (rule.to_members, rule.to_coordinators, rule.partner_kinds), (False, True, ["municipality", "police"])
        )
        self.assertTrue(AuditEvent.objects.filter(action="routing.change").exists())

    def test_a_rule_without_recipients_is_refused(self) -> None:
        self.login_as("cor")
        response = self.client.post(self.url(), {"rule_type": "informatie", "informatie-type": "informatie"})
        self.assertEqual(response.status_code, 422)
        self.assertFalse(RoutingRule.objects.exists())

    def test_others_may_not_edit_the_rules(self) -> None:
        for who, status in {"anna": 403, "ivo": 403, "wendy": 403, "olaf": 404, "bob": 404}.items():
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(self.client.get(self.url()).status_code, status)
                data = {"rule_type": "urgent", "urgent-type": "urgent", "urgent-to_members": "on"}
                self.assertEqual(self.client.post(self.url(), data).status_code, status)
        self.assertFalse(RoutingRule.objects.exists())


class RevealTests(InboxTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.anonymous = submit(self.anna, self.buurt, anonymous=True)

    def url(self) -> str:
        return reverse("inbox:reveal", args=[self.anonymous.code])

    def test_only_root_opens_the_identity_and_it_is_audited(self) -> None:
        for who in ("wendy", "anna", "cor", "bob"):
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(self.client.get(self.url()).status_code, 404)
                self.assertEqual(self.client.post(self.url(), {"reason": "nieuwsgierig"}).status_code, 404)
        self.assertFalse(AuditEvent.objects.filter(action="report.reveal_reporter").exists())
        self.login_as("root")
        page = self.client.get(self.url())
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "anna@example.org")
        self.assertEqual(self.client.post(self.url(), {"reason": ""}).status_code, 422)
        response = self.client.post(self.url(), {"reason": "Melding van misbruik door de coordinator"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "anna@example.org")
        event = AuditEvent.objects.get(action="report.reveal_reporter")
        self.assertEqual(event.actor_id, self.root.pk)

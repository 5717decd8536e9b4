from datetime import timedelta

from django.utils import timezone

from samenveilig.communities.models import Partnership
from samenveilig.core.errors import Conflict, Invalid, NotFound
from samenveilig.core.models import AuditEvent
from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.notifications import selectors as inbox
from samenveilig.notifications.services import fan_out_pending
from samenveilig.reports import selectors, services
from samenveilig.reports.models import (
    EventKind,
    HandlingDeadline,
    Outcome,
    ReopenRequest,
    Report,
    ReportEvent,
    ReportRoute,
    ReportStatus,
)
from samenveilig.reports.tests.factories import submit


class TransitionTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        self.report = submit(self.anna, self.buurt)

    def move(self, status: str, **extra: object) -> None:
        services.report_transition(report=self.report, by=self.wendy, organisation=self.police, status=status, **extra)

    def test_the_happy_path_records_who_when_and_the_durations(self) -> None:
        self.move(ReportStatus.IN_PROGRESS)
        services.feedback_give(report=self.report, by=self.wendy, organisation=self.police, to_reporter="Bedankt!")
        self.move(ReportStatus.CLOSED, outcome=Outcome.SOLVED)
        self.report.refresh_from_db()
        self.assertEqual((self.report.status, self.report.outcome), (ReportStatus.CLOSED, Outcome.SOLVED))
        self.assertIsNotNone(self.report.first_response_at)
        durations = selectors.report_durations(self.report)
        self.assertGreaterEqual(durations.closing, durations.first_response)
        statuses = list(
            ReportEvent.objects.filter(report=self.report, kind=EventKind.STATUS).values_list(
                "status_from", "status_to", "actor__username"
            )
        )
        self.assertEqual(statuses, [("received", "in_progress", "wendy"), ("in_progress", "closed", "wendy")])

    def test_an_invalid_transition_is_refused_with_a_reason_and_changes_nothing(self) -> None:
        with self.assertRaises(Conflict) as caught:
            self.move(ReportStatus.CLOSED, outcome=Outcome.SOLVED)
        self.assertEqual(caught.exception.code, "report.invalid_transition")
        self.assertIn(str(ReportStatus.IN_PROGRESS.label), str(caught.exception.message))  # what is possible
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.RECEIVED)
        self.assertFalse(ReportEvent.objects.filter(report=self.report, kind=EventKind.STATUS).exists())

    def test_an_unknown_status_is_invalid(self) -> None:
        with self.assertRaises(Invalid):
            self.move("lost")

    def test_closing_needs_an_outcome(self) -> None:
        self.move(ReportStatus.IN_PROGRESS)
        with self.assertRaises(Invalid) as caught:
            self.move(ReportStatus.CLOSED, confirm_without_feedback=True)
        self.assertIn("outcome", caught.exception.fields)

    def test_closing_without_feedback_asks_for_confirmation(self) -> None:
        self.move(ReportStatus.IN_PROGRESS)
        with self.assertRaises(Conflict) as caught:
            self.move(ReportStatus.CLOSED, outcome=Outcome.NO_ACTION)
        self.assertEqual(caught.exception.code, "report.no_feedback")
        self.move(ReportStatus.CLOSED, outcome=Outcome.NO_ACTION, confirm_without_feedback=True)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.CLOSED)

    def test_closed_reports_reopen_and_go_back_into_progress(self) -> None:
        self.move(ReportStatus.IN_PROGRESS)
        self.move(ReportStatus.CLOSED, outcome=Outcome.DUPLICATE, confirm_without_feedback=True)
        self.move(ReportStatus.REOPENED)
        self.report.refresh_from_db()
        self.assertEqual((self.report.outcome, self.report.closed_at), ("", None))
        self.move(ReportStatus.IN_PROGRESS)
        with self.assertRaises(Conflict):
            self.move(ReportStatus.REOPENED)

    def test_the_reporter_hears_of_every_status_change(self) -> None:
        self.move(ReportStatus.IN_PROGRESS)
        titles = [n.title for n in map(inbox.notification_view, inbox.notifications_for(viewer=self.anna))]
        self.assertEqual(len(titles), 1)
        self.assertIn("behandeling", titles[0])


class FeedbackTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        self.report = submit(self.anna, self.buurt)

    def test_feedback_reaches_the_reporter_and_the_general_part_the_community(self) -> None:
        services.feedback_give(
            report=self.report,
            by=self.wendy,
            organisation=self.police,
            to_reporter="We hebben twee jongens aangesproken.",
            to_community="Dank voor de oplettendheid in de buurt.",
        )
        fan_out_pending()
        anna = [n.kind for n in inbox.notifications_for(viewer=self.anna)]
        cor = [n.kind for n in inbox.notifications_for(viewer=self.cor)]
        self.assertEqual(anna, ["report.feedback"])
        self.assertIn("report.community_feedback", cor)
        member_view = selectors.report_timeline(self.report, view="member")
        feedback = [e for e in member_view if e.kind == EventKind.FEEDBACK]
        self.assertEqual(feedback[0].community_text, "Dank voor de oplettendheid in de buurt.")

    def test_empty_feedback_is_refused(self) -> None:
        with self.assertRaises(Invalid):
            services.feedback_give(report=self.report, by=self.wendy, organisation=self.police)

    def test_a_negative_rating_on_a_closed_report_asks_the_partner_to_reopen(self) -> None:
        feedback = services.feedback_give(
            report=self.report, by=self.wendy, organisation=self.police, to_reporter="Opgelost."
        )
        for status, extra in [("in_progress", {}), ("closed", {"outcome": Outcome.SOLVED})]:
            services.report_transition(
                report=self.report, by=self.wendy, organisation=self.police, status=status, **extra
            )
        services.feedback_rate(feedback=feedback, helpful=False, reason="Ze staan er nog steeds.")
        request = ReopenRequest.objects.get(report=self.report)
        fan_out_pending()
        self.assertIn("report.reopen_request", [n.kind for n in inbox.notifications_for(viewer=self.wendy)])
        self.assertEqual(list(selectors.pending_reopen_requests(self.wendy)), [request])
        services.reopen_decide(request=request, by=self.wendy, organisation=self.police, reopen=True)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.REOPENED)
        with self.assertRaises(Conflict):
            services.reopen_decide(request=request, by=self.wendy, organisation=self.police, reopen=False, note="x")

    def test_a_positive_rating_asks_nothing(self) -> None:
        feedback = services.feedback_give(report=self.report, by=self.wendy, organisation=self.police, to_reporter="Ok")
        services.feedback_rate(feedback=feedback, helpful=True)
        self.assertFalse(ReopenRequest.objects.exists())


class PartnerToolsTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        self.report = submit(self.anna, self.buurt)

    def test_notes_are_internal(self) -> None:
        services.report_note_add(report=self.report, by=self.wendy, organisation=self.police, text="Bekend adres.")
        partner = [e.kind for e in selectors.report_timeline(self.report, view="partner")]
        reporter = [e.kind for e in selectors.report_timeline(self.report, view="reporter")]
        member = [e.kind for e in selectors.report_timeline(self.report, view="member")]
        self.assertIn(EventKind.NOTE, partner)
        self.assertNotIn(EventKind.NOTE, reporter + member)

    def test_a_question_is_answered_once_by_the_reporter(self) -> None:
        question = services.report_question_ask(
            report=self.report, by=self.wendy, organisation=self.police, text="Welke kant liepen ze op?"
        )
        self.assertTrue(selectors.reports_of_reporter(self.anna).get().open_questions)
        services.question_answer(question=question, text="Richting het park.")
        self.assertIn("report.answer", [n.kind for n in inbox.notifications_for(viewer=self.wendy)])
        with self.assertRaises(Conflict):
            services.question_answer(question=question, text="Nog iets.")

    def test_a_forward_link_is_answered_once_and_comes_back_into_the_history(self) -> None:
        link, token = services.report_forward(
            report=self.report, by=self.wendy, organisation=self.police, recipient="Beveiliging winkelcentrum"
        )
        self.assertNotIn(token, link.token_hash)
        services.forward_answer(token=token, text="Camerabeelden bewaard tot vrijdag.")
        events = selectors.report_timeline(self.report, view="partner")
        self.assertEqual(events[-1].kind, EventKind.FORWARD_ANSWER)
        with self.assertRaises(NotFound):
            services.forward_answer(token=token, text="Nog een keer")

    def test_an_expired_forward_link_is_not_found(self) -> None:
        link, token = services.report_forward(
            report=self.report, by=self.wendy, organisation=self.police, recipient="Buurman"
        )
        type(link).objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        with self.assertRaises(NotFound):
            services.forward_by_token(token)

    def test_a_deadline_marks_overdue_reports(self) -> None:
        services.deadline_set(organisation=self.police, report_type="urgent", hours=4, by=self.wendy)
        late = submit(self.anna, self.buurt)
        type(late).objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(hours=5))
        late.routes.filter(organisation=self.police).update(due_at=timezone.now() - timedelta(hours=1))
        inbox_items = {r.pk: selectors.is_overdue(r) for r in selectors.reports_for_inbox(viewer=self.wendy)}
        self.assertEqual(inbox_items, {late.pk: True, self.report.pk: False})
        self.assertEqual(HandlingDeadline.objects.get().hours, 4)
        self.assertEqual([r.pk for r in selectors.reports_for_inbox(viewer=self.wendy, overdue=True)], [late.pk])

    def test_reports_nearby_of_the_same_type_are_possible_duplicates(self) -> None:
        near = submit(self.ivo, self.buurt, lat=self.report.lat + 0.0002)  # about 22 m north
        submit(self.cor, self.buurt, lat=self.report.lat + 0.002)  # about 220 m: not a duplicate
        submit(self.cor, self.buurt, type="overlast")  # same place, other type
        self.assertEqual(selectors.possible_duplicates(report=self.report, viewer=self.wendy), [near])
        self.assertEqual(selectors.possible_duplicates(report=self.report, viewer=self.bob), [])

    def test_admins_open_the_sealed_link_of_an_anonymous_report_and_it_is_logged(self) -> None:
        anonymous = submit(self.anna, self.buurt, anonymous=True)
        person = services.report_reveal_reporter(report=anonymous, by=self.root, reason="Misbruik: 20 nepmeldingen")
        self.assertEqual(person, self.anna)
        event = AuditEvent.objects.get(action="report.reveal_reporter")
        self.assertEqual((event.actor, event.data["reason"]), (self.root, "Misbruik: 20 nepmeldingen"))


class RoutingRuleTests(SamenVeiligTestCase):
    def test_a_changed_rule_routes_new_reports_and_is_logged(self) -> None:
        services.routing_rule_set(
            community=self.buurt,
            report_type="informatie",
            by=self.cor,
            to_members=False,
            to_coordinators=True,
            to_initiators=False,
            partner_kinds=["municipality"],
        )
        report = submit(self.anna, self.buurt, type="informatie")
        self.assertEqual(
            set(report.routes.values_list("audience", "organisation_id")),
            {("coordinators", None), ("organisation", self.gemeente.pk)},
        )
        event = AuditEvent.objects.get(action="routing.change")
        self.assertEqual(event.data["before"]["partner_kinds"], [])
        self.assertEqual(event.data["after"]["partner_kinds"], ["municipality"])

    def test_a_rule_must_reach_somebody(self) -> None:
        with self.assertRaises(Invalid):
            services.routing_rule_set(
                community=self.buurt,
                report_type="urgent",
                by=self.cor,
                to_members=False,
                to_coordinators=False,
                to_initiators=False,
                partner_kinds=[],
            )

    def test_an_urgent_reporter_can_keep_it_from_the_members(self) -> None:
        report = submit(self.anna, self.buurt, share_with_members=False)
        self.assertNotIn("members", set(report.routes.values_list("audience", flat=True)))
        self.assertEqual(set(inbox.notifications_for(viewer=self.ivo)), set())  # ivo is only a member: not told


class RoutingFollowsChangesAtOnceTests(SamenVeiligTestCase):
    """Routing data is kept per process (core.refcache): each change must reach the very next report."""

    def police_route(self, report: Report) -> ReportRoute | None:
        return report.routes.filter(organisation=self.police).first()

    def test_a_changed_rule_applies_to_the_next_report(self) -> None:
        before = submit(self.anna, self.buurt, type="informatie")
        self.assertEqual(set(before.routes.values_list("audience", flat=True)), {"coordinators"})
        services.routing_rule_set(
            community=self.buurt,
            report_type="informatie",
            by=self.cor,
            to_members=False,
            to_coordinators=True,
            to_initiators=True,
            partner_kinds=[],
        )
        after = submit(self.anna, self.buurt, type="informatie")
        self.assertEqual(set(after.routes.values_list("audience", flat=True)), {"coordinators", "initiators"})

    def test_a_changed_working_area_applies_to_the_next_report(self) -> None:
        self.assertIsNotNone(self.police_route(submit(self.anna, self.buurt)))
        self.police.areas.add(self.zuid)  # now it works in Zuid only
        self.assertIsNone(self.police_route(submit(self.anna, self.buurt)))
        self.police.areas.clear()
        self.assertIsNotNone(self.police_route(submit(self.anna, self.buurt)))

    def test_a_new_deadline_applies_to_the_next_report(self) -> None:
        self.assertIsNone(self.police_route(submit(self.anna, self.buurt)).due_at)
        services.deadline_set(organisation=self.police, report_type="urgent", hours=4, by=self.wendy)
        report = submit(self.anna, self.buurt)
        self.assertEqual(self.police_route(report).due_at, report.created_at + timedelta(hours=4))

    def test_an_ended_partnership_applies_to_the_next_report(self) -> None:
        self.assertIsNotNone(self.police_route(submit(self.anna, self.buurt)))
        Partnership.objects.filter(community=self.buurt, organisation=self.police).delete()
        self.assertIsNone(self.police_route(submit(self.anna, self.buurt)))

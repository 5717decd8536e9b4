"""The demo's year of reports: enough of every kind, consistent with the services' rules, and life for every login."""

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

from django.test import TestCase, override_settings

from samenveilig.accounts.models import User
from samenveilig.communities.models import Community
from samenveilig.core.permissions import OrganisationKind
from samenveilig.demo import builder
from samenveilig.demo import reports as demo_reports
from samenveilig.notifications.models import Notification
from samenveilig.reports import access, descriptions, identity, plates, routing, selectors, services
from samenveilig.reports.models import (
    Audience,
    EventKind,
    Feedback,
    ForwardLink,
    HandlingDeadline,
    Outcome,
    Question,
    ReopenRequest,
    Report,
    ReportPerson,
    ReportRoute,
    ReportStatus,
    ReportType,
    ReportVehicle,
    RoutingRule,
    Urgency,
)

NOW = datetime(2025, 6, 2, tzinfo=UTC)
FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
PARTNER_KINDS = {EventKind.STATUS, EventKind.QUESTION, EventKind.FEEDBACK}


def user(local: str) -> User:
    return User.objects.get(email=f"{local}@demo.samenveilig.nl")


@FAST_HASHER
class DemoReportsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.summary = builder.build(seed=1, now=NOW)
        cls.reports = list(Report.objects.select_related("community", "buurt", "reporter"))

    def test_a_year_of_reports_in_every_community_of_every_type_status_and_outcome(self) -> None:
        self.assertGreaterEqual(len(self.reports), 2000)
        self.assertIn(f"{len(self.reports):,} reports", self.summary)
        per_community = Counter(r.community_id for r in self.reports)
        self.assertEqual(set(per_community), set(Community.objects.values_list("pk", flat=True)))
        self.assertEqual({r.type for r in self.reports}, set(ReportType.values))
        self.assertEqual({r.status for r in self.reports}, set(ReportStatus.values))
        self.assertEqual({r.outcome for r in self.reports} - {""}, set(Outcome.values))
        self.assertEqual({r.urgency for r in self.reports if r.type == ReportType.URGENT}, set(Urgency.values))
        self.assertEqual(set(ReopenRequest.objects.values_list("decision", flat=True)), set(ReopenRequest.Decision))
        self.assertEqual(set(Feedback.objects.exclude(rated_at=None).values_list("helpful", flat=True)), {True, False})
        self.assertTrue(Feedback.objects.exclude(to_community="").exists())
        self.assertTrue(Question.objects.filter(answered_at=None).exists())
        self.assertTrue(Question.objects.exclude(answered_at=None).exists())
        self.assertTrue(ForwardLink.objects.exists())
        self.assertTrue(ReportPerson.objects.exists() and ReportVehicle.objects.exists())
        self.assertTrue(RoutingRule.objects.exists())
        kinds = set(HandlingDeadline.objects.values_list("organisation__kind", flat=True))
        self.assertTrue({OrganisationKind.POLICE, OrganisationKind.MUNICIPALITY, OrganisationKind.HOUSING} <= kinds)
        self.assertTrue(all(r.what for r in self.reports))

    def test_every_report_keeps_the_invariants_of_a_submitted_one(self) -> None:
        users = {u.pk: u for u in User.objects.filter(reports__isnull=False).distinct()}
        by_code = {str(u.code): u for u in User.objects.all()}
        keys = Counter((r.submitter_key, r.idempotency_key) for r in self.reports)
        self.assertEqual(max(keys.values()), 1)
        anonymous = [r for r in self.reports if r.anonymous]
        self.assertGreater(len(anonymous), 20)
        for r in self.reports:
            with self.subTest(report=r.code):
                self.assertLessEqual(r.created_at, NOW)
                self.assertGreaterEqual(r.created_at, NOW - timedelta(days=365))
                self.assertLessEqual(r.occurred_at, r.created_at)
                self.assertGreaterEqual(r.occurred_at, NOW - timedelta(days=365))
                if r.anonymous:
                    self.assertIsNone(r.reporter)
                    person = by_code[identity.unseal(r.reporter_sealed)]
                else:
                    self.assertEqual(r.reporter_sealed, "")
                    person = users[r.reporter_id]
                self.assertEqual(r.submitter_key, identity.submitter_key(person))
                if r.type in services.LOCATION_REQUIRED:
                    self.assertIsNotNone(r.lat)
                if r.lat is not None:
                    self.assertEqual(r.h3_r9, demo_reports.geo.cell_at(r.lat, r.lon, 9))
                    self.assertIsNotNone(r.buurt)

    def test_the_buurt_of_a_sample_is_the_one_the_areas_app_finds(self) -> None:
        from samenveilig.areas import selectors as area_selectors

        located = [r for r in self.reports if r.lat is not None]
        for r in random.Random(1).sample(located, 60):
            self.assertEqual(area_selectors.buurt_at(lat=r.lat, lon=r.lon), r.buurt)

    def test_the_history_moves_only_along_the_allowed_transitions(self) -> None:
        events: dict[int, list] = {}
        for e in demo_reports.ReportEvent.objects.order_by("created_at", "id"):
            events.setdefault(e.report_id, []).append(e)
        for r in self.reports:
            history = events[r.pk]
            with self.subTest(report=r.code):
                self.assertEqual(history[0].kind, EventKind.SUBMITTED)
                status, closed, outcome = ReportStatus.RECEIVED, None, ""
                for e in history:
                    self.assertLessEqual(e.created_at, NOW)
                    if e.kind == EventKind.STATUS:
                        self.assertEqual(e.status_from, status)
                        self.assertIn(e.status_to, services.TRANSITIONS[status])
                        status = e.status_to
                        if status == ReportStatus.CLOSED:
                            closed, outcome = e.created_at, e.outcome
                        elif status == ReportStatus.REOPENED:
                            closed, outcome = None, ""
                self.assertEqual((r.status, r.closed_at, r.outcome), (status, closed, outcome))
                responses = [e.created_at for e in history if e.kind in PARTNER_KINDS]
                self.assertEqual(r.first_response_at, min(responses) if responses else None)

    def test_routes_follow_the_routing_rules_and_the_deadlines(self) -> None:
        hours = {(d.organisation_id, d.type): d.hours for d in HandlingDeadline.objects.all()}
        for r in random.Random(2).sample(self.reports, 150):
            rule = routing.rule_for(r.community, r.type)
            audiences = routing.member_audiences(rule, share_with_members=r.share_with_members)
            orgs = routing.organisations_for(community=r.community, kinds=rule.partner_kinds, buurt=r.buurt)
            routes = list(ReportRoute.objects.filter(report=r))
            with self.subTest(report=r.code):
                self.assertEqual(sorted(x.audience for x in routes if not x.organisation_id), sorted(audiences))
                org_routes = {x.organisation_id: x for x in routes if x.organisation_id}
                self.assertEqual(set(org_routes), {o.pk for o in orgs})
                for o in orgs:
                    self.assertEqual(org_routes[o.pk].audience, Audience.ORGANISATION)
                    due = hours.get((o.pk, r.type))
                    self.assertEqual(org_routes[o.pk].due_at, r.created_at + timedelta(hours=due) if due else None)

    def test_handling_is_done_by_staff_of_a_routed_organisation(self) -> None:
        for e in demo_reports.ReportEvent.objects.exclude(organisation=None).select_related("report")[:3000]:
            self.assertTrue(ReportRoute.objects.filter(report=e.report, organisation=e.organisation).exists())
            if e.actor_id:
                self.assertTrue(e.organisation.staff.filter(user_id=e.actor_id).exists())

    def test_plates_and_descriptions_follow_the_rules(self) -> None:
        plates_seen = [v for v in ReportVehicle.objects.exclude(plate="")]
        self.assertTrue(any(v.foreign_plate for v in plates_seen))
        for v in plates_seen:
            if not v.foreign_plate:
                self.assertEqual(plates.normalise_dutch_plate(v.plate), v.plate)
        for p in ReportPerson.objects.exclude(skin_colour=""):
            details = sum(1 for name in descriptions.DISTINGUISHING_FIELDS if getattr(p, name))
            self.assertGreaterEqual(details, 2)

    def test_times_follow_the_patterns_of_each_type(self) -> None:
        def share(reports: list[Report], test) -> float:
            return sum(1 for r in reports if test(r.created_at)) / len(reports)

        urgent = [r for r in self.reports if r.type == ReportType.URGENT]
        ideas = [r for r in self.reports if r.type == ReportType.VERBETERIDEE]
        nuisance = [r for r in self.reports if r.type == ReportType.OVERLAST]
        self.assertGreater(share(urgent, lambda t: t.hour >= 19 or t.hour < 5), 0.5)
        self.assertGreater(share(ideas, lambda t: 8 <= t.hour < 18), 0.6)
        self.assertGreater(share(nuisance, lambda t: t.weekday() >= 4), 3 / 7 + 0.1)

    def test_every_demo_login_has_something_to_see(self) -> None:
        resident = user("bewoner")
        mine = list(selectors.reports_of_reporter(resident))
        self.assertGreaterEqual(len(mine), 5)
        self.assertTrue(any(r.anonymous for r in mine))
        self.assertTrue(any(r.open_questions for r in mine))
        self.assertTrue(Feedback.objects.filter(report__in=[r.pk for r in mine]).exclude(to_reporter="").exists())
        for r in mine:
            self.assertEqual(access.report_standing(resident, r).view, "reporter")

        wendy = user("wijkagent")
        inbox = selectors.reports_for_inbox(viewer=wendy)
        open_urgent = inbox.filter(type=ReportType.URGENT, status__in=selectors.OPEN)
        self.assertTrue(open_urgent.exists())
        self.assertTrue(selectors.reports_for_inbox(viewer=wendy, overdue=True).exists())
        self.assertEqual(inbox.first().type, ReportType.URGENT)  # open urgent ones first
        self.assertEqual(access.report_standing(wendy, inbox.first()).view, "partner")

        for login in ("oov", "woningcorporatie"):
            nuisance = selectors.reports_for_inbox(viewer=user(login), type=ReportType.OVERLAST)
            self.assertTrue(nuisance.filter(status__in=selectors.OPEN).exists(), login)
            self.assertTrue(nuisance.filter(status=ReportStatus.CLOSED).exists(), login)
        self.assertTrue(selectors.reports_for_inbox(viewer=user("brandweer")).exists())
        self.assertTrue(selectors.reports_for_inbox(viewer=user("winkeliers")).exists())

        coordinator = user("coordinator")
        seen = Report.objects.none()
        for community in Community.objects.filter(memberships__user=coordinator):
            seen = seen | selectors.reports_for_member(viewer=coordinator, community=community)
        self.assertTrue(Feedback.objects.filter(report__in=seen).exclude(to_community="").exists())

        for login in ("bewoner", "coordinator", "wijkagent", "oov"):
            self.assertTrue(Notification.objects.filter(recipient=user(login)).exists(), login)

    def test_notifications_are_written_for_the_last_weeks_only(self) -> None:
        notifications = Notification.objects.all()
        self.assertGreater(notifications.count(), 1000)
        oldest = notifications.order_by("created_at").first().created_at
        self.assertGreaterEqual(oldest, NOW - timedelta(days=demo_reports.NOTIFY_DAYS))
        self.assertTrue(notifications.exclude(recipient_key="").exists())  # for anonymous reporters
        self.assertTrue(notifications.filter(read_at=None).exists())
        self.assertTrue(notifications.exclude(read_at=None).exists())


@FAST_HASHER
class DemoReportsBuildTests(TestCase):
    def test_the_same_seed_writes_the_same_reports(self) -> None:
        builder.build(seed=7, residents=400, now=NOW)
        first = builder.content_digest()
        count = Report.objects.count()
        self.assertGreater(count, 150)
        builder.reset()
        self.assertFalse(Report.objects.exists() or Notification.objects.exists())
        builder.build(seed=7, residents=400, now=NOW)
        self.assertEqual(Report.objects.count(), count)
        self.assertEqual(builder.content_digest(), first)

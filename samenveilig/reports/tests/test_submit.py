from uuid import uuid4

from samenveilig.core.errors import Conflict, Invalid
from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.notifications.models import Fanout, Notification
from samenveilig.notifications.services import fan_out_pending
from samenveilig.reports import identity, services
from samenveilig.reports.models import Audience, Report, ReportRoute, ReportStatus
from samenveilig.reports.tests.factories import report_input, submit


class ReportSubmitTests(SamenVeiligTestCase):
    def test_an_urgent_report_is_stored_and_routed_to_members_coordinators_and_the_police(self) -> None:
        report = submit(self.anna, self.buurt)
        self.assertEqual(report.status, ReportStatus.RECEIVED)
        self.assertEqual(report.buurt, self.noord)
        routes = set(ReportRoute.objects.filter(report=report).values_list("audience", "organisation_id"))
        self.assertEqual(
            routes,
            {(Audience.MEMBERS, None), (Audience.COORDINATORS, None), (Audience.ORGANISATION, self.police.pk)},
        )
        self.assertEqual(Notification.objects.count(), 0)  # the worker writes them, after the transaction
        self.assertEqual(fan_out_pending(), 1)
        recipients = set(
            Notification.objects.filter(kind="report.routed").values_list("recipient__username", flat=True)
        )
        self.assertEqual(recipients, {"cor", "ivo", "fenna", "wendy"})  # not anna herself, not bob's police

    def test_a_replayed_key_returns_the_first_report(self) -> None:
        key = uuid4()
        first = services.report_submit(
            reporter=self.anna, community=self.buurt, data=report_input(), idempotency_key=key
        )
        again = services.report_submit(
            reporter=self.anna, community=self.buurt, data=report_input(), idempotency_key=key
        )
        self.assertEqual((first.created, again.created, again.report.pk), (True, False, first.report.pk))
        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual(Fanout.objects.count(), 1)
        fan_out_pending()
        self.assertEqual(Notification.objects.count(), 4)

    def test_a_key_reused_for_a_different_report_is_a_conflict(self) -> None:
        key = uuid4()
        services.report_submit(reporter=self.anna, community=self.buurt, data=report_input(), idempotency_key=key)
        with self.assertRaises(Conflict):
            services.report_submit(
                reporter=self.anna, community=self.buurt, data=report_input(what="Iets anders"), idempotency_key=key
            )

    def test_skin_colour_alone_is_refused_with_a_kind_message(self) -> None:
        data = report_input(persons=[{"sex": "man", "skin_colour": "donker", "top": "rode jas"}])
        with self.assertRaises(Invalid) as caught:
            services.report_submit(reporter=self.anna, community=self.buurt, data=data, idempotency_key=uuid4())
        self.assertIn("persons.0", caught.exception.fields)
        self.assertEqual(Report.objects.count(), 0)

    def test_skin_colour_with_two_other_details_is_accepted(self) -> None:
        report = submit(self.anna, self.buurt, persons=[{"skin_colour": "donker", "top": "rode jas", "height": "1,80"}])
        self.assertEqual(report.persons.get().skin_colour, "donker")

    def test_an_anonymous_report_keeps_no_plain_link_to_its_reporter(self) -> None:
        report = submit(self.anna, self.buurt, anonymous=True)
        self.assertIsNone(report.reporter)
        self.assertEqual(report.submitter_key, identity.submitter_key(self.anna))
        self.assertEqual(identity.unseal(report.reporter_sealed), str(self.anna.code))
        self.assertNotIn(str(self.anna.code), report.reporter_sealed)

    def test_bad_input_changes_nothing(self) -> None:
        cases = {
            "what": report_input(what="  "),
            "called_112": report_input(called_112=None),
            "location": report_input(lat=52.5, lon=5.5),
            "vehicles.0.plate": report_input(vehicles=[{"plate": "XYZ"}]),
        }
        for field, data in cases.items():
            with self.subTest(field=field), self.assertRaises(Invalid) as caught:
                services.report_submit(reporter=self.anna, community=self.buurt, data=data, idempotency_key=uuid4())
            self.assertIn(field, caught.exception.fields)
        self.assertEqual((Report.objects.count(), Notification.objects.count()), (0, 0))


class ReportSubmitMembershipTests(SamenVeiligTestCase):
    def test_only_active_members_report_in_a_community(self) -> None:
        from samenveilig.core.errors import NotFound

        for who in ("olaf", "wendy", "root"):
            with self.subTest(who=who), self.assertRaises(NotFound):
                submit(getattr(self, who), self.buurt)
        self.assertEqual(Report.objects.count(), 0)

    def test_the_same_key_in_another_community_is_not_a_silent_replay(self) -> None:
        from samenveilig.core.testing import add_member

        add_member(self.zuid_community, self.anna)
        key = uuid4()
        services.report_submit(reporter=self.anna, community=self.buurt, data=report_input(), idempotency_key=key)
        with self.assertRaises(Conflict):
            services.report_submit(
                reporter=self.anna, community=self.zuid_community, data=report_input(), idempotency_key=key
            )

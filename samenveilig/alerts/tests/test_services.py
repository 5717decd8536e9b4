"""The rules of alerts (issue 7) on the service layer: who may send what where, the coordinator's limits, exactly one
alert per recipient, answers only from recipients while it runs, the outcome to everybody, expiry and retention."""

import uuid
from datetime import timedelta

from django.test import TestCase, TransactionTestCase, override_settings
from django.utils import timezone

from samenveilig.accounts.services import residence_set
from samenveilig.alerts import services
from samenveilig.alerts.audiences import SENT_KIND, SUBJECT_TYPE
from samenveilig.alerts.models import Alert, AlertOutcome, AlertResponse
from samenveilig.alerts.tests.factories import CENTRE, alert_input, send
from samenveilig.areas.tests.helpers import destination, make_homes
from samenveilig.communities.models import Membership
from samenveilig.core.audit import AuditEvent
from samenveilig.core.errors import Conflict, Forbidden, Invalid, NotFound, TooMany
from samenveilig.core.testing import make_cast, swap_sqlite_memory_for_a_file
from samenveilig.notifications.models import Channel, ChannelChoice, Delivery, Fanout, Notification
from samenveilig.notifications.services import fan_out_pending

NOORD = (52.095, 5.11)  # inside buurt Noord, the area of the community "Buurtpreventie Noord"


def _home(user, lat: float, lon: float, n: int = 1) -> None:
    residence_set(
        user=user, street="Teststraat", house_number=str(n), postcode="3511 AB", city="Testdorp", lat=lat, lon=lon
    )


def _received(alert: Alert, kind: str = SENT_KIND) -> list[int]:
    return sorted(
        Notification.objects.filter(subject_type=SUBJECT_TYPE, subject_code=str(alert.code), kind=kind).values_list(
            "recipient_id", flat=True
        )
    )


class Cast(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        make_cast(cls)
        _home(cls.anna, *NOORD, 1)
        _home(cls.ivo, *destination(*NOORD, 300, 90), 2)
        _home(cls.olaf, 52.082, 5.102, 3)  # Zuid, about 1.3 km from NOORD


class SendingTests(Cast):
    def test_police_reach_exactly_the_homes_in_the_radius_once_each(self) -> None:
        inside = make_homes([destination(*CENTRE, d, b) for d, b in ((100, 0), (600, 90), (999, 180))], prefix="in")
        outside = make_homes([destination(*CENTRE, d, b) for d, b in ((1001, 0), (1500, 270))], prefix="out")
        alert = send(self.wendy, radius_m=1000)
        expected = sorted(
            {h.user_id for h in inside}
            | {u.pk for u in (self.anna, self.ivo, self.olaf) if u.residence and _within(u, 1000)}
        )
        self.assertEqual(_received(alert), expected)
        self.assertFalse(set(_received(alert)) & {h.user_id for h in outside})
        fan_out_pending()  # a re-run writes nothing twice
        self.assertEqual(_received(alert), expected)
        alert.refresh_from_db()
        self.assertEqual(alert.fanout.written, len(expected))
        self.assertTrue(AuditEvent.objects.filter(action="alert.sent", object_id=str(alert.pk)).exists())

    def test_an_urgent_alert_goes_out_on_every_channel_chosen_for_alerts(self) -> None:
        ChannelChoice.objects.create(user=self.anna, category="alert", channel=Channel.EMAIL)
        ChannelChoice.objects.create(user=self.ivo, category="report", channel=Channel.EMAIL)
        alert = send(self.wendy, lat=NOORD[0], lon=NOORD[1], radius_m=500)
        self.assertEqual(_received(alert), sorted([self.anna.pk, self.ivo.pk]))
        deliveries = Delivery.objects.filter(notification__subject_code=str(alert.code))
        self.assertEqual(
            list(deliveries.values_list("notification__recipient_id", "channel")), [(self.anna.pk, "email")]
        )
        self.assertTrue(alert.urgent)
        self.assertEqual(Notification.objects.filter(recipient=self.anna, kind=SENT_KIND).get().urgency, "urgent")

    def test_a_replayed_key_returns_the_first_alert(self) -> None:
        key = uuid.uuid4()
        first = services.alert_send(sender=self.wendy, data=alert_input(), idempotency_key=key)
        again = services.alert_send(sender=self.wendy, data=alert_input(), idempotency_key=key)
        self.assertTrue(first.created)
        self.assertFalse(again.created)
        self.assertEqual(first.alert.pk, again.alert.pk)
        self.assertEqual(Fanout.objects.count(), 1)
        with self.assertRaises(Conflict):
            services.alert_send(sender=self.wendy, data=alert_input(title="Iets anders"), idempotency_key=key)

    def test_bad_input_is_refused_in_dutch_and_changes_nothing(self) -> None:
        cases = {
            "radius_m": {"radius_m": 50},
            "radius_m ": {"radius_m": 5001},
            "location": {"lat": 52.2, "lon": 5.3},  # outside the municipality
            "title": {"title": ""},
            "kind": {"kind": "party"},
            "valid_minutes": {"valid_minutes": 5},
            "persons.0": {"persons": [{"origin": "Marokkaans"}]},  # the description rule
        }
        for name, overrides in cases.items():
            with self.subTest(name), self.assertRaises(Invalid) as caught:
                services.alert_send(sender=self.wendy, data=alert_input(**overrides), idempotency_key=uuid.uuid4())
            self.assertIn(name.strip(), caught.exception.fields)
        self.assertIn("straal", str(self._problem({"radius_m": 50})).lower())
        self.assertEqual(Alert.objects.count(), 0)
        self.assertEqual(Fanout.objects.count(), 0)

    def _problem(self, overrides: dict) -> str:
        try:
            services.alert_check(sender=self.wendy, data=alert_input(**overrides))
        except Invalid as exc:
            return " ".join(m for messages in exc.fields.values() for m in messages)
        return ""

    def test_a_text_that_describes_by_origin_alone_does_not_go_out(self) -> None:
        with self.assertRaises(Invalid) as caught:
            services.alert_send(
                sender=self.wendy,
                data=alert_input("suspect", text="Let op: een Marokkaanse man loopt hier rond."),
                idempotency_key=uuid.uuid4(),
            )
        self.assertIn("text", caught.exception.fields)
        self.assertEqual(Alert.objects.count(), 0)

    def test_residents_and_other_partners_cannot_send(self) -> None:
        for who in (self.anna, self.olaf, self.mark):
            with self.subTest(who.username), self.assertRaises(Forbidden):
                services.alert_send(sender=who, data=alert_input(), idempotency_key=uuid.uuid4())
        self.assertEqual(Alert.objects.count(), 0)

    def test_buurten_and_community_targets(self) -> None:
        by_buurt = send(self.wendy, target="buurten", buurten=[self.zuid.code])
        self.assertEqual(_received(by_buurt), [self.olaf.pk])
        by_community = send(self.wendy, target="community", community=str(self.buurt.code))
        members = set(Membership.objects.filter(community=self.buurt).values_list("user_id", flat=True))
        self.assertEqual(set(_received(by_community)), members - {self.wendy.pk})


def _within(user, radius: float) -> bool:
    from samenveilig.areas import geo

    return geo.haversine_m(*CENTRE, user.residence.lat, user.residence.lon) <= radius


class CoordinatorTests(Cast):
    def _send(self, **overrides):
        values = {"community": self.buurt.slug, "lat": NOORD[0], "lon": NOORD[1], "radius_m": 500}
        values.update(overrides)
        return services.alert_send(
            sender=self.cor, data=alert_input("warning", **values), idempotency_key=uuid.uuid4()
        ).alert

    def test_a_coordinator_warns_their_own_members_and_the_police_get_a_copy(self) -> None:
        alert = self._send(lat=NOORD[0], lon=NOORD[1], radius_m=2000)
        fan_out_pending()
        # olaf lives within 2 km but is no member; ivo is a member within the radius; anna too.
        self.assertEqual(_received(alert), sorted([self.anna.pk, self.ivo.pk]))
        self.assertEqual(_received(alert, "alert.copy"), [self.wendy.pk])  # the community's police partner
        self.assertFalse(alert.urgent)

    def test_a_coordinator_sends_only_warnings_and_witness_calls_inside_their_area(self) -> None:
        cases = {
            "kind": {"kind": "suspect", "called_112": True},
            "location": {"lat": 52.082, "lon": 5.102},  # Zuid: outside the community's area
        }
        for name, overrides in cases.items():
            kind = overrides.pop("kind", "warning")
            values = {"community": self.buurt.slug, "lat": NOORD[0], "lon": NOORD[1], "radius_m": 500, **overrides}
            with self.subTest(name), self.assertRaises(Invalid) as caught:
                services.alert_send(sender=self.cor, data=alert_input(kind, **values), idempotency_key=uuid.uuid4())
            self.assertIn(name, caught.exception.fields)
        with self.assertRaises(Forbidden):  # a coordinator of another community
            services.alert_send(
                sender=self.cor,
                data=alert_input("warning", community=self.zuid_community.slug),
                idempotency_key=uuid.uuid4(),
            )
        self.assertEqual(Alert.objects.count(), 0)

    def test_urgent_needs_112_confirmed(self) -> None:
        with self.assertRaises(Invalid) as caught:
            self._send(urgent=True)
        self.assertIn("called_112", caught.exception.fields)
        self.assertTrue(self._send(urgent=True, called_112=True).urgent)

    @override_settings(ALERT_COORDINATOR_LIMIT=3)
    def test_at_most_three_a_day_per_coordinator_and_community(self) -> None:
        for _ in range(3):
            self._send()
        with self.assertRaises(TooMany) as caught:
            self._send()
        self.assertIn("24", str(caught.exception.message))
        self.assertEqual(Alert.objects.count(), 3)
        Alert.objects.update(created_at=timezone.now() - timedelta(hours=25))
        self._send()  # a day later it may again
        self.assertEqual(Alert.objects.count(), 4)


class AnswerAndCloseTests(Cast):
    def setUp(self) -> None:
        self.alert = send(self.wendy, lat=NOORD[0], lon=NOORD[1], radius_m=500)  # anna and ivo

    def test_a_recipient_answers_more_than_once_and_only_they(self) -> None:
        first, created = services.alert_respond(
            alert=self.alert, responder=self.anna, kind="seen", lat=52.0951, lon=5.11
        )
        self.assertTrue(created)
        services.alert_respond(alert=self.alert, responder=self.anna, kind="info", text="Hij liep richting het park.")
        self.assertEqual(AlertResponse.objects.filter(alert=self.alert, responder=self.anna).count(), 2)
        self.assertIsNotNone(Notification.objects.get(recipient=self.anna, kind=SENT_KIND).read_at)  # opened
        for outsider in (self.olaf, self.bob, self.cor):
            with self.subTest(outsider.username), self.assertRaises(NotFound):
                services.alert_respond(alert=self.alert, responder=outsider, kind="seen")

    def test_an_answer_is_idempotent_with_a_key(self) -> None:
        key = uuid.uuid4()
        one, _ = services.alert_respond(alert=self.alert, responder=self.anna, kind="seen", idempotency_key=key)
        two, created = services.alert_respond(alert=self.alert, responder=self.anna, kind="seen", idempotency_key=key)
        self.assertEqual(one.pk, two.pk)
        self.assertFalse(created)

    def test_closing_tells_every_recipient_and_closes_for_answers(self) -> None:
        services.alert_respond(alert=self.alert, responder=self.anna, kind="seen")
        services.alert_close(alert=self.alert, by=self.wendy, outcome="found", text="Het kind is gevonden. Dank!")
        fan_out_pending()
        self.assertEqual(_received(self.alert, "alert.closed"), sorted([self.anna.pk, self.ivo.pk]))
        with self.assertRaises(Invalid):
            services.alert_respond(alert=self.alert, responder=self.ivo, kind="seen")
        with self.assertRaises(Conflict):
            services.alert_close(alert=self.alert, by=self.wendy, outcome="found")
        with self.assertRaises(Invalid):
            services.alert_close(alert=send(self.wendy), by=self.wendy, outcome="expired")  # only the clock expires
        self.assertEqual(AlertResponse.objects.count(), 1)

    def test_an_update_reaches_every_recipient(self) -> None:
        services.alert_update(alert=self.alert, by=self.wendy, text="Hij draagt nu een grijze muts.")
        fan_out_pending()
        self.assertEqual(_received(self.alert, "alert.update"), sorted([self.anna.pk, self.ivo.pk]))

    def test_expired_alerts_close_themselves_and_inform_recipients(self) -> None:
        later = self.alert.valid_until + timedelta(seconds=1)
        with self.assertRaises(Invalid):
            services.alert_respond(alert=self.alert, responder=self.anna, kind="seen", now=later)
        self.assertEqual(services.alerts_expire(now=later), 1)
        self.assertEqual(services.alerts_expire(now=later), 0)
        fan_out_pending()
        self.alert.refresh_from_db()
        self.assertEqual(self.alert.outcome, AlertOutcome.EXPIRED)
        self.assertEqual(_received(self.alert, "alert.closed"), sorted([self.anna.pk, self.ivo.pk]))

    @override_settings(ALERT_LOCATION_KEEP_DAYS=7, ALERT_ANSWER_KEEP_DAYS=180)
    def test_expiry_and_retention_runs_are_booked_for_when_they_are_due(self) -> None:
        from django_tasks_db.models import DBTaskResult

        from samenveilig.alerts import tasks

        def booked(job) -> list:
            return list(
                DBTaskResult.objects.filter(status="READY", task_path=job.module_path).values_list(
                    "run_after", flat=True
                )
            )

        with self.captureOnCommitCallbacks(execute=True):
            alert = send(self.wendy, fan_out=False)
        self.assertIn(alert.valid_until, booked(tasks.expire_alerts))
        self.assertEqual(booked(tasks.purge_answers), [])  # nothing kept yet: no run
        services.alert_respond(alert=self.alert, responder=self.anna, kind="seen", lat=52.0951, lon=5.11)
        with self.captureOnCommitCallbacks(execute=True):
            services.alert_close(alert=self.alert, by=self.wendy, outcome="found")
        closed = Alert.objects.get(pk=self.alert.pk).closed_at
        self.assertEqual(booked(tasks.purge_answers), [closed + timedelta(days=7)])

    @override_settings(ALERT_LOCATION_KEEP_DAYS=7, ALERT_ANSWER_KEEP_DAYS=180)
    def test_locations_and_answers_are_kept_only_as_long_as_the_policy_says(self) -> None:
        services.alert_respond(alert=self.alert, responder=self.anna, kind="seen", lat=52.0951, lon=5.11)
        services.alert_close(alert=self.alert, by=self.wendy, outcome="found")
        closed = Alert.objects.get(pk=self.alert.pk).closed_at
        self.assertEqual(services.responses_purge(now=closed + timedelta(days=6))["locations_cleared"], 0)
        self.assertEqual(services.responses_purge(now=closed + timedelta(days=8))["locations_cleared"], 1)
        self.assertIsNone(AlertResponse.objects.get().lat)
        self.assertEqual(services.responses_purge(now=closed + timedelta(days=181))["answers_deleted"], 1)
        self.assertFalse(AlertResponse.objects.exists())


class ConcurrentCoordinatorTests(TransactionTestCase):
    """Two sends at once cannot both pass the limit (the membership row is locked; on SQLite one writer)."""

    def test_the_limit_holds_when_sends_race(self) -> None:
        import threading

        from django.db import connection

        self.addCleanup(swap_sqlite_memory_for_a_file())
        make_cast(self)
        results: list[str] = []
        barrier = threading.Barrier(4)

        def attempt() -> None:
            try:
                barrier.wait()
                services.alert_send(
                    sender=self.cor,
                    data=alert_input("warning", community=self.buurt.slug, lat=NOORD[0], lon=NOORD[1], radius_m=500),
                    idempotency_key=uuid.uuid4(),
                )
                results.append("sent")
            except TooMany:
                results.append("limited")
            finally:
                connection.close()

        with override_settings(ALERT_COORDINATOR_LIMIT=2):
            threads = [threading.Thread(target=attempt) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        self.assertEqual(sorted(results), ["limited", "limited", "sent", "sent"])
        self.assertEqual(Alert.objects.count(), 2)

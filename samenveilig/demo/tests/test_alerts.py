"""The demo's alerts: every kind and every outcome, one alert in progress with answers, answers only from the people
the alert reached, everything dated in the past, and the rules of the alerts services kept."""

from datetime import UTC, datetime

from django.test import TestCase, override_settings

from samenveilig.accounts.models import User
from samenveilig.alerts import access
from samenveilig.alerts.audiences import SENT_KIND, SUBJECT_TYPE
from samenveilig.alerts.models import Alert, AlertKind, AlertOutcome, AlertResponse, SentAs
from samenveilig.demo import builder
from samenveilig.demo.accounts import DEMO_DOMAIN
from samenveilig.notifications.models import Notification

NOW = datetime(2025, 6, 2, tzinfo=UTC)


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class DemoAlertsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        builder.build(seed=3, residents=1200, now=NOW)
        cls.alerts = list(Alert.objects.select_related("sender", "fanout"))

    def test_every_kind_is_there_and_coordinators_send_warnings_and_witness_calls(self) -> None:
        self.assertEqual({a.kind for a in self.alerts}, set(AlertKind.values))
        by_coordinator = {a.kind for a in self.alerts if a.sent_as == SentAs.COORDINATOR}
        self.assertEqual(by_coordinator, {AlertKind.WARNING, AlertKind.WITNESS})
        self.assertTrue(all(a.sender.email == f"wijkagent@{DEMO_DOMAIN}" for a in self.alerts if a.sent_as == "police"))

    def test_every_outcome_is_there(self) -> None:
        self.assertEqual({a.outcome for a in self.alerts if a.closed_at}, set(AlertOutcome.values))

    def test_exactly_one_alert_is_open_valid_for_hours_with_answers(self) -> None:
        open_alerts = [a for a in self.alerts if a.closed_at is None]
        self.assertEqual(len(open_alerts), 1)
        live = open_alerts[0]
        self.assertGreater(live.valid_until, NOW)
        self.assertGreaterEqual((live.valid_until - NOW).total_seconds(), 3 * 3600)
        self.assertGreaterEqual(live.responses.count(), 2)
        self.assertTrue(live.updates.exists())
        resident = User.objects.get(email=f"bewoner@{DEMO_DOMAIN}")
        self.assertEqual(access.standing_of(resident, live).view, "recipient")  # the demo resident can answer it

    def test_answers_come_only_from_recipients(self) -> None:
        answers = AlertResponse.objects.select_related("alert")
        self.assertTrue(answers.exists())
        for answer in answers:
            with self.subTest(answer=answer.pk):
                self.assertTrue(
                    Notification.objects.filter(
                        recipient_id=answer.responder_id,
                        subject_type=SUBJECT_TYPE,
                        subject_code=str(answer.alert.code),
                        kind=SENT_KIND,
                    ).exists()
                )
                self.assertLessEqual(answer.created_at, answer.alert.closed_at or NOW)
                self.assertGreaterEqual(answer.created_at, answer.alert.created_at)
        self.assertEqual({a.kind for a in answers}, {"seen", "not_seen", "info"})
        self.assertTrue(answers.filter(lat__isnull=False).exclude(text="").exists())

    def test_every_recipient_got_one_notification_dated_when_it_was_sent(self) -> None:
        for alert in self.alerts:
            with self.subTest(alert=alert.title):
                sent = Notification.objects.filter(subject_code=str(alert.code), kind=SENT_KIND)
                self.assertGreater(alert.fanout.written, 0)
                self.assertEqual(sent.count(), alert.fanout.written)
                self.assertEqual(sent.values("recipient_id").distinct().count(), alert.fanout.written)
                self.assertEqual(set(sent.values_list("created_at", flat=True)), {alert.created_at})
                self.assertLess(alert.created_at, NOW)
                if alert.closed_at:
                    closed = Notification.objects.filter(subject_code=str(alert.code), kind="alert.closed")
                    told = set(closed.values_list("recipient_id", flat=True))  # (and the police, for a coordinator's)
                    self.assertLessEqual(set(sent.values_list("recipient_id", flat=True)), told)

    def test_reset_removes_the_alerts(self) -> None:
        builder.reset()
        self.assertFalse(Alert.objects.exists())
        self.assertFalse(Notification.objects.filter(subject_type=SUBJECT_TYPE).exists())

"""The digest (issue 6, item 4): digest messages are in the inbox at once and go out on the outside channels bundled,
weekly (Monday 08:00) or monthly (the 1st, 08:00, Europe/Amsterdam), as each person chose; once, also when run twice."""

import datetime

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.notifications import digest, services
from samenveilig.notifications.delivery import AMSTERDAM, deliver_due
from samenveilig.notifications.models import Delivery, DeliverySettings, DigestPeriod, Notification, Urgency


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=AMSTERDAM)


class PeriodTests(SamenVeiligTestCase):
    def test_periods_start_monday_morning_and_on_the_first(self) -> None:
        wednesday = at(2026, 11, 25, 15, 0)
        self.assertEqual(digest.period_start(wednesday, DigestPeriod.WEEKLY), at(2026, 11, 23, 8, 0))
        self.assertEqual(digest.period_start(at(2026, 11, 23, 7, 59), DigestPeriod.WEEKLY), at(2026, 11, 16, 8, 0))
        self.assertEqual(digest.period_start(wednesday, DigestPeriod.MONTHLY), at(2026, 11, 1, 8, 0))
        self.assertEqual(digest.period_start(at(2026, 12, 1, 7, 0), DigestPeriod.MONTHLY), at(2026, 11, 1, 8, 0))
        self.assertEqual(digest.next_run(wednesday), at(2026, 11, 30, 8, 0))
        self.assertEqual(digest.next_run(at(2026, 12, 29, 9, 0)), at(2027, 1, 1, 8, 0))  # the 1st comes first


@override_settings(SITE_URL="https://sv.example")
class DigestTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        services.channels_set(user=self.anna, category="digest", channels=["email"])
        services.channels_set(user=self.anna, category="report", channels=["email"])

    def waiting(self, when: datetime.datetime, n: int = 1) -> None:
        for i in range(n):
            services.notify(
                recipients=[self.anna, self.ivo],
                kind="report.community_feedback",
                data={"organisation": "Gemeente Testdorp", "community": "Noord", "summary": f"Lantaarn {i} gemaakt"},
                urgency=Urgency.DIGEST,
            )
        Notification.objects.filter(urgency=Urgency.DIGEST, created_at__gt=when).update(created_at=when)

    def test_digest_messages_are_in_the_inbox_at_once_and_go_out_bundled_once(self) -> None:
        self.waiting(at(2026, 11, 18, 12, 0), n=3)  # last week
        self.assertEqual(Notification.objects.filter(recipient=self.anna).count(), 3)  # the inbox has them now
        self.assertFalse(Delivery.objects.exists())  # but no e-mail yet
        self.assertEqual(digest.digests_send(now=at(2026, 11, 23, 8, 5)), 2)  # anna and ivo
        summary = Notification.objects.get(recipient=self.anna, kind="digest.summary")
        self.assertEqual(summary.data["count"], 3)
        self.assertEqual(summary.urgency, Urgency.NORMAL)
        self.assertEqual(list(summary.deliveries.values_list("channel", flat=True)), ["email"])  # her digest channel
        self.assertFalse(Delivery.objects.filter(notification__recipient=self.ivo).exists())  # ivo: the inbox only
        self.assertEqual(digest.digests_send(now=at(2026, 11, 23, 9, 0)), 0)  # a re-run sends nothing twice
        self.assertEqual(Notification.objects.filter(kind="digest.summary").count(), 2)
        self.assertTrue(DeliverySettings.objects.get(user=self.anna).digest_last_at)
        services.quiet_hours_set(user=self.anna, quiet_from=datetime.time(0), quiet_until=datetime.time(0))  # none
        deliver_due(now=timezone.now())
        [email] = mail.outbox
        self.assertIn("3", email.subject)
        self.assertIn("Gemeente Testdorp", email.body)  # each bundled message named

    def test_what_came_in_this_period_waits_for_the_next(self) -> None:
        self.waiting(at(2026, 11, 23, 9, 0))  # after this Monday's start
        self.assertEqual(digest.digests_send(now=at(2026, 11, 25, 12, 0)), 0)
        self.assertEqual(digest.digests_send(now=at(2026, 11, 30, 8, 0)), 2)

    def test_a_monthly_person_waits_for_the_first(self) -> None:
        DeliverySettings.objects.create(user=self.anna, digest=DigestPeriod.MONTHLY)
        self.waiting(at(2026, 11, 18, 12, 0))
        self.assertEqual(digest.digests_send(now=at(2026, 11, 23, 8, 5)), 1)  # ivo, weekly
        self.assertFalse(Notification.objects.filter(recipient=self.anna, kind="digest.summary").exists())
        self.assertEqual(digest.digests_send(now=at(2026, 12, 1, 8, 0)), 1)  # anna, on the first
        summary = Notification.objects.get(recipient=self.anna, kind="digest.summary")
        self.assertEqual(summary.data["period"], "monthly")

    def test_feedback_to_the_community_is_a_digest_message_on_a_trend_and_at_once_on_an_incident(self) -> None:
        from samenveilig.notifications.services import fan_out_pending
        from samenveilig.reports.services import feedback_give
        from samenveilig.reports.tests.factories import submit

        for kind, expected in (("overlast", Urgency.DIGEST), ("urgent", Urgency.NORMAL)):
            report = submit(self.anna, self.buurt, kind)
            routed = report.routes.values_list("organisation_id", flat=True)
            organisation = self.police if self.police.pk in routed else self.gemeente
            staff = self.wendy if organisation == self.police else self.mark
            feedback_give(report=report, by=staff, organisation=organisation, to_community="De lantaarn is gemaakt.")
            fan_out_pending()
            update = Notification.objects.filter(recipient=self.cor, kind="report.community_feedback").latest("pk")
            self.assertEqual(update.urgency, expected, kind)


class DigestTaskTests(SamenVeiligTestCase):
    def test_the_digest_task_is_booked_only_while_digest_messages_wait(self) -> None:
        from django_tasks_db.models import DBTaskResult

        from samenveilig.notifications import tasks

        def booked() -> list[datetime.datetime]:
            rows = DBTaskResult.objects.filter(task_path=tasks.send_digests.module_path, status="READY")
            return list(rows.values_list("run_after", flat=True))

        tasks.resume_digests()
        self.assertEqual(booked(), [])  # nothing waits: no task
        with self.captureOnCommitCallbacks(execute=True):
            services.notify(
                recipients=[self.anna],
                kind="report.community_feedback",
                urgency=Urgency.DIGEST,
                data={"organisation": "Gemeente", "community": "Noord", "summary": "Gemaakt"},
            )
        [when] = booked()
        self.assertEqual(when, digest.next_run(timezone.now()))  # the next period's start, once
        tasks.schedule_digest()
        self.assertEqual(len(booked()), 1)

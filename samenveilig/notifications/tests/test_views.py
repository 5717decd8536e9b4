from django.urls import reverse

from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.notifications import services
from samenveilig.notifications.models import Notification
from samenveilig.notifications.services import fan_out_pending
from samenveilig.reports.tests.factories import submit


class NotificationPageTests(SamenVeiligTestCase):
    def test_the_inbox_lists_my_notifications_with_unread_marked(self) -> None:
        report = submit(self.cor, self.buurt, what="Verdachte auto rijdt rondjes")
        fan_out_pending()
        self.login_as("anna")
        response = self.client.get(reverse("notifications:list"))
        self.assertContains(response, "Verdachte auto rijdt rondjes")
        self.assertContains(response, "sv-message--unread")
        self.assertContains(
            response, reverse("notifications:read", args=[Notification.objects.get(recipient=self.anna).pk])
        )
        self.assertEqual(
            Notification.objects.get(recipient=self.anna).message_link, reverse("reports:detail", args=[report.code])
        )

    def test_notifications_of_others_are_not_shown_or_markable(self) -> None:
        submit(self.anna, self.buurt, what="Alleen voor de ontvangers")
        fan_out_pending()
        theirs = Notification.objects.get(recipient=self.cor)
        self.login_as("olaf")
        self.assertNotContains(self.client.get(reverse("notifications:list")), "Alleen voor de ontvangers")
        self.assertEqual(self.client.post(reverse("notifications:read", args=[theirs.pk])).status_code, 404)
        theirs.refresh_from_db()
        self.assertIsNone(theirs.read_at)

    def test_mark_one_read_and_open_goes_to_the_report(self) -> None:
        report = submit(self.cor, self.buurt)
        fan_out_pending()
        mine = Notification.objects.get(recipient=self.anna)
        self.login_as("anna")
        response = self.client.post(reverse("notifications:read", args=[mine.pk]), {"open": "1"})
        self.assertRedirects(response, reverse("reports:detail", args=[report.code]))
        mine.refresh_from_db()
        self.assertIsNotNone(mine.read_at)

    def test_an_outside_link_is_never_followed(self) -> None:
        self.login_as("anna")
        services.notify(recipients=[self.anna], kind="report.routed", link="https://evil.example/")
        n = Notification.objects.get(recipient=self.anna)
        response = self.client.post(reverse("notifications:read", args=[n.pk]), {"open": "1"})
        self.assertRedirects(response, reverse("notifications:list"))

    def test_mark_all_read(self) -> None:
        submit(self.cor, self.buurt)
        submit(self.ivo, self.buurt)
        self.login_as("anna")
        self.client.post(reverse("notifications:read_all"))
        self.assertFalse(Notification.objects.filter(recipient=self.anna, read_at__isnull=True).exists())

    def test_reading_is_post_only_and_needs_a_login(self) -> None:
        self.assertEqual(self.client.get(reverse("notifications:list")).status_code, 302)
        self.login_as("anna")
        self.assertEqual(self.client.get(reverse("notifications:read_all")).status_code, 405)

    def test_an_anonymous_reporter_gets_answers_in_the_inbox(self) -> None:
        from samenveilig.reports import services as report_services

        report = submit(self.anna, self.buurt, anonymous=True)
        report_services.report_transition(report=report, by=self.wendy, organisation=self.police, status="in_progress")
        self.login_as("anna")
        self.assertContains(self.client.get(reverse("notifications:list")), reverse("notifications:read_all"))

"""Reports in the conversation: a report for all members appears in the stream without its reporter; a flagged
description reaches the partners and coordinators at once and the other members only once a coordinator published
it; partner feedback to the community appears in the stream too, checked first."""

from uuid import uuid4

from samenveilig.conversation import selectors, services
from samenveilig.conversation.models import Post, PostKind, PostStatus
from samenveilig.core.errors import Conflict, Invalid, NotFound
from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.notifications.models import Notification
from samenveilig.notifications.services import fan_out_pending
from samenveilig.reports import access as report_access
from samenveilig.reports import selectors as report_selectors
from samenveilig.reports import services as report_services
from samenveilig.reports.models import Feedback
from samenveilig.reports.tests.factories import report_input, submit

# Names a third person with a phone number: the police need it, the whole community does not.
NAMED = "Jan de Vries van de overkant belt steeds met 06-12345678 en loopt langs de achterdeuren te kijken."


def kinds_for(user: object) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


class SharedReportTests(SamenVeiligTestCase):
    def shared_post(self, report: object) -> Post:
        return Post.objects.get(kind=PostKind.REPORT, subject_code=report.code)

    def test_a_clean_report_for_all_members_appears_in_the_stream_without_its_reporter(self) -> None:
        report = submit(self.ivo, self.buurt)
        post = self.shared_post(report)
        self.assertEqual((post.status, post.author_id, post.text), (PostStatus.PUBLISHED, None, report.what))
        self.assertEqual([p.pk for p in selectors.stream(community=self.buurt, viewer=self.anna)], [post.pk])
        self.login_as("anna")
        html = self.client.get(f"/communities/{self.buurt.slug}/gesprek/").content.decode()
        self.assertIn(f'href="/meldingen/{report.code}/"', html)
        self.assertNotIn("Ivo", html)
        report_access.access_report(self.anna, report.code)  # members may open it

    def test_reports_not_for_all_members_stay_out_of_the_stream(self) -> None:
        kept = submit(self.ivo, self.buurt, share_with_members=False)
        overlast = submit(self.ivo, self.buurt, "overlast")  # coordinators and partners only, by default
        self.assertFalse(Post.objects.filter(subject_code__in=[kept.code, overlast.code]).exists())

    def test_a_retried_submission_shares_the_report_once(self) -> None:
        key = uuid4()
        for _ in range(2):
            report_services.report_submit(
                reporter=self.ivo, community=self.buurt, data=report_input(), idempotency_key=key
            )
        self.assertEqual(Post.objects.filter(kind=PostKind.REPORT).count(), 1)

    def test_a_flagged_report_waits_for_a_coordinator_before_the_members_see_it(self) -> None:
        report = submit(self.ivo, self.buurt, what=NAMED)
        self.assertEqual(report.flags, ["persoonsgegevens"])
        post = self.shared_post(report)
        self.assertEqual(post.status, PostStatus.HELD)
        fan_out_pending()
        # The police and the coordinators have it at once; the other members do not, not even by its code.
        self.assertIn("report.routed", kinds_for(self.wendy))
        self.assertIn("report.routed", kinds_for(self.cor))
        self.assertIn("conversation.held", kinds_for(self.cor))
        self.assertNotIn("report.routed", kinds_for(self.anna))
        report_access.access_report(self.wendy, report.code)
        report_access.access_report(self.cor, report.code)
        with self.assertRaises(NotFound):
            report_access.access_report(self.anna, report.code)
        self.assertEqual(list(report_selectors.reports_for_member(viewer=self.anna, community=self.buurt)), [])
        self.assertEqual(list(report_selectors.reports_for_member(viewer=self.cor, community=self.buurt)), [report])
        self.assertEqual(selectors.stream(community=self.buurt, viewer=self.anna), [])
        self.assertEqual([p.pk for p in selectors.queue(community=self.buurt, viewer=self.cor)], [post.pk])

        services.post_decide(post=post, by=self.cor, action="publish")
        fan_out_pending()
        self.assertIn("conversation.shared_report", kinds_for(self.anna))
        self.assertNotIn("conversation.shared_report", kinds_for(self.cor))  # who published it knows
        fresh = report_services.Report.objects.get(pk=report.pk)
        report_access.access_report(self.anna, fresh.code)
        self.assertEqual(list(report_selectors.reports_for_member(viewer=self.anna, community=self.buurt)), [fresh])

    def test_a_coordinator_can_keep_a_flagged_report_from_the_members_but_not_rephrase_it(self) -> None:
        report = submit(self.ivo, self.buurt, what=NAMED)
        post = self.shared_post(report)
        with self.assertRaises(Conflict):
            services.post_decide(post=post, by=self.cor, action="rephrase", reason="Zonder naam graag")
        services.post_decide(post=post, by=self.cor, action="reject", reason="Bevat een naam en telefoonnummer.")
        self.assertEqual(selectors.shared_report_status(report.code), PostStatus.REJECTED)
        with self.assertRaises(NotFound):
            report_access.access_report(self.anna, report.code)
        report_access.access_report(self.wendy, report.code)  # the police keep it, of course

    def test_the_reporter_reads_why_and_gets_no_whatsapp_text_for_a_flagged_report(self) -> None:
        report = submit(self.ivo, self.buurt, what=NAMED)
        self.login_as("ivo")
        page = self.client.get(f"/meldingen/{report.code}/verstuurd/").content.decode()
        self.assertIn('data-flagged="held"', page)
        self.assertIn("06-12345678", page)  # the reason names what triggered it
        self.assertNotIn("wa.me", page)
        detail = self.client.get(f"/meldingen/{report.code}/").content.decode()
        self.assertIn('data-flagged="held"', detail)
        clean = submit(self.ivo, self.buurt)
        page = self.client.get(f"/meldingen/{clean.code}/verstuurd/").content.decode()
        self.assertNotIn("data-flagged", page)
        self.assertIn("wa.me", page)

    def test_a_flagged_report_enters_the_queue_for_the_municipal_signal(self) -> None:
        submit(self.ivo, self.buurt, what=NAMED)
        row = selectors.community_signals(viewer=self.mark)[0]
        self.assertEqual((row.activity.open_items, row.activity.entered), (1, 1))


class FeedbackInTheStreamTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        self.report = submit(self.ivo, self.buurt)

    def give(self, to_community: str) -> Feedback:
        return report_services.feedback_give(
            report=self.report, by=self.wendy, organisation=self.police, to_community=to_community
        )

    def test_partner_feedback_to_the_community_appears_in_the_stream(self) -> None:
        self.give("De politie heeft extra gesurveilleerd in de buurt. Bedankt voor jullie melding!")
        post = Post.objects.get(kind=PostKind.FEEDBACK)
        self.assertEqual(
            (post.status, post.organisation, post.subject_code), ("published", self.police, self.report.code)
        )
        self.assertIn(post.pk, [p.pk for p in selectors.stream(community=self.buurt, viewer=self.anna)])

    def test_flagged_feedback_is_refused_with_the_reason_and_nothing_changes(self) -> None:
        with self.assertRaises(Invalid) as caught:
            self.give("De dader, Jan de Vries van de Dorpsstraat 12, is aangehouden.")
        self.assertEqual(caught.exception.code, "report.feedback_flagged")
        self.assertIn("to_community", caught.exception.fields)
        self.assertFalse(Feedback.objects.exists())
        self.assertFalse(Post.objects.filter(kind=PostKind.FEEDBACK).exists())

    def test_feedback_on_a_report_not_shared_with_all_members_stays_out_of_the_stream(self) -> None:
        self.report = submit(self.ivo, self.buurt, "overlast")
        report_services.feedback_give(
            report=self.report, by=self.mark, organisation=self.gemeente, to_community="De gemeente pakt dit op."
        )
        self.assertFalse(Post.objects.filter(kind=PostKind.FEEDBACK).exists())

"""The conversation's rules: the kind prompt, the coordinators' queue, reactions and reports, and bad input."""

from samenveilig.conversation import selectors, services
from samenveilig.conversation.models import Post, PostEvent, PostReport, PostStatus, Reaction
from samenveilig.core.errors import Conflict, Forbidden, Invalid, NotFound
from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.moderation.models import ModerationSettings
from samenveilig.notifications.models import Notification

CLEAN = "Man in zwarte jas voelt aan de deurklinken van de auto's aan de Parklaan, loopt richting het station."
STIGMA = "Er loopt weer een donkere man door de straat, niet pluis"


class KindPromptTests(SamenVeiligTestCase):
    def test_a_clean_message_is_published_at_once(self) -> None:
        post = services.post_create(community=self.buurt, author=self.anna, text=CLEAN)
        self.assertEqual((post.status, post.flags), (PostStatus.PUBLISHED, []))
        self.assertIsNotNone(post.published_at)

    def test_a_flagged_message_waits_and_is_published_once_rephrased(self) -> None:
        post = services.post_create(community=self.buurt, author=self.anna, text=STIGMA)
        self.assertEqual((post.status, post.flags), (PostStatus.PROMPTED, ["stigmatisering"]))
        self.assertIn("donkere man", post.reasons["stigmatisering"])
        still = services.post_revise(post=post, by=self.anna, text="Die donkere man, echt niet pluis hoor")
        self.assertEqual(still.status, PostStatus.PROMPTED)
        done = services.post_revise(post=post, by=self.anna, text=CLEAN)
        self.assertEqual((done.status, done.flags), (PostStatus.PUBLISHED, []))
        self.assertEqual(
            list(PostEvent.objects.filter(post=post).values_list("action", "status_to")),
            [("create", "prompted"), ("revise", "prompted"), ("revise", "published")],
        )

    def test_the_author_can_withdraw_or_send_anyway_to_the_queue(self) -> None:
        withdrawn = services.post_withdraw(
            post=services.post_create(community=self.buurt, author=self.anna, text=STIGMA), by=self.anna
        )
        self.assertEqual(withdrawn.status, PostStatus.WITHDRAWN)
        held = services.post_send_anyway(
            post=services.post_create(community=self.buurt, author=self.anna, text=STIGMA), by=self.anna
        )
        self.assertEqual(held.status, PostStatus.HELD)
        self.assertTrue(Notification.objects.filter(recipient=self.cor, kind="conversation.held").exists())

    def test_only_the_author_acts_on_a_waiting_post(self) -> None:
        post = services.post_create(community=self.buurt, author=self.anna, text=STIGMA)
        for act in (services.post_withdraw, services.post_send_anyway):
            with self.assertRaises(NotFound):
                act(post=post, by=self.ivo)
        with self.assertRaises(NotFound):
            services.post_revise(post=post, by=self.ivo, text=CLEAN)
        self.assertEqual(Post.objects.get(pk=post.pk).status, PostStatus.PROMPTED)

    def test_a_social_community_can_switch_the_off_topic_check_off(self) -> None:
        self.assertEqual(
            services.post_create(community=self.buurt, author=self.anna, text="Goedemorgen allemaal!").status,
            PostStatus.PROMPTED,
        )
        ModerationSettings.objects.create(community=self.buurt, check_irrelevant=False)
        self.assertEqual(
            services.post_create(community=self.buurt, author=self.anna, text="Goedemorgen allemaal!").status,
            PostStatus.PUBLISHED,
        )


class VoorlichtingTests(SamenVeiligTestCase):
    def test_a_partner_posts_voorlichting_with_a_perspective_for_action(self) -> None:
        post = services.post_create(
            community=self.buurt,
            author=self.wendy,
            organisation=self.police,
            text="Er zijn deze week drie schuurinbraken geweest in Noord.",
            perspective="Zet uw schuur op slot en leg gereedschap binnen. Ziet u iets verdachts? Bel 112.",
        )
        self.assertEqual((post.kind, post.status), ("voorlichting", PostStatus.PUBLISHED))

    def test_voorlichting_without_a_perspective_is_refused(self) -> None:
        with self.assertRaises(Invalid) as caught:
            services.post_create(
                community=self.buurt, author=self.wendy, organisation=self.police, text="Drie schuurinbraken."
            )
        self.assertIn("perspective", caught.exception.fields)
        self.assertFalse(Post.objects.exists())

    def test_partners_do_not_post_as_members_nor_for_another_organisation(self) -> None:
        with self.assertRaises(Forbidden):
            services.post_create(community=self.buurt, author=self.wendy, text=CLEAN)
        with self.assertRaises(Forbidden):
            services.post_create(
                community=self.buurt, author=self.wendy, organisation=self.gemeente, text="x", perspective="y"
            )


class QueueTests(SamenVeiligTestCase):
    def test_the_queue_holds_only_held_posts_and_posts_with_an_open_member_report(self) -> None:
        quiet = services.post_create(community=self.buurt, author=self.ivo, text=CLEAN)
        reported = services.post_create(community=self.buurt, author=self.ivo, text=CLEAN)
        decided = services.post_create(community=self.buurt, author=self.ivo, text=CLEAN)
        held = services.post_send_anyway(
            post=services.post_create(community=self.buurt, author=self.anna, text=STIGMA), by=self.anna
        )
        services.post_report(post=reported, by=self.anna, reason="Klopt niet")
        services.post_report(post=decided, by=self.anna, reason="Klopt niet")
        services.post_decide(post=decided, by=self.cor, action="publish")  # kept: the report is resolved
        queue = selectors.queue(community=self.buurt, viewer=self.cor)
        self.assertEqual([p.pk for p in queue], [reported.pk, held.pk])
        self.assertNotIn(quiet.pk, [p.pk for p in queue])

    def held(self) -> Post:
        post = services.post_create(community=self.buurt, author=self.anna, text=STIGMA)
        return services.post_send_anyway(post=post, by=self.anna)

    def test_a_coordinator_publishes_rejects_or_asks_to_rephrase(self) -> None:
        self.assertEqual(services.post_decide(post=self.held(), by=self.cor, action="publish").status, "published")
        rejected = services.post_decide(post=self.held(), by=self.cor, action="reject", reason="Beschrijf gedrag.")
        self.assertEqual(rejected.status, PostStatus.REJECTED)
        notice = Notification.objects.filter(recipient=self.anna, kind="conversation.reject").get()
        self.assertEqual(notice.data["reason"], "Beschrijf gedrag.")
        again = services.post_decide(post=self.held(), by=self.cor, action="rephrase", reason="Zonder afkomst graag.")
        self.assertEqual(services.post_revise(post=again, by=self.anna, text=CLEAN).status, PostStatus.PUBLISHED)

    def test_a_reported_post_can_be_removed_by_a_coordinator(self) -> None:
        post = services.post_create(community=self.buurt, author=self.anna, text=CLEAN)
        services.post_report(post=post, by=self.ivo, reason="Dit klopt niet")
        removed = services.post_decide(post=post, by=self.cor, action="reject", reason="Op verzoek verwijderd.")
        self.assertEqual(removed.status, PostStatus.REMOVED)
        self.assertFalse(PostReport.objects.filter(resolved_at=None).exists())

    def test_bad_decisions_change_nothing(self) -> None:
        post = self.held()
        with self.assertRaises(Forbidden):
            services.post_decide(post=post, by=self.anna, action="publish")
        with self.assertRaises(Invalid):
            services.post_decide(post=post, by=self.cor, action="reject", reason="  ")
        with self.assertRaises(Invalid):
            services.post_decide(post=post, by=self.cor, action="shrug")
        self.assertEqual(Post.objects.get(pk=post.pk).status, PostStatus.HELD)
        clean = services.post_create(community=self.buurt, author=self.anna, text=CLEAN)
        with self.assertRaises(Conflict):  # published and nobody reported it
            services.post_decide(post=clean, by=self.cor, action="reject", reason="Nee")


class ReactionAndReportTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        self.post = services.post_create(community=self.buurt, author=self.anna, text=CLEAN)

    def test_reacting_twice_the_same_way_is_refused(self) -> None:
        services.post_react(post=self.post, by=self.ivo, kind="bedankt")
        services.post_react(post=self.post, by=self.ivo, kind="gezien")
        with self.assertRaises(Conflict):
            services.post_react(post=self.post, by=self.ivo, kind="bedankt")
        self.assertEqual(Reaction.objects.count(), 2)

    def test_reporting_twice_is_refused_and_strangers_cannot_do_either(self) -> None:
        services.post_report(post=self.post, by=self.ivo, reason="Off-topic")
        with self.assertRaises(Conflict):
            services.post_report(post=self.post, by=self.ivo, reason="Nog eens")
        with self.assertRaises(NotFound):
            services.post_react(post=self.post, by=self.olaf, kind="bedankt")
        self.assertEqual(PostReport.objects.count(), 1)

    def test_replies_to_removed_posts_and_empty_or_oversized_posts_are_refused(self) -> None:
        services.post_report(post=self.post, by=self.ivo, reason="weg ermee")
        services.post_decide(post=self.post, by=self.cor, action="reject", reason="Verwijderd")
        with self.assertRaises(Conflict):
            services.post_create(community=self.buurt, author=self.ivo, text="Eens!", parent=self.post)
        for text in ("   ", "x" * 4001):
            with self.assertRaises(Invalid):
                services.post_create(community=self.buurt, author=self.ivo, text=text)
        self.assertEqual(Post.objects.count(), 1)

    def test_coordinators_pin_and_unpin(self) -> None:
        self.assertIsNotNone(services.post_pin(post=self.post, by=self.cor, pinned=True).pinned_at)
        self.assertIsNone(services.post_pin(post=self.post, by=self.cor, pinned=False).pinned_at)
        with self.assertRaises(Forbidden):
            services.post_pin(post=self.post, by=self.anna, pinned=True)

    def test_a_pinned_post_comes_first_in_the_stream_on_every_database(self) -> None:
        newer = services.post_create(community=self.buurt, author=self.ivo, text=CLEAN)
        self.assertEqual(
            [p.pk for p in selectors.stream(community=self.buurt, viewer=self.anna)][:2], [newer.pk, self.post.pk]
        )
        services.post_pin(post=self.post, by=self.cor, pinned=True)
        self.assertEqual(
            [p.pk for p in selectors.stream(community=self.buurt, viewer=self.anna)][:2], [self.post.pk, newer.pk]
        )


class NotificationTextTests(SamenVeiligTestCase):
    def test_every_conversation_and_conduct_notification_has_its_own_dutch_text(self) -> None:
        from samenveilig.notifications import kinds

        data = {"community": "Buurtpreventie Noord", "summary": "x", "reason": "y", "message": "z", "decision": "d"}
        for kind in (
            "conversation.held", "conversation.reported", "conversation.publish", "conversation.reject",
            "conversation.rephrase", "conduct.request", "conduct.warning", "conduct.removal", "conduct.appealed",
            "conduct.appeal_decided",
        ):  # fmt: skip
            with self.subTest(kind=kind):
                self.assertIn("Buurtpreventie Noord", kinds.render(kind, data).title)

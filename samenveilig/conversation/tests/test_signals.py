"""The municipality's overview: which communities' conversations need attention (a growing or stale queue, rising
flags), who may see it, and the same figures in the page and the API."""

from datetime import timedelta

from django.utils import timezone

from samenveilig.communities import services as community_services
from samenveilig.communities.models import Community, Partnership
from samenveilig.conversation import selectors
from samenveilig.conversation import services as conversation
from samenveilig.conversation.models import Post, PostEvent
from samenveilig.core.errors import NotFound
from samenveilig.core.testing import SamenVeiligTestCase

CLEAN = "Man in zwarte jas voelt aan de deurklinken van de auto's aan de Parklaan, loopt richting het station."
STIGMA = "Er loopt weer een donkere man door de straat, niet pluis"


class SignalTests(SamenVeiligTestCase):
    def held(self, n: int) -> list[Post]:
        return [
            conversation.post_send_anyway(
                post=conversation.post_create(community=self.buurt, author=self.anna, text=STIGMA), by=self.anna
            )
            for _ in range(n)
        ]

    def row(self, viewer: object = None) -> selectors.CommunitySignal:
        rows = selectors.community_signals(viewer=viewer or self.mark)
        return next(r for r in rows if r.community == self.buurt)

    def age(self, posts: list[Post], days: int) -> None:
        """Move these posts and their events `days` back in time."""
        then = timezone.now() - timedelta(days=days)
        Post.objects.filter(pk__in=[p.pk for p in posts]).update(created_at=then)
        PostEvent.objects.filter(post__in=posts).update(created_at=then)

    def test_a_quiet_conversation_has_no_signal(self) -> None:
        conversation.post_create(community=self.buurt, author=self.anna, text=CLEAN)
        row = self.row()
        self.assertEqual(row.signals, {})
        self.assertEqual((row.activity.open_items, row.activity.posts_recent, row.activity.flagged_recent), (0, 1, 0))

    def test_a_queue_that_grows_is_a_signal_until_the_coordinators_catch_up(self) -> None:
        posts = self.held(3)
        row = self.row()
        self.assertEqual((row.activity.open_items, row.activity.entered, row.activity.decided), (3, 3, 0))
        self.assertIn("queue_growing", row.signals)
        self.assertIn("3", row.signals["queue_growing"])
        for post in posts[:2]:
            conversation.post_decide(post=post, by=self.cor, action="reject", reason="Niet feitelijk.")
        self.assertNotIn("queue_growing", self.row().signals)

    def test_a_member_report_counts_as_waiting(self) -> None:
        post = conversation.post_create(community=self.buurt, author=self.anna, text=CLEAN)
        conversation.post_report(post=post, by=self.ivo, reason="Klopt niet")
        self.assertEqual(self.row().activity.open_items, 1)

    def test_a_post_waiting_longer_than_three_days_is_a_signal_of_its_own(self) -> None:
        posts = self.held(1)
        self.assertNotIn("queue_stale", self.row().signals)
        self.age(posts, 4)
        row = self.row()
        self.assertIn("queue_stale", row.signals)
        self.assertIn("4", row.signals["queue_stale"])
        self.assertNotIn("queue_growing", row.signals)  # one item is not a growing queue

    def test_flags_rise_against_the_two_weeks_before(self) -> None:
        recent = [conversation.post_create(community=self.buurt, author=self.anna, text=STIGMA) for _ in range(3)]
        self.assertEqual(self.row().activity.flagged_recent, 3)
        self.assertIn("flags_rising", self.row().signals)
        before = [conversation.post_create(community=self.buurt, author=self.anna, text=STIGMA) for _ in range(2)]
        self.age(before, 20)
        row = self.row()
        self.assertEqual((row.activity.flagged_recent, row.activity.flagged_before), (3, 2))
        self.assertNotIn("flags_rising", row.signals)  # 3 is not twice 2
        self.age(recent, 40)  # out of both windows
        self.assertEqual((self.row().activity.flagged_recent, self.row().activity.flagged_before), (0, 2))

    def test_municipal_staff_see_their_partner_communities_and_admins_all(self) -> None:
        self.assertEqual([r.community for r in selectors.community_signals(viewer=self.mark)], [self.buurt])
        self.assertEqual(
            {r.community for r in selectors.community_signals(viewer=self.root)}, {self.buurt, self.zuid_community}
        )
        for who in ("anna", "cor", "wendy", "olaf"):  # members, coordinators, the police: no overview
            with self.subTest(who=who), self.assertRaises(NotFound):
                selectors.community_signals(viewer=getattr(self, who))

    def test_the_number_of_queries_does_not_grow_with_the_communities(self) -> None:
        self.held(1)
        with self.assertNumQueries(6):
            selectors.community_signals(viewer=self.mark)
        for i in range(3):
            extra = community_services.community_create(
                name=f"Straat {i}", kind="street", municipality=self.areas["gemeente"], buurten=[self.noord]
            )
            Partnership.objects.create(community=extra, organisation=self.gemeente)
        with self.assertNumQueries(6):
            self.assertEqual(len(selectors.community_signals(viewer=self.mark)), 4)

    def test_signalled_communities_come_first(self) -> None:
        Partnership.objects.create(community=self.zuid_community, organisation=self.gemeente)
        self.held(3)
        Community.objects.filter(pk=self.zuid_community.pk).update(name="Aalstraat")  # first by name
        names = [r.community.name for r in selectors.community_signals(viewer=self.mark)]
        self.assertEqual(names, ["Buurtpreventie Noord", "Aalstraat"])


class SignalPageAndApiTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        for _ in range(3):
            conversation.post_send_anyway(
                post=conversation.post_create(community=self.buurt, author=self.anna, text=STIGMA), by=self.anna
            )

    def test_the_page_lists_the_signal_in_dutch(self) -> None:
        self.login_as("mark")
        page = self.client.get("/signalen/")
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        self.assertIn('data-signal="queue_growing"', html)
        self.assertIn("3 berichten wachten", html)
        self.assertIn('href="/signalen/"', html)  # the navigation shows the overview to municipal staff
        self.assertNotIn("Straat Zuid", html)

    def test_the_page_is_not_there_for_members_or_strangers(self) -> None:
        for who in ("anna", "cor", "olaf"):
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(self.client.get("/signalen/").status_code, 404)
                self.assertNotIn('href="/signalen/"', self.client.get("/").content.decode())
        self.login_as(None)
        self.assertEqual(self.client.get("/signalen/").status_code, 302)  # to the login page

    def test_the_api_gives_the_same_figures(self) -> None:
        self.login_as("mark")
        body = self.client.get("/api/v1/signals", HTTP_ACCEPT_LANGUAGE="en").json()
        self.assertEqual(len(body), 1)
        self.assertEqual(
            {k: body[0][k] for k in ("slug", "open_items", "entered_7d", "decided_7d", "flagged_14d", "posts_14d")},
            {
                "slug": self.buurt.slug,
                "open_items": 3,
                "entered_7d": 3,
                "decided_7d": 0,
                "flagged_14d": 3,
                "posts_14d": 3,
            },
        )
        self.assertEqual(set(body[0]["signals"]), {"queue_growing", "flags_rising"})
        self.assertIn("3 posts are waiting", body[0]["signals"]["queue_growing"])
        self.login_as("anna")
        problem = self.client.get("/api/v1/signals")
        self.assertEqual(problem.status_code, 404)
        self.assertEqual(problem["Content-Type"], "application/problem+json")

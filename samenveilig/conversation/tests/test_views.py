"""The conversation's pages: who may open them, and that a form post goes through the services."""

from samenveilig.conversation.models import Post, PostStatus
from samenveilig.core.testing import SamenVeiligTestCase


class ConversationPageTests(SamenVeiligTestCase):
    def url(self, suffix: str = "") -> str:
        return f"/communities/{self.buurt.slug}/gesprek/{suffix}"

    def test_members_and_partners_see_the_stream_strangers_do_not(self) -> None:
        for who, status in (("anna", 200), ("wendy", 200), ("olaf", 404)):
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(self.client.get(self.url()).status_code, status)
                self.assertEqual(self.client.get(self.url("berichten/")).status_code, status)

    def test_only_coordinators_open_the_queue(self) -> None:
        for who, status in (("cor", 200), ("anna", 403), ("olaf", 404)):
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(self.client.get(self.url("wachtrij/")).status_code, status)

    def test_a_flagged_post_leads_to_the_kind_prompt_and_an_empty_one_changes_nothing(self) -> None:
        self.login_as("anna")
        response = self.client.post(self.url("plaatsen/"), {"text": "Weer van die Polen in de wijk, let op je spullen"})
        post = Post.objects.get()
        self.assertEqual(post.status, PostStatus.PROMPTED)
        self.assertRedirects(response, self.url(f"{post.code}/"))
        page = self.client.get(self.url(f"{post.code}/"))
        self.assertContains(page, "Polen")
        self.assertContains(page, "Beschrijf wat de persoon doet")
        self.client.post(self.url("plaatsen/"), {"text": "   "})
        self.assertEqual(Post.objects.count(), 1)
        self.login_as("ivo")  # somebody else's prompt is not theirs to see
        self.assertEqual(self.client.get(self.url(f"{post.code}/")).status_code, 404)

    def test_ids_that_are_not_ids_are_404_not_an_error(self) -> None:
        self.login_as("anna")
        reply = self.client.post(self.url("plaatsen/"), {"text": "Klopt", "reply_to": "geen-code"})
        self.assertEqual(reply.status_code, 404)
        self.assertEqual(self.client.post("/gedrag/", {"step": "abc", "text": "x"}).status_code, 404)
        self.login_as("cor")
        self.assertEqual(self.client.post(self.url("wachtrij/"), {"post": "x", "action": "publish"}).status_code, 404)
        self.assertFalse(Post.objects.exists())

    def test_the_stream_costs_the_same_queries_for_few_or_many_posts(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from samenveilig.conversation import services

        clean = "Man in zwarte jas voelt aan deurklinken aan de Parklaan, richting station ({n})."

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(self.url("berichten/")).status_code, 200)
            return len(captured.captured_queries)

        self.login_as("ivo")
        for n in range(2):
            post = services.post_create(community=self.buurt, author=self.anna, text=clean.format(n=n))
            services.post_create(community=self.buurt, author=self.cor, text=f"Gezien ({n})", parent=post)
        queries()  # the first request fills this process's caches (core.refcache): compare warm with warm
        few = queries()
        for n in range(2, 8):
            post = services.post_create(community=self.buurt, author=self.anna, text=clean.format(n=n))
            services.post_create(community=self.buurt, author=self.cor, text=f"Gezien ({n})", parent=post)
        self.assertEqual(queries(), few)

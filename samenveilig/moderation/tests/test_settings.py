"""A community's moderation settings: the off-topic check and the warnings before removal, set by its
coordinators in the page and the API, with effect on the next post and the next removal."""

from samenveilig.communities.models import Membership
from samenveilig.conversation import services as conversation
from samenveilig.conversation.models import PostStatus
from samenveilig.core.audit import AuditEvent
from samenveilig.core.errors import Conflict
from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.moderation import services
from samenveilig.moderation.models import ModerationSettings

CHATTER = "Goedemorgen allemaal, wat een mooie dag!"


class SettingsTests(SamenVeiligTestCase):
    def url(self) -> str:
        return f"/api/v1/communities/{self.buurt.code}/moderation"

    def test_the_page_switches_the_off_topic_check_off_for_the_next_post(self) -> None:
        self.assertEqual(
            conversation.post_create(community=self.buurt, author=self.anna, text=CHATTER).status, PostStatus.PROMPTED
        )
        self.login_as("cor")
        page = self.client.get(f"/communities/{self.buurt.slug}/moderatie/")
        self.assertContains(page, 'name="check_irrelevant" checked')  # the default: the check is on
        saved = self.client.post(f"/communities/{self.buurt.slug}/moderatie/", {"warnings_before_removal": "2"})
        self.assertEqual(saved.status_code, 302)
        found = ModerationSettings.objects.get(community=self.buurt)
        self.assertEqual((found.check_irrelevant, found.warnings_before_removal), (False, 2))
        self.assertTrue(AuditEvent.objects.filter(action="moderation.settings").exists())
        self.assertEqual(
            conversation.post_create(community=self.buurt, author=self.anna, text=CHATTER).status,
            PostStatus.PUBLISHED,
        )

    def test_bad_numbers_are_refused_in_dutch_and_nothing_changes(self) -> None:
        self.login_as("cor")
        for value in ("9", "-1", "twee", ""):
            with self.subTest(value=value):
                page = self.client.post(
                    f"/communities/{self.buurt.slug}/moderatie/",
                    {"check_irrelevant": "on", "warnings_before_removal": value},
                )
                self.assertEqual(page.status_code, 422)
                self.assertContains(page, "waarschuwingen", status_code=422)
        self.assertFalse(ModerationSettings.objects.exists())
        refused = self.client.put(
            self.url(), {"check_irrelevant": True, "warnings_before_removal": 6}, content_type="application/json"
        )
        self.assertEqual((refused.status_code, refused.json()["code"]), (422, "conduct.invalid"))
        self.assertFalse(ModerationSettings.objects.exists())

    def test_only_coordinators_see_or_change_the_settings(self) -> None:
        for who, status in (("anna", 403), ("ivo", 403), ("olaf", 404), ("mark", 403)):
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(self.client.get(f"/communities/{self.buurt.slug}/moderatie/").status_code, status)
                body = {"check_irrelevant": False, "warnings_before_removal": 0}
                self.assertEqual(self.client.put(self.url(), body, content_type="application/json").status_code, status)
        self.assertFalse(ModerationSettings.objects.exists())

    def test_the_api_sets_the_warnings_before_removal(self) -> None:
        self.login_as("cor")
        self.assertEqual(self.client.get(self.url()).json(), {"check_irrelevant": True, "warnings_before_removal": 1})
        body = {"check_irrelevant": True, "warnings_before_removal": 0}
        self.assertEqual(self.client.put(self.url(), body, content_type="application/json").json(), body)
        anna = Membership.objects.get(community=self.buurt, user=self.anna)
        services.conduct_step_take(membership=anna, by=self.cor, kind="request", message="Let op.")
        services.conduct_step_take(membership=anna, by=self.cor, kind="removal", message="Verwijderd.")  # no warning
        body = {"check_irrelevant": True, "warnings_before_removal": 2}
        self.client.put(self.url(), body, content_type="application/json")
        ivo = Membership.objects.get(community=self.buurt, user=self.ivo)
        services.conduct_step_take(membership=ivo, by=self.cor, kind="request", message="Let op.")
        services.conduct_step_take(membership=ivo, by=self.cor, kind="warning", message="Waarschuwing.")
        with self.assertRaises(Conflict):
            services.conduct_step_take(membership=ivo, by=self.cor, kind="removal", message="Weg.")

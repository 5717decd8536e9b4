"""The community pages: what each person sees, forms that re-render with 422, the join flow and the QR code."""

from django.urls import reverse

from samenveilig.communities import services
from samenveilig.communities.models import Community, HouseRules, Membership, PhaseChange
from samenveilig.communities.tests.helpers import add_pending, membership
from samenveilig.core.testing import SamenVeiligTestCase


class ListPageTests(SamenVeiligTestCase):
    def test_everyone_sees_the_public_list_and_members_see_theirs_first(self) -> None:
        self.login_as(None)
        response = self.client.get("/communities/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual([c.name for c in response.context["others"]], ["Buurtpreventie Noord", "Straat Zuid"])
        self.login_as("anna")
        response = self.client.get("/communities/")
        self.assertEqual([c.name for c in response.context["mine"]], ["Buurtpreventie Noord"])
        self.assertEqual([c.name for c in response.context["others"]], ["Straat Zuid"])

    def test_filters_and_bad_filters(self) -> None:
        response = self.client.get("/communities/", {"kind": "street"})
        self.assertEqual([c.name for c in response.context["others"]], ["Straat Zuid"])
        self.assertEqual(self.client.get("/communities/", {"phase": "9"}).status_code, 422)


class DetailPageTests(SamenVeiligTestCase):
    def page(self, who):
        self.login_as(who)
        return self.client.get(reverse("communities:detail", args=[self.buurt.slug]))

    def test_a_stranger_sees_the_public_page_without_names(self) -> None:
        response = self.page("olaf")
        content = response.content.decode()
        self.assertEqual(response.context["view"], "public")
        self.assertIn("Buurtpreventie Noord", content)
        self.assertIn('id="join-heading"', content)
        for name in ("Anna", "Cor", "Politie basisteam Testdorp"):
            self.assertNotIn(name, content)

    def test_a_member_sees_first_names_and_partners(self) -> None:
        content = self.page("anna").content.decode()
        for text in ("Anna", "Cor", "Ivo", "Fenna", "Politie basisteam Testdorp"):
            self.assertIn(text, content)
        self.assertNotIn("Jansen", content)

    def test_partner_staff_see_the_coordinators_not_the_members(self) -> None:
        response = self.page("wendy")
        content = response.content.decode()
        self.assertEqual(response.context["view"], "partner")
        self.assertIn("Cor", content)
        self.assertNotIn("Anna", content)

    def test_a_pending_member_waits(self) -> None:
        pia = add_pending(self.buurt)
        self.client.force_login(pia.user)
        response = self.client.get(reverse("communities:detail", args=[self.buurt.slug]))
        self.assertEqual(response.context["view"], "pending")
        self.assertNotIn("Anna", response.content.decode())

    def test_a_member_is_asked_to_accept_new_rules(self) -> None:
        services.house_rules_publish(community=self.buurt, text="Versie twee van de spelregels.", by=self.cor)
        response = self.page("anna")
        self.assertTrue(response.context["standing"].rules_acceptance_required)
        self.assertContains(response, "sv-rules-prompt")
        self.login_as("cor")  # cor has not accepted either, having only published
        response = self.client.post(
            reverse("communities:rules_accept", args=[self.buurt.slug]), {"version": "1", "accept": "on"}
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(membership(self.buurt, self.cor).rules_version_accepted, 1)
        response = self.client.post(
            reverse("communities:rules_accept", args=[self.buurt.slug]), {"version": "2", "accept": "on"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(membership(self.buurt, self.cor).rules_version_accepted, 2)

    def test_an_unknown_community_is_404(self) -> None:
        self.assertEqual(self.client.get("/communities/bestaat-niet/").status_code, 404)


class CreatePageTests(SamenVeiligTestCase):
    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        response = self.client.get(reverse("communities:create"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("next=/communities/nieuw/", response["Location"])

    def test_start_with_buurten(self) -> None:
        self.login_as("olaf")
        response = self.client.post(
            reverse("communities:create"), {"name": "Zuid Waakt", "kind": "whatsapp", "buurten": [self.zuid.pk]}
        )
        community = Community.objects.get(name="Zuid Waakt")
        self.assertRedirects(response, reverse("communities:detail", args=[community.slug]))
        self.assertEqual(membership(community, self.olaf).role, "coordinator")

    def test_start_with_a_pasted_polygon(self) -> None:
        self.login_as("olaf")
        polygon = (
            '{"type": "Polygon", "coordinates": [[[5.105, 52.085], [5.107, 52.085], [5.107, 52.086], [5.105, 52.085]]]}'
        )
        response = self.client.post(
            reverse("communities:create"), {"name": "Hofje", "kind": "street", "geometry": polygon}
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Community.objects.filter(name="Hofje").exists())

    def test_bad_input_re_renders_with_422_and_messages(self) -> None:
        self.login_as("olaf")
        before = Community.objects.count()
        cases = [
            ({"name": "", "kind": "street", "buurten": [self.zuid.pk]}, "name"),
            ({"name": "Goed", "kind": "street"}, "buurten"),
            ({"name": "Goed", "kind": "street", "geometry": "{not json"}, "geometry"),
            (
                {
                    "name": "Goed",
                    "kind": "street",
                    "geometry": '{"type": "Polygon", "coordinates": [[[0,0],[1,1],[1,0],[0,1],[0,0]]]}',
                },
                "geometry",
            ),
        ]
        for data, field in cases:
            with self.subTest(field=field, data=str(data)[:40]):
                response = self.client.post(reverse("communities:create"), data)
                self.assertEqual(response.status_code, 422)
                self.assertTrue(response.context["form"].errors.get(field), response.context["form"].errors)
                self.assertContains(response, f'id="id_{field}-error"', status_code=422)
        self.assertEqual(Community.objects.count(), before)


class JoinPageTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        self.invite = services.invite_create(community=self.buurt, by=self.cor)
        self.url = reverse("communities:join", args=[self.invite.token])

    def test_the_page_shows_the_public_information_and_the_rules(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, HouseRules.objects.get(community=self.buurt).text.splitlines()[0][:30])
        self.assertContains(response, f"/accounts/login/?next=/communities/uitnodiging/{self.invite.token}/")

    def test_an_anonymous_post_goes_to_log_in_and_back(self) -> None:
        response = self.client.post(self.url, {"rules_version": "1", "accept_rules": "on"})
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/?next=/communities/uitnodiging/", response["Location"])

    def test_joining_needs_the_checkbox(self) -> None:
        self.login_as("olaf")
        response = self.client.post(self.url, {"rules_version": "1"})
        self.assertEqual(response.status_code, 422)
        self.assertTrue(response.context["form"].errors["accept_rules"])
        self.assertFalse(Membership.objects.filter(user=self.olaf).exists())

    def test_joining_with_outdated_rules_is_refused(self) -> None:
        services.house_rules_publish(community=self.buurt, text="Versie twee van de spelregels.", by=self.cor)
        self.login_as("olaf")
        response = self.client.post(self.url, {"rules_version": "1", "accept_rules": "on"})
        self.assertEqual(response.status_code, 422)
        self.assertTrue(response.context["form"].errors["accept_rules"])

    def test_joining_makes_a_pending_membership(self) -> None:
        self.login_as("olaf")
        response = self.client.post(self.url, {"rules_version": "1", "accept_rules": "on"})
        self.assertRedirects(response, reverse("communities:detail", args=[self.buurt.slug]))
        self.assertEqual(membership(self.buurt, self.olaf).status, "pending")
        again = self.client.post(self.url, {"rules_version": "1", "accept_rules": "on"})
        self.assertEqual(again.status_code, 422)

    def test_a_revoked_invite_says_so(self) -> None:
        services.invite_revoke(invite=self.invite, by=self.cor)
        response = self.client.get(self.url)
        self.assertEqual(response.context["state"], "revoked")

    def test_the_qr_code_is_an_svg_of_the_link(self) -> None:
        response = self.client.get(reverse("communities:invite_qr", args=[self.invite.token]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/svg+xml")
        self.assertTrue(response.content.lstrip().startswith(b"<svg"))
        services.invite_revoke(invite=self.invite, by=self.cor)
        self.assertEqual(self.client.get(reverse("communities:invite_qr", args=[self.invite.token])).status_code, 404)


class CoordinatorPageTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        self.login_as("cor")

    def test_invites_page_creates_lists_and_revokes(self) -> None:
        url = reverse("communities:invites", args=[self.buurt.slug])
        self.assertEqual(self.client.post(url, {"days": "0"}).status_code, 422)
        self.assertEqual(self.client.post(url, {"days": "14", "max_uses": "5", "note": "flyer"}).status_code, 302)
        invite = self.buurt.invites.get()
        response = self.client.get(url)
        self.assertContains(response, reverse("communities:invite_qr", args=[invite.token]))
        self.assertContains(response, 'alt="')
        self.client.post(reverse("communities:invite_revoke", args=[self.buurt.slug, invite.code]))
        invite.refresh_from_db()
        self.assertIsNotNone(invite.revoked_at)

    def test_remove_member_asks_for_a_reason(self) -> None:
        anna = membership(self.buurt, self.anna)
        url = reverse("communities:member_remove", args=[self.buurt.slug, anna.code])
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(url, {"reason": ""})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(membership(self.buurt, self.anna).status, "active")
        self.assertEqual(self.client.post(url, {"reason": "Na waarschuwing opnieuw ruzie."}).status_code, 302)
        self.assertEqual(membership(self.buurt, self.anna).status, "removed")

    def test_pending_approvals(self) -> None:
        pia = add_pending(self.buurt)
        response = self.client.get(reverse("communities:pending", args=[self.buurt.slug]))
        self.assertContains(response, "Pia")
        self.client.post(reverse("communities:member_approve", args=[self.buurt.slug, pia.code]))
        self.assertEqual(Membership.objects.get(pk=pia.pk).status, "active")

    def test_rules_page_publishes_and_re_renders_errors(self) -> None:
        url = reverse("communities:rules", args=[self.buurt.slug])
        self.assertEqual(self.client.post(url, {"text": ""}).status_code, 422)
        self.assertEqual(self.client.post(url, {"text": "Nieuwe spelregels, versie twee."}).status_code, 302)
        self.assertEqual(self.buurt.rule_versions.count(), 2)

    def test_phase_page_changes_and_refuses_a_skip(self) -> None:
        url = reverse("communities:phase", args=[self.buurt.slug])
        response = self.client.post(url, {"phase": "3", "reason": ""})
        self.assertEqual(response.status_code, 422)
        self.assertTrue(response.context["form"].errors["phase"])
        self.assertEqual(self.client.post(url, {"phase": "2"}).status_code, 302)
        self.assertEqual(PhaseChange.objects.get().to_phase, 2)
        response = self.client.post(url, {"phase": "1", "reason": ""})
        self.assertEqual(response.status_code, 422)
        self.assertTrue(response.context["form"].errors["reason"])
        history = self.client.get(url).context["history"]
        self.assertEqual([(c.from_phase, c.to_phase) for c in history], [(1, 2)])

"""Partner organisations: the staff's own page and API; everyone else gets 404."""

from uuid import uuid4

from django.urls import reverse

from samenveilig.accounts import access, selectors
from samenveilig.accounts.tests.helpers import problem
from samenveilig.core.errors import NotFound
from samenveilig.core.testing import SamenVeiligTestCase


class AccessOrganisationTests(SamenVeiligTestCase):
    def test_staff_pass_and_everyone_else_gets_not_found(self) -> None:
        for who, allowed in {"wendy": True, "bob": False, "mark": False, "anna": False, "root": False}.items():
            with self.subTest(who=who):
                if allowed:
                    self.assertEqual(access.access_organisation(getattr(self, who), self.police.code), self.police)
                else:
                    with self.assertRaises(NotFound):
                        access.access_organisation(getattr(self, who), self.police.code)

    def test_an_unknown_code_is_not_found(self) -> None:
        with self.assertRaises(NotFound):
            access.access_organisation(self.wendy, uuid4())


class OrganisationPageTests(SamenVeiligTestCase):
    def test_staff_see_name_kind_staff_and_communities(self) -> None:
        self.login_as("wendy")
        response = self.client.get(reverse("accounts:organisation", args=[self.police.code]))
        self.assertContains(response, "Politie basisteam Testdorp")
        self.assertContains(response, "Wendy Visser")
        self.assertContains(response, "wijkagent")
        self.assertContains(response, "Buurtpreventie Noord")
        self.assertNotContains(response, "Straat Zuid")

    def test_non_staff_get_404(self) -> None:
        url = reverse("accounts:organisation", args=[self.police.code])
        for who in ("bob", "mark", "anna", "olaf", "root"):
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_unknown_organisation_is_404(self) -> None:
        self.login_as("wendy")
        self.assertEqual(self.client.get(reverse("accounts:organisation", args=[uuid4()])).status_code, 404)


class OrganisationApiTests(SamenVeiligTestCase):
    def test_my_organisations_lists_title_and_communities(self) -> None:
        self.login_as("wendy")
        body = self.client.get("/api/v1/me/organisations").json()
        self.assertEqual(len(body), 1)
        self.assertEqual(body[0]["name"], "Politie basisteam Testdorp")
        self.assertEqual(body[0]["kind"], "police")
        self.assertEqual(body[0]["title"], "wijkagent")
        self.assertEqual([c["name"] for c in body[0]["communities"]], ["Buurtpreventie Noord"])

    def test_a_resident_has_none(self) -> None:
        self.login_as("anna")
        self.assertEqual(self.client.get("/api/v1/me/organisations").json(), [])

    def test_detail_for_staff_and_404_for_others(self) -> None:
        url = f"/api/v1/me/organisations/{self.police.code}"
        self.login_as("wendy")
        body = self.client.get(url).json()
        self.assertEqual([(s["first_name"], s["title"]) for s in body["staff"]], [("Wendy", "wijkagent")])
        self.login_as("bob")
        response = self.client.get(url)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(problem(response)["code"], "not_found")

    def test_organisations_of_a_person_take_two_queries_at_most(self) -> None:
        with self.assertNumQueries(2):  # the roles, and the communities of their organisations
            roles = list(selectors.staff_roles_of(self.wendy))
            [c.name for role in roles for c in role.organisation.partner_of]


class MeApiTests(SamenVeiligTestCase):
    def test_me_and_memberships(self) -> None:
        self.login_as("cor")
        me = self.client.get("/api/v1/me").json()
        self.assertEqual((me["email"], me["first_name"], me["mfa_enabled"]), ("cor@example.org", "Cor", False))
        memberships = self.client.get("/api/v1/me/memberships").json()
        self.assertEqual(
            [(m["community"]["name"], m["role"], m["status"]) for m in memberships],
            [("Buurtpreventie Noord", "coordinator", "active")],
        )

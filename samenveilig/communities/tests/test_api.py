"""The communities API: shapes, errors as problem+json with stable codes, the invite flow end to end."""

from samenveilig.communities import services
from samenveilig.communities.models import Community, Invite, Membership
from samenveilig.communities.tests.helpers import bearer, membership
from samenveilig.core.testing import ORIGIN, SamenVeiligTestCase

PROBLEM = "application/problem+json"


class ApiTestCase(SamenVeiligTestCase):
    def post(self, url: str, body: dict, who=None, **extra):
        headers = bearer(who) if who else {}
        return self.client.post(url, body, content_type="application/json", **headers, **extra)

    def get(self, url: str, who=None, **extra):
        return self.client.get(url, **(bearer(who) if who else {}), **extra)

    def assertProblem(self, response, status: int, code: str) -> dict:  # noqa: N802
        self.assertEqual(response.status_code, status, response.content[:300])
        self.assertEqual(response["Content-Type"], PROBLEM)
        body = response.json()
        self.assertEqual((body["status"], body["code"]), (status, code))
        return body


class ListAndDetailTests(ApiTestCase):
    def test_the_list_is_public_and_filters(self) -> None:
        response = self.get("/api/v1/communities")
        self.assertEqual(response.status_code, 200)
        self.assertEqual([c["name"] for c in response.json()], ["Buurtpreventie Noord", "Straat Zuid"])
        self.assertEqual(response.json()[0]["member_count"], 4)
        self.assertEqual([c["name"] for c in self.get("/api/v1/communities?kind=street").json()], ["Straat Zuid"])

    def test_the_list_answers_which_communities_cover_a_point(self) -> None:
        lat, lon = ORIGIN
        response = self.get(f"/api/v1/communities?lat={lat + 0.015}&lon={lon + 0.01}")
        self.assertEqual([c["name"] for c in response.json()], ["Buurtpreventie Noord"])
        self.assertProblem(self.get(f"/api/v1/communities?lat={lat}"), 422, "point.incomplete")
        self.assertProblem(self.get("/api/v1/communities?lat=95&lon=5"), 422, "invalid")

    def test_the_public_view_holds_nothing_personal(self) -> None:
        body = self.get(f"/api/v1/communities/{self.buurt.code}").json()
        self.assertEqual(body["view"], "public")
        self.assertIsNone(body["members"])
        self.assertIsNone(body["partners"])
        self.assertEqual(body["house_rules"]["version"], 1)
        self.assertEqual(body["geometry"]["type"], "Polygon")

    def test_a_member_sees_first_names_and_their_own_membership(self) -> None:
        body = self.get(f"/api/v1/communities/{self.buurt.code}", self.anna).json()
        self.assertEqual(body["view"], "member")
        self.assertEqual(sorted(m["first_name"] for m in body["members"]), ["Anna", "Cor", "Fenna", "Ivo"])
        self.assertEqual(set(body["members"][0]), {"code", "first_name", "role", "status", "joined_at"})
        self.assertEqual(body["membership"]["rules_acceptance_required"], False)
        self.assertEqual(sorted(p["kind"] for p in body["partners"]), ["municipality", "police"])

    def test_partner_staff_see_the_coordinators_and_the_count_not_the_members(self) -> None:
        body = self.get(f"/api/v1/communities/{self.buurt.code}", self.wendy).json()
        self.assertEqual(
            (body["view"], body["coordinators"], body["members"], body["member_count"]), ("partner", ["Cor"], None, 4)
        )

    def test_an_unknown_community_is_a_problem(self) -> None:
        self.assertProblem(self.get("/api/v1/communities/00000000-0000-0000-0000-000000000000"), 404, "not_found")

    def test_a_bad_token_on_a_public_endpoint_is_401(self) -> None:
        response = self.client.get("/api/v1/communities", HTTP_AUTHORIZATION="Bearer sv_nope")
        self.assertProblem(response, 401, "unauthenticated")


class CreateTests(ApiTestCase):
    def test_a_signed_in_person_starts_a_community_and_becomes_its_coordinator(self) -> None:
        response = self.post(
            "/api/v1/communities", {"name": "Straatwacht Zuid", "kind": "street", "buurten": ["BU90010101"]}, self.olaf
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["view"], body["phase"], body["membership"]["role"]), ("member", 1, "coordinator"))

    def test_bad_input_is_a_problem_with_field_messages_and_changes_nothing(self) -> None:
        before = Community.objects.count()
        cases = [
            ({"name": "Goed", "kind": "street", "buurten": ["BU00000000"]}, "community.unknown_buurt", "buurten"),
            ({"name": "Goed", "kind": "street"}, "community.no_area", "buurten"),
            (
                {
                    "name": "Goed",
                    "kind": "street",
                    "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
                },
                "geometry.invalid",
                "geometry",
            ),
            ({"name": "Goed", "kind": "castle", "buurten": ["BU90010101"]}, "invalid", "kind"),
        ]
        for body, code, field in cases:
            with self.subTest(code=code):
                problem = self.assertProblem(self.post("/api/v1/communities", body, self.olaf), 422, code)
                self.assertIn(field, problem["fields"])
        self.assertEqual(Community.objects.count(), before)

    def test_anonymous_cannot_create(self) -> None:
        self.assertProblem(self.post("/api/v1/communities", {"name": "x", "kind": "street"}), 401, "unauthenticated")


class PhaseAndRulesTests(ApiTestCase):
    def test_phase_rules_answer_with_their_codes(self) -> None:
        url = f"/api/v1/communities/{self.buurt.code}/phase"
        self.assertProblem(self.post(url, {"phase": 3}, self.fenna), 422, "phase.skip")
        self.assertProblem(self.post(url, {"phase": 1}, self.fenna), 422, "phase.same")
        body = self.post(url, {"phase": 2}, self.fenna).json()
        self.assertEqual((body["phase"], body["history"][0]["changed_by"]), (2, "Fenna"))
        self.assertProblem(self.post(url, {"phase": 1}, self.fenna), 422, "phase.reason_required")
        self.assertEqual(self.post(url, {"phase": 1, "reason": "Opnieuw beginnen"}, self.fenna).status_code, 200)

    def test_rules_versions_and_acceptance(self) -> None:
        url = f"/api/v1/communities/{self.buurt.code}/rules"
        response = self.post(url, {"text": "Versie twee: we blijven vriendelijk."}, self.cor)
        self.assertEqual((response.status_code, response.json()["version"]), (201, 2))
        detail = self.get(url, self.anna).json()
        self.assertEqual([v["version"] for v in detail["versions"]], [2, 1])
        self.assertTrue(detail["membership"]["rules_acceptance_required"])
        community = self.get(f"/api/v1/communities/{self.buurt.code}", self.anna).json()
        self.assertTrue(community["membership"]["rules_acceptance_required"])
        self.assertProblem(self.post(url + "/accept", {"version": 1}, self.anna), 422, "rules.outdated")
        accepted = self.post(url + "/accept", {"version": 2}, self.anna)
        self.assertEqual(accepted.status_code, 200)
        self.assertFalse(accepted.json()["rules_acceptance_required"])

    def test_a_non_member_cannot_accept_rules(self) -> None:
        url = f"/api/v1/communities/{self.buurt.code}/rules/accept"
        self.assertProblem(self.post(url, {"version": 1}, self.olaf), 404, "not_found")


class InviteFlowApiTests(ApiTestCase):
    def test_create_join_approve(self) -> None:
        created = self.post(
            f"/api/v1/communities/{self.buurt.code}/invites", {"note": "flyer", "max_uses": 2}, self.cor
        )
        self.assertEqual(created.status_code, 201, created.content)
        invite = created.json()
        self.assertEqual((invite["state"], invite["uses"], invite["max_uses"]), ("usable", 0, 2))
        token = invite["url"].rstrip("/").rsplit("/", 1)[1]
        public = self.get(f"/api/v1/communities/invites/{token}").json()
        self.assertEqual((public["community"]["name"], public["house_rules"]["version"]), ("Buurtpreventie Noord", 1))
        joined = self.post(f"/api/v1/communities/invites/{token}/join", {"accept_rules_version": 1}, self.olaf)
        self.assertEqual((joined.status_code, joined.json()["status"]), (201, "pending"))
        again = self.post(f"/api/v1/communities/invites/{token}/join", {"accept_rules_version": 1}, self.olaf)
        self.assertProblem(again, 409, "membership.duplicate")
        pending = self.get(f"/api/v1/communities/{self.buurt.code}/members?status=pending", self.cor).json()
        self.assertEqual([p["first_name"] for p in pending], ["Olaf"])
        approved = self.post(
            f"/api/v1/communities/{self.buurt.code}/members/{pending[0]['code']}/approve", {}, self.cor
        )
        self.assertEqual(approved.json()["status"], "active")

    def test_join_errors(self) -> None:
        invite = services.invite_create(community=self.buurt, by=self.cor, max_uses=1)
        url = f"/api/v1/communities/invites/{invite.token}/join"
        self.assertProblem(self.post(url, {"accept_rules_version": 0}, self.olaf), 422, "rules.not_accepted")
        self.assertProblem(self.post(url, {}, self.olaf), 422, "invalid")
        self.assertEqual(self.post(url, {"accept_rules_version": 1}, self.olaf).status_code, 201)
        self.assertProblem(self.post(url, {"accept_rules_version": 1}, self.bob), 422, "invite.used_up")
        revoked = services.invite_create(community=self.buurt, by=self.cor)
        self.post(f"/api/v1/communities/{self.buurt.code}/invites/{revoked.code}/revoke", {}, self.cor)
        self.assertProblem(
            self.post(f"/api/v1/communities/invites/{revoked.token}/join", {"accept_rules_version": 1}, self.bob),
            422,
            "invite.revoked",
        )
        self.assertProblem(
            self.post(
                "/api/v1/communities/invites/nonsense-token-xxxxxxxxxxx/join", {"accept_rules_version": 1}, self.bob
            ),
            404,
            "not_found",
        )
        self.assertFalse(Membership.objects.filter(user=self.bob).exists())

    def test_invites_list_shows_uses_and_state(self) -> None:
        invite = services.invite_create(community=self.buurt, by=self.cor)
        services.invite_revoke(invite=invite, by=self.cor)
        rows = self.get(f"/api/v1/communities/{self.buurt.code}/invites", self.cor).json()
        self.assertEqual([(r["code"], r["state"]) for r in rows], [(str(invite.code), "revoked")])
        self.assertTrue(Invite.objects.get(pk=invite.pk).revoked_at)


class MemberActionsApiTests(ApiTestCase):
    def test_remove_needs_a_reason(self) -> None:
        anna = membership(self.buurt, self.anna)
        url = f"/api/v1/communities/{self.buurt.code}/members/{anna.code}/remove"
        self.assertProblem(self.post(url, {"reason": ""}, self.cor), 422, "membership.reason_required")
        self.assertEqual(self.post(url, {"reason": "Ruzie na waarschuwing."}, self.cor).json()["status"], "removed")

    def test_set_role_and_leave(self) -> None:
        ivo = membership(self.buurt, self.ivo)
        url = f"/api/v1/communities/{self.buurt.code}/members/{ivo.code}/role"
        self.assertEqual(self.post(url, {"role": "coordinator"}, self.cor).json()["role"], "coordinator")
        self.assertProblem(self.post(url, {"role": "king"}, self.cor), 422, "invalid")
        left = self.post(f"/api/v1/communities/{self.buurt.code}/leave", {}, self.anna)
        self.assertEqual(left.json()["status"], "left")
        self.assertProblem(self.post(f"/api/v1/communities/{self.buurt.code}/leave", {}, self.anna), 404, "not_found")

    def test_a_coordinator_of_another_community_cannot_manage_this_one(self) -> None:
        anna = membership(self.buurt, self.anna)
        url = f"/api/v1/communities/{self.zuid_community.code}/members/{anna.code}/remove"
        self.assertProblem(self.post(url, {"reason": "x"}, self.cor), 404, "not_found")
        self.assertProblem(self.post(url, {"reason": "x"}, self.root), 404, "not_found")  # not a member of zuid
        self.assertEqual(membership(self.buurt, self.anna).status, "active")

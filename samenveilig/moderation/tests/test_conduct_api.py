"""Conduct steps and appeals through the API: the request-warning-removal path, the appeal and its decision."""

from samenveilig.communities.models import Membership, MembershipStatus
from samenveilig.core.testing import SamenVeiligTestCase


class ConductApiTests(SamenVeiligTestCase):
    def post(self, url: str, body: dict) -> object:
        return self.client.post(url, body, content_type="application/json")

    def test_steps_an_appeal_and_its_decision(self) -> None:
        anna = Membership.objects.get(community=self.buurt, user=self.anna)
        url = f"/api/v1/communities/{self.buurt.code}/members/{anna.code}/conduct"
        self.login_as("anna")
        self.assertEqual(self.post(url, {"kind": "request"}).status_code, 403)
        self.login_as("cor")
        request = self.post(url, {"kind": "request"})
        self.assertEqual(request.status_code, 201)
        self.assertIn("Anna", request.json()["message"])  # the ready text, in Dutch
        self.assertIn("huisregels", request.json()["message"])
        early = self.post(url, {"kind": "removal", "message": "Weg"})
        self.assertEqual((early.status_code, early.json()["code"]), (409, "conduct.order"))
        self.assertEqual(self.post(url, {"kind": "warning"}).status_code, 201)
        removal = self.post(url, {"kind": "removal", "message": "Je bent verwijderd."}).json()
        self.assertEqual(Membership.objects.get(pk=anna.pk).status, MembershipStatus.REMOVED)

        self.login_as("anna")
        mine = self.client.get("/api/v1/me/conduct").json()
        self.assertEqual([s["kind"] for s in mine], ["removal", "warning", "request"])
        appeal = self.post(f"/api/v1/conduct/{removal['id']}/appeal", {"text": "Ik beloof beterschap."})
        self.assertEqual(appeal.status_code, 201)
        again = self.post(f"/api/v1/conduct/{removal['id']}/appeal", {"text": "Nog eens"})
        self.assertEqual((again.status_code, again.json()["code"]), (409, "appeal.twice"))

        self.login_as("cor")
        self.assertEqual(self.client.get(f"/api/v1/communities/{self.buurt.code}/appeals").json(), [])
        refused = self.post(
            f"/api/v1/appeals/{appeal.json()['id']}/decision", {"outcome": "overturned", "decision": "Ja"}
        )
        self.assertEqual(refused.status_code, 403)
        self.login_as("fenna")
        open_ = self.client.get(f"/api/v1/communities/{self.buurt.code}/appeals").json()
        self.assertEqual([a["id"] for a in open_], [appeal.json()["id"]])
        decided = self.post(
            f"/api/v1/appeals/{appeal.json()['id']}/decision", {"outcome": "overturned", "decision": "Welkom terug."}
        )
        self.assertEqual(decided.json()["outcome"], "overturned")
        self.assertEqual(Membership.objects.get(pk=anna.pk).status, MembershipStatus.ACTIVE)
        self.login_as("anna")
        self.assertEqual(self.client.get("/api/v1/me/conduct").json()[0]["appeal"]["decision"], "Welkom terug.")

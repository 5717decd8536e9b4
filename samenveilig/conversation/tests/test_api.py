"""The conversation's API contract: the kind prompt round trip, the queue, and who sees what."""

from samenveilig.conversation.models import PostStatus
from samenveilig.core.testing import SamenVeiligTestCase

CLEAN = "Man in zwarte jas voelt aan de deurklinken van de auto's aan de Parklaan, loopt richting het station."
STIGMA = "Er loopt weer een donkere man door de straat, niet pluis"


class ConversationApiTests(SamenVeiligTestCase):
    def post(self, url: str, body: dict) -> object:
        return self.client.post(url, body, content_type="application/json")

    def test_the_kind_prompt_round_trip(self) -> None:
        self.login_as("anna")
        created = self.post(f"/api/v1/communities/{self.buurt.code}/posts", {"text": STIGMA})
        self.assertEqual(created.status_code, 201)
        body = created.json()
        self.assertEqual((body["status"], body["flags"]), ("prompted", ["stigmatisering"]))
        self.assertIn("kleding", body["suggestions"]["stigmatisering"])  # Dutch, a suggestion of what to do instead
        self.login_as("ivo")  # another member does not see it at all
        self.assertEqual(self.client.get(f"/api/v1/posts/{body['code']}").status_code, 404)
        self.assertEqual(self.client.get(f"/api/v1/communities/{self.buurt.code}/posts").json(), [])
        self.login_as("anna")
        revised = self.post(f"/api/v1/posts/{body['code']}/revise", {"text": CLEAN}).json()
        self.assertEqual(revised["status"], PostStatus.PUBLISHED)
        self.login_as("ivo")
        stream = self.client.get(f"/api/v1/communities/{self.buurt.code}/posts").json()
        self.assertEqual([(p["code"], p["author"], p["flags"]) for p in stream], [(body["code"], "Anna", [])])

    def test_sent_anyway_it_reaches_the_queue_and_a_coordinator_rejects_it(self) -> None:
        self.login_as("anna")
        code = self.post(f"/api/v1/communities/{self.buurt.code}/posts", {"text": STIGMA}).json()["code"]
        self.assertEqual(self.post(f"/api/v1/posts/{code}/send-anyway", {}).json()["status"], "held")
        self.assertEqual(self.client.get(f"/api/v1/communities/{self.buurt.code}/queue").status_code, 403)
        self.login_as("cor")
        queue = self.client.get(f"/api/v1/communities/{self.buurt.code}/queue").json()
        self.assertEqual([(p["code"], p["flags"]) for p in queue], [(code, ["stigmatisering"])])
        refused = self.post(f"/api/v1/posts/{code}/decision", {"action": "reject"})
        self.assertEqual(refused.status_code, 422)
        self.assertIn("reason", refused.json()["fields"])
        done = self.post(f"/api/v1/posts/{code}/decision", {"action": "reject", "reason": "Beschrijf gedrag."})
        self.assertEqual(done.json()["status"], "rejected")
        self.assertEqual(self.client.get(f"/api/v1/communities/{self.buurt.code}/queue").json(), [])

    def test_reply_react_and_report(self) -> None:
        self.login_as("anna")
        code = self.post(f"/api/v1/communities/{self.buurt.code}/posts", {"text": CLEAN}).json()["code"]
        self.login_as("ivo")
        reply = self.post(
            f"/api/v1/communities/{self.buurt.code}/posts",
            {"text": "Gezien, politie is al onderweg.", "reply_to": code},
        ).json()
        self.assertEqual(reply["reply_to"], code)
        self.assertEqual(self.post(f"/api/v1/posts/{code}/reactions", {"kind": "bedankt"}).status_code, 201)
        twice = self.post(f"/api/v1/posts/{code}/reactions", {"kind": "bedankt"})
        self.assertEqual((twice.status_code, twice.json()["code"]), (409, "reaction.twice"))
        self.assertEqual(self.post(f"/api/v1/posts/{code}/reports", {"reason": "Klopt niet"}).status_code, 201)
        listed = self.client.get(f"/api/v1/communities/{self.buurt.code}/posts").json()
        self.assertEqual([(p["code"], p["thanks"], p["replies"]) for p in listed], [(code, 1, 1)])
        self.assertEqual([r["code"] for r in self.client.get(f"/api/v1/posts/{code}/replies").json()], [reply["code"]])

    def test_strangers_get_404(self) -> None:
        self.login_as("olaf")
        self.assertEqual(self.client.get(f"/api/v1/communities/{self.buurt.code}/posts").status_code, 404)
        self.assertEqual(self.post(f"/api/v1/communities/{self.buurt.code}/posts", {"text": CLEAN}).status_code, 404)

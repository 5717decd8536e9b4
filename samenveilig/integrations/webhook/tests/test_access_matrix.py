"""Who may see and change a partner's webhook, in the API and on the pages: platform admins everything; the
organisation's own staff read it without the secret; other organisations' staff, residents and anonymous visitors
get what they get for an organisation that does not exist."""

from typing import Any

from django.test import override_settings

from samenveilig.accounts import services as account_services
from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.integrations.webhook import services
from samenveilig.integrations.webhook.models import WebhookEndpoint

PUBLIC = "https://145.97.1.1/samenveilig"
WHO = ("root", "wendy", "bob", "anna", None)  # admin, police staff, other police's staff, resident, anonymous


@override_settings(ALLOW_PRIVATE_ENDPOINTS=False)
class WebhookApiAccessTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        self.endpoint = services.webhook_set(organisation=self.police, url=PUBLIC, by=self.root)
        self.url = f"/api/v1/organisations/{self.police.code}/webhook"
        self._keys: dict[str, str] = {}

    def auth(self, who: str | None) -> dict[str, str]:
        if who is None:
            return {}
        if who not in self._keys:
            self._keys[who] = account_services.token_create(user=getattr(self, who))[1]
        return {"HTTP_AUTHORIZATION": f"Bearer {self._keys[who]}"}

    def call(self, method: str, url: str, who: str | None, body: dict[str, Any] | None = None):
        send = getattr(self.client, method)
        if body is None:
            return send(url, **self.auth(who))
        return send(url, body, content_type="application/json", **self.auth(who))

    def secret(self) -> str:
        return WebhookEndpoint.objects.get(organisation=self.police).secret

    def test_reading(self) -> None:
        expected = {"root": 200, "wendy": 200, "bob": 404, "anna": 404, None: 401}
        for who in WHO:
            with self.subTest(who=who):
                answer = self.call("get", self.url, who)
                self.assertEqual(answer.status_code, expected[who])
                if who == "root":
                    self.assertEqual(answer.json()["secret"], self.endpoint.secret)
                    self.assertEqual(answer.json()["url"], PUBLIC)
                elif who == "wendy":
                    self.assertEqual(answer.json()["secret"], None)
                    self.assertNotIn(self.endpoint.secret, answer.content.decode())
                    self.assertEqual((answer.json()["url"], answer.json()["active"]), (PUBLIC, True))
                else:
                    self.assertEqual(answer["Content-Type"], "application/problem+json")

    def test_setting(self) -> None:
        expected = {"root": 200, "wendy": 403, "bob": 404, "anna": 404, None: 401}
        for who in ("wendy", "bob", "anna", None, "root"):
            with self.subTest(who=who):
                answer = self.call("put", self.url, who, {"url": PUBLIC + f"/{who}"})
                self.assertEqual(answer.status_code, expected[who], answer.content)
                stored = WebhookEndpoint.objects.get(organisation=self.police).url
                self.assertEqual(stored, PUBLIC + "/root" if who == "root" else PUBLIC)
        self.assertEqual(answer.json()["secret"], self.endpoint.secret)  # a new address keeps the secret

    def test_rotating_the_secret(self) -> None:
        expected = {"root": 200, "wendy": 403, "bob": 404, "anna": 404, None: 401}
        for who in ("wendy", "bob", "anna", None, "root"):
            with self.subTest(who=who):
                answer = self.call("post", self.url + "/rotate-secret", who, {})
                self.assertEqual(answer.status_code, expected[who])
                changed = self.secret() != self.endpoint.secret
                self.assertEqual(changed, who == "root")
        self.assertEqual(answer.json()["secret"], self.secret())

    def test_removing(self) -> None:
        expected = {"root": 204, "wendy": 403, "bob": 404, "anna": 404, None: 401}
        for who in ("wendy", "bob", "anna", None, "root"):
            with self.subTest(who=who):
                self.assertEqual(self.call("delete", self.url, who).status_code, expected[who])
                self.assertEqual(WebhookEndpoint.objects.exists(), who != "root")
        answer = self.call("get", self.url, "root")
        self.assertEqual((answer.status_code, answer.json()["code"]), (404, "webhook.not_set"))
        self.assertEqual(self.call("delete", self.url, "root").status_code, 404)

    def test_an_unknown_organisation_looks_like_a_forbidden_one(self) -> None:
        url = "/api/v1/organisations/00000000-0000-4000-8000-000000000000/webhook"
        self.assertEqual(self.call("get", url, "root").status_code, 404)
        self.assertEqual(
            self.call("get", url, "anna").json()["code"], self.call("get", self.url, "anna").json()["code"]
        )

    def test_a_bad_address_is_a_clear_422_and_changes_nothing(self) -> None:
        for url in ("http://145.97.1.1/x", "https://10.0.0.1/x", "https://partner-system.invalid/x", ""):
            with self.subTest(url=url):
                answer = self.call("put", self.url, "root", {"url": url})
                self.assertEqual(answer.status_code, 422)
                self.assertEqual(answer["Content-Type"], "application/problem+json")
                problem = answer.json()
                self.assertEqual(problem["code"], "webhook.invalid")
                self.assertTrue(problem["fields"]["url"])
                self.assertEqual(WebhookEndpoint.objects.get().url, PUBLIC)
        self.assertEqual(self.call("put", self.url, "root", {}).status_code, 422)  # no url at all

    def test_an_admin_creates_one_switched_off(self) -> None:
        url = f"/api/v1/organisations/{self.gemeente.code}/webhook"
        answer = self.call("put", url, "root", {"url": PUBLIC, "active": False})
        self.assertEqual((answer.status_code, answer.json()["active"]), (200, False))
        self.assertRegex(answer.json()["secret"], r"^[0-9a-f]{64}$")


@override_settings(ALLOW_PRIVATE_ENDPOINTS=False)
class WebhookPageAccessTests(SamenVeiligTestCase):
    def setUp(self) -> None:
        self.endpoint = services.webhook_set(organisation=self.police, url=PUBLIC, by=self.root)
        self.page = f"/webhooks/{self.police.code}/"

    def test_the_page(self) -> None:
        expected = {"root": 200, "wendy": 200, "bob": 404, "anna": 404, None: 302}
        for who in WHO:
            with self.subTest(who=who):
                self.login_as(who)
                answer = self.client.get(self.page)
                self.assertEqual(answer.status_code, expected[who])
                if who in ("root", "wendy"):
                    self.assertContains(answer, PUBLIC)
                    self.assertEqual(self.endpoint.secret in answer.content.decode(), who == "root")
                    self.assertEqual("nieuw-geheim" in answer.content.decode(), who == "root")  # the buttons

    def test_the_overview_is_for_admins_only(self) -> None:
        expected = {"root": 200, "wendy": 404, "bob": 404, "anna": 404, None: 302}
        for who in WHO:
            with self.subTest(who=who):
                self.login_as(who)
                answer = self.client.get("/webhooks/")
                self.assertEqual(answer.status_code, expected[who])
        self.login_as("root")
        overview = self.client.get("/webhooks/")
        self.assertContains(overview, self.police.name)
        self.assertContains(overview, self.gemeente.name)
        self.assertContains(overview, PUBLIC)

    def test_changes(self) -> None:
        expected = {"root": 302, "wendy": 403, "bob": 404, "anna": 404, None: 302}
        for action, data in (("nieuw-geheim", {}), ("aan-uit", {"active": "0"}), ("", {"url": PUBLIC + "/x"})):
            for who in ("wendy", "bob", "anna", None):
                with self.subTest(action=action, who=who):
                    self.login_as(who)
                    answer = self.client.post(f"{self.page}{action}/" if action else self.page, data)
                    self.assertEqual(answer.status_code, expected[who])
                    if who is None:
                        self.assertIn("/accounts/login/", answer["Location"])
                    now = WebhookEndpoint.objects.get()
                    self.assertEqual((now.url, now.secret, now.active), (PUBLIC, self.endpoint.secret, True))
        self.login_as("bob")
        self.assertEqual(self.client.post(f"{self.page}verwijderen/").status_code, 404)
        self.login_as("wendy")
        self.assertEqual(self.client.post(f"{self.page}verwijderen/").status_code, 403)
        self.assertTrue(WebhookEndpoint.objects.exists())

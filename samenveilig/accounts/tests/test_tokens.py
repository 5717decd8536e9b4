"""API tokens: the services, Bearer authentication, and `samenveilig token`."""

from io import StringIO
from unittest import mock

from django.core.management import CommandError, call_command

from samenveilig.accounts import services
from samenveilig.accounts.models import ApiToken
from samenveilig.accounts.tests.helpers import problem
from samenveilig.core.testing import SamenVeiligTestCase


class TokenServiceTests(SamenVeiligTestCase):
    def test_create_returns_the_key_once_and_stores_only_its_hash(self) -> None:
        token, key = services.token_create(user=self.anna, name="script")
        self.assertTrue(key.startswith("sv_"))
        self.assertEqual(token.prefix, key[:12])
        self.assertEqual(token.key_hash, ApiToken.hash_key(key))
        self.assertFalse(ApiToken.objects.filter(key_hash=key).exists())
        self.assertEqual(token.name, "script")

    def test_revoke_keeps_the_first_moment(self) -> None:
        token, _key = services.token_create(user=self.anna)
        first = services.token_revoke(token=token).revoked_at
        self.assertIsNotNone(first)
        self.assertEqual(services.token_revoke(token=token).revoked_at, first)


class BearerAuthTests(SamenVeiligTestCase):
    def _me(self, key: str):
        return self.client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")

    def test_the_api_accepts_a_created_token(self) -> None:
        token, key = services.token_create(user=self.anna)
        response = self._me(key)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["email"], "anna@example.org")
        token.refresh_from_db()
        self.assertIsNotNone(token.last_used_at)

    def test_a_revoked_token_is_401(self) -> None:
        token, key = services.token_create(user=self.anna)
        services.token_revoke(token=token)
        response = self._me(key)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(problem(response)["code"], "unauthenticated")
        self.assertEqual(response["WWW-Authenticate"], "Bearer")

    def test_an_unknown_token_is_401(self) -> None:
        response = self._me("sv_not-a-real-token")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(problem(response)["code"], "unauthenticated")

    def test_a_token_of_a_deactivated_person_is_401(self) -> None:
        _token, key = services.token_create(user=self.anna)
        self.anna.is_active = False
        self.anna.save()
        self.assertEqual(self._me(key).status_code, 401)

    def test_a_token_writes_without_a_csrf_token(self) -> None:
        _token, key = services.token_create(user=self.anna)
        response = self.client.delete("/api/v1/me/residence", HTTP_AUTHORIZATION=f"Bearer {key}")
        self.assertEqual(response.status_code, 204)


class TokenCommandTests(SamenVeiligTestCase):
    def _call(self, *args: str) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        call_command("token", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_create_prints_only_a_working_token(self) -> None:
        out, _err = self._call("create", "anna", "--name", "monitoring")
        key = out.strip()
        self.assertEqual(out, key + "\n")
        self.assertEqual(ApiToken.objects.get(key_hash=ApiToken.hash_key(key)).name, "monitoring")
        self.assertEqual(self.client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code, 200)

    def test_create_accepts_the_e_mail_address(self) -> None:
        out, _err = self._call("create", "ANNA@example.org")
        self.assertEqual(ApiToken.objects.get(key_hash=ApiToken.hash_key(out.strip())).user, self.anna)

    def test_an_unknown_person_is_a_clear_error(self) -> None:
        with self.assertRaisesMessage(CommandError, "token.unknown_user"):
            self._call("create", "nobody")
        with self.assertRaisesMessage(CommandError, "nobody"):
            self._call("list", "nobody")
        self.assertFalse(ApiToken.objects.exists())

    def test_list_and_revoke_by_prefix(self) -> None:
        token, key = services.token_create(user=self.anna, name="one")
        out, _err = self._call("list", "anna")
        self.assertIn(token.prefix, out)
        self.assertIn("one", out)
        self.assertNotIn(key, out)
        self._call("revoke", token.prefix)
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)
        self.assertEqual(self.client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code, 401)

    def test_revoke_an_unknown_prefix_is_an_error(self) -> None:
        with self.assertRaisesMessage(CommandError, "token.unknown"):
            self._call("revoke", "sv_nothing")

    def test_the_samenveilig_command_line_runs_it(self) -> None:
        from contextlib import redirect_stdout

        from samenveilig import cli

        out = StringIO()
        # run_from_argv closes every database connection when it ends, which would end this test's transaction
        with redirect_stdout(out), mock.patch("django.core.management.base.connections.close_all"):
            cli.main(["token", "create", "cor"])
        key = out.getvalue().strip()
        self.assertEqual(ApiToken.objects.get(key_hash=ApiToken.hash_key(key)).user, self.cor)

"""The platform's promises on every response: security headers, no caching of personal pages, API conventions."""

from django.test import TestCase
from django.urls import reverse


class SecurityHeaderTests(TestCase):
    def test_pages_carry_a_strict_content_security_policy(self) -> None:
        response = self.client.get(reverse("core:home"))
        self.assertEqual(response.status_code, 200)
        policy = response["Content-Security-Policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertNotIn("unsafe-eval", policy)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertEqual(response["Cache-Control"], "no-store")

    def test_api_answers_carry_the_api_version_and_are_not_cached(self) -> None:
        response = self.client.get("/api/v1/openapi.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["API-Version"], "1.0.0")
        self.assertEqual(response["Cache-Control"], "no-store")

    def test_an_unauthenticated_api_call_gets_a_dutch_problem(self) -> None:
        response = self.client.get("/api/v1/me")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        body = response.json()
        self.assertEqual((body["status"], body["code"]), (401, "unauthenticated"))

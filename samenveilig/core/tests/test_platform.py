"""The platform's promises on every response: security headers, no caching of personal pages, API conventions."""

import re
from pathlib import Path

from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse


class SecurityHeaderTests(TestCase):
    def test_pages_carry_a_strict_content_security_policy(self) -> None:
        response = self.client.get(reverse("start:home"))
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


# --- Security headers on every kind of answer ------------------------------------------------------------------------
PAGES = {
    "home": "/",
    "communities": "/communities/",
    "login": "/accounts/login/",
    "openapi": "/api/v1/openapi.json",
    "page not found": "/this-page-does-not-exist",
    "api not found": "/api/v1/this-does-not-exist",
}


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        if words := part.split():
            parsed[words[0]] = words[1:]
    return parsed


class SecurityHeadersOnEveryAnswerTests(TestCase):
    def test_every_kind_of_answer_carries_the_security_headers_and_is_not_stored(self) -> None:
        for name, url in PAGES.items():
            with self.subTest(name=name):
                response = self.client.get(url)
                self.assertIn(response.status_code, (200, 404))
                policy = directives(response["Content-Security-Policy"])
                for directive in ("default-src", "script-src", "style-src"):
                    self.assertIn(directive, policy)
                    self.assertFalse({"'unsafe-inline'", "'unsafe-eval'", "*"} & set(policy[directive]), directive)
                self.assertEqual(policy["frame-ancestors"], ["'none'"])
                self.assertEqual(policy["object-src"], ["'none'"])
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")
                self.assertEqual(response["Referrer-Policy"], "same-origin")
                self.assertEqual(response["X-Frame-Options"], "DENY")
                cache_control = [d.strip() for d in response["Cache-Control"].split(",")]
                self.assertIn("no-store", cache_control)
                self.assertNotIn("Strict-Transport-Security", response)  # not over plain http

    def test_rendered_pages_contain_no_inline_script_style_or_handler(self) -> None:
        for name, url in PAGES.items():
            response = self.client.get(url)
            if not response["Content-Type"].startswith("text/html"):
                continue
            with self.subTest(name=name):
                self.assertEqual(inline_code(response.content.decode()), [])

    @override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True)
    def test_production_answers_over_https_carry_hsts(self) -> None:
        for url in ("/", "/api/v1/openapi.json"):
            with self.subTest(url=url):
                response = self.client.get(url, secure=True)
                self.assertEqual(response["Strict-Transport-Security"], "max-age=31536000; includeSubDomains; preload")


# --- No inline code in any template (a strict CSP would block it, and audits fail on unsafe-inline) ---------------
COMMENTS = re.compile(r"\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}|<!--.*?-->", re.DOTALL)
TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)
TAG = re.compile(r"<([a-zA-Z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.DOTALL)
HANDLER = re.compile(r"(?:^|\s)(on[a-z]+|hx-on[\w:.-]*|style)\s*=", re.IGNORECASE)
SRC = re.compile(r"(?:^|\s)src\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"(?:href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    """Every construct a strict Content Security Policy blocks: <script> without src, <style>, style="…",
    on…="…" handlers, htmx hx-on (evaluated code) and javascript: URLs."""
    found = []
    for match in TAG.finditer(TEMPLATE_CODE.sub(" ", COMMENTS.sub(" ", html))):
        name, attributes = match.group(1).lower(), match.group(2)
        if name == "script" and not SRC.search(attributes):
            found.append(f"inline <script>: {match.group(0)[:80]}")
        if name == "style":
            found.append("<style> element")
        if handler := HANDLER.search(attributes):
            found.append(f"{handler.group(1)}= attribute: {match.group(0)[:80]}")
        if JAVASCRIPT_URL.search(attributes):
            found.append(f"javascript: URL: {match.group(0)[:80]}")
    return found


class TemplateInlineCodeTests(SimpleTestCase):
    def test_the_checker_finds_each_kind_of_inline_code(self) -> None:
        bad = (
            '<script>alert(1)</script><style>p{}</style><p style="color:red">'
            '<button onclick=\'go()\'><div hx-on:click="x()"><a href="javascript:void(0)">'
            '<p {% if x %}style="{{ c }}"{% endif %}>'
        )
        self.assertEqual(len(inline_code(bad)), 7)
        good = (
            '<script src="{% static \'a.js\' %}" defer></script><p class="x" data-onclick="y">'
            '<div hx-get="/a" data-style="z"><p>one=two</p>{% comment %}<script>{% endcomment %}<!-- <style> -->'
        )
        self.assertEqual(inline_code(good), [])

    def test_no_template_contains_inline_script_style_or_event_handler(self) -> None:
        package = Path(__file__).resolve().parents[2]
        templates = sorted(path for path in package.rglob("*.html") if "templates" in path.parts)
        self.assertGreater(len(templates), 3)
        offences = {
            str(path.relative_to(package)): found
            for path in templates
            if (found := inline_code(path.read_text(encoding="utf-8")))
        }
        self.assertEqual(offences, {})


class StaticAssetTests(TestCase):
    def test_every_stylesheet_and_script_a_page_links_to_exists(self) -> None:
        import re

        from django.contrib.staticfiles import finders

        for url in ("/", "/accounts/login/", "/communities/"):
            html = self.client.get(url).content.decode()
            assets = re.findall(r'(?:href|src)="/static/([^"]+)"', html)
            self.assertTrue(assets, url)
            for asset in assets:
                with self.subTest(page=url, asset=asset):
                    self.assertIsNotNone(finders.find(asset), f"{asset} is linked from {url} but not found")

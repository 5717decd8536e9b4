"""The API's conventions (Dutch API Design Rules), checked over the whole OpenAPI document so every endpoint that
any app adds later is held to them too."""

import json

from django.test import TestCase

PROBLEM = "application/problem+json"
PROBLEM_REF = "#/components/schemas/Problem"
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise AssertionError(f"duplicate keys in the OpenAPI JSON: {duplicates}")
    return dict(pairs)


class OpenAPIDocumentTests(TestCase):
    def setUp(self) -> None:
        response = self.client.get("/api/v1/openapi.json")
        self.assertEqual(response.status_code, 200)
        self.schema = json.loads(response.content, object_pairs_hook=_no_duplicate_keys)

    def operations(self) -> list[tuple[str, str, dict]]:
        found = [
            (path, method, operation)
            for path, item in self.schema["paths"].items()
            for method, operation in item.items()
            if method in METHODS
        ]
        self.assertTrue(found, "the API has no operations")
        return found

    def test_no_path_ends_with_a_slash(self) -> None:
        for path in self.schema["paths"]:
            with self.subTest(path=path):
                self.assertTrue(path.startswith("/api/v1/"))
                self.assertFalse(path.endswith("/"))

    def test_every_operation_declares_422_and_401_when_it_needs_authentication(self) -> None:
        for path, method, operation in self.operations():
            with self.subTest(operation=f"{method.upper()} {path}"):
                responses = operation["responses"]
                self.assertIn("422", responses)
                if operation.get("security"):
                    self.assertIn("401", responses)
                    self.assertIn(PROBLEM, responses["401"]["content"])

    def test_every_declared_error_answer_is_a_problem(self) -> None:
        for path, method, operation in self.operations():
            for status, answer in operation["responses"].items():
                if int(status) < 400:
                    continue
                with self.subTest(operation=f"{method.upper()} {path}", status=status):
                    self.assertEqual(answer["content"], {PROBLEM: {"schema": {"$ref": PROBLEM_REF}}})

    def test_the_problem_schema_has_the_rfc_9457_members_and_a_stable_code(self) -> None:
        problem = self.schema["components"]["schemas"]["Problem"]
        self.assertLessEqual({"type", "title", "status", "detail", "code"}, set(problem["required"]))
        self.assertIn("fields", problem["properties"])


class DjangoErrorsUnderTheAPITests(TestCase):
    def assertProblem(self, response, status: int, code: str) -> dict:  # noqa: N802 (unittest style)
        self.assertEqual(response.status_code, status)
        self.assertEqual(response["Content-Type"], PROBLEM)
        self.assertEqual(response["API-Version"], "1.0.0")
        self.assertEqual(response["Cache-Control"], "no-store")
        body = response.json()
        self.assertEqual((body["status"], body["code"]), (status, code))
        self.assertTrue(body["detail"])
        return body

    def test_an_unknown_api_path_answers_a_problem_not_an_html_page(self) -> None:
        self.assertProblem(self.client.get("/api/v1/no-such-thing"), 404, "not_found")

    def test_a_trailing_slash_is_not_found_rather_than_redirected(self) -> None:
        self.assertProblem(self.client.get("/api/v1/me/"), 404, "not_found")

    def test_a_wrong_method_answers_a_problem_that_names_the_allowed_ones(self) -> None:
        response = self.client.delete("/api/v1/me")
        self.assertProblem(response, 405, "method_not_allowed")
        self.assertIn("GET", response["Allow"])

    def test_a_404_outside_the_api_stays_an_html_page(self) -> None:
        response = self.client.get("/no-such-page")
        self.assertEqual(response.status_code, 404)
        self.assertTrue(response["Content-Type"].startswith("text/html"))

"""`samenveilig check-text` and POST /api/v1/moderation/check: the same checks, the same answers."""

import json
import os
import subprocess
import sys

from django.test import SimpleTestCase

from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.moderation import quality

SAMPLE = [item for n, item in enumerate(quality.load()) if n % 9 == 0]


def run_check_text(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "samenveilig.settings"}
    return subprocess.run(
        [sys.executable, "-m", "samenveilig.cli", "check-text", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


class CheckTextCommandTests(SimpleTestCase):
    def test_lines_in_give_lines_out_in_order_and_bad_lines_are_reported(self) -> None:
        stdin = "\n".join(
            [
                json.dumps({"id": 1, "text": "Die kankermarokkanen weer"}),
                "{not json",
                json.dumps({"id": "b", "text": "Man in zwarte jas voelt aan deurklinken, richting het park."}),
                json.dumps({"text": "zonder id"}),
                json.dumps({"id": 3, "text": 42}),
                json.dumps({"id": 4, "text": "Bel hem op 06-12345678"}),
            ]
        )
        done = run_check_text(stdin + "\n")
        self.assertEqual(done.returncode, 1, done.stderr)
        lines = [json.loads(line) for line in done.stdout.splitlines()]
        self.assertEqual(
            [(row.get("id"), row.get("line"), row.get("flags")) for row in lines],
            [
                (1, None, ["stigmatisering"]),
                (None, 2, None),
                ("b", None, []),
                (None, 4, None),
                (None, 5, None),
                (4, None, ["persoonsgegevens"]),
            ],
        )
        self.assertIn("JSON", lines[1]["error"])
        self.assertIn("telefoonnummer", lines[5]["reasons"]["persoonsgegevens"])  # Dutch by default

    def test_a_clean_run_exits_0(self) -> None:
        done = run_check_text(json.dumps({"id": 1, "text": "Lantaarnpaal kapot bij het pad"}) + "\n")
        self.assertEqual((done.returncode, done.stdout.count("\n")), (0, 1), done.stderr)


class CheckApiTests(SamenVeiligTestCase):
    def test_the_api_gives_the_same_flags_and_reasons_as_the_command(self) -> None:
        stdin = "".join(json.dumps({"id": item.id, "text": item.text}) + "\n" for item in SAMPLE)
        done = run_check_text(stdin)
        from_command = {row["id"]: row for row in map(json.loads, done.stdout.splitlines())}
        self.assertEqual(len(from_command), len(SAMPLE))
        self.login_as("anna")
        for item in SAMPLE:
            response = self.client.post(
                "/api/v1/moderation/check", {"text": item.text}, content_type="application/json"
            )
            self.assertEqual(response.status_code, 200)
            body = response.json()
            self.assertEqual(body["flags"], from_command[item.id]["flags"], item.text)
            self.assertEqual(body["reasons"], from_command[item.id]["reasons"], item.text)

    def test_bad_input_is_a_dutch_422_and_strangers_are_401(self) -> None:
        self.assertEqual(
            self.client.post("/api/v1/moderation/check", {"text": "x"}, content_type="application/json").status_code,
            401,
        )
        self.login_as("anna")
        response = self.client.post("/api/v1/moderation/check", {"text": "x" * 10_001}, content_type="application/json")
        self.assertEqual(response.status_code, 422)
        self.assertIn("te lang", response.json()["fields"]["text"][0])
        skipped = self.client.post(
            "/api/v1/moderation/check",
            {"text": "Goedemorgen allemaal!", "skip": ["irrelevant"]},
            content_type="application/json",
        )
        self.assertEqual(skipped.json()["flags"], [])

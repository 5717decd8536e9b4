"""The API contract is reviewed like code: any change to /api/v1/openapi.json shows up as a diff of the snapshot.

After an intended change, refresh it:
`SAMENVEILIG_UPDATE_SNAPSHOT=1 pytest samenveilig/core/tests/test_openapi_snapshot.py`.
"""

import json
import os
from pathlib import Path

from django.test import TestCase

SNAPSHOT = Path(__file__).with_name("openapi.snapshot.json")


class OpenApiSnapshotTests(TestCase):
    def test_the_openapi_document_matches_the_snapshot(self) -> None:
        response = self.client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 200)
        current = json.dumps(response.json(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        if os.environ.get("SAMENVEILIG_UPDATE_SNAPSHOT") == "1":
            SNAPSHOT.write_text(current)
        self.assertTrue(SNAPSHOT.exists(), "no snapshot yet: run with SAMENVEILIG_UPDATE_SNAPSHOT=1")
        self.assertEqual(current, SNAPSHOT.read_text(), "the API changed: review it and refresh the snapshot")

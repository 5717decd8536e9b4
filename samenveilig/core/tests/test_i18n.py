"""Dutch first: every text in the code has a Dutch translation, and the pages really speak Dutch and English."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.test import SimpleTestCase, TestCase

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "nl" / "LC_MESSAGES" / "django.po"

# Extract every msgid from the source exactly as `makemessages` would, into a scratch catalogue.
EXTRACT = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenveilig.settings")
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
settings.LOCALE_PATHS = [os.path.join(os.getcwd(), "locale")]
call_command("makemessages", locale=["nl"], symlinks=True, verbosity=0, no_obsolete=True)
"""


def _entries(po: polib.POFile) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete and entry.msgid}


class CatalogueTests(SimpleTestCase):
    def test_every_entry_has_a_dutch_translation_and_none_is_fuzzy(self) -> None:
        po = polib.pofile(str(CATALOGUE))
        untranslated = [e.msgid for e in po.untranslated_entries() if not e.obsolete]
        fuzzy = [e.msgid for e in po.fuzzy_entries() if not e.obsolete]
        self.assertEqual(untranslated, [], "untranslated Dutch entries")
        self.assertEqual(fuzzy, [], "fuzzy Dutch entries")

    def test_every_text_in_the_code_is_in_the_dutch_catalogue(self) -> None:
        with tempfile.TemporaryDirectory() as scratch:
            os.symlink(settings.PACKAGE_DIR, Path(scratch) / "samenveilig")
            (Path(scratch) / "locale" / "nl" / "LC_MESSAGES").mkdir(parents=True)
            env = {**os.environ, "SAMENVEILIG_DATA_DIR": scratch, "PYTHONPATH": str(settings.PROJECT_DIR)}
            subprocess.run([sys.executable, "-c", EXTRACT], cwd=scratch, env=env, check=True)  # noqa: S603
            extracted = polib.pofile(str(Path(scratch) / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
        missing = sorted(_entries(extracted) - _entries(polib.pofile(str(CATALOGUE))), key=lambda e: e[1])
        self.assertEqual(missing, [], "texts missing from locale/nl/LC_MESSAGES/django.po: run makemessages -l nl")


class LanguageTests(TestCase):
    def test_pages_are_dutch_by_default_and_english_on_request(self) -> None:
        dutch = self.client.get("/")
        english = self.client.get("/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual((dutch["Content-Language"], english["Content-Language"]), ("nl", "en"))
        self.assertContains(dutch, "Samen voor een veilige buurt")
        self.assertContains(english, "Together for a safe neighbourhood")

    def test_api_errors_are_dutch_by_default_and_english_on_request(self) -> None:
        dutch = self.client.get("/api/v1/me").json()
        english = self.client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en").json()
        self.assertEqual(english["detail"], "Log in or send a valid API token.")
        self.assertEqual(dutch["detail"], "Log in of stuur een geldig API-token mee.")

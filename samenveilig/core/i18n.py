"""Translation catalogues: compiled at install time with polib (no GNU gettext needed); checked in tests."""

from pathlib import Path

import polib
from django.conf import settings


def catalogue_paths() -> list[Path]:
    return sorted(po for base in settings.LOCALE_PATHS for po in Path(base).glob("*/LC_MESSAGES/django.po"))


def compile_catalogues() -> list[str]:
    """Compile every django.po into django.mo beside it (polib when available, else GNU msgfmt)."""
    compiled = []
    for po_path in catalogue_paths():
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled.append(po_path.parent.parent.name)
    return compiled

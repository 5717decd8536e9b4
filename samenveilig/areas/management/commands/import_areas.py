"""`samenveilig manage import_areas FILE [--kind buurt|wijk|municipality]`: import a GeoJSON FeatureCollection."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from samenveilig.areas import services
from samenveilig.areas.models import AreaKind
from samenveilig.core.errors import Invalid


class Command(BaseCommand):
    help = (
        "Import municipalities, wijken and buurten from a GeoJSON FeatureCollection in WGS84 or RD New "
        "(EPSG:28992), such as CBS's wijk- en buurtkaart. All or nothing: a bad feature changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a GeoJSON file (FeatureCollection); '-' reads standard input")
        parser.add_argument(
            "--kind",
            choices=AreaKind.values,
            default=None,
            help="the kind of every feature (default: told per feature from its properties or code)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            if name == "-":
                import sys

                collection = json.load(sys.stdin)
            else:
                with Path(name).open("rb") as handle:
                    collection = json.load(handle)
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(reason)s") % {"file": name, "reason": exc.strerror}) from exc
        except (UnicodeDecodeError, ValueError) as exc:
            raise CommandError(
                _("%(file)s is not valid JSON: %(reason)s") % {"file": name, "reason": str(exc)}
            ) from exc
        try:
            result = services.areas_import(collection=collection, kind=options["kind"])
        except Invalid as exc:
            for key, messages in exc.fields.items():
                for message in messages:
                    self.stderr.write(f"{key}: {message}")
            raise CommandError(str(exc.message)) from exc
        lines = result.lines() or [_("Nothing to import.")]
        if result.skipped_water:
            lines.append(_("skipped %(count)d water feature(s)") % {"count": result.skipped_water})
        self.stdout.write(_("Imported %(file)s (%(crs)s):") % {"file": name, "crs": result.crs})
        for line in lines:
            self.stdout.write(f"  {line}")

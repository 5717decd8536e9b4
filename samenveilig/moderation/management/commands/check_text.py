"""`samenveilig check-text`: run the text checks on JSON lines (standard input → standard output)."""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from samenveilig.moderation.checks import FLAGS, check_text


class Command(BaseCommand):
    help = (
        'Reads JSON lines {"id": …, "text": …} from standard input and writes one line per input to standard '
        'output, in input order: {"id": …, "flags": [...], "reasons": {...}}. A malformed line gets '
        '{"line": N, "error": "…"}, the run goes on, and the exit status is 1 at the end if any line was bad. '
        f"Flags: {', '.join(FLAGS)}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--skip", action="append", choices=FLAGS, default=[], help="leave a check out (repeatable)")
        parser.add_argument("--language", default="nl", help="language of the reasons and errors (default: nl)")

    def handle(self, *args: Any, **options: Any) -> None:
        bad = 0
        out = self.stdout._out if hasattr(self.stdout, "_out") else sys.stdout
        with translation.override(options["language"]):
            for number, line in enumerate(sys.stdin, start=1):
                if not line.strip():
                    continue
                answer = _answer(line, number, options["skip"])
                bad += "error" in answer
                out.write(json.dumps(answer, ensure_ascii=False) + "\n")
                out.flush()
        if bad:
            raise SystemExit(1)


def _answer(line: str, number: int, skip: list[str]) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError:
        return {"line": number, "error": _("This line is not valid JSON.")}
    if not isinstance(item, dict) or "id" not in item:
        return {"line": number, "error": _('Give an object with "id" and "text".')}
    if not isinstance(item.get("text"), str):
        return {"line": number, "error": _('"text" must be a string.')}
    verdict = check_text(item["text"], skip=skip)
    return {"id": item["id"], "flags": list(verdict.flags), "reasons": verdict.reasons}

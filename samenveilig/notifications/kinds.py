"""What each kind of notification says. Written at display time, in the reader's language, from the stored facts.

Apps register their kinds with `register` (reports in reports/notices.py, loaded by its AppConfig.ready); an
unknown kind still shows a general line rather than failing the inbox.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import pgettext


@dataclass(frozen=True)
class Text:
    title: str
    body: str = ""


Renderer = Callable[[dict[str, Any]], Text]
_RENDERERS: dict[str, Renderer] = {}


def register(kind: str) -> Callable[[Renderer], Renderer]:
    def decorate(fn: Renderer) -> Renderer:
        _RENDERERS[kind] = fn
        return fn

    return decorate


def render(kind: str, data: dict[str, Any]) -> Text:
    fn = _RENDERERS.get(kind)
    if fn is None:
        return Text(pgettext("notification", "New message"))
    try:
        return fn(data or {})
    except (KeyError, TypeError, ValueError):
        return Text(pgettext("notification", "New message"))

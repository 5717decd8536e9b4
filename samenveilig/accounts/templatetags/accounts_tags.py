from typing import Any

from django import template

from samenveilig.accounts import selectors

register = template.Library()


@register.simple_tag
def demo_logins() -> list[tuple[Any, str]]:
    """`{% demo_logins as people %}`: the demo persons to offer on the login page (empty outside demo mode)."""
    return selectors.demo_accounts()


@register.simple_tag
def field_describedby(field: Any) -> str:
    """The ids of a bound field's help text and error messages, for aria-describedby."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-description")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)

"""The demo municipality "Gemeente Voorbeeld" (placeholder: filled in by the demo data work)."""

from samenveilig.accounts.models import User


def is_empty() -> bool:
    return not User.objects.exists()


def build(*, seed: int = 1) -> str:
    return "no demo data yet"


def account_lines() -> list[str]:
    return []

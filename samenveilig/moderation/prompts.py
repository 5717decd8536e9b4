"""What the author of a flagged post reads (the kind prompt), and the ready texts of the conduct steps."""

from django.utils.translation import gettext as _

from samenveilig.moderation.checks import EIGENRICHTING, IRRELEVANT, PERSOONSGEGEVENS, STIGMATISERING
from samenveilig.moderation.models import StepKind


def suggestion(flag: str) -> str:
    """A friendly suggestion per flag: what to do instead (handbook 3.3, the SAAR method)."""
    return {
        STIGMATISERING: _(
            "Describe what the person does and what they look like: clothing, height, hair, direction. Origin or "
            "skin colour alone says nothing about what happens and hurts neighbours."
        ),
        PERSOONSGEGEVENS: _(
            "Leave out names, phone numbers and addresses of other people: the police get those through a report."
        ),
        EIGENRICHTING: _(
            "Do not go after anyone yourself. In an emergency call 112; keep your distance, put the lights on, a "
            "friendly word is enough."
        ),
        IRRELEVANT: _("This conversation is for safety in the neighbourhood. Other news fits better elsewhere."),
    }[flag]


def step_template(kind: str, first_name: str) -> str:
    """The ready text of a conduct step; the coordinator can edit it before sending."""
    texts = {
        StepKind.REQUEST: _(
            "Hi %(name)s, thank you for taking part. Your last message does not fit our house rules: keep it about "
            "safety, describe behaviour rather than people, and leave action to the police. Will you keep that in "
            "mind?"
        ),
        StepKind.WARNING: _(
            "%(name)s, we asked you before to keep to the house rules. This is a warning: if it happens again, you "
            "will be removed from the community."
        ),
        StepKind.REMOVAL: _(
            "%(name)s, despite the request and the warning, your messages keep breaking the house rules. You have "
            "been removed from the community. You can appeal once."
        ),
    }
    return texts[kind] % {"name": first_name}

"""The text checks in the API: POST /api/v1/moderation/check (the same checks as `samenveilig check-text`)."""

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from samenveilig.core.api import errors
from samenveilig.core.errors import Invalid
from samenveilig.moderation.checks import FLAGS, check_text

router = Router(tags=["moderation"])
MAX_CHECK_TEXT = 10_000

Flag = Literal["stigmatisering", "persoonsgegevens", "eigenrichting", "irrelevant"]


class CheckIn(Schema):
    text: str = Field(..., description="The text to check.")
    skip: list[Flag] = Field(default_factory=list, description="Checks to leave out (e.g. `irrelevant`).")


class CheckOut(Schema):
    flags: list[Flag] = Field(..., description=f"Zero or more of: {', '.join(FLAGS)}, in that order.")
    reasons: dict[str, str] = Field(..., description="Per flag a short reason naming what triggered it.")


@router.post(
    "/check",
    response={200: CheckOut, **errors(401, 422)},
    summary="Check a text before it is posted",
    description="The flags of a text and a reason per flag, in the language of Accept-Language (Dutch by "
    "default). Checks nothing into the database. A text longer than 10,000 characters is refused (422).",
)
def check(request: HttpRequest, payload: CheckIn) -> dict[str, Any]:
    if len(payload.text) > MAX_CHECK_TEXT:
        message = _("This text is too long (at most %(max)s characters).") % {"max": MAX_CHECK_TEXT}
        raise Invalid(message, code="moderation.invalid", fields={"text": [message]})
    verdict = check_text(payload.text, skip=payload.skip)
    return {"flags": list(verdict.flags), "reasons": verdict.reasons}

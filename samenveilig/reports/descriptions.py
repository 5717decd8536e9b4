"""The structured descriptions of persons and vehicles, shared by reports and alerts (the same fields, the same
rule): each function cleans one entry, adds Dutch messages to `problems` under "persons.<i>.<field>" or
"vehicles.<i>.<field>", and returns the cleaned entry or None when it is empty."""

from typing import Any

from django.utils.translation import gettext as _

from samenveilig.reports import plates
from samenveilig.reports.models import ReportPerson


def _clean(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit] if value is not None else ""


PERSON_FIELDS = (
    "sex", "age", "height", "build", "top", "bottom", "shoes", "headwear", "hair", "marks", "skin_colour", "origin",
    "direction",
)  # fmt: skip
# The method's description rule (handbook 3.3.2): skin colour or origin only with two of these details besides.
DISTINGUISHING_FIELDS = ("height", "build", "top", "bottom", "shoes", "headwear", "hair", "marks")
VEHICLE_FIELDS = ("kind", "make", "colour", "plate")


def person_problems(i: int, person: dict[str, Any], problems: dict[str, list[str]]) -> dict[str, str] | None:
    cleaned = {}
    for name in PERSON_FIELDS:
        value = person.get(name)
        limit = ReportPerson._meta.get_field(name).max_length
        if value is not None and not isinstance(value, str | int | float):
            problems.setdefault(f"persons.{i}.{name}", []).append(_("This must be text."))
            continue
        text = " ".join(str(value or "").split())
        if len(text) > limit:
            problems.setdefault(f"persons.{i}.{name}", []).append(
                _("This text is too long (at most %(max)s characters).") % {"max": limit}
            )
        cleaned[name] = text
    if not any(cleaned.values()):
        return None
    if cleaned.get("skin_colour") or cleaned.get("origin"):
        details = sum(1 for name in DISTINGUISHING_FIELDS if cleaned.get(name))
        if details < 2:
            problems.setdefault(f"persons.{i}", []).append(
                _(
                    "You mention skin colour or origin. That only helps to recognise someone together with other "
                    "details: add at least two, such as clothing, shoes, height, build, hair, headwear or "
                    "distinguishing marks. That way nobody becomes a suspect because of how they look."
                )
            )
    return cleaned


def vehicle_problems(i: int, vehicle: dict[str, Any], problems: dict[str, list[str]]) -> dict[str, Any] | None:
    cleaned: dict[str, Any] = {}
    for name in ("kind", "make", "colour"):
        cleaned[name] = _clean(vehicle.get(name), 60)
    foreign = bool(vehicle.get("foreign_plate"))
    typed = _clean(vehicle.get("plate"), 40)
    plate = ""
    if typed:
        plate = (plates.normalise_foreign_plate if foreign else plates.normalise_dutch_plate)(typed) or ""
        if not plate:
            message = (
                _("This is not a licence plate we can read: use letters, digits, spaces or dashes.")
                if foreign
                else _(
                    "This is not a Dutch licence plate (such as GF-123-K or 12-ABC-3). Is it a foreign plate? "
                    "Then mark it as foreign."
                )
            )
            problems.setdefault(f"vehicles.{i}.plate", []).append(message)
    cleaned["plate"] = plate
    cleaned["foreign_plate"] = foreign and bool(plate)
    if not any(cleaned[name] for name in VEHICLE_FIELDS):
        return None
    return cleaned

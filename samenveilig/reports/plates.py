"""Dutch licence plates (kentekens): the RDW's side codes 1 to 14.

A plate is letters and digits in groups; each side code fixes the pattern of groups, e.g. side code 9 is
"LL-DDD-L" (GF-123-K). We accept what people type (spaces, dashes or none, lower case) when its letters and
digits fit one of the side codes, and write it back with the dashes where that side code puts them.
"""

import re

# Side code -> its groups: L = letter, D = digit.
SIDE_CODES: dict[int, tuple[str, ...]] = {
    1: ("LL", "DD", "DD"),
    2: ("DD", "DD", "LL"),
    3: ("DD", "LL", "DD"),
    4: ("LL", "DD", "LL"),
    5: ("LL", "LL", "DD"),
    6: ("DD", "LL", "LL"),
    7: ("DD", "LLL", "D"),
    8: ("D", "LLL", "DD"),
    9: ("LL", "DDD", "L"),
    10: ("L", "DDD", "LL"),
    11: ("LLL", "DD", "L"),
    12: ("L", "DD", "LLL"),
    13: ("D", "LL", "DDD"),
    14: ("DDD", "LL", "D"),
}
_SHAPES = {"".join(groups): (code, groups) for code, groups in SIDE_CODES.items()}
_TYPED = re.compile(r"^[A-Z0-9]+(?:[ -]?[A-Z0-9]+)*$")


def _shape(compact: str) -> str:
    return "".join("D" if ch.isdigit() else "L" for ch in compact)


def normalise_dutch_plate(text: str) -> str | None:
    """The plate in its official notation ("GF-123-K"), or None when it fits no Dutch side code.

    Where the typed dashes disagree with the side code's groups the plate is still accepted: people often write
    plates without or with misplaced dashes, and the letters and digits decide."""
    typed = (text or "").strip().upper()
    if not _TYPED.match(typed):
        return None
    compact = typed.replace("-", "").replace(" ", "")
    if len(compact) != 6:
        return None
    found = _SHAPES.get(_shape(compact))
    if found is None:
        return None
    _code, groups = found
    parts, at = [], 0
    for group in groups:
        parts.append(compact[at : at + len(group)])
        at += len(group)
    return "-".join(parts)


def side_code(plate: str) -> int | None:
    normal = normalise_dutch_plate(plate)
    return _SHAPES[_shape(normal.replace("-", ""))][0] if normal else None


def normalise_foreign_plate(text: str) -> str | None:
    """A foreign plate as typed (upper case, single spaces), if it is 2 to 12 letters, digits, spaces or dashes."""
    typed = " ".join((text or "").strip().upper().split())
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9 \-]{0,14}[A-Z0-9]", typed):
        return None
    compact = re.sub(r"[ \-]", "", typed)
    return typed if 2 <= len(compact) <= 12 else None

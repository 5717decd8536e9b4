"""The text checks: every text a member posts is checked before anyone else sees it (DESIGN.md §3 E, handbook 3.3).

`check_text(text)` returns the flags of a fixed vocabulary, each with a short Dutch reason naming what triggered it:

* `stigmatisering`: slurs and dehumanising words; a generalisation about a group (origin, religion, skin colour,
  nationality, Roma and Travellers, refugees, homeless people, …); suspicion based on appearance or origin alone
  (a person described by origin or skin colour without concrete behaviour and two other details: the description
  rule of the reporting loop, applied to free text).
* `persoonsgegevens`: personal data of third persons: names, phone numbers, e-mail addresses, home addresses, BSN
  (with the 11-check, python-stdnum), IBAN (with its check, python-stdnum), social-media handles, dates of birth.
  Licence plates, public numbers (112, 0900-8844) and street names without a number are not.
* `eigenrichting`: calls for or announcements of vigilante action, violence, threats, confinement, vandalism,
  public shaming; not advice against it ("ga er niet zelf op af, bel 112").
* `irrelevant`: lost and found, sales, tradespeople, greetings and chatter (not when the post is about safety);
  chain letters and party politics (always). A community can switch this check off (`skip`).

The Dutch word lists and patterns are data (`data/nl/`, see its README), extended by an administrator through
`SAMENVEILIG_MODERATION_DIR`. Words are matched on the token and on its lemma (simplemma); slurs also when written
oddly. Everything is compiled once per process; a text costs well under a millisecond (`samenveilig bench
moderation`).
"""

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import phonenumbers
import simplemma
from django.conf import settings
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

STIGMATISERING = "stigmatisering"
PERSOONSGEGEVENS = "persoonsgegevens"
EIGENRICHTING = "eigenrichting"
IRRELEVANT = "irrelevant"
FLAGS = (STIGMATISERING, PERSOONSGEGEVENS, EIGENRICHTING, IRRELEVANT)

DATA_DIR = Path(__file__).resolve().parent / "data" / "nl"
MAX_TEXT = 20_000  # longer texts are checked on their first 20,000 characters (posts are far shorter)


@dataclass(frozen=True)
class Verdict:
    flags: tuple[str, ...]  # in the order of FLAGS
    reasons: dict[str, str] = field(default_factory=dict)  # flag -> a short Dutch reason naming the trigger

    @property
    def clean(self) -> bool:
        return not self.flags


# --- the lists ----------------------------------------------------------------------------------------------------
def _lines(name: str) -> list[str]:
    """The entries of a data file, plus those of the administrator's file of the same name."""
    folders = [DATA_DIR]
    extra = getattr(settings, "MODERATION_DIR", "")
    if extra:
        folders.append(Path(extra))
    entries: list[str] = []
    for folder in folders:
        path = folder / name
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.split(" #", 1)[0].strip() if not line.startswith("#") else ""
                if line:
                    entries.append(line)
    return entries


def _words(name: str) -> frozenset[str]:
    return frozenset(_fold(w) for w in _lines(name))


def _pattern(name: str) -> "Patterns":
    return Patterns(_lines(name))


class Patterns:
    """The patterns of one file, each behind a gate: the words one of which must occur in the text for the pattern
    to have a chance (its possible first words). A text skips most patterns on a set look-up, which made the checks
    several times faster than one big alternation (`samenveilig bench moderation`)."""

    def __init__(self, patterns: list[str]) -> None:
        self.branches = [(_gate(p), re.compile(p)) for p in patterns]

    def search(self, text: str, words: frozenset[str] | None = None) -> re.Match[str] | None:
        for gate, pattern in self.branches:
            if gate is None or words is None or not gate.isdisjoint(words):
                if found := pattern.search(text):
                    return found
        return None


def _structure(pattern: str) -> Iterator[tuple[int, str, int]]:
    """The characters of a regular expression that are structure (not escaped, not in a class), with the group
    depth before each."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        else:
            yield i, c, depth
            depth += {"(": 1, ")": -1}.get(c, 0)
        i += 1


def _top_level(pattern: str) -> list[str]:
    """Split a regular expression on "|" outside groups and classes."""
    cuts = [i for i, c, depth in _structure(pattern) if c == "|" and depth == 0]
    return [pattern[start + 1 : end] for start, end in zip([-1, *cuts], [*cuts, len(pattern)], strict=True)]


_LITERAL = re.compile(r"[a-z0-9]+")


def _gate(pattern: str) -> frozenset[str] | None:
    """The words a match must start with, or None when that cannot be read off the pattern (then it always runs)."""
    words: set[str] = set()
    for alternative in _top_level(pattern):
        first = _first_words(alternative)
        if first is None:
            return None
        words |= first
    return frozenset(words)


def _first_words(alternative: str) -> set[str] | None:
    body = alternative.removeprefix("\\b")
    if body.startswith("("):
        inner_end = _group_end(body)
        if inner_end is None or body[inner_end + 1 : inner_end + 2] in ("?", "*", "{"):
            return None
        inner = body[1:inner_end].removeprefix("?:")
        words: set[str] = set()
        for option in _top_level(inner):
            first = _first_words(option)
            if first is None:
                return None
            words |= first
        return words
    literal = _LITERAL.match(body)
    if literal is None:
        return None
    word, rest = literal.group(0), body[literal.end() :]
    if rest[:1] == "?" and len(word) > 1:  # "types?": the last letter may be left out
        return {word, word[:-1]} if _ends_word(rest[1:]) else None
    if optional := _OPTIONAL_TAIL.match(rest):  # "bied(en)?", or the letter above
        return {word, word + optional.group(1)} if _ends_word(rest[optional.end() :]) else None
    return {word} if _ends_word(rest) else None


_OPTIONAL_TAIL = re.compile(r"\(?(?:\?:)?([a-z0-9]+)\)?\?")


def _ends_word(rest: str) -> bool:
    return rest[:1] in ("", " ", ")", "|") or rest[:2] in ("\\b", "\\s")


def _group_end(body: str) -> int | None:
    """Where the group that opens `body` closes."""
    return next((i for i, c, depth in _structure(body) if c == ")" and depth == 1), None)


LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})


@lru_cache(maxsize=100_000)
def _squash(word: str) -> str:
    """A word as written oddly, made plain: digits for letters, anything between the letters, letters doubled."""
    letters = re.sub(r"[^a-z]", "", word.translate(LEET))
    return re.sub(r"(.)\1+", r"\1", letters)


@dataclass(frozen=True)
class Lists:
    groups: frozenset[str]
    slur_ends: tuple[str, ...]  # squashed slurs that also count at the end of a word
    slur_starts: tuple[str, ...]  # and at its start
    groups_squashed: frozenset[str]
    negative: Patterns
    slurs: frozenset[str]  # squashed
    dehumanising: Patterns
    generalising: Patterns
    appearance: Patterns
    behaviour: Patterns
    details: list[Patterns]
    vigilante: Patterns
    harm: Patterns
    intent: Patterns
    chatter: Patterns
    restraint: Patterns
    offtopic: Patterns
    chain: Patterns
    safety: Patterns
    first_names: frozenset[str]
    name_words: frozenset[str]
    public_numbers: Patterns
    suffixes: frozenset[str]
    address: re.Pattern[str]


@lru_cache(maxsize=1)
def lists() -> Lists:
    """The compiled lists (once per process)."""
    slurs = frozenset(_squash(w) for w in _words("slurs.words"))
    suffixes = "|".join(sorted((re.escape(s) for s in _words("street_suffixes.words")), key=len, reverse=True))
    return Lists(
        groups=_words("groups.words"),
        slur_ends=tuple(s for s in slurs if len(s) >= 6),
        slur_starts=tuple(s for s in slurs if len(s) >= 8),
        groups_squashed=frozenset(_squash(w) for w in _words("groups.words")),
        negative=_pattern("negative.patterns"),
        slurs=slurs,
        dehumanising=_pattern("dehumanising.patterns"),
        generalising=_pattern("generalising.patterns"),
        appearance=_pattern("appearance.patterns"),
        behaviour=_pattern("behaviour.patterns"),
        details=[Patterns([p]) for p in _lines("details.patterns")],
        vigilante=_pattern("vigilante.patterns"),
        harm=_pattern("harm.patterns"),
        intent=_pattern("intent.patterns"),
        chatter=_pattern("chatter.patterns"),
        restraint=_pattern("restraint.patterns"),
        offtopic=_pattern("offtopic.patterns"),
        chain=_pattern("chain.patterns"),
        safety=_pattern("safety.patterns"),
        first_names=_words("first_names.words"),
        name_words=_words("name_words.words"),
        public_numbers=_pattern("public_numbers.patterns"),
        suffixes=_words("street_suffixes.words"),
        address=re.compile(
            rf"\b([a-z][a-z'-]*(?:{suffixes}))\s+(\d{{1,4}})\s?[a-z]?\b"
            r"(?!\s*(?:meter|m\b|km|minuten|min\b|uur|keer|jaar|euro|%|procent|personen|mensen|auto))"
            r"|\b(?:huisnummer|huisnr\.?)\s*\d{1,4}\b"
            r"|\b(?:op|van|bij|naast|tegenover|voor|achter|naar) (?:nummer|nr\.?|no\.?|nummertje) ?\d{1,4}\b"
            r"|\bnr\.? ?\d{1,4}\b"
        ),
    )


# --- text handling ------------------------------------------------------------------------------------------------
def _fold(text: str) -> str:
    """Lower case without accents (é → e), whitespace collapsed."""
    return re.sub(r"\s+", " ", _strip_accents(text).lower()).strip()


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_SENTENCE = re.compile(r"(?<=[.!?\n])\s+|\n+")


@lru_cache(maxsize=100_000)
def _lemma(token: str) -> str:
    return simplemma.lemmatize(token, lang="nl").lower()


def _sentences(folded: str) -> list[str]:
    return [s for s in _SENTENCE.split(folded) if s.strip()]


# --- stigmatisering -------------------------------------------------------------------------------------------------
def _slur(folded: str, lst: Lists) -> str | None:
    # Letters kept apart by dots, stars, dashes or spaces are read together ("n.i.k.k.e.r", "n i k k e r").
    joined = re.sub(r"(?<=[a-z0-9])[*._\-](?=[a-z0-9])", "", folded)
    joined = re.sub(r"\b(?:[a-z0-9] ){2,}[a-z0-9]\b", lambda m: m.group(0).replace(" ", ""), joined)
    for raw in re.findall(r"[a-z0-9@$!]+", joined):
        squashed = _squash(raw)
        if len(squashed) < 4:
            continue
        if (
            squashed in lst.slurs
            or _cursed_group(squashed, lst)
            or squashed.endswith(lst.slur_ends)
            or squashed.startswith(lst.slur_starts)
        ):
            return raw
    return None


_CURSES = ("kanker", "kut", "tyfus", "tering", "klere")


def _cursed_group(squashed: str, lst: Lists) -> bool:
    """A curse glued to a group word ("kankerpolen", "kutturken"): a slur whatever the group."""
    for curse in _CURSES:
        if squashed.startswith(curse) and squashed[len(curse) :] in lst.groups_squashed:
            return True
    return False


_ODD = re.compile(r"\d|(.)\1\1")  # digits for letters, or a letter three times: a word written oddly


def _group_word(tokens: Iterable[str], lst: Lists) -> str | None:
    for token in tokens:
        if token in lst.groups or _lemma(token) in lst.groups:
            return token
        if _ODD.search(token) and _squash(token) in lst.groups_squashed:
            return token
    return None


def _described(folded: str, words: frozenset[str], lst: Lists) -> bool:
    """A description of what someone did, with at least two distinguishing details (or three details alone): the
    method's way to describe a person, in which origin or skin colour may be one detail among others."""
    details = sum(1 for p in lst.details if p.search(folded, words))
    return details >= 3 or (details >= 2 and bool(lst.behaviour.search(folded, words)))


def _stigma(folded: str, sentences: list[str], words: frozenset[str], lst: Lists) -> str | None:
    if word := _slur(folded, lst):
        return _('The word "%(word)s" hurts a group of people.') % {"word": word}
    if m := lst.dehumanising.search(folded, words):
        return _('People are likened to animals or vermin ("%(words)s").') % {"words": m.group(0)}
    for sentence in sentences:
        if (group := _group_word(_TOKEN.findall(sentence), lst)) and lst.generalising.search(sentence, words):
            return _('This says something about a whole group of people ("%(group)s").') % {"group": group}
    described = _described(folded, words, lst)
    group = _group_word(_TOKEN.findall(folded), lst)
    if group and not described and lst.negative.search(folded, words):
        return _('This blames or distrusts a whole group of people ("%(group)s").') % {"group": group}
    if (m := lst.appearance.search(folded, words)) and not described:
        return _(
            'Someone is described by origin or skin colour ("%(words)s") without what they do and two other details.'
        ) % {"words": m.group(0)}
    return None


# --- persoonsgegevens -------------------------------------------------------------------------------------------------
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_HANDLE = re.compile(
    r"(?<![\w.@])@[a-z0-9_.]{3,30}\b"
    r"|\b(?:insta(?:gram)?|tiktok|snap(?:chat)?|facebook|fb|twitter|telegram|x)\s*(?:account|naam|name)?\s*:\s*@?[a-z0-9_.]{3,30}"
    r"|\b(?:account|accountnaam|profiel|gebruikersnaam|heet het account)\s*:?\s*@?[a-z0-9.]*[_\d][a-z0-9_.]*"
)
_IBAN = re.compile(r"\b[a-z]{2}\s?\d{2}\s?[a-z]{4}(?:\s?\d){10}\b")
_DIGITS = re.compile(r"(?<![\w-])(?:\+|00)?\d[\d \-().]{6,16}\d(?![\w-])")
_BIRTH = re.compile(
    r"\b(?:geboren\b|geb\.|geb\b|geboortedatum\b|geb\.? ?datum\b|verjaardag is\b)[^!?]{0,20}?"
    r"\b\d{1,2}(?:[-/.]\d{1,2}[-/.]|\s(?:jan|feb|maart|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec)[a-z]*\.?\s)(?:19|20)\d{2}\b"
)
_TITLE_SURNAME = re.compile(
    r"\b(?:[Mm]eneer|[Mm]evrouw|[Mm]evr\.?|[Mm]w\.?|[Dd]hr\.?|[Dd]e heer|[Bb]uurman|[Bb]uurvrouw|[Ff]amilie|"
    r"[Ff]am\.)\s+"
    r"((?:(?:van|de|der|den|ter|ten|el|al|van de|van der|van den)\s+)?[A-Z][a-z'-]+)"
)
_INITIAL_SURNAME = re.compile(
    r"(?<=[a-z,] )[A-Z]\.\s?(?:[A-Z]\.\s?)*(?:(?:van|de|der|den|van de|van der) )?[A-Z][a-z]{2,}\b"
)
_OWN_NAME = re.compile(
    r"\b(?:groet(?:en|jes)?|gr\.?|mvg|vriendelijke groet(?:en)?|namens|ik ben|mijn naam is|wijkagent|agent|"
    r"coordinator|buurtcoordinator|boa|handhaver|wethouder|burgemeester)\s*,?\s*$"
)
_NAME_BEFORE = re.compile(
    r"\b(?:die|genaamd|heet|buurman|buurvrouw|meneer|mevrouw|zoon|dochter|broer|zus|vriend|vriendin)\s*$"
)
_NOT_NAMES = frozenset({"zwarte piet", "amber alert", "sint maarten", "sinterklaas"})
_PARTICLES = frozenset({"van", "de", "der", "den", "ter", "ten", "el", "al", "bin", "ben", "le", "la", "op"})


def _name(original: str, lst: Lists) -> str | None:
    plain = _strip_accents(original)
    words = [(m.group(0), m.start()) for m in re.finditer(r"[A-Za-z][A-Za-z'-]*", plain)]
    for i, (word, start) in enumerate(words):
        low = word.lower()
        if low not in lst.first_names and low not in lst.name_words:
            continue
        nxt = words[i + 1][0] if i + 1 < len(words) else ""
        pair = f"{low} {nxt.lower()}"
        if pair in _NOT_NAMES or _street_follows(words, i, lst):
            continue
        before = plain[max(0, start - 40) : start].lower()
        if _OWN_NAME.search(before):
            continue  # the author signs, or an official in their role
        if low in lst.first_names:
            return word
        # A first name that is also a word: only in a name context.
        capital_mid = word[0].isupper() and start > 0 and not re.search(r"[.!?:]\s*$", plain[:start])
        followed = nxt.lower() in _PARTICLES or (nxt[:1].isupper() and nxt.lower() not in lst.groups)
        if followed and nxt.lower() in _PARTICLES and i + 2 < len(words):
            return word  # "kees de vries", "jan van nummer 12"
        if _NAME_BEFORE.search(before) or (capital_mid and followed):
            return word
    if m := _TITLE_SURNAME.search(original):
        return m.group(0)
    if m := _INITIAL_SURNAME.search(original):
        return m.group(0).strip()
    return None


def _street_follows(words: list[tuple[str, int]], i: int, lst: Lists) -> bool:
    """Part of a street name named after a person ("Piet Heinstraat", "Jan van Goyenkade")."""
    return any(
        low.endswith(suffix) for word, _start in words[i : i + 4] for low in [word.lower()] for suffix in lst.suffixes
    )


def _phone_or_bsn(folded: str, lst: Lists) -> tuple[str, str] | None:
    for m in _DIGITS.finditer(folded):
        raw = m.group(0).strip()
        digits = re.sub(r"\D", "", raw)
        if len(digits) in (8, 9) and not raw.startswith(("0", "+")) and stdnum_bsn.is_valid(digits.zfill(9)):
            return "bsn", raw
        if not 9 <= len(digits) <= 13 or not raw.startswith(("0", "+")):
            continue  # Dutch phone numbers are written with a leading 0, +31 or 0031
        try:
            number = phonenumbers.parse(raw, "NL")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            national_number = str(number.national_number)
            if lst.public_numbers.search("0" + national_number) or lst.public_numbers.search(national_number):
                continue
            return "phone", raw
    return None


def _personal(original: str, folded: str, lst: Lists) -> str | None:
    if m := _EMAIL.search(folded):
        return _('an e-mail address ("%(found)s")') % {"found": m.group(0)}
    for m in _IBAN.finditer(folded):
        if stdnum_iban.is_valid(m.group(0).replace(" ", "").upper()):
            return _('a bank account number ("%(found)s")') % {"found": m.group(0)}
    if found := _phone_or_bsn(folded, lst):
        kind, raw = found
        if kind == "bsn":
            return _('a citizen service number (BSN, "%(found)s")') % {"found": raw}
        return _('a phone number ("%(found)s")') % {"found": raw}
    if m := _BIRTH.search(folded):
        return _('a date of birth ("%(found)s")') % {"found": m.group(0)}
    if m := _HANDLE.search(folded):
        return _('a social-media name ("%(found)s")') % {"found": m.group(0)}
    if m := lst.address.search(folded):
        return _('a home address ("%(found)s")') % {"found": m.group(0)}
    if name := _name(original, lst):
        return _('a name ("%(found)s")') % {"found": name}
    return None


# --- eigenrichting and irrelevant -----------------------------------------------------------------------------------
def _vigilante(sentences: list[str], words: frozenset[str], lst: Lists) -> str | None:
    for sentence in sentences:
        if lst.restraint.search(sentence, words):
            continue
        if m := lst.vigilante.search(sentence, words):
            return m.group(0)
        if (m := lst.harm.search(sentence, words)) and lst.intent.search(sentence, words):
            return m.group(0)
    return None


def _offtopic(folded: str, words: frozenset[str], lst: Lists, *, other_flags: bool) -> str | None:
    if m := lst.chain.search(folded, words):
        return m.group(0)
    if lst.safety.search(folded, words) or lst.behaviour.search(folded, words):
        return None
    if m := lst.offtopic.search(folded, words):
        return m.group(0)
    if not other_flags and (m := lst.chatter.search(folded, words)):
        return m.group(0)
    return None


# --- the check --------------------------------------------------------------------------------------------------------
def check_text(text: str, *, skip: Collection[str] = ()) -> Verdict:
    """The flags of a text (in the order of FLAGS) with a Dutch reason each; `skip` leaves checks out (a social
    community switches `irrelevant` off)."""
    text = (text or "")[:MAX_TEXT]
    folded = _fold(text)
    if not folded:
        return Verdict(())
    lst = lists()
    sentences = _sentences(folded)
    words = frozenset(_LITERAL.findall(folded))
    reasons: dict[str, str] = {}
    if STIGMATISERING not in skip and (reason := _stigma(folded, sentences, words, lst)):
        reasons[STIGMATISERING] = reason
    if PERSOONSGEGEVENS not in skip and (what := _personal(text, folded, lst)):
        reasons[PERSOONSGEGEVENS] = _("This contains personal data of someone else: %(what)s.") % {"what": what}
    if EIGENRICHTING not in skip and (words := _vigilante(sentences, words, lst)):
        reasons[EIGENRICHTING] = _('This calls for or announces taking the law into your own hands ("%(words)s").') % {
            "words": words
        }
    if IRRELEVANT not in skip and (words := _offtopic(folded, words, lst, other_flags=bool(reasons))):
        reasons[IRRELEVANT] = _('This is not about safety in the neighbourhood ("%(words)s").') % {"words": words}
    return Verdict(tuple(f for f in FLAGS if f in reasons), reasons)

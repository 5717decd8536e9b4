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
  chain letters and party politics, and a post that opens with a sale, a giveaway or a request for help (always). A
  community can switch this check off (`skip`).

The Dutch word lists and patterns are data (`data/nl/`, see its README), extended by an administrator through
`SAMENVEILIG_MODERATION_DIR`. Words are matched on the token and on its lemma (simplemma); slurs also when written
oddly. Everything is compiled once per process; a text costs well under a millisecond (`samenveilig bench
moderation`).

After the rules, a learned model (`model.py`, `data/nl/model.json`) may add `stigmatisering`, `eigenrichting` or
`irrelevant` (rules OR model; never a skipped flag): docs/moderation.md, "A learned model beside the rules".
"""

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import phonenumbers
import simplemma
from django.conf import settings
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from samenveilig.moderation import model

# The re module's parser reads the start of a pattern (_first_tokens, _searcher). It is private to the re module:
# without it every start is unknown and every pattern searched as written, which is slower with the same results.
try:
    from re import _constants as _sre
    from re import _parser as _sre_parser
except ImportError:  # pragma: no cover - a Python without them
    _sre = _sre_parser = None

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
    """The patterns of one file, each behind two gates that skip it for a text it cannot match:

    * `gate`: the words one of which must occur in the text (its possible first words, read off the pattern's text
      as the data README says; a pattern it cannot read always runs). A text skips most patterns on a set look-up,
      which made the checks several times faster than one big alternation (`samenveilig bench moderation`).
    * `start`: the words a match provably starts with (read off the parsed pattern, `_first_tokens`), or None. It
      never skips a pattern that could match, so it adds speed without changing a result, also where `gate` is
      None or not given.

    `TextWords` applies both for a whole text at once; `search` is the same rule for one call."""

    def __init__(self, patterns: list[str]) -> None:
        self.branches = [(_gate(p), re.compile(p)) for p in patterns]
        self.starts = [_first_tokens(p) for p in patterns]
        self.regexes = [
            _searcher(p, compiled) for p, (_gate_words, compiled) in zip(patterns, self.branches, strict=True)
        ]
        # Bit i stands for pattern i: the patterns without a gate or a start run whatever the words.
        self.ungated = sum(1 << i for i, (gate, _compiled) in enumerate(self.branches) if gate is None)
        self.unstarted = sum(1 << i for i, start in enumerate(self.starts) if start is None)
        self.all_bits = (1 << len(self.branches)) - 1

    def admits(self, i: int, words: Collection[str] | None, tokens: frozenset[str] | None) -> bool:
        """Whether pattern i runs for a text: `words` is checked against its gate (None: no gate), `tokens` (the
        text's words, None: unknown) against its start."""
        gate, start = self.branches[i][0], self.starts[i]
        return (gate is None or words is None or not gate.isdisjoint(words)) and (
            start is None or tokens is None or not start.isdisjoint(tokens)
        )

    def search(
        self, text: str, words: Collection[str] | None = None, tokens: frozenset[str] | None = None
    ) -> re.Match[str] | None:
        """The first match of the first pattern (in file order) that the gates let through."""
        return _first_match(text, (r for i, r in enumerate(self.regexes) if self.admits(i, words, tokens)))


class _BoundaryLast:
    r"""A pattern that starts with \b, searched for without it, with the word boundary tested where the rest
    matches. The re module skips quickly to where a pattern can start only when the pattern starts with its
    letters, not with \b; for a pattern that starts with a few different letters this made its search about twice
    as fast (more letters: slower). The first match is the same: the leftmost position where both hold, matched
    the same way (\b takes no characters)."""

    __slots__ = ("rest",)

    def __init__(self, rest: re.Pattern[str]) -> None:
        self.rest = rest

    def search(self, text: str) -> re.Match[str] | None:
        pos = 0
        while pos <= len(text) and (found := self.rest.search(text, pos)) is not None:
            if _BOUNDARY.match(text, found.start()):  # with a start, \b still sees the character before it
                return found
            pos = found.start() + 1
        return None


_BOUNDARY = re.compile(r"\b")
_MAX_FIRST_LETTERS = 8
Searcher = re.Pattern[str] | _BoundaryLast


def _searcher(pattern: str, compiled: re.Pattern[str]) -> Searcher:
    """The fastest way to search for a pattern with the same results."""
    if not pattern.startswith("\\b") or len(_top_level(pattern)) > 1 or compiled.flags != re.UNICODE:
        return compiled
    letters = _first_letters(list(_sre_parser.parse(pattern))[1:] if _sre_parser else [])
    if letters is None or len(letters) > _MAX_FIRST_LETTERS:
        return compiled
    return _BoundaryLast(re.compile(pattern[2:]))


def _first_letters(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The characters a match of the parsed items starts with, as far as the re module uses them to skip ahead (a
    literal, or a group whose alternatives each start with a literal character); None when it cannot skip."""
    while items and items[0][0] is _sre.SUBPATTERN:
        items = list(items[0][1][3])
    if not items:
        return None
    op, av = items[0]
    if op is _sre.LITERAL:
        return {chr(av)}
    if op is _sre.IN and all(item_op is _sre.LITERAL for item_op, _item in av):
        return {chr(item) for _op, item in av}
    if op is _sre.BRANCH and all(alt and alt[0][0] is _sre.LITERAL for alt in av[1]):
        return {chr(alt[0][1]) for alt in av[1]}
    return None


def _first_match(text: str, regexes: Iterable[Searcher]) -> re.Match[str] | None:
    for regex in regexes:
        if found := regex.search(text):
            return found
    return None


class TextWords:
    """The words of one text (or of one of its sentences) and the patterns they let through.

    `Lists` numbers the patterns of all files in one row of bits, and its index gives per word the bits of the
    patterns whose gate or start has that word: one pass over a text's words finds the patterns to try in every
    file, instead of a set test per pattern per call."""

    def __init__(self, folded: str, lst: "Lists", whole: "TextWords | None" = None) -> None:
        """`whole`: the text this is a sentence of. The gate stays the whole text's words, as it always was; the
        start, which never skips a possible match, can use the sentence's own."""
        self.lst = lst
        self.words = frozenset(_LITERAL.findall(folded))
        gated = started = 0
        for word in self.words:
            if bits := lst.index.get(word):
                gated |= bits[0]
                started |= bits[1]
        self.gated = whole.gated if whole else gated
        self.started = started
        self._open: dict[tuple[Patterns, bool], list[Searcher]] = {}

    def sentence(self, sentence: str) -> "TextWords":
        return TextWords(sentence, self.lst, self)

    def open(self, patterns: Patterns, *, gated: bool = True) -> list[Searcher]:
        """The patterns to try, in file order: with `gated`, those both gates let through (as
        `patterns.search(text, self.words, self.words)` for the whole text); without, those the start lets through
        (as `patterns.search(text, None, self.words)`)."""
        key = (patterns, gated)
        if (found := self._open.get(key)) is None:
            offset = self.lst.offsets[patterns]
            bits = (self.started >> offset | patterns.unstarted) & patterns.all_bits
            if gated:
                bits &= self.gated >> offset | patterns.ungated
            found = self._open[key] = [patterns.regexes[i] for i in _set_bits(bits)]
        return found

    def search(self, patterns: Patterns, text: str) -> re.Match[str] | None:
        """`patterns.search(text, words)` (with the whole text's words) for this text or sentence."""
        return _first_match(text, self.open(patterns))

    def search_with(self, patterns: Patterns, text: str, words: Collection[str] | None) -> re.Match[str] | None:
        """`patterns.search(text, words)` with other words for the gate (the irrelevant check, see check_text)."""
        if words is self.words:
            return self.search(patterns, text)
        if words is None:
            return _first_match(text, self.open(patterns, gated=False))
        return patterns.search(text, words, self.words)


def _set_bits(bits: int) -> Iterator[int]:
    """The positions of the bits that are set, lowest first."""
    while bits:
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low


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
        after = body[inner_end + 1 : inner_end + 2] if inner_end is not None else ""
        if inner_end is None or after in ("?", "*", "{") or _GLUED.match(after):
            return None  # optional, or glued to what follows ("(kapot|dood)maken": the word is "doodmaken")
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


_GLUED = re.compile(r"[a-z0-9(\[]")
_OPTIONAL_TAIL = re.compile(r"\(?(?:\?:)?([a-z0-9]+)\)?\?")


def _ends_word(rest: str) -> bool:
    return rest[:1] in ("", " ", ")", "|") or rest[:2] in ("\\b", "\\s")


def _group_end(body: str) -> int | None:
    """Where the group that opens `body` closes."""
    return next((i for i, c, depth in _structure(body) if c == ")" and depth == 1), None)


_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")  # the characters of a word (_LITERAL)
_MAX_STARTS = 4096


class _Unknown(Exception):
    """The pattern's first word cannot be known (it may start inside a word, or with any character)."""


# While reading a pattern: the first word of a match so far, whether it has certainly ended, and whether the match
# certainly starts at the beginning of a word (after \b or ^).
_Start = tuple[str, bool, bool]


def _first_tokens(pattern: str) -> frozenset[str] | None:
    """The words (_LITERAL tokens of the text) one of which every match of the pattern starts with, or None when
    that is not certain. A match's first word starts at a word boundary (\\b, ^, or after a character outside
    [a-z0-9] that the match starts with) and ends where the pattern certainly has a character outside [a-z0-9] (or
    \\b, or $): then it is a token of the text. Reading every way through the pattern, a superset of its possible
    first words is collected, so a text without any of them cannot match; lookarounds only narrow a match and are
    passed over."""
    if _sre_parser is None:
        return None
    try:
        parsed = _sre_parser.parse(pattern)
        if parsed.state.flags & ~_sre.SRE_FLAG_UNICODE:
            return None  # flags such as (?i) or (?m) change what a character or ^ matches
        starts = _read(list(parsed), {("", False, False)})
    except (_Unknown, re.error, RecursionError):
        return None
    if not all(ended for _token, ended, _anchored in starts):
        return None  # a match can end inside a longer word
    return frozenset(token for token, _ended, _anchored in starts)


def _read(items: list[tuple[Any, Any]], starts: set[_Start]) -> set[_Start]:
    for op, av in items:
        if all(ended for _token, ended, _anchored in starts):
            break
        starts = _read_op(op, av, starts)
        if len(starts) > _MAX_STARTS:
            raise _Unknown
    return starts


def _read_op(op: Any, av: Any, starts: set[_Start]) -> set[_Start]:
    ended = {s for s in starts if s[1]}
    going = starts - ended
    if op is _sre.LITERAL:
        return ended | {_next_char(chr(av), s) for s in going}
    if op is _sre.IN:
        chars = _class_chars(av)
        return ended | {_next_char(c, s) for s in going for c in chars}
    if op is _sre.AT:
        return ended | {_at(av, s) for s in going}
    if op is _sre.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            raise _Unknown
        return ended | _read(list(sub), going)
    if op is _sre.BRANCH:
        return ended.union(*(_read(list(alternative), going) for alternative in av[1]))
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        return ended | _repeat(*av, going)
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        return starts  # zero width: passing over a condition only adds possibilities
    raise _Unknown  # any character, back references, conditions, ...


def _repeat(low: int, high: int, sub: Any, starts: set[_Start]) -> set[_Start]:
    """The starts after `sub` repeated low to high times (until nothing new comes of another repetition)."""
    found: set[_Start] = set()
    count = 0
    while True:
        if count >= low:
            new = starts - found
            found |= starts
            if not new and count > low:
                return found
        if count == high:
            return found
        if count > 16:
            raise _Unknown  # a word of any length
        starts = _read(list(sub), starts)
        count += 1


def _next_char(char: str, start: _Start) -> _Start:
    token, _ended, anchored = start
    if char in _TOKEN_CHARS:
        if not token and not anchored:
            raise _Unknown  # the match may start inside a word
        return token + char, False, anchored
    if not token:
        return token, False, True  # outside words before the first one (r"^\W*hallo"): that one starts after it
    return token, True, anchored


def _at(code: Any, start: _Start) -> _Start:
    token, _ended, anchored = start
    if code is _sre.AT_BOUNDARY:  # before a letter: a word starts; after one: the word ends
        return (token, True, anchored) if token else (token, False, True)
    if code in (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING) and not token:
        return token, False, True
    if code in (_sre.AT_END, _sre.AT_END_STRING) and token:
        return token, True, anchored
    raise _Unknown


def _class_chars(items: list[tuple[Any, Any]]) -> set[str]:
    """The characters of a class as far as words go: " " stands for all characters outside [a-z0-9]."""
    chars: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            chars.add(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] < 64:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op is _sre.CATEGORY and av in (_sre.CATEGORY_SPACE, _sre.CATEGORY_NOT_WORD):
            chars.add(" ")
        else:
            raise _Unknown  # negated classes, \d, \w, large ranges
    return {c if c in _TOKEN_CHARS else " " for c in chars}


LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "€": "e"}
)


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
    exclusion: Patterns  # "dat soort mensen horen hier niet": always stigmatisering
    generalising: Patterns
    appearance: Patterns
    behaviour: Patterns
    details: Patterns  # each pattern that matches counts once
    vigilante: Patterns
    harm: Patterns
    intent: Patterns
    chatter: Patterns
    restraint: Patterns
    offtopic: Patterns
    chain: Patterns
    safety: Patterns
    houserules: Patterns  # a text about the rules of describing people: no appearance or negative check
    sales: Patterns  # a first sentence that sells or gives away: irrelevant even with a safety word
    first_names: frozenset[str]
    name_words: frozenset[str]
    public_numbers: Patterns
    suffixes: frozenset[str]
    address: re.Pattern[str]
    # The patterns of all files numbered in one row of bits (see TextWords): where each file's patterns start, and
    # per word the bits of the patterns whose gate has it and those whose start has it.
    offsets: dict[Patterns, int] = field(default_factory=dict, compare=False)
    index: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False)
    # what was found out about a word before (the same words come back in text after text), bounded
    slur_memo: dict[str, bool] = field(default_factory=dict, compare=False)
    group_memo: dict[str, bool] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        offset = 0
        for value in vars(self).values():
            if isinstance(value, Patterns) and value not in self.offsets:
                self.offsets[value] = offset
                for i, ((gate, _compiled), start) in enumerate(zip(value.branches, value.starts, strict=True)):
                    bit = 1 << (offset + i)
                    for word in gate or ():
                        gated, started = self.index.get(word, (0, 0))
                        self.index[word] = (gated | bit, started)
                    for word in start or ():
                        gated, started = self.index.get(word, (0, 0))
                        self.index[word] = (gated, started | bit)
                offset += len(value.branches)


_MEMO_SIZE = 100_000


def _remember(memo: dict[str, bool], key: str, value: bool) -> bool:
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = value
    return value


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
        exclusion=_pattern("exclusion.patterns"),
        generalising=_pattern("generalising.patterns"),
        appearance=_pattern("appearance.patterns"),
        behaviour=_pattern("behaviour.patterns"),
        details=_pattern("details.patterns"),
        vigilante=_pattern("vigilante.patterns"),
        harm=_pattern("harm.patterns"),
        intent=_pattern("intent.patterns"),
        chatter=_pattern("chatter.patterns"),
        restraint=_pattern("restraint.patterns"),
        offtopic=_pattern("offtopic.patterns"),
        chain=_pattern("chain.patterns"),
        safety=_pattern("safety.patterns"),
        houserules=_pattern("houserules.patterns"),
        sales=_pattern("sales.patterns"),
        first_names=_words("first_names.words"),
        name_words=_words("name_words.words"),
        public_numbers=_pattern("public_numbers.patterns"),
        suffixes=_words("street_suffixes.words"),
        address=re.compile(
            rf"\b([a-z][a-z'-]*(?:{suffixes}))\s+(\d{{1,4}})\s?[a-z]?\b"
            r"(?!\s*(?:meter|m\b|km|minuten|min\b|uur|keer|jaar|euro|%|procent|personen|mensen|auto))"
            # a date after a place ("Stationsplein 14-11: ...", "Stationsplein 14-11-2025") is not a house number
            r"(?![-/]\d{1,2}(?:[-/]\d{2,4}\b|\s*[:,)]|\s+(?:om|rond|omstreeks|tussen|te)\b))"
            r"|\b(?:huisnummer|huisnr\.?)\s*\d{1,4}[a-z]?\b"
            r"|\b(?:op|van|bij|naast|tegenover|voor|achter|naar) (?:nummer|nr\.?|no\.?|nummertje) ?\d{1,4}\b"
            r"|\bnr\.? ?\d{1,4}\b"
        ),
    )


# --- text handling ------------------------------------------------------------------------------------------------
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _fold(text: str) -> str:
    """Lower case without accents (é → e), whitespace collapsed."""
    return _fold_plain(_strip_accents(text))


def _fold_plain(plain: str) -> str:
    """`_fold` of a text whose accents are stripped already."""
    # str.split() splits on exactly the characters \s matches (Py_UNICODE_ISSPACE): the same as collapsing \s+
    # to " " and stripping, and faster.
    return " ".join(plain.lower().split())


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text  # nothing to decompose (most posts)
    # Only characters outside ASCII can be combining marks: filter those runs, not every character.
    return _NON_ASCII.sub(_drop_combining, unicodedata.normalize("NFKD", text))


def _drop_combining(run: re.Match[str]) -> str:
    return "".join(c for c in run.group(0) if not unicodedata.combining(c))


_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_SENTENCE = re.compile(r"(?<=[.!?\n])\s+|\n+")


@lru_cache(maxsize=100_000)
def _lemma(token: str) -> str:
    return simplemma.lemmatize(token, lang="nl").lower()


def _sentences(folded: str) -> list[str]:
    return [s for s in _SENTENCE.split(folded) if s.strip()]


# --- stigmatisering -------------------------------------------------------------------------------------------------
_JOINED_LETTERS = re.compile(r"(?<=[a-z0-9])[*._\-](?=[a-z0-9])")
_SPACED_LETTERS = re.compile(r"\b(?:[a-z0-9] ){2,}[a-z0-9]\b")
_RAW_WORD = re.compile(r"[a-z0-9@$!€]+")


def _slur(folded: str, lst: Lists) -> str | None:
    # Letters kept apart by dots, stars, dashes or spaces are read together ("n.i.k.k.e.r", "n i k k e r").
    joined = _JOINED_LETTERS.sub("", folded)
    joined = _SPACED_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), joined)
    for raw in _RAW_WORD.findall(joined):
        if _is_slur(raw, lst):
            return raw
    return None


def _is_slur(raw: str, lst: Lists) -> bool:
    if (known := lst.slur_memo.get(raw)) is not None:
        return known
    squashed = _squash(raw)
    return _remember(
        lst.slur_memo,
        raw,
        len(squashed) >= 4
        and (
            squashed in lst.slurs
            or _cursed_group(squashed, lst)
            or _censored_curse_group(raw, lst)
            or _contempt_group(squashed, lst)
            or squashed.endswith(lst.slur_ends)
            or squashed.startswith(lst.slur_starts)
        ),
    )


_CURSES = ("kanker", "kut", "tyfus", "tering", "klere")


def _cursed_group(squashed: str, lst: Lists) -> bool:
    """A curse glued to a group word ("kankerpolen", "kutturken"): a slur whatever the group."""
    for curse in _CURSES:
        if squashed.startswith(curse) and squashed[len(curse) :] in lst.groups_squashed:
            return True
    return False


# A curse shortened or censored before a group word ("k*tmarokkanen" is read as "ktmarokkanen", "kkturken",
# "knkrpolen"): matched on the letters as written, since squashing would make "kk" a bare "k".
_CENSORED_CURSES = ("kt", "kk", "knkr", "kkr", "krnkr", "tyf", "tfs")


def _censored_curse_group(raw: str, lst: Lists) -> bool:
    letters = _NON_LETTER.sub("", raw.translate(LEET))
    for curse in _CENSORED_CURSES:
        if (
            letters.startswith(curse)
            and len(letters) - len(curse) >= 4
            and _squash(letters[len(curse) :]) in lst.groups_squashed
        ):
            return True
    return False


_NON_LETTER = re.compile(r"[^a-z]")


# A group word glued to a word of contempt ("zigeunerpak", "polentuig", "asielzoekerstuig"): a slur whatever the group.
_CONTEMPT_ENDS = ("tuig", "pak", "volk", "gespuis", "gajes", "uitschot", "schorem", "zoi", "gedoe")


def _contempt_group(squashed: str, lst: Lists) -> bool:
    for end in _CONTEMPT_ENDS:
        if squashed.endswith(end) and squashed[: -len(end)] in lst.groups_squashed:
            return True
    return False


_ODD = re.compile(r"\d|(.)\1\1")  # digits for letters, or a letter three times: a word written oddly


def _group_word(tokens: Iterable[str], lst: Lists) -> str | None:
    for token in tokens:
        if _is_group(token, lst):
            return token
    return None


def _is_group(token: str, lst: Lists) -> bool:
    if (known := lst.group_memo.get(token)) is not None:
        return known
    return _remember(
        lst.group_memo,
        token,
        token in lst.groups
        or _lemma(token) in lst.groups
        or bool(_ODD.search(token) and _squash(token) in lst.groups_squashed)
        # a group word joined to another by a hyphen ("roma-vrouwen", "polen-busje")
        or ("-" in token and any(part in lst.groups for part in token.split("-") if len(part) > 2))
        or _group_compound(token, lst),
    )


# The second half of a compound whose first half is a group word: "zigeunervrouwen", "polenbusje".
_COMPOUND_ENDS = (
    "vrouw",
    "vrouwen",
    "man",
    "mannen",
    "jongen",
    "jongens",
    "meisje",
    "meisjes",
    "meid",
    "meiden",
    "gast",
    "gasten",
    "kind",
    "kinderen",
    "familie",
    "families",
    "gezin",
    "gezinnen",
    "bende",
    "bendes",
    "volk",
    "tuig",
    "busje",
    "busjes",
    "wijk",
    "kamp",
)


def _group_compound(token: str, lst: Lists) -> bool:
    for end in _COMPOUND_ENDS:
        if token.endswith(end) and len(token) - len(end) >= 4:
            head = token[: -len(end)]
            if head in lst.groups or head.rstrip("s") in lst.groups or (head.endswith("e") and head[:-1] in lst.groups):
                return True
    return False


def _described(folded: str, words: TextWords, lst: Lists) -> bool:
    """A description of what someone did, with at least two distinguishing details (or three details alone): the
    method's way to describe a person, in which origin or skin colour may be one detail among others."""
    details = sum(1 for regex in words.open(lst.details) if regex.search(folded))
    return details >= 3 or (details >= 2 and bool(words.search(lst.behaviour, folded)))


def _stigma(folded: str, sentences: list[str], words: TextWords, lst: Lists) -> str | None:
    if word := _slur(folded, lst):
        return _('The word "%(word)s" hurts a group of people.') % {"word": word}
    if m := words.search(lst.dehumanising, folded):
        return _('People are likened to animals or vermin ("%(words)s").') % {"words": m.group(0)}
    if m := words.search(lst.exclusion, folded):
        return _('This says something about a whole group of people ("%(group)s").') % {"group": m.group(0)}
    group = _group_word(_TOKEN.findall(folded), lst)
    if group:  # a sentence has a group word only if the text has one (its tokens are the text's, in order)
        for sentence in sentences:
            if (found := _group_word(_TOKEN.findall(sentence), lst)) and words.search(lst.generalising, sentence):
                return _('This says something about a whole group of people ("%(group)s").') % {"group": found}
    if words.search(lst.houserules, folded):
        return None  # a house rule or advice on how to describe someone mentions origin, it does not judge by it
    negative = bool(group) and bool(words.search(lst.negative, folded))
    appearance = words.search(lst.appearance, folded)
    if (negative or appearance) and _described(folded, words, lst):  # a description is not suspicion
        return None
    if negative:
        return _('This blames or distrusts a whole group of people ("%(group)s").') % {"group": group}
    if appearance:
        return _(
            'Someone is described by origin or skin colour ("%(words)s") without what they do and two other details.'
        ) % {"words": appearance.group(0)}
    return None


# --- persoonsgegevens -------------------------------------------------------------------------------------------------
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_HANDLE = re.compile(
    r"(?<![\w.@])@[a-z0-9_.]{3,30}\b"
    r"|\b(?:insta(?:gram)?|tiktok|snap(?:chat)?|facebook|fb|twitter|telegram|x)\s*(?:account|naam|name)?\s*:\s*@?[a-z0-9_.]{3,30}"
    # without a colon ("als snapchat j0ey.b4ller", "zijn insta is kees_1990"): a name with a digit, "_" or "."
    r"|\b(?:insta(?:gram)?|tiktok|snap(?:chat)?|telegram)\s*(?:account|naam|name)?\s*(?:is|=|heet)?\s*"
    r"@?(?=[a-z0-9_.]*[a-z])[a-z0-9]+[_.\d][a-z0-9_.]*[a-z0-9]"
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
# What a title of _TITLE_SURNAME leaves in the folded text (its ASCII letters and single spaces stay): without
# one of these it cannot match.
_TITLES = ("meneer", "mevr", "mw", "dhr", "de heer", "buurman", "buurvrouw", "familie", "fam.")
_NOT_NAMES = frozenset(
    {"zwarte piet", "amber alert", "sint maarten", "sinterklaas", "albert heijn", "jan linders"}
    # brands of clothing and shoes in a description ("witte Nike Air Max")
    | {"air max", "tommy hilfiger", "hugo boss", "ralph lauren", "calvin klein", "fred perry", "ben sherman"}
    | {"jack wolfskin", "louis vuitton", "max mara", "stone island", "karl kani", "ted baker", "tom tailor"}
)
# Words after which a first name is a feast or a pet, not a person.
_NOT_BEFORE_NAME = frozenset(
    {"sint", "st", "sinte"}
    | {"kat", "kater", "poes", "hond", "hondje", "reu", "teef", "konijn", "cavia", "papegaai", "parkiet", "paard"}
)
_PRONOUNS = frozenset({"ik", "je", "jij", "u", "we", "wij", "ze", "zij", "hij", "ie", "jullie", "men"})
_PARTICLES = frozenset({"van", "de", "der", "den", "ter", "ten", "el", "al", "bin", "ben", "le", "la", "op"})


_NAME_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
# A signature: a name after a dash or on its own line at the very end, with at most a role in brackets after it.
_SIGNED_BEFORE = re.compile(r"(?:[-\u2013\u2014~]|\n)\s*$")
_SIGNED_AFTER = re.compile(r"\s*(?:\([^()]{0,40}\)|,[^,.!?]{0,40})?\W*$")
_ENDS_SENTENCE = re.compile(r"[.!?:]\s*$")


def _name(original: str, plain: str, folded: str, lst: Lists) -> str | None:
    """A name of a third person in the text (`plain`: without accents; `folded`: see _fold)."""
    # The loop below only looks at first names; most texts have none, and skip building the list.
    words: list[tuple[str, int]] = []
    if _has_name_word(_NAME_WORD.findall(plain), lst):
        words = [(m.group(0), m.start()) for m in _NAME_WORD.finditer(plain)]
    for i, (word, start) in enumerate(words):
        low = word.lower()
        if low not in lst.first_names and low not in lst.name_words:
            continue
        nxt = words[i + 1][0] if i + 1 < len(words) else ""
        pair = f"{low} {nxt.lower()}"
        prev = words[i - 1][0].lower() if i else ""
        if pair in _NOT_NAMES or f"{prev} {low}" in _NOT_NAMES or prev in _NOT_BEFORE_NAME:
            continue  # "Sint Maarten", "Albert Heijn" (a shop), "onze kat Sjors" (a pet)
        if _street_follows(words, i, lst):
            continue  # "Piet Heinstraat": a street named after a person
        before = plain[max(0, start - 40) : start].lower()
        if _OWN_NAME.search(before):
            continue  # the author signs, or an official in their role
        if _SIGNED_BEFORE.search(before) and _SIGNED_AFTER.match(plain, start + len(word)):
            continue  # "… — Ruud (coördinator)": the author's signature at the end
        if low in lst.first_names:
            return word
        # A first name that is also a word: only in a name context, never as the verb after a pronoun ("ik ben").
        if prev in _PRONOUNS:
            continue
        capital_mid = word[0].isupper() and start > 0 and not _ENDS_SENTENCE.search(plain[:start])
        followed = nxt.lower() in _PARTICLES or (nxt[:1].isupper() and nxt.lower() not in lst.groups)
        if followed and nxt.lower() in _PARTICLES and i + 2 < len(words):
            return word  # "kees de vries", "jan van nummer 12"
        if _NAME_BEFORE.search(before) or (capital_mid and followed):
            return word
    if any(title in folded for title in _TITLES) and (m := _TITLE_SURNAME.search(plain)):  # "Öztürk" too
        return m.group(0)
    if "." in original:  # it needs an initial with a dot
        for m in _INITIAL_SURNAME.finditer(original):
            if not _OWN_NAME.search(_strip_accents(original[max(0, m.start() - 40) : m.start()]).lower()):
                return m.group(0).strip()  # not the author's signature ("Met vriendelijke groet, J. de Vries")
    return None


def _has_name_word(words: list[str], lst: Lists) -> bool:
    lower = [word.lower() for word in words]
    return not (lst.first_names.isdisjoint(lower) and lst.name_words.isdisjoint(lower))


def _street_follows(words: list[tuple[str, int]], i: int, lst: Lists) -> bool:
    """Part of a street name named after a person ("Piet Heinstraat", "Jan van Goyenkade"): the words up to the
    street's own are capitalised or particles ("Dylan uit de Zonnebloemstraat" is a person from a street)."""
    for j, (word, _start) in enumerate(words[i : i + 4]):
        low = word.lower()
        if any(low.endswith(suffix) and low != suffix for suffix in lst.suffixes):  # "Van Dijk" is a surname
            return True
        if j and not (word[:1].isupper() or low in _PARTICLES):
            return False
    return False


_NON_DIGIT = re.compile(r"\D")


# A number called a BSN by the text: personal data whether or not it passes the 11-check (made-up numbers in posts
# often do not, and the reader takes it for one all the same).
_BSN_NAMED = re.compile(r"\b(?:bsn|burgerservicenummer|sofinummer|sofi-nummer)\b[^0-9.!?]{0,40}(\d(?:[ .]?\d){7,8})\b")


_MOBILE_SHAPE = re.compile(r"06\d{8}$")


def _phone_or_bsn(folded: str, lst: Lists) -> tuple[str, str] | None:
    if "bsn" in folded or "sofi" in folded or "burgerservicenummer" in folded:
        if m := _BSN_NAMED.search(folded):
            return "bsn", m.group(1)
    for m in _DIGITS.finditer(folded):
        raw = m.group(0).strip()
        digits = _NON_DIGIT.sub("", raw)
        if len(digits) in (8, 9) and not raw.startswith(("0", "+")) and stdnum_bsn.is_valid(digits.zfill(9)):
            return "bsn", raw
        if not 9 <= len(digits) <= 13 or not raw.startswith(("0", "+")):
            continue  # Dutch phone numbers are written with a leading 0, +31 or 0031
        try:
            number = phonenumbers.parse(raw, "NL")
        except phonenumbers.NumberParseException:
            continue
        # A Dutch mobile number has the shape 06 + 8 digits; a made-up one outside the ranges in use (06-9…) is
        # still read as a phone number by everyone who sees it.
        if phonenumbers.is_valid_number(number) or _MOBILE_SHAPE.match(
            digits if digits.startswith("0") else "0" + str(number.national_number)
        ):
            national_number = str(number.national_number)
            if lst.public_numbers.search("0" + national_number) or lst.public_numbers.search(national_number):
                continue
            return "phone", raw
    return None


# Characters or words without which a pattern cannot match: a test on them is far cheaper than the search.
_ANY_DIGIT = re.compile(r"\d")  # bank accounts, phone numbers, BSN, dates of birth and addresses all have digits
_HANDLE_NEEDS = (
    "@",
    ":",
    "account",
    "profiel",
    "gebruikersnaam",
    "insta",
    "tiktok",
    "snap",
    "telegram",
)  # one of its three alternatives' parts


def _personal(original: str, plain: str, folded: str, lst: Lists) -> str | None:
    if "@" in folded and (m := _EMAIL.search(folded)):
        return _('an e-mail address ("%(found)s")') % {"found": m.group(0)}
    digits = bool(_ANY_DIGIT.search(folded))
    for m in _IBAN.finditer(folded) if digits else ():
        if stdnum_iban.is_valid(m.group(0).replace(" ", "").upper()):
            return _('a bank account number ("%(found)s")') % {"found": m.group(0)}
    if digits and (found := _phone_or_bsn(folded, lst)):
        kind, raw = found
        if kind == "bsn":
            return _('a citizen service number (BSN, "%(found)s")') % {"found": raw}
        return _('a phone number ("%(found)s")') % {"found": raw}
    if digits and (m := _BIRTH.search(folded)):
        return _('a date of birth ("%(found)s")') % {"found": m.group(0)}
    if any(part in folded for part in _HANDLE_NEEDS) and (m := _HANDLE.search(folded)):
        return _('a social-media name ("%(found)s")') % {"found": m.group(0)}
    if digits and (m := lst.address.search(folded)):
        return _('a home address ("%(found)s")') % {"found": m.group(0)}
    if name := _name(original, plain, folded, lst):
        return _('a name ("%(found)s")') % {"found": name}
    return None


# --- eigenrichting and irrelevant -----------------------------------------------------------------------------------
def _vigilante(sentences: list[str], words: TextWords, lst: Lists) -> str | None:
    for sentence in sentences:
        part = words.sentence(sentence) if len(sentences) > 1 else words  # a sentence skips more patterns
        if part.search(lst.restraint, sentence):
            continue
        if m := part.search(lst.vigilante, sentence):
            return m.group(0)
        if (m := part.search(lst.harm, sentence)) and part.search(lst.intent, sentence):
            return m.group(0)
    return None


def _offtopic(folded: str, sentences: list[str], words: TextWords, lst: Lists, *, other_flags: bool) -> str | None:
    """The irrelevant check. Its patterns run behind the start gate only (which never skips a match): their
    first-word gates were not written to be complete, and a safety word missed here would flag a safety post.
    Chain letters, politics and a first sentence that sells, gives away or asks for help ("Te koop: alarm, handig
    tegen inbrekers") are irrelevant whatever else the post says."""
    if m := words.search_with(lst.chain, folded, None):
        return m.group(0)
    if m := lst.sales.search(sentences[0], None, words.words):
        return m.group(0)  # a post that opens with a sale or giveaway stays one when it mentions burglars
    if _on_topic(folded, words, lst):
        return None
    if m := words.search_with(lst.offtopic, folded, None):
        return m.group(0)
    if not other_flags and (m := words.search_with(lst.chatter, folded, None)):
        return m.group(0)
    return None


def _on_topic(folded: str, words: TextWords, lst: Lists) -> bool:
    """A safety word or concrete behaviour: the post is about safety (no irrelevant flag, from rules or model)."""
    return bool(words.search_with(lst.safety, folded, None) or words.search_with(lst.behaviour, folded, None))


# --- the check --------------------------------------------------------------------------------------------------------
def check_text(text: str, *, skip: Collection[str] = (), use_model: bool = True) -> Verdict:
    """The flags of a text (in the order of FLAGS) with a Dutch reason each; `skip` leaves checks out (a social
    community switches `irrelevant` off). After the rules, the learned model (`model.py`) may add `stigmatisering`,
    `eigenrichting` or `irrelevant` when its score passes the flag's threshold, never a flag the rules gave already
    or one that is skipped; `use_model=False` gives the rules alone (training chooses thresholds on those)."""
    text = (text or "")[:MAX_TEXT]
    plain = _strip_accents(text)
    folded = _fold_plain(plain)
    if not folded:
        return Verdict(())
    lst = lists()
    sentences = _sentences(folded)
    words = TextWords(folded, lst)
    reasons: dict[str, str] = {}
    if STIGMATISERING not in skip and (reason := _stigma(folded, sentences, words, lst)):
        reasons[STIGMATISERING] = reason
    if PERSOONSGEGEVENS not in skip and (what := _personal(text, plain, folded, lst)):
        reasons[PERSOONSGEGEVENS] = _("This contains personal data of someone else: %(what)s.") % {"what": what}
    if EIGENRICHTING not in skip:
        if vigilante := _vigilante(sentences, words, lst):
            reasons[EIGENRICHTING] = _(
                'This calls for or announces taking the law into your own hands ("%(words)s").'
            ) % {"words": vigilante}
    if IRRELEVANT not in skip and (found := _offtopic(folded, sentences, words, lst, other_flags=bool(reasons))):
        reasons[IRRELEVANT] = _('This is not about safety in the neighbourhood ("%(words)s").') % {"words": found}
    if use_model:
        _learned(folded, sentences, words, lst, reasons, skip)
    return Verdict(tuple(f for f in FLAGS if f in reasons), reasons)


MODEL_MIN_WORDS = 4  # below this a text gives the model too little to go on ("!!" scored as off-topic)


def _model_exempt(flag: str, folded: str, sentences: list[str], words: TextWords, lst: Lists) -> bool:
    """Whether the model may not add `flag` to this text: where the documented rules say a text is fine, they win.
    A safety word or concrete behaviour keeps a post on topic; advice not to act yourself is not a threat; a
    description (behaviour and two details, or three) or a house rule about describing people is not suspicion.
    Asked only for a flag whose score passed its threshold, so most texts never pay for it."""
    if flag == IRRELEVANT:
        return _on_topic(folded, words, lst)
    if flag == EIGENRICHTING:
        return any((words.sentence(s) if len(sentences) > 1 else words).search(lst.restraint, s) for s in sentences)
    if flag == STIGMATISERING:
        return bool(words.search(lst.houserules, folded)) or _described(folded, words, lst)
    return False


# --- the learned model ------------------------------------------------------------------------------------------------
def _learned(
    folded: str, sentences: list[str], words: TextWords, lst: Lists, reasons: dict[str, str], skip: Collection[str]
) -> None:
    """Add the flags the learned model gives (rules OR model; docs/moderation.md), with the words that weighed most,
    except where the rules' exemptions keep a flag off this text."""
    learned = model.load()
    if learned is None:
        return
    wanted = [f for f in learned.flags if f not in reasons and f not in skip and learned.thresholds.get(f) is not None]
    if not wanted or len(_TOKEN.findall(folded)) < MODEL_MIN_WORDS:
        return
    scores = learned.score(folded)
    for flag in wanted:
        if scores.values[flag] < learned.thresholds[flag] or _model_exempt(flag, folded, sentences, words, lst):
            continue
        if flag == STIGMATISERING and EIGENRICHTING in reasons and not _group_word(_TOKEN.findall(folded), lst):
            continue  # threats and stigmatisation often come together in what it learned from; a threat alone is one
        if named := learned.words(scores, flag):
            reasons[flag] = _learned_reason(flag, named)  # a flag names what triggered it, or is not given


def _learned_reason(flag: str, words: list[str]) -> str:
    if words:
        quoted = '", "'.join(words)
        return {
            STIGMATISERING: _('This may judge people by who they are rather than by what they do ("%(words)s").'),
            EIGENRICHTING: _('This reads like a threat or taking the law into your own hands ("%(words)s").'),
            IRRELEVANT: _('This does not seem to be about safety in the neighbourhood ("%(words)s").'),
        }[flag] % {"words": quoted}
    return {
        STIGMATISERING: _("This may judge people by who they are rather than by what they do."),
        EIGENRICHTING: _("This reads like a threat or taking the law into your own hands."),
        IRRELEVANT: _("This does not seem to be about safety in the neighbourhood."),
    }[flag]

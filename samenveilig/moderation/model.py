"""The learned model beside the rules, in plain Python (no numpy or scikit-learn at runtime).

`data/nl/model.json` (written by `samenveilig manage train_moderation_model`, see `model_training.py`) holds a TF-IDF
vocabulary of word 1–2-grams and char_wb 3–5-grams (the sizes are in the file) with their idf, and per vocabulary
feature the weight of one logistic regression per flag (`stigmatisering`, `eigenrichting`, `irrelevant`), their
intercepts and thresholds.
`score(folded)` computes what scikit-learn's `FeatureUnion(TfidfVectorizer…)` + `decision_function` give for the
same text (a test holds them equal within 1e-6):

* word part: tokens `(?u)\\b\\w\\w+\\b` of the folded text, and each pair of neighbouring tokens joined by a space;
* char part: per whitespace-separated word, padded with a space on both sides, its 3- to 5-character slices (a word
  shorter than n gives one slice, the padded word itself, and no longer ones);
* per part, only vocabulary features count; value (1 + ln count) × idf; the part divided by its L2 norm;
* score = intercept + Σ value × weight over both parts.

Speed: a word's char features are looked up once and kept (`_CharCache`), with the sums they add when each occurs
once; a text then only corrects the features it repeats (sublinear tf). The file is read once per process.
"""

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

MODEL_FILE = Path(__file__).resolve().parent / "data" / "nl" / "model.json"
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's token_pattern
_CACHE_WORDS = 50_000  # distinct words whose char features are kept (cleared when full)
_SUMS = itemgetter(3)
_NAMED_LENGTH = 4  # a reason names a word feature only if one of its words has at least this many letters
# ... and only if it is not common: idf 4.9 is a word in about 1 of 60 texts of the labelled set. Common words
# ("gaat", "onze", "iemand": 3.1-4.5) can weigh most in a short text, but named as its trigger they explain nothing.
_NAMED_MIN_IDF = 4.9


@dataclass(frozen=True)
class Scores:
    """The model's scores of one text per flag, and what is needed to name the words behind a score."""

    values: dict[str, float]
    word_ids: list[int]  # the word part's feature rows present in the text, once per occurrence
    word_norm: float


class Model:
    def __init__(self, data: dict[str, Any]) -> None:
        self.flags: tuple[str, ...] = tuple(data["flags"])
        if len(self.flags) != 3:
            raise ValueError("the model scores exactly three flags")  # _Part.finish is written out for three
        self.intercepts = tuple(float(data["intercepts"][f]) for f in self.flags)
        self.thresholds = {f: (None if t is None else float(t)) for f, t in data["thresholds"].items()}
        self.sha256: str = data["trained_on"]["sha256"]
        self.sklearn: str = data.get("sklearn", "")
        self.word = _Part(data["word"], len(self.flags))
        self.char = _Part(data["char"], len(self.flags))
        low, high = data.get("settings", {}).get("char", {}).get("ngram_range", (2, 5))
        self._cache = _WordCache(self.word, self.char, range(int(low), int(high) + 1))

    def score(self, folded: str) -> Scores:
        """The decision function per flag of a folded text (`checks._fold`)."""
        # Per whitespace-separated word (tokens never span whitespace): its tokens and word-part rows, its char_wb
        # rows and the sums those add when each occurs once.
        entries = list(map(self._cache.__getitem__, folded.split()))
        tokens: list[str] = []
        word_ids: list[int] = []
        char_ids: list[int] = []
        for entry in entries:
            tokens += entry[0]
            word_ids += entry[1]
            char_ids += entry[2]
        if len(tokens) > 1:  # bigrams, one dict look-up each
            get = self.word.index.get
            word_ids += [i for i in map(get, map(" ".join, zip(tokens, tokens[1:], strict=False))) if i is not None]
        word_sums = list(map(sum, zip(*map(self.word.rows.__getitem__, word_ids), strict=True)))
        word = self.word.finish(word_sums, Counter(word_ids) if len(set(word_ids)) < len(word_ids) else None)
        char = self.char.finish(list(map(sum, zip(*map(_SUMS, entries), strict=True))), Counter(char_ids))
        values = {}
        for k, flag in enumerate(self.flags, start=1):
            total = self.intercepts[k - 1]
            if word[0]:
                total += word[k] / word[0]
            if char[0]:
                total += char[k] / char[0]
            values[flag] = total
        return Scores(values, word_ids, word[0])

    def words(self, scores: Scores, flag: str, limit: int = 3) -> list[str]:
        """The word features of the text that added most to the flag's score (positive contributions only, largest
        first, at most `limit`, none sharing a word with one chosen before, none of short words only)."""
        k = self.flags.index(flag)
        contributions = []
        for i, count in Counter(scores.word_ids).items():
            value = self.word.idf[i] * (1.0 + math.log(count)) / scores.word_norm * self.word.weights[i][k]
            if value > 0:
                contributions.append((-value, self.word.features[i]))
        chosen: list[str] = []
        used: set[str] = set()
        for _value, feature in sorted(contributions):
            parts = set(feature.split())
            if parts & used or all(len(part) < _NAMED_LENGTH for part in parts):  # "de", "die": says nothing
                continue
            if self.word.idf[self.word.index[feature]] < _NAMED_MIN_IDF:
                continue
            chosen.append(feature)
            used |= parts
            if len(chosen) == limit:
                break
        return chosen


class _Part:
    """One TF-IDF part: feature → row number, and per row [idf², idf × weight per flag]."""

    def __init__(self, rows: list[list[Any]], flags: int) -> None:
        self.features: list[str] = [row[0] for row in rows]
        self.index = {feature: i for i, feature in enumerate(self.features)}
        self.idf = [float(row[1]) for row in rows]
        zero = (0.0,) * flags
        self.weights = [tuple(map(float, row[2:])) if len(row) > 2 else zero for row in rows]
        self.rows = [(idf * idf, *(idf * w for w in ws)) for idf, ws in zip(self.idf, self.weights, strict=True)]
        self.zero = (0.0,) * (flags + 1)

    def finish(self, sums: list[float], counts: Counter | None) -> tuple[float, float, float, float]:
        """(L2 norm, dot per flag) from `sums` (each feature added once per occurrence) and the features' counts
        (None: none occurs twice): a feature that occurs more than once is corrected to 1 + ln count (sublinear
        tf). All zero without features."""
        if not sums:
            return self.zero
        square, first, second, third = sums
        rows = self.rows
        for i, count in [item for item in counts.items() if item[1] > 1] if counts else ():
            row = rows[i]
            if count < _TABLE:
                norm, dot = _SQUARED[count], _LINEAR[count]
            else:
                tf = 1.0 + math.log(count)
                norm, dot = tf * tf - count, tf - count
            square += row[0] * norm
            first += row[1] * dot
            second += row[2] * dot
            third += row[3] * dot
        return math.sqrt(max(square, 0.0)), first, second, third


# Sublinear tf: what a count adds beyond counting each occurrence once, to the squared norm and to a dot product.
_TABLE = 256
_SQUARED = [0.0, 0.0] + [(1.0 + math.log(c)) ** 2 - c for c in range(2, _TABLE)]
_LINEAR = [0.0, 0.0] + [1.0 + math.log(c) - c for c in range(2, _TABLE)]


class _WordCache(dict):
    """Per whitespace-separated word of a text: (its tokens, the word-part rows of those tokens, the rows of its
    char_wb n-grams in the vocabulary with repeats, the sums [idf², idf × weight per flag] those char rows add when
    each occurs once). Computed on first use and kept (at most _CACHE_WORDS words, then cleared): most words of a
    text were seen before."""

    def __init__(self, word: _Part, char: _Part, sizes: range) -> None:
        super().__init__()
        self.word = word
        self.char = char
        self.sizes = sizes

    def __missing__(self, token: str) -> tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...], tuple[float, ...]]:
        tokens = tuple(_TOKEN.findall(token))
        word_ids = tuple(i for i in map(self.word.index.get, tokens) if i is not None)
        padded = f" {token} "
        length = len(padded)
        get = self.char.index.get
        found: list[int] = []
        for n in self.sizes:
            # a padded word no longer than n counts once, as itself (scikit-learn's char_wb)
            grams = [padded[i : i + n] for i in range(max(1, length - n + 1))]
            found += [i for i in map(get, grams) if i is not None]
            if length <= n:
                break
        char_ids = tuple(found)
        sums = tuple(map(sum, zip(*map(self.char.rows.__getitem__, char_ids), strict=True))) or self.char.zero
        if len(self) >= _CACHE_WORDS:
            self.clear()
        self[token] = entry = (tokens, word_ids, char_ids, sums)
        return entry


@lru_cache(maxsize=1)
def load(path: Path = MODEL_FILE) -> Model | None:
    """The model, read once per process; None when the file is missing (then the rules work alone)."""
    if not path.is_file():
        return None
    return Model(json.loads(path.read_text(encoding="utf-8")))

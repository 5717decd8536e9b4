"""Training the learned model beside the rules (`samenveilig manage train_moderation_model`; needs scikit-learn, a dev
dependency). The checks themselves never import this module: they read the file it writes (`data/nl/model.json`)
with `moderation.model`, in plain Python.

The model: TF-IDF of the folded text (`checks._fold`), word 1–2-grams and char_wb 3–5-grams (min_df 2, sublinear tf,
each part L2-normalised on its own), and one logistic regression per flag for `stigmatisering`, `eigenrichting` and
`irrelevant` (C=10, balanced classes). `persoonsgegevens` stays with the rules. The threshold of each flag is chosen
by leave-one-author-out over the labelled set: the rules OR the model's score above the threshold must keep a
precision of at least 0.9 and flag at most 2 % of the clean texts, and gets the best F1 under those two conditions
(the experiments behind docs/moderation.md, "A learned model beside the rules").
"""

import hashlib
import json
from pathlib import Path
from typing import Any

from samenveilig.moderation import checks, quality

MODEL_FLAGS = (checks.STIGMATISERING, checks.EIGENRICHTING, checks.IRRELEVANT)
C = 10.0
MIN_PRECISION = 0.9
MAX_CLEAN = 0.02
PRUNE = 1e-9  # a feature whose weight is below this for every flag keeps its idf (for the norm) but no weights
DIGITS = 10  # significant digits written for weights and idf: far below the 1e-6 the exactness test allows
MODEL_FILE = checks.DATA_DIR / "model.json"


def author(item_id: str) -> str:
    """The author of a labelled text: ids without a `setN-` prefix are the first author's."""
    return item_id.split("-", 1)[0] if item_id.startswith("set") else "set1"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# 3-5, not 2-5: the same quality on the fair folds (new authors, rules before their round: macro-F1 0.860 and
# 0.929 against 0.863 and 0.926, clean flagged equal), and a text has a quarter fewer features to score.
CHAR_NGRAMS = (3, 5)


def vectoriser() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    def part(analyzer: str, ngrams: tuple[int, int]) -> Any:
        return TfidfVectorizer(
            preprocessor=checks._fold, analyzer=analyzer, ngram_range=ngrams, min_df=2, sublinear_tf=True
        )

    return FeatureUnion([("word", part("word", (1, 2))), ("char", part("char_wb", CHAR_NGRAMS))])


def classifier() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=5000, random_state=0)


def fit(texts: list[str], labels: dict[str, list[bool]]) -> tuple[Any, dict[str, Any]]:
    """The fitted vectoriser and one fitted classifier per flag of MODEL_FLAGS."""
    union = vectoriser()
    matrix = union.fit_transform(texts)
    return union, {flag: classifier().fit(matrix, labels[flag]) for flag in MODEL_FLAGS}


def out_of_fold_scores(items: list[quality.Labelled]) -> dict[str, list[float]]:
    """Each text's score from a model trained on the other authors only."""
    import numpy as np

    groups = np.array([author(i.id) for i in items])
    scores = {flag: np.zeros(len(items)) for flag in MODEL_FLAGS}
    for group in sorted(set(groups)):
        train, test = np.where(groups != group)[0], np.where(groups == group)[0]
        union, models = fit(
            [items[i].text for i in train], {f: [f in items[i].flags for i in train] for f in MODEL_FLAGS}
        )
        matrix = union.transform([items[i].text for i in test])
        for flag, model in models.items():
            scores[flag][test] = model.decision_function(matrix)
    return {flag: list(map(float, s)) for flag, s in scores.items()}


def choose_threshold(scores: list[float], rules: list[bool], truth: list[bool], clean: list[bool]) -> float | None:
    """The threshold with the best F1 of rules OR score ≥ threshold, among those with precision ≥ MIN_PRECISION and
    at most MAX_CLEAN of the clean texts flagged (candidates: quantiles 0.3–0.999 of the scores, as in the
    experiments); None when no threshold qualifies (then the model adds nothing for this flag)."""
    import numpy as np

    score, rule, y, cl = np.array(scores), np.array(rules), np.array(truth), np.array(clean)
    best: tuple[float, float] | None = None
    for threshold in np.unique(np.quantile(score, np.linspace(0.3, 0.999, 300))):
        pred = rule | (score >= threshold)
        tp, fp, fn = int((pred & y).sum()), int((pred & ~y).sum()), int((~pred & y).sum())
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if precision >= MIN_PRECISION and pred[cl].mean() <= MAX_CLEAN and (best is None or f1 > best[0]):
            best = (f1, float(threshold))
    return None if best is None else best[1]


def _number(value: float) -> float:
    return float(f"{value:.{DIGITS}g}")


def export(union: Any, models: dict[str, Any]) -> dict[str, Any]:
    """The vocabulary, idf and weights in the form `moderation.model` reads."""
    parts: dict[str, Any] = {}
    offset = 0
    for name, vectoriser_part in union.transformer_list:
        vocabulary = vectoriser_part.vocabulary_
        features = sorted(vocabulary, key=vocabulary.__getitem__)
        size = len(features)
        weights = {flag: models[flag].coef_[0][offset : offset + size] for flag in MODEL_FLAGS}
        rows = []
        for index, feature in enumerate(features):
            idf = _number(vectoriser_part.idf_[index])
            w = [_number(weights[flag][index]) for flag in MODEL_FLAGS]
            if all(abs(x) < PRUNE for x in w):
                rows.append([feature, idf])
            else:
                rows.append([feature, idf, *w])
        rows.sort(key=lambda row: row[0])
        parts[name] = rows
        offset += size
    return parts


def train(path: Path = quality.LABELLED) -> dict[str, Any]:
    """The model as a JSON-ready dict: trained on every text of `path`, thresholds by leave-one-author-out."""
    import sklearn

    items = quality.load(path)
    texts = [i.text for i in items]
    truth = {flag: [flag in i.flags for i in items] for flag in MODEL_FLAGS}
    clean = [not i.flags for i in items]
    rules = {flag: [] for flag in MODEL_FLAGS}
    for text in texts:
        found = checks.check_text(text, use_model=False).flags
        for flag in MODEL_FLAGS:
            rules[flag].append(flag in found)
    oof = out_of_fold_scores(items)
    thresholds = {flag: choose_threshold(oof[flag], rules[flag], truth[flag], clean) for flag in MODEL_FLAGS}
    union, models = fit(texts, truth)
    return {
        "format": 1,
        "about": "Learned model beside the rules; written by `samenveilig manage train_moderation_model`, read by "
        "samenveilig/moderation/model.py. Rows: [feature, idf] or [feature, idf, weight per flag of `flags`].",
        "trained_on": {"file": "samenveilig/moderation/quality/labelled_nl.jsonl", "sha256": sha256(path)},
        "texts": len(items),
        "sklearn": sklearn.__version__,
        "settings": {
            "word": {"analyzer": "word", "ngram_range": [1, 2], "token_pattern": r"(?u)\b\w\w+\b"},
            "char": {"analyzer": "char_wb", "ngram_range": list(CHAR_NGRAMS)},
            "min_df": 2,
            "sublinear_tf": True,
            "norm": "l2 per part",
            "C": C,
            "class_weight": "balanced",
            "threshold_rule": f"rules OR model: precision >= {MIN_PRECISION}, clean flagged <= {MAX_CLEAN}, best F1, "
            "leave-one-author-out",
        },
        "flags": list(MODEL_FLAGS),
        "intercepts": {flag: _number(models[flag].intercept_[0]) for flag in MODEL_FLAGS},
        "thresholds": thresholds,
        **export(union, models),
    }


def write(model: dict[str, Any], path: Path = MODEL_FILE) -> int:
    """Write compact, deterministic JSON (one line per feature row would be larger); the size in bytes."""
    text = json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n"
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))

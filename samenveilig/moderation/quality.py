"""How well the text checks do on a labelled set: precision, recall and F1 per flag, macro-F1, and the share of clean
texts that got any flag. The repository's set is `quality/labelled_nl.jsonl` (written for this purpose; see its
README); the test suite and `samenveilig bench moderation` both measure it."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samenveilig.moderation.checks import FLAGS, check_text

LABELLED = Path(__file__).resolve().parent / "quality" / "labelled_nl.jsonl"


@dataclass(frozen=True)
class Labelled:
    id: str
    text: str
    flags: frozenset[str]
    category: str


def load(path: Path = LABELLED) -> list[Labelled]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            items.append(Labelled(row["id"], row["text"], frozenset(row["flags"]), row.get("category", "")))
    return items


def score(items: list[Labelled]) -> dict[str, Any]:
    """Figures of the checks on these items, and the items they got wrong."""
    counts = {flag: {"tp": 0, "fp": 0, "fn": 0} for flag in FLAGS}
    clean = clean_flagged = 0
    wrong = []
    for item in items:
        found = frozenset(check_text(item.text).flags)
        for flag in FLAGS:
            if flag in found and flag in item.flags:
                counts[flag]["tp"] += 1
            elif flag in found:
                counts[flag]["fp"] += 1
            elif flag in item.flags:
                counts[flag]["fn"] += 1
        if not item.flags:
            clean += 1
            clean_flagged += bool(found)
        if found != item.flags:
            wrong.append({"id": item.id, "expected": sorted(item.flags), "found": sorted(found), "text": item.text})
    per_flag = {}
    for flag, c in counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_flag[flag] = {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), **c}
    return {
        "texts": len(items),
        "macro_f1": round(sum(f["f1"] for f in per_flag.values()) / len(per_flag), 3),
        "clean_texts": clean,
        "clean_flagged_rate": round(clean_flagged / clean, 3) if clean else 0.0,
        "per_flag": per_flag,
        "wrong": wrong,
    }

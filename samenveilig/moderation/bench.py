"""`samenveilig bench moderation`: how fast the text checks are, and how good, in one process on one core.

The texts are those of the labelled set (samenveilig/moderation/quality/labelled_nl.jsonl), checked in a shuffled
order, repeated until `texts` checks are done, after a warm-up pass (compiling the lists, loading the lemmatiser's
dictionary: once per process). Every check is timed on its own (`time.perf_counter_ns`); `texts_per_s` is the
number of checks over their summed time. The quality figures are those of the test suite (moderation.quality).
Targets (issue 5): at least 2,000 texts/s, p99 ≤ 5 ms, macro-F1 ≥ 0.90, clean texts flagged ≤ 3 %.
"""

import platform
import random
import statistics
import time
from typing import Any

from samenveilig.moderation import quality
from samenveilig.moderation.checks import check_text


def run(*, texts: int = 20_000, seed: int = 5) -> dict[str, Any]:
    items = quality.load()
    corpus = [item.text for item in items]
    for text in corpus:  # warm-up: the lists, the lemmatiser
        check_text(text)
    order = random.Random(seed)  # noqa: S311 - an order of texts, not a secret
    timings: list[int] = []
    while len(timings) < texts:
        order.shuffle(corpus)
        for text in corpus[: texts - len(timings)]:
            started = time.perf_counter_ns()
            check_text(text)
            timings.append(time.perf_counter_ns() - started)
    total_s = sum(timings) / 1e9
    ms = sorted(t / 1e6 for t in timings)
    figures = quality.score(items)
    return {
        "bench": "moderation",
        "texts": len(timings),
        "texts_per_s": round(len(timings) / total_s, 1),
        "p50_ms": round(statistics.median(ms), 3),
        "p99_ms": round(ms[int(len(ms) * 0.99) - 1], 3),
        "max_ms": round(ms[-1], 3),
        "labelled_texts": figures["texts"],
        "macro_f1": figures["macro_f1"],
        "clean_flagged_rate": figures["clean_flagged_rate"],
        "per_flag": {
            flag: {"precision": f["precision"], "recall": f["recall"], "f1": f["f1"]}
            for flag, f in figures["per_flag"].items()
        },
        "targets": {"texts_per_s": 2000, "p99_ms": 5, "macro_f1": 0.90, "clean_flagged_rate": 0.03},
        "machine": {"python": platform.python_version(), "processor": platform.machine()},
    }

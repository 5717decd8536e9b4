"""The labelled Dutch set (moderation/quality/labelled_nl.jsonl) measures the checks as a whole (issue 5 §6)."""

import json

from django.test import SimpleTestCase

from samenveilig.moderation import quality
from samenveilig.moderation.checks import FLAGS


class LabelledSetTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.items = quality.load()
        cls.figures = quality.score(cls.items)

    def test_the_set_is_large_varied_and_well_formed(self) -> None:
        self.assertGreaterEqual(len(self.items), 300)
        self.assertEqual(len({i.id for i in self.items}), len(self.items))
        self.assertEqual(len({i.text for i in self.items}), len(self.items))
        for item in self.items:
            self.assertLessEqual(item.flags, set(FLAGS), item.id)
        clean = sum(1 for i in self.items if not i.flags)
        self.assertGreaterEqual(clean / len(self.items), 0.35)
        for flag in FLAGS:
            self.assertGreaterEqual(sum(1 for i in self.items if i.flags == {flag}), 40, flag)
        self.assertGreaterEqual(sum(1 for i in self.items if len(i.flags) > 1), 20)

    def test_macro_f1_is_at_least_090(self) -> None:
        report = {flag: self.figures["per_flag"][flag] for flag in FLAGS}
        self.assertGreaterEqual(self.figures["macro_f1"], 0.90, json.dumps(report, indent=1))

    def test_at_most_3_percent_of_clean_texts_get_a_flag(self) -> None:
        wrongly = [w for w in self.figures["wrong"] if not w["expected"]]
        self.assertLessEqual(self.figures["clean_flagged_rate"], 0.03, json.dumps(wrongly, ensure_ascii=False))

    def test_the_score_counts_what_it_should(self) -> None:
        items = [
            quality.Labelled("a", "Die kankermarokkanen weer", frozenset({"stigmatisering"}), "x"),
            quality.Labelled("b", "Goedemorgen allemaal!", frozenset(), "x"),  # clean by label, flagged irrelevant
        ]
        figures = quality.score(items)
        self.assertEqual(figures["per_flag"]["stigmatisering"]["tp"], 1)
        self.assertEqual(figures["per_flag"]["irrelevant"]["fp"], 1)
        self.assertEqual(figures["clean_flagged_rate"], 1.0)
        self.assertEqual([w["id"] for w in figures["wrong"]], ["b"])

"""The learned model beside the rules (moderation/model.py, data/nl/model.json; docs/moderation.md)."""

import importlib.util
import json
import unittest
from unittest import mock

from django.test import SimpleTestCase
from django.utils import translation

from samenveilig.moderation import checks, model, model_training, quality
from samenveilig.moderation.checks import check_text

HAVE_SKLEARN = importlib.util.find_spec("sklearn") is not None


class ModelFileTests(SimpleTestCase):
    def test_the_model_was_trained_on_the_current_labelled_set(self) -> None:
        data = json.loads(model.MODEL_FILE.read_text(encoding="utf-8"))
        self.assertEqual(
            data["trained_on"]["sha256"],
            model_training.sha256(quality.LABELLED),
            "labelled_nl.jsonl changed since model.json was written: run `samenveilig manage train_moderation_model`",
        )

    def test_the_model_scores_three_flags_with_thresholds(self) -> None:
        learned = model.load()
        self.assertEqual(learned.flags, (checks.STIGMATISERING, checks.EIGENRICHTING, checks.IRRELEVANT))
        self.assertNotIn(checks.PERSOONSGEGEVENS, learned.flags)  # personal data stays with the rules
        for flag in learned.flags:
            self.assertIsNotNone(learned.thresholds[flag], flag)


@unittest.skipUnless(HAVE_SKLEARN, "scikit-learn is not installed (a dev dependency): cannot compare with it")
class ExactnessTests(SimpleTestCase):
    def test_plain_python_scores_equal_scikit_learn_on_the_whole_labelled_set(self) -> None:
        items = quality.load()
        texts = [item.text for item in items]
        union, models = model_training.fit(
            texts, {flag: [flag in item.flags for item in items] for flag in model_training.MODEL_FLAGS}
        )
        learned = model.load()
        for name, part in union.transformer_list:
            self.assertEqual(len(getattr(learned, name).features), len(part.vocabulary_), name)
        matrix = union.transform(texts + ["", "!!", "a", "x y z", "héé   daar\n\tjij jij jij"])
        for flag, fitted in models.items():
            expected = fitted.decision_function(matrix)
            for text, value in zip(
                texts + ["", "!!", "a", "x y z", "héé   daar\n\tjij jij jij"], expected, strict=True
            ):
                self.assertAlmostEqual(learned.score(checks._fold(text)).values[flag], value, delta=1e-6, msg=text)


class LearnedFlagTests(SimpleTestCase):
    """Texts written for these tests (not from the labelled set): the rules miss them, the model does not."""

    CATCHES = {
        checks.STIGMATISERING: [
            "Sinds die nieuwe bewoners uit Bulgarije er wonen is het hier niet meer veilig, dat ligt echt aan "
            "dat volk.",
            "Met die mensen uit dat opvanghuis erbij kun je je fiets beter binnen zetten, zo zijn ze nou eenmaal.",
        ],
        checks.EIGENRICHTING: [
            "Ik weet waar die jongens wonen, vanavond gaan we even verhaal halen met een paar man.",
        ],
        checks.IRRELEVANT: [
            "Onze oppas is verhuisd, kent iemand een lief meisje dat op woensdag kan?",
        ],
    }

    def test_the_model_adds_flags_the_rules_miss_with_the_words_that_weighed_most(self) -> None:
        for flag, texts in self.CATCHES.items():
            for text in texts:
                with self.subTest(text=text), translation.override("en"):
                    self.assertEqual(check_text(text, use_model=False).flags, ())
                    verdict = check_text(text)
                    self.assertEqual(verdict.flags, (flag,))
                    self.assertRegex(verdict.reasons[flag], r'\("[^"]+"(, "[^"]+")*\)\.$')

    def test_near_misses_stay_clean(self) -> None:
        for text in (
            "Signalement van de politie: man, ongeveer 1.85, kaal, donkere jas, zwarte rugzak, liep richting station. "
            "Tips? Bel 0900-8844.",
            "Ga er alsjeblieft niet zelf op af als je iemand ziet inbreken. Bel 112 en houd afstand.",
            "Vanmiddag probeerde een man in een groene regenjas en witte sneakers de schuur van de buren open te "
            "breken. Politie is ingelicht.",
            "Man met lichte huid, zwarte muts en blauwe jas trok aan autodeuren in de Lindelaan, richting park "
            "gelopen.",
            "Let op: er zijn weer oplichters aan de deur die zich voordoen als monteur. Laat niemand binnen zonder "
            "pasje.",
            "De gemeente gaat de speeltuin opknappen, er komt een nieuwe glijbaan.",
        ):
            with self.subTest(text=text):
                self.assertEqual(check_text(text).flags, ())

    def test_where_the_documented_rules_say_a_text_is_fine_the_model_adds_nothing(self) -> None:
        """Without these exemptions the model flagged each of these (found on the rules' own test sentences)."""
        cases = {
            "a vandalism report is on topic": (
                "Iemand heeft eieren tegen onze ramen gegooid, heeft iemand iets gezien?",
                (),
            ),
            "a threat is not also stigmatisation": ("Die krijgt ervan langs, let maar op", (checks.EIGENRICHTING,)),
            "nor when it swears": ("Die gaat eraan, dat zweer ik.", (checks.EIGENRICHTING,)),
            "too short to judge": ("!!", ()),
            "advice not to act yourself": (
                "Als je ze ziet: niet zelf op af gaan, bel 112 en houd afstand van die gasten.",
                (),
            ),
        }
        for name, (text, expected) in cases.items():
            with self.subTest(name):
                self.assertEqual(check_text(text).flags, expected)

    def test_a_reason_names_telling_words_not_common_ones(self) -> None:
        with translation.override("en"):
            reason = check_text(self.CATCHES[checks.EIGENRICHTING][0]).reasons[checks.EIGENRICHTING]
        for common in ('"gaan"', '"we"', '"die"', '"een"'):
            self.assertNotIn(common, reason)

    def test_a_skipped_check_is_never_given_by_the_model(self) -> None:
        text = self.CATCHES[checks.IRRELEVANT][0]
        self.assertEqual(check_text(text, skip={checks.IRRELEVANT}).flags, ())
        text = self.CATCHES[checks.EIGENRICHTING][0]
        self.assertEqual(check_text(text, skip={checks.EIGENRICHTING}).flags, ())

    def test_without_a_model_file_the_rules_work_alone(self) -> None:
        text = self.CATCHES[checks.STIGMATISERING][0]
        with mock.patch.object(model, "load", return_value=None):
            self.assertEqual(check_text(text).flags, ())

    def test_a_reason_without_telling_words_is_generic(self) -> None:
        with translation.override("en"):
            self.assertEqual(
                checks._learned_reason(checks.EIGENRICHTING, []),
                "This reads like a threat or taking the law into your own hands.",
            )

    def test_the_file_is_read_once_per_process(self) -> None:
        self.assertIs(model.load(), model.load())

"""The rules of the text checks, one behaviour at a time (the labelled set in test_quality measures them as a whole)."""

import re

from django.test import SimpleTestCase, override_settings

from samenveilig.moderation import checks
from samenveilig.moderation.checks import check_text


class FlagTests(SimpleTestCase):
    def assertFlags(self, text: str, *expected: str) -> None:  # noqa: N802
        self.assertEqual(check_text(text).flags, tuple(f for f in checks.FLAGS if f in expected), text)

    def test_a_clean_urgent_report_gets_no_flag(self) -> None:
        self.assertFlags(
            "Man in zwarte hoodie en grijze joggingbroek voelt aan de deurklinken van de auto's aan de Parklaan, "
            "loopt richting het station. 112 is gebeld."
        )

    def test_slurs_are_flagged_also_when_spelt_oddly(self) -> None:
        for text in ("Weer van die n1kk3rs bij de snackbar", "die n.i.k.k.e.r.s weer", "kkkankermarokkanen"):
            with self.subTest(text=text):
                self.assertFlags(text, checks.STIGMATISERING)

    def test_a_generalisation_about_a_group_is_flagged_and_a_neutral_mention_is_not(self) -> None:
        self.assertFlags("Die asielzoekers zijn allemaal criminelen", checks.STIGMATISERING)
        self.assertFlags("De moskee aan de Kerkweg houdt zaterdag een open dag over veiligheid in de wijk.")

    def test_suspicion_by_skin_colour_alone_is_flagged(self) -> None:
        self.assertFlags("Er loopt een donkere man door de straat, niet pluis", checks.STIGMATISERING)

    def test_skin_colour_with_behaviour_and_two_details_is_a_description(self) -> None:
        self.assertFlags(
            "Donkere man, ca. 1.80, rode jas en wit petje, probeert de achterdeur van nummer open te wrikken en "
            "rent weg richting het park. Politie is gebeld."
        )

    def test_personal_data_of_third_persons_is_flagged(self) -> None:
        cases = {
            "phone": "Bel hem maar op 06-12345678",
            "e-mail": "Mail naar k.devries@example.nl",
            "bsn": "Zijn BSN is 111222333",
            "iban": "Geld terug via NL91 ABNA 0417 1643 00",
            "address": "Het gebeurde bij Vondelstraat 12",
            "huisnummer": "De bewoner van huisnummer 14 weet meer",
            "name": "Die jan van de overkant doet het",
            "full name": "Volgens mij was het Pieter Bakker",
            "handle": "Zijn insta is @bikeboy_utrecht",
            "birth": "Hij is geboren op 12-03-1987",
        }
        for kind, text in cases.items():
            with self.subTest(kind=kind):
                self.assertFlags(text, checks.PERSOONSGEGEVENS)

    def test_plates_public_numbers_and_streets_are_not_personal_data(self) -> None:
        self.assertFlags("Witte bestelbus met kenteken VGH-12-K reed de Dorpsstraat uit, richting de A12.")
        self.assertFlags("Geen spoed maar wel een tip? Bel de politie op 0900-8844.")
        self.assertFlags("Verdachte situatie op de Piet Heinstraat, politie is onderweg.")

    def test_an_invalid_bsn_or_iban_is_not_personal_data(self) -> None:
        self.assertFlags("Zaaknummer 111222334 bij de politie, verdachte fiets gestolen")
        self.assertFlags("Referentie NL00 ABNA 0417 1643 00 van de fietsendiefstal")

    def test_calls_for_vigilante_action_are_flagged_and_advice_against_it_is_not(self) -> None:
        self.assertFlags("Als ik hem zie ga ik hem pakken, die krijgt een pak slaag", checks.EIGENRICHTING)
        self.assertFlags("haha volgende keer staat de honkbalknuppel klaar 😂", checks.EIGENRICHTING)
        self.assertFlags("We sluiten hem op in de schuur tot de politie er is", checks.EIGENRICHTING)
        self.assertFlags("Ga er niet zelf achteraan: bel 112 en blijf op afstand.")

    def test_off_topic_posts_are_flagged_unless_they_are_about_safety(self) -> None:
        self.assertFlags("Sleutelbos gevonden bij de bakker, van wie is hij?", checks.IRRELEVANT)
        self.assertFlags("Te koop: kinderfiets, 25 euro", checks.IRRELEVANT)
        self.assertFlags("Weet iemand een goede loodgieter?", checks.IRRELEVANT)
        self.assertFlags("Goedemorgen allemaal!", checks.IRRELEVANT)
        self.assertFlags("Let op: er gaan nepverkopers langs de deuren die zeggen dat ze van de energie zijn.")

    def test_chain_letters_and_party_politics_are_off_topic_even_with_safety_words(self) -> None:
        self.assertFlags("Stuur dit door naar 10 mensen, de politie waarschuwt!", checks.IRRELEVANT)
        self.assertFlags("Wil je meer veiligheid? Stem op de VVD", checks.IRRELEVANT)

    def test_a_community_can_switch_the_irrelevant_check_off(self) -> None:
        self.assertEqual(check_text("Goedemorgen allemaal!", skip={checks.IRRELEVANT}).flags, ())

    def test_each_flag_has_a_dutch_reason_naming_its_trigger(self) -> None:
        verdict = check_text("Die kankermarokkanen, ik sla ze in elkaar. Bel 06-12345678")
        self.assertEqual(verdict.flags, (checks.STIGMATISERING, checks.PERSOONSGEGEVENS, checks.EIGENRICHTING))
        self.assertIn("kankermarokkanen", verdict.reasons[checks.STIGMATISERING])
        self.assertIn("06-12345678", verdict.reasons[checks.PERSOONSGEGEVENS])
        self.assertIn("telefoonnummer", verdict.reasons[checks.PERSOONSGEGEVENS])
        self.assertIn("in elkaar", verdict.reasons[checks.EIGENRICHTING])

    def test_empty_text_is_clean(self) -> None:
        self.assertEqual(check_text("   ").flags, ())


class AdministratorListsTests(SimpleTestCase):
    def test_an_administrator_extends_a_list_with_a_file_of_the_same_name(self) -> None:
        import tempfile
        from pathlib import Path

        text = "Die snorrebollen horen hier niet"
        self.assertEqual(check_text(text).flags, ())
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "slurs.words").write_text("# local word\nsnorrebollen\n", encoding="utf-8")
            with override_settings(MODERATION_DIR=folder):
                checks.lists.cache_clear()
                try:
                    self.assertEqual(check_text(text).flags, (checks.STIGMATISERING,))
                finally:
                    checks.lists.cache_clear()


class PatternGateTests(SimpleTestCase):
    def test_gates_only_skip_patterns_that_cannot_match(self) -> None:
        from samenveilig.moderation import quality

        texts = [checks._fold(item.text) for item in quality.load()]
        files = sorted(p.name for p in checks.DATA_DIR.glob("*.patterns"))
        for name in files:
            for pattern in checks._lines(name):
                gate, compiled = checks._gate(pattern), re.compile(pattern)
                if gate is None:
                    continue
                for text in texts:
                    if compiled.search(text):
                        words = frozenset(checks._LITERAL.findall(text))
                        self.assertFalse(gate.isdisjoint(words), (name, pattern, text))

    def test_a_gate_lists_the_possible_first_words(self) -> None:
        self.assertEqual(checks._gate(r"\b(man|types?)\s+x"), {"man", "type", "types"})
        self.assertEqual(checks._gate(r"\bbied(en)? aan\b"), {"bied", "bieden"})
        self.assertEqual(checks._gate(r"\b(eruit|neer) (schieten)\b|\bschiet ik\b"), {"eruit", "neer", "schiet"})
        self.assertIsNone(checks._gate(r"^\W*(haha|lol)"))
        self.assertIsNone(checks._gate(r"\bverdacht(e|)?\b"))

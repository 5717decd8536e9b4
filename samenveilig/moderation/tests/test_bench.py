from django.test import SimpleTestCase

from samenveilig.moderation import bench


class BenchSmokeTests(SimpleTestCase):
    def test_the_benchmark_reports_speed_and_quality(self) -> None:
        figures = bench.run(texts=500)
        self.assertEqual(figures["texts"], 500)
        self.assertGreater(figures["texts_per_s"], 0)
        self.assertLessEqual(figures["p50_ms"], figures["p99_ms"])
        self.assertEqual(
            set(figures["per_flag"]), {"stigmatisering", "persoonsgegevens", "eigenrichting", "irrelevant"}
        )
        self.assertGreaterEqual(figures["labelled_texts"], 300)

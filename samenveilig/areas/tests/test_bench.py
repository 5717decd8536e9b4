"""The geo benchmark runs, checks its own answers against brute force, and leaves nothing behind."""

from django.test import TestCase

from samenveilig.accounts.models import Residence, User
from samenveilig.areas import bench
from samenveilig.areas.models import Area, AreaCell


class GeoBenchTests(TestCase):
    def test_a_small_run_reports_checked_figures_and_rolls_everything_back(self) -> None:
        before = (User.objects.count(), Residence.objects.count(), Area.objects.count(), AreaCell.objects.count())
        figures = bench.run(points=300, seed=3, lookups=50)
        self.assertEqual(
            (User.objects.count(), Residence.objects.count(), Area.objects.count(), AreaCell.objects.count()), before
        )
        self.assertTrue(figures["checked"])
        self.assertEqual((figures["points"], figures["homes"], figures["areas"]), (300, 300, 19))
        self.assertEqual([row["radius_m"] for row in figures["radius"]], [100, 500, 2000, 5000])
        self.assertEqual([row["resolution"] for row in figures["radius"]], [9, 9, 9, 7])
        for row in figures["radius"]:
            self.assertGreaterEqual(row["candidates_median"], row["results_median"])
        self.assertEqual(figures["areas_at"]["not_found"], 0)  # the synthetic buurten fill the square
        self.assertEqual(figures["buurt_at"]["calls"], 50)

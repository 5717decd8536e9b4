"""Geo look-ups: which areas hold a point, who lives within a radius, which communities cover a point.

Every answer is compared with brute force (haversine over every row, shapely over every polygon), and the query
count shows that each look-up is one fixed index look-up.
"""

import random
from unittest import mock

import h3.api.basic_int as h3i
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from shapely.geometry import Point, shape

from samenveilig.accounts.models import Residence
from samenveilig.areas import geo, selectors
from samenveilig.areas.models import Area, AreaCell, AreaKind
from samenveilig.areas.services import area_save
from samenveilig.areas.tests.helpers import brute_force, destination, make_homes, random_points, straddle
from samenveilig.communities.models import Community, CommunityCell
from samenveilig.core.errors import Invalid
from samenveilig.core.testing import ORIGIN, SamenVeiligTestCase, box, make_areas

CENTRE = (52.09, 5.12)


class PointsWithinBruteForceTests(TestCase):
    """A few thousand seeded random homes in a 14 x 14 km box; several centres and radii."""

    @classmethod
    def setUpTestData(cls) -> None:
        points = random_points(3000, seed=42, centre=CENTRE, half_size_deg=(0.063, 0.1))
        cls.homes = make_homes(points, prefix="rnd")

    def test_results_are_identical_to_a_brute_force_haversine(self) -> None:
        rnd = random.Random(7)
        centres = [CENTRE] + [
            (CENTRE[0] + rnd.uniform(-0.03, 0.03), CENTRE[1] + rnd.uniform(-0.05, 0.05)) for _ in range(4)
        ]
        for lat, lon in centres:
            for radius in (50, 100, 250, 500, 1000, 2000, 3000, 3001, 5000):
                with self.subTest(lat=lat, lon=lon, radius=radius):
                    found = selectors.points_within(Residence.objects.all(), lat=lat, lon=lon, radius_m=radius)
                    self.assertEqual({h.pk for h in found}, brute_force(self.homes, lat, lon, radius))
                    match = selectors.radius_match(Residence.objects.all(), lat=lat, lon=lon, radius_m=radius)
                    self.assertEqual(set(match.ids), {h.pk for h in found})
                    self.assertGreaterEqual(match.candidates, len(match.ids))

    def test_large_radii_use_the_res_7_column_and_small_ones_res_9(self) -> None:
        big = selectors.radius_match(Residence.objects.all(), lat=CENTRE[0], lon=CENTRE[1], radius_m=5000)
        small = selectors.radius_match(Residence.objects.all(), lat=CENTRE[0], lon=CENTRE[1], radius_m=100)
        self.assertEqual((big.res, small.res), (7, 9))
        self.assertGreater(len(big.ids), 500)  # about a third of the box
        self.assertEqual(set(big.ids), brute_force(self.homes, *CENTRE, 5000))
        self.assertEqual(set(small.ids), brute_force(self.homes, *CENTRE, 100))

    def test_each_search_is_one_query(self) -> None:
        for radius in (100, 2000, 5000):
            with self.assertNumQueries(1):
                selectors.points_within(Residence.objects.all(), lat=CENTRE[0], lon=CENTRE[1], radius_m=radius)
            with self.assertNumQueries(1):
                selectors.radius_match(Residence.objects.all(), lat=CENTRE[0], lon=CENTRE[1], radius_m=radius)
            with self.assertNumQueries(1):
                homes = selectors.residents_within(lat=CENTRE[0], lon=CENTRE[1], radius_m=radius)
                [home.user.username for home in homes]  # the person comes with the home

    def test_the_queryset_given_narrows_the_search(self) -> None:
        some = [h.pk for h in self.homes[:1500]]
        found = selectors.points_within(
            Residence.objects.filter(pk__in=some), lat=CENTRE[0], lon=CENTRE[1], radius_m=3000
        )
        self.assertEqual({h.pk for h in found}, brute_force(self.homes, *CENTRE, 3000) & set(some))


class PointsWithinEdgeCaseTests(TestCase):
    """Homes placed exactly where the answer could go wrong."""

    RADIUS = 500.0

    @classmethod
    def setUpTestData(cls) -> None:
        lat, lon = CENTRE
        cls.on_radius = destination(lat, lon, 500, 33)
        cls.inside = destination(lat, lon, 499, 120)
        cls.outside = destination(lat, lon, 501, 250)
        cls.far_inside = destination(lat, lon, 20, 10)
        cls.at_centre = (lat, lon)
        # Two homes about 1 cm apart on either side of the edge between two res-9 cells, 300 m from the centre.
        cls.straddle_in, cls.straddle_out = straddle(geo.cell_at(*destination(lat, lon, 300, 75), 9))
        places = [
            cls.on_radius,
            cls.inside,
            cls.outside,
            cls.far_inside,
            cls.at_centre,
            cls.straddle_in,
            cls.straddle_out,
        ]
        homes = make_homes(places, prefix="edge")
        (
            cls.h_on,
            cls.h_inside,
            cls.h_outside,
            cls.h_far_inside,
            cls.h_centre,
            cls.h_straddle_in,
            cls.h_straddle_out,
        ) = homes
        # The radius is the stored point's own distance, to the last bit: "exactly on the radius".
        cls.exact_radius = geo.haversine_m(lat, lon, cls.h_on.lat, cls.h_on.lon)

    def found(self, radius: float, lat: float = CENTRE[0], lon: float = CENTRE[1]) -> set[int]:
        return {h.pk for h in selectors.points_within(Residence.objects.all(), lat=lat, lon=lon, radius_m=radius)}

    def test_a_point_exactly_on_the_radius_is_counted(self) -> None:
        self.assertAlmostEqual(self.exact_radius, 500, places=3)
        self.assertIn(self.h_on.pk, self.found(self.exact_radius))
        self.assertNotIn(self.h_on.pk, self.found(self.exact_radius - 0.001))

    def test_one_metre_inside_is_counted_and_one_metre_outside_is_not(self) -> None:
        found = self.found(self.RADIUS)
        self.assertIn(self.h_inside.pk, found)
        self.assertNotIn(self.h_outside.pk, found)
        self.assertIn(self.h_far_inside.pk, found)
        self.assertIn(self.h_centre.pk, found)

    def test_points_on_the_radius_lie_in_edge_cells_and_points_near_the_centre_in_inner_cells(self) -> None:
        cover = geo.radius_cover(*CENTRE, self.RADIUS)
        for home in (self.h_on, self.h_inside, self.h_outside):
            self.assertIn(home.h3_r9, cover.edge)
        self.assertIn(self.h_far_inside.h3_r9, cover.inner)

    def test_homes_in_inner_cells_are_accepted_without_computing_their_distance(self) -> None:
        measured: list[tuple[float, float]] = []
        real = geo.haversine_m

        def spy(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
            measured.append((lat2, lon2))
            return real(lat1, lon1, lat2, lon2)

        with mock.patch.object(geo, "haversine_m", spy):
            found = self.found(self.RADIUS)
        self.assertIn(self.h_far_inside.pk, found)
        self.assertNotIn((self.h_far_inside.lat, self.h_far_inside.lon), measured)
        self.assertIn((self.h_inside.lat, self.h_inside.lon), measured)  # edge cell: measured

    def test_homes_straddling_a_cell_edge_are_both_found_whichever_cell_they_are_in(self) -> None:
        self.assertNotEqual(self.h_straddle_in.h3_r9, self.h_straddle_out.h3_r9)
        for radius in (300, 400, 1000):
            with self.subTest(radius=radius):
                found = self.found(radius)
                for home in (self.h_straddle_in, self.h_straddle_out):
                    expected = geo.haversine_m(*CENTRE, home.lat, home.lon) <= radius
                    self.assertEqual(home.pk in found, expected)
        # Centred on the edge itself, with a radius of 1 cm: both homes (1 cm away) and nothing else.
        mid_lat = (self.h_straddle_in.lat + self.h_straddle_out.lat) / 2
        mid_lon = (self.h_straddle_in.lon + self.h_straddle_out.lon) / 2
        self.assertEqual(self.found(0.02, mid_lat, mid_lon), {self.h_straddle_in.pk, self.h_straddle_out.pk})

    def test_straddling_a_res_7_cell_edge_with_a_large_radius(self) -> None:
        near = straddle(geo.cell_at(*destination(*CENTRE, 2500, 200), 7))
        homes = make_homes(list(near), prefix="seven")
        self.assertNotEqual(homes[0].h3_r7, homes[1].h3_r7)
        mid = ((near[0][0] + near[1][0]) / 2, (near[0][1] + near[1][1]) / 2)
        for radius in (5000, 8000):
            lat, lon = destination(mid[0], mid[1], radius - 0.5, 0)
            found = self.found(radius, lat, lon)
            for home in homes:
                self.assertEqual(home.pk in found, geo.haversine_m(lat, lon, home.lat, home.lon) <= radius)

    def test_a_point_far_from_every_home_finds_nobody(self) -> None:
        self.assertEqual(self.found(1000, 53.5, 6.5), set())

    def test_bad_input_is_refused(self) -> None:
        for lat, lon, radius in (
            (91, 5, 100),
            (52, float("nan"), 100),
            (52, 5, -1),
            (52, 5, float("inf")),
            (52, 5, 1e9),
        ):
            with self.subTest(lat=lat, lon=lon, radius=radius), self.assertRaises(Invalid):
                selectors.points_within(Residence.objects.all(), lat=lat, lon=lon, radius_m=radius)


class AreasAtTests(TestCase):
    """Testdorp (GM9001) with wijk Centrum, buurten Zuid (52.08-52.09) and Noord (52.09-52.10); a buurt with a hole
    far to the east."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.areas = make_areas()
        outer = box(52.20, 5.30, 0.02, 0.03)["coordinates"][0]
        hole = box(52.205, 5.31, 0.01, 0.01)["coordinates"][0][::-1]
        cls.ring, _ = area_save(
            kind=AreaKind.BUURT,
            code="BU77770101",
            name="Ring",
            geometry={"type": "Polygon", "coordinates": [outer, hole]},
        )

    def test_a_point_in_noord_lies_in_the_municipality_the_wijk_and_noord(self) -> None:
        found = selectors.areas_at(lat=52.095, lon=5.11)
        self.assertEqual([a.code for a in found], ["GM9001", "WK900101", "BU90010102"])
        self.assertEqual(selectors.buurt_at(lat=52.095, lon=5.11), self.areas["noord"])

    def test_a_point_on_the_shared_border_lies_in_both_buurten_and_buurt_at_picks_the_lowest_code(self) -> None:
        found = selectors.areas_at(lat=52.09, lon=5.11)
        self.assertEqual([a.code for a in found], ["GM9001", "WK900101", "BU90010101", "BU90010102"])
        self.assertEqual(selectors.buurt_at(lat=52.09, lon=5.11).code, "BU90010101")

    def test_a_point_outside_every_area_gives_nothing(self) -> None:
        self.assertEqual(selectors.areas_at(lat=52.5, lon=5.5), [])
        self.assertIsNone(selectors.buurt_at(lat=52.5, lon=5.5))
        # Just outside Testdorp's southern edge: in cells that Testdorp's cover holds, but not in the polygon.
        lat, lon = destination(ORIGIN[0], 5.11, 1, 180)
        self.assertIn(geo.cell_at(lat, lon, 9), set(AreaCell.objects.values_list("cell", flat=True)))
        self.assertEqual(selectors.areas_at(lat=lat, lon=lon), [])

    def test_a_point_in_the_hole_of_a_polygon_is_not_in_it(self) -> None:
        self.assertEqual(selectors.areas_at(lat=52.21, lon=5.315), [])
        self.assertIsNone(selectors.buurt_at(lat=52.21, lon=5.315))
        self.assertEqual(selectors.buurt_at(lat=52.202, lon=5.315), self.ring)
        self.assertEqual(selectors.buurt_at(lat=52.205, lon=5.315), self.ring)  # on the hole's edge

    def test_buurt_at_follows_a_redrawn_buurt_at_once(self) -> None:
        # Kept per process (core.refcache): the hole is filled in, then the ring is moved elsewhere.
        self.assertIsNone(selectors.buurt_at(lat=52.21, lon=5.315))
        outer = box(52.20, 5.30, 0.02, 0.03)
        area_save(kind=AreaKind.BUURT, code="BU77770101", name="Ring", geometry=outer)
        self.assertEqual(selectors.buurt_at(lat=52.21, lon=5.315), self.ring)
        area_save(kind=AreaKind.BUURT, code="BU77770101", name="Ring", geometry=box(52.40, 5.30, 0.02, 0.03))
        self.assertIsNone(selectors.buurt_at(lat=52.21, lon=5.315))
        self.assertEqual(selectors.buurt_at(lat=52.41, lon=5.315), self.ring)

    def test_interior_cells_need_no_polygon_test_and_boundary_cells_do(self) -> None:
        interior = AreaCell.objects.filter(area=self.areas["noord"], interior=True).first()
        lat, lon = h3i.cell_to_latlng(interior.cell)
        with mock.patch.object(selectors, "_kept_shape", wraps=selectors._kept_shape) as shape_of:
            self.assertEqual(selectors.buurt_at(lat=lat, lon=lon), self.areas["noord"])
        shape_of.assert_not_called()
        with mock.patch.object(selectors, "_kept_shape", wraps=selectors._kept_shape) as shape_of:
            selectors.buurt_at(lat=52.0901, lon=5.11)  # near the border: boundary cells
        shape_of.assert_called()

    def test_matches_shapely_for_random_points(self) -> None:
        polygons = {a.code: shape(a.geometry) for a in Area.objects.all()}
        rnd = random.Random(9)
        for _ in range(400):
            lat, lon = 52.075 + rnd.random() * 0.03, 5.095 + rnd.random() * 0.03
            expected = sorted(code for code, poly in polygons.items() if poly.covers(Point(lon, lat)))
            self.assertEqual(sorted(a.code for a in selectors.areas_at(lat=lat, lon=lon)), expected, (lat, lon))

    def test_look_ups_are_one_query(self) -> None:
        for lat, lon in ((52.095, 5.11), (52.09, 5.11), (52.5, 5.5)):
            with self.assertNumQueries(1):
                found = selectors.areas_at(lat=lat, lon=lon)
                [a.parent and a.parent.code for a in found]  # the parent comes along
            selectors.buurt_at(lat=lat, lon=lon)
            with CaptureQueriesContext(connection) as queries:  # after the first time: only the generation (refcache)
                found = selectors.buurt_at(lat=lat, lon=lon)
                wijk = found.parent.code if found else None  # the wijk comes along
            self.assertEqual(wijk, "WK900101" if found else None)
            read = {q["sql"] for q in queries.captured_queries}
            self.assertEqual(read, {"SELECT token FROM core_referencegeneration WHERE id = 1"}, (lat, lon))

    def test_an_invalid_point_is_refused(self) -> None:
        with self.assertRaises(Invalid) as caught:
            selectors.areas_at(lat=100, lon=5)
        self.assertEqual(caught.exception.code, "point.invalid")

    def test_a_changed_polygon_is_seen_at_once(self) -> None:
        self.assertIsNone(selectors.buurt_at(lat=52.5, lon=5.5))
        area_save(kind=AreaKind.BUURT, code="BU77770101", name="Ring", geometry=box(52.49, 5.49, 0.02, 0.02))
        self.assertEqual(selectors.buurt_at(lat=52.5, lon=5.5).code, "BU77770101")
        self.assertIsNone(selectors.buurt_at(lat=52.202, lon=5.315))


class OwnersCoveringTests(SamenVeiligTestCase):
    """Communities of the cast: "Buurtpreventie Noord" over Noord and "Straat Zuid" over Zuid."""

    def covering(self, lat: float, lon: float, margin_m: float = 0) -> list[str]:
        owners = selectors.owners_covering(
            cell_model=CommunityCell, owner_field="community", lat=lat, lon=lon, margin_m=margin_m
        )
        return [c.name for c in owners]

    def test_the_community_over_the_point_covers_it(self) -> None:
        self.assertEqual(self.covering(52.095, 5.11), ["Buurtpreventie Noord"])
        self.assertEqual(self.covering(52.085, 5.11), ["Straat Zuid"])

    def test_a_point_on_the_border_is_covered_by_both(self) -> None:
        self.assertEqual(sorted(self.covering(52.09, 5.11)), ["Buurtpreventie Noord", "Straat Zuid"])

    def test_a_point_outside_is_covered_by_none_unless_within_the_margin(self) -> None:
        lat, lon = destination(ORIGIN[0], 5.11, 80, 180)  # 80 m south of Zuid
        self.assertEqual(self.covering(lat, lon), [])
        self.assertEqual(self.covering(lat, lon, margin_m=81), ["Straat Zuid"])
        self.assertEqual(self.covering(lat, lon, margin_m=79), [])
        self.assertEqual(sorted(self.covering(lat, lon, margin_m=1200)), ["Buurtpreventie Noord", "Straat Zuid"])

    def test_with_a_margin_the_point_inside_is_still_covered(self) -> None:
        self.assertEqual(self.covering(52.095, 5.11, margin_m=10), ["Buurtpreventie Noord"])

    def test_areas_work_as_owners_too(self) -> None:
        owners = selectors.owners_covering(cell_model=AreaCell, owner_field="area", lat=52.095, lon=5.11)
        self.assertEqual([a.code for a in owners], ["GM9001", "WK900101", "BU90010102"])

    def test_a_drawn_polygon_with_a_hole_does_not_cover_its_hole(self) -> None:
        from samenveilig.communities import services as community_services

        outer = box(52.081, 5.101, 0.008, 0.008)["coordinates"][0]
        hole = box(52.083, 5.103, 0.004, 0.004)["coordinates"][0][::-1]
        community_services.community_create(
            name="Donut",
            kind="street",
            municipality=self.areas["gemeente"],
            geometry={"type": "Polygon", "coordinates": [outer, hole]},
        )
        self.assertEqual(sorted(self.covering(52.085, 5.105)), ["Straat Zuid"])
        self.assertEqual(sorted(self.covering(52.0815, 5.105)), ["Donut", "Straat Zuid"])

    def test_look_ups_are_a_fixed_number_of_queries(self) -> None:
        with self.assertNumQueries(1):
            self.covering(52.09, 5.11)
        with self.assertNumQueries(2):
            self.covering(52.079, 5.11, margin_m=500)

    def test_matches_the_exact_distance_for_random_points(self) -> None:
        communities = list(Community.objects.all())
        rnd = random.Random(4)
        for _ in range(60):
            lat, lon = 52.07 + rnd.random() * 0.04, 5.09 + rnd.random() * 0.04
            margin = rnd.choice([0, 50, 300])
            expected = sorted(
                c.name for c in communities if geo.distance_to_polygon_m(shape(c.geometry), lat, lon) <= margin
            )
            self.assertEqual(sorted(self.covering(lat, lon, margin)), expected, (lat, lon, margin))

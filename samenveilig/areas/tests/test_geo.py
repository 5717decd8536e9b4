"""The pure geometry helpers, checked against brute force (no database)."""

import math
import random
from unittest import TestCase

import h3.api.basic_int as h3i
from shapely.geometry import Point, Polygon, box

from samenveilig.areas import geo
from samenveilig.areas.tests.helpers import destination

CENTRE = (52.09, 5.12)


class RadiusCoverTests(TestCase):
    def test_every_point_within_the_radius_lies_in_a_cover_cell_and_inner_cells_hold_only_points_within(self) -> None:
        rnd = random.Random(11)
        for radius in (0, 1, 100, 500, 1500, 3000, 3001, 5000, 12_000):
            cover = geo.radius_cover(*CENTRE, radius)
            reach = (radius + 3000) / 111_000
            for _ in range(4000):
                lat = CENTRE[0] + rnd.uniform(-reach, reach)
                lon = CENTRE[1] + rnd.uniform(-reach, reach) / math.cos(math.radians(lat))
                distance = geo.haversine_m(*CENTRE, lat, lon)
                cell = geo.cell_at(lat, lon, cover.res)
                if distance <= radius:
                    self.assertIn(cell, cover.cells, (radius, lat, lon))
                if cell in cover.inner:
                    self.assertLessEqual(distance, radius, (radius, lat, lon))

    def test_inner_cells_have_every_vertex_within_the_radius_and_edge_cells_reach_it(self) -> None:
        cover = geo.radius_cover(*CENTRE, 800)
        for cell in cover.inner:
            farthest = max(geo.haversine_m(*CENTRE, *v) for v in h3i.cell_to_boundary(cell))
            self.assertLessEqual(farthest, 800)
        for cell in cover.edge:
            self.assertLessEqual(
                geo.haversine_m(*CENTRE, *h3i.cell_to_latlng(cell)), 800 + geo.cell_circumradius_m(cell)
            )
            self.assertNotIn(cell, cover.inner)

    def test_small_radii_use_res_9_and_large_radii_res_7(self) -> None:
        self.assertEqual(geo.radius_cover(*CENTRE, 100).res, 9)
        self.assertEqual(geo.radius_cover(*CENTRE, 3000).res, 9)
        self.assertEqual(geo.radius_cover(*CENTRE, 5000).res, 7)
        self.assertEqual(geo.radius_cover(*CENTRE, 5000).column, "h3_r7")
        self.assertEqual(geo.radius_cover(*CENTRE, 5000, res=9).res, 9)

    def test_a_large_radius_has_inner_cells_and_a_tiny_one_has_none(self) -> None:
        self.assertGreater(len(geo.radius_cover(*CENTRE, 2000).inner), 50)
        tiny = geo.radius_cover(*CENTRE, 10)
        self.assertEqual(tiny.inner, frozenset())
        self.assertIn(geo.cell_at(*CENTRE, 9), tiny.edge)

    def test_a_negative_radius_is_refused(self) -> None:
        with self.assertRaises(ValueError):
            geo.radius_cover(*CENTRE, -1)


class DistanceTests(TestCase):
    def test_haversine_of_a_constructed_point_is_its_distance(self) -> None:
        for distance in (1, 99.5, 1000, 5000):
            for bearing in (0, 45, 90, 200):
                point = destination(*CENTRE, distance, bearing)
                self.assertAlmostEqual(geo.haversine_m(*CENTRE, *point), distance, places=4)

    def test_distance_to_polygon_is_zero_inside_and_on_the_edge(self) -> None:
        square = box(5.10, 52.08, 5.12, 52.10)
        self.assertEqual(geo.distance_to_polygon_m(square, 52.09, 5.11), 0.0)
        self.assertEqual(geo.distance_to_polygon_m(square, 52.10, 5.11), 0.0)

    def test_distance_to_polygon_matches_a_dense_brute_force(self) -> None:
        # A slanted triangle: in plain degrees the nearest edge point would be wrong by many metres.
        triangle = Polygon([(5.10, 52.08), (5.14, 52.085), (5.11, 52.10)])
        dense = [triangle.exterior.interpolate(i / 10000, normalized=True) for i in range(10000)]
        rnd = random.Random(3)
        for _ in range(25):
            lat, lon = 52.06 + rnd.random() * 0.06, 5.08 + rnd.random() * 0.09
            if triangle.covers(Point(lon, lat)):
                continue
            expected = min(geo.haversine_m(lat, lon, p.y, p.x) for p in dense)
            self.assertAlmostEqual(geo.distance_to_polygon_m(triangle, lat, lon), expected, delta=0.5)

    def test_area_of_a_polygon_with_a_hole_excludes_the_hole_whatever_the_ring_orientation(self) -> None:
        outer = [(5.0, 52.0), (5.01, 52.0), (5.01, 52.01), (5.0, 52.01), (5.0, 52.0)]
        hole = [(5.002, 52.002), (5.004, 52.002), (5.004, 52.004), (5.002, 52.004), (5.002, 52.002)]
        full = geo.area_m2(Polygon(outer))
        hole_area = geo.area_m2(Polygon(hole))
        for ring in (hole, hole[::-1]):  # both orientations of the hole
            self.assertAlmostEqual(geo.area_m2(Polygon(outer, [ring])), full - hole_area, delta=1)
        self.assertAlmostEqual(full, 1113.2 * 685.2 * 1.0, delta=full * 0.01)


class ParsePolygonTests(TestCase):
    def test_bad_geometries_are_refused_with_their_kind(self) -> None:
        bowtie = {"type": "Polygon", "coordinates": [[[5, 52], [5.1, 52.1], [5.1, 52], [5, 52.1], [5, 52]]]}
        cases = {
            "not_polygon": {"type": "Point", "coordinates": [5, 52]},
            "malformed": {"type": "Polygon", "coordinates": [[[5, 52], [5.1]]]},
            "invalid": bowtie,
            "out_of_range": {"type": "Polygon", "coordinates": [[[5, 52], [200, 52], [200, 53], [5, 52]]]},
            "empty": {"type": "Polygon", "coordinates": []},
        }
        for kind, geometry in cases.items():
            with self.subTest(kind=kind), self.assertRaises(geo.GeometryError) as caught:
                geo.parse_polygon(geometry)
            self.assertEqual(caught.exception.kind, kind)
        with self.assertRaises(geo.GeometryError):
            geo.parse_polygon("not a dict")  # type: ignore[arg-type]

    def test_a_parsed_polygon_is_rounded_and_two_dimensional_like_its_stored_form(self) -> None:
        geometry = {
            "type": "Polygon",
            "coordinates": [[[5.123456789, 52, 3], [5.2, 52, 3], [5.2, 52.1, 3], [5.123456789, 52, 3]]],
        }
        geom = geo.parse_polygon(geometry)
        self.assertEqual(geo.to_geojson(geom)["coordinates"][0][0], [5.1234568, 52.0])
        self.assertEqual(geo.to_geojson(geo.parse_polygon(geo.to_geojson(geom))), geo.to_geojson(geom))

    def test_valid_latlon(self) -> None:
        self.assertTrue(geo.valid_latlon(52.1, 5.1))
        self.assertTrue(geo.valid_latlon(-90, 180))
        for lat, lon in ((91, 5), (52, 181), (float("nan"), 5), (52, float("inf")), (True, 5), ("52", 5), (None, 5)):
            self.assertFalse(geo.valid_latlon(lat, lon), (lat, lon))


class PolygonCoverTests(TestCase):
    def test_cover_holds_every_cell_with_a_point_inside_and_interior_cells_hold_only_inside_points(self) -> None:
        outer = [(5.10, 52.08), (5.135, 52.081), (5.14, 52.1), (5.115, 52.097), (5.10, 52.08)]
        hole = [(5.12, 52.088), (5.125, 52.088), (5.125, 52.092), (5.12, 52.092), (5.12, 52.088)]
        polygon = Polygon(outer, [hole])
        cover = dict(geo.polygon_cover(polygon))
        self.assertTrue(any(cover.values()))
        rnd = random.Random(5)
        for _ in range(5000):
            lat, lon = 52.078 + rnd.random() * 0.025, 5.098 + rnd.random() * 0.045
            inside = polygon.covers(Point(lon, lat))
            cell = geo.cell_at(lat, lon, geo.COVER_RES)
            if inside:
                self.assertIn(cell, cover)
            if cover.get(cell):
                self.assertTrue(inside)

    def test_a_polygon_smaller_than_a_cell_still_has_a_cover(self) -> None:
        cover = geo.polygon_cover(box(5.1200, 52.0900, 5.1201, 52.0901))
        self.assertGreaterEqual(len(cover), 1)
        self.assertFalse(any(interior for _, interior in cover))

    def test_cells_near_polygon_reach_every_point_within_the_margin(self) -> None:
        square = box(5.11, 52.085, 5.12, 52.09)
        cover = [cell for cell, _ in geo.polygon_cover(square)]
        grown = geo.cells_near_polygon(cover, 400)
        for bearing in range(0, 360, 15):
            for start in ((52.085, 5.11), (52.09, 5.12), (52.0875, 5.12)):
                point = destination(*start, 399, bearing)
                self.assertIn(geo.cell_at(*point, geo.COVER_RES), grown)

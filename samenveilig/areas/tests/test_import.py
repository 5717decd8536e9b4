"""Importing areas from GeoJSON: WGS84 and RD New, CBS and generic properties, all or nothing."""

import io
import json
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.utils import translation
from pyproj import Transformer

from samenveilig.areas import selectors, services
from samenveilig.areas.models import Area, AreaCell
from samenveilig.core.errors import Invalid

TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)
RD_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}


def square(lat: float, lon: float, size: float, *, rd: bool = False) -> dict[str, Any]:
    ring = [(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat)]
    if rd:
        ring = [TO_RD.transform(x, y) for x, y in ring]
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}


def feature(properties: dict[str, Any], geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def cbs_collection(*, rd: bool = False, crs: bool = True) -> dict[str, Any]:
    """Gemeente Proefdorp (GM9100) with wijk WK910001 and two buurten; CBS 2022+ property names."""
    features = [
        feature(
            {"buurtcode": "BU91000101", "buurtnaam": "Oost", "wijkcode": "WK910001", "gemeentecode": "GM9100"},
            square(52.10, 5.11, 0.01, rd=rd),
        ),
        feature(
            {"buurtcode": "BU91000102", "buurtnaam": "West", "wijkcode": "WK910001", "gemeentecode": "GM9100"},
            square(52.10, 5.10, 0.01, rd=rd),
        ),
        feature(
            {"wijkcode": "WK910001", "wijknaam": "Kern", "gemeentecode": "GM9100"}, square(52.10, 5.10, 0.02, rd=rd)
        ),
        feature({"gemeentecode": "GM9100", "gemeentenaam": "Proefdorp"}, square(52.10, 5.10, 0.02, rd=rd)),
    ]
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if rd and crs:
        collection["crs"] = RD_CRS
    return collection


class EnglishTestCase(TestCase):
    """Messages are asserted in English (the msgids), whatever the catalogue says."""

    def setUp(self) -> None:
        super().setUp()
        translation.activate("en")
        self.addCleanup(translation.deactivate)


class AreasImportTests(EnglishTestCase):
    def test_a_wgs84_cbs_file_creates_the_tree_linked_by_code(self) -> None:
        result = services.areas_import(collection=cbs_collection())
        self.assertEqual(result.created, {"municipality": 1, "wijk": 1, "buurt": 2})
        self.assertEqual(
            result.lines(),
            ["municipality: created 1, updated 0", "wijk: created 1, updated 0", "buurt: created 2, updated 0"],
        )
        oost = Area.objects.get(code="BU91000101")
        self.assertEqual(
            (oost.name, oost.kind, oost.parent.code, oost.parent.parent.code), ("Oost", "buurt", "WK910001", "GM9100")
        )
        self.assertTrue(AreaCell.objects.filter(area=oost).exists())
        self.assertEqual(selectors.buurt_at(lat=52.105, lon=5.115), oost)

    def test_an_rd_new_file_is_transformed_to_wgs84(self) -> None:
        for crs in (True, False):  # named in the crs member, or told from the coordinate ranges
            with self.subTest(crs=crs):
                result = services.areas_import(collection=cbs_collection(rd=True, crs=crs))
                self.assertEqual(result.crs, "EPSG:28992")
                oost = Area.objects.get(code="BU91000101")
                west, south, east, north = oost.min_lon, oost.min_lat, oost.max_lon, oost.max_lat
                for got, expected in ((west, 5.11), (south, 52.10), (east, 5.12), (north, 52.11)):
                    self.assertAlmostEqual(got, expected, places=6)  # to within 10 cm
                self.assertEqual(selectors.buurt_at(lat=52.105, lon=5.115), oost)

    def test_a_second_import_updates_and_reports_it(self) -> None:
        services.areas_import(collection=cbs_collection())
        collection = cbs_collection()
        collection["features"][0]["properties"]["buurtnaam"] = "Oost-Nieuw"
        result = services.areas_import(collection=collection)
        self.assertEqual(result.created, {"municipality": 0, "wijk": 0, "buurt": 0})
        self.assertEqual(result.updated, {"municipality": 1, "wijk": 1, "buurt": 2})
        self.assertEqual(Area.objects.get(code="BU91000101").name, "Oost-Nieuw")
        self.assertEqual(Area.objects.count(), 4)

    def test_buurten_link_to_a_wijk_imported_before(self) -> None:
        collection = cbs_collection()
        buurten, rest = collection["features"][:2], collection["features"][2:]
        services.areas_import(collection={"type": "FeatureCollection", "features": rest})
        result = services.areas_import(collection={"type": "FeatureCollection", "features": buurten})
        self.assertEqual(result.created["buurt"], 2)
        self.assertEqual(Area.objects.get(code="BU91000102").parent.code, "WK910001")

    def test_statcode_and_old_upper_case_columns_and_generic_properties_are_understood(self) -> None:
        collection = {
            "type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
            "features": [
                feature({"statcode": "GM9200", "statnaam": "Statdorp"}, square(52.3, 5.3, 0.02)),
                feature({"WK_CODE": "WK920001", "WK_NAAM": "Oud", "GM_CODE": "GM9200"}, square(52.3, 5.3, 0.02)),
                feature(
                    {"code": "X-1", "name": "Losse buurt", "kind": "buurt", "parent": "WK920001"},
                    square(52.3, 5.3, 0.01),
                ),
                feature({"BU_CODE": "BU92000199", "BU_NAAM": "Meer", "WATER": "JA"}, square(52.31, 5.31, 0.01)),
            ],
        }
        result = services.areas_import(collection=collection)
        self.assertEqual(result.created, {"municipality": 1, "wijk": 1, "buurt": 1})
        self.assertEqual(result.skipped_water, 1)
        self.assertEqual(Area.objects.get(code="WK920001").parent.code, "GM9200")
        self.assertEqual(Area.objects.get(code="X-1").parent.code, "WK920001")

    def test_forced_kind_reads_that_kinds_columns(self) -> None:
        collection = cbs_collection()
        collection["features"] = collection["features"][3:]
        result = services.areas_import(collection=collection, kind="municipality")
        self.assertEqual(result.created["municipality"], 1)
        self.assertEqual(Area.objects.get().code, "GM9100")

    def assertRefused(self, collection: Any, code: str, *fragments: str, kind: str | None = None) -> Invalid:  # noqa: N802
        before = list(Area.objects.order_by("code").values_list("code", "name", "geometry"))
        cells = AreaCell.objects.count()
        with self.assertRaises(Invalid) as caught:
            services.areas_import(collection=collection, kind=kind)
        self.assertEqual(caught.exception.code, code)
        text = str(caught.exception.message) + json.dumps(caught.exception.fields, default=str)
        for fragment in fragments:
            self.assertIn(fragment, text)
        self.assertEqual(list(Area.objects.order_by("code").values_list("code", "name", "geometry")), before)
        self.assertEqual(AreaCell.objects.count(), cells)
        return caught.exception

    def test_one_bad_feature_changes_nothing_and_is_named_with_its_reason(self) -> None:
        services.areas_import(collection=cbs_collection())
        collection = cbs_collection()
        collection["features"][0]["properties"]["buurtnaam"] = "Changed"  # would be an update
        bowtie = {"type": "Polygon", "coordinates": [[[5, 52], [5.1, 52.1], [5.1, 52], [5, 52.1], [5, 52]]]}
        collection["features"].append(feature({"buurtcode": "BU91000103", "buurtnaam": "Kapot"}, bowtie))
        error = self.assertRefused(collection, "import.invalid_feature", "features[4]", "not valid")
        self.assertEqual(list(error.fields), ["features[4]"])
        self.assertEqual(Area.objects.get(code="BU91000101").name, "Oost")

    def test_missing_code_or_name_is_refused(self) -> None:
        collection = cbs_collection()
        del collection["features"][1]["properties"]["buurtnaam"]
        collection["features"][2]["properties"]["wijkcode"] = " "
        collection["features"][2]["properties"]["kind"] = "wijk"
        error = self.assertRefused(
            collection, "import.invalid_feature", "features[1]", "no name", "features[2]", "no code"
        )
        # Feature 0 is fine itself, but its wijk (feature 2) cannot be imported, so it cannot be placed either.
        self.assertEqual(sorted(error.fields), ["features[0]", "features[1]", "features[2]"])
        self.assertIn("WK910001", error.fields["features[0]"][0])

    def test_an_unknown_parent_is_refused_and_nothing_is_invented(self) -> None:
        collection = cbs_collection()
        collection["features"] = collection["features"][:2]  # buurten without their wijk
        self.assertRefused(collection, "import.invalid_feature", "features[0]", "WK910001", "features[1]")
        self.assertFalse(Area.objects.exists())

    def test_other_bad_files_are_refused(self) -> None:
        not_polygon = cbs_collection()
        not_polygon["features"][0]["geometry"] = {"type": "Point", "coordinates": [5.1, 52.1]}
        duplicate = cbs_collection()
        duplicate["features"][1]["properties"]["buurtcode"] = "BU91000101"
        unknown_kind = {"type": "FeatureCollection", "features": [feature({"naam": "?"}, square(52.1, 5.1, 0.01))]}
        cases = [
            ([1, 2], "import.not_feature_collection", "FeatureCollection"),
            ({"type": "Feature"}, "import.not_feature_collection", "FeatureCollection"),
            ({"type": "FeatureCollection", "features": "no"}, "import.not_feature_collection", "features"),
            ({"type": "FeatureCollection", "features": []}, "import.empty", "no features"),
            (
                {**cbs_collection(), "crs": {"type": "name", "properties": {"name": "EPSG:3857"}}},
                "import.unknown_crs",
                "EPSG:3857",
            ),
            (
                {"type": "FeatureCollection", "features": [feature({"code": "GM1"}, square(5e6, 5e6, 10))]},
                "import.unknown_crs",
                "crs",
            ),
            (cbs_collection(rd=False) | {"crs": RD_CRS}, "import.unknown_crs", "outside the Netherlands"),
            (not_polygon, "import.invalid_feature", "features[0]", "Polygon"),
            (duplicate, "import.invalid_feature", "features[1]", "already used by feature 0"),
            (unknown_kind, "import.invalid_feature", "features[0]", "--kind"),
            ({"type": "FeatureCollection", "features": ["x"]}, "import.invalid_feature", "features[0]", "Feature"),
        ]
        for collection, code, *fragments in cases:
            with self.subTest(code=code, fragments=fragments):
                self.assertRefused(collection, code, *fragments)
        self.assertRefused(cbs_collection(), "import.unknown_kind", kind="province")

    def test_a_code_of_another_kind_is_refused(self) -> None:
        services.areas_import(collection=cbs_collection())
        clash = {
            "type": "FeatureCollection",
            "features": [
                feature({"code": "WK910001", "name": "Nu een buurt", "kind": "buurt"}, square(52.1, 5.1, 0.01))
            ],
        }
        self.assertRefused(clash, "import.invalid_feature", "already belongs to a wijk")


class ImportCommandTests(EnglishTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.tmp = TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, name: str, content: Any) -> str:
        path = Path(self.tmp.name) / name
        path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
        return str(path)

    def test_the_command_reports_what_it_created(self) -> None:
        out = io.StringIO()
        call_command("import_areas", self.write("rd.geojson", cbs_collection(rd=True)), stdout=out)
        text = out.getvalue()
        self.assertIn("EPSG:28992", text)
        self.assertIn("municipality: created 1, updated 0", text)
        self.assertIn("buurt: created 2, updated 0", text)
        self.assertEqual(Area.objects.count(), 4)

    def test_kind_option(self) -> None:
        collection = cbs_collection()
        collection["features"] = collection["features"][3:]
        call_command("import_areas", self.write("gm.json", collection), "--kind", "municipality", stdout=io.StringIO())
        self.assertEqual(Area.objects.get().kind, "municipality")

    def run_command(self, path: str) -> tuple[int, str]:
        """Run the command as the command line would; run_from_argv exits with CommandError.returncode (it also
        closes the database connections, which a test cannot allow, so the error is caught one step earlier)."""
        err = io.StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command("import_areas", path, stdout=io.StringIO(), stderr=err)
        return caught.exception.returncode, err.getvalue() + str(caught.exception)

    def test_bad_files_exit_with_status_1_and_change_nothing(self) -> None:
        bowtie = {"type": "Polygon", "coordinates": [[[5, 52], [5.1, 52.1], [5.1, 52], [5, 52.1], [5, 52]]]}
        bad_feature = cbs_collection()
        bad_feature["features"][2]["geometry"] = bowtie
        cases = {
            "malformed.json": ('{"type": "FeatureCollection", "features": [', "not valid JSON"),
            "list.json": ("[]", "not a GeoJSON FeatureCollection"),
            "bad-feature.json": (bad_feature, "features[2]"),
            "missing.json": (None, "Cannot read"),
        }
        for name, (content, message) in cases.items():
            with self.subTest(name=name):
                path = self.write(name, content) if content is not None else str(Path(self.tmp.name) / name)
                status, err = self.run_command(path)
                self.assertEqual(status, 1)
                self.assertIn(message, err)
                self.assertFalse(Area.objects.exists())

    def test_call_command_raises_command_error(self) -> None:
        with self.assertRaises(CommandError):
            call_command("import_areas", self.write("x.json", "{}"), stdout=io.StringIO(), stderr=io.StringIO())

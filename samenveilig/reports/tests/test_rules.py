"""Plates, photos and the pseudonym: the small rules behind a report."""

import io

from django.test import SimpleTestCase, override_settings
from PIL import Image

from samenveilig.core.errors import Invalid
from samenveilig.core.photos import clean_photo
from samenveilig.reports import plates


class DutchPlateTests(SimpleTestCase):
    def test_every_side_code_is_recognised_and_written_with_its_dashes(self) -> None:
        examples = {
            "ab1234": "AB-12-34", "12-34-AB": "12-34-AB", "12ab34": "12-AB-34", "ab-12-cd": "AB-12-CD",
            "ab cd 12": "AB-CD-12", "12abcd": "12-AB-CD", "12-abc-3": "12-ABC-3", "1abc23": "1-ABC-23",
            "gf-123-k": "GF-123-K", "g123kl": "G-123-KL", "ghk12l": "GHK-12-L", "g12hkl": "G-12-HKL",
            "1gh234": "1-GH-234", "123gh4": "123-GH-4",
        }  # fmt: skip
        for typed, official in examples.items():
            with self.subTest(typed=typed):
                self.assertEqual(plates.normalise_dutch_plate(typed), official)
        self.assertEqual(sorted(plates.side_code(p) for p in examples.values()), list(range(1, 15)))

    def test_what_fits_no_side_code_is_refused(self) -> None:
        for typed in ["", "XYZ", "ABC123", "1234567", "AB-12-3", "12-34-56", "AB_12_CD", "A1B2C3"]:
            with self.subTest(typed=typed):
                self.assertIsNone(plates.normalise_dutch_plate(typed))

    def test_foreign_plates_are_kept_as_typed(self) -> None:
        self.assertEqual(plates.normalise_foreign_plate(" b-ab  1234 "), "B-AB 1234")
        self.assertIsNone(plates.normalise_foreign_plate("!"))


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Fotofabriek"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 0.0), 3: "E", 4: (5.0, 7.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


class PhotoTests(SimpleTestCase):
    def test_metadata_and_gps_are_stripped(self) -> None:
        raw = _jpeg_with_gps()
        self.assertTrue(Image.open(io.BytesIO(raw)).getexif())  # the test photo really carries EXIF
        clean = clean_photo(raw, code="report.photo", field="photos")
        stored = Image.open(io.BytesIO(clean.content))
        self.assertEqual((clean.content_type, stored.size), ("image/jpeg", (64, 48)))
        self.assertEqual(dict(stored.getexif()), {})
        self.assertNotIn(b"Fotofabriek", clean.content)

    def test_png_stays_png(self) -> None:
        out = io.BytesIO()
        Image.new("RGBA", (10, 10)).save(out, format="PNG")
        self.assertEqual(clean_photo(out.getvalue(), code="report.photo", field="photos").content_type, "image/png")

    def test_heic_is_read_and_stored_as_jpeg(self) -> None:
        import pillow_heif

        out = io.BytesIO()
        pillow_heif.from_pillow(Image.new("RGB", (32, 32), (0, 90, 200))).save(out, quality=80)
        clean = clean_photo(out.getvalue(), code="report.photo", field="photos")
        self.assertEqual((clean.content_type, clean.width), ("image/jpeg", 32))

    def test_a_non_image_is_refused(self) -> None:
        with self.assertRaises(Invalid) as caught:
            clean_photo(b"%PDF-1.7 not a photo", code="report.photo", field="photos")
        self.assertIn("photos", caught.exception.fields)

    @override_settings(REPORT_PHOTO_MAX_BYTES=1000)
    def test_an_oversized_photo_is_refused(self) -> None:
        with self.assertRaises(Invalid):
            clean_photo(_jpeg_with_gps() + b"\0" * 1000, code="report.photo", field="photos")

"""Geography: administrative areas as polygons, and points indexed with H3 cells.

Every point is WGS84 latitude/longitude plus H3 cell columns, so "which buurt covers this point" and "who lives
within R metres" are B-tree look-ups on any database (SQLite or PostgreSQL), with an exact distance filter after.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from samenveilig.core.models import TimeStamped


class AreaKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("municipality")
    WIJK = "wijk", _("district (wijk)")
    BUURT = "buurt", _("neighbourhood (buurt)")


class Area(TimeStamped):
    """A municipality, wijk or buurt with its polygon (GeoJSON geometry in WGS84)."""

    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices)
    code = models.CharField(_("code"), max_length=16, unique=True, help_text=_("CBS code, e.g. BU03630000."))
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    geometry = models.JSONField(_("geometry"), help_text=_("GeoJSON Polygon or MultiPolygon, WGS84."))
    # Derived from the geometry on save (areas.services), kept for quick maps and bounding-box checks.
    centroid_lat = models.FloatField(_("centroid latitude"))
    centroid_lon = models.FloatField(_("centroid longitude"))
    min_lat = models.FloatField(_("south"))
    min_lon = models.FloatField(_("west"))
    max_lat = models.FloatField(_("north"))
    max_lon = models.FloatField(_("east"))
    area_m2 = models.FloatField(_("surface (m²)"), default=0)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name


class AreaCell(models.Model):
    """One H3 cell (resolution areas.geo.COVER_RES) that overlaps an area; `interior` cells lie wholly inside it,
    so a point in them needs no polygon test."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="cells")
    cell = models.BigIntegerField(_("H3 cell"))
    interior = models.BooleanField(_("wholly inside"), default=False)

    class Meta:
        verbose_name = _("area cell")
        verbose_name_plural = _("area cells")
        constraints = [models.UniqueConstraint(fields=["area", "cell"], name="areacell_unique")]
        indexes = [models.Index(fields=["cell", "area", "interior"], name="areacell_lookup")]

    def __str__(self) -> str:
        return f"{self.area_id}:{self.cell:x}"


class GeoPoint(models.Model):
    """Abstract: a WGS84 point with its H3 cells, filled by areas.geo.point_fields(lat, lon)."""

    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    h3_r7 = models.BigIntegerField(_("H3 cell (res 7)"))
    h3_r9 = models.BigIntegerField(_("H3 cell (res 9)"))

    class Meta:
        abstract = True

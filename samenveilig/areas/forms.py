from django import forms
from django.utils.translation import gettext_lazy as _


class PointForm(forms.Form):
    """A WGS84 point to look up; the rules (inside an area) live in areas.selectors."""

    lat = forms.FloatField(
        label=_("Latitude"), min_value=-90, max_value=90, help_text=_("In degrees (WGS84), for example 52.0907.")
    )
    lon = forms.FloatField(
        label=_("Longitude"), min_value=-180, max_value=180, help_text=_("In degrees (WGS84), for example 5.1214.")
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update({"step": "any", "inputmode": "decimal"})

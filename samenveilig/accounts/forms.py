from django import forms
from django.utils.translation import gettext_lazy as _


class ResidenceForm(forms.Form):
    """The home address. The rules (postcode format, a point inside a buurt) live in services.residence_set."""

    street = forms.CharField(label=_("Street"), max_length=200)
    house_number = forms.CharField(
        label=_("House number"), max_length=16, help_text=_("With addition if there is one, for example 12a.")
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=10, help_text=_("For example 1234 AB."))
    city = forms.CharField(label=_("Place"), max_length=100)
    lat = forms.FloatField(
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        help_text=_("The point of your home, in degrees (WGS84), for example 52.0907. Click the map to fill it in."),
    )
    lon = forms.FloatField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        help_text=_("In degrees (WGS84), for example 5.1214."),
    )

    field_autocomplete = {
        "street": "address-line1",
        "postcode": "postal-code",
        "city": "address-level2",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name, value in self.field_autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["lat"].widget.attrs["step"] = "any"
        self.fields["lon"].widget.attrs["step"] = "any"
        self.fields["postcode"].widget.attrs["size"] = "7"


class DemoLoginForm(forms.Form):
    email = forms.EmailField()

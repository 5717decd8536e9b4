"""The start page: for a signed-in person what waits for them and their communities (start.selectors); for
anybody else what the platform is and where to begin."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from samenveilig.start import selectors


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    overview = selectors.start_overview(request.user) if request.user.is_authenticated else None
    return render(request, "start/home.html", {"overview": overview})

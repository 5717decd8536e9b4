import json
from typing import Any
from uuid import UUID

from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samenveilig.accounts import access, selectors, services
from samenveilig.accounts.forms import DemoLoginForm, ResidenceForm
from samenveilig.accounts.middleware import mfa_exempt
from samenveilig.core.errors import Invalid, NotFound


def _profile_context(request: HttpRequest, form: ResidenceForm | None = None) -> dict[str, Any]:
    user = request.user
    residence = selectors.residence_of(user)
    if form is None:
        initial = (
            {
                "street": residence.street,
                "house_number": residence.house_number,
                "postcode": residence.postcode,
                "city": residence.city,
                "lat": residence.lat,
                "lon": residence.lon,
            }
            if residence
            else {}
        )
        form = ResidenceForm(initial=initial)
    features: list[dict[str, Any]] = []
    if residence and residence.buurt:
        features.append(
            {"type": "Feature", "geometry": residence.buurt.geometry, "properties": {"name": residence.buurt.name}}
        )
    if residence:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [residence.lon, residence.lat]},
                "properties": {"name": _("Your home")},
            }
        )
    return {
        "memberships": selectors.memberships_of(user),
        "staff_roles": selectors.staff_roles_of(user),
        "mfa": selectors.mfa_status(user),
        "residence": residence,
        "form": form,
        "geojson_json": json.dumps({"type": "FeatureCollection", "features": features}) if features else "",
    }


@login_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", _profile_context(request))


@login_required
@require_POST
def residence_save(request: HttpRequest) -> HttpResponse:
    form = ResidenceForm(request.POST)
    if form.is_valid():
        try:
            services.residence_set(user=request.user, **form.cleaned_data)
        except Invalid as exc:
            for field, field_messages in exc.fields.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, str(message))
            if not exc.fields:
                form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Your home address has been saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", _profile_context(request, form), status=422)


@login_required
@require_POST
def residence_delete(request: HttpRequest) -> HttpResponse:
    if services.residence_clear(user=request.user):
        messages.success(request, _("Your home address has been removed."))
    return redirect("accounts:profile")


@login_required
@require_GET
def organisation(request: HttpRequest, code: UUID) -> HttpResponse:
    try:
        org = access.access_organisation(request.user, code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return render(
        request,
        "accounts/organisation.html",
        {
            "organisation": org,
            "staff": selectors.organisation_staff(org),
            "communities": selectors.organisation_communities(org),
        },
    )


@mfa_exempt
@require_POST
def demo_login(request: HttpRequest) -> HttpResponse:
    """Demo only: sign in as one of the demo's known persons with one click (no password, no two-factor step)."""
    if not settings.DEMO_MODE:
        raise Http404()
    form = DemoLoginForm(request.POST)
    user = selectors.demo_user(form.cleaned_data["email"]) if form.is_valid() else None
    if user is None:
        raise Http404()
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # Recorded like any sign-in step, so allauth (and the audit log) can tell a demo sign-in from a real one.
    # Demo partners have an authenticator, so RequireMfaMiddleware lets them through without the TOTP step.
    record_authentication(request, user, method="demo")
    services.demo_login_record(user=user)
    messages.success(request, _("You are signed in as %(name)s (demo).") % {"name": user.get_full_name() or user.email})
    return redirect(settings.LOGIN_REDIRECT_URL)

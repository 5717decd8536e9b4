"""The alert pages under /oproepen/: the list, sending one (with a live count of whom it reaches), one alert as its
sender's side sees it (the console: answers on a map and in a list, figures, update, close), as a recipient sees
it (the text, three answer buttons, their own answers, updates and the outcome) or as a police copy (read only).

Thin views (CONVENTIONS §5): the gate (alerts.access), a service or selector, then render or redirect. A domain
error re-renders the form with its Dutch message next to the field. Every form that posts carries a one-time key:
the alert and an answer are idempotent in the service; an update and a close are guarded here (`_once`).
"""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID, uuid4

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from samenveilig.alerts import selectors, services
from samenveilig.alerts.access import AlertNeed, access_alert
from samenveilig.alerts.audiences import SUBJECT_TYPE
from samenveilig.alerts.forms import (
    AlertForm,
    CloseForm,
    OptInForm,
    RespondForm,
    SenderOptions,
    UpdateForm,
    active_memberships,
    alert_initial,
    sender_options,
)
from samenveilig.alerts.models import URGENT_KINDS, Alert, ResponseKind, TargetKind
from samenveilig.communities.models import Community
from samenveilig.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, TooMany
from samenveilig.core.photos import clean_photo, photo_response
from samenveilig.notifications import services as notifications
from samenveilig.notifications.models import Channel, DeliveryState
from samenveilig.reports.forms import PERSON_LABELS, PERSON_ORDER, VEHICLE_LABELS, VEHICLE_ORDER
from samenveilig.reports.views import _blocks as description_blocks  # the blocks of reports/_person.html, _vehicle.html

ONCE_SECONDS = 24 * 3600


def gated(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in only; a gate's NotFound is a 404 page and its Forbidden a 403 page."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except Forbidden as exc:
            raise PermissionDenied(str(exc.message)) from exc

    return wrapper


def _once(request: HttpRequest, key: UUID) -> bool:
    """True the first time this person posts this form key (a double submit is done once); atomic in the cache."""
    return cache.add(f"alerts:once:{request.user.pk}:{key}", 1, ONCE_SECONDS)


def _release(request: HttpRequest, key: UUID) -> None:
    cache.delete(f"alerts:once:{request.user.pk}:{key}")


# --- the list and the whole-area switch -------------------------------------------------------------------------------
@gated
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    context = {
        "alerts": selectors.alerts_for(request.user),
        "can_send": sender_options(request.user) is not None,
        "memberships": active_memberships(request.user),
    }
    return render(request, "alerts/list.html", context)


@gated
@require_POST
def opt_in(request: HttpRequest) -> HttpResponse:
    form = OptInForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(next(iter(form.errors.values()))[0]))
        return redirect("alerts:list")
    community = Community.objects.filter(code=form.cleaned_data["community"]).first()
    if community is None:
        raise NotFound()
    services.alerts_whole_area_set(user=request.user, community=community, on=form.cleaned_data["on"])
    if form.cleaned_data["on"]:
        messages.success(request, _("You now get every alert in the whole area of %(name)s.") % {"name": community})
    else:
        messages.success(request, _("You now get only the alerts around your home in %(name)s.") % {"name": community})
    return redirect(reverse("alerts:list") + "#whole-area")


# --- sending ----------------------------------------------------------------------------------------------------------
def _options_or_403(request: HttpRequest) -> SenderOptions:
    options = sender_options(request.user)
    if options is None:
        raise Forbidden(
            _("Only the police and a community's coordinators send alerts. Seen something? Make a report instead.")
        )
    return options


def _send_context(form: AlertForm, options: SenderOptions, **extra: Any) -> dict[str, Any]:
    problems = form.descriptions
    return {
        "form": form,
        # The person and vehicle blocks of the report form (reports/_person.html, _vehicle.html), with the
        # service's messages next to each block and field.
        "persons": description_blocks("persons", form.persons, problems),
        "vehicles": description_blocks("vehicles", form.vehicles, problems),
        "persons_errors": problems.get("persons", []),
        "vehicles_errors": problems.get("vehicles", []),
        "person_template": {**description_blocks("persons", [{}], {})[0], "number": "__n__"},
        "vehicle_template": {**description_blocks("vehicles", [{}], {})[0], "number": "__n__"},
        "max_persons": services.MAX_PERSONS,
        "max_vehicles": services.MAX_VEHICLES,
        "options": options,
        "templates_json": json.dumps(selectors.alert_templates()),
        "urgent_kinds": " ".join(URGENT_KINDS),
        "bounds_json": json.dumps(options.bounds) if options.bounds else "",
        "min_radius": services.MIN_RADIUS_M,
        "max_radius": services.MAX_RADIUS_M,
        **extra,
    }


@gated
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    options = _options_or_403(request)
    if request.method == "GET":
        form = AlertForm(initial=alert_initial(options, uuid4()), options=options)
        return render(request, "alerts/new.html", _send_context(form, options))
    more = request.POST.get("more")
    if more in ("persons", "vehicles"):  # "Add a person" without JavaScript: the same form with one more block
        form = AlertForm(request.POST, options=options, quiet=True)
        blocks = getattr(form, more)
        if len(blocks) < {"persons": services.MAX_PERSONS, "vehicles": services.MAX_VEHICLES}[more]:
            blocks.append({})
        return render(request, "alerts/new.html", _send_context(form, options))
    form = AlertForm(request.POST, request.FILES, options=options)
    if not form.is_valid():
        _add_rule_problems(request, form)
        return render(request, "alerts/new.html", _send_context(form, options, refused=True), status=422)
    photo = None
    if upload := form.cleaned_data.get("photo"):
        try:
            photo = clean_photo(upload, code="alert.photo", field="photo")
        except Invalid as exc:
            form.add_problems(exc.fields)
            return render(request, "alerts/new.html", _send_context(form, options, refused=True), status=422)
    try:
        sent = services.alert_send(
            sender=request.user,
            data=form.to_input(),
            idempotency_key=form.cleaned_data["idempotency_key"],
            photo=photo,
        )
    except (Invalid, Conflict, TooMany) as exc:
        form.add_problems(exc.fields or {"__all__": [exc.message]}, aliases=AlertForm.ALIASES)
        status = 422 if isinstance(exc, Invalid) else exc.status
        return render(request, "alerts/new.html", _send_context(form, options, refused=True), status=status)
    if sent.created:
        messages.success(request, _("The alert has been sent. The answers appear here as they come in."))
    return redirect("alerts:detail", code=sent.alert.code)


def _add_rule_problems(request: HttpRequest, form: AlertForm) -> None:
    """With the form's own errors, the rules' messages for the other fields too: every problem at once."""
    try:
        services.alert_check(sender=request.user, data=form.to_input())
    except (Invalid, TooMany) as exc:
        aliases = AlertForm.ALIASES
        rest = {name: m for name, m in exc.fields.items() if aliases.get(name, name) not in form.errors}
        form.add_problems(rest, aliases=aliases)


PREVIEW_KEYS = ("location", "radius_m", "buurten", "community", "target", "organisation", "kind")


@gated
@require_GET
def preview(request: HttpRequest) -> HttpResponse:
    """How many people the alert in the form would reach (per channel); only the target's problems are shown."""
    options = _options_or_403(request)
    data = request.GET.copy()
    data["idempotency_key"] = str(uuid4())
    # The count does not depend on the words: placeholders keep those rules out of the way.
    data["title"], data["text"] = data.get("title") or "-", data.get("text") or "-"
    form = AlertForm(data, options=options)
    context: dict[str, Any] = {"counts": None, "problems": []}
    if not form.is_valid():
        context["problems"] = [str(m) for name in ("lat", "lon", "radius_m") for m in form.errors.get(name, [])]
    else:
        alert_input = form.to_input()
        alert_input.called_112 = True  # nor on the 112 confirmation
        try:
            context["counts"] = services.alert_preview(sender=request.user, data=alert_input)
        except DomainError as exc:
            fields = exc.fields or {}
            shown = [str(m) for key in PREVIEW_KEYS for m in fields.get(key, [])]
            context["problems"] = shown or ([] if fields else [str(exc.message)])
    return render(request, "alerts/new.html#preview", context)


def _channel_rows(channels: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """Per outside channel: its Dutch name, how many deliveries in all, and per state (named) those there are."""
    rows = []
    for channel, states in channels.items():
        rows.append(
            {
                "channel": channel,
                "label": Channel(channel).label,
                "total": sum(states.values()),
                "states": [(DeliveryState(state).label, n) for state, n in states.items() if n],
            }
        )
    return rows


# --- one alert --------------------------------------------------------------------------------------------------------
def _rows(entries: list[dict[str, Any]], order: tuple[str, ...], labels: dict[str, Any]) -> list[list[tuple[Any, str]]]:
    return [[(labels[n], entry[n]) for n in order if entry.get(n)] for entry in entries if isinstance(entry, dict)]


def _vehicle_rows(entries: list[dict[str, Any]]) -> list[tuple[list[tuple[Any, str]], bool]]:
    """As `_rows`, with per vehicle whether its plate is a foreign one (said after the plate)."""
    vehicles = [entry for entry in entries if isinstance(entry, dict)]
    rows = _rows(vehicles, VEHICLE_ORDER, VEHICLE_LABELS)
    return [(row, bool(v.get("plate") and v.get("foreign_plate"))) for row, v in zip(rows, vehicles, strict=True)]


def _target_json(alert: Alert) -> str:
    """What the console map draws: the circle, or the outline of the buurten or the community. Never homes."""
    shape: dict[str, Any] = {"lat": alert.lat, "lon": alert.lon, "radius": alert.radius_m}
    if alert.target_kind == TargetKind.BUURTEN:
        shape["areas"] = [b.geometry for b in alert.buurten.all()]
    elif alert.target_kind == TargetKind.COMMUNITY and alert.community is not None:
        shape["areas"] = [alert.community.geometry]
    return json.dumps(shape, separators=(",", ":"))


def _pins(answers: list[Any]) -> str:
    pins = [
        {"kind": a.kind, "label": str(a.get_kind_display()), "lat": a.lat, "lon": a.lon, "at": a.created_at.isoformat()}
        for a in answers
        if a.lat is not None and a.lon is not None
    ]
    return json.dumps(pins, separators=(",", ":"))


def _parts_context(alert: Alert) -> dict[str, Any]:
    answers = list(selectors.alert_responses(alert))
    figures = selectors.alert_figures(alert)
    return {
        "alert": alert,
        "answers": answers,
        "figures": figures,
        "counts": [(k, label, figures["by_kind"].get(k, 0)) for k, label in ResponseKind.choices],
        "channels": _channel_rows(figures["channels"]),
        "pins_json": _pins(answers),
    }


def _detail_context(request: HttpRequest, alert: Alert, view: str, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "alert": alert,
        "view": view,
        "is_open": alert.is_open and alert.valid_until > _now(),
        "updates": list(selectors.alert_updates(alert)),
        "persons": _rows(alert.persons, PERSON_ORDER, PERSON_LABELS),
        "vehicles": _vehicle_rows(alert.vehicles),
    }
    if view == "sender":
        context.update(_parts_context(alert))
        context["target_json"] = _target_json(alert)
        context["update_form"] = extra.pop("update_form", None) or UpdateForm(initial={"idempotency_key": uuid4()})
        context["close_form"] = extra.pop("close_form", None) or CloseForm(initial={"idempotency_key": uuid4()})
    elif view == "recipient":
        context["own"] = list(selectors.own_responses(alert, request.user))
        context["respond_form"] = extra.pop("respond_form", None) or RespondForm(initial={"idempotency_key": uuid4()})
    context.update(extra)
    return context


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


@gated
@require_GET
@vary_on_headers("HX-Request")
def detail(request: HttpRequest, code: UUID) -> HttpResponse:
    alert, standing = access_alert(request.user, code)
    if standing.view != "sender":
        notifications.notifications_mark_read(user=request.user, subject=(SUBJECT_TYPE, str(alert.code)))
    return render(request, "alerts/detail.html", _detail_context(request, alert, standing.view))


@gated
@require_GET
def console_parts(request: HttpRequest, code: UUID) -> HttpResponse:
    """The live part of the console (answers, counts, figures, pins), re-fetched on `sse:alert-<id>` and every
    30 s; `?format=json` gives the map pins and the counts."""
    alert, _standing = access_alert(request.user, code, need=AlertNeed.CONSOLE)
    context = _parts_context(alert)
    if request.GET.get("format") == "json" or "application/json" in request.headers.get("Accept", ""):
        figures = context["figures"]
        return JsonResponse(
            {
                "open": alert.is_open,
                "outcome": alert.outcome,
                "pins": json.loads(context["pins_json"]),
                "counts": figures["by_kind"],
                "answers": figures["answers"],
                "reached": figures["reached"],
            }
        )
    return render(request, "alerts/detail.html#parts", context)


@gated
@require_POST
def respond(request: HttpRequest, code: UUID) -> HttpResponse:
    alert, standing = access_alert(request.user, code, need=AlertNeed.ANSWER)
    form = RespondForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photo = None
            if upload := form.cleaned_data.get("photo"):
                photo = clean_photo(upload, code="answer.photo", field="photo")
            _answer, created = services.alert_respond(
                alert=alert,
                responder=request.user,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data.get("text") or "",
                lat=form.cleaned_data.get("lat"),
                lon=form.cleaned_data.get("lon"),
                photo=photo,
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except Invalid as exc:
            form.add_problems(exc.fields or {"__all__": [exc.message]}, aliases=RespondForm.ALIASES)
        else:
            messages.success(request, _("Thank you: your answer has been sent."))
            return redirect(reverse("alerts:detail", args=[alert.code]) + "#own-answers")
    context = _detail_context(request, alert, standing.view, respond_form=form)
    return render(request, "alerts/detail.html", context, status=422)


@gated
@require_POST
def update(request: HttpRequest, code: UUID) -> HttpResponse:
    alert, standing = access_alert(request.user, code, need=AlertNeed.CONSOLE)
    form = UpdateForm(request.POST)
    if form.is_valid():
        key = form.cleaned_data["idempotency_key"]
        if not _once(request, key):
            return redirect(reverse("alerts:detail", args=[alert.code]) + "#updates")
        try:
            services.alert_update(alert=alert, by=request.user, text=form.cleaned_data["text"])
        except Invalid as exc:
            _release(request, key)
            form.add_problems(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("The update has been sent to everybody who got the alert."))
            return redirect(reverse("alerts:detail", args=[alert.code]) + "#updates")
    context = _detail_context(request, alert, standing.view, update_form=form)
    return render(request, "alerts/detail.html", context, status=422)


@gated
@require_POST
def close(request: HttpRequest, code: UUID) -> HttpResponse:
    alert, standing = access_alert(request.user, code, need=AlertNeed.CONSOLE)
    form = CloseForm(request.POST)
    if form.is_valid():
        key = form.cleaned_data["idempotency_key"]
        if not _once(request, key):
            return redirect("alerts:detail", code=alert.code)
        try:
            services.alert_close(
                alert=alert, by=request.user, outcome=form.cleaned_data["outcome"], text=form.cleaned_data["text"]
            )
        except Invalid as exc:
            _release(request, key)
            form.add_problems(exc.fields or {"__all__": [exc.message]})
        except Conflict as exc:
            messages.info(request, str(exc.message))
            return redirect("alerts:detail", code=alert.code)
        else:
            messages.success(request, _("The alert is closed. Everybody who got it hears the outcome."))
            return redirect("alerts:detail", code=alert.code)
    context = _detail_context(request, alert, standing.view, close_form=form)
    return render(request, "alerts/detail.html", context, status=422)


@gated
@require_GET
def photo(request: HttpRequest, code: UUID, photo_code: UUID) -> HttpResponse:
    """The alert's photo (for everybody who may see the alert) or an answer's photo (the sender's side only)."""
    alert, standing = access_alert(request.user, code)
    stored = None
    if alert.photo is not None and alert.photo.code == photo_code:
        stored = alert.photo
    elif standing.view == "sender":
        answer = selectors.alert_responses(alert).filter(photo__code=photo_code).first()
        stored = answer.photo if answer is not None else None
    if stored is None:
        raise NotFound()
    return photo_response(stored)

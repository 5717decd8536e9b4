"""The resident's report pages under /meldingen/: filing a report (the SAAR flow for urgent ones), the confirmation
with the safe reactions and a WhatsApp share text, "Mijn meldingen", one report as its reporter or a routed member
sees it (answering questions, rating feedback), the gated photos, and the service worker of the offline queue.

Thin views (CONVENTIONS §5): a gate (reports.access, communities.access), a service, then render or redirect. Bad
input re-renders the form with status 422 and the messages next to the fields; nothing is stored. The form also
answers JSON when asked (`Accept: application/json`), for the browser's offline queue (static/reports/queue.js).
"""

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import quote
from uuid import UUID, uuid4

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samenveilig.accounts.middleware import mfa_exempt
from samenveilig.communities import access as community_access
from samenveilig.communities import selectors as community_selectors
from samenveilig.communities.models import Community
from samenveilig.conversation import selectors as conversation_selectors
from samenveilig.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from samenveilig.core.permissions import Need
from samenveilig.core.photos import clean_photo, photo_response
from samenveilig.moderation import prompts
from samenveilig.notifications import services as notifications
from samenveilig.reports import access, selectors, services
from samenveilig.reports.forms import (
    DATETIME_LOCAL,
    PERSON_LABELS,
    PERSON_ORDER,
    VEHICLE_LABELS,
    VEHICLE_MAX,
    VEHICLE_ORDER,
    AnswerForm,
    ChooseForm,
    ParsedReport,
    RateForm,
    parse_report,
    person_max_length,
)
from samenveilig.reports.models import Audience, EventKind, Report, ReportStatus, ReportType, Urgency

REPORT_SUBJECT = "reports.report"


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def gated(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in only; a gate's NotFound is a 404 page and its Forbidden a 403 page (JSON for the offline queue:
    401 when signed out, so the queue keeps the report instead of following a redirect to the login page)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if _wants_json(request):
                return JsonResponse({"message": _("Log in to send your report.")}, status=401)
            return login_required(view)(request, *args, **kwargs)
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            if _wants_json(request):
                return JsonResponse({"code": exc.code, "message": str(exc.message)}, status=404)
            raise Http404(str(exc.message)) from exc
        except Forbidden as exc:
            if _wants_json(request):
                return JsonResponse({"code": exc.code, "message": str(exc.message)}, status=403)
            raise PermissionDenied(str(exc.message)) from exc

    return wrapper


# --- filing a report --------------------------------------------------------------------------------------------------
def _reportable(user: Any) -> list[Community]:
    """The communities where the person may report (active members, any role)."""
    return [
        c
        for c in community_selectors.communities_for_user(user)
        if community_access.standing_of(user, c).grants(Need.REPORT)
    ]


def _field(name: str, label: Any, value: Any, errors: list[str], *, max_length: int | None = None) -> dict[str, Any]:
    fid = "id_" + name.replace("-", "_")
    return {"name": name, "id": fid, "label": label, "value": value or "", "errors": errors, "max": max_length}


def _blocks(kind: str, rows: list[dict[str, Any]], problems: dict[str, list[str]]) -> list[dict[str, Any]]:
    blocks = []
    for i, row in enumerate(rows or [{}]):
        prefix = f"{kind}.{i}"
        if kind == "persons":
            fields = [
                _field(f"persons-{i}-{n}", PERSON_LABELS[n], row.get(n), problems.get(f"{prefix}.{n}", []),
                       max_length=person_max_length(n))
                for n in PERSON_ORDER
            ]  # fmt: skip
            blocks.append({"index": i, "number": i + 1, "fields": fields[:-2], "sensitive": fields[-2:],
                           "errors": problems.get(prefix, [])})  # fmt: skip
        else:
            fields = [
                _field(f"vehicles-{i}-{n}", VEHICLE_LABELS[n], row.get(n), problems.get(f"{prefix}.{n}", []),
                       max_length=VEHICLE_MAX[n])
                for n in VEHICLE_ORDER
            ]  # fmt: skip
            foreign = {"name": f"vehicles-{i}-foreign_plate", "id": f"id_vehicles_{i}_foreign_plate",
                       "checked": bool(row.get("foreign_plate"))}  # fmt: skip
            blocks.append({"index": i, "number": i + 1, "fields": fields, "foreign": foreign,
                           "errors": problems.get(prefix, [])})  # fmt: skip
    return blocks


# The keys of a service's problems that the form shows next to a field or block; the rest go on top.
SHOWN_IN_PLACE = {"what", "location", "occurred_at", "photos", "persons", "vehicles", "address"}


def _form_context(
    request: HttpRequest,
    community: Community,
    report_type: str,
    *,
    urgency: str = "",
    called_112: str = "",
    parsed: ParsedReport | None = None,
    problems: dict[str, list[str]] | None = None,
    top_message: str = "",
) -> dict[str, Any]:
    problems = problems or {}
    post = request.POST if parsed else {}
    now = timezone.localtime().strftime(DATETIME_LOCAL)
    data = parsed.data if parsed else None
    shown = {k for k in problems if k in SHOWN_IN_PLACE or k.startswith(("persons.", "vehicles."))}
    other = [m for k, msgs in problems.items() if k not in shown for m in msgs]
    return {
        "step": "form",
        "community": community,
        "type": report_type,
        "type_label": ReportType(report_type).label,
        "is_urgent": report_type == ReportType.URGENT,
        "urgency": urgency,
        "urgency_label": Urgency(urgency).label if urgency in Urgency.values else "",
        "called_112": called_112,
        "key": str(parsed.idempotency_key) if parsed and parsed.idempotency_key else str(uuid4()),
        "what": _field("what", _("What happens?"), post.get("what"), problems.get("what", [])),
        "address": _field(
            "address", _("Address or place"), post.get("address"), problems.get("address", []), max_length=200
        ),  # fmt: skip
        "occurred_at": _field(
            "occurred_at", _("When?"), parsed.occurred_at_text if parsed else now, problems.get("occurred_at", [])
        ),  # fmt: skip
        "lat": parsed.lat_text if parsed else "",
        "lon": parsed.lon_text if parsed else "",
        "location_errors": problems.get("location", []),
        "photo_errors": problems.get("photos", []),
        "persons_errors": problems.get("persons", []),
        "vehicles_errors": problems.get("vehicles", []),
        "persons": _blocks("persons", data.persons if data else [], problems),
        "vehicles": _blocks("vehicles", data.vehicles if data else [], problems),
        "person_template": {**_blocks("persons", [{}], {})[0], "number": "__n__"},
        "vehicle_template": {**_blocks("vehicles", [{}], {})[0], "number": "__n__"},
        "anonymous": bool(data and data.anonymous),
        "share_with_members": data.share_with_members if data else True,
        "has_errors": bool(problems) or bool(top_message),
        "top_message": top_message,
        "other_errors": other,
        "community_geojson": _community_geojson(community),
        "now": now,
    }


def _community_geojson(community: Community) -> str:
    import json

    feature = {"type": "Feature", "geometry": community.geometry, "properties": {"name": community.name}}
    return json.dumps({"type": "FeatureCollection", "features": [feature]}, separators=(",", ":"))


@gated
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Step by step: community and type; for urgent reports suspicious or life-threatening, then "did you call
    112?"; then the form. Each step is a GET with the answers so far, so it works without JavaScript."""
    if request.method == "POST":
        return _submit(request)
    communities = _reportable(request.user)
    code, report_type = request.GET.get("community", ""), request.GET.get("type", "")
    if not code and len(communities) == 1:
        code = str(communities[0].code)
    if not code or report_type not in ReportType.values:
        form = ChooseForm(initial={"community": code, "type": report_type}, communities=communities)
        return render(request, "reports/new.html", {"step": "choose", "form": form, "communities": communities})
    community = community_access.access_community(request.user, code, need=Need.REPORT)
    base = {"community": community, "type": report_type, "type_label": ReportType(report_type).label}
    if report_type == ReportType.URGENT:
        urgency, called = request.GET.get("urgency", ""), request.GET.get("called_112", "")
        if urgency not in Urgency.values:
            return render(request, "reports/new.html", {**base, "step": "urgency", "urgencies": Urgency.choices})
        if called not in ("yes", "no"):
            return render(
                request,
                "reports/new.html",
                {**base, "step": "call112", "urgency": urgency, "life": urgency == Urgency.LIFE_THREATENING},
            )
        context = _form_context(request, community, report_type, urgency=urgency, called_112=called)
    else:
        context = _form_context(request, community, report_type)
    return render(request, "reports/new.html", context)


def _merge(problems: dict[str, list[str]], exc: DomainError) -> None:
    for name, msgs in (exc.fields or {"__all__": [exc.message]}).items():
        for message in msgs if isinstance(msgs, list | tuple) else [msgs]:
            if str(message) not in problems.setdefault(name, []):
                problems[name].append(str(message))


def _refused(
    request: HttpRequest,
    community: Community,
    parsed: ParsedReport,
    problems: dict[str, list[str]],
    *,
    status: int,
    message: str,
) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"message": message, "fields": problems}, status=status)
    context = _form_context(
        request,
        community,
        parsed.data.type if parsed.data.type in ReportType.values else ReportType.INFORMATIE,
        urgency=parsed.data.urgency,
        called_112=request.POST.get("called_112", ""),
        parsed=parsed,
        problems=problems,
        top_message=message,
    )
    return render(request, "reports/new.html", context, status=status)


def _submit(request: HttpRequest) -> HttpResponse:
    parsed = parse_report(request.POST)
    community = community_access.access_community(request.user, parsed.community, need=Need.REPORT)
    problems = {k: list(v) for k, v in parsed.problems.items()}
    photos = []
    for upload in request.FILES.getlist("photos"):
        try:
            photos.append(clean_photo(upload, code="report.photo", field="photos"))
        except Invalid as exc:
            message = f"{upload.name}: {exc.message}"
            problems.setdefault("photos", []).append(message)
    more = request.POST.get("more")
    if more in ("persons", "vehicles"):  # "Add a person" without JavaScript: the same form with one more block
        getattr(parsed.data, more).append({})
        context = _form_context(
            request,
            community,
            parsed.data.type if parsed.data.type in ReportType.values else ReportType.INFORMATIE,
            urgency=parsed.data.urgency,
            called_112=request.POST.get("called_112", ""),
            parsed=parsed,
        )
        return render(request, "reports/new.html", context)
    summary = _("The report is not complete yet: see the fields marked.")
    if problems or parsed.idempotency_key is None:
        try:
            services.report_check(community=community, data=parsed.data)
        except Invalid as exc:
            _merge(problems, exc)
        return _refused(request, community, parsed, problems, status=422, message=summary)
    try:
        submitted = services.report_submit(
            reporter=request.user,
            community=community,
            data=parsed.data,
            idempotency_key=parsed.idempotency_key,
            photos=photos,
        )
    except Invalid as exc:
        _merge(problems, exc)
        return _refused(request, community, parsed, problems, status=422, message=str(exc.message))
    except Conflict as exc:
        return _refused(request, community, parsed, {}, status=409, message=str(exc.message))
    url = reverse("reports:submitted", args=[submitted.report.code])
    if _wants_json(request):
        body = {"url": url, "code": str(submitted.report.code), "created": submitted.created}
        return JsonResponse(body, status=201 if submitted.created else 200)
    return redirect(url)


# --- the confirmation: App and Reageer --------------------------------------------------------------------------------
def _recipients(report: Report) -> list[str]:
    names = []
    for route in selectors.report_routes(report):
        if route.audience == Audience.MEMBERS:
            names.append(_("all members of %(community)s") % {"community": report.community.name})
        elif route.audience == Audience.COORDINATORS:
            names.append(_("the coordinators of %(community)s") % {"community": report.community.name})
        elif route.audience == Audience.INITIATORS:
            names.append(_("the initiators of %(community)s") % {"community": report.community.name})
        elif route.organisation is not None:
            names.append(route.organisation.name)
    return names


def _describe(row: Any, names: tuple[str, ...], labels: dict[str, Any]) -> str:
    return ", ".join(f"{labels[n]}: {getattr(row, n)}" for n in names if getattr(row, n))


def saar_text(report: Report) -> str:
    """The ready-made SAAR text to share in a WhatsApp group: what, where, when, persons, vehicles; never who
    reported it."""
    kind = str(report.get_type_display())
    if report.urgency:
        kind = f"{kind}, {report.get_urgency_display()}"
    lines = [_("Report (%(kind)s) in %(community)s") % {"kind": kind, "community": report.community.name}]
    lines.append(_("What: %(what)s") % {"what": report.what})
    where = [p for p in (report.address, report.buurt.name if report.buurt else "") if p]
    if report.lat is not None:
        where.append(
            f"https://www.openstreetmap.org/?mlat={report.lat:.5f}&mlon={report.lon:.5f}#map=18/{report.lat:.5f}/{report.lon:.5f}"
        )
    if where:
        lines.append(_("Where: %(where)s") % {"where": ", ".join(where)})
    when = date_format(timezone.localtime(report.occurred_at), "DATETIME_FORMAT")
    lines.append(_("When: %(when)s") % {"when": when})
    for i, person in enumerate(report.persons.all(), start=1):
        lines.append(
            _("Person %(n)s: %(details)s") % {"n": i, "details": _describe(person, PERSON_ORDER, PERSON_LABELS)}
        )
    for i, vehicle in enumerate(report.vehicles.all(), start=1):
        details = _describe(vehicle, VEHICLE_ORDER, VEHICLE_LABELS)
        if vehicle.foreign_plate:
            details += " " + _("(foreign plate)")
        lines.append(_("Vehicle %(n)s: %(details)s") % {"n": i, "details": details})
    if report.type == ReportType.URGENT:
        lines.append(_("In danger? Call 112. Never take the law into your own hands."))
    return "\n".join(lines)


def _sharing(report: Report) -> dict[str, Any]:
    """For the reporter: when the checks flagged the description, why, what to do instead, and whether a
    coordinator has shared it with the members yet (conversation)."""
    if not report.flags:
        return {"flag_notes": [], "shared_status": ""}
    return {
        "flag_notes": [(report.reasons.get(flag, ""), prompts.suggestion(flag)) for flag in report.flags],
        "shared_status": conversation_selectors.shared_report_status(report.code),
    }


@gated
@require_GET
def submitted(request: HttpRequest, code: UUID) -> HttpResponse:
    report = access.access_report(request.user, code, need=access.ReportNeed.OWN)
    text = saar_text(report)
    return render(
        request,
        "reports/submitted.html",
        {
            "report": report,
            "recipients": _recipients(report),
            "share_url": "https://wa.me/?text=" + quote(text, safe=""),
            "share_text": text,
            **_sharing(report),
        },
    )


# --- Mijn meldingen ---------------------------------------------------------------------------------------------------
@gated
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.reports_of_reporter(request.user), 25).get_page(request.GET.get("pagina"))
    return render(request, "reports/mine.html", {"page": page, "reports": page.object_list})


def _inbox_detail_url(code: UUID) -> str:
    try:
        return reverse("inbox:detail", args=[code])
    except NoReverseMatch:
        return f"/meldingen/inbox/{code}/"


def _detail_context(request: HttpRequest, report: Report, view: str, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "report": report,
        "view": view,
        "timeline": selectors.report_timeline(report, view=view),
        "persons": [_describe_rows(p, PERSON_ORDER, PERSON_LABELS) for p in report.persons.all()],
        "vehicles": [
            (_describe_rows(v, VEHICLE_ORDER, VEHICLE_LABELS), v.foreign_plate) for v in report.vehicles.all()
        ],
        "point_geojson": _point_geojson(report),
        "EventKind": {k.name: k.value for k in EventKind},
        "is_closed": report.status == ReportStatus.CLOSED,
    }
    if view == "reporter":
        context["feedback"] = list(selectors.report_feedback(report))
        context["questions"] = list(selectors.report_questions(report))
        context["photos"] = list(report.photos.all())
        context["answer_errors"] = extra.pop("answer_errors", {})
        context["rate_errors"] = extra.pop("rate_errors", {})
        context.update(_sharing(report))
    context.update(extra)
    return context


def _describe_rows(row: Any, names: tuple[str, ...], labels: dict[str, Any]) -> list[tuple[Any, str]]:
    return [(labels[n], getattr(row, n)) for n in names if getattr(row, n)]


def _point_geojson(report: Report) -> str:
    import json

    if report.lat is None:
        return ""
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [report.lon, report.lat]},
               "properties": {"name": report.address or str(report.get_type_display())}}  # fmt: skip
    return json.dumps({"type": "FeatureCollection", "features": [feature]}, separators=(",", ":"))


@gated
@require_GET
def detail(request: HttpRequest, code: UUID) -> HttpResponse:
    report = access.access_report(request.user, code)
    view = access.report_standing(request.user, report).view
    if view in ("partner", "admin"):
        return redirect(_inbox_detail_url(report.code))
    notifications.notifications_mark_read(user=request.user, subject=(REPORT_SUBJECT, str(report.code)))
    return render(request, "reports/detail.html", _detail_context(request, report, view))


@gated
@require_POST
def answer(request: HttpRequest, code: UUID) -> HttpResponse:
    question = access.access_question(request.user, code)
    report = question.report
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise Invalid(fields={"text": [m for msgs in form.errors.values() for m in msgs]})
        services.question_answer(question=question, text=form.cleaned_data["text"])
    except Invalid as exc:
        errors = {str(question.code): [str(m) for msgs in exc.fields.values() for m in msgs] or [str(exc.message)]}
        context = _detail_context(request, report, "reporter", answer_errors=errors)
        return render(request, "reports/detail.html", context, status=422)
    except Conflict as exc:
        messages.error(request, str(exc.message))
        return redirect(reverse("reports:detail", args=[report.code]) + "#questions")
    messages.success(request, _("Thank you: your answer has been sent."))
    return redirect(reverse("reports:detail", args=[report.code]) + "#questions")


@gated
@require_POST
def rate(request: HttpRequest, code: UUID) -> HttpResponse:
    feedback = access.access_feedback(request.user, code)
    report = feedback.report
    form = RateForm(request.POST)
    try:
        if not form.is_valid():
            raise Invalid(fields={"reason": [m for msgs in form.errors.values() for m in msgs]})
        helpful = form.cleaned_data["helpful"] == "yes"
        services.feedback_rate(feedback=feedback, helpful=helpful, reason=form.cleaned_data["reason"])
    except Invalid as exc:
        errors = {str(feedback.code): [str(m) for msgs in exc.fields.values() for m in msgs] or [str(exc.message)]}
        context = _detail_context(request, report, "reporter", rate_errors=errors)
        return render(request, "reports/detail.html", context, status=422)
    if helpful:
        messages.success(request, _("Thank you for letting us know."))
    elif report.status == ReportStatus.CLOSED:
        messages.success(request, _("Thank you. We asked the organisation to look at your report again."))
    else:
        messages.success(request, _("Thank you. The organisation sees that this did not help you yet."))
    return redirect(reverse("reports:detail", args=[report.code]) + "#feedback")


# --- photos and the service worker ------------------------------------------------------------------------------------
@gated
@require_GET
def photo(request: HttpRequest, code: UUID, photo_code: UUID) -> HttpResponse:
    """A photo of a report, for the reporter and the partners who handle it (not for members: photos may show
    people). Never cached by a shared cache."""
    report = access.access_report(request.user, code)
    if access.report_standing(request.user, report).view not in ("reporter", "partner", "admin"):
        raise NotFound()
    stored = report.photos.filter(code=photo_code).first()
    if stored is None:
        raise NotFound()
    return photo_response(stored)


SW_FILE = "reports/sw.js"


@mfa_exempt
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker of the offline queue, served from /meldingen/ so that its scope is /meldingen/."""
    found = finders.find(SW_FILE)
    if not found:
        from django.contrib.staticfiles.storage import staticfiles_storage

        found = staticfiles_storage.path(SW_FILE)
    response = HttpResponse(Path(found).read_bytes(), content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/meldingen/"
    response["Cache-Control"] = "no-cache"
    return response

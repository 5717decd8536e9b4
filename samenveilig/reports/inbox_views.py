"""The partner pages of reports: the inbox, one report with its handling tools, deadlines, routing rules, the
answer page of a forwarded report (no account), and the admin's opening of an anonymous reporter.

Thin views (CONVENTIONS §5): gate → form → service → redirect. A service's Invalid re-renders the page with the
messages in the form (422), a Conflict likewise (409). The inbox is partner space: whoever may not handle a report
gets a 404 here (the reporter and members have their own pages), except an admin, who sees it read-only."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samenveilig.communities import access as community_access
from samenveilig.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from samenveilig.core.permissions import Need, OrganisationKind
from samenveilig.reports import access, routing, selectors, services
from samenveilig.reports.access import ReportNeed
from samenveilig.reports.inbox_forms import (
    ConfirmTransitionForm,
    DeadlineForm,
    FeedbackForm,
    ForwardAnswerForm,
    ForwardForm,
    InboxFilterForm,
    NoteForm,
    QuestionForm,
    ReopenDecisionForm,
    RevealForm,
    RoutingRuleForm,
    TransitionForm,
)
from samenveilig.reports.models import Report, ReportStatus, ReportType

PAGE_SIZE = 25


def gated(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A gate's NotFound is a 404 page; Forbidden is a 403 page for admins (who see everything read-only) and a
    404 page for everyone else (the inbox is partner space)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except Forbidden as exc:
            if getattr(request.user, "is_superuser", False):
                raise PermissionDenied(str(exc.message)) from exc
            raise Http404(str(exc.message)) from exc

    return wrapper


def _add_errors(form: Any, exc: DomainError) -> None:
    """Put a service's messages on the form: per field where the form has it, and the main message on top."""
    placed = False
    for name, msgs in exc.fields.items():
        if name in form.fields:
            for message in msgs if isinstance(msgs, list | tuple) else [msgs]:
                form.add_error(name, str(message))
            placed = True
    if not placed or isinstance(exc, Conflict):
        form.add_error(None, str(exc.message))


def _status_of(exc: DomainError) -> int:
    return 409 if isinstance(exc, Conflict) else 422


def _duration(value: timedelta | None) -> str:
    if value is None:
        return ""
    minutes = max(int(value.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes or not parts:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)


def _photo_url(report: Report, photo: Any) -> str:
    try:
        return reverse("reports:photo", args=[report.code, photo.code])
    except NoReverseMatch:  # the resident pages serve photos; without them there is nothing to link
        return ""


# --- the inbox --------------------------------------------------------------------------------------------------------
@login_required
@require_GET
def inbox_list(request: HttpRequest) -> HttpResponse:
    organisations = selectors.inbox_organisations(request.user)
    if not organisations:
        raise Http404(_("You do not work for a partner organisation."))
    communities = selectors.inbox_communities(request.user)
    form = InboxFilterForm(request.GET or None, communities=communities)
    filters: dict[str, Any] = {}
    status = 200
    if request.GET and not form.is_valid():
        status = 422
    elif form.is_bound:
        data = form.cleaned_data
        by_code = {str(c.code): c for c in communities}
        filters = {
            "community": by_code.get(data["community"]),
            "type": data["type"] or None,
            "status": data["status"] or None,
            "max_age_days": int(data["age"]) if data["age"] else None,
            "overdue": data["overdue"] or None,
        }
    reports = selectors.reports_for_inbox(viewer=request.user, **filters) if status == 200 else Report.objects.none()
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("pagina"))
    now = timezone.now()
    rows = [{"report": r, "overdue": selectors.is_overdue(r, now)} for r in page.object_list]
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "form": form,
        "rows": rows,
        "page": page,
        "count": page.paginator.count,
        "filtered": any(v for v in filters.values()),
        "query": query.urlencode(),
        "organisations": organisations,
        "reopen_requests": list(selectors.pending_reopen_requests(request.user)),
    }
    return render(request, "reports/inbox/list.html", context, status=status)


# --- one report -------------------------------------------------------------------------------------------------------
def _handled(request: HttpRequest, code: UUID) -> Report:
    """The report, if the person handles it (partner staff of a routed organisation)."""
    return access.access_report(request.user, code, need=ReportNeed.HANDLE)


def _viewed(request: HttpRequest, code: UUID) -> tuple[Report, bool]:
    """The report and whether the person handles it; an admin without a routed organisation sees it read-only."""
    try:
        return _handled(request, code), True
    except Forbidden:
        if not request.user.is_superuser:
            raise
    return access.access_report(request.user, code, need=ReportNeed.VIEW), False


def _detail_context(request: HttpRequest, report: Report, can_handle: bool, **extra: Any) -> dict[str, Any]:
    standing = access.report_standing(request.user, report)
    allowed = sorted(services.TRANSITIONS[report.status], key=list(ReportStatus.values).index)
    routes = list(selectors.report_routes(report))
    due_at = report.due_at = selectors.due_for(routes, standing.organisations)
    durations = selectors.report_durations(report)
    duplicates = selectors.possible_duplicates(report=report, viewer=request.user) if can_handle else []
    context: dict[str, Any] = {
        "report": report,
        "can_handle": can_handle,
        "is_admin": standing.is_admin,
        "organisation": access.handling_organisation(request.user, report) if can_handle else None,
        "persons": list(report.persons.all()),
        "vehicles": list(report.vehicles.all()),
        "photos": [{"photo": p, "url": _photo_url(report, p)} for p in report.photos.all()],
        "routes": routes,
        "due_at": due_at,
        "overdue": selectors.is_overdue(report),
        "first_response": _duration(durations.first_response),
        "closing": _duration(durations.closing),
        "timeline": selectors.report_timeline(report, view="partner"),
        "duplicates": duplicates,
        "reopen_requests": [r for r in selectors.report_reopen_requests(report) if r.decision == "pending"],
        "allowed": allowed,
        "transition_form": TransitionForm(allowed=allowed),
        "feedback_form": FeedbackForm(),
        "note_form": NoteForm(),
        "question_form": QuestionForm(),
        "forward_form": ForwardForm(),
        "reopen_form": ReopenDecisionForm(),
        "contact": None,
        "contact_shown": False,
    }
    context.update(extra)
    return context


def _render_detail(request: HttpRequest, report: Report, status: int = 200, **extra: Any) -> HttpResponse:
    context = _detail_context(request, report, True, **extra)
    return render(request, "reports/inbox/detail.html", context, status=status)


@login_required
@require_GET
@gated
def inbox_detail(request: HttpRequest, code: UUID) -> HttpResponse:
    report, can_handle = _viewed(request, code)
    context = _detail_context(request, report, can_handle)
    return render(request, "reports/inbox/detail.html", context)


@login_required
@require_POST
@gated
def inbox_contact(request: HttpRequest, code: UUID) -> HttpResponse:
    """Show the reporter's name and contact: a logged read, so only on request."""
    report = _handled(request, code)
    organisation = access.handling_organisation(request.user, report)
    contact = selectors.reporter_for_partner(report=report, viewer=request.user, organisation=organisation)
    return _render_detail(request, report, contact=contact, contact_shown=True)


@login_required
@require_POST
@gated
def inbox_transition(request: HttpRequest, code: UUID) -> HttpResponse:
    report = _handled(request, code)
    allowed = sorted(services.TRANSITIONS[report.status], key=list(ReportStatus.values).index)
    confirming = "confirm_without_feedback" in request.POST
    form_class = ConfirmTransitionForm if confirming else TransitionForm
    form = form_class(request.POST, allowed=list(ReportStatus.values))
    form.fields["status"].widget.choices = [(s, capfirst(ReportStatus(s).label)) for s in allowed]
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.report_transition(
                report=report,
                by=request.user,
                organisation=access.handling_organisation(request.user, report),
                status=data["status"],
                outcome=data["outcome"],
                note=data["note"],
                confirm_without_feedback=bool(data.get("confirm_without_feedback")),
            )
        except DomainError as exc:
            if exc.code == "report.no_feedback":
                confirm = ConfirmTransitionForm(initial=data, allowed=list(ReportStatus.values))
                confirm.fields["status"].widget.choices = form.fields["status"].widget.choices
                return _render_detail(
                    request, report, status=409, transition_form=confirm, confirm_message=str(exc.message)
                )
            _add_errors(form, exc)
            return _render_detail(request, report, status=_status_of(exc), transition_form=form)
        messages.success(request, _("The report is now %(status)s.") % {"status": ReportStatus(data["status"]).label})
        return redirect("inbox:detail", code=report.code)
    return _render_detail(request, report, status=422, transition_form=form)


def _partner_action(
    request: HttpRequest,
    code: UUID,
    form_class: type,
    form_key: str,
    act: Callable[[Report, Any, dict[str, Any]], Any],
    success: str,
) -> HttpResponse:
    """A partner's form on the report page: valid → the service (for the handling organisation) → back to the
    report with a message; invalid or refused → the report page again with the form and its messages."""
    report = _handled(request, code)
    form = form_class(request.POST)
    if not form.is_valid():
        return _render_detail(request, report, status=422, **{form_key: form})
    try:
        act(report, access.handling_organisation(request.user, report), form.cleaned_data)
    except DomainError as exc:
        _add_errors(form, exc)
        return _render_detail(request, report, status=_status_of(exc), **{form_key: form})
    messages.success(request, success)
    return redirect("inbox:detail", code=report.code)


@login_required
@require_POST
@gated
def inbox_feedback(request: HttpRequest, code: UUID) -> HttpResponse:
    return _partner_action(
        request,
        code,
        FeedbackForm,
        "feedback_form",
        lambda report, org, data: services.feedback_give(report=report, by=request.user, organisation=org, **data),
        _("Your feedback has been sent."),
    )


@login_required
@require_POST
@gated
def inbox_note(request: HttpRequest, code: UUID) -> HttpResponse:
    return _partner_action(
        request,
        code,
        NoteForm,
        "note_form",
        lambda report, org, data: services.report_note_add(
            report=report, by=request.user, organisation=org, text=data["text"]
        ),
        _("The internal note has been added."),
    )


@login_required
@require_POST
@gated
def inbox_question(request: HttpRequest, code: UUID) -> HttpResponse:
    return _partner_action(
        request,
        code,
        QuestionForm,
        "question_form",
        lambda report, org, data: services.report_question_ask(
            report=report, by=request.user, organisation=org, text=data["text"]
        ),
        _("Your question has been sent to the reporter."),
    )


@login_required
@require_POST
@gated
def inbox_forward(request: HttpRequest, code: UUID) -> HttpResponse:
    """Forward to an outside party: the one-time link is shown once, on this answer (only its hash is kept)."""
    report = _handled(request, code)
    form = ForwardForm(request.POST)
    if form.is_valid():
        try:
            link, token = services.report_forward(
                report=report,
                by=request.user,
                organisation=access.handling_organisation(request.user, report),
                **form.cleaned_data,
            )
        except DomainError as exc:
            _add_errors(form, exc)
            return _render_detail(request, report, status=_status_of(exc), forward_form=form)
        url = request.build_absolute_uri(reverse("inbox:forward_answer", args=[token]))
        return _render_detail(request, report, forward_url=url, forward_link=link)
    return _render_detail(request, report, status=422, forward_form=form)


@login_required
@require_POST
@gated
def inbox_reopen(request: HttpRequest, code: UUID, request_id: int) -> HttpResponse:
    report = _handled(request, code)
    reopen_request = selectors.report_reopen_requests(report).filter(pk=request_id).first()
    if reopen_request is None:
        raise Http404()
    form = ReopenDecisionForm(request.POST)
    if form.is_valid():
        reopen = form.cleaned_data["decision"] == "reopen"
        try:
            services.reopen_decide(
                request=reopen_request,
                by=request.user,
                organisation=access.handling_organisation(request.user, report),
                reopen=reopen,
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            _add_errors(form, exc)
            return _render_detail(request, report, status=_status_of(exc), reopen_form=form)
        messages.success(
            request, _("The report has been reopened.") if reopen else _("The request to reopen has been declined.")
        )
        return redirect("inbox:detail", code=report.code)
    return _render_detail(request, report, status=422, reopen_form=form)


# --- deadlines --------------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def inbox_deadlines(request: HttpRequest) -> HttpResponse:
    organisations = selectors.inbox_organisations(request.user)
    if not organisations:
        raise Http404()
    forms = {org.pk: DeadlineForm(prefix=str(org.code), current=selectors.deadlines_of(org)) for org in organisations}
    status = 200
    if request.method == "POST":
        chosen = next((o for o in organisations if str(o.code) == request.POST.get("organisation")), None)
        if chosen is None:
            raise Http404()
        current = selectors.deadlines_of(chosen)
        form = DeadlineForm(request.POST, prefix=str(chosen.code), current=current)
        forms[chosen.pk] = form
        if form.is_valid():
            for value in ReportType.values:
                if form.cleaned_data[value] == current[value]:
                    continue
                try:
                    services.deadline_set(
                        organisation=chosen, report_type=value, hours=form.cleaned_data[value], by=request.user
                    )
                except Invalid as exc:
                    for message in exc.fields.get("hours", [exc.message]):
                        form.add_error(value, str(message))
            if form.is_valid():
                messages.success(request, _("The deadlines of %(name)s are saved.") % {"name": chosen.name})
                return redirect("inbox:deadlines")
        status = 422
    rows = [{"organisation": org, "form": forms[org.pk]} for org in organisations]
    return render(request, "reports/inbox/deadlines.html", {"rows": rows}, status=status)


# --- routing rules ----------------------------------------------------------------------------------------------------
def _rule_text(rule: routing.Rule) -> str:
    parts = []
    if rule.to_members:
        parts.append(_("all members"))
    if rule.to_coordinators:
        parts.append(_("coordinators"))
    if rule.to_initiators:
        parts.append(_("initiators"))
    parts += [str(OrganisationKind(k).label) for k in rule.partner_kinds]
    return ", ".join(parts)


@login_required
@require_http_methods(["GET", "POST"])
@gated
def inbox_routing(request: HttpRequest, code: UUID) -> HttpResponse:
    try:
        community = community_access.access_community(request.user, code, need=Need.EDIT_ROUTING)
    except Forbidden as exc:  # community space: members and partners see the community, so 403 as its pages do
        raise PermissionDenied(str(exc.message)) from exc
    rules = selectors.routing_rules(community)
    forms = {
        t: RoutingRuleForm(prefix=t, initial={"type": t, **rule.as_dict(), "partner_kinds": list(rule.partner_kinds)})
        for t, rule in rules.items()
    }
    status = 200
    if request.method == "POST":
        chosen = request.POST.get("rule_type", "")
        if chosen not in ReportType.values:
            raise Http404()
        form = RoutingRuleForm(request.POST, prefix=chosen)
        forms[chosen] = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.routing_rule_set(
                    community=community,
                    report_type=chosen,
                    by=request.user,
                    to_members=data["to_members"],
                    to_coordinators=data["to_coordinators"],
                    to_initiators=data["to_initiators"],
                    partner_kinds=list(data["partner_kinds"]),
                )
            except Invalid as exc:
                _add_errors(form, exc)
                for message in exc.fields.get("__all__", []):
                    form.add_error(None, str(message))
            else:
                messages.success(
                    request,
                    _("Who receives reports of type %(type)s has been saved.") % {"type": ReportType(chosen).label},
                )
                return redirect("inbox:routing", code=community.code)
        status = 422
    rows = [
        {
            "type": t,
            "label": ReportType(t).label,
            "form": forms[t],
            "current": _rule_text(rules[t]),
            "default": _rule_text(routing.DEFAULTS[t]),
            "is_default": rules[t] == routing.DEFAULTS[t],
        }
        for t in ReportType.values
    ]
    return render(request, "reports/inbox/routing.html", {"community": community, "rows": rows}, status=status)


# --- forwarded: the outside party's page (no account) -----------------------------------------------------------------
def _forward_gone(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/inbox/forward_gone.html", status=404)


@require_http_methods(["GET", "POST"])
def forward_answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = services.forward_by_token(token)
    except NotFound:
        return _forward_gone(request)
    form = ForwardAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.forward_answer(token=token, text=form.cleaned_data["text"])
            except NotFound:
                return _forward_gone(request)
            except DomainError as exc:
                _add_errors(form, exc)
                status = _status_of(exc)
            else:
                return render(request, "reports/inbox/forward_thanks.html", {"link": link})
        else:
            status = 422
    report = link.report
    context = {
        "link": link,
        "report": report,
        "persons": list(report.persons.all()),
        "vehicles": list(report.vehicles.all()),
        "form": form,
    }
    return render(request, "reports/inbox/forward_answer.html", context, status=status)


# --- opening an anonymous reporter (admins) ---------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
@gated
def inbox_reveal(request: HttpRequest, code: UUID) -> HttpResponse:
    report = access.access_report(request.user, code, need=ReportNeed.REVEAL)
    form = RevealForm(request.POST or None)
    context: dict[str, Any] = {"report": report, "form": form, "revealed": False, "person": None}
    if request.method == "POST":
        if form.is_valid():
            try:
                person = services.report_reveal_reporter(
                    report=report, by=request.user, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                _add_errors(form, exc)
                return render(request, "reports/inbox/reveal.html", context, status=_status_of(exc))
            context.update(revealed=True, person=person)
            return render(request, "reports/inbox/reveal.html", context)
        return render(request, "reports/inbox/reveal.html", context, status=422)
    return render(request, "reports/inbox/reveal.html", context)

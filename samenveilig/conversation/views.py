"""The conversation's pages: the stream (new posts appear by polling with htmx), the kind prompt of a flagged post,
the coordinators' queue, and the photos of a post (for those who may see the post). Thin: every rule is in
conversation.services."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samenveilig.communities import access
from samenveilig.communities.views import _context, gated
from samenveilig.conversation import selectors, services
from samenveilig.conversation.models import PostStatus
from samenveilig.core.errors import DomainError, Invalid, NotFound
from samenveilig.core.permissions import Need
from samenveilig.core.photos import CleanPhoto, clean_photo, photo_response
from samenveilig.moderation import prompts


def _stream_context(request: HttpRequest, slug: str, **extra: Any) -> tuple[Any, dict[str, Any]]:
    community = access.access_community(request.user, slug, need=Need.VIEW)
    posts = selectors.stream(community=community, viewer=request.user)
    replies = selectors.replies_for(posts=posts)
    for post in posts:
        post.shown_replies = replies.get(post.pk, [])
    return community, _context(request, community, posts=posts, max_photos=settings.POST_MAX_PHOTOS, **extra)


@login_required
@require_GET
@gated
def stream(request: HttpRequest, slug: str) -> HttpResponse:
    _community, context = _stream_context(request, slug)
    return render(request, "conversation/stream.html", context)


@login_required
@require_GET
@gated
def stream_fragment(request: HttpRequest, slug: str) -> HttpResponse:
    """The posts alone, for htmx to poll (new posts appear without reloading)."""
    _community, context = _stream_context(request, slug)
    return render(request, "conversation/_posts.html", context)


def _photos_refused(request: HttpRequest, slug: str, problems: list[str]) -> HttpResponse:
    """The stream again with the form as it was sent (its text, which reply) and what is wrong with the photos;
    nothing was stored. A browser cannot fill in a file field again: the photos have to be chosen again."""
    _community, context = _stream_context(
        request,
        slug,
        photo_errors=problems,
        sent_text=request.POST.get("text", ""),
        sent_reply_to=request.POST.get("reply_to", ""),
    )
    return render(request, "conversation/stream.html", context, status=422)


@login_required
@require_POST
@gated
def create(request: HttpRequest, slug: str) -> HttpResponse:
    community = access.access_community(request.user, slug, need=Need.VIEW)
    parent = None
    if request.POST.get("reply_to"):
        parent = selectors.post_for(code=request.POST["reply_to"], viewer=request.user)
    photos: list[CleanPhoto] = []
    problems: list[str] = []
    for upload in request.FILES.getlist("photos"):
        try:
            photos.append(clean_photo(upload, code="post.photo", field="photos"))
        except Invalid as exc:
            problems.append(f"{upload.name}: {exc.message}")
    if problems:
        return _photos_refused(request, slug, problems)
    try:
        post = services.post_create(
            community=community, author=request.user, text=request.POST.get("text"), parent=parent, photos=photos
        )
    except Invalid as exc:
        if exc.code == "post.photo":
            return _photos_refused(request, slug, [str(exc.message)])
        messages.error(request, str(exc.message))
        return redirect("conversation:stream", slug=slug)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("conversation:stream", slug=slug)
    if post.status == PostStatus.PUBLISHED:
        messages.success(request, _("Your message has been published."))
        return redirect("conversation:stream", slug=slug)
    return redirect("conversation:prompt", slug=slug, code=post.code)


@login_required
@gated
def prompt(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The kind prompt: why the post waits, what to do instead; revise, send anyway or withdraw."""
    post = selectors.post_for(code=code, viewer=request.user)
    if post.author_id != request.user.pk:
        return redirect("conversation:stream", slug=slug)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "revise":
                post = services.post_revise(post=post, by=request.user, text=request.POST.get("text"))
            elif action == "send_anyway":
                post = services.post_send_anyway(post=post, by=request.user)
                messages.info(request, _("Your message waits for a coordinator. You will hear what they decide."))
                return redirect("conversation:stream", slug=slug)
            elif action == "withdraw":
                services.post_withdraw(post=post, by=request.user)
                messages.info(request, _("Your message has been withdrawn."))
                return redirect("conversation:stream", slug=slug)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        if post.status == PostStatus.PUBLISHED:
            messages.success(request, _("Your message has been published."))
            return redirect("conversation:stream", slug=slug)
    hints = [(post.reasons.get(flag, ""), prompts.suggestion(flag)) for flag in post.flags]
    context = _context(request, post.community, post=post, hints=hints)
    return render(request, "conversation/prompt.html", context)


@login_required
@require_GET
@gated
def photo(request: HttpRequest, slug: str, code: str, photo_code: str) -> HttpResponse:
    """A photo of a post, for exactly those who may see the post; never cached by a shared cache."""
    stored = selectors.post_photo_for(post_code=code, photo_code=photo_code, viewer=request.user)
    if stored.post.community.slug != slug:
        raise NotFound()
    return photo_response(stored)


@login_required
@require_POST
@gated
def react(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    post = selectors.post_for(code=code, viewer=request.user)
    try:
        services.post_react(post=post, by=request.user, kind=request.POST.get("kind", ""))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("conversation:stream", slug=slug)


@login_required
@require_POST
@gated
def report(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    post = selectors.post_for(code=code, viewer=request.user)
    try:
        services.post_report(post=post, by=request.user, reason=request.POST.get("reason"))
        messages.success(request, _("Thank you: the coordinators will look at this message."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("conversation:stream", slug=slug)


@login_required
@gated
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    community = access.access_community(request.user, slug, need=Need.MODERATE)
    if request.method == "POST":
        post = selectors.post_for(code=request.POST.get("post", ""), viewer=request.user)
        try:
            services.post_decide(
                post=post, by=request.user, action=request.POST.get("action", ""), reason=request.POST.get("reason")
            )
            messages.success(request, _("Your decision has been saved; the author has been told."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("conversation:queue", slug=slug)
    posts = selectors.queue(community=community, viewer=request.user)
    return render(request, "conversation/queue.html", _context(request, community, posts=posts))


@login_required
@require_GET
@gated
def signals(request: HttpRequest) -> HttpResponse:
    """The municipality's overview: every community it is a partner of, those whose conversation needs attention
    first (a growing or stale queue, rising flags)."""
    rows = selectors.community_signals(viewer=request.user)
    return render(
        request, "conversation/signals.html", {"rows": rows, "signalled": sum(1 for row in rows if row.signals)}
    )

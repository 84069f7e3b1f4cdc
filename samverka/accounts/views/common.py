import time

from django.http import HttpRequest
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from samverka.core.errors import DomainError

from ..middleware import SESSION_EPOCH_KEY, SESSION_SEEN_KEY, SESSION_STARTED_KEY


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` parameter when it points into this site, else `default` (no open redirects)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def remember_epoch(request: HttpRequest, user, *, signed_in: bool = True) -> None:
    """Mark this session with the user's current epoch (see SessionEpochMiddleware); on sign-in also start its
    idle and absolute clocks."""
    request.session[SESSION_EPOCH_KEY] = user.session_epoch
    if signed_in:
        now = int(time.time())
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_SEEN_KEY] = now


def apply_errors(form, exc: DomainError) -> None:
    """Put a service's field errors on the form; unknown fields become form-wide errors."""
    if not exc.errors:
        form.add_error(None, exc.detail)
    for field, messages in exc.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def reverse_or(name: str, args, default: str) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return default


def area_url(area) -> str:
    return reverse_or("areas:detail", [area.pk], reverse("accounts:home"))


def organisation_url(organisation) -> str:
    return reverse_or("registry:public_detail", [organisation.pk], reverse("accounts:home"))


def error_page(request, *, title: str, message: str, status: int):
    return render(request, "accounts/problem.html", {"title": title, "message": message}, status=status)

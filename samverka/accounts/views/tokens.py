"""Personal API tokens: create (raw value shown once), list, revoke after a confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from samverka.core.errors import DomainError, NotFound
from samverka.core.pagination import paginate

from .. import selectors
from ..forms import TokenCreateForm
from ..services import api_token_create, api_token_revoke
from .common import apply_errors


@login_required
def tokens(request):
    form = TokenCreateForm(request.POST or None)
    raw = None
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created, raw = api_token_create(
                actor=request.user, user=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            form = TokenCreateForm()
    page = paginate(selectors.api_token_list(actor=request.user), request.GET.get("page"))
    context = {"form": form, "page": page, "raw_token": raw, "created": created, "query_without_page": ""}
    return render(request, "accounts/tokens.html", context, status=422 if form.errors else 200)


@login_required
def token_revoke(request, token_id):
    try:
        token = selectors.api_token_get(actor=request.user, token_id=token_id)
    except NotFound:
        raise Http404
    if request.method == "POST":
        api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("accounts:tokens")
    return render(request, "accounts/token_revoke.html", {"token": token})

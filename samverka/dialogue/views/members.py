"""Forum members: remove with a confirmation step (adding is on the forum page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverka.core.errors import DomainError

from .. import selectors, services
from .common import error_page


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, pk, member_pk):
    forum = selectors.forum_get(actor=request.user, pk=pk, manage=True)
    member = next((m for m in forum.members.all() if m.pk == member_pk), None)
    if member is None:
        raise Http404
    if request.method == "POST":
        try:
            services.forum_member_remove(actor=request.user, member=member)
        except DomainError as exc:
            return error_page(request, exc)
        messages.success(request, _("%(name)s is no longer a member.") % {"name": member.name})
        return redirect("dialogue:forum", pk=forum.pk)
    return render(request, "dialogue/member_remove.html", {"forum": forum, "member": member})

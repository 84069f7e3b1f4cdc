"""Coordinators (and organisation admins) see who has roles in their areas and revoke them after confirming."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from samverka.core.errors import NotFound
from samverka.core.pagination import paginate

from .. import selectors
from ..access import access_for
from ..services import area_role_revoke, organisation_role_revoke


def _require_manager(request):
    if not access_for(request.user).manages_people:
        raise PermissionDenied


@login_required
def roles(request):
    _require_manager(request)
    kind = "organisation" if request.GET.get("kind") == "organisation" else "area"
    selector = selectors.organisation_role_list if kind == "organisation" else selectors.area_role_list
    rows = selector(actor=request.user)
    page = paginate(rows, request.GET.get("page"))
    return render(request, "accounts/roles.html", {"page": page, "kind": kind, "query_without_page": f"kind={kind}&"})


@login_required
def role_revoke(request, kind, role_id):
    _require_manager(request)
    if kind not in ("area", "organisation"):
        raise Http404
    getter = selectors.organisation_role_get if kind == "organisation" else selectors.area_role_get
    try:
        grant = getter(actor=request.user, role_id=role_id)
    except NotFound:
        raise Http404
    if request.method == "POST":
        if kind == "organisation":
            organisation_role_revoke(actor=request.user, grant=grant)
        else:
            area_role_revoke(actor=request.user, grant=grant)
        messages.success(request, _("The role of %(user)s is revoked.") % {"user": grant.user})
        return redirect(f"{_roles_url()}?kind={kind}")
    return render(request, "accounts/role_revoke.html", {"grant": grant, "kind": kind})


def _roles_url():
    from django.urls import reverse

    return reverse("accounts:roles")

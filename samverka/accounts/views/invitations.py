"""Invite people to roles, list and revoke invitations, and accept one."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from samverka.core.errors import DomainError, NotFound
from samverka.core.pagination import paginate

from .. import selectors
from ..access import access_for
from ..forms import AcceptInvitationForm, InviteForm
from ..models import User
from ..services import InvitationUnusable, invitation_accept, invitation_by_token, invitation_create, invitation_revoke
from .auth import login_url_with_next
from .common import apply_errors, area_url, error_page, organisation_url, remember_epoch

ORGANISATION_CHOICES_LIMIT = 500


def _require_manager(request):
    if not access_for(request.user).manages_people:
        raise PermissionDenied


@login_required
def invite(request):
    _require_manager(request)
    actor = request.user
    organisations = selectors.managed_organisations(actor=actor)
    preset = request.GET.get("organisation") or ""
    if preset:
        organisations = organisations.filter(pk=preset) if _is_uuid(preset) else organisations.none()
    initial = {"organisation": preset, "target": "organisation"} if preset else {}
    form = InviteForm(
        request.POST or None,
        initial=initial,
        areas=list(selectors.managed_areas(actor=actor)),
        organisations=list(organisations[:ORGANISATION_CHOICES_LIMIT]),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_area = data["target"] == "area"
        try:
            invitation = invitation_create(
                actor=actor,
                email=data["email"],
                area=data["area"] if by_area else None,
                area_role=data["area_role"] if by_area else "",
                capabilities=data["capabilities"] if by_area else (),
                organisation=None if by_area else data["organisation"],
                organisation_role="" if by_area else data["organisation_role"],
            )
        except NotFound:
            raise Http404
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("accounts:invitations")
    return render(request, "accounts/invite.html", {"form": form}, status=422 if form.errors else 200)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
def invitations(request):
    _require_manager(request)
    page = paginate(selectors.invitation_list(actor=request.user), request.GET.get("page"))
    return render(request, "accounts/invitations.html", {"page": page, "query_without_page": ""})


@login_required
def invitation_revoke_view(request, invitation_id):
    _require_manager(request)
    try:
        invitation = selectors.invitation_get(actor=request.user, invitation_id=invitation_id)
    except NotFound:
        raise Http404
    if request.method == "POST":
        try:
            invitation_revoke(actor=request.user, invitation=invitation)
        except NotFound:
            raise Http404
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email})
        return redirect("accounts:invitations")
    return render(request, "accounts/invitation_revoke.html", {"invitation": invitation})


def _unusable(request):
    return error_page(
        request,
        title=_("This invitation cannot be used"),
        message=_(
            "The invitation has expired, was revoked, or was used already. Ask the person who invited you "
            "to send a new one."
        ),
        status=410,
    )


def accept_invitation(request, token):
    invitation = invitation_by_token(token)
    if invitation is None:
        return error_page(
            request,
            title=_("Invitation not found"),
            message=_("We could not find this invitation. Check that you copied the whole link."),
            status=404,
        )
    if not invitation.is_usable:
        return _unusable(request)
    user = request.user if request.user.is_authenticated else None
    existing = user is None and User.objects.filter(email__iexact=invitation.email).exists()
    wrong_user = user is not None and user.email.lower() != invitation.email
    form = AcceptInvitationForm(request.POST or None) if user is None and not existing else None
    context = {
        "invitation": invitation,
        "form": form,
        "existing": existing,
        "wrong_user": wrong_user,
        "login_url": login_url_with_next(request.get_full_path()),
    }
    if request.method == "POST" and not existing and not wrong_user and (form is None or form.is_valid()):
        fields = (
            {}
            if form is None
            else {"full_name": form.cleaned_data["full_name"], "password": form.cleaned_data["password1"]}
        )
        try:
            invitation, accepted_by = invitation_accept(token=token, user=user, **fields)
        except InvitationUnusable:
            return _unusable(request)
        except DomainError as exc:
            if form is None:
                messages.error(request, exc.detail)
            else:
                apply_errors(form, exc)
        else:
            if user is None:
                login(request, accepted_by, backend="samverka.accounts.backends.ModelBackend")
                remember_epoch(request, accepted_by)
            messages.success(
                request,
                _("Welcome! You now have the role “%(role)s” in %(target)s.")
                % {"role": invitation.get_role_display(), "target": invitation.target},
            )
            if invitation.area_id:
                return redirect(area_url(invitation.area))
            return redirect(organisation_url(invitation.organisation))
    status = 422 if form is not None and form.errors else 200
    return render(request, "accounts/accept_invitation.html", context, status=status)

"""Reads on accounts, scoped to what the actor may see. Another user's or area's object is "not found"."""

from django.db.models import Q, QuerySet

from samverka.areas.models import Area

from .access import access_for
from .models import ApiToken, AreaRole, AreaRoleKind, Invitation, OrganisationRole
from .services.invitations import access_denied

COORDINATOR = [AreaRoleKind.COORDINATOR]


def _organisation_model():
    from samverka.registry.models import Organisation

    return Organisation


def my_area_roles(*, actor) -> QuerySet[AreaRole]:
    return AreaRole.objects.filter(user=actor).select_related("area").order_by("area__name", "role")


def my_organisation_roles(*, actor) -> QuerySet[OrganisationRole]:
    return OrganisationRole.objects.filter(user=actor).select_related("organisation").order_by("organisation__name")


def api_token_list(*, actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor).order_by("revoked_at", "-created_at")


def api_token_get(*, actor, token_id) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None or token.user_id != actor.pk:
        access_denied(actor=actor, object_type="accounts.apitoken", object_id=token_id)
    return token


def managed_areas(*, actor) -> QuerySet[Area]:
    """Areas whose roles the actor manages (a coordinator's areas and everything below them)."""
    return Area.objects.filter(access_for(actor).area_filter("path", COORDINATOR)).order_by("country", "depth", "name")


def managed_organisations(*, actor):
    access = access_for(actor)
    if not access.manages_people:
        return _organisation_model().objects.none()
    Organisation = _organisation_model()
    ids = Organisation.objects.filter(access.managed_organisations_filter()).values("pk")
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def _organisation_scope(actor, prefix: str) -> Q:
    access = access_for(actor)
    if access.is_platform_admin:
        return Q()
    return Q(**{f"{prefix}__in": managed_organisations(actor=actor).values("pk")})


def invitation_list(*, actor) -> QuerySet[Invitation]:
    access = access_for(actor)
    if not access.manages_people:
        return Invitation.objects.none()
    scope = (
        Q()
        if access.is_platform_admin
        else (access.area_filter("area__path", COORDINATOR) | _organisation_scope(actor, "organisation"))
    )
    return Invitation.objects.filter(scope).select_related("area", "organisation", "invited_by").order_by("-created_at")


def invitation_get(*, actor, invitation_id) -> Invitation:
    invitation = invitation_list(actor=actor).filter(pk=invitation_id).first()
    if invitation is None:
        access_denied(actor=actor, object_type="accounts.invitation", object_id=invitation_id)
    return invitation


def area_role_list(*, actor) -> QuerySet[AreaRole]:
    access = access_for(actor)
    return (
        AreaRole.objects.filter(access.area_filter("area__path", COORDINATOR))
        .select_related("user", "area")
        .order_by("area__name", "user__email", "role")
    )


def organisation_role_list(*, actor) -> QuerySet[OrganisationRole]:
    access = access_for(actor)
    if not access.manages_people:
        return OrganisationRole.objects.none()
    return (
        OrganisationRole.objects.filter(_organisation_scope(actor, "organisation"))
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__email")
    )


def area_role_get(*, actor, role_id) -> AreaRole:
    grant = area_role_list(actor=actor).filter(pk=role_id).first()
    if grant is None:
        access_denied(actor=actor, object_type="accounts.arearole", object_id=role_id)
    return grant


def organisation_role_get(*, actor, role_id) -> OrganisationRole:
    grant = organisation_role_list(actor=actor).filter(pk=role_id).first()
    if grant is None:
        access_denied(actor=actor, object_type="accounts.organisationrole", object_id=role_id)
    return grant

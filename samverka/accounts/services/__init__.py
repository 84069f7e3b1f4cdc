"""Writes on accounts: users and roles, MFA, API tokens, invitations. Import from here."""

from .invitations import (
    INVITATION_VALIDITY,
    InvitationUnusable,
    access_denied,
    invitation_accept,
    invitation_by_token,
    invitation_create,
    invitation_revoke,
    invitation_token,
    may_manage_target,
)
from .mfa import (
    mfa_check,
    recovery_codes_regenerate,
    recovery_codes_remaining,
    totp_device_begin,
    totp_device_confirm,
)
from .roles import (
    area_role_grant,
    area_role_revoke,
    organisation_role_grant,
    organisation_role_revoke,
    user_create,
    user_logout_everywhere,
    user_password_changed,
)
from .tokens import api_token_create, api_token_revoke

__all__ = [
    "INVITATION_VALIDITY",
    "InvitationUnusable",
    "access_denied",
    "api_token_create",
    "api_token_revoke",
    "area_role_grant",
    "area_role_revoke",
    "invitation_accept",
    "invitation_by_token",
    "invitation_create",
    "invitation_revoke",
    "invitation_token",
    "may_manage_target",
    "mfa_check",
    "organisation_role_grant",
    "organisation_role_revoke",
    "recovery_codes_regenerate",
    "recovery_codes_remaining",
    "totp_device_begin",
    "totp_device_confirm",
    "user_create",
    "user_logout_everywhere",
    "user_password_changed",
]

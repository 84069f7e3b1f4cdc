"""Users, their roles scoped to an area or an organisation, API tokens and invitations."""

import hashlib
import secrets
from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverka.core.models import BaseModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin, BaseModel):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # is_staff opens Django admin; only platform admins have it.
    is_staff = models.BooleanField(_("platform admin"), default=False)
    home_area = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("home area")
    )
    preferred_language = models.CharField(_("preferred language"), max_length=5, blank=True)
    # Bumped by "log out everywhere": sessions carrying an older epoch are ended.
    session_epoch = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and self.is_superuser


class AreaRoleKind(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    OFFICER = "officer", _("Officer")
    VIEWER = "viewer", _("Viewer")


class Capability(models.TextChoices):
    GRANTS = "grants", _("Grants")
    PROCUREMENT = "procurement", _("Procurement")
    VOUCHERS = "vouchers", _("Vouchers")
    PREMISES = "premises", _("Premises")
    REFERRALS = "referrals", _("Referrals")


class OrganisationRoleKind(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")


class AreaRole(BaseModel):
    """A role in an area; it covers the area's child areas too."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="area_roles")
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=AreaRoleKind.choices)
    capabilities = models.JSONField(_("capabilities"), default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "area", "role"], name="arearole_unique")]
        verbose_name = _("area role")
        verbose_name_plural = _("area roles")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.area}"


class OrganisationRole(BaseModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="organisation_roles")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=OrganisationRoleKind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="orgrole_unique")]
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(BaseModel):
    """A personal API token. Only its SHA-256 is stored; the raw value is shown once."""

    PREFIX = "svk_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    last_four = models.CharField(max_length=4)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} (…{self.last_four})"

    @classmethod
    def generate_raw(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class RecoveryCode(BaseModel):
    """One single-use MFA recovery code of a person's recovery device. Only a hash is kept: the SHA-256 of the
    normalised code (120 random bits, so a fast hash is enough), or a salted password hash for a short code made
    before codes were hashed (40 bits, converted by migration 0004)."""

    device = models.ForeignKey("otp_static.StaticDevice", on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=200)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["device", "code_hash"], name="accounts_recovery_device_hash")]
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return str(self.pk)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")


class Invitation(BaseModel):
    """An invitation by e-mail to an area role or an organisation role."""

    email = models.EmailField(_("e-mail address"))
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    area_role = models.CharField(max_length=20, choices=AreaRoleKind.choices, blank=True)
    capabilities = models.JSONField(default=list, blank=True)
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation_role = models.CharField(max_length=20, choices=OrganisationRoleKind.choices, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(max_length=5, blank=True)
    # Set once the e-mail went out, so a task that runs twice sends one e-mail.
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.email

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.status == InvitationStatus.PENDING and not self.is_expired

    @property
    def target(self):
        return self.area if self.area_id else self.organisation

    def get_role_display(self) -> str:
        if self.area_id:
            return str(AreaRoleKind(self.area_role).label)
        return str(OrganisationRoleKind(self.organisation_role).label)

"""Forms for the account pages: shape only; the rules live in services."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverka.areas.models import Area

from .models import AreaRoleKind, Capability, OrganisationRoleKind

if TYPE_CHECKING:
    from samverka.registry.models import Organisation


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": _(
            "The e-mail address or password is not right. Both are case-sensitive apart from the e-mail address."
        ),
        "inactive": _("This account is not active."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("The six-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class ConfirmTotpForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("Enter the six-digit code your authenticator app shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “Grants sync”."))
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        help_text=_("Leave empty for a token that does not expire."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_expires_on(self):
        value = self.cleaned_data.get("expires_on")
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError(_("The expiry must be in the future."))
        return value

    def expires_at(self):
        value = self.cleaned_data.get("expires_on")
        if value is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(value, datetime.time(23, 59, 59)))


class InviteForm(forms.Form):
    TARGETS = [("area", _("A role in an area")), ("organisation", _("A role in an organisation"))]

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    target = forms.ChoiceField(label=_("Invite to"), choices=TARGETS, widget=forms.RadioSelect, initial="area")
    # Any area id is accepted here; whether the inviter may use it is the service's decision (404 + audit).
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.all(), required=False)
    area_role = forms.ChoiceField(label=_("Area role"), choices=[("", "—"), *AreaRoleKind.choices], required=False)
    capabilities = forms.MultipleChoiceField(
        label=_("Officer capabilities"),
        choices=Capability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for officers: what they work with."),
    )
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None, required=False
    )
    organisation_role = forms.ChoiceField(
        label=_("Organisation role"), choices=[("", "—"), *OrganisationRoleKind.choices], required=False
    )

    def __init__(self, *args, areas, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        from samverka.registry.models import Organisation

        self.fields["organisation"].queryset = Organisation.objects.all()
        # Offer only what the inviter manages.
        self.fields["area"].widget.choices = [("", "—")] + [(a.pk, a.display_name) for a in areas]
        self.fields["organisation"].widget.choices = [("", "—")] + [(o.pk, o.display_name) for o in organisations]
        if not areas:
            self.fields["target"].initial = "organisation"

    def clean(self):
        data = super().clean()
        if data.get("target") == "area":
            if not data.get("area"):
                self.add_error("area", _("Choose an area."))
            if not data.get("area_role"):
                self.add_error("area_role", _("Choose a role."))
        elif data.get("target") == "organisation":
            if not data.get("organisation"):
                self.add_error("organisation", _("Choose an organisation."))
            if not data.get("organisation_role"):
                self.add_error("organisation_role", _("Choose a role."))
        return data


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        help_text=_("At least 10 characters, not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data

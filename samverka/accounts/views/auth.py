"""Log in and out, "my account", password change and reset."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import selectors
from ..access import access_for
from ..forms import LoginForm
from ..models import User
from ..services import recovery_codes_remaining, user_logout_everywhere, user_password_changed
from .common import remember_epoch


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)  # django.contrib.auth.login() rotates the session key
        remember_epoch(self.request, form.get_user())
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET). Asks the browser to drop its cached pages and the page
    storage of this site, so nothing private is left on a shared computer."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


@require_POST
@login_required
def logout_everywhere(request):
    user_logout_everywhere(actor=request.user, user=request.user)
    # This session stays (its clocks run on); every other one ends on its next request.
    remember_epoch(request, request.user, signed_in=False)
    messages.success(request, _("You are now logged out on every other device and browser."))
    return redirect("accounts:home")


@login_required
def home(request):
    user = request.user
    access = access_for(user)
    context = {
        "area_roles": selectors.my_area_roles(actor=user),
        "organisation_roles": selectors.my_organisation_roles(actor=user),
        "mfa_enabled": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "mfa_verified": user.is_verified(),
        "mfa_required": access.is_staff_role,
        "recovery_remaining": recovery_codes_remaining(user),
        "token_count": selectors.api_token_list(actor=user).filter(revoked_at__isnull=True).count(),
        "manages_people": access.manages_people,
        "is_coordinator": access.is_coordinator,
    }
    return render(request, "accounts/home.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        with transaction.atomic():  # the new password and its audit event together
            response = super().form_valid(form)
            user_password_changed(actor=form.user, user=form.user, how="change")
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    extra_email_context = {"site_name": settings.SAMVERKA_SITE_NAME}
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class: "type[SetPasswordForm[User]]" = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        with transaction.atomic():  # the new password and its audit event together
            response = super().form_valid(form)
            user_password_changed(actor=form.user, user=form.user, how="reset")
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def login_url_with_next(path: str) -> str:
    from urllib.parse import urlencode

    return f"{reverse('accounts:login')}?{urlencode({'next': path})}"

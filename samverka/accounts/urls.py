from django.urls import path

from .views import auth, invitations, mfa, roles, tokens

app_name = "accounts"
urlpatterns = [
    path("", auth.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("logout-everywhere/", auth.logout_everywhere, name="logout_everywhere"),
    path("password/change/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/reset/done/", auth.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("mfa/setup/", mfa.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", mfa.mfa_verify, name="mfa_verify"),
    path("mfa/recovery-codes/", mfa.mfa_recovery, name="mfa_recovery"),
    path("tokens/", tokens.tokens, name="tokens"),
    path("tokens/<uuid:token_id>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("invite/", invitations.invite, name="invite"),
    path("invitations/", invitations.invitations, name="invitations"),
    path("invitations/<uuid:invitation_id>/revoke/", invitations.invitation_revoke_view, name="invitation_revoke"),
    path("invitations/<str:token>/", invitations.accept_invitation, name="accept_invitation"),
    path("roles/", roles.roles, name="roles"),
    path("roles/<str:kind>/<uuid:role_id>/revoke/", roles.role_revoke, name="role_revoke"),
]

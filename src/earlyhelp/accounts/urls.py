from django.urls import path

from earlyhelp.accounts import mfa_views, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("sign-in/security-code/", mfa_views.verify, name="mfa_verify"),
    path("sign-in/set-up-authenticator/", mfa_views.set_up, name="mfa_set_up"),
    path("account/recovery-codes/", mfa_views.recovery_codes, name="mfa_recovery_codes"),
    path("session/keep-alive/", mfa_views.keep_alive, name="session_keep_alive"),
]

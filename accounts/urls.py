from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import api_token_views, forms, language_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("signed-out/", views.signed_out_view, name="signed-out"),
    path("sign-in/council/", views.sso_start_view, name="sso-start"),
    path("sign-in/council/callback/", views.sso_callback_view, name="sso-callback"),
    path("single-sign-on/", views.sso_settings_view, name="sso-settings"),
    path("organisation/", views.choose_organisation_view, name="choose-organisation"),
    path("organisation/language/", language_views.organisation_language_view, name="organisation-language"),
    path("language/", language_views.language_view, name="language"),
    path("two-factor/", views.two_factor_view, name="two-factor"),
    path("two-factor/set-up/", views.two_factor_setup_view, name="two-factor-setup"),
    path("two-factor/code/", views.two_factor_verify_view, name="two-factor-verify"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=forms.QueuedPasswordResetForm,
            template_name="accounts/password_reset.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password-reset-done"),
        ),
        name="password-reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password-reset-complete",
    ),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password-change-done")
        ),
        name="password-change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password-change-done",
    ),
    path("invitation/<uidb64>/<token>/", views.accept_invitation_view, name="accept-invitation"),
    path("invitations/", views.invitations_view, name="invitations"),
    path("invitations/<int:pk>/accept/", views.invitation_accept_view, name="invitation-accept"),
    path("invitations/<int:pk>/decline/", views.invitation_decline_view, name="invitation-decline"),
    path("notifications/", views.notification_settings_view, name="notification-settings"),
    path("notifications/inbox/", views.notification_inbox_view, name="notification-inbox"),
    path("notifications/inbox/read-all/", views.notification_read_all_view, name="notification-read-all"),
    path("notifications/inbox/<int:pk>/read/", views.notification_read_view, name="notification-read"),
    path("people/", views.people_view, name="people"),
    path("people/invite/", views.person_invite_view, name="person-invite"),
    path("people/<int:pk>/", views.person_detail_view, name="person-detail"),
    path("people/<int:pk>/role/", views.person_change_role_view, name="person-change-role"),
    path("people/<int:pk>/deactivate/", views.person_deactivate_view, name="person-deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate_view, name="person-reactivate"),
    path("people/<int:pk>/withdraw/", views.person_withdraw_view, name="person-withdraw"),
    path("people/<int:pk>/two-factor/reset/", views.person_two_factor_reset_view, name="person-two-factor-reset"),
    path("api-tokens/", api_token_views.token_list_view, name="tokens"),
    path("api-tokens/new/", api_token_views.token_create_view, name="token-create"),
    path("api-tokens/<int:pk>/revoke/", api_token_views.token_revoke_view, name="token-revoke"),
]

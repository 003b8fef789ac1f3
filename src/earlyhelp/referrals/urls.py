from django.urls import include, path

from earlyhelp.referrals import public_urls, views

app_name = "referrals"
urlpatterns = [
    path("refer/", include(public_urls.urlpatterns)),
    path("referrals/", views.queue, name="queue"),
    path("referrals/new/", views.new, name="new"),
    path("referrals/<uuid:referral_id>/", views.detail, name="detail"),
    path(
        "referrals/<uuid:referral_id>/attachments/<uuid:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
]

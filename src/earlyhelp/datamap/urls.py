from django.urls import path

from earlyhelp.datamap import views

app_name = "datamap"
urlpatterns = [
    path("privacy-notice/", views.privacy_notice, name="privacy_notice"),
    path("privacy-notice/versions/", views.notice_versions, name="notice_versions"),
    path(
        "privacy-notice/v/<int:version>/",
        views.privacy_notice_version,
        name="privacy_notice_version",
    ),
    path("data-map/", views.register, name="register"),
]

from django.urls import URLPattern, URLResolver, path

from earlyhelp.sharing.packages import views

app_name = "packages"

PACKAGES = "families/<uuid:family_id>/disclosure-packages/"
PACKAGE = PACKAGES + "<uuid:package_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("disclosure-packages/approvals/", views.approvals, name="approvals"),
    path(PACKAGES, views.family_packages, name="list"),
    path(PACKAGES + "new/", views.create, name="create"),
    path(PACKAGE, views.detail, name="detail"),
    path(PACKAGE + "submit/", views.submit, name="submit"),
    path(PACKAGE + "decision/", views.decide, name="decide"),
    path(PACKAGE + "release/", views.release, name="release"),
    path(PACKAGE + "package.zip", views.download, name="download"),
]

from django.urls import URLPattern, URLResolver, path

from earlyhelp.sharing.partner import views

app_name = "partner"

FAMILY = "partner/families/<uuid:family_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("partner/", views.families, name="families"),
    path(FAMILY, views.family, name="family"),
    path(FAMILY + "actions/<uuid:action_id>/", views.action_status, name="action_status"),
    path(FAMILY + "contributions/new/", views.contribution, name="contribution"),
]

from django.urls import path

from earlyhelp.audit import views

app_name = "audit"
urlpatterns = [
    path("access/", views.access_lookup, name="access_lookup"),
    path("access/<uuid:family_id>/", views.family_access, name="family_access"),
]

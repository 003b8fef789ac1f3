from django.urls import path

from earlyhelp.audit import views

app_name = "audit"
urlpatterns = [
    path("access/", views.access_lookup, name="access_lookup"),
    path("access/<uuid:family_id>/", views.family_access, name="family_access"),
    path("denials/", views.denials, name="denials"),
    path("denials/<uuid:alert_id>/", views.denial, name="denial"),
]

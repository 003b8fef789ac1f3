from django.urls import path

from earlyhelp.partners import views

app_name = "partners"
urlpatterns = [
    path("partners/", views.directory, name="list"),
    path("partners/new/", views.new, name="new"),
    path("partners/<uuid:organisation_id>/", views.detail, name="detail"),
    path("partners/changes/<uuid:change_id>/decide/", views.change_decide, name="change_decide"),
    path("partners/<uuid:organisation_id>/edit/", views.edit, name="edit"),
    path(
        "partners/<uuid:organisation_id>/contacts/new/",
        views.contact_new,
        name="contact_new",
    ),
    path(
        "partners/<uuid:organisation_id>/contacts/<uuid:contact_id>/edit/",
        views.contact_edit,
        name="contact_edit",
    ),
]

from django.urls import URLPattern, URLResolver, path

from earlyhelp.casework.contacts import views

app_name = "contacts"
_CONTACT = "families/<uuid:family_id>/contacts/<uuid:contact_id>/"
urlpatterns: list[URLPattern | URLResolver] = [
    path("families/<uuid:family_id>/contacts/", views.contact_list, name="list"),
    path("families/<uuid:family_id>/contacts/new/", views.new, name="new"),
    path(_CONTACT, views.detail, name="detail"),
    path(f"{_CONTACT}correct/", views.correct, name="correct"),
    path(f"{_CONTACT}delete/", views.delete, name="delete"),
    path(
        f"{_CONTACT}attachments/<uuid:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
]

from django.urls import path

from earlyhelp.casework import views

app_name = "casework"
urlpatterns = [
    path("<uuid:family_id>/", views.family, name="family"),
    path("<uuid:family_id>/reallocate/", views.reallocate, name="reallocate"),
    path("<uuid:family_id>/close/", views.close, name="close"),
]

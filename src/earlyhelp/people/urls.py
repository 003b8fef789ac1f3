from django.urls import path

from earlyhelp.people import views

app_name = "people"
urlpatterns = [path("search/", views.search, name="search")]

from django.urls import URLPattern, URLResolver

app_name = "outcomes"
urlpatterns: list[URLPattern | URLResolver] = []

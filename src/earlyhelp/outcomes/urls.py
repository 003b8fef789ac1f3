from django.urls import path

from earlyhelp.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("families/<uuid:family_id>/outcomes/", views.rate, name="rate"),
    path(
        "families/<uuid:family_id>/outcome-ratings/<uuid:rating_id>/",
        views.rating,
        name="rating",
    ),
    path(
        "families/<uuid:family_id>/sustain-checks/<uuid:check_id>/",
        views.sustain_check,
        name="sustain_check",
    ),
    path("sustain-checks/due/", views.sustain_due, name="sustain_due"),
    path("families/<uuid:family_id>/claim/", views.claim, name="claim"),
]

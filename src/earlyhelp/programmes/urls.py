from django.urls import path

from earlyhelp.programmes import family_views, views

app_name = "programmes"
urlpatterns = [
    path("programmes/", views.programme_list, name="list"),
    path("programmes/new/", views.programme_new, name="new"),
    path("programmes/<uuid:programme_id>/", views.programme_detail, name="detail"),
    path("programmes/<uuid:programme_id>/sessions/new/", views.session_new, name="session_new"),
    path(
        "programmes/<uuid:programme_id>/sessions/<uuid:session_id>/register/",
        views.register,
        name="register",
    ),
    path(
        "programmes/<uuid:programme_id>/enrolments/<uuid:enrolment_id>/complete/",
        views.complete,
        name="complete",
    ),
    path("families/<uuid:family_id>/programmes/enrol/", family_views.enrol, name="enrol"),
    path(
        "families/<uuid:family_id>/enrolments/<uuid:enrolment_id>/",
        family_views.enrolment,
        name="enrolment",
    ),
    path(
        "families/<uuid:family_id>/observations/",
        family_views.observations,
        name="observations",
    ),
    path(
        "families/<uuid:family_id>/observations/new/",
        family_views.observation_new,
        name="observation_new",
    ),
    path(
        "families/<uuid:family_id>/observations/<uuid:observation_id>/",
        family_views.observation,
        name="observation",
    ),
]

from django.urls import URLPattern, URLResolver, path

from earlyhelp.assessments import views

app_name = "assessments"

_ONE = "families/<uuid:family_id>/assessments/<uuid:assessment_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("families/<uuid:family_id>/assessments/", views.assessment_list, name="list"),
    path("families/<uuid:family_id>/assessments/new/", views.new, name="new"),
    path(_ONE, views.detail, name="detail"),
    path(_ONE + "edit/", views.edit, name="edit"),
    path(_ONE + "needs/new/", views.need_new, name="need_new"),
    path(_ONE + "needs/<uuid:need_id>/", views.need_edit, name="need_edit"),
    path(_ONE + "needs/<uuid:need_id>/remove/", views.need_remove, name="need_remove"),
    path(_ONE + "submit/", views.submit, name="submit"),
    path(_ONE + "authorise/", views.authorise, name="authorise"),
    path(_ONE + "return/", views.return_to_draft, name="return"),
    path("assessments/awaiting-authorisation/", views.awaiting, name="awaiting"),
    path("assessments/headlines/", views.headlines, name="headlines"),
    path("assessments/headlines/<slug:code>/", views.headline_edit, name="headline_edit"),
]

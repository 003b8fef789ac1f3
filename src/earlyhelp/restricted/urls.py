from django.urls import path

from earlyhelp.restricted import views

app_name = "restricted"
urlpatterns = [
    path("", views.find, name="find"),
    path("families/<uuid:family_id>/", views.manage, name="manage"),
    path("families/<uuid:family_id>/lift/", views.lift, name="lift"),
    path("families/<uuid:family_id>/break-glass/", views.break_glass, name="break_glass"),
    path("people/<uuid:person_id>/", views.person_manage, name="person"),
    path("people/<uuid:person_id>/lift/", views.person_lift, name="person_lift"),
    path("break-glass/", views.review_list, name="review_list"),
    path("break-glass/<uuid:access_id>/", views.review, name="review"),
]

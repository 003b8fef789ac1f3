from django.urls import URLPattern, URLResolver, path

from earlyhelp.plans import views

app_name = "plans"

PLAN = "families/<uuid:family_id>/plans/<uuid:plan_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("plans/reviews-due/", views.reviews_due, name="reviews_due"),
    path("families/<uuid:family_id>/plans/", views.family_plans, name="list"),
    path("families/<uuid:family_id>/plans/new/", views.new, name="new"),
    path(PLAN, views.detail, name="detail"),
    path(
        "families/<uuid:family_id>/plan-versions/<uuid:version_id>/",
        views.version,
        name="version",
    ),
    path(PLAN + "outcomes/new/", views.outcome_new, name="outcome_new"),
    path(PLAN + "outcomes/<uuid:outcome_id>/", views.outcome_edit, name="outcome_edit"),
    path(PLAN + "actions/new/", views.action_new, name="action_new"),
    path(PLAN + "actions/<uuid:action_id>/status/", views.action_status, name="action_status"),
    path(PLAN + "members/new/", views.member_new, name="member_new"),
    path(PLAN + "review/", views.review, name="review"),
    path(
        "families/<uuid:family_id>/plan-reviews/<uuid:review_id>/",
        views.review_detail,
        name="review_detail",
    ),
    path(PLAN + "objection/", views.objection, name="objection"),
    path(PLAN + "share/", views.share, name="share"),
    path(PLAN + "print/", views.print_plan, name="print"),
    path(PLAN + "plan.pdf", views.pdf, name="pdf"),
]

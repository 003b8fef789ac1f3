from django.urls import URLPattern, URLResolver, path

from earlyhelp.sharing import views

app_name = "sharing"

FAMILY = "families/<uuid:family_id>/"
AGREEMENT = FAMILY + "agreements/<uuid:agreement_id>/"
DECISION = FAMILY + "sharing-decisions/<uuid:decision_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("sharing/authorisations/overdue/", views.overdue, name="overdue"),
    path(FAMILY + "agreements/", views.agreements, name="agreements"),
    path(FAMILY + "agreements/new/", views.agreement_new, name="agreement_new"),
    path(AGREEMENT, views.agreement, name="agreement"),
    path(AGREEMENT + "withdraw/", views.agreement_withdraw, name="agreement_withdraw"),
    path(AGREEMENT + "signed-form", views.signed_form, name="signed_form"),
    path(FAMILY + "sharing-decisions/", views.decisions, name="decisions"),
    path(FAMILY + "sharing-decisions/new/", views.decision_new, name="decision_new"),
    path(DECISION, views.decision, name="decision"),
    path(DECISION + "authorise/", views.authorise, name="authorise"),
    path(FAMILY + "disclosure-log/", views.log, name="log"),
    path(FAMILY + "disclosure-log/<uuid:person_id>/", views.person_log, name="person_log"),
]

from django.urls import include, path

from earlyhelp.api import api

urlpatterns = [
    path("", include("earlyhelp.core.urls")),
    path("", include("earlyhelp.accounts.urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),  # single sign-on; 404 while it is off
    path("", include("earlyhelp.datamap.urls")),
    path("people/", include("earlyhelp.people.urls")),
    path("families/", include("earlyhelp.casework.urls")),
    path("", include("earlyhelp.casework.dashboard_urls")),
    path("", include("earlyhelp.referrals.urls")),
    path("audit/", include("earlyhelp.audit.urls")),
    # Each of these apps' urls.py holds full paths (mostly under families/<id>/).
    path("", include("earlyhelp.casework.contacts.urls")),
    path("", include("earlyhelp.assessments.urls")),
    path("", include("earlyhelp.plans.urls")),
    path("", include("earlyhelp.partners.urls")),
    path("", include("earlyhelp.programmes.urls")),
    path("", include("earlyhelp.outcomes.urls")),
    path("", include("earlyhelp.sharing.partner.urls")),
    path("", include("earlyhelp.sharing.urls")),
    path("", include("earlyhelp.sharing.packages.urls")),
    path("restricted/", include("earlyhelp.restricted.urls")),
    path("api/v1/", api.urls),
]

handler400 = "earlyhelp.core.views.bad_request"
handler403 = "earlyhelp.core.views.forbidden"
handler404 = "earlyhelp.core.views.not_found"
handler500 = "earlyhelp.core.views.server_error"

from django.urls import path

from earlyhelp.casework import dashboard_views

app_name = "dashboards"
urlpatterns = [
    path("caseload/", dashboard_views.caseload, name="caseload"),
    path("team-dashboard/", dashboard_views.team_dashboard, name="team"),
]

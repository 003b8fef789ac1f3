"""The service navigation links a user sees, from their roles."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import can_manage_privacy_notice, can_view_data_map, has_role
from earlyhelp.assessments.permissions import can_configure_headlines
from earlyhelp.partners.permissions import can_view_directory
from earlyhelp.people.permissions import can_search_people
from earlyhelp.plans.permissions import can_see_reviews_due
from earlyhelp.programmes.permissions import can_view_programmes
from earlyhelp.referrals.permissions import can_record_referral, can_triage


def navigation(request: HttpRequest) -> list[dict[str, object]]:
    user = request.user
    links: list[tuple[str, str]] = [("Home", reverse("core:home"))]
    if has_role(user, Role.PARTNER):
        links.append(("Your families", reverse("partner:families")))
    if has_role(user, Role.PRACTITIONER, Role.TEAM_MANAGER):
        links.append(("My caseload", reverse("dashboards:caseload")))
    if has_role(user, Role.TEAM_MANAGER):
        links.append(("Team dashboard", reverse("dashboards:team")))
        links.append(("Packages to approve", reverse("packages:approvals")))
    if can_see_reviews_due(user):
        links.append(("Plan reviews due", reverse("plans:reviews_due")))
    if can_search_people(user):
        links.append(("Find a person", reverse("people:search")))
    if can_triage(user):
        links.append(("Referrals", reverse("referrals:queue")))
    elif can_record_referral(user):
        links.append(("Record a referral", reverse("referrals:new")))
    if can_view_programmes(user):
        links.append(("Programmes", reverse("programmes:list")))
    if can_view_directory(user):
        links.append(("Partners", reverse("partners:list")))
    if can_configure_headlines(user):
        links.append(("Headline needs", reverse("assessments:headlines")))
    if can_view_data_map(user):
        links.append(("Data map", reverse("datamap:register")))
    if has_role(user, Role.DPO, Role.TEAM_MANAGER):
        links.append(("Sharing authorisations", reverse("sharing:overdue")))
        links.append(("Access log", reverse("audit:access_lookup")))
        links.append(("Break-glass reviews", reverse("restricted:review_list")))
    if can_manage_privacy_notice(user):
        links.append(("Privacy notice", reverse("datamap:notice_versions")))
    path = request.path
    return [
        {
            "href": href,
            "text": text,
            "active": href == path or (href != "/" and path.startswith(href)),
        }
        for text, href in links
    ]

"""The break-glass alert banner on the home page of the DPO and team managers.

Only the home page pays for the query: every other page gets nothing from here, so no list
page's pinned query count moves.
"""

from __future__ import annotations

from django.http import HttpRequest

from earlyhelp.restricted.permissions import can_see_review_list
from earlyhelp.restricted.selectors import unread_notice_count


def notices(request: HttpRequest) -> dict[str, object]:
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name != "core:home":
        return {}
    if not request.user.is_authenticated or not can_see_review_list(request.user):
        return {}
    return {"restricted_notices": unread_notice_count(request.user)}

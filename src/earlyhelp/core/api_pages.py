"""Paging for API list operations that number pages strictly.

Django's ``Paginator.get_page`` answers a page past the last with the last page; these
operations answer it with no items instead, so a client paging forward sees where the list
ends rather than the same page again.
"""

from typing import Any

from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet

PER_PAGE = 25


def page_or_empty(
    items: QuerySet[Any], number: int, per_page: int = PER_PAGE
) -> "tuple[Paginator[Any], list[Any]]":
    """The paginator (for the count and the number of pages) and page ``number``'s items."""
    paginator = Paginator(items, per_page)
    try:
        return paginator, list(paginator.page(number).object_list)
    except EmptyPage:
        return paginator, []

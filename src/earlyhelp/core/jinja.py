"""The Jinja2 environment: our templates first, then the GOV.UK Frontend macros."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from earlyhelp.core import formatting
from earlyhelp.core.navigation import navigation


def link(href: str, text: object, *, classes: str = "govuk-link") -> SafeString:
    """An escaped link for table cells built in templates (``{'html': link(...)}``).

    Jinja treats Django's SafeString as markup (it has ``__html__``), so the text is escaped
    once here and not again when the cell is joined with other strings.
    """
    return format_html('<a class="{}" href="{}">{}</a>', classes, href, text)


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    loader = options.pop("loader")
    options["loader"] = ChoiceLoader(
        [
            loader,
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    options.setdefault("extensions", ["jinja2.ext.do"])
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    env = Environment(**options)  # noqa: S701  (autoescape is set in settings.TEMPLATES)
    env.globals.update(
        {
            "static": static,
            "url": url,
            "link": link,
            "csrf_token_value": get_token,
            "get_messages": get_messages,
            "now": timezone.now,
            "navigation": navigation,
            "council_name": settings.EARLYHELP_COUNCIL_NAME,
            "service_name": settings.EARLYHELP_SERVICE_NAME,
        }
    )
    env.filters.update(
        {
            "date_uk": formatting.date_uk,
            "datetime_uk": formatting.datetime_uk,
            "nhs": formatting.nhs_number,
            "yesno": formatting.yes_no,
        }
    )
    return env

"""No personal data in error pages, logs, the audit trail or URLs.

The data below is synthetic: invented names, NHS numbers from the 999 test range and
format-valid postcodes. Each is distinctive enough that finding it anywhere is a leak.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.selectors import family_record
from earlyhelp.core import views as core_views
from earlyhelp.core.identifiers import is_valid_nhs_number
from earlyhelp.core.logging import JsonFormatter, RequestContextFilter
from earlyhelp.people.selectors import SearchCriteria, search_people
from earlyhelp.referrals.services import PersonInput
from tests.factories import PASSWORD, World


def _nhs_number(prefix: str) -> str:
    """A valid NHS number in the 999 test range: the prefix plus its check digit."""
    return next(prefix + str(d) for d in range(10) if is_valid_nhs_number(prefix + str(d)))


NHS_CHILD = _nhs_number("999765432")
NHS_SIBLING = _nhs_number("999104538")
POSTCODE = "TQ9 4WU"
CHILD_FIRST, SURNAME = "Ottoline", "Quillfeather"
SIBLING_FIRST, SIBLING_SURNAME = "Peregrine", "Thistlewood"

# Every string whose presence (in any case) is a leak; the factory adds the parent's first
# name, the street and the referrer's name.
SENSITIVE = [
    CHILD_FIRST,
    SURNAME,
    SIBLING_FIRST,
    SIBLING_SURNAME,
    "Marigold",
    "Larkspur",
    "Partridge",
    NHS_CHILD,
    f"{NHS_CHILD[:3]} {NHS_CHILD[3:6]} {NHS_CHILD[6:]}",
    NHS_SIBLING,
    POSTCODE,
    POSTCODE.replace(" ", ""),
]


def leaks(text: str) -> list[str]:
    folded = text.lower()
    return [value for value in SENSITIVE if value.lower() in folded]


# --- (a) error pages ----------------------------------------------------------------------


def _request_naming_someone(user: User | AnonymousUser) -> HttpRequest:
    request = RequestFactory().get(
        f"/people/{SURNAME}/", {"name": f"{CHILD_FIRST} {SURNAME}", "nhs": NHS_CHILD}
    )
    request.user = user
    return request


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_error_pages_never_echo_the_request(world: World, signed_in: bool) -> None:
    user = world.practitioner if signed_in else AnonymousUser()
    error = Http404(f"No person called {CHILD_FIRST} {SURNAME} ({NHS_CHILD})")
    responses: list[HttpResponse] = [
        core_views.bad_request(_request_naming_someone(user), error),
        core_views.forbidden(_request_naming_someone(user), error),
        core_views.not_found(_request_naming_someone(user), error),
        core_views.server_error(_request_naming_someone(user)),
        core_views.csrf_failure(_request_naming_someone(user), reason=SURNAME),
    ]
    assert [r.status_code for r in responses] == [400, 403, 404, 500, 403]
    for response in responses:
        assert leaks(response.content.decode()) == []


@pytest.mark.django_db
def test_not_found_for_a_real_user_lists_nothing(
    world: World, login: Callable[[User], Client]
) -> None:
    world.open_family(first_name=CHILD_FIRST, last_name=SURNAME, nhs_number=NHS_CHILD)
    client = login(world.practitioner)
    for path in (f"/families/{uuid.uuid4()}/", f"/families/{SURNAME}/"):
        response = client.get(path)
        assert response.status_code == 404
        assert leaks(response.content.decode()) == []


# --- (b) logs and audit rows during a realistic flow ---------------------------------------


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.addFilter(RequestContextFilter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def captured_logs() -> Iterator[_Capture]:
    """Every log record from every logger, formatted as production formats it.

    Loggers configured quieter than DEBUG (django.request is set to ERROR) are opened up for
    the test, so records that a more verbose deployment would write are checked too.
    """
    handler = _Capture()
    root = logging.getLogger()
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    saved = [(logger, logger.level) for logger in [root, *loggers]]
    for logger, _level in saved:
        logger.setLevel(logging.DEBUG)
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for logger, level in saved:
            logger.setLevel(level)


@pytest.mark.django_db
def test_realistic_flow_leaves_no_personal_data_in_logs_or_audit(
    world: World, client: Client, captured_logs: _Capture
) -> None:
    sibling = PersonInput(
        first_name=SIBLING_FIRST,
        last_name=SIBLING_SURNAME,
        date_of_birth=date(2017, 9, 30),
        sex="male",
        role="sibling",
        nhs_number=NHS_SIBLING,
    )
    family, _ = world.open_family(
        first_name=CHILD_FIRST,
        last_name=SURNAME,
        nhs_number=NHS_CHILD,
        postcode=POSTCODE,
        extra_people=[sibling],
    )
    other_referral = world.referral(last_name=SURNAME, postcode=POSTCODE)

    # Intake search by the duty worker, by each kind of identifier.
    assert search_people(world.duty, SearchCriteria(name=f"{CHILD_FIRST} {SURNAME}"))
    assert search_people(world.duty, SearchCriteria(nhs_number=NHS_SIBLING))
    assert search_people(world.duty, SearchCriteria(postcode=POSTCODE))
    record = family_record(world.practitioner, family.pk)
    assert len(record.memberships) == 3

    # The same through the web: a sign-in attempt using a name, search, pages, a 404.
    client.post(
        reverse("accounts:login"), {"username": f"{CHILD_FIRST} {SURNAME}", "password": "x"}
    )
    assert client.login(username=world.duty.username, password=PASSWORD)
    assert client.get(reverse("people:search"), {"name": SURNAME}).status_code == 200
    assert client.get(reverse("referrals:detail", args=[other_referral.pk])).status_code == 200
    client.logout()
    assert client.login(username=world.practitioner.username, password=PASSWORD)
    assert client.get(reverse("casework:family", args=[family.pk])).status_code == 200
    assert client.get(f"/families/{uuid.uuid4()}/").status_code == 404

    # Third-party code logs with arguments and exceptions that can carry submitted values.
    logging.getLogger("django.request").warning("Bad request: %s", f"/people/{SURNAME}/")
    try:
        raise ValueError(f"{CHILD_FIRST} {SURNAME} {NHS_CHILD}")
    except ValueError:
        logging.getLogger("django.request").exception("Internal Server Error: %s", POSTCODE)

    assert len(captured_logs.lines) >= 3  # the flow did produce logs to check
    assert all(json.loads(line) for line in captured_logs.lines)  # one JSON object per line
    assert leaks("\n".join(captured_logs.lines)) == []

    rows = list(AuditEvent.objects.order_by("seq").values())
    assert len(rows) > 10
    assert leaks(json.dumps(rows, default=str, ensure_ascii=False)) == []


# --- (c) URLs -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_urls_for_family_and_referral_pages_hold_opaque_ids_only(world: World) -> None:
    family, _ = world.open_family(first_name=CHILD_FIRST, last_name=SURNAME, nhs_number=NHS_CHILD)
    referral = family.referrals.get()
    urls = [
        reverse("casework:family", args=[family.pk]),
        reverse("casework:reallocate", args=[family.pk]),
        reverse("casework:close", args=[family.pk]),
        reverse("audit:family_access", args=[family.pk]),
        reverse("referrals:detail", args=[referral.pk]),
    ]
    for url in urls:
        assert leaks(url) == []
        assert str(family.pk) in url or str(referral.pk) in url

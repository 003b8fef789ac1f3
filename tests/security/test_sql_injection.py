"""SQL injection and hostile input in searches, filters and page numbers.

Every term and parameter reaches the database only through the ORM (bound parameters, LIKE
wildcards escaped). Hostile values must answer 200, 400 or 422 -- never 500 -- and a search
must never return a row that the same user's benign searches do not: a North practitioner
sees only the North family's people, however the name is written.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from earlyhelp.accounts.services import issue_token
from earlyhelp.people.models import Family, Person
from tests.api.conftest import ApiClient
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db

LONG = "a" * 5000
# Values that would change a hand-built query: each matches no one's name.
INJECTIONS = [
    "' OR 1=1 --",
    "Ashgrove' OR '1'='1",
    "x' UNION SELECT id, first_name FROM people_person --",
    '"; DROP TABLE people_person; --',
    "_",  # LIKE's one-character wildcard, escaped
    "a_h",  # would match "Ashgrove" were "_" a wildcard
    "ash_",
]
HOSTILE = [
    *INJECTIONS,
    "%",
    "a%h",
    "\\",
    "\\%",
    "\x00",
    "Ashgrove\x00",
    "Zoë",
    "日本語 🙂",
    "\u202e",
    LONG,
]
OK_STATUSES = {200, 400, 422}


def _api(user: Any) -> ApiClient:
    return ApiClient(issue_token(actor=None, user=user))


def _page_client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _api_ids(api: ApiClient, q: str) -> set[UUID] | None:
    response = api.post("/people/search", dict(q=q))
    assert response.status_code in OK_STATUSES, (repr(q[:40]), response.status_code)
    if response.status_code != 200:
        return None
    return {UUID(row["person_id"]) for row in response.json()}


def _page_count(client: Client, name: str) -> int | None:
    response = client.post(reverse("people:search"), {"name": name})
    assert response.status_code in OK_STATUSES, (repr(name[:40]), response.status_code)
    found = re.search(r"(\d+) match(?:es)?</h2>", response.content.decode())
    return int(found.group(1)) if found else None


@pytest.fixture
def families(world: World) -> dict[str, set[UUID]]:
    """Open North (Ashgrove), open South (Birchwood): two people each."""
    north, _ = world.open_family(last_name="Ashgrove")
    south, _ = world.open_family(team=world.south, last_name="Birchwood")
    return {
        "north": set(north.members.values_list("pk", flat=True)),
        "south": set(south.members.values_list("pk", flat=True)),
    }


def test_search_terms_cannot_widen_a_search(world: World, families: dict[str, set[UUID]]) -> None:
    pat, duty = world.practitioner, world.duty
    people_before = Person.objects.count()
    for user, sees in ((pat, families["north"]), (duty, families["north"] | families["south"])):
        api, page = _api(user), _page_client(user)
        # Benign searches: what this user may see.
        assert _api_ids(api, "Ashgrove") == families["north"]
        assert _api_ids(api, "Birchwood") == (families["south"] if user is duty else set())
        assert _page_count(page, "Ashgrove") == 2
        for term in INJECTIONS:
            assert not _api_ids(api, term), repr(term)
            assert not _page_count(page, term), repr(term)
        for term in HOSTILE:
            found = _api_ids(api, term)
            assert found is None or found <= sees, repr(term[:40])
            count = _page_count(page, term)
            assert count is None or count <= len(sees), repr(term[:40])
        # Accents and case fold; the unicode name is found, by this user only where allowed.
        assert _api_ids(api, "ZOË ASHGROVE") == {
            p for p in families["north"] if Person.objects.get(pk=p).first_name == "Zoë"
        }
    # Nothing was dropped or changed.
    assert Person.objects.count() == people_before
    assert "people_person" in connection.introspection.table_names()


def test_too_long_and_nul_terms_are_refused_as_input_errors(
    world: World, families: dict[str, set[UUID]]
) -> None:
    api = _api(world.practitioner)
    assert api.post("/people/search", dict(q=LONG)).status_code == 422
    response = _page_client(world.practitioner).post(reverse("people:search"), {"name": LONG})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    for term in ("\x00", "Ash\x00grove"):
        assert api.post("/people/search", dict(q=term)).status_code in {200, 422}
        assert api.post("/people/search", dict(postcode=term)).status_code == 422
        assert api.post("/people/search", dict(nhs_number=term)).status_code == 422


def test_a_name_of_only_punctuation_does_not_list_everyone(
    world: World, families: dict[str, set[UUID]]
) -> None:
    api = _api(world.duty)
    for term in ("%", "*", "!!", "\\", "%%%"):
        found = _api_ids(api, term)
        assert not found, (term, len(found or ()))


def _hostile_params(values: dict[str, str]) -> list[dict[str, str]]:
    return [{key: value for key in values} for value in HOSTILE if value != LONG] + [
        {key: LONG for key in values},
        {key: "99999999999999999999" for key in values},
        {key: "-1" for key in values},
        {key: "1 OR 1=1" for key in values},
    ]


def test_filters_and_page_numbers_never_fail_with_a_server_error(
    world: World, families: dict[str, set[UUID]]
) -> None:
    pat = world.practitioner
    family = Family.objects.get(members__pk=next(iter(families["north"])))
    f = {"family_id": family.pk}
    page = _page_client(pat)
    api = _api(pat)
    pages = [
        (page, reverse("casework:family", kwargs=f), {"kind": "", "person": "", "page": ""}),
        (page, reverse("contacts:list", kwargs=f), {"person": "", "page": ""}),
        (page, reverse("dashboards:caseload"), {"page": ""}),
        (page, reverse("partners:list"), {"name": "", "kind": "", "page": ""}),
        (_page_client(world.dpo), reverse("audit:family_access", kwargs=f), {"page": ""}),
    ]
    family_path = f"/families/{family.pk}"
    apis = [
        (f"{family_path}/timeline", {"kind": "", "person": "", "page": ""}),
        (f"{family_path}/contacts", {"person": "", "page": ""}),
        (f"{family_path}/observations", {"person_id": "", "page": ""}),
        (f"{family_path}/disclosure-log", {"person": "", "page": ""}),
        ("/caseload", {"page": ""}),
        ("/partners", {"name": "", "kind": "", "page": ""}),
        ("/programmes", {"page": ""}),
    ]
    unfiltered = (
        page.get(reverse("casework:family", kwargs=f)).content.decode().count("govuk-summary-card")
    )
    failures = []
    for client, path, keys in pages:
        for params in _hostile_params(keys):
            response = client.get(path, params)
            if response.status_code not in OK_STATUSES:
                failures.append(f"{path} {sorted(params)}={next(iter(params.values()))[:20]!r}")
    manager = _page_client(world.manager)
    for params in _hostile_params({"page": "", "show": ""}):
        if manager.get(reverse("referrals:queue"), params).status_code == 500:
            failures.append(f"referrals queue {params['page'][:20]!r}")
    for path, keys in apis:
        for params in _hostile_params(keys):
            response = api.get(path, **params)
            if response.status_code not in OK_STATUSES:
                failures.append(
                    f"api {path} {next(iter(params.values()))[:20]!r}: {response.status_code}"
                )
    assert not failures, "\n".join(failures)
    # A hostile filter is ignored, not widened: the same timeline as without one.
    filtered = page.get(reverse("casework:family", kwargs=f), {"kind": "' OR 1=1 --"})
    assert filtered.content.decode().count("govuk-summary-card") == unfiltered

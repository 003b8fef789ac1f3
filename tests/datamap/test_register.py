"""The register of personal data at /data-map/, built from the models' declarations."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from earlyhelp.accounts.models import User
from earlyhelp.core.datamap import Category
from earlyhelp.core.external_datamap import all_declarations
from earlyhelp.datamap.selectors import data_register, register_rows
from tests.factories import World

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


@pytest.mark.parametrize("role", ["dpo", "admin"])
def test_register_visible_to_dpo_and_admin(world: World, login: Login, role: str) -> None:
    response = login(getattr(world, role)).get(reverse("datamap:register"))
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1


@pytest.mark.parametrize("role", ["practitioner", "manager", "duty", "analyst", "partner"])
def test_register_forbidden_to_other_roles(world: World, login: Login, role: str) -> None:
    assert login(getattr(world, role)).get(reverse("datamap:register")).status_code == 403


def test_register_redirects_anonymous_to_login(client: Client) -> None:
    response = client.get(reverse("datamap:register"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_register_lists_every_declared_model(world: World, login: Login) -> None:
    html = login(world.dpo).get(reverse("datamap:register")).content.decode()
    found = all_declarations()
    assert found, "the project declares its models"
    for declaration in found:
        assert declaration.label in html
        if not declaration.personal:
            assert declaration.reason is not None
            assert declaration.reason.replace("'", "&#39;") in html
    for category in Category:
        assert f'id="category-{category.value}"' in html
    # Cell markup is rendered, not shown as escaped text.
    assert "&lt;span" not in html and '<br><span class="govuk-body-s">people.Person' in html


def test_register_groups_models_by_category() -> None:
    register = data_register()
    by_category = {
        group.category: {entry.declaration.label for entry in group.entries}
        for group in register.categories
    }
    assert "people.Person" in by_category[Category.NHS_NUMBER]
    # Exactly the declarations, one entry per model x category, nothing hand-kept.
    expected = {(d.label, c) for d in all_declarations() if d.personal for c in d.categories}
    assert {(e.declaration.label, e.category) for e in register.entries} == expected
    assert {d.label for d in register.not_personal} == {
        d.label for d in all_declarations() if not d.personal
    }
    assert "datamap.PrivacyNotice" in {d.label for d in register.not_personal}


def test_register_page_shows_person_under_nhs_number(world: World, login: Login) -> None:
    html = login(world.dpo).get(reverse("datamap:register")).content.decode()
    section = html.split('id="category-nhs_number"', 1)[1].split("<h2", 1)[0]
    assert "people.Person" in section
    assert "UK GDPR Art 6(1)(e): public task" in section


def test_register_names_the_fields_encrypted_at_rest(world: World, login: Login) -> None:
    rows = {(row["model"], row["category"]): row for row in register_rows()}
    assert rows[("people.Person", "nhs_number")]["encrypted_fields"] == "nhs_number"
    assert rows[("casework.Contact", "case_file")]["encrypted_fields"] == "note"
    assert rows[("people.Address", "housing")]["encrypted_fields"] == ""
    html = login(world.dpo).get(reverse("datamap:register")).content.decode()
    assert "Encrypted at rest" in html and "child_views, parent_views" in html


DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "earlyhelp_cache",
    }
}
# The installed apps' tables: declared in earlyhelp/datamap/external.py, since their classes
# are not ours to edit.
THIRD_PARTY = {
    "sessions.Session": "django.contrib.sessions",
    "axes.AccessAttempt": "axes",
    "axes.AccessLog": "axes",
    "axes.AccessFailureLog": "axes",
    "otp_totp.TOTPDevice": "django_otp.plugins.otp_totp",
    "otp_static.StaticDevice": "django_otp.plugins.otp_static",
    "otp_static.StaticToken": "django_otp.plugins.otp_static",
    "table earlyhelp_cache": "django.core.cache",
}


def test_register_shows_the_installed_apps_tables(
    world: World, login: Login, settings: object
) -> None:
    settings.CACHES = DATABASE_CACHE  # type: ignore[attr-defined]
    html = login(world.dpo).get(reverse("datamap:register")).content.decode()
    section = html.split('id="category-personal_details"', 1)[1].split("<h2", 1)[0]
    for label, app in THIRD_PARTY.items():
        assert label in section
        assert f"From {app}" in section
    # The public form's drafts, with the field stored encrypted.
    assert "referrals.PublicReferralDraft" in section
    not_personal = html.split('id="not-personal"', 1)[1]
    assert "contenttypes.ContentType" in not_personal and "auth.Permission" in not_personal
    # Nothing of the project is labelled as coming from elsewhere.
    assert "From earlyhelp" not in html


def test_export_has_the_installed_apps_tables(settings: object) -> None:
    settings.CACHES = DATABASE_CACHE  # type: ignore[attr-defined]
    rows = {(row["model"], row["category"]): row for row in register_rows()}
    for label, app in THIRD_PARTY.items():
        row = rows[(label, "personal_details")]
        assert row["defined_by"] == app
        assert row["lawful_basis"] and row["retention_class"] and row["subjects"]
        assert row["retention_description"]
    assert rows[("sessions.Session", "personal_details")]["retention_class"] == "session"
    assert rows[("axes.AccessAttempt", "personal_details")]["retention_class"] == (
        "sign_in_security"
    )
    assert rows[("table earlyhelp_cache", "personal_details")]["retention_class"] == "rate_limit"
    draft = rows[("referrals.PublicReferralDraft", "health")]
    assert draft["defined_by"] == "earlyhelp" and draft["encrypted_fields"] == "answers"
    # Many-to-many tables carry their owner's declaration.
    assert rows[("accounts.User_groups", "personal_details")]["subjects"] == "user"


def test_without_a_database_cache_no_cache_table_is_listed() -> None:
    assert not any(row["model"].startswith("table ") for row in register_rows())  # type: ignore[union-attr]

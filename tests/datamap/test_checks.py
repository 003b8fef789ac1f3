"""The system check: a table without a data-map declaration fails the build.

That covers the project's models, every installed app's models (Django's sessions, axes,
django-otp, ...), the many-to-many tables Django creates, and the database cache tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps as real_apps
from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

import earlyhelp.core.external_datamap as external
from earlyhelp.core.checks import check_data_map_declarations

DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"


def _errors(found: list[checks.CheckMessage]) -> list[checks.CheckMessage]:
    return [e for e in found if e.level >= checks.ERROR]


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An app registry holding only the models a test defines; the check reads it."""
    with isolate_apps("earlyhelp.datamap", "django.contrib.sessions") as test_apps:
        monkeypatch.setattr(external, "apps", test_apps)
        yield test_apps


def _model(class_name: str, module: str, app_label: str, **attrs: Any) -> type[models.Model]:
    return type(
        class_name,
        (models.Model,),
        {"__module__": module, "Meta": type("Meta", (), {"app_label": app_label}), **attrs},
    )


def test_every_installed_table_is_declared() -> None:
    assert check_data_map_declarations() == []


def test_the_check_covers_third_party_and_many_to_many_tables() -> None:
    checked = {m._meta.label for m in external.installed_models()}
    for label in (
        "sessions.Session",
        "axes.AccessAttempt",
        "axes.AccessLog",
        "axes.AccessFailureLog",
        "otp_totp.TOTPDevice",
        "otp_static.StaticDevice",
        "otp_static.StaticToken",
        "accounts.User_groups",
        "casework.HistoricalContact",
    ):
        assert label in checked
    assert {m._meta.label for m in real_apps.get_models(include_auto_created=True)} == checked


def test_model_without_data_map_is_an_error(isolated: Any) -> None:
    undeclared = _model(
        "Undeclared", "earlyhelp.datamap.models", "datamap", name=models.CharField(max_length=50)
    )
    errors = _errors(check_data_map_declarations())
    assert [e.id for e in errors] == ["earlyhelp.E001"]
    assert errors[0].obj is undeclared
    assert "datamap.Undeclared has no DataMap declaration" in errors[0].msg


def test_model_declared_not_personal_without_reason_is_an_error(isolated: Any) -> None:
    _model(
        "Unexplained",
        "earlyhelp.datamap.models",
        "datamap",
        DataMap=type("DataMap", (), {"personal": False}),
    )
    errors = _errors(check_data_map_declarations())
    assert [e.id for e in errors] == ["earlyhelp.E001"]
    assert "no reason" in errors[0].msg


def test_an_undeclared_third_party_model_is_an_error(isolated: Any) -> None:
    # As if a newly installed app brought a table of its own: its class is not ours to edit,
    # so it must be declared in earlyhelp/datamap/external.py before the build passes.
    visits = _model(
        "VisitorLog",
        "somevendor.models",
        "sessions",
        ip_address=models.GenericIPAddressField(),
    )
    errors = _errors(check_data_map_declarations())
    assert [e.id for e in errors] == ["earlyhelp.E001"]
    assert errors[0].obj is visits
    assert "sessions.VisitorLog has no data-map declaration" in errors[0].msg
    assert "earlyhelp/datamap/external.py" in errors[0].msg


def test_a_registered_third_party_declaration_satisfies_the_check(
    isolated: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(external, "_MODELS", dict(external._MODELS))
    _model("VisitorLog", "somevendor.models", "sessions")
    external.declare_model("sessions.VisitorLog")(
        type("VisitorLogDataMap", (), {"personal": False, "reason": "Counts only."})
    )
    assert _errors(check_data_map_declarations()) == []


def test_a_bad_third_party_declaration_is_an_error(
    isolated: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(external, "_MODELS", dict(external._MODELS))
    _model("VisitorLog", "somevendor.models", "sessions")
    external.declare_model("sessions.VisitorLog")(
        type("VisitorLogDataMap", (), {"categories": ["health"], "lawful_basis": "6(1)(e)"})
    )
    [error] = _errors(check_data_map_declarations())
    assert "sessions.VisitorLog DataMap is missing retention" in error.msg


def test_a_many_to_many_table_carries_its_owners_declaration(isolated: Any) -> None:
    tag = _model(
        "Tag",
        "earlyhelp.datamap.models",
        "datamap",
        DataMap=type("DataMap", (), {"personal": False, "reason": "Labels."}),
    )
    owner_map = type(
        "DataMap",
        (),
        {
            "categories": ["personal_details"],
            "lawful_basis": "6(1)(e)",
            "retention": "staff_account",
            "subjects": "self",
        },
    )
    _model(
        "Tagged",
        "earlyhelp.datamap.models",
        "datamap",
        tags=models.ManyToManyField(tag),
        DataMap=owner_map,
    )
    assert _errors(check_data_map_declarations()) == []
    through = isolated.get_model("datamap", "Tagged_tags")
    declared = external.declaration_for(through)
    assert declared.personal and declared.subjects == "tagged"
    assert declared.retention == "staff_account"


def test_an_undeclared_database_cache_table_is_an_error(settings: Any) -> None:
    settings.CACHES = {
        "default": {"BACKEND": DATABASE_CACHE, "LOCATION": "earlyhelp_cache"},
        "other": {"BACKEND": DATABASE_CACHE, "LOCATION": "someone_elses_cache"},
    }
    errors = _errors(check_data_map_declarations())
    assert [e.id for e in errors] == ["earlyhelp.E001"]
    assert "'someone_elses_cache' has no data-map declaration" in errors[0].msg


def test_a_declaration_for_a_model_no_longer_installed_is_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(external, "_MODELS", dict(external._MODELS))
    external.declare_model("gone.Thing")(type("ThingDataMap", (), {"personal": False}))
    found = check_data_map_declarations()
    assert [(m.id, m.msg) for m in found] == [
        ("earlyhelp.W001", "The data map declares gone.thing, which is not installed.")
    ]


def _declared(subjects: str) -> type:
    return type(
        "DataMap",
        (),
        {
            "categories": ["personal_details"],
            "lawful_basis": "6(1)(e)",
            "retention": "staff_account",
            "subjects": subjects,
        },
    )


def _note_about_a_subject(subjects: str) -> None:
    """A person-like model, and a note pointing at it whose ``subjects`` is the given text."""
    person = _model(
        "Subject",
        "earlyhelp.datamap.models",
        "datamap",
        name=models.CharField(max_length=50),
        DataMap=_declared("self"),
    )
    _model(
        "Note",
        "earlyhelp.datamap.models",
        "datamap",
        owner=models.ForeignKey(person, on_delete=models.CASCADE),
        label=models.CharField(max_length=50),
        DataMap=_declared(subjects),
    )


@pytest.mark.parametrize(
    ("subjects", "problem"),
    [
        ("owner.nmae", "has no field 'nmae'"),
        ("ownr", "has no field 'ownr'"),
        ("label.owner", "leads nowhere: it is not a relation"),
        ("owner,Owner!", "is neither a path nor a description"),
    ],
)
def test_a_subjects_path_that_cannot_be_followed_is_an_error(
    isolated: Any, subjects: str, problem: str
) -> None:
    _note_about_a_subject(subjects)
    errors = _errors(check_data_map_declarations())
    assert [e.id for e in errors] == ["earlyhelp.E005"]
    assert problem in errors[0].msg


@pytest.mark.parametrize(
    "subjects", ["owner", "owner.name", "self, owner", "the people named (linked to no record)"]
)
def test_paths_self_and_descriptions_pass(isolated: Any, subjects: str) -> None:
    _note_about_a_subject(subjects)
    assert _errors(check_data_map_declarations()) == []

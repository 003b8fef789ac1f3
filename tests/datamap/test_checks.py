"""The system check: a project model without a DataMap declaration fails the build."""

from __future__ import annotations

import pytest
from django.db import models
from django.test.utils import isolate_apps

import earlyhelp.core.datamap
from earlyhelp.core.checks import check_data_map_declarations


def test_project_models_all_declare_a_data_map() -> None:
    assert check_data_map_declarations() == []


def test_model_without_data_map_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with isolate_apps("earlyhelp.datamap") as test_apps:
        # The check reads the app registry; point it at the isolated one holding only this model.
        monkeypatch.setattr(earlyhelp.core.datamap, "apps", test_apps)
        undeclared = type(
            "Undeclared",
            (models.Model,),
            {
                "__module__": "earlyhelp.datamap.models",
                "name": models.CharField(max_length=50),
                "Meta": type("Meta", (), {"app_label": "datamap"}),
            },
        )
        errors = check_data_map_declarations()
    assert [e.id for e in errors] == ["earlyhelp.E001"]
    assert errors[0].obj is undeclared
    assert "datamap.Undeclared has no DataMap declaration" in errors[0].msg


def test_model_declared_not_personal_without_reason_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with isolate_apps("earlyhelp.datamap") as test_apps:
        monkeypatch.setattr(earlyhelp.core.datamap, "apps", test_apps)
        type(
            "Unexplained",
            (models.Model,),
            {
                "__module__": "earlyhelp.datamap.models",
                "Meta": type("Meta", (), {"app_label": "datamap"}),
                "DataMap": type("DataMap", (), {"personal": False}),
            },
        )
        errors = check_data_map_declarations()
    assert [e.id for e in errors] == ["earlyhelp.E001"]
    assert "no reason" in errors[0].msg

"""The dependency audit: strict as `make audit`, a loud warning inside `make test`.

`make test` must pass as typed on a machine that reaches the package indexes but not the
vulnerability services (issue 12, item 1), while `make audit` stays a real gate.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_audit_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_script", ROOT / "scripts" / "audit.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Its dataclasses look their module up in sys.modules while the class is built.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def audit(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    module = _load_audit_script()
    monkeypatch.setattr(module, "read_allowlist", lambda: [])
    return module


def _unreachable(module: ModuleType):  # type: ignore[no-untyped-def]
    def check(_allowed: object) -> list[str]:
        raise module.Unreachable("the advisory service answered 405")

    return check


def _clean(_allowed: object) -> list[str]:
    return []


def _vulnerable(_allowed: object) -> list[str]:
    return ["GHSA-xxxx in somepackage 1.0 (fixed in: 1.1)"]


def test_strict_audit_fails_when_it_could_not_look(audit, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(audit, "audit_python", _unreachable(audit))
    monkeypatch.setattr(audit, "audit_npm", _clean)
    assert audit.main([]) == 1
    assert "could not be reached" in capsys.readouterr().err


def test_audit_inside_make_test_warns_loudly_and_passes(audit, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(audit, "audit_python", _unreachable(audit))
    monkeypatch.setattr(audit, "audit_npm", _unreachable(audit))
    assert audit.main(["--unreachable=warn"]) == 0
    out = capsys.readouterr().out
    assert out.count("NOT CHECKED") == 2
    assert "make audit" in out


@pytest.mark.parametrize("mode", [[], ["--unreachable=warn"]])
def test_a_known_vulnerability_fails_in_both_modes(audit, monkeypatch, mode) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(audit, "audit_python", _clean)
    monkeypatch.setattr(audit, "audit_npm", _vulnerable)
    assert audit.main(mode) == 1


def test_clean_audit_passes(audit, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(audit, "audit_python", _clean)
    monkeypatch.setattr(audit, "audit_npm", _clean)
    assert audit.main([]) == 0


def _recipe(makefile: str, target: str) -> str:
    match = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)*)", makefile, re.MULTILINE)
    assert match, f"no {target} target"
    return match.group(0)


def test_make_test_runs_the_warning_audit_and_make_audit_the_strict_one() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    test_target = _recipe(makefile, "test")
    assert "audit-report" in test_target.splitlines()[0]
    assert " audit " not in f" {test_target.splitlines()[0]} "
    assert "--unreachable=warn" in _recipe(makefile, "audit-report")
    assert "--unreachable" not in _recipe(makefile, "audit")


def test_ci_types_the_readme_command_with_no_environment() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [
        line.strip()
        for line in ci.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert "make test" in commands
    assert not [line for line in commands if line.startswith("export")]
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")

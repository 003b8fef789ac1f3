"""`make audit`: known vulnerabilities in the Python and npm dependencies, with an allow-list.

Run with the project's virtualenv (``.venv/bin/python scripts/audit.py``). It checks

- every Python package that ``earlyhelp[dev]`` needs, at the version installed, with pip-audit
  (the PyPI vulnerability service), and
- package-lock.json (GOV.UK Frontend, axe-core) with ``npm audit``, failing on severity high or
  critical. GOV.UK Frontend is a devDependency only because it is copied into the static files
  at build time; its JavaScript and CSS are served to every browser, so dev packages are
  audited too.

Any vulnerability not in security/audit-allowlist.txt fails the run, and so does an allow-list
entry past its review date.

What happens when a vulnerability service cannot be reached, or cannot answer for some package,
depends on who asks:

- ``make audit`` (``scripts/audit.py``, strict): the run fails saying so. An audit that could
  not look is not a pass; this is the check to run before a release, where the services answer.
- ``make test`` (``scripts/audit.py --unreachable=warn``): a loud ``NOT CHECKED`` banner, and
  the tests go on. A newcomer's machine, or a CI runner, that reaches the package indexes but
  not the vulnerability services can still run the suite as the README types it. Anything the
  services *did* report still fails.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
ALLOWLIST = ROOT / "security" / "audit-allowlist.txt"
NPM_FAILING = {"high", "critical"}


class AuditError(Exception):
    """The audit found something, or could not run."""


class Unreachable(Exception):
    """A vulnerability service could not be asked, or could not answer."""


@dataclass(frozen=True)
class Allowed:
    vuln_id: str
    package: str
    reason: str
    review_by: date


def read_allowlist(path: Path = ALLOWLIST, today: date | None = None) -> list[Allowed]:
    today = today or date.today()
    entries: list[Allowed] = []
    problems: list[str] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = [field.strip() for field in line.split("|")]
        if len(fields) != 4 or not all(fields):
            problems.append(f"line {number}: expected 'ID | package | reason | review by date'")
            continue
        vuln_id, package, reason, review = fields
        try:
            review_by = date.fromisoformat(review)
        except ValueError:
            problems.append(f"line {number}: review date {review!r} is not YYYY-MM-DD")
            continue
        if review_by < today:
            problems.append(
                f"line {number}: {vuln_id} ({package}) was due for review on {review_by}: "
                "upgrade the package and remove the entry, or re-check the reason and move "
                "the date on"
            )
        entries.append(Allowed(vuln_id, canonicalize_name(package), reason, review_by))
    if problems:
        raise AuditError(f"{path.relative_to(ROOT)}:\n  " + "\n  ".join(problems))
    return entries


def python_requirements(project: str = "earlyhelp", extras: tuple[str, ...] = ("dev",)) -> dict:
    """Name -> installed version of every package the project (with extras) needs."""
    found: dict[str, str] = {}
    pending: list[tuple[str, tuple[str, ...]]] = [(project, extras)]
    seen: set[tuple[str, tuple[str, ...]]] = set()
    while pending:
        name, wanted_extras = pending.pop()
        if (name, wanted_extras) in seen:
            continue
        seen.add((name, wanted_extras))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError as exc:
            raise AuditError(f"{name} is required but not installed: run `make install`") from exc
        if canonicalize_name(name) != canonicalize_name(project):
            found[canonicalize_name(name)] = dist.version
        for spec in dist.requires or []:
            requirement = Requirement(spec)
            environments = [{"extra": extra} for extra in wanted_extras] or [{"extra": ""}]
            if requirement.marker is not None and not any(
                requirement.marker.evaluate(env) for env in environments
            ):
                continue
            pending.append((requirement.name, tuple(sorted(requirement.extras))))
    return found


def audit_python(allowed: list[Allowed]) -> list[str]:
    packages = python_requirements()
    with tempfile.TemporaryDirectory() as tmp:
        requirements = Path(tmp) / "requirements.txt"
        requirements.write_text(
            "".join(f"{name}=={version}\n" for name, version in sorted(packages.items())),
            encoding="utf-8",
        )
        report = Path(tmp) / "report.json"
        command = [
            sys.executable,
            "-m",
            "pip_audit",
            "--requirement",
            str(requirements),
            "--no-deps",
            "--disable-pip",
            "--progress-spinner",
            "off",
            "--format",
            "json",
            "--output",
            str(report),
        ]
        for entry in allowed:
            command += ["--ignore-vuln", entry.vuln_id]
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if not report.exists():
            raise Unreachable(
                "pip-audit could not run against the PyPI vulnerability service "
                f"(exit {result.returncode}): {_last_line(result.stderr)}"
            )
        data = json.loads(report.read_text(encoding="utf-8"))
    unaudited = [dep for dep in data["dependencies"] if dep.get("skip_reason")]
    if unaudited:
        raise Unreachable(
            f"pip-audit could not check {len(unaudited)} of {len(data['dependencies'])} Python "
            f"packages; the first: {unaudited[0]['skip_reason']}"
        )
    found = []
    for dep in data["dependencies"]:
        for vuln in dep.get("vulns", []):
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed release yet"
            aliases = ", ".join(vuln.get("aliases") or [])
            found.append(
                f"{vuln['id']} in {dep['name']} {dep['version']} (fixed in: {fixes})"
                + (f" [also {aliases}]" if aliases else "")
            )
    return found


def audit_npm(allowed: list[Allowed]) -> list[str]:
    allowed_ids = {entry.vuln_id for entry in allowed}
    try:
        result = subprocess.run(
            ["npm", "audit", "--json", "--audit-level=high"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as exc:
        raise AuditError("npm is not installed: it is needed for `make install`") from exc
    try:
        data = json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        raise Unreachable(f"npm audit gave no report: {_last_line(result.stderr)}") from exc
    if "error" in data:
        error = data["error"] if isinstance(data["error"], dict) else {}
        reason = error.get("summary") or data.get("message") or error.get("code") or "no reason"
        raise Unreachable(f"npm audit could not ask the registry's advisory service: {reason}")
    if "vulnerabilities" not in data:
        raise Unreachable("npm audit gave a report without a vulnerabilities section")
    found = set()
    for package, entry in data["vulnerabilities"].items():
        for via in entry.get("via", []):
            if not isinstance(via, dict) or via.get("severity") not in NPM_FAILING:
                continue
            advisory = str(via.get("url", "")).rstrip("/").rsplit("/", 1)[-1]
            if advisory in allowed_ids or str(via.get("source")) in allowed_ids:
                continue
            found.add(
                f"{advisory or via.get('source')} in {package} {via.get('range', '')} "
                f"({via['severity']}): {via.get('title', '')}"
            )
    return sorted(found)


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


NOT_CHECKED_BANNER = """
audit: ==================================================================
audit:  NOT CHECKED: {label}
audit:  {reason}
audit:  The dependencies were NOT checked for known vulnerabilities. Run
audit:  `make audit` on a machine that reaches the vulnerability services
audit:  before a release (see SECURITY.md, "Dependency audit").
audit: =================================================================="""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Known vulnerabilities in the dependencies")
    parser.add_argument(
        "--unreachable",
        choices=["fail", "warn"],
        default="fail",
        help="what to do when a vulnerability service cannot be asked (default: fail)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    unreachable_fails = parse_args(argv).unreachable == "fail"
    try:
        allowed = read_allowlist()
    except AuditError as exc:
        print(f"audit: FAILED: {exc}", file=sys.stderr)
        return 1
    failed = False
    for label, check in (("Python (pip-audit)", audit_python), ("npm (npm audit)", audit_npm)):
        try:
            found = check(allowed)
        except Unreachable as exc:
            if not unreachable_fails:
                print(NOT_CHECKED_BANNER.format(label=label, reason=exc))
                continue
            print(
                f"audit: FAILED: {label}: {exc}\n"
                "  The vulnerability service could not be reached or could not answer, so "
                "nothing was checked. Run `make audit` again with access to it (see "
                "SECURITY.md, \"Dependency audit\").",
                file=sys.stderr,
            )
            failed = True
            continue
        except AuditError as exc:
            print(f"audit: FAILED: {label}: {exc}", file=sys.stderr)
            failed = True
            continue
        if found:
            failed = True
            print(
                f"audit: FAILED: {label}: known vulnerabilities not in "
                f"{ALLOWLIST.relative_to(ROOT)}:\n  " + "\n  ".join(found),
                file=sys.stderr,
            )
        else:
            print(f"audit: {label}: no known vulnerabilities outside the allow-list")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

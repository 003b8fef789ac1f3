"""Real-browser fixtures: Debian's chromium driven by Playwright, axe-core, screenshots."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the test's own database calls
# are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page(request: pytest.FixtureRequest) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian chromium is missing: `make test` installs it (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        the_page = context.new_page()
        the_page.set_default_timeout(15_000)
        # The pages run under their real Content-Security-Policy (no bypass_csp): anything the
        # policy blocks is reported on the console, and Journey.check fails on it.
        csp_violations: list[str] = []
        the_page.on(
            "console",
            lambda message: (
                csp_violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        the_page.csp_violations = csp_violations  # type: ignore[attr-defined]
        yield the_page
        context.close()
        browser.close()
        # While Playwright's event loop runs in this thread, asgiref keeps Django's connections
        # in a per-context slot, not the thread's: the test's own queries open a connection
        # there that Django's teardown (run after the loop stops) cannot see. Left open, it
        # stops PostgreSQL from dropping the test database at the end of the run.
        from django.db import connections

        connections.close_all()


class Journey:
    """Checks each page with axe-core and keeps a screenshot of every step."""

    def __init__(self, page: object, name: str) -> None:
        self.page = page
        self.folder = ARTIFACTS / re.sub(r"[^\w-]+", "_", name)
        # Start empty, so the folder only ever shows this run's steps.
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.step = 0

    def check(self, label: str) -> None:
        self.step += 1
        self.page.screenshot(  # type: ignore[attr-defined]
            path=str(self.folder / f"{self.step:02d}-{label}.png"), full_page=True
        )
        violations_of_csp = getattr(self.page, "csp_violations", [])
        assert not violations_of_csp, f"{label}: blocked by the CSP: {violations_of_csp}"
        # Evaluated through the DevTools protocol, which the page's CSP does not govern;
        # add_script_tag would insert an inline <script> that the policy (rightly) blocks.
        self.page.evaluate(AXE.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
        violations = self.page.evaluate(  # type: ignore[attr-defined]
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        )
        serious = [v for v in violations if v.get("impact") in {"serious", "critical"}]
        assert not serious, f"{label}: " + "; ".join(
            f"{v['id']} at {[n['target'] for n in v['nodes']]}" for v in serious
        )


@pytest.fixture
def journey(page: object, request: pytest.FixtureRequest) -> Journey:
    return Journey(page, request.node.name)

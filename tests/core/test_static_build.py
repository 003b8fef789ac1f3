"""The GOV.UK Frontend stylesheet as scripts/build-static.sh leaves it."""

from __future__ import annotations

import re
from pathlib import Path

CSS = (
    Path(__file__).resolve().parents[2] / "src/earlyhelp/static_build/govuk/govuk-frontend.min.css"
)


def test_the_gov_uk_typeface_is_not_used():
    # GDS Transport is for GOV.UK services only; a council's service sets text in Arial.
    assert "GDS Transport" not in CSS.read_text()


def test_the_royal_crest_is_not_shown():
    assert "govuk-crest" not in CSS.read_text()


def test_every_asset_the_stylesheet_asks_for_is_served_beside_it():
    urls = re.findall(r"url\(([^)]+)\)", CSS.read_text())
    for url in urls:
        assert not url.startswith("/"), url  # absolute paths miss STATIC_URL
        assert (CSS.parent / url).is_file(), url

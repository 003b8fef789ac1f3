"""The sign-in page: a failed attempt explains itself and never echoes the password."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_failed_sign_in_keeps_the_username_but_not_the_password(world, client):
    response = client.post(
        reverse("accounts:login"), {"username": "pat", "password": "wrong-secret-typed-here"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'value="pat"' in html
    assert "wrong-secret-typed-here" not in html


def test_sign_in_sessions_end_after_thirty_idle_minutes(world, client):
    response = client.post(
        reverse("accounts:login"),
        {"username": "pat", "password": "correct-horse-battery-staple-42"},
    )
    assert response.status_code == 302
    assert client.session.get_expiry_age() == 30 * 60

import pytest

from earlyhelp.audit.models import AuditEvent


@pytest.mark.django_db
def test_world_builds_and_audits(world):
    _, episode = world.open_family()
    assert episode.is_open and episode.team == world.north
    assert AuditEvent.objects.count() > 10

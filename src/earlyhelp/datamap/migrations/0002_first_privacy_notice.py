from pathlib import Path

from django.db import migrations
from django.utils import timezone


def publish_first_version(apps, schema_editor):
    PrivacyNotice = apps.get_model("datamap", "PrivacyNotice")
    if PrivacyNotice.objects.exists():
        return
    body = (Path(__file__).resolve().parent.parent / "privacy_notice_v1.txt").read_text("utf-8")
    PrivacyNotice.objects.create(
        version=1,
        title="How Early Help uses your information",
        body=body,
        published_at=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("datamap", "0001_initial")]
    operations = [migrations.RunPython(publish_first_version, migrations.RunPython.noop)]

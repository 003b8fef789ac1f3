from django.db import migrations


def load(apps, schema_editor):
    from earlyhelp.core.codelists import entries_from_file

    CodeEntry = apps.get_model("core", "CodeEntry")
    for row in entries_from_file():
        CodeEntry.objects.update_or_create(
            list_name=row["list_name"],
            code=row["code"],
            defaults={"label": row["label"], "position": row["position"]},
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

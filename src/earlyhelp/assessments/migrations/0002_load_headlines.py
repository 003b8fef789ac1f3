from django.db import migrations


def load(apps, schema_editor):
    from earlyhelp.assessments.defaults import default_headlines

    Headline = apps.get_model("assessments", "Headline")
    for row in default_headlines():
        # A council's own wording, once edited, is kept: only missing headlines are added.
        Headline.objects.get_or_create(
            code=row["code"],
            defaults={
                "label": row["label"],
                "descriptor": row["descriptor"],
                "position": row["position"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

"""Copy each timeline entry's family and time onto its person links (the person filter).

The columns are added nullable, filled from their entries, then made NOT NULL, so the
migration runs on a populated database. On PostgreSQL the fill is one UPDATE ... FROM (a
hash join: minutes, not hours, over tens of millions of links); elsewhere (SQLite) a
correlated subquery does the same.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_links(apps, schema_editor):  # type: ignore[no-untyped-def]
    Entry = apps.get_model("casework", "TimelineEntry")
    EntryPerson = apps.get_model("casework", "TimelineEntryPerson")
    if schema_editor.connection.vendor == "postgresql":
        quote = schema_editor.quote_name
        # Table names from the models, quoted: nothing here comes from input.
        schema_editor.execute(
            f"UPDATE {quote(EntryPerson._meta.db_table)} AS link "  # noqa: S608
            "SET family_id = entry.family_id, occurred_at = entry.occurred_at "
            f"FROM {quote(Entry._meta.db_table)} AS entry WHERE entry.id = link.entry_id"
        )
        return
    entry = Entry.objects.filter(pk=OuterRef("entry_id"))
    EntryPerson.objects.update(
        family_id=Subquery(entry.values("family_id")[:1]),
        occurred_at=Subquery(entry.values("occurred_at")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("casework", "0004_alter_timelineentry_kind"),
    ]

    operations = [
        # The timeline's own indexes end with the id (the order's tie-break), so a page's ids
        # come from an index-only scan (casework.timeline.entries_for).
        migrations.RemoveIndex(model_name="timelineentry", name="timeline_family_time"),
        migrations.RemoveIndex(model_name="timelineentry", name="timeline_family_kind"),
        migrations.AddIndex(
            model_name="timelineentry",
            index=models.Index(
                fields=["family", "-occurred_at", "-id"], name="timeline_family_time"
            ),
        ),
        migrations.AddIndex(
            model_name="timelineentry",
            index=models.Index(
                fields=["family", "kind", "-occurred_at", "-id"], name="timeline_family_kind"
            ),
        ),
        migrations.AddField(
            model_name="timelineentryperson",
            name="family",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="people.family",
            ),
        ),
        migrations.AddField(
            model_name="timelineentryperson",
            name="occurred_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(fill_links, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="timelineentryperson",
            name="family",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="people.family",
            ),
        ),
        migrations.AlterField(
            model_name="timelineentryperson",
            name="occurred_at",
            field=models.DateTimeField(),
        ),
        migrations.AddIndex(
            model_name="timelineentryperson",
            index=models.Index(
                fields=["family", "person", "-occurred_at", "-entry"],
                name="timeline_person_time",
            ),
        ),
    ]

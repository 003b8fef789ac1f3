"""Assessment and plan free text, and their history, are ciphertext in the database like a
case note: written through the real services, read back raw, rotated, converted in place
(issue 12, item 8; decision 0013)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.utils import timezone

from earlyhelp.assessments import services as assessments
from earlyhelp.assessments.models import Assessment, AssessmentNeed
from earlyhelp.core import encryption
from earlyhelp.core.datamap import read_declaration
from earlyhelp.core.encryption import generate_key_line
from earlyhelp.core.fields import EncryptedTextField
from earlyhelp.core.key_rotation import encrypted_columns
from earlyhelp.core.migration_ops import EncryptColumns
from earlyhelp.plans import services as plans
from earlyhelp.plans.models import PlanAction, PlanObjection, PlanOutcome, PlanReview
from tests.assessments.conftest import open_case
from tests.factories import World
from tests.plans.conftest import make_setup, start_plan

pytestmark = pytest.mark.django_db

# Every phrase below is typed into one free-text box; none may reach a column as it is.
SECRETS = {
    "strengths": "Nan Quillon collects the children on Fridays",
    "analysis": "Her ex-partner was cautioned after the incident",
    "conclusion": "Refer to the domestic abuse outreach worker",
    "evidence": "He now lives at 14 Larchmere Close, Exampleton",
    "evidence_corrected": "He now lives at 16 Larchmere Close, Exampleton",
    "returned": "Say more about the incident in March",
    "outcome": "Quillon household free from the threats",
    "measure": "No police call-outs to Larchmere for three months",
    "action": "Apply for a non-molestation order with Quillon",
    "review": "Larchmere review: things are calmer",
    "change": "Quillon added the housing outcome",
    "progress": "Larchmere progress noted",
    "objection": "Quillon objects to the school seeing it",
}


def _text_columns(model: type[models.Model]) -> list[str]:
    return [
        f.column
        for f in model._meta.concrete_fields
        if isinstance(f, models.TextField | models.CharField)
    ]


def plain_text_rows() -> list[tuple[str, str, str]]:
    """(table, column, phrase) wherever a phrase is stored readable, history included."""
    found = []
    with connection.cursor() as cursor:
        for app_label in ("assessments", "plans"):
            for model in apps.get_app_config(app_label).get_models():
                table = model._meta.db_table
                for column in _text_columns(model):
                    cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608
                    for (value,) in cursor.fetchall():
                        found += [
                            (table, column, phrase)
                            for phrase in SECRETS.values()
                            if value and phrase in value
                        ]
    return found


def token_columns() -> set[tuple[str, str]]:
    """(table, column) of every value in the two apps that is still a token."""
    found = set()
    with connection.cursor() as cursor:
        for app_label in ("assessments", "plans"):
            for model in apps.get_app_config(app_label).get_models():
                table = model._meta.db_table
                for column in _text_columns(model):
                    cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608
                    if any(v and encryption.is_token(v) for (v,) in cursor.fetchall()):
                        found.add((table, column))
    return found


@pytest.fixture
def written(world: World) -> None:
    """An assessment returned to draft with a corrected need, and a reviewed plan with an
    objection, all through the services."""
    case = open_case(world)
    assessment = assessments.start_assessment(
        actor=world.practitioner, family=case.family, started_on=timezone.localdate()
    )
    assessments.update_assessment(
        actor=world.practitioner,
        assessment=assessment,
        changes=assessments.AssessmentChanges(
            strengths=SECRETS["strengths"],
            analysis=SECRETS["analysis"],
            conclusion=SECRETS["conclusion"],
        ),
    )
    need = assessments.add_need(
        actor=world.practitioner,
        assessment=assessment,
        person_id=case.parent.pk,
        headline_code="safe_from_domestic_abuse",
        evidence=SECRETS["evidence"],
        severity="high",
    )
    assessments.update_need(
        actor=world.practitioner, need=need, evidence=SECRETS["evidence_corrected"]
    )
    assessments.submit_assessment(actor=world.practitioner, assessment=assessment)
    assessments.return_assessment(
        actor=world.manager, assessment=assessment, comment=SECRETS["returned"]
    )

    setup = make_setup(world, last_name="Quillon")
    plan = start_plan(world, setup)
    version = plans.current_version(plan)
    outcome = plans.add_outcome(
        actor=world.practitioner,
        version=version,
        data=plans.OutcomeInput(
            headline_code="secure_housing",
            description=SECRETS["outcome"],
            measure=SECRETS["measure"],
            people=[setup.parent.pk],
        ),
    )
    plans.add_action(
        actor=world.practitioner,
        version=version,
        data=plans.ActionInput(
            what=SECRETS["action"],
            due_on=timezone.localdate() + timedelta(days=7),
            owner_person=setup.parent.pk,
            outcome=outcome.pk,
        ),
    )
    plans.record_review(
        actor=world.practitioner,
        plan=plan,
        data=plans.ReviewInput(
            held_on=timezone.localdate(),
            summary=SECRETS["review"],
            change_summary=SECRETS["change"],
            progress=[
                plans.ProgressInput(o.pk, "some_progress", SECRETS["progress"])
                for o in version.outcomes.all()
            ],
        ),
    )
    plans.record_objection(
        actor=world.practitioner,
        plan=plan,
        objected_by=setup.parent.pk,
        objected_on=timezone.localdate(),
        note=SECRETS["objection"],
    )


def test_no_assessment_or_plan_text_is_stored_readable(written) -> None:  # type: ignore[no-untyped-def]
    assert plain_text_rows() == []
    # ...and the pages still read it: the model decrypts.
    assert AssessmentNeed.objects.get().evidence == SECRETS["evidence_corrected"]
    assert {h.evidence for h in AssessmentNeed.history.all()} == {
        SECRETS["evidence"],
        SECRETS["evidence_corrected"],
    }
    assert Assessment.objects.get().returned_comment == SECRETS["returned"]
    assert PlanReview.objects.get().summary == SECRETS["review"]
    assert PlanObjection.objects.get().note == SECRETS["objection"]
    # Copied forward by the review: version 2 has the outcome and action too.
    assert PlanOutcome.objects.filter(headline_code="secure_housing").count() == 2
    assert sum(a.what == SECRETS["action"] for a in PlanAction.objects.all()) == 2


def test_rotation_finds_and_rotates_the_new_columns(written, settings) -> None:  # type: ignore[no-untyped-def]
    found = {(c.label, f.name) for c in encrypted_columns() for f in c.encrypted}
    expected = {
        (model._meta.label, f.name)
        for app_label in ("assessments", "plans")
        for model in apps.get_app_config(app_label).get_models()
        for f in model._meta.concrete_fields
        if isinstance(f, EncryptedTextField)
    }
    assert (
        {
            ("assessments.AssessmentNeed", "evidence"),
            ("assessments.HistoricalAssessmentNeed", "evidence"),
            ("assessments.HistoricalAssessment", "analysis"),
            ("plans.PlanAction", "what"),
            ("plans.HistoricalPlanOutcome", "description"),
            ("plans.ReviewProgress", "note"),
        }
        <= expected
        <= found
    )

    settings.EARLYHELP_FIELD_KEYS = [generate_key_line("2027-02"), *settings.EARLYHELP_FIELD_KEYS]
    call_command("rotate_field_keys", stdout=StringIO())
    settings.EARLYHELP_FIELD_KEYS = settings.EARLYHELP_FIELD_KEYS[:1]  # the old key is gone
    with connection.cursor() as cursor:
        for label, name in expected:
            model = apps.get_model(label)
            column = model._meta.get_field(name).column
            cursor.execute(f"SELECT {column} FROM {model._meta.db_table}")  # noqa: S608
            keys = {encryption.token_key_id(v) for (v,) in cursor.fetchall() if v}
            assert keys <= {"2027-02"}, label
    assert AssessmentNeed.objects.get().evidence == SECRETS["evidence_corrected"]
    assert PlanReview.objects.get().summary == SECRETS["review"]


def test_the_migration_step_converts_plain_plan_text_left_from_before(written) -> None:  # type: ignore[no-untyped-def]
    # A row as the old schema wrote it: plain text in the column.
    objection = PlanObjection.objects.get()
    table = PlanObjection._meta.db_table
    pk = PlanObjection._meta.pk.get_db_prep_value(objection.pk, connection)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET note = %s WHERE id = %s", ["Left from 2025", pk])  # noqa: S608
    step = EncryptColumns("plans", "planobjection", {"note": "plans.planobjection.note"})
    step.forwards(apps, connection.schema_editor())
    objection.refresh_from_db()
    assert objection.note == "Left from 2025"
    assert plain_text_rows() == []


@pytest.mark.parametrize(
    "label", ["assessments.AssessmentNeed", "assessments.HistoricalAssessmentNeed"]
)
def test_the_data_map_says_assessment_needs_are_special_category_and_encrypted(label: str) -> None:
    declaration = read_declaration(apps.get_model(label))
    assert any(category.is_special for category in declaration.categories)
    assert declaration.special_category_basis is not None
    assert "evidence" in declaration.encrypted_fields


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")  # an earlier transactional test may have flushed it
def test_the_migrations_encrypt_what_the_old_schema_wrote_and_reverse(written) -> None:  # type: ignore[no-untyped-def]
    from django.db.migrations.executor import MigrationExecutor

    from tests.app_role import as_owner

    def migrate(*targets: tuple[str, str]) -> None:
        with as_owner():  # migrations alter tables: the owner's job, never the app role's
            executor = MigrationExecutor(connection)
            executor.loader.build_graph()
            executor.migrate(list(targets))

    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    # Back to the schema before this change: its steps decrypt in place, as it stored them.
    migrate(("assessments", "0003_encrypt_views"), ("plans", "0001_initial"))
    try:
        readable = {phrase for _, _, phrase in plain_text_rows()}
        assert readable == set(SECRETS.values())
        assert token_columns() == set()  # every column as the old schema stored it
    finally:
        migrate(*latest)
    assert plain_text_rows() == []
    assert AssessmentNeed.objects.get().evidence == SECRETS["evidence_corrected"]
    assert PlanObjection.objects.get().note == SECRETS["objection"]

"""The data-map declarations every model carries, and the registry that reads them.

Subject access, erasure, retention and returns walk these declarations; nothing keeps a
hand-written list of personal-data models. A model declares either what personal data it
holds::

    class DataMap:
        categories = [Category.PERSONAL_DETAILS, Category.HEALTH]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE
        retention = "early_help_case_file"
        subjects = "family.members"

or that it holds none::

    class DataMap:
        personal = False
        reason = "Reference data: team names only."
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.db import models


class Category(StrEnum):
    """Categories as the privacy notice lists them (domain.md section 4)."""

    PERSONAL_DETAILS = "personal_details"
    FAMILY_DETAILS = "family_details"
    LIFESTYLE = "lifestyle_and_social_circumstances"
    HEALTH = "health"
    FINANCIAL = "financial"
    EMPLOYMENT_EDUCATION = "employment_and_education"
    NHS_NUMBER = "nhs_number"
    HOUSING = "housing"
    IMAGES = "images"
    APPEARANCE_BEHAVIOUR = "physical_appearance_and_behaviour"
    PUPIL_RECORDS = "pupil_records"
    CASE_FILE = "case_file"
    ETHNICITY_RELIGION = "ethnicity_and_religion"
    CRIMINAL_OFFENCE = "criminal_offence_data"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]

    @property
    def is_special(self) -> bool:
        return self in {Category.HEALTH, Category.ETHNICITY_RELIGION}


CATEGORY_LABELS: dict[Category, str] = {
    Category.PERSONAL_DETAILS: "Personal details",
    Category.FAMILY_DETAILS: "Family details",
    Category.LIFESTYLE: "Lifestyle and social circumstances",
    Category.HEALTH: "Health (special category)",
    Category.FINANCIAL: "Financial details",
    Category.EMPLOYMENT_EDUCATION: "Employment and education",
    Category.NHS_NUMBER: "NHS number",
    Category.HOUSING: "Housing",
    Category.IMAGES: "Images",
    Category.APPEARANCE_BEHAVIOUR: "Physical appearance and behaviour",
    Category.PUPIL_RECORDS: "Pupil records",
    Category.CASE_FILE: "Case files",
    Category.ETHNICITY_RELIGION: "Ethnicity and religion (special category)",
    Category.CRIMINAL_OFFENCE: "Criminal offence data",
}


class LawfulBasis(StrEnum):
    PUBLIC_TASK = "6(1)(e)"
    LEGAL_OBLIGATION = "6(1)(c)"
    VITAL_INTERESTS = "6(1)(d)"

    @property
    def label(self) -> str:
        return {
            LawfulBasis.PUBLIC_TASK: "UK GDPR Art 6(1)(e): public task",
            LawfulBasis.LEGAL_OBLIGATION: "UK GDPR Art 6(1)(c): legal obligation",
            LawfulBasis.VITAL_INTERESTS: "UK GDPR Art 6(1)(d): vital interests",
        }[self]


class SpecialCategoryBasis(StrEnum):
    HEALTH_OR_SOCIAL_CARE = "9(2)(h)"
    SAFEGUARDING = "9(2)(g) DPA 2018 Sch 1 para 18"

    @property
    def label(self) -> str:
        return {
            SpecialCategoryBasis.HEALTH_OR_SOCIAL_CARE: (
                "UK GDPR Art 9(2)(h): health or social care"
            ),
            SpecialCategoryBasis.SAFEGUARDING: (
                "UK GDPR Art 9(2)(g) with DPA 2018 Sch 1 para 18: safeguarding"
            ),
        }[self]


# Retention classes the models may name. The periods themselves are the council's
# configuration (the retention app, when it arrives); these are the classes and what they hold.
RETENTION_CLASSES: dict[str, str] = {
    "early_help_case_file": "Early Help case file (family, people, episodes, accepted referrals)",
    "referral": (
        "Contacts and referrals: kept with the family's case file once accepted; a declined or "
        "no-further-action referral for the declined-referral period"
    ),
    "referral_attachment": "Documents sent with a referral",
    "public_referral_draft": (
        "Answers to the online referral form not yet sent: deleted when the referral is sent, "
        "or a few hours after the last answer (EARLYHELP_PUBLIC_DRAFT_HOURS, "
        "purge_public_drafts)"
    ),
    "staff_account": "Staff user accounts, memberships and API tokens",
    "partner_directory": "Partner professionals' work contact details, while they are partners",
    "audit_log": "Audit trail of access to and changes of records",
    "session": (
        "Browser sessions: until the session ends (30 minutes without activity, 12 hours at "
        "most for staff), then deleted by clearsessions"
    ),
    "sign_in_security": (
        "Failed sign-ins (user name, IP address, browser): for the lockout period "
        "(EARLYHELP_LOCKOUT_MINUTES), cleared by axes_reset"
    ),
    "idempotency_key": (
        "The first answer to a write sent with an Idempotency-Key or a page form's token, so a "
        "repeat gets it again: one day, then deleted by purge_idempotency_keys"
    ),
    "rate_limit": (
        "Counters of online referrals per visitor (a keyed hash of the IP address, never the "
        "address): one hour; Django culls expired rows as the cache fills"
    ),
}


@dataclass(frozen=True)
class Declaration:
    model: type[models.Model]
    personal: bool
    categories: tuple[Category, ...] = ()
    lawful_basis: LawfulBasis | None = None
    special_category_basis: SpecialCategoryBasis | None = None
    retention: str | None = None
    subjects: str | None = None
    reason: str | None = None

    @property
    def label(self) -> str:
        return f"{self.model._meta.app_label}.{self.model.__name__}"

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name).capitalize()

    @property
    def encrypted_fields(self) -> tuple[str, ...]:
        """Names of the fields stored encrypted (``core.fields.EncryptedTextField``)."""
        from earlyhelp.core.fields import EncryptedTextField

        return tuple(
            f.name for f in self.model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        )


class DeclarationError(ValueError):
    pass


def _history_base(model: type[models.Model]) -> type[models.Model] | None:
    base = getattr(model, "instance_type", None)
    if isinstance(base, type) and issubclass(base, models.Model) and base is not model:
        return base
    return None


def history_models() -> dict[type[models.Model], type[models.Model]]:
    """Each project model's simple-history model, for erasure and retention to follow."""
    return {
        base: model
        for model in apps.get_models()
        if (base := _history_base(model)) is not None and model.__module__.startswith("earlyhelp.")
    }


def read_declaration(model: type[models.Model]) -> Declaration:
    """Parse a model's ``DataMap``; raise DeclarationError saying what is missing or wrong."""
    base = _history_base(model)
    if base is not None:
        # A django-simple-history table holds earlier versions of the base model's rows: the
        # same data about the same people, so it carries the base model's declaration.
        declaration = read_declaration(base)
        return Declaration(**{**declaration.__dict__, "model": model})
    spec = model.__dict__.get("DataMap")
    if spec is None:
        raise DeclarationError("has no DataMap declaration")
    return parse_declaration(model, spec)


def parse_declaration(model: type[models.Model], spec: Any) -> Declaration:
    """Read a ``DataMap``-shaped class (nested in a model, or registered for a model the
    project cannot edit: ``core.external_datamap``)."""
    return Declaration(model=model, **parse_terms(spec))


def parse_terms(spec: Any) -> dict[str, Any]:
    """The terms a ``DataMap``-shaped class declares, checked; DeclarationError if wrong."""
    if getattr(spec, "personal", True) is False:
        reason = getattr(spec, "reason", "")
        if not reason:
            raise DeclarationError("is declared not personal but gives no reason")
        return {"personal": False, "reason": reason}
    try:
        categories = tuple(Category(c) for c in spec.categories)
        lawful_basis = LawfulBasis(spec.lawful_basis)
        special = getattr(spec, "special_category_basis", None)
        special_basis = SpecialCategoryBasis(special) if special else None
        retention = spec.retention
        subjects = spec.subjects
    except AttributeError as exc:
        raise DeclarationError(f"DataMap is missing {exc.name}") from exc
    except ValueError as exc:
        raise DeclarationError(f"DataMap has an unknown value: {exc}") from exc
    if not categories:
        raise DeclarationError("DataMap lists no categories")
    if retention not in RETENTION_CLASSES:
        raise DeclarationError(f"DataMap names an unknown retention class {retention!r}")
    if any(c.is_special for c in categories) and special_basis is None:
        raise DeclarationError("holds special category data but gives no Art 9 condition")
    return {
        "personal": True,
        "categories": categories,
        "lawful_basis": lawful_basis,
        "special_category_basis": special_basis,
        "retention": retention,
        "subjects": subjects,
    }


def project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("earlyhelp.")]


def declarations() -> list[Declaration]:
    """Every project model's declaration (raises if one is missing: the check prevents that)."""
    return [read_declaration(model) for model in project_models()]


def personal_data_declarations() -> list[Declaration]:
    return [d for d in declarations() if d.personal]

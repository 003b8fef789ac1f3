"""Reads for the privacy notice and the register of personal data.

Neither holds personal data about families (the notice is published text; the register is
built from the models' ``DataMap`` declarations, and the installed apps' tables declared in
``datamap.external``), so these reads are not audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from earlyhelp.core.datamap import RETENTION_CLASSES, Category
from earlyhelp.core.errors import NotFound
from earlyhelp.core.external_datamap import AnyDeclaration, TableDeclaration, all_declarations
from earlyhelp.datamap.models import PrivacyNotice


def current_notice() -> PrivacyNotice:
    """The version families are shown now: the highest published version.

    The public referral form records this version with the referral.
    """
    notice = PrivacyNotice.objects.order_by("-version").first()
    if notice is None:
        # Migration 0002 publishes version 1, so this means a broken installation.
        raise NotFound("No privacy notice has been published")
    return notice


def notice_version(version: int) -> PrivacyNotice:
    try:
        return PrivacyNotice.objects.get(version=version)
    except PrivacyNotice.DoesNotExist:
        raise NotFound("There is no privacy notice with that version number") from None


def notice_versions() -> QuerySet[PrivacyNotice]:
    """Every version, newest first, with who published it (one query)."""
    return PrivacyNotice.objects.select_related("published_by").order_by("-version")


# --- The register of personal data ---------------------------------------------------------


@dataclass(frozen=True)
class RegisterEntry:
    """One model holding one category of personal data."""

    declaration: AnyDeclaration
    category: Category

    @property
    def retention_description(self) -> str:
        return RETENTION_CLASSES.get(self.declaration.retention or "", "")

    def as_row(self) -> dict[str, str | bool]:
        d = self.declaration
        return {
            "model": d.label,
            "verbose_name": d.verbose_name,
            "category": self.category.value,
            "category_label": self.category.label,
            "special_category": self.category.is_special,
            "lawful_basis": d.lawful_basis.value if d.lawful_basis else "",
            "special_category_basis": (
                d.special_category_basis.value if d.special_category_basis else ""
            ),
            "retention_class": d.retention or "",
            "retention_description": self.retention_description,
            "subjects": d.subjects or "",
            "encrypted_fields": " ".join(d.encrypted_fields),
            "defined_by": defined_by(d),
        }


REGISTER_COLUMNS: tuple[str, ...] = (
    "model",
    "verbose_name",
    "category",
    "category_label",
    "special_category",
    "lawful_basis",
    "special_category_basis",
    "retention_class",
    "retention_description",
    "subjects",
    "encrypted_fields",
    "defined_by",
)


def defined_by(declaration: AnyDeclaration) -> str:
    """Where the table comes from: "earlyhelp", or the installed app (declared for it in
    ``datamap.external``) — what a DPO needs to ask a supplier about."""
    if isinstance(declaration, TableDeclaration):
        return "django.core.cache"
    app = declaration.model._meta.app_config
    if app is None or app.name.startswith("earlyhelp."):
        return "earlyhelp"
    return app.name


@dataclass(frozen=True)
class CategoryGroup:
    category: Category
    entries: tuple[RegisterEntry, ...]


@dataclass(frozen=True)
class Register:
    categories: tuple[CategoryGroup, ...]
    not_personal: tuple[AnyDeclaration, ...]

    @property
    def entries(self) -> list[RegisterEntry]:
        """One entry per model x category, in category then model order."""
        return [entry for group in self.categories for entry in group.entries]


def data_register() -> Register:
    """The register, read from the declarations of every table (never a hand-kept list).

    Every category is listed, even one no model holds yet, so the register can be read
    against the privacy notice's list of categories.
    """
    found = sorted(all_declarations(), key=lambda d: d.label)
    personal = [d for d in found if d.personal]
    groups = tuple(
        CategoryGroup(
            category=category,
            entries=tuple(
                RegisterEntry(declaration=d, category=category)
                for d in personal
                if category in d.categories
            ),
        )
        for category in Category
    )
    return Register(categories=groups, not_personal=tuple(d for d in found if not d.personal))


def register_rows() -> list[dict[str, str | bool]]:
    """The register as flat rows (model x category) for the CSV/JSON export."""
    return [entry.as_row() for entry in data_register().entries]

"""People, families (households), membership of a family, and addresses."""

from __future__ import annotations

import uuid

from django.db import models

from earlyhelp.core.datamap import Category, LawfulBasis, SpecialCategoryBasis
from earlyhelp.core.fields import BlindIndexField, EncryptedTextField
from earlyhelp.core.ids import opaque_reference
from earlyhelp.core.text import fold


def new_family_reference() -> str:
    return opaque_reference("EH-", 6)


class Sex(models.TextChoices):
    # The Ofsted Annex A codes a, b, c, d map to these.
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    UNKNOWN = "unknown", "Not known"
    INDETERMINATE = "indeterminate", "Not stated / indeterminate"


class FamilyRole(models.TextChoices):
    CHILD = "child", "Child"
    PARENT_OR_CARER = "parent_or_carer", "Parent or carer"
    SIBLING = "sibling", "Sibling"
    OTHER_HOUSEHOLD_MEMBER = "other_household_member", "Other household member"
    SIGNIFICANT_OTHER = "significant_other", "Significant other (not in the household)"


# The blind index purpose for NHS numbers, wherever they are indexed.
NHS_NUMBER_INDEX = "nhs_number"


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    known_as = models.CharField(max_length=100, blank=True)
    previous_names = models.CharField(max_length=300, blank=True)
    # For an unborn child this is the expected date of delivery.
    date_of_birth = models.DateField(null=True, blank=True, db_index=True)
    date_of_birth_estimated = models.BooleanField(default=False)
    unborn = models.BooleanField(default=False)
    sex = models.CharField(max_length=16, choices=Sex.choices, default=Sex.UNKNOWN)
    gender = models.CharField(max_length=60, blank=True, help_text="As the person describes it")
    ethnicity = models.CharField(max_length=8, blank=True, help_text="DfE ethnicity code")
    # Encrypted at rest; exact search goes through the keyed blind index beside it.
    nhs_number = EncryptedTextField(blank=True, purpose="people.person.nhs_number")
    nhs_number_index = BlindIndexField(source="nhs_number", purpose=NHS_NUMBER_INDEX)
    upn = models.CharField(max_length=13, blank=True, db_index=True)
    nino = models.CharField(max_length=9, blank=True)
    # Folded (accent- and case-free) names for intake search; trigram-indexed on PostgreSQL.
    search_name = models.CharField(max_length=600, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"

    class DataMap:
        categories = [
            Category.PERSONAL_DETAILS,
            Category.NHS_NUMBER,
            Category.PUPIL_RECORDS,
            Category.ETHNICITY_RELIGION,
        ]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        special_category_basis = SpecialCategoryBasis.SAFEGUARDING
        retention = "early_help_case_file"
        subjects = "self"

    def __str__(self) -> str:
        return f"person {self.pk}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = fold(
            " ".join([self.first_name, self.last_name, self.known_as, self.previous_names])
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            # The index follows the number even when only the number is saved.
            kwargs["update_fields"] = {*update_fields, "search_name", "nhs_number_index"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def full_name(self) -> str:
        name = " ".join(part for part in [self.first_name, self.last_name] if part)
        if self.known_as:
            name = f"{name} (known as {self.known_as})"
        return name or ("Unborn child" if self.unborn else "Name not known")

    @property
    def year_of_birth(self) -> int | None:
        return self.date_of_birth.year if self.date_of_birth else None


class Family(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=new_family_reference)
    created_at = models.DateTimeField(auto_now_add=True)
    members: models.ManyToManyField[Person, FamilyMembership] = models.ManyToManyField(
        Person, through="FamilyMembership", related_name="families"
    )

    class Meta:
        verbose_name_plural = "families"

    class DataMap:
        categories = [Category.FAMILY_DETAILS]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "members"

    def __str__(self) -> str:
        return self.reference


class FamilyMembership(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=FamilyRole.choices)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["family", "person"], name="one_membership_per_family")
        ]

    class DataMap:
        categories = [Category.FAMILY_DETAILS]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "person"

    def __str__(self) -> str:
        return f"{self.role} in {self.family_id}"


class Address(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    uprn = models.CharField(max_length=12, blank=True)
    # A confidential address (e.g. someone fleeing domestic abuse) never leaves the team.
    confidential = models.BooleanField(default=False)
    current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "addresses"

    class DataMap:
        categories = [Category.PERSONAL_DETAILS, Category.HOUSING]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "early_help_case_file"
        subjects = "person"

    def __str__(self) -> str:
        return f"address {self.pk}"

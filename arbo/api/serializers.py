"""Employee serializers of the employer API: categories A and D only, one employer's employments only.

Every field is listed explicitly; nothing is derived from the model, so a field added to the
model (say, of category B or C) never leaks into the API by accident.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from arbo.lib.text import clean_text
from arbo.registry.models import Department, Employee, Employer, Employment, bsn_blind_index
from arbo.registry.validators import (
    HOURS_PER_WEEK_MAX,
    PERSONNEL_NUMBER_MAX_LENGTH,
    clean_personnel_number,
    normalise_bsn,
    normalise_postcode,
    validate_birth_date,
    validate_employment_date,
    validate_employment_period,
    validate_hours_per_week,
)


def _django_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(exc.messages)


class CleanCharField(serializers.CharField):
    """A CharField whose input passes through :func:`arbo.lib.text.clean_text` (NFC, no NUL,
    control or invisible format characters), like every form and the roster import."""

    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        self.multiline = multiline
        super().__init__(**kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        # Clean before the blank and length checks, so an invisible-only value counts as blank.
        if isinstance(data, str):
            data = clean_text(data, multiline=self.multiline)
        return super().run_validation(data)


# --- Read -------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="Employment")
class EmploymentReadSerializer(serializers.Serializer):
    """Een dienstverband bij de eigen werkgever."""

    id = serializers.IntegerField(read_only=True)
    personnel_number = serializers.CharField(read_only=True)
    job_title = serializers.CharField(read_only=True)
    department = serializers.SerializerMethodField()
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True, allow_null=True)
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1, read_only=True, allow_null=True)
    contract_type = serializers.ChoiceField(choices=Employment.ContractType.choices, read_only=True)

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="Naam van de afdeling."))
    def get_department(self, employment: Employment) -> str | None:
        return employment.department.name if employment.department is not None else None


@extend_schema_serializer(component_name="Employee")
class EmployeeReadSerializer(serializers.Serializer):
    """Een werknemer zoals de werkgever die mag zien (categorie A en D); `employments` bevat alleen
    de dienstverbanden bij de eigen werkgever, nieuwste eerst."""

    # The view prefetches this employer's employments into ``own_employments``.

    id = serializers.IntegerField(read_only=True)
    initials = serializers.CharField(read_only=True)
    first_names = serializers.CharField(read_only=True)
    tussenvoegsel = serializers.CharField(read_only=True)
    surname = serializers.CharField(read_only=True)
    gender = serializers.ChoiceField(choices=Employee.Gender.choices, read_only=True)
    birth_date = serializers.DateField(read_only=True)
    street = serializers.CharField(read_only=True)
    house_number = serializers.CharField(read_only=True)
    postcode = serializers.CharField(read_only=True)
    city = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    mobile = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)
    bsn = serializers.CharField(
        source="bsn_masked", read_only=True, help_text="Gemaskeerd: alleen de laatste drie cijfers."
    )
    employments = EmploymentReadSerializer(source="own_employments", many=True, read_only=True)


# --- Write ------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="EmploymentWrite")
class EmploymentWriteSerializer(serializers.Serializer):
    """Het dienstverband bij de eigen werkgever."""

    # Context: ``employer``; on update also ``employment`` (the one being changed).

    personnel_number = CleanCharField(max_length=PERSONNEL_NUMBER_MAX_LENGTH)
    job_title = CleanCharField(max_length=120, required=False, allow_blank=True)
    department = CleanCharField(
        max_length=120,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Naam van een bestaande afdeling van de werkgever; leeg = geen afdeling.",
    )
    starts_on = serializers.DateField(validators=[validate_employment_date])
    ends_on = serializers.DateField(required=False, allow_null=True, validators=[validate_employment_date])
    hours_per_week = serializers.DecimalField(
        max_digits=3,
        decimal_places=1,
        min_value=0,
        max_value=HOURS_PER_WEEK_MAX,
        required=False,
        allow_null=True,
        validators=[validate_hours_per_week],
    )
    contract_type = serializers.ChoiceField(choices=Employment.ContractType.choices, required=False)

    @property
    def _employer(self) -> Employer:
        return self.context["employer"]

    def validate_personnel_number(self, value: str) -> str:
        try:
            value = clean_personnel_number(value)
        except DjangoValidationError as exc:
            raise _django_errors(exc) from exc
        others = Employment.objects.filter(employer=self._employer, personnel_number=value)
        current = self.context.get("employment")
        if current is not None:
            others = others.exclude(pk=current.pk)
        if others.exists():
            raise serializers.ValidationError(
                _("Personeelsnummer %(number)s is bij deze werkgever al in gebruik.") % {"number": value}
            )
        return value

    def validate_department(self, value: str | None) -> Department | None:
        if not value:
            return None
        department = Department.objects.filter(employer=self._employer, name=value).first()
        if department is None:
            raise serializers.ValidationError(
                _("Afdeling '%(name)s' bestaat niet bij deze werkgever.") % {"name": value}
            )
        return department

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        current = self.context.get("employment")
        starts_on = attrs.get("starts_on", getattr(current, "starts_on", None))
        ends_on = attrs.get("ends_on", getattr(current, "ends_on", None))
        try:
            validate_employment_period(starts_on, ends_on)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"ends_on": exc.messages}) from exc
        return attrs


@extend_schema_serializer(component_name="EmployeeWrite")
class EmployeeWriteSerializer(serializers.Serializer):
    """Gegevens van een werknemer om aan te maken of te wijzigen (categorie A en D)."""

    # Context: ``employer``; on update also ``employee`` and ``employment``.

    initials = CleanCharField(max_length=20, required=False, allow_blank=True)
    first_names = CleanCharField(max_length=120, required=False, allow_blank=True)
    tussenvoegsel = CleanCharField(max_length=20, required=False, allow_blank=True)
    surname = CleanCharField(max_length=120)
    gender = serializers.ChoiceField(choices=Employee.Gender.choices, required=False)
    birth_date = serializers.DateField(validators=[validate_birth_date])
    street = CleanCharField(max_length=120, required=False, allow_blank=True)
    house_number = CleanCharField(max_length=20, required=False, allow_blank=True)
    postcode = CleanCharField(max_length=10, required=False, allow_blank=True)
    city = CleanCharField(max_length=80, required=False, allow_blank=True)
    phone = CleanCharField(max_length=30, required=False, allow_blank=True)
    mobile = CleanCharField(max_length=30, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    bsn = CleanCharField(
        max_length=20,
        required=False,
        write_only=True,
        help_text="Volledig BSN (9 cijfers, elfproef). In antwoorden alleen gemaskeerd.",
    )
    employment = EmploymentWriteSerializer(
        required=False, help_text="Het dienstverband bij de eigen werkgever. Verplicht bij aanmaken."
    )

    def validate_bsn(self, value: str) -> str:
        try:
            bsn = normalise_bsn(value)
        except DjangoValidationError as exc:
            raise _django_errors(exc) from exc
        taken = Employee.objects.filter(bsn_index=bsn_blind_index(bsn))
        employee = self.context.get("employee")
        if employee is not None and taken.exclude(pk=employee.pk).exists():
            raise serializers.ValidationError(_("Dit BSN hoort bij een andere werknemer."))
        return bsn

    def validate_postcode(self, value: str) -> str:
        if not value:
            return value
        try:
            return normalise_postcode(value)
        except DjangoValidationError as exc:
            raise _django_errors(exc) from exc

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.context.get("employee") is None and "employment" not in attrs:
            raise serializers.ValidationError(
                {"employment": _("Geef het dienstverband bij de werkgever op.")}
            )
        return attrs

    def split(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Return ``(person_fields, employment_values)`` from the validated data."""
        data = dict(self.validated_data)
        return data, dict(data.pop("employment", None) or {})

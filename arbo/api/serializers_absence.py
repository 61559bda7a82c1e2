"""The absence API's serializers: a case with its reports (read), a sick and a recovery report (write).

Category A only: never the nature or cause of an illness.
"""

from __future__ import annotations

from rest_framework import serializers

from arbo.absence.models import AbsenceCase, RecoveryReport, SickPeriod
from arbo.api.serializers import CleanCharField
from arbo.lib import dates


class SickPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = SickPeriod
        fields = [
            "id",
            "first_sick_day",
            "last_sick_day",
            "expected_duration",
            "safety_net",
            "workplace_accident",
            "liable_third_party",
            "withdrawn_at",
        ]


class RecoverySerializer(serializers.ModelSerializer):
    class Meta:
        model = RecoveryReport
        fields = ["id", "kind", "recovered_on", "percentage", "hours_per_week", "withdrawn_at"]


class AbsenceSerializer(serializers.ModelSerializer):
    employee = serializers.IntegerField(source="employee_id", read_only=True)
    periods = SickPeriodSerializer(many=True, read_only=True)
    recoveries = RecoverySerializer(many=True, read_only=True)

    class Meta:
        model = AbsenceCase
        fields = ["id", "employee", "status", "first_sick_day", "periods", "recoveries"]


class SickReportSerializer(serializers.Serializer):
    employee = serializers.IntegerField(help_text="Id van de werknemer (uit /api/v1/employees/).")
    first_sick_day = serializers.DateField(validators=[dates.validate_case_date])
    expected_duration = serializers.ChoiceField(
        choices=SickPeriod.ExpectedDuration.choices, default=SickPeriod.ExpectedDuration.UNKNOWN
    )
    phone = CleanCharField(required=False, allow_blank=True, max_length=30)
    stay_address = CleanCharField(required=False, allow_blank=True, max_length=300, multiline=True)
    safety_net = serializers.BooleanField(default=False, help_text="Alleen óf een vangnet van toepassing is.")
    workplace_accident = serializers.BooleanField(default=False)
    liable_third_party = serializers.BooleanField(default=False)
    remarks = CleanCharField(
        multiline=True,
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Nooit de aard of oorzaak van de ziekte: teksten met medische termen worden geweigerd.",
    )


class RecoveryReportSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RecoveryReport.Kind.choices)
    recovered_on = serializers.DateField(validators=[dates.validate_case_date])
    percentage = serializers.IntegerField(required=False, allow_null=True)
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True)

"""``GET /api/v1/reports/absence``: an employer's absence figures over whole months (issue 17).

Employer users and API clients get their own employer's figures (``employer`` chooses among
several); staff with a management function pass ``employer=ID``; anyone else, and any employer or
department out of reach, gets 404. The figures come from :mod:`arbo.reporting.report`, the one
place they leave the app, with small-group suppression applied: a suppressed group answers
``null`` for every figure and ``"suppressed": true``.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from arbo.access import policy
from arbo.access.policy import report_departments_for, report_employers_for
from arbo.api.auth import ApiTokenAuthentication
from arbo.api.views import ErrorSerializer, refuse_unknown_query_parameters
from arbo.identity.models import User
from arbo.reporting.cache import CachedAnalysis
from arbo.reporting.figures import DURATION_CLASSES
from arbo.reporting.report import Analysis, ReportError, check_period, record_figures_left


class AbsenceQuerySerializer(serializers.Serializer):
    # "from" is a Python keyword: the field is declared below under its query-string name.
    to = serializers.DateField(help_text="Laatste dag van een maand (JJJJ-MM-DD).")
    department = serializers.IntegerField(required=False, min_value=1)
    employer = serializers.IntegerField(required=False, min_value=1)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField(help_text="Eerste dag van een maand (JJJJ-MM-DD).")
        return fields


class DurationClassesSerializer(serializers.Serializer):
    pass


for _label, _low, _high in DURATION_CLASSES:
    DurationClassesSerializer._declared_fields[_label] = serializers.IntegerField(
        help_text=f"Ziekteperiodes van {_low}{'–' + str(_high) if _high else '+'} dagen."
    )


class AbsenceFiguresSerializer(serializers.Serializer):
    employer = serializers.IntegerField()
    department = serializers.IntegerField(allow_null=True)
    employees = serializers.IntegerField(allow_null=True, help_text="Werknemers in de groep in de periode.")
    verzuimpercentage = serializers.FloatField(allow_null=True)
    meldingsfrequentie = serializers.FloatField(
        allow_null=True, help_text="Meldingen per werknemer per jaar."
    )
    gemiddelde_verzuimduur = serializers.FloatField(
        allow_null=True,
        help_text="Gemiddelde duur in kalenderdagen van de in de periode beëindigde meldingen.",
    )
    nulverzuim = serializers.FloatField(allow_null=True, help_text="Percentage werknemers zonder ziektedag.")
    duration_classes = DurationClassesSerializer(allow_null=True)
    suppressed = serializers.BooleanField(
        help_text="Waar: de groep is te klein (of af te leiden); alle cijfers zijn dan null."
    )


def _parameter(name: str, kind: Any, description: str, required: bool = False) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, required=required, description=description)


class AbsenceReportView(APIView):
    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        tags=["rapportages"],
        operation_id="reports_absence",
        summary="Verzuimcijfers van de werkgever (Vernet/CBS)",
        description="Verzuimpercentage, meldingsfrequentie, gemiddelde verzuimduur, nulverzuim en "
        "duurklassen over hele kalendermaanden, voor de werkgever of één afdeling. Groepen van minder "
        "dan 10 werknemers, en afdelingen waarvan de cijfers uit het totaal af te leiden zouden zijn, "
        'geven null met "suppressed": true.',
        parameters=[
            _parameter("from", str, "Eerste dag van een maand, JJJJ-MM-DD.", required=True),
            _parameter("to", str, "Laatste dag van een maand, JJJJ-MM-DD.", required=True),
            _parameter(
                "department", int, "Id van een afdeling van de werkgever (weglaten: de hele werkgever)."
            ),
            _parameter("employer", int, "Id van de werkgever: verplicht voor medewerkers van de arbodienst."),
        ],
        auth=cast(Any, [{"apiToken": []}]),
        responses={
            200: AbsenceFiguresSerializer,
            # Issue 19: per parameter a list of messages, or one "detail" (the schemathesis run).
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Ongeldige of ontbrekende datums, of een onbekende queryparameter: per "
                "parameter een lijst meldingen, of één melding in `detail`.",
            ),
            401: OpenApiResponse(ErrorSerializer, description="Niet ingelogd: geen of een ongeldig token."),
            404: OpenApiResponse(ErrorSerializer, description="Werkgever of afdeling niet gevonden."),
        },
    )
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)
        refuse_unknown_query_parameters(request, {"from", "to", "department", "employer"})
        query = AbsenceQuerySerializer(data=request.query_params)
        if not query.is_valid():
            return Response(query.errors, status=status.HTTP_400_BAD_REQUEST)
        data = query.validated_data
        employers = report_employers_for(user)
        if "employer" in data:
            employer = get_object_or_404(employers, pk=data["employer"])
        elif policy.is_staff_user(user) and employers.exists():
            return Response({"employer": [_("Geef de werkgever op (employer=ID).")]}, status=400)
        else:
            employer = get_object_or_404(employers.order_by("pk")[:1])
        try:
            start, end = check_period(data["from"], data["to"])
        except ReportError as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        allowed = report_departments_for(user, employer)
        department = data.get("department")
        today = timezone.localdate()
        analysis: Any = (
            CachedAnalysis(employer, today, department, start, end)
            if CachedAnalysis.ready(employer, today)
            else Analysis(employer, start, end)
        )
        if department is not None and (
            department not in analysis.departments or (allowed is not None and department not in allowed)
        ):
            raise Http404
        if department is None and allowed is not None:
            return Response(
                {"department": [_("Geef een afdeling op: u ziet alleen de cijfers van uw afdelingen.")]},
                status=400,
            )
        row = analysis.row(department, start, end)
        figures = row.figures
        answer = {
            "employer": employer.pk,
            "department": department,
            "employees": figures.employees if figures else None,
            "verzuimpercentage": figures.verzuimpercentage if figures else None,
            "meldingsfrequentie": figures.meldingsfrequentie if figures else None,
            "gemiddelde_verzuimduur": figures.gemiddelde_verzuimduur if figures else None,
            "nulverzuim": figures.nulverzuim if figures else None,
            "duration_classes": figures.duration_classes if figures else None,
            "suppressed": figures is None,
        }
        record_figures_left(
            user,
            employer,
            export=False,
            details={
                "from": str(start),
                "to": str(end),
                "department": department,
                "suppressed": figures is None,
            },
        )
        return Response(AbsenceFiguresSerializer(answer).data)

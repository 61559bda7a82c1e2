"""The retention calculator for systems: ``GET /api/v1/privacy/retention?kind=…&<facts>``.

Reads the schedule (no personal data), stores nothing, writes no audit record. Answers the first
day a record with these facts is destroyed, or ``null`` while that cannot be known yet.
"""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from arbo.api.auth import ApiTokenAuthentication
from arbo.api.views import ErrorSerializer
from arbo.retention.calculator import answer
from arbo.retention.models import Event
from arbo.retention.terms import BIRTH_DATE, PERSISTENT, TermError


class RetentionAnswerSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="De soort uit het bewaarschema.")
    term = serializers.CharField(
        help_text='De regel zoals die nu geldt, bijvoorbeeld "2y from end_of_employment".'
    )
    destroy_after = serializers.DateField(
        allow_null=True,
        help_text="De eerste dag waarop het gegeven vernietigd wordt (tot en met de dag ervoor "
        "bewaard). `null` zolang dat nog niet vaststaat (dienstverband of blootstelling loopt nog, "
        "zaak nog open).",
    )


def _date_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.DATE, OpenApiParameter.QUERY, required=False, description=description
    )


PARAMETERS = [
    OpenApiParameter(
        "kind",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        required=True,
        description="Soort gegeven: wvp_file, medical_file, erd_zw, erd_wga, pre_employment_exam, "
        "exposure_carcinogenic, exposure_biological, exposure_radiation, rights_request, audit_log, "
        "roster_upload (of een later toegevoegde soort).",
    ),
    *[_date_parameter(event.value, f"{event.label} (JJJJ-MM-DD)") for event in Event],
    _date_parameter(BIRTH_DATE, "geboortedatum (JJJJ-MM-DD), nodig bij exposure_radiation"),
    OpenApiParameter(
        PERSISTENT,
        OpenApiTypes.INT,
        OpenApiParameter.QUERY,
        required=False,
        enum=[0, 1],
        description="1 bij een biologisch agens dat blijvende of latente infecties kan veroorzaken.",
    ),
]


class RetentionCalculatorView(APIView):
    # Any signed-in user or API client: it holds no personal data (like the poortwachter calculator).
    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        tags=["privacy"],
        operation_id="privacy_retention",
        summary="Bewaartermijn uitrekenen",
        description="Rekent met het bewaarschema uit vanaf welke dag een gegeven vernietigd wordt. "
        "Geef per soort de feiten die de regel nodig heeft; een maand zonder die dag geeft de laatste "
        "dag van de maand (29 februari plus een jaar is 28 februari). Slaat niets op en leest geen "
        "persoonsgegevens.",
        parameters=PARAMETERS,
        auth=cast(Any, [{"apiToken": []}]),
        responses={
            200: RetentionAnswerSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="Onbekende soort, of ontbrekende of ongeldige feiten."
            ),
            401: OpenApiResponse(ErrorSerializer, description="Niet ingelogd: geen of een ongeldig token."),
        },
    )
    def get(self, request: Request) -> Response:
        params = {name: request.query_params.get(name, "") for name in request.query_params}
        try:
            result = answer(params)
        except TermError as error:
            return Response({"detail": error.message}, status=status.HTTP_400_BAD_REQUEST)
        return Response(RetentionAnswerSerializer(result).data)

"""Poortwachter deadline calculator for systems: dates only, no personal data, nothing stored.

``GET /api/v1/poortwachter/timeline?period=2024-01-08/2024-02-20&period=2024-03-04/`` answers the
due dates of :mod:`arbo.absence.milestones.timeline` for the added-up case holding the last (open) period.
It reads and writes no personal data, so it writes no audit record.
"""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from arbo.absence.milestones.timeline import (
    TimelineError,
    counted_days_before,
    current_case,
    milestones,
    parse_period,
)
from arbo.api.auth import ApiTokenAuthentication
from arbo.api.views import ErrorSerializer


class MilestonesSerializer(serializers.Serializer):
    report_to_arbodienst = serializers.DateField(help_text="Ziekmelding bij de arbodienst: dag 7.")
    probleemanalyse = serializers.DateField(help_text="Probleemanalyse: dag 42 (week 6).")
    plan_van_aanpak = serializers.DateField(help_text="Plan van aanpak: dag 56 (week 8).")
    uwv_42nd_week_notice = serializers.DateField(help_text="42e-weeksmelding: eerste werkdag na dag 294.")
    eerstejaarsevaluatie = serializers.DateField(help_text="Eerstejaarsevaluatie: dag 364.")
    riv_to_employee = serializers.DateField(help_text="Re-integratieverslag naar de werknemer: dag 637.")
    wia_application = serializers.DateField(help_text="WIA-aanvraag: dag 651 (week 93).")
    wage_payment_end = serializers.DateField(help_text="Einde loondoorbetaling: dag 728 (week 104).")


class PoortwachterTimelineSerializer(serializers.Serializer):
    case_start = serializers.DateField(help_text="Eerste ziektedag van het samengetelde verzuim.")
    counted_days_until_last_start = serializers.IntegerField(
        help_text="Meegetelde ziektedagen van dit verzuim vóór de eerste dag van de laatste periode."
    )
    milestones = MilestonesSerializer()


PERIOD_PARAMETER = OpenApiParameter(
    "period",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=True,
    many=True,
    description="Een ziekteperiode als `JJJJ-MM-DD/JJJJ-MM-DD` (eerste en laatste ziektedag), "
    "herhaalbaar, oplopend en zonder overlap. De laatste periode loopt nog: `JJJJ-MM-DD/`.",
    examples=[
        OpenApiExample("Twee periodes", value=["2024-01-08/2024-02-20", "2024-03-04/"]),
    ],
)


class PoortwachterTimelineView(APIView):
    # Any signed-in user or API client may call it: it holds no personal data. The token comes
    # first so that an anonymous caller gets 401 with WWW-Authenticate, like the rest of the API.
    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        tags=["poortwachter"],
        operation_id="poortwachter_timeline",
        summary="Termijnen Wet verbetering poortwachter",
        description="Rekent de termijnen uit voor het verzuim waar de laatste (lopende) periode bij "
        "hoort. Periodes met minder dan 28 hersteldagen ertussen tellen samen (BW 7:629 lid 10); "
        "de hersteldagen tellen niet mee. Eerdere periodes met 28 of meer hersteldagen ertussen "
        "worden genegeerd. Slaat niets op en leest geen persoonsgegevens. Ook bruikbaar met een "
        "ingelogde browsersessie.",
        parameters=[PERIOD_PARAMETER],
        # Documented with the bearer scheme only, like every other endpoint; the browser session
        # is a convenience for people already signed in (see the description).
        auth=cast(Any, [{"apiToken": []}]),
        responses={
            200: PoortwachterTimelineSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="Ontbrekende, ongeldige of overlappende periodes, of een onbekende "
                "queryparameter.",
            ),
            401: OpenApiResponse(ErrorSerializer, description="Niet ingelogd: geen of een ongeldig token."),
        },
    )
    def get(self, request: Request) -> Response:
        unknown = sorted(set(request.query_params) - {"period"})
        if unknown:
            message = _("Onbekende queryparameter: %(name)s.") % {"name": unknown[0]}
            return Response({"detail": message}, status=status.HTTP_400_BAD_REQUEST)
        texts = request.query_params.getlist("period")
        try:
            answer = timeline_answer(texts)
        except TimelineError as error:
            return Response({"detail": error.message}, status=status.HTTP_400_BAD_REQUEST)
        return Response(PoortwachterTimelineSerializer(answer).data)


def timeline_answer(texts: list[str]) -> dict[str, Any]:
    """The answer for the ``period`` parameters; :class:`TimelineError` when they are unusable."""
    if not texts:
        raise TimelineError(_("Geef minstens één periode op, bijvoorbeeld period=2024-03-04/."))
    periods = [parse_period(text) for text in texts]
    if not periods[-1].is_open:
        raise TimelineError(
            _("De laatste periode moet nog lopen: laat de laatste ziektedag leeg (JJJJ-MM-DD/).")
        )
    case = current_case(periods)
    return {
        "case_start": case[0].first,
        "counted_days_until_last_start": counted_days_before(case, case[-1].first),
        "milestones": milestones(periods),
    }

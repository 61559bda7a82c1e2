"""The answer term of a data-subject request for systems: dates only, nothing stored.

``GET /api/v1/privacy/deadline?received=2026-01-31[&extended=1]`` → ``{"due": "2026-03-02"}``
(:func:`arbo.privacy.rights.clock.due_date`). It reads and writes no personal data, so it writes no
audit record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.utils import timezone
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

from arbo.api.auth import ApiTokenAuthentication
from arbo.api.views import ErrorSerializer
from arbo.privacy.rights.clock import due_date


class DeadlineSerializer(serializers.Serializer):
    due = serializers.DateField(help_text="Uiterste antwoorddatum (JJJJ-MM-DD).")


class DeadlineError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def deadline_answer(params: dict[str, str] | Any) -> dict[str, dt.date]:
    """The answer for the query parameters; :class:`DeadlineError` with a clear message otherwise."""
    unknown = sorted(set(params) - {"received", "extended"})
    if unknown:
        raise DeadlineError(_("Onbekende queryparameter: %(name)s.") % {"name": unknown[0]})
    text = params.get("received", "")
    if not text:
        raise DeadlineError(_("Geef de ontvangstdatum op, bijvoorbeeld received=2026-01-31."))
    try:
        received = dt.date.fromisoformat(text)
    except ValueError:
        raise DeadlineError(
            _("Ongeldige ontvangstdatum %(value)s: gebruik JJJJ-MM-DD.") % {"value": text[:20]}
        ) from None
    if received > timezone.localdate():
        raise DeadlineError(_("De ontvangstdatum kan niet in de toekomst liggen."))
    if received.year < 2000:
        raise DeadlineError(_("De ontvangstdatum ligt te ver in het verleden."))
    extended = params.get("extended", "0")
    if extended not in ("0", "1"):
        raise DeadlineError(_("extended is 0 of 1."))
    return {"due": due_date(received, extended=extended == "1")}


class RightsDeadlineView(APIView):
    # Any signed-in user or API client may call it: it holds no personal data.
    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        tags=["privacy"],
        operation_id="privacy_deadline",
        summary="Antwoordtermijn van een verzoek van een betrokkene",
        description="De uiterste antwoorddatum van een verzoek (inzage, correctie, verwijdering, ...): "
        "de ontvangstdag plus één kalendermaand (de laatste dag van de maand als die dag niet bestaat), "
        "op een zaterdag, zondag of feestdag de eerstvolgende werkdag (AVG art. 12 lid 3; Algemene "
        "termijnenwet). Met `extended=1` de eenmalige verlenging met ten hoogste twee maanden. "
        "Slaat niets op en leest geen persoonsgegevens.",
        parameters=[
            OpenApiParameter(
                "received",
                OpenApiTypes.DATE,
                OpenApiParameter.QUERY,
                required=True,
                description="Dag van ontvangst (JJJJ-MM-DD), niet in de toekomst.",
                examples=[OpenApiExample("31 januari", value="2026-01-31")],
            ),
            OpenApiParameter(
                "extended",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                required=False,
                enum=[0, 1],
                description="1: de termijn na de eenmalige verlenging.",
            ),
        ],
        auth=cast(Any, [{"apiToken": []}]),
        responses={
            200: DeadlineSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="Ontbrekende, ongeldige of toekomstige datum, of een onbekende queryparameter.",
            ),
            401: OpenApiResponse(ErrorSerializer, description="Niet ingelogd: geen of een ongeldig token."),
        },
    )
    def get(self, request: Request) -> Response:
        try:
            answer = deadline_answer(request.query_params)
        except DeadlineError as error:
            return Response({"detail": error.message}, status=status.HTTP_400_BAD_REQUEST)
        return Response(DeadlineSerializer(answer).data)

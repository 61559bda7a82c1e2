"""Employer API, version 1: sick and recovery reports (category A only).

Cases and employees are fetched through :mod:`arbo.api.queries` (on
:func:`arbo.absence.queries.cases_visible_to` and :func:`arbo.access.policy.employees_visible_to`;
another employer's: 404). Writes go through
:mod:`arbo.absence.reports.domain`, the same functions the portal uses: the same validation (no medical
terms in remarks, no future first sick day, ...) and the same audit records.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from arbo.absence.models import Channel
from arbo.absence.reports import domain as report_domain
from arbo.api import queries
from arbo.api.pagination import KeysetPagination
from arbo.api.serializers_absence import AbsenceSerializer, RecoveryReportSerializer, SickReportSerializer
from arbo.api.views import _ERRORS, LIST_400, QUERY_400, EmployerApiView
from arbo.lib.errors import DomainError


def _domain_error(error: DomainError) -> ValidationError:
    return ValidationError({error.field or "non_field_errors": [error.message]})


class AbsencePagination(KeysetPagination):
    """Last registered case first (issue 12: keyset pages, index ``absence_case_employer_recent``)."""

    ordering = "-id"


class AbsenceApiView(EmployerApiView):
    serializer_class = AbsenceSerializer  # type: ignore[assignment]
    lookup_url_kwarg = "case_id"

    def get_queryset(self) -> Any:
        return self.cases()

    def get_serializer_class(self) -> Any:
        return AbsenceSerializer

    def cases(self) -> Any:
        return queries.cases_of(self.client, self.employer)


class AbsenceListView(AbsenceApiView):
    pagination_class = AbsencePagination

    @extend_schema(
        tags=["absences"],
        operation_id="absences_list",
        summary="Verzuimgevallen van de eigen werkgever",
        description="Alle verzuimgevallen (ziekte- en herstelmeldingen) bij de werkgever van de "
        "API-koppeling, laatst geregistreerde eerst, per pagina met een cursor (volg 'next' tot "
        "die null is). Alleen categorie A: nooit aard of oorzaak.",
        responses={200: AbsenceSerializer(many=True), 400: LIST_400, 401: _ERRORS[401]},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.cases()) or []
        queries.absences_listed(self.client, page)
        return self.get_paginated_response(AbsenceSerializer(page, many=True).data)

    @extend_schema(
        tags=["absences"],
        operation_id="absences_report_sick",
        summary="Ziekmelding",
        description="Meldt een werknemer ziek. Volgt de nieuwe periode binnen 28 dagen op een "
        "eerdere, dan telt die samen en komt hij in hetzelfde verzuimgeval.",
        request=SickReportSerializer,
        responses={201: AbsenceSerializer, 400: _ERRORS[400], 401: _ERRORS[401], 404: _ERRORS[404]},
    )
    def post(self, request: Request) -> Response:
        serializer = SickReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        employee = queries.employee_to_report(self.client, data.pop("employee"))
        try:
            period = report_domain.report_sick(
                employee, by=self.client, via=Channel.API, employer=self.employer, **data
            )
        except DomainError as error:
            raise _domain_error(error) from error
        case = self.cases().get(pk=period.case_id)
        location = reverse("api:absence_detail", args=[case.pk])
        return Response(
            AbsenceSerializer(case).data, status=status.HTTP_201_CREATED, headers={"Location": location}
        )


class AbsenceDetailView(AbsenceApiView):
    @extend_schema(
        tags=["absences"],
        operation_id="absences_retrieve",
        summary="Eén verzuimgeval",
        responses={200: AbsenceSerializer, 400: QUERY_400, 401: _ERRORS[401], 404: _ERRORS[404]},
    )
    def get(self, request: Request, case_id: int) -> Response:
        case = queries.absence_read(self.client, get_object_or_404(self.cases(), pk=case_id))
        return Response(AbsenceSerializer(case).data)


class RecoveryView(AbsenceApiView):
    @extend_schema(
        tags=["absences"],
        operation_id="absences_report_recovery",
        summary="Hersteldmelding",
        description="Volledig herstel (`full`) sluit het verzuim; gedeeltelijk herstel (`partial`) "
        "vraagt een percentage tussen 1 en 99 en laat het verzuim doorlopen.",
        request=RecoveryReportSerializer,
        responses={200: AbsenceSerializer, 400: _ERRORS[400], 401: _ERRORS[401], 404: _ERRORS[404]},
    )
    def post(self, request: Request, case_id: int) -> Response:
        case = get_object_or_404(self.cases(), pk=case_id)
        serializer = RecoveryReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            report_domain.report_recovery(case, by=self.client, via=Channel.API, **serializer.validated_data)
        except DomainError as error:
            raise _domain_error(error) from error
        return Response(AbsenceSerializer(self.cases().get(pk=case.pk)).data)

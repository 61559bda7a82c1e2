"""Employer API, version 1: the employees of the API client's own employer, categories A and D.

Every employee is fetched through :func:`arbo.access.policy.employees_visible_to`, so an employee
of another employer (or no employee at all) is a 404. Reads write READ audit records; writes go
through :mod:`arbo.registry.domain`, which writes CREATE/UPDATE records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db import IntegrityError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from arbo.access.matrix import Action, Category
from arbo.access.policy import require
from arbo.api import queries
from arbo.api.domain import employer_of
from arbo.api.pagination import KeysetPagination
from arbo.api.parsers import LimitedJSONParser
from arbo.api.serializers import EmployeeReadSerializer, EmployeeWriteSerializer
from arbo.identity.models import User
from arbo.lib.errors import DomainError
from arbo.registry import domain as registry_domain
from arbo.registry.models import Employer

if TYPE_CHECKING:  # type hints only: employees are read through api.queries
    from arbo.registry.models import Employee

#: Audit category of what these endpoints show: A (BSN, employment) and D (name, address).
READ_CATEGORIES = queries.READ_CATEGORIES


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


_ERRORS: dict[int, Any] = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Ongeldige invoer: per veld een lijst meldingen."),
    401: OpenApiResponse(ErrorSerializer, description="Geen, ongeldig of ingetrokken token."),
    404: OpenApiResponse(
        ErrorSerializer, description="Werknemer bestaat niet of hoort niet bij uw werkgever."
    ),
}
#: A list's paging parameters out of range (``offset=null``, ``limit=0``) or an unknown query
#: parameter: per parameter a message.
LIST_400 = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Ongeldige limit of offset, of een onbekende queryparameter."
)
#: An unknown query parameter (the API accepts none but those documented).
QUERY_400 = OpenApiResponse(OpenApiTypes.OBJECT, description="Een onbekende queryparameter.")


class IsEmployerApiClient(BasePermission):
    message = gettext_lazy("Alleen API-koppelingen van een werkgever hebben toegang.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.user.is_authenticated and employer_of(cast(User, request.user)) is not None


class EmployerApiView(GenericAPIView):
    # Common ground: JSON only, token-authenticated API clients, scoped to ``self.employer``.

    permission_classes = [IsAuthenticated, IsEmployerApiClient]
    renderer_classes = [JSONRenderer]
    parser_classes = [LimitedJSONParser]
    pagination_class = KeysetPagination  # employees in the order they were registered
    serializer_class = EmployeeReadSerializer
    lookup_url_kwarg = "employee_id"
    employer: Employer

    def get_queryset(self) -> QuerySet[Any]:
        # Declared for DRF's generic machinery (OPTIONS calls get_object()): the visible ones only.
        return self.employees()

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.request is not None and self.request.method in {"POST", "PUT", "PATCH"}:
            return EmployeeWriteSerializer
        return EmployeeReadSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["employer"] = getattr(self, "employer", None)
        return context

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.employer = employer_of(self.client)  # type: ignore[assignment]  # the permission ensures it
        method = (request.method or "").lower()
        if method in {"get", "post", "put", "patch"} and hasattr(self, method):
            # Only for the documented operations: any other method stays a plain 405.
            refuse_unknown_query_parameters(request, self.known_query_parameters(request))

    def known_query_parameters(self, request: Request) -> set[str]:
        """The query parameters this request may carry: paging on a list's GET, else none."""
        return {"limit", "cursor"} if request.method == "GET" and not self.kwargs else set()

    @property
    def client(self) -> User:
        """The authenticated API client (the permissions let no one else through)."""
        return cast(User, self.request.user)

    def employees(self) -> QuerySet[Employee]:
        """Visible employees, each with ``own_employments``: this employer's employments only."""
        return queries.employees_of(self.client, self.employer)

    def get_employee(self, employee_id: int) -> Employee:
        return queries.employee_of(self.client, self.employer, employee_id)

    def require_change(self, subject: Employee | None = None) -> None:
        require(self.client, Action.CHANGE, Category.A, subject)
        require(self.client, Action.CHANGE, Category.D, subject)


def refuse_unknown_query_parameters(request: Request, known: set[str]) -> None:
    """A 400 for any query parameter the schema does not list (a typo would otherwise be ignored)."""
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise ValidationError({name: [_("Onbekende queryparameter.")] for name in unknown[:10]})


def _integrity_error() -> ValidationError:
    # A concurrent write won the race for a unique value (personnel number or BSN).
    return ValidationError(
        {"detail": _("Deze gegevens botsen met een andere werknemer; controleer personeelsnummer en BSN.")}
    )


class EmployeeListView(EmployerApiView):
    @extend_schema(
        tags=["employees"],
        operation_id="employees_list",
        summary="Werknemers van de eigen werkgever",
        description="Alle werknemers met een (huidig of eerder) dienstverband bij de werkgever van "
        "de API-koppeling, in volgorde van registratie, per pagina met een cursor (volg 'next' tot die "
        "null is). Alleen categorie A en D.",
        responses={200: EmployeeReadSerializer(many=True), 400: LIST_400, 401: _ERRORS[401]},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.employees()) or []
        queries.employees_listed(self.client, page)
        return self.get_paginated_response(EmployeeReadSerializer(page, many=True).data)

    @extend_schema(
        tags=["employees"],
        operation_id="employees_create",
        summary="Werknemer aanmaken",
        description="Registreert een werknemer met het dienstverband bij de eigen werkgever. Is de "
        "persoon (zelfde BSN) al bekend via een andere werkgever, dan krijgt die persoon het nieuwe "
        "dienstverband. Is de persoon al werknemer van deze werkgever, dan volgt 400.",
        request=EmployeeWriteSerializer,
        responses={201: EmployeeReadSerializer, 400: _ERRORS[400], 401: _ERRORS[401]},
    )
    def post(self, request: Request) -> Response:
        self.require_change()
        serializer = EmployeeWriteSerializer(data=request.data, context={"employer": self.employer})
        serializer.is_valid(raise_exception=True)
        fields, employment_values = serializer.split()
        self._refuse_known_bsn(fields.get("bsn", ""))
        try:
            employee = registry_domain.create_employee(
                by=self.client,
                employer=self.employer,
                employment=employment_values,
                **fields,
            )
        except IntegrityError as exc:
            raise _integrity_error() from exc
        except DomainError as error:
            raise ValidationError({error.field or "non_field_errors": [error.message]}) from error
        location = reverse("api:employee_detail", args=[employee.pk])
        data = EmployeeReadSerializer(self.get_employee(employee.pk)).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})

    def _refuse_known_bsn(self, bsn: str) -> None:
        if not bsn:
            return
        known = queries.known_employee_id(self.client, self.employer, bsn)
        if known is not None:
            message = _("Deze persoon is al werknemer van deze werkgever (id %(id)s); wijzig die werknemer.")
            raise ValidationError({"bsn": [message % {"id": known}]})


class EmployeeDetailView(EmployerApiView):
    @extend_schema(
        tags=["employees"],
        operation_id="employees_retrieve",
        summary="Eén werknemer",
        description="Een werknemer van de eigen werkgever. Bestaat de werknemer niet of hoort die "
        "niet bij deze werkgever, dan volgt 404.",
        responses={200: EmployeeReadSerializer, 400: QUERY_400, 401: _ERRORS[401], 404: _ERRORS[404]},
    )
    def get(self, request: Request, employee_id: int) -> Response:
        employee = queries.employee_read(self.client, self.get_employee(employee_id))
        return Response(EmployeeReadSerializer(employee).data)

    @extend_schema(
        tags=["employees"],
        operation_id="employees_update",
        summary="Werknemer wijzigen (volledig)",
        description="Achternaam en geboortedatum zijn verplicht; velden die ontbreken blijven "
        "ongewijzigd. `employment` wijzigt het nieuwste dienstverband bij de eigen werkgever.",
        request=EmployeeWriteSerializer,
        responses={200: EmployeeReadSerializer, **_ERRORS},
    )
    def put(self, request: Request, employee_id: int) -> Response:
        return self._update(request, employee_id, partial=False)

    @extend_schema(
        tags=["employees"],
        operation_id="employees_partial_update",
        summary="Werknemer wijzigen (gedeeltelijk)",
        description="Alleen de meegestuurde velden veranderen. `employment` wijzigt het nieuwste "
        "dienstverband bij de eigen werkgever.",
        request=EmployeeWriteSerializer,
        responses={200: EmployeeReadSerializer, **_ERRORS},
    )
    def patch(self, request: Request, employee_id: int) -> Response:
        return self._update(request, employee_id, partial=True)

    def _update(self, request: Request, employee_id: int, *, partial: bool) -> Response:
        employee = self.get_employee(employee_id)
        self.require_change(employee)
        employment = employee.own_employments[0] if employee.own_employments else None  # type: ignore[attr-defined]
        context = {"employer": self.employer, "employee": employee, "employment": employment}
        serializer = EmployeeWriteSerializer(data=request.data, partial=partial, context=context)
        serializer.is_valid(raise_exception=True)
        fields, employment_values = serializer.split()
        try:
            registry_domain.update_employee(
                employee,
                by=self.client,
                employment=employment,
                employment_values=employment_values,
                **fields,
            )
        except IntegrityError as exc:
            raise _integrity_error() from exc
        return Response(EmployeeReadSerializer(self.get_employee(employee_id)).data)

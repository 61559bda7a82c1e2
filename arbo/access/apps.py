from typing import Any

from django.apps import AppConfig, apps
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_migrate


class AccessConfig(AppConfig):
    name = "arbo.access"
    label = "access"

    def ready(self) -> None:
        from arbo.access import matrix, scope

        request_started.connect(matrix.request_started, dispatch_uid="access.matrix.request_started")
        request_finished.connect(matrix.request_finished, dispatch_uid="access.matrix.request_finished")
        request_started.connect(scope.request_started, dispatch_uid="access.scope.request_started")
        request_finished.connect(scope.request_finished, dispatch_uid="access.scope.request_finished")
        _forget_on_changes(scope.forget)
        post_migrate.connect(_reseed_empty_matrix, sender=self, dispatch_uid="access.matrix.reseed")


def _forget_on_changes(forget: Any) -> None:
    """Any write to what decides access empties the request's memo of decisions (arbo.access.scope)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from arbo.access.models_care import CareRelationship, DoctorTeamMember, EmergencyAccess
    from arbo.access.models_matrix import MatrixCell, MatrixVersion
    from arbo.identity.models import ConfidentialityDeclaration, FunctionAssignment, User
    from arbo.registry.models import Employee, EmployerMembership, Employment, TeamMembership

    # is_restricted is memoised too; the restriction lives in the privacy app, above this one.
    restriction = apps.get_model("privacy", "Restriction")
    for model in (
        CareRelationship, DoctorTeamMember, EmergencyAccess, ConfidentialityDeclaration, FunctionAssignment,
        User, Employee, EmployerMembership, Employment, TeamMembership, MatrixCell, MatrixVersion, restriction,
    ):  # fmt: skip
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(forget, sender=model, dispatch_uid=f"access.scope.forget.{model.__name__}.{name}")
    m2m_changed.connect(
        forget, sender=EmployerMembership.departments.through, dispatch_uid="access.scope.forget.departments"
    )


def _reseed_empty_matrix(
    sender: AppConfig, *, apps: Any = None, using: str = "default", **kwargs: Any
) -> None:
    """Put annex 2 back into an *empty* matrix table after ``flush`` (tests with transactions).

    Migration ``0003_seed_matrix_annex_2`` seeds the table; ``flush`` empties every table and then sends
    ``post_migrate``, as it does for content types and permissions. A table with rows is never
    touched: board-approved deviations stay.
    """
    import uuid

    from django.apps import apps as global_apps

    from arbo.access.matrix import CATEGORY_ORDER, MATRIX

    apps = apps or global_apps  # ``flush`` sends no state apps
    try:
        cell_model = apps.get_model("access", "MatrixCell")
        version_model = apps.get_model("access", "MatrixVersion")
    except LookupError:  # migrated back to before the matrix existed
        return
    if cell_model.objects.using(using).exists():
        return
    cell_model.objects.using(using).bulk_create(
        cell_model(function=str(function), category=str(category), level=letters[i])
        for function, letters in MATRIX.items()
        for i, category in enumerate(CATEGORY_ORDER)
    )
    version_model.objects.using(using).all().delete()
    version_model.objects.using(using).create(token=uuid.uuid4())

"""Changes to the function × category matrix: asked with a reason, applied only after a directeur
who is not the requester approves (seed 003: "deviations only with explicit approval of the board").

Every step writes an audit record next to the change. Audit data names the cell and the levels,
never the reason or the decision note: free text may mention people.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from arbo.access import matrix
from arbo.access.matrix import Category
from arbo.access.models_matrix import Level, MatrixCell, MatrixChangeRequest
from arbo.audit import log
from arbo.identity.models import User
from arbo.identity.rights import staff_functions as _functions
from arbo.identity.roles import StaffFunction
from arbo.lib import four_eyes
from arbo.lib.errors import DomainError

#: Who reviews the matrix and may ask for a change: the privacy officer (FG), the board and the
#: functional administrator of the application.
MATRIX_REVIEWERS = frozenset(
    {StaffFunction.PRIVACY_OFFICER, StaffFunction.DIRECTEUR, StaffFunction.APPLICATIEBEHEERDER}
)
#: Who decides on a change: the board.
MATRIX_DECIDERS = frozenset({StaffFunction.DIRECTEUR})


def can_review_matrix(user: User) -> bool:
    """May see the matrix page and ask for a change."""
    return bool(_functions(user) & MATRIX_REVIEWERS)


def can_decide_matrix_change(user: User) -> bool:
    return bool(_functions(user) & MATRIX_DECIDERS)


def _data(change: MatrixChangeRequest) -> dict[str, str]:
    return {
        "function": change.function,
        "category": change.category,
        "old": change.old_level,
        "new": change.new_level,
    }


def current_level(function: str, category: str) -> str:
    """The letter in force for one cell, read from the table (not the cache)."""
    cell = (
        MatrixCell.objects.filter(function=function, category=category)
        .values_list("level", flat=True)
        .first()
    )
    return cell or Level.NONE


def request_matrix_change(
    function: str, category: str, new_level: str, *, reason: str, by: User
) -> MatrixChangeRequest:
    """Ask for one cell to change. Nothing takes effect until :func:`approve_matrix_change`."""
    if not can_review_matrix(by):
        raise DomainError(_("Je mag geen wijziging van de autorisatiematrix aanvragen."))
    if function not in StaffFunction.values:
        raise DomainError(_("Kies een bestaande functie."), field="function")
    if category not in Category.values:
        raise DomainError(_("Kies categorie A, B, C of D."), field="category")
    if new_level not in Level.values:
        raise DomainError(_("Kies een geldig toegangsniveau."), field="new_level")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Geef een reden voor de wijziging."), field="reason")
    pending = _("Voor deze functie en categorie wacht al een wijziging op een besluit.")
    with transaction.atomic():
        old_level = current_level(function, category)
        if new_level == old_level:
            raise DomainError(
                _("Dit is al het toegangsniveau van deze functie voor deze categorie."), field="new_level"
            )
        if MatrixChangeRequest.objects.filter(
            function=function, category=category, status=MatrixChangeRequest.Status.PENDING
        ).exists():
            raise DomainError(pending, field="category")
        try:
            with transaction.atomic():  # a concurrent request for the same cell: one wins
                change = MatrixChangeRequest.objects.create(
                    function=function,
                    category=category,
                    old_level=old_level,
                    new_level=new_level,
                    reason=reason,
                    requested_by=by,
                )
        except IntegrityError:
            raise DomainError(pending, field="category") from None
        log.record(
            by,
            log.Action.CREATE,
            "access.matrix_change_requested",
            obj=change,
            data=_data(change),
        )
    return change


#: A matrix change request, pending until a directeur decides (arbo.lib.four_eyes).
FLOW = four_eyes.Flow(
    open_status=MatrixChangeRequest.Status.PENDING,
    approved_status=MatrixChangeRequest.Status.APPROVED,
    rejected_status=MatrixChangeRequest.Status.REJECTED,
    already_decided=gettext_lazy("Over deze wijziging is al besloten."),
)


def _decide(change: MatrixChangeRequest, *, by: User, approve: bool, note: str) -> MatrixChangeRequest:
    event = "access.matrix_change_approved" if approve else "access.matrix_change_rejected"

    def refuse(request: MatrixChangeRequest) -> str | None:
        return four_eyes.refusal(
            request,
            by,
            approve=approve,
            may_decide=can_decide_matrix_change(by),
            not_a_decider=_(
                "Alleen een directeur kan over een wijziging van de autorisatiematrix besluiten."
            ),
            own_request=_("Je kunt je eigen aanvraag niet goedkeuren: een andere directeur moet dat doen."),
        )

    def record_refusal(_message: str) -> None:
        log.record(by, log.Action.UPDATE, event, obj=change, outcome=log.Outcome.DENIED, data=_data(change))

    def apply(locked: MatrixChangeRequest) -> None:
        cell, _created = MatrixCell.objects.select_for_update().get_or_create(
            function=locked.function, category=locked.category, defaults={"level": Level.NONE}
        )
        if cell.level != locked.old_level:
            raise DomainError(
                _(
                    "Deze cel is na de aanvraag gewijzigd. Wijs de aanvraag af en vraag zo nodig "
                    "een nieuwe wijziging aan."
                )
            )
        cell.level = locked.new_level
        cell.save(update_fields=["level"])
        matrix.invalidate()

    return four_eyes.decide(
        change,
        by=by,
        approve=approve,
        flow=FLOW,
        refuse=refuse,
        on_refused=record_refusal,
        apply=apply,
        fields={"decision_note": (note or "").strip()},
        record=lambda locked: log.record(by, log.Action.UPDATE, event, obj=locked, data=_data(locked)),
    )


def approve_matrix_change(change: MatrixChangeRequest, *, by: User, note: str = "") -> MatrixChangeRequest:
    """A directeur other than the requester approves: the cell changes now, in one transaction."""
    return _decide(change, by=by, approve=True, note=note)


def reject_matrix_change(change: MatrixChangeRequest, *, by: User, note: str = "") -> MatrixChangeRequest:
    """A directeur rejects: the matrix stays as it is. (Rejecting one's own request withdraws it.)"""
    return _decide(change, by=by, approve=False, note=note)

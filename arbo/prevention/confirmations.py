"""The second step before the applicant's consent sends the pre-employment outcome to the employer
(issue 18): the employer's users by name and the one thing they will read, before anything is
written. A release is final: the employer has seen the outcome."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from arbo.access.policy import can_receive_exam_outcome
from arbo.access.recipients import describe
from arbo.identity.models import User
from arbo.lib.confirm import Confirmation
from arbo.prevention import queries
from arbo.prevention.models import PreEmploymentExam


def release_outcome(user: User, exam: PreEmploymentExam) -> Confirmation:
    applicant = exam.applicant
    readers = [
        reader
        for reader in User.objects.filter(
            kind=User.Kind.EMPLOYER, is_active=True, employer_memberships__employer=applicant.employer_id
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
        if can_receive_exam_outcome(reader, applicant)
    ]
    view = next((e for e in queries.pre_employment_exams_for(user, applicant) if e.pk == exam.pk), None)
    outcome = str(getattr(view, "outcome", "") or "")
    return Confirmation(
        title=_("Uitslag naar de werkgever: bevestigen"),
        intro=_(
            "Met de toestemming van %(name)s gaat de uitslag van de keuring nu naar de werkgever. Dat kan "
            "niet worden teruggedraaid: de werkgever heeft de uitslag dan gezien. Bevindingen en "
            "onderzoeksresultaten gaan nooit mee."
        )
        % {"name": applicant},
        action=reverse("prevention:release_decision", args=[exam.pk]),
        button=_("Ja, uitslag naar de werkgever"),
        back=reverse("prevention:applicant", args=[applicant.pk]),
        recipients=[
            _("%(employer)s: %(names)s")
            % {"employer": applicant.employer, "names": describe(readers) or _("nog niemand met een account")}
        ],
        contents=[(_("Uitslag"), outcome)] if outcome else [],
        hidden=[("decision", "release")],
    )

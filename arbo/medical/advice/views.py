"""Advice after a consultation, and what employer and employee receive of the medical app.

- the doctor's team writes and releases advice (``save_advice``, ``release_advice``) and records
  a consent given on paper or in person for a report that does not reach the employer by itself;
- the employer sees, per employee, only released advice, no-show notices of regular
  consultations and planned regular appointments (``employer_released``);
- the employee sees their own appointments and released advice, marks advice seen (with a
  response or correction request) and may consent to one report reaching the employer (``mine``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.absence.medical_terms import find_medical_terms
from arbo.access import policy
from arbo.access.care import treating_doctor_of
from arbo.access.policy import employees_visible_to
from arbo.access.recipients import describe, employer_recipients
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.lib import confirm
from arbo.lib.confirm import Confirmation
from arbo.lib.errors import DomainError
from arbo.medical import queries as medical_queries
from arbo.medical.advice import confirmations, domain, queries
from arbo.medical.consultations import queries as consultation_queries
from arbo.medical.forms import AdviceForm, AdviceSeenForm, ReportConsentForm
from arbo.medical.policies import may_treat

if TYPE_CHECKING:  # type hints only: consultations and advice are read through medical.queries
    from arbo.medical.models import Consultation, ConsultationAdvice


def _treated_consultation(request: AuthenticatedHttpRequest, consultation_id: int) -> Consultation:
    consultation = get_object_or_404(
        consultation_queries.consultations_visible_to(request.user), pk=consultation_id
    )
    if not may_treat(request.user, consultation.employee):
        raise Http404
    return consultation


@login_required
@require_POST
def save_advice(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    consultation = _treated_consultation(request, consultation_id)
    form = AdviceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Het advies is niet opgeslagen: controleer de velden."))
        return redirect(consultation)
    try:
        domain.save_advice(consultation, by=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Het advies is opgeslagen. Het is nog niet verstrekt."))
    return redirect(consultation)


def _advice_confirmation(
    request: AuthenticatedHttpRequest, consultation: Consultation, advice: ConsultationAdvice
) -> Confirmation:
    """Who will read the advice, and what they read (issue 18), with any medical terms found."""
    employee = consultation.employee
    to_employer = consultation.reaches_employer and not advice.employee_review_requested
    recipients = [_("%(name)s (de werknemer), nu, in het portaal") % {"name": employee.full_name}]
    if to_employer:
        names = describe(employer_recipients(employee)) or _("nog niemand met een account")
        recipients.append(_("De werkgever, op hetzelfde moment: %(names)s") % {"names": names})
    elif consultation.reaches_employer:
        recipients.append(
            _("De werkgever pas nadat de werknemer het advies heeft gezien en niet om correctie vroeg")
        )
    else:
        recipients.append(_("De werkgever niet: dit consult bereikt de werkgever niet"))
    view = medical_queries.consultation_view(request.user, consultation).advice
    contents = confirmations.advice_contents(view)
    return Confirmation(
        title=_("Advies verstrekken: bevestigen"),
        intro=_("Verstrekken kan niet worden teruggedraaid: wie het advies ontvangt, kan het blijven lezen."),
        action=reverse("medical:release_advice", args=[consultation.pk]),
        button=_("Ja, verstrekken aan werknemer en werkgever")
        if to_employer
        else _("Ja, verstrekken aan de werknemer"),
        back=consultation.get_absolute_url(),
        recipients=recipients,
        contents=contents,
        medical_terms=find_medical_terms(" ".join(text for _label, text in contents)) if to_employer else [],
    )


@login_required
@require_POST
def release_advice(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    consultation = _treated_consultation(request, consultation_id)
    advice = queries.advice_of(consultation)
    if advice.employee_released_at is None:
        # Issue 18: nothing is released before the second step said who will see what; medical
        # terms in advice for the employer need an explicit "release anyway".
        confirmation = _advice_confirmation(request, consultation, advice)
        if not confirm.confirmed(request) or (
            confirmation.medical_terms and not confirm.terms_accepted(request)
        ):
            if confirm.confirmed(request):
                confirmation.error = _(
                    "Vink aan dat je de tekst hebt nagekeken, of pas het advies eerst aan."
                )
            return render(request, "confirm.html", {"confirmation": confirmation})
    try:
        advice = domain.release_advice(advice, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if advice.employer_released_at is not None:
            messages.success(request, _("Het advies is tegelijk aan werknemer en werkgever verstrekt."))
        else:
            messages.success(request, _("Het advies is aan de werknemer verstrekt."))
    return redirect(consultation)


@login_required
@require_POST
def record_report_consent(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    """Staff record the employee's written or spoken consent to send this one report to the employer."""
    consultation = _treated_consultation(request, consultation_id)
    advice = queries.advice_of(consultation)
    form = ReportConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies hoe de werknemer toestemming gaf."))
        return redirect(consultation)
    if not confirm.confirmed(request):  # issue 18: the employer's readers by name, then the release
        confirmation = confirmations.employer_report(request.user, consultation, form.cleaned_data["how"])
        return render(request, "confirm.html", {"confirmation": confirmation})
    try:
        domain.consent_to_employer_report(advice, by=request.user, how=form.cleaned_data["how"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("De toestemming is vastgelegd; alleen dit verslag is aan de werkgever verstrekt.")
        )
    return redirect(consultation)


# --- The employer --------------------------------------------------------------------------------


@login_required
def employer_released(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    """For employer users: what the company doctor released about this employee."""
    if not policy.is_employer_user(request.user):
        raise Http404
    employee = get_object_or_404(employees_visible_to(request.user), pk=employee_id)
    release = queries.released_for_employer(request.user, employee)
    return render(request, "medical/employer_released.html", {"employee": employee, "release": release})


# --- The employee --------------------------------------------------------------------------------


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    overview = medical_queries.own_overview(request.user)
    context = {
        "overview": overview,
        "seen_form": AdviceSeenForm(),
        # The employee sees who their treating doctor is (issue 9, item 2).
        "treating_doctor": treating_doctor_of(overview.employee),
    }
    return render(request, "medical/mine.html", context)


def _consent_confirmation(request: AuthenticatedHttpRequest, advice: ConsultationAdvice) -> Confirmation:
    """What the employee's consent does: this one report, to these people at the employer, now."""
    names = describe(employer_recipients(advice.employee)) or _("nog niemand met een account")
    view = next((a for a in medical_queries.own_overview(request.user).advice if a.pk == advice.pk), None)
    contents = confirmations.advice_contents(view)
    return Confirmation(
        title=_("Toestemming geven: bevestigen"),
        intro=_(
            "Met je toestemming gaat dit ene verslag nu naar je werkgever. Dat kan niet worden "
            "teruggedraaid: wie het ontvangt, kan het blijven lezen. Je medische gegevens gaan nooit mee."
        ),
        action=reverse("medical:mine_advice_consent", args=[advice.pk]),
        button=_("Ja, ik geef toestemming"),
        back=reverse("medical:mine"),
        recipients=[_("Je werkgever: %(names)s") % {"names": names}],
        contents=contents,
        hidden=[("confirm", "yes")],
    )


def _own_advice(request: AuthenticatedHttpRequest, advice_id: int) -> ConsultationAdvice:
    return queries.own_released_advice(request.user, advice_id)


@login_required
@require_POST
def mine_advice_seen(request: AuthenticatedHttpRequest, advice_id: int) -> HttpResponse:
    advice = _own_advice(request, advice_id)
    form = AdviceSeenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Je reactie is te lang."))
        return redirect("medical:mine")
    try:
        advice = domain.mark_advice_seen(advice, by=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if advice.correction_requested:
            messages.success(
                request,
                _("Je correctieverzoek is naar de arts gestuurd. Je werkgever ontvangt het advies nog niet."),
            )
        elif advice.employer_released_at is not None:
            messages.success(request, _("Bedankt. Het advies is nu ook aan je werkgever verstrekt."))
        else:
            messages.success(request, _("Bedankt, vastgelegd dat je het advies hebt gezien."))
    return redirect("medical:mine")


@login_required
@require_POST
def mine_advice_consent(request: AuthenticatedHttpRequest, advice_id: int) -> HttpResponse:
    advice = _own_advice(request, advice_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Vink aan dat je toestemming geeft."))
        return redirect("medical:mine")
    if not confirm.confirmed(request) and advice.employer_released_at is None:
        # Issue 18: giving consent releases this report to the employer at once; first say who.
        return render(request, "confirm.html", {"confirmation": _consent_confirmation(request, advice)})
    try:
        domain.consent_to_employer_report(advice, by=request.user)  # how: in the portal
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Je hebt toestemming gegeven. Alleen dit verslag is aan je werkgever verstrekt.")
        )
    return redirect("medical:mine")

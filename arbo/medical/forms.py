"""Forms of the medical app: they validate input; the domain functions write."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arbo.access.care import doctors
from arbo.lib.dates import show_moment
from arbo.medical.models import Consultation, ConsultationSlot, EmployerReportConsent, MedicalNote, Mode
from arbo.medical.records.models import FML_RUBRICS, MAX_DOCUMENT_BYTES, InformationRequest, Limitation
from arbo.registry.models import Practitioner

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _text(label: Any, *, rows: int = 3, required: bool = False, max_length: int = 5_000) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        start = timezone.localtime(obj.starts_at)
        return f"{show_moment(start)} — {obj.doctor.get_full_name() or obj.doctor} ({obj.get_mode_display()})"


class DoctorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or str(obj)


class MedicalNoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=MedicalNote.Kind.choices)
    body = forms.CharField(
        label=_("Medische notitie"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000
    )
    cas_code = forms.CharField(
        label=_("CAS-code"), required=False, max_length=20, help_text=_("Alleen bij een diagnose.")
    )
    icd10_code = forms.CharField(
        label=_("ICD-10-code"), required=False, max_length=20, help_text=_("Alleen bij een diagnose.")
    )
    consultation = forms.TypedChoiceField(
        label=_("Bij consult"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, consultations: list[Consultation] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, Any]] = [("", _("geen"))]
        choices += [
            (c.pk, f"{show_moment(c.starts_at)} ({c.get_kind_display()})") for c in consultations or []
        ]
        cast(forms.ChoiceField, self.fields["consultation"]).choices = choices


class PlanConsultationForm(forms.Form):
    """Book a free slot, or (for a doctor's own agenda) a doctor and a time."""

    slot = SlotChoiceField(label=_("Vrij tijdvak"), queryset=None, required=False)
    doctor = DoctorChoiceField(label=_("Of: arts"), queryset=None, required=False)
    starts_at = forms.DateTimeField(label=_("begin"), required=False, widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("einde"), required=False, widget=DATETIME)
    kind = forms.ChoiceField(label=_("Soort afspraak"), choices=Consultation.Kind.choices)
    mode = forms.ChoiceField(
        label=_("Vorm"), choices=[("", _("zoals het tijdvak"))] + list(Mode.choices), required=False
    )
    location = forms.CharField(label=_("Locatie"), max_length=200, required=False)
    video_link = forms.URLField(
        label=_("Link naar de videoverbinding"), max_length=500, required=False, assume_scheme="https"
    )
    reason = _text(_("Medische reden (categorie C)"))

    def __init__(self, *args: Any, slots: list[Any], with_reason: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["slot"]).queryset = (
            ConsultationSlot.objects.filter(pk__in=[s.pk for s in slots])
            .select_related("doctor")
            .order_by("starts_at")
        )
        cast(forms.ModelChoiceField, self.fields["doctor"]).queryset = doctors()
        if not with_reason:
            del self.fields["reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if not data.get("slot") and not (
            data.get("doctor") and data.get("starts_at") and data.get("ends_at")
        ):
            raise forms.ValidationError(_("Kies een vrij tijdvak, of een arts met begin- en eindtijd."))
        return data


class RescheduleForm(forms.Form):
    slot = SlotChoiceField(label=_("Nieuw tijdvak"), queryset=None)

    def __init__(self, *args: Any, slots: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["slot"]).queryset = (
            ConsultationSlot.objects.filter(pk__in=[s.pk for s in slots])
            .select_related("doctor")
            .order_by("starts_at")
        )


class SlotsForm(forms.Form):
    """Consecutive slots of one length between two times of one day."""

    doctor = DoctorChoiceField(label=_("Arts"), queryset=None)
    day = forms.DateField(label=_("Datum"), widget=DATE)
    start = forms.TimeField(label=_("Van"), widget=TIME)
    end = forms.TimeField(label=_("Tot"), widget=TIME)
    minutes = forms.IntegerField(label=_("Minuten per afspraak"), min_value=10, max_value=240, initial=30)
    mode = forms.ChoiceField(label=_("Vorm"), choices=Mode.choices)
    location = forms.CharField(label=_("Locatie"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["doctor"]).queryset = doctors()

    def periods(self) -> list[tuple[dt.datetime, dt.datetime]]:
        data = self.cleaned_data
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(data["day"], data["start"], tzinfo=tz)
        end = dt.datetime.combine(data["day"], data["end"], tzinfo=tz)
        step = dt.timedelta(minutes=data["minutes"])
        result = []
        while start + step <= end:
            result.append((start, start + step))
            start += step
        return result

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if self.is_bound and not self.errors and not self.periods():
            raise forms.ValidationError(_("Tussen begin en einde past geen enkele afspraak."))
        return data


class ReasonForm(forms.Form):
    reason = _text(_("Medische reden (categorie C)"))


class AdviceForm(forms.Form):
    can_do = _text(_("Wat de werknemer kan"))
    cannot_do = _text(_("Wat de werknemer (nog) niet kan"))
    expected_duration = forms.CharField(label=_("Verwachte duur"), max_length=500, required=False)
    adjustments = _text(_("Nodige aanpassingen"))
    reintegration = _text(_("Advies over de re-integratie"))
    employee_review_requested = forms.BooleanField(
        label=_("De werknemer wil het advies eerst inzien"), required=False
    )
    #: The advice as the form showed it: its last save time, or "new" (issue 19).
    based_on = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class AdviceSeenForm(forms.Form):
    response = _text(_("Je reactie (optioneel)"), max_length=2_000)
    correction_requested = forms.BooleanField(
        label=_("Ik vraag om een correctie voordat het advies naar mijn werkgever gaat"), required=False
    )


class ReportConsentForm(forms.Form):
    how = forms.ChoiceField(
        label=_("Hoe gaf de werknemer toestemming"),
        choices=[c for c in EmployerReportConsent.How.choices if c[0] != EmployerReportConsent.How.PORTAL],
    )


class IncomingDocumentForm(forms.Form):
    file = forms.FileField(label=_("Scan"), help_text=_("PDF, JPEG, PNG of TIFF, hoogstens 10 MB."))
    received_on = forms.DateField(label=_("Ontvangen op"), widget=DATE, initial=timezone.localdate)
    sender = forms.CharField(label=_("Afzender"), max_length=200, required=False)
    description = forms.CharField(label=_("Omschrijving"), max_length=500, required=False)
    paper = forms.ChoiceField(
        label=_("Het papier"),
        choices=[
            ("destroyed", _("is vandaag vernietigd")),
            ("pending", _("wordt nog vernietigd")),
            ("retained", _("wordt bewaard in een afgesloten kast")),
        ],
        initial="destroyed",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("Een scan is hoogstens 10 MB groot."))
        return upload


class PaperDestroyedForm(forms.Form):
    destroyed_on = forms.DateField(label=_("Vernietigd op"), widget=DATE, initial=timezone.localdate)


class InformationConsentForm(forms.Form):
    practitioner = forms.ModelChoiceField(label=_("Behandelaar"), queryset=Practitioner.objects.all())
    question = _text(_("Vraag waarvoor toestemming is gegeven"), required=True, max_length=2_000)
    given_by = forms.CharField(label=_("Toestemming gegeven door"), max_length=200)
    given_on = forms.DateField(label=_("Datum van de toestemming"), widget=DATE, initial=timezone.localdate)


class InformationRequestForm(forms.Form):
    practitioner = forms.ModelChoiceField(label=_("Behandelaar"), queryset=Practitioner.objects.all())
    direction = forms.ChoiceField(label=_("Richting"), choices=InformationRequest.Direction.choices)
    question = _text(_("Vraag"), required=True, max_length=5_000)


class AnswerForm(forms.Form):
    answer = _text(_("Antwoord"), required=True, max_length=10_000)


class FmlForm(forms.Form):
    assessed_on = forms.DateField(label=_("Beoordeeld op"), widget=DATE, initial=timezone.localdate)
    remarks = _text(_("Toelichting"), max_length=2_000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, _label in FML_RUBRICS:
            self.fields[f"{key}_level"] = forms.ChoiceField(
                label=_("Mate van beperking"), choices=Limitation.choices, initial=Limitation.NONE
            )
            self.fields[f"{key}_note"] = forms.CharField(
                label=_("Toelichting"), max_length=500, required=False
            )

    def rubrics(self) -> dict[str, tuple[str, str]]:
        return {
            key: (self.cleaned_data[f"{key}_level"], self.cleaned_data[f"{key}_note"])
            for key, _label in FML_RUBRICS
        }

    def rubric_fields(self) -> list[tuple[Any, Any, Any]]:
        return [(label, self[f"{key}_level"], self[f"{key}_note"]) for key, label in FML_RUBRICS]


class PastConsultationForm(forms.Form):
    """A consultation that already happened (a phone call a minute ago, a walk-in), recorded by the
    doctor afterwards (issue 18); ``consultations.domain.record_past_consultation`` checks the rest."""

    kind = forms.ChoiceField(label=_("Soort consult"), choices=Consultation.Kind.choices)
    status = forms.ChoiceField(
        label=_("Wat er gebeurde"),
        choices=[
            (Consultation.Status.HELD, _("het consult is gehouden")),
            (Consultation.Status.NO_SHOW, _("de werknemer verscheen niet")),
        ],
        initial=Consultation.Status.HELD,
    )
    mode = forms.ChoiceField(label=_("Vorm"), choices=Mode.choices, initial=Mode.PHONE)
    starts_at = forms.DateTimeField(label=_("begin"), widget=DATETIME)
    minutes = forms.IntegerField(label=_("Duur in minuten"), min_value=1, max_value=240, initial=15)
    location = forms.CharField(label=_("Locatie"), max_length=200, required=False)
    reason = _text(_("Medische reden (categorie C)"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("starts_at") and data.get("minutes"):
            data["ends_at"] = data["starts_at"] + dt.timedelta(minutes=data["minutes"])
            if data["ends_at"] > timezone.now():
                self.add_error(
                    "starts_at",
                    _("Een consult achteraf ligt in het verleden: kies een begin en duur die voorbij zijn."),
                )
        return data

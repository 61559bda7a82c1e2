"""Demo data for the medical file: consultations, notes, advice, a preventive consultation, a letter,
an information request, an FML and Bram's consultation hours.

Called by ``seed_demo`` after the cast, employers, employees and Bram's patients exist (the first
ten bakery employees, Eva among them). Idempotent: each part checks whether it was made already.
Everything goes through the domain functions, so it is encrypted with each person's data key and
audited like real work. No invitation mails are sent.

What a newcomer then sees:
- ``bram.arts``: his agenda at /medical/agenda/ (consultation hours next week, one booked), and
  Eva's medical file at /medical/employees/<id>/ (consultations, notes with an ICD-10 code,
  advice, a filed letter, an answered request to her GP, an FML);
- ``wim.hr`` (bakery HR) on Eva's page: the released advice, her planned spreekuur, and on a
  colleague's page a no-show notice; never the preventive consultation or the advice she still
  has to review;
- ``eva.werknemer`` at /medical/mine/: her appointments (the preventive one too), the advice, one
  waiting for her review, and her FML;
- ``sara.sec``: the letter she filed, under /medical/letters/pending/ until the paper is destroyed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from arbo.demo.cast import EMPLOYERS
from arbo.identity.models import User
from arbo.medical.advice import domain as advice_domain
from arbo.medical.consultations import domain as consultations
from arbo.medical.domain import add_medical_note
from arbo.medical.models import Consultation, ConsultationSlot, IncomingDocument, MedicalNote, Mode
from arbo.medical.records import domain as records
from arbo.medical.records.models import Limitation
from arbo.registry.models import Employee, Employer, Practitioner

DOCTOR = "bram.arts"
SECRETARY = "sara.sec"
LOCATION = "Arbodienst Utrecht, Catharijnesingel 30, spreekkamer 2"


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


def _at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """A local time ``days`` from today."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _patients(bakery: Employer) -> list[Employee]:
    return list(
        Employee.objects.filter(employments__employer=bakery, care_relationships__user__username=DOCTOR)
        .distinct()
        .order_by("employments__personnel_number")
    )


def _letter_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(
        string=(
            "<h1>Fysiotherapie De Brug</h1><p>Geachte collega,</p>"
            "<p>Mevrouw is sinds zes weken onder behandeling voor lage rugklachten. Na twaalf "
            "behandelingen is de mobiliteit verbeterd; tillen blijft pijnlijk.</p>"
            "<p>Met collegiale groet,<br>J. de Brug, fysiotherapeut</p>"
        )
    ).write_pdf()


def _eva(doctor: User, secretary: User, eva: Employee) -> None:
    if Consultation.objects.filter(employee=eva).exists():
        return
    first = consultations.record_past_consultation(
        eva,
        by=doctor,
        starts_at=_at(-14, 10),
        ends_at=_at(-14, 10, 30),
        location=LOCATION,
        reason="Lage rugklachten sinds vijf weken, uitstraling naar linkerbeen.",
    )
    add_medical_note(
        eva,
        kind=MedicalNote.Kind.FINDINGS,
        consultation=first,
        by=doctor,
        body="Lasègue links negatief, flexie beperkt tot 60 graden, geen neurologische uitval.",
    )
    add_medical_note(
        eva,
        kind=MedicalNote.Kind.DIAGNOSIS,
        consultation=first,
        icd10_code="M54.5",
        by=doctor,
        body="Aspecifieke lage rugpijn.",
    )
    add_medical_note(
        eva, kind=MedicalNote.Kind.MEDICATION, consultation=first, by=doctor, body="Paracetamol zo nodig."
    )
    advice = advice_domain.save_advice(
        first,
        by=doctor,
        can_do="Kassawerk en vakkenvullen op heuphoogte, afgewisseld met staan en lopen.",
        cannot_do="Tillen boven 10 kg; langdurig voorovergebogen werken aan de oven.",
        expected_duration="Vier tot zes weken tot volledig herstel.",
        adjustments="Een steekwagen voor de meelzakken; pauze van tien minuten per twee uur.",
        reintegration="Start met 4 uur per dag in de winkel; over twee weken uitbreiden naar 6 uur.",
    )
    advice_domain.release_advice(advice, by=doctor)

    second = consultations.record_past_consultation(
        eva,
        by=doctor,
        starts_at=_at(-3, 11),
        ends_at=_at(-3, 11, 30),
        mode=Mode.PHONE,
        reason="Evaluatie rugklachten.",
    )
    advice = advice_domain.save_advice(
        second,
        by=doctor,
        employee_review_requested=True,
        can_do="6 uur per dag eigen werk in de winkel, ook lichte bakkerijtaken.",
        cannot_do="Nog geen meelzakken tillen.",
        expected_duration="Naar verwachting volledig hersteld binnen twee weken.",
        reintegration="Uitbreiden naar volledige dagen vanaf volgende week.",
    )
    advice_domain.release_advice(advice, by=doctor)

    preventive = consultations.record_past_consultation(
        eva,
        by=doctor,
        kind=Consultation.Kind.PREVENTIVE,
        starts_at=_at(-7, 15),
        ends_at=_at(-7, 15, 30),
        location=LOCATION,
        reason="Op eigen initiatief: slaapproblemen door werkdruk en vroege diensten.",
    )
    add_medical_note(
        eva,
        kind=MedicalNote.Kind.ANAMNESIS,
        consultation=preventive,
        by=doctor,
        body="Slaapt sinds twee maanden slecht, piekert over het rooster; geen somberheid.",
    )
    advice = advice_domain.save_advice(
        preventive,
        by=doctor,
        can_do="Alle werkzaamheden.",
        adjustments="Bespreek met je leidinggevende een rooster zonder twee vroege diensten na elkaar.",
    )
    advice_domain.release_advice(advice, by=doctor)

    records.record_functional_abilities(
        eva,
        assessed_on=_at(-14, 10).date(),
        rubrics={
            "persoonlijk": (Limitation.NONE, ""),
            "sociaal": (Limitation.NONE, ""),
            "omgeving": (Limitation.NONE, ""),
            "dynamisch": (Limitation.LIMITED, "Tillen tot 10 kg, niet frequent bukken."),
            "statisch": (
                Limitation.LIMITED,
                "Afwisselen van zitten en staan, niet langer dan 30 minuten staan.",
            ),
            "werktijden": (Limitation.LIMITED, "4 uur per dag, opbouwend."),
        },
        remarks="Herbeoordeling na vier weken.",
        by=doctor,
    )
    practitioner, _ = Practitioner.objects.get_or_create(
        name="Huisartsenpraktijk De Linde", defaults={"city": "Utrecht", "kind": Practitioner.Kind.GP}
    )
    records.record_information_consent(
        eva,
        practitioner=practitioner,
        question="Behandeling van de rugklachten en eventuele verwijzing.",
        given_by=eva.full_name,
        given_on=_at(-14, 10).date(),
        by=doctor,
    )
    request = records.create_information_request(
        eva,
        practitioner=practitioner,
        question="Is er een verwijzing naar de fysiotherapeut of een specialist, en welke medicatie is voorgeschreven?",
        by=doctor,
    )
    records.record_information_answer(
        request,
        answer="Verwezen naar fysiotherapie De Brug; geen verdere verwijzing. Paracetamol zo nodig.",
        by=doctor,
    )


def _letter(secretary: User, eva: Employee) -> None:
    if IncomingDocument.objects.filter(employee=eva).exists():
        return
    from django.core.files.uploadedfile import SimpleUploadedFile

    records.file_incoming_document(
        eva,
        upload=SimpleUploadedFile("brief-fysiotherapeut.pdf", _letter_pdf(), content_type="application/pdf"),
        received_on=timezone.localdate(),
        sender="Fysiotherapie De Brug",
        description="Voortgangsverslag behandeling",
        by=secretary,
    )


def _no_show(doctor: User, colleague: Employee) -> None:
    if Consultation.objects.filter(employee=colleague).exists():
        return
    consultations.record_past_consultation(
        colleague,
        by=doctor,
        status=Consultation.Status.NO_SHOW,
        starts_at=_at(-6, 9),
        ends_at=_at(-6, 9, 30),
        location=LOCATION,
    )


def _agenda(doctor: User, eva: Employee) -> None:
    """Consultation hours next Tuesday and Thursday morning; Eva's next spreekuur booked."""
    if ConsultationSlot.objects.filter(doctor=doctor, starts_at__gte=timezone.now()).exists():
        return
    today = timezone.localdate()
    tuesday = 7 - today.weekday() + 1  # next week's Tuesday, as days from today
    for day in (tuesday, tuesday + 2):
        for minute in range(0, 180, 30):
            consultations.create_slot(
                doctor=doctor,
                starts_at=_at(day, 9) + dt.timedelta(minutes=minute),
                ends_at=_at(day, 9) + dt.timedelta(minutes=minute + 30),
                location=LOCATION,
                by=doctor,
            )
    slot = ConsultationSlot.objects.filter(doctor=doctor, starts_at__gte=timezone.now()).order_by(
        "starts_at"
    )[1]
    consultations.plan_consultation(eva, slot=slot, by=doctor, notify=False)


def _today(doctor: User, patient: Employee) -> None:
    """Issue 18: the demo doctor has a consultation today, whenever the demo is seeded or reseeded:
    a telephone consultation later today (free half hours around it), or, late in the day, one
    recorded afterwards this morning."""
    today = timezone.localdate()
    if Consultation.objects.filter(doctor=doctor, starts_at__date=today).exists():
        return
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    if start.date() == today and start.hour <= 20:
        for offset in (0, 30, 90):
            slot_start = start + dt.timedelta(minutes=offset)
            if slot_start.date() == today:
                consultations.create_slot(
                    doctor=doctor,
                    starts_at=slot_start,
                    ends_at=slot_start + dt.timedelta(minutes=30),
                    location=LOCATION,
                    by=doctor,
                )
        slot = ConsultationSlot.objects.filter(
            doctor=doctor, starts_at=start + dt.timedelta(minutes=30)
        ).first()
        consultations.plan_consultation(patient, slot=slot, by=doctor, notify=False)
    else:
        consultations.record_past_consultation(
            patient, by=doctor, starts_at=_at(0, 9), ends_at=_at(0, 9, 20), mode=Mode.PHONE
        )


def seed_medical_demo(stdout: Writer) -> None:
    """Bring the demo's medical file up to date (safe to run again)."""
    doctor = User.objects.filter(username=DOCTOR).first()
    secretary = User.objects.filter(username=SECRETARY).first()
    bakery = Employer.objects.filter(kvk_number=EMPLOYERS["bakkerij"]["kvk_number"]).first()
    if doctor is None or secretary is None or bakery is None:
        stdout.write("medical demo skipped: run the cast and employers first\n")
        return
    patients = _patients(bakery)
    eva = next((p for p in patients if p.user is not None and p.user.username == "eva.werknemer"), None)
    if eva is None or len(patients) < 2:
        stdout.write("medical demo skipped: Bram has no patients yet\n")
        return
    colleague = next(p for p in patients if p != eva)
    with transaction.atomic():
        _eva(doctor, secretary, eva)
        _letter(secretary, eva)
        _no_show(doctor, colleague)
        _agenda(doctor, eva)
        _today(doctor, colleague)
    stdout.write(
        f"Medical demo ready: Eva's file at /medical/employees/{eva.pk}/, Bram's agenda at /medical/agenda/\n"
    )

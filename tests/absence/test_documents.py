"""WvP documents: versions, finalising (milestones), employee review before the employer, the RIV,
PDFs, and who may see what — through the domain functions and through real HTTP."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from arbo.absence.documents import domain as documents
from arbo.absence.documents import queries as document_queries
from arbo.absence.models import AbsenceCase, CaseDocument, Milestone
from arbo.absence.reports import domain as report_domain
from arbo.audit.models import AuditEvent
from arbo.lib.errors import DomainError

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 3, 3)  # a Monday
Kind = CaseDocument.Kind

PA_TEXT = "Kan vier uur per dag licht werk doen, zonder tillen."
PA = {"beperkingen_mogelijkheden": PA_TEXT, "prognose": "Hervatting in het eigen werk binnen acht weken."}
PVA = {
    "doel": "Terug in het eigen werk als bakker.",
    "activiteiten": "Opbouw in uren.",
    "casemanager": "Carla",
}


@pytest.fixture(autouse=True)
def _clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def case(employee_of_a, hr_wim) -> AbsenceCase:  # type: ignore[no-untyped-def]
    period = report_domain.report_sick(
        employee_of_a, by=hr_wim, via="portal", first_sick_day=dt.date(2025, 1, 6)
    )
    return period.case


def _final(case, kind, sections, by):  # type: ignore[no-untyped-def]
    document = documents.create_document(case, kind=kind, sections=sections, by=by)
    return documents.finalise_document(document, by=by)


def _url(name: str, *args: int) -> str:
    return reverse(f"absence:{name}", args=args)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- Versions -----------------------------------------------------------------------------------


def test_every_save_is_a_new_version_and_the_old_text_stays(case, doctor_bram, mfa_client) -> None:
    document = documents.create_document(case, kind=Kind.PROBLEEMANALYSE, sections=PA, by=doctor_bram)
    documents.save_version(
        document, sections={**PA, "prognose": "Tweede versie"}, by=doctor_bram, base_version=1
    )
    documents.save_version(
        document, sections={**PA, "prognose": "Derde versie"}, by=doctor_bram, base_version=2
    )

    contents = {v.number: json.loads(v.content)["sections"]["prognose"] for v in document.versions.all()}
    assert contents == {
        1: "Hervatting in het eigen werk binnen acht weken.",
        2: "Tweede versie",
        3: "Derde versie",
    }
    client = mfa_client(doctor_bram)
    first = client.get(_url("document_detail", document.pk) + "?version=1").content.decode()
    latest = client.get(_url("document_detail", document.pk)).content.decode()
    assert "binnen acht weken" in first
    assert "Derde versie" not in first
    assert "Derde versie" in latest
    saved = AuditEvent.objects.filter(event="absence.document_version_saved", actor=doctor_bram)
    assert [e.data["version"] for e in saved.order_by("seq")] == [2, 3]
    assert set(saved.values_list("category", flat=True)) == {"B"}


def test_document_text_is_encrypted_at_rest(case, doctor_bram) -> None:
    document = documents.create_document(case, kind=Kind.PROBLEEMANALYSE, sections=PA, by=doctor_bram)
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM absence_documentversion WHERE document_id = %s", [document.pk])
        (stored,) = cursor.fetchone()
    assert "vier uur per dag" not in stored


def test_saving_over_a_newer_version_is_refused_and_writes_nothing(case, doctor_bram) -> None:
    document = documents.create_document(case, kind=Kind.PROBLEEMANALYSE, sections=PA, by=doctor_bram)
    documents.save_version(
        document, sections={**PA, "vervolg": "Over twee weken"}, by=doctor_bram, base_version=1
    )

    with pytest.raises(DomainError, match="versie 2"):
        documents.save_version(document, sections={**PA, "vervolg": "Oud"}, by=doctor_bram, base_version=1)

    assert document.versions.count() == 2


def test_edit_page_saves_a_new_version(case, doctor_bram, mfa_client) -> None:
    document = documents.create_document(case, kind=Kind.PROBLEEMANALYSE, sections=PA, by=doctor_bram)
    client = mfa_client(doctor_bram)

    form = client.get(_url("document_edit", document.pk)).content.decode()
    response = client.post(
        _url("document_edit", document.pk),
        {"base_version": "1", "beperkingen_mogelijkheden": "Nu zes uur per dag.", "prognose": "Goed"},
    )

    assert PA_TEXT in form  # prefilled from the latest version
    assert "geen diagnose" in form.lower()  # the category C warning on the doctor's form
    assert response.status_code == 302
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    assert json.loads(document.versions.get(number=2).content)["sections"]["beperkingen_mogelijkheden"] == (
        "Nu zes uur per dag."
    )


def test_medical_terms_in_the_text_raise_a_warning(case, doctor_bram, mfa_client) -> None:
    client = mfa_client(doctor_bram)

    response = client.post(
        _url("document_new", case.pk),
        {"kind": Kind.PROBLEEMANALYSE, "beperkingen_mogelijkheden": "Heeft een hernia; niet tillen."},
        follow=True,
    )

    assert "woorden die op medische gegevens lijken (hernia)" in response.content.decode()
    assert CaseDocument.objects.get().versions.count() == 1  # a warning, not a refusal


def test_empty_document_is_refused(case, doctor_bram, mfa_client) -> None:
    client = mfa_client(doctor_bram)

    response = client.post(_url("document_new", case.pk), {"kind": Kind.PROBLEEMANALYSE})

    assert response.status_code == 200
    assert "Vul ten minste één onderdeel in." in response.content.decode()
    assert not CaseDocument.objects.exists()


# --- Who writes ---------------------------------------------------------------------------------


def test_only_a_doctor_writes_a_probleemanalyse(case, casemanager_carla, mfa_client) -> None:
    with pytest.raises(DomainError, match="bedrijfsarts"):
        documents.create_document(case, kind=Kind.PROBLEEMANALYSE, sections=PA, by=casemanager_carla)

    kinds = dict(documents.creatable_kinds(casemanager_carla, case))
    response = mfa_client(casemanager_carla).get(_url("document_new", case.pk) + "?kind=probleemanalyse")

    assert Kind.PLAN_VAN_AANPAK in kinds
    assert Kind.PROBLEEMANALYSE not in kinds
    assert response.status_code == 404
    assert not CaseDocument.objects.exists()


def test_the_employee_always_reads_a_probleemanalyse_first(case, doctor_bram) -> None:
    with pytest.raises(DomainError):
        documents.create_document(
            case, kind=Kind.PROBLEEMANALYSE, sections=PA, by=doctor_bram, employee_review=False
        )
    document = documents.create_document(
        case, kind=Kind.ACTUEEL_OORDEEL, sections={"prognose": "x"}, by=doctor_bram
    )
    plan = documents.create_document(case, kind=Kind.PLAN_VAN_AANPAK, sections=PVA, by=doctor_bram)

    assert document.employee_review is True
    assert plan.employee_review is False


def test_a_case_has_one_probleemanalyse(case, doctor_bram) -> None:
    documents.create_document(case, kind=Kind.PROBLEEMANALYSE, sections=PA, by=doctor_bram)

    with pytest.raises(DomainError, match="bijstelling"):
        documents.create_document(case, kind=Kind.PROBLEEMANALYSE, sections=PA, by=doctor_bram)
    documents.create_document(
        case, kind=Kind.BIJSTELLING_PROBLEEMANALYSE, sections={"aanleiding": "x"}, by=doctor_bram
    )


def test_employer_cannot_write_documents(case, hr_wim, mfa_client) -> None:
    client = mfa_client(hr_wim)

    response = client.post(_url("document_new", case.pk), {"kind": Kind.PLAN_VAN_AANPAK, **PVA})

    assert response.status_code == 404
    assert not CaseDocument.objects.exists()


# --- Finalising ---------------------------------------------------------------------------------


def test_finalising_completes_the_milestone_with_the_document(case, doctor_bram, casemanager_carla) -> None:
    analysis = _final(case, Kind.PROBLEEMANALYSE, PA, doctor_bram)
    plan = _final(case, Kind.PLAN_VAN_AANPAK, PVA, casemanager_carla)

    done = case.milestones.get(kind=Milestone.Kind.PROBLEEMANALYSE)
    assert (done.done_on, done.document, done.done_by) == (TODAY, analysis, doctor_bram)
    assert case.milestones.get(kind=Milestone.Kind.PLAN_VAN_AANPAK).document == plan
    # The plan schedules the first evaluation; finalising an evaluation completes it.
    evaluation = _final(case, Kind.EVALUATION, {"voortgang": "Goed op weg"}, casemanager_carla)
    first = case.milestones.get(kind=Milestone.Kind.EVALUATION, sequence=1)
    assert first.document == evaluation
    assert case.milestones.filter(kind=Milestone.Kind.EVALUATION, done_on__isnull=True).count() == 1


def test_a_final_document_takes_no_new_version(case, doctor_bram, mfa_client) -> None:
    document = _final(case, Kind.PROBLEEMANALYSE, PA, doctor_bram)

    with pytest.raises(DomainError, match="definitief"):
        documents.save_version(document, sections=PA, by=doctor_bram)
    with pytest.raises(DomainError, match="al definitief"):
        documents.finalise_document(document, by=doctor_bram)
    response = mfa_client(doctor_bram).post(_url("document_edit", document.pk), {"prognose": "Nieuw"})

    assert response.status_code == 302
    assert document.versions.count() == 1


def test_a_plan_names_its_casemanager(case, casemanager_carla) -> None:
    plan = documents.create_document(
        case, kind=Kind.PLAN_VAN_AANPAK, sections={**PVA, "casemanager": ""}, by=casemanager_carla
    )

    with pytest.raises(DomainError, match="casemanager"):
        documents.finalise_document(plan, by=casemanager_carla)
    plan.refresh_from_db()
    assert plan.status == CaseDocument.Status.DRAFT
    assert case.milestones.get(kind=Milestone.Kind.PLAN_VAN_AANPAK).done_on is None


# --- The employee first, then the employer ------------------------------------------------------


def test_employer_sees_nothing_unreleased_and_nothing_before_the_employee_saw_it(
    case, doctor_bram, hr_wim, employee_eva, mfa_client
) -> None:
    document = documents.create_document(case, kind=Kind.PROBLEEMANALYSE, sections=PA, by=doctor_bram)
    employer = mfa_client(hr_wim)
    assert employer.get(_url("document_detail", document.pk)).status_code == 404  # draft

    documents.finalise_document(document, by=doctor_bram)
    assert employer.get(_url("document_detail", document.pk)).status_code == 404  # final, not released
    assert employer.get(_url("document_pdf", document.pk)).status_code == 404
    listing = employer.get(_url("case_documents", case.pk)).content.decode()
    assert "Probleemanalyse" not in listing

    with pytest.raises(DomainError, match="nog niet gezien"):
        documents.release_to_employer(document, by=doctor_bram)
    doctor = mfa_client(doctor_bram)
    doctor.post(_url("document_release", document.pk), {"confirmed": "1"})
    document.refresh_from_db()
    assert document.released_to_employer_at is None
    employer = mfa_client(hr_wim)
    assert employer.get(_url("document_detail", document.pk)).status_code == 404
    assert not AuditEvent.objects.filter(actor=hr_wim, event="absence.document_viewed").exists()


def test_after_the_employees_review_and_release_the_employer_reads_it(
    case, doctor_bram, hr_wim, employee_eva, mfa_client
) -> None:
    document = _final(case, Kind.PROBLEEMANALYSE, PA, doctor_bram)
    employee = mfa_client(employee_eva)
    page = employee.get(_url("document_detail", document.pk)).content.decode()
    assert PA_TEXT in page
    employee.post(_url("document_review", document.pk), {"response": "Ik werk liever in de ochtend."})
    document.refresh_from_db()
    assert document.employee_seen_at is not None
    assert document.employee_response == "Ik werk liever in de ochtend."

    mfa_client(doctor_bram).post(_url("document_release", document.pk), {"confirmed": "1"})
    employer = mfa_client(hr_wim)
    response = employer.get(_url("document_detail", document.pk))
    listing = employer.get(_url("case_documents", case.pk)).content.decode()

    html = response.content.decode()
    assert response.status_code == 200
    assert PA_TEXT in html
    assert "in de ochtend" not in html  # the employee's response is for the arbodienst
    assert "Probleemanalyse" in listing
    viewed = AuditEvent.objects.get(actor=hr_wim, event="absence.document_viewed")
    assert (viewed.category, viewed.basis, viewed.subject_id) == ("B", "authorisation", case.employee_id)
    reviewed = AuditEvent.objects.get(actor=employee_eva, event="absence.document_reviewed_by_employee")
    assert (reviewed.basis, reviewed.data["responded"]) == ("self", True)


def test_a_plan_without_review_goes_to_the_employer_once_final(
    case, casemanager_carla, hr_wim, mfa_client
) -> None:
    plan = _final(case, Kind.PLAN_VAN_AANPAK, PVA, casemanager_carla)

    documents.release_to_employer(plan, by=casemanager_carla)

    assert mfa_client(hr_wim).get(_url("document_detail", plan.pk)).status_code == 200


def test_staff_record_that_an_employee_without_account_saw_it(case, doctor_bram, casemanager_carla) -> None:
    document = _final(case, Kind.PROBLEEMANALYSE, PA, doctor_bram)

    documents.record_employee_review(document, by=casemanager_carla, response="Akkoord, per post.")
    document = documents.release_to_employer(document, by=doctor_bram)

    event = AuditEvent.objects.get(event="absence.document_reviewed_by_employee")
    assert event.data["recorded_by_staff"] is True
    assert document.released_to_employer_at is not None


def test_the_employee_responds_once_and_never_reads_drafts(
    case, doctor_bram, employee_eva, mfa_client
) -> None:
    draft = documents.create_document(
        case, kind=Kind.ACTUEEL_OORDEEL, sections={"prognose": "Concepttekst"}, by=doctor_bram
    )
    final = _final(case, Kind.PROBLEEMANALYSE, PA, doctor_bram)
    client = mfa_client(employee_eva)

    assert client.get(_url("document_detail", draft.pk)).status_code == 404
    assert "Concepttekst" not in client.get(_url("case_documents", case.pk)).content.decode()
    documents.record_employee_review(final, by=employee_eva, response="Eerste reactie")
    with pytest.raises(DomainError):
        documents.record_employee_review(final, by=employee_eva, response="Tweede reactie")
    final.refresh_from_db()
    assert final.employee_response == "Eerste reactie"


def test_only_the_employee_or_staff_record_a_review(case, doctor_bram, hr_wim, mfa_client) -> None:
    document = _final(case, Kind.PLAN_VAN_AANPAK, PVA, doctor_bram)
    documents.release_to_employer(document, by=doctor_bram)

    response = mfa_client(hr_wim).post(
        _url("document_review", document.pk), {"response": "Namens de werknemer"}
    )

    document.refresh_from_db()
    assert response.status_code == 404
    assert document.employee_seen_at is None


# --- Who sees nothing ---------------------------------------------------------------------------


def test_secretary_without_category_b_gets_404(case, doctor_bram, secretary_sara, mfa_client) -> None:
    document = _final(case, Kind.PROBLEEMANALYSE, PA, doctor_bram)
    client = mfa_client(secretary_sara)

    for url in (
        _url("case_documents", case.pk),
        _url("document_new", case.pk) + "?kind=plan_van_aanpak",
        _url("document_detail", document.pk),
        _url("document_pdf", document.pk),
        _url("document_edit", document.pk),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert PA_TEXT not in response.content.decode()
    assert not AuditEvent.objects.filter(actor=secretary_sara, event__startswith="absence.document").exists()


def test_outsider_employer_gets_404_on_everything(case, doctor_bram, outsider_olaf, mfa_client) -> None:
    document = _final(case, Kind.PLAN_VAN_AANPAK, PVA, doctor_bram)
    documents.release_to_employer(document, by=doctor_bram)
    client = mfa_client(outsider_olaf)

    gets = [
        _url("case_documents", case.pk),
        _url("document_new", case.pk) + "?kind=plan_van_aanpak",
        _url("document_detail", document.pk),
        _url("document_pdf", document.pk),
        _url("document_edit", document.pk),
    ]
    posts = [
        _url("document_finalise", document.pk),
        _url("document_release", document.pk),
        _url("document_review", document.pk),
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "eigen werk als bakker" not in response.content.decode()
    for url in posts:
        assert client.post(url, {"response": "x"}).status_code == 404, url
    document.refresh_from_db()
    assert document.employee_seen_at is None
    assert not AuditEvent.objects.filter(actor=outsider_olaf, event__startswith="absence.").exists()


def test_unrelated_staff_get_404(case, doctor_bram, employer_b, mfa_client) -> None:
    from arbo.identity.roles import StaffFunction
    from tests import factories as f

    other = f.UserFactory(username="carl", kind="staff")
    f.give_function(other, StaffFunction.CASEMANAGER)
    f.join_team(other, employer_b)
    document = _final(case, Kind.PLAN_VAN_AANPAK, PVA, doctor_bram)

    assert mfa_client(other).get(_url("document_detail", document.pk)).status_code == 404


# --- The RIV ------------------------------------------------------------------------------------


def test_riv_holds_the_final_parts_and_the_administrative_data(
    case, doctor_bram, casemanager_carla, employee_eva
) -> None:
    _final(case, Kind.PROBLEEMANALYSE, PA, doctor_bram)
    _final(case, Kind.PLAN_VAN_AANPAK, PVA, casemanager_carla)
    _final(case, Kind.EVALUATION, {"voortgang": "Eerste evaluatie"}, casemanager_carla)
    _final(case, Kind.EVALUATION, {"voortgang": "Tweede evaluatie"}, casemanager_carla)
    documents.create_document(
        case, kind=Kind.EINDEVALUATIE, sections={"verloop": "Nog een concept"}, by=casemanager_carla
    )
    riv = documents.create_document(
        case, kind=Kind.RIV, sections={"aard_bedrijf": "Een bakkerij"}, by=casemanager_carla
    )
    # Finalised after the RIV's draft was saved: finalising the RIV takes it in.
    _final(case, Kind.ACTUEEL_OORDEEL, {"prognose": "Blijvend minder belastbaar"}, doctor_bram)

    documents.finalise_document(riv, by=casemanager_carla)
    readable = document_queries.read_document(casemanager_carla, riv)

    assert readable.riv is not None
    admin = dict(readable.riv.admin)
    job = case.employee.employments.get(employer=case.employer)
    assert admin["Naam werknemer"] == case.employee.full_name
    assert admin["Werkgever"] == case.employer.name
    assert admin["Functie"] == job.job_title
    assert admin["Eerste ziektedag"] == "6 januari 2025"
    texts = [
        text for chapter in readable.riv.chapters for part in chapter.parts for _label, text in part.sections
    ]
    assert PA_TEXT in texts
    assert "Terug in het eigen werk als bakker." in texts
    assert "Tweede evaluatie" in texts
    assert "Eerste evaluatie" not in texts  # art. 6 onder h: the latest evaluation
    assert "Blijvend minder belastbaar" in texts
    assert "Nog een concept" not in texts  # drafts are no part of it
    assert riv.versions.count() == 2
    assert case.milestones.get(kind=Milestone.Kind.RIV_TO_EMPLOYEE).document == riv


def test_riv_pdf_has_the_parts_and_the_employees_opinion(
    case, doctor_bram, casemanager_carla, employee_eva, mfa_client
) -> None:
    _final(case, Kind.PROBLEEMANALYSE, PA, doctor_bram)
    riv = _final(case, Kind.RIV, {"aard_bedrijf": "Een bakkerij"}, casemanager_carla)
    documents.record_employee_review(riv, by=employee_eva, response="Ik wil graag terug naar de bakkerij.")

    response = mfa_client(casemanager_carla).get(_url("document_pdf", riv.pk))

    text = " ".join(_pdf_text(response.content).split())
    assert "Re-integratieverslag" in text
    assert "vier uur per dag licht werk" in text
    assert "Ik wil graag terug naar de bakkerij." in text


# --- PDF ----------------------------------------------------------------------------------------


def test_a_pdf_renders_with_the_expected_text(case, doctor_bram, mfa_client) -> None:
    document = documents.create_document(case, kind=Kind.PROBLEEMANALYSE, sections=PA, by=doctor_bram)
    documents.save_version(document, sections={**PA, "vervolg": "Spreekuur over twee weken"}, by=doctor_bram)
    client = mfa_client(doctor_bram)

    response = client.get(_url("document_pdf", document.pk))
    first = client.get(_url("document_pdf", document.pk) + "?version=1")

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(_pdf_text(response.content).split())
    assert "Arbodossier" in text
    assert "Probleemanalyse" in text
    assert PA_TEXT in text
    assert "Spreekuur over twee weken" in text
    assert case.employee.full_name in text
    assert "Concept: niet de definitieve tekst" in text
    assert "Spreekuur over twee weken" not in " ".join(_pdf_text(first.content).split())
    exported = AuditEvent.objects.filter(actor=doctor_bram, event="absence.document_exported")
    assert [(e.action, e.category, e.data["version"]) for e in exported.order_by("seq")] == [
        ("export", "B", 2),
        ("export", "B", 1),
    ]


def test_employer_gets_the_released_pdf_only_in_its_final_form(
    case, casemanager_carla, hr_wim, mfa_client
) -> None:
    plan = _final(case, Kind.PLAN_VAN_AANPAK, PVA, casemanager_carla)
    documents.release_to_employer(plan, by=casemanager_carla)
    client = mfa_client(hr_wim)

    response = client.get(_url("document_pdf", plan.pk))

    assert response.status_code == 200
    text = " ".join(_pdf_text(response.content).split())
    assert "eigen werk als bakker" in text
    assert "Concept" not in text
    assert client.get(_url("document_pdf", plan.pk) + "?version=1").status_code == 404


# --- The case page ------------------------------------------------------------------------------


def test_case_page_lists_the_documents_this_user_may_open(case, doctor_bram, hr_wim, mfa_client) -> None:
    analysis = _final(case, Kind.PROBLEEMANALYSE, PA, doctor_bram)
    plan = _final(case, Kind.PLAN_VAN_AANPAK, PVA, doctor_bram)
    documents.release_to_employer(plan, by=doctor_bram)

    staff = mfa_client(doctor_bram).get(case.get_absolute_url()).content.decode()
    employer = mfa_client(hr_wim).get(case.get_absolute_url()).content.decode()

    assert _url("document_detail", analysis.pk) in staff
    assert _url("document_new", case.pk) in staff
    assert _url("document_detail", plan.pk) in employer
    assert _url("document_detail", analysis.pk) not in employer
    assert _url("document_new", case.pk) not in employer
    assert _url("uwv_sheet", case.pk) in employer


def test_documents_page_queries_do_not_grow_with_documents(case, casemanager_carla, mfa_client) -> None:
    def add_evaluation(n: int) -> None:
        document = documents.create_document(
            case, kind=Kind.EVALUATION, sections={"voortgang": f"Evaluatie {n}"}, by=casemanager_carla
        )
        documents.save_version(document, sections={"voortgang": "Bijgewerkt"}, by=casemanager_carla)

    def measure() -> tuple[int, str]:
        client = mfa_client(casemanager_carla)
        client.get(_url("case_documents", case.pk))  # warm the per-process caches
        with CaptureQueriesContext(connection) as queries:
            html = client.get(_url("case_documents", case.pk)).content.decode()
        return len(queries), html

    add_evaluation(1)
    one, html_one = measure()
    add_evaluation(2)
    add_evaluation(3)
    three, html_three = measure()

    assert html_one.count("versie 2") == 1
    assert html_three.count("versie 2") == 3
    assert three == one

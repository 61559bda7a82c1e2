from django.urls import path

from arbo.medical import views
from arbo.medical.advice import views as advice_views
from arbo.medical.consultations import views as consultation_views

app_name = "medical"
urlpatterns = [
    # The doctor's file of one employee
    path("employees/<int:employee_id>/", views.medical_file, name="file"),
    path("employees/<int:employee_id>/notes/", views.add_note, name="add_note"),
    path("employees/<int:employee_id>/consultations/new/", consultation_views.plan, name="plan"),
    path(
        "employees/<int:employee_id>/consultations/past/", consultation_views.record_past, name="record_past"
    ),
    path("employees/<int:employee_id>/letters/new/", views.file_letter, name="file_letter"),
    path(
        "employees/<int:employee_id>/information/consents/",
        views.add_information_consent,
        name="add_information_consent",
    ),
    path(
        "employees/<int:employee_id>/information/requests/",
        views.add_information_request,
        name="add_information_request",
    ),
    path("employees/<int:employee_id>/fml/", views.add_fml, name="add_fml"),
    # What the employer receives
    path("employees/<int:employee_id>/released/", advice_views.employer_released, name="employer_released"),
    # Consultations
    path(
        "consultations/<int:consultation_id>/",
        consultation_views.consultation_detail,
        name="consultation_detail",
    ),
    path("consultations/<int:consultation_id>/reschedule/", consultation_views.reschedule, name="reschedule"),
    path("consultations/<int:consultation_id>/cancel/", consultation_views.cancel, name="cancel"),
    path("consultations/<int:consultation_id>/held/", consultation_views.held, name="held"),
    path("consultations/<int:consultation_id>/no-show/", consultation_views.no_show, name="no_show"),
    path("consultations/<int:consultation_id>/reason/", consultation_views.set_reason, name="set_reason"),
    path(
        "consultations/<int:consultation_id>/invitation.pdf",
        consultation_views.invitation_pdf,
        name="invitation_pdf",
    ),
    path(
        "consultations/<int:consultation_id>/invitation.ics",
        consultation_views.invitation_ics,
        name="invitation_ics",
    ),
    path("consultations/<int:consultation_id>/advice/", advice_views.save_advice, name="save_advice"),
    path(
        "consultations/<int:consultation_id>/advice/release/",
        advice_views.release_advice,
        name="release_advice",
    ),
    path(
        "consultations/<int:consultation_id>/advice/consent/",
        advice_views.record_report_consent,
        name="record_report_consent",
    ),
    # The agenda
    path("agenda/", consultation_views.agenda, name="agenda"),
    path("agenda/slots/new/", consultation_views.add_slots, name="add_slots"),
    path("agenda/slots/<int:slot_id>/delete/", consultation_views.delete_slot, name="delete_slot"),
    # Letters and information requests
    path("letters/pending/", views.letters_pending, name="letters_pending"),
    path("letters/<int:document_id>/", views.letter_download, name="letter_download"),
    path("letters/<int:document_id>/paper-destroyed/", views.paper_destroyed, name="paper_destroyed"),
    path(
        "information/consents/<int:consent_id>/withdraw/",
        views.withdraw_information_consent,
        name="withdraw_information_consent",
    ),
    path(
        "information/requests/<int:request_id>/answer/",
        views.answer_information_request,
        name="answer_information_request",
    ),
    # The employee's own page (portal style)
    path("mine/", advice_views.mine, name="mine"),
    path("mine/advice/<int:advice_id>/seen/", advice_views.mine_advice_seen, name="mine_advice_seen"),
    path(
        "mine/advice/<int:advice_id>/consent/", advice_views.mine_advice_consent, name="mine_advice_consent"
    ),
]

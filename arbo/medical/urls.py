from django.urls import path

from arbo.medical import views, views_agenda, views_release

app_name = "medical"
urlpatterns = [
    # The doctor's file of one employee
    path("employees/<int:employee_id>/", views.medical_file, name="file"),
    path("employees/<int:employee_id>/notes/", views.add_note, name="add_note"),
    path("employees/<int:employee_id>/consultations/new/", views_agenda.plan, name="plan"),
    path("employees/<int:employee_id>/consultations/past/", views_agenda.record_past, name="record_past"),
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
    path("employees/<int:employee_id>/released/", views_release.employer_released, name="employer_released"),
    # Consultations
    path(
        "consultations/<int:consultation_id>/", views_agenda.consultation_detail, name="consultation_detail"
    ),
    path("consultations/<int:consultation_id>/reschedule/", views_agenda.reschedule, name="reschedule"),
    path("consultations/<int:consultation_id>/cancel/", views_agenda.cancel, name="cancel"),
    path("consultations/<int:consultation_id>/held/", views_agenda.held, name="held"),
    path("consultations/<int:consultation_id>/no-show/", views_agenda.no_show, name="no_show"),
    path("consultations/<int:consultation_id>/reason/", views_agenda.set_reason, name="set_reason"),
    path(
        "consultations/<int:consultation_id>/invitation.pdf",
        views_agenda.invitation_pdf,
        name="invitation_pdf",
    ),
    path(
        "consultations/<int:consultation_id>/invitation.ics",
        views_agenda.invitation_ics,
        name="invitation_ics",
    ),
    path("consultations/<int:consultation_id>/advice/", views_release.save_advice, name="save_advice"),
    path(
        "consultations/<int:consultation_id>/advice/release/",
        views_release.release_advice,
        name="release_advice",
    ),
    path(
        "consultations/<int:consultation_id>/advice/consent/",
        views_release.record_report_consent,
        name="record_report_consent",
    ),
    # The agenda
    path("agenda/", views_agenda.agenda, name="agenda"),
    path("agenda/slots/new/", views_agenda.add_slots, name="add_slots"),
    path("agenda/slots/<int:slot_id>/delete/", views_agenda.delete_slot, name="delete_slot"),
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
    path("mine/", views_release.mine, name="mine"),
    path("mine/advice/<int:advice_id>/seen/", views_release.mine_advice_seen, name="mine_advice_seen"),
    path(
        "mine/advice/<int:advice_id>/consent/", views_release.mine_advice_consent, name="mine_advice_consent"
    ),
]

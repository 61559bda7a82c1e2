from django.urls import path

from arbo.privacy import home
from arbo.privacy.breaches import views as breaches
from arbo.privacy.complaints import views as complaints
from arbo.privacy.processors import views as processors
from arbo.privacy.register import views as register
from arbo.privacy.rights import views as rights

app_name = "privacy"
urlpatterns = [
    path("", home.home, name="home"),
    path("breaches/", breaches.register, name="breach_register"),
    path("breaches/report/", breaches.report, name="breach_report"),
    path("breaches/<int:breach_id>/", breaches.detail, name="breach_detail"),
    path("breaches/<int:breach_id>/assess/", breaches.assess, name="breach_assess"),
    path("breaches/<int:breach_id>/decide/", breaches.decide, name="breach_decide"),
    path("breaches/<int:breach_id>/notice/", breaches.notice, name="breach_notice"),
    path("breaches/<int:breach_id>/affected/", breaches.affected, name="breach_affected"),
    path("breaches/<int:breach_id>/letters/", breaches.letters, name="breach_letters"),
    path("breaches/<int:breach_id>/affected/<int:row_id>/posted/", breaches.posted, name="breach_posted"),
    path("breaches/<int:breach_id>/measures/", breaches.measures, name="breach_measures"),
    path("breaches/<int:breach_id>/close/", breaches.close, name="breach_close"),
    path("breaches/<int:breach_id>/ap-form.json", breaches.ap_form_json, name="breach_ap_json"),
    path("breaches/<int:breach_id>/ap-form.pdf", breaches.ap_form_pdf, name="breach_ap_pdf"),
]

urlpatterns += [
    path("complaints/", complaints.worklist, name="complaint_list"),
    path("complaints/new/", complaints.register, name="complaint_register"),
    path("complaints/file/", complaints.file_from_portal, name="complaint_file"),
    path("complaints/mine/", complaints.mine, name="complaint_mine"),
    path("complaints/<int:complaint_id>/", complaints.detail, name="complaint_detail"),
    path("complaints/<int:complaint_id>/assign/", complaints.assign, name="complaint_assign"),
    path("complaints/<int:complaint_id>/acknowledge/", complaints.acknowledge, name="complaint_acknowledge"),
    path("complaints/<int:complaint_id>/extend/", complaints.extend, name="complaint_extend"),
    path("complaints/<int:complaint_id>/decide/", complaints.decide, name="complaint_decide"),
]

urlpatterns += [
    path("register/", register.register, name="register"),
    path("register/export.csv", register.export_csv, name="register_csv"),
    path("register/export.pdf", register.export_pdf, name="register_pdf"),
    path("register/<slug:code>/", register.edit, name="register_edit"),
    path("statement/", register.privacy_statement, name="statement"),
    path("statement/v/<int:number>/", register.privacy_statement, name="statement_version"),
    path("processors/", processors.processor_list, name="processor_list"),
    path("processors/new/", processors.processor_edit, name="processor_new"),
    path("processors/<int:processor_id>/", processors.processor_edit, name="processor_detail"),
    path("processors/<int:processor_id>/windows/", processors.grant_window, name="support_window_grant"),
    path("support/windows/<int:window_id>/revoke/", processors.revoke_window, name="support_window_revoke"),
    path("support/", processors.support_home, name="support_home"),
]

urlpatterns += [
    path("rights/", rights.register, name="rights_register"),
    path("rights/new/", rights.register_new, name="rights_new"),
    path("rights/file/", rights.file_from_portal, name="rights_file"),
    path("rights/mine/", rights.mine, name="rights_mine"),
    path("rights/<int:request_id>/", rights.detail, name="rights_detail"),
    path("rights/<int:request_id>/identity/", rights.identity, name="rights_identity"),
    path("rights/<int:request_id>/extend/", rights.extend, name="rights_extend"),
    path("rights/<int:request_id>/send-for-review/", rights.send_for_review, name="rights_send_for_review"),
    path("rights/<int:request_id>/review/", rights.review, name="rights_review"),
    path("rights/<int:request_id>/decide/", rights.decide, name="rights_decide"),
    path("rights/<int:request_id>/lift/", rights.lift, name="rights_lift"),
    path("rights/<int:request_id>/letters/<slug:which>.pdf", rights.letter_pdf, name="rights_letter"),
    path("rights/<int:request_id>/download/<str:token>/<slug:fmt>/", rights.download, name="rights_download"),
    path("rights/<int:request_id>/download/<str:token>/", rights.download_page, name="rights_download_page"),
    path("rights/<int:request_id>/package/<slug:fmt>/", rights.staff_package, name="rights_staff_package"),
    path("rights/<int:request_id>/posted/", rights.posted, name="rights_posted"),
]

from django.urls import path

from arbo.privacy import home
from arbo.privacy.breaches import views as breaches

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

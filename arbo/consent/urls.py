from django.urls import path

from arbo.consent import views, views_disclosure, views_visitation

app_name = "consent"
urlpatterns = [
    path("mine/", views.my_consents, name="mine"),
    path("mine/<int:consent_id>/withdraw/", views.withdraw, name="withdraw"),
    path("mine/visitation/", views_visitation.object_to_visitation, name="visitation_objection"),
    path("disclosures/mine/", views_disclosure.my_disclosures, name="my_disclosures"),
    path("employees/<int:employee_id>/disclose/", views_disclosure.compose, name="compose"),
    path(
        "employees/<int:employee_id>/disclose/consent-form/",
        views_disclosure.record_disclosure_consent,
        name="disclosure_consent",
    ),
    path("d/<str:token>/", views_disclosure.download, name="download"),
]

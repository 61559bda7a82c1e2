from django.urls import path

from arbo.access import views_care

app_name = "care"
urlpatterns = [
    path("emergency/", views_care.break_the_glass, name="break_the_glass"),
    path("emergency/review/", views_care.emergency_review, name="emergency_review"),
    path("emergency/widenings/", views_care.emergency_widenings, name="emergency_widenings"),
    path("emergency/<int:access_id>/", views_care.emergency_detail, name="emergency_detail"),
    path(
        "emergency/<int:access_id>/reviewed/",
        views_care.emergency_mark_reviewed,
        name="emergency_mark_reviewed",
    ),
    path(
        "employees/<int:employee_id>/treating-doctor/request/",
        views_care.request_treating_doctor,
        name="request_treating_doctor",
    ),
    path("requests/", views_care.care_requests_page, name="requests"),
    path(
        "requests/<int:request_id>/approve/",
        views_care.care_request_decide,
        {"verdict": "approve"},
        name="care_request_approve",
    ),
    path(
        "requests/<int:request_id>/reject/",
        views_care.care_request_decide,
        {"verdict": "reject"},
        name="care_request_reject",
    ),
    path(
        "requests/<int:request_id>/withdraw/", views_care.care_request_withdraw, name="care_request_withdraw"
    ),
    path("employees/<int:employee_id>/consult/", views_care.consult_colleague, name="consult_colleague"),
]

from django.urls import path

from arbo.access import views_care

app_name = "care"
urlpatterns = [
    path("emergency/", views_care.break_the_glass, name="break_the_glass"),
    path("emergency/review/", views_care.emergency_review, name="emergency_review"),
    path(
        "emergency/<int:access_id>/reviewed/",
        views_care.emergency_mark_reviewed,
        name="emergency_mark_reviewed",
    ),
    path(
        "employees/<int:employee_id>/treating-doctor/",
        views_care.assign_treating_doctor,
        name="assign_treating_doctor",
    ),
    path("employees/<int:employee_id>/consult/", views_care.consult_colleague, name="consult_colleague"),
]

from django.urls import path

from arbo.prevention import views

app_name = "prevention"
urlpatterns = [
    path("employees/<int:employee_id>/", views.employee_page, name="employee"),
    path("employees/<int:employee_id>/exams/", views.add_periodic_exam, name="add_periodic_exam"),
    path("employees/<int:employee_id>/exposures/", views.add_exposure, name="add_exposure"),
    path("applicants/", views.applicant_list, name="applicant_list"),
    path("applicants/<int:applicant_id>/", views.applicant_page, name="applicant"),
    path(
        "applicants/<int:applicant_id>/exams/", views.add_pre_employment_exam, name="add_pre_employment_exam"
    ),
    path("exams/<int:exam_id>/informed/", views.applicant_informed, name="applicant_informed"),
    path("exams/<int:exam_id>/release/", views.release_decision, name="release_decision"),
    path("outcomes/", views.employer_outcomes, name="outcomes"),
    path("outcomes/<int:applicant_id>/", views.employer_outcome, name="outcome"),
]

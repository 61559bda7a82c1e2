"""Absence URLs: cases and caseload (views.py), documents (documents/urls.py), the calculator."""

from django.urls import include, path

from arbo.absence import views

app_name = "absence"
urlpatterns = [
    path("calculator/", include("arbo.absence.urls_calculator")),
    path("", include("arbo.absence.documents.urls")),
    *views.urlpatterns,
]

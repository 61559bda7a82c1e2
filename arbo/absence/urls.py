"""Absence URLs: cases and caseload (views.py), documents (urls_documents), the calculator."""

from django.urls import include, path

from arbo.absence import views

app_name = "absence"
urlpatterns = [
    path("calculator/", include("arbo.absence.urls_calculator")),
    path("", include("arbo.absence.urls_documents")),
    *views.urlpatterns,
]

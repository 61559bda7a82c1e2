"""The poortwachter deadline calculator (included by arbo.absence.urls under ``calculator/``)."""

from django.urls import path

from arbo.absence import views_calculator

urlpatterns = [
    path("", views_calculator.calculator, name="calculator"),
]

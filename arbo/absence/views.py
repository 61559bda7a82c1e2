"""Case pages, sick and recovery reports, caseload. (Being built.)"""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

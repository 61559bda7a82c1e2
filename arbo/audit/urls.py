from django.urls import path

from arbo.audit import views

app_name = "audit"
urlpatterns = [path("", views.audit_viewer, name="viewer")]

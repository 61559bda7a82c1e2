from django.urls import path

from arbo.journal import views

app_name = "journal"
urlpatterns = [path("employees/<int:employee_id>/entries/", views.add_entry, name="add_entry")]

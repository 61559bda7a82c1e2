from django.urls import path

from arbo.medical import views

app_name = "medical"
urlpatterns = [path("employees/<int:employee_id>/notes/", views.add_note, name="add_note")]

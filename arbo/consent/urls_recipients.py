from django.urls import path

from arbo.consent import views_recipients as views

app_name = "recipients"
urlpatterns = [
    path("", views.recipient_list, name="list"),
    path("new/", views.recipient_create, name="create"),
    path("<int:organisation_id>/edit/", views.recipient_edit, name="edit"),
]

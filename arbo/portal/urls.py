from django.urls import path

from arbo.portal import views

app_name = "portal"
urlpatterns = [
    path("work/", views.work, name="work"),
    path("who-saw-my-file/", views.who_saw_my_file, name="who_saw_my_file"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:message_id>/", views.letter, name="letter"),
]

from django.urls import path

from arbo.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.schedule, name="schedule"),
    path("dry-run/", views.dry_run, name="dry_run"),
    path("holds/", views.holds, name="holds"),
    path("holds/<int:hold_id>/lift/", views.lift, name="lift"),
    path("changes/new/", views.change, name="change"),
    path("changes/<int:change_id>/decide/", views.decide, name="decide"),
]

"""Roster import routes; spliced into ``arbo.registry.urls`` (namespace "registry")."""

from django.urls import path

from arbo.registry import roster_views as views

urlpatterns = [
    path("employers/<int:employer_id>/roster/", views.roster_upload, name="roster_upload"),
    path("employers/<int:employer_id>/roster/<int:import_id>/", views.roster_preview, name="roster_preview"),
    path(
        "employers/<int:employer_id>/roster/<int:import_id>/commit/",
        views.roster_commit,
        name="roster_commit",
    ),
    path(
        "employers/<int:employer_id>/roster/<int:import_id>/progress/",
        views.roster_progress,
        name="roster_progress",
    ),
]

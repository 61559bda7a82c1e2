from django.urls import path

from arbo.access import views

app_name = "access"
urlpatterns = [
    path("matrix/", views.matrix_page, name="matrix"),
    path("matrix/changes/<int:change_id>/approve/", views.change_approve, name="matrix_change_approve"),
    path("matrix/changes/<int:change_id>/reject/", views.change_reject, name="matrix_change_reject"),
]

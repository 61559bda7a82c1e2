from django.urls import path

from arbo.consent import views_visitation as views

app_name = "visitation"
urlpatterns = [
    path("", views.visitation_list, name="list"),
    path("<int:visitation_id>/", views.visitation_detail, name="detail"),
    path("<int:visitation_id>/end/", views.visitation_end, name="end"),
    path("<int:visitation_id>/files/<int:employee_id>/", views.visitation_file, name="file"),
]

from django.urls import path

from arbo.registry import roster_urls, views

app_name = "registry"
urlpatterns = [
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/new/", views.employer_create, name="employer_create"),
    path("employers/<int:employer_id>/", views.employer_detail, name="employer_detail"),
    path("employers/<int:employer_id>/edit/", views.employer_edit, name="employer_edit"),
    path("employees/", views.employee_list, name="employee_list"),
    path("employees/new/", views.employee_create, name="employee_create"),
    path("employees/<int:employee_id>/", views.employee_detail, name="employee_detail"),
    path("employees/<int:employee_id>/edit/", views.employee_edit, name="employee_edit"),
    path("me/", views.my_data, name="my_data"),
]
urlpatterns += roster_urls.urlpatterns

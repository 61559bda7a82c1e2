from django.urls import path

from arbo.registry import roster_urls, views, views_file

app_name = "registry"
urlpatterns = [
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/new/", views.employer_create, name="employer_create"),
    path("employers/<int:employer_id>/", views.employer_detail, name="employer_detail"),
    path("employers/<int:employer_id>/edit/", views.employer_edit, name="employer_edit"),
    path("employees/", views.employee_list, name="employee_list"),
    path("employees/new/", views.employee_create, name="employee_create"),
    path("employees/<int:employee_id>/", views_file.employee_file, name="employee_detail"),
    # Issue 18: the file's tabs, each a URL of its own (the overview is the file's own URL).
    *(
        path(
            f"employees/<int:employee_id>/{tab}/",
            views_file.employee_file,
            {"tab": tab},
            name=f"employee_{tab}",
        )
        for tab in ("absence", "documents", "medical", "prevention", "journal", "history")
    ),
    path("employees/<int:employee_id>/edit/", views.employee_edit, name="employee_edit"),
    path("me/", views.my_data, name="my_data"),
    path("search/", views_file.search, name="search"),
]
urlpatterns += roster_urls.urlpatterns

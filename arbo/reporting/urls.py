from django.urls import path

from arbo.reporting import views, views_management, views_research

app_name = "reporting"
urlpatterns = [
    path("", views.home, name="dashboard"),
    path("export/<str:table>.<str:fmt>", views.export, name="export"),
    path("management/", views_management.management_view, name="management"),
    path("research/", views_research.research_export, name="research"),
]

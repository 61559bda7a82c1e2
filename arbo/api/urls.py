from django.urls import path

from arbo.api import views, views_absence, views_reports, views_rights, views_timeline, views_web
from arbo.retention.api import RetentionCalculatorView

app_name = "api"
urlpatterns = [
    path("employees/", views.EmployeeListView.as_view(), name="employee_list"),
    path("employees/<int:employee_id>/", views.EmployeeDetailView.as_view(), name="employee_detail"),
    path("absences/", views_absence.AbsenceListView.as_view(), name="absence_list"),
    path("absences/<int:case_id>/", views_absence.AbsenceDetailView.as_view(), name="absence_detail"),
    path("absences/<int:case_id>/recovery/", views_absence.RecoveryView.as_view(), name="absence_recovery"),
    path(
        "poortwachter/timeline",
        views_timeline.PoortwachterTimelineView.as_view(),
        name="poortwachter_timeline",
    ),
    path("privacy/deadline", views_rights.RightsDeadlineView.as_view(), name="privacy_deadline"),
    path("privacy/retention", RetentionCalculatorView.as_view(), name="privacy_retention"),
    path("reports/absence", views_reports.AbsenceReportView.as_view(), name="reports_absence"),
    # Web pages (session, not token): the employer's HR user manages the API clients.
    path("clients/", views_web.client_list, name="client_list"),
    path("clients/new/", views_web.client_create, name="client_create"),
    path("clients/<int:token_id>/revoke/", views_web.client_revoke, name="client_revoke"),
]

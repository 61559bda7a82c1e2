from django.urls import path

from arbo.identity import views, views_provisioning

app_name = "identity"
urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views_provisioning.user_new, name="user_new"),
    path("users/<int:user_id>/invitation/", views_provisioning.invitation_resend, name="invitation_resend"),
    path("invitations/<str:token>/", views_provisioning.invitation_accept, name="invitation_accept"),
    path("users/<int:user_id>/teams/", views_provisioning.team_join, name="team_join"),
    path("teams/<int:membership_id>/end/", views_provisioning.team_leave, name="team_leave"),
    path("users/<int:user_id>/doctor-team/", views_provisioning.doctor_team_add, name="doctor_team_add"),
    path("doctor-team/<int:member_id>/end/", views_provisioning.doctor_team_end, name="doctor_team_end"),
    path("login-attempts/", views.my_login_attempts, name="my_login_attempts"),
    path("users/<int:user_id>/login-attempts/", views.user_login_attempts, name="user_login_attempts"),
    path("users/review/", views.access_review, name="access_review"),
    path("users/review.csv", views.access_review_csv, name="access_review_csv"),
    path("users/<int:user_id>/", views.user_detail, name="user_detail"),
    path("users/<int:user_id>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:user_id>/reset-mfa/", views.user_reset_mfa, name="user_reset_mfa"),
    path("users/<int:user_id>/functions/request/", views.function_request, name="function_request"),
    path("users/<int:user_id>/declaration/", views.declaration_record, name="declaration_record"),
    path("users/<int:user_id>/leaving/", views.leaving_record, name="leaving_record"),
    path("functions/<int:assignment_id>/approve/", views.function_approve, name="function_approve"),
    path("functions/<int:assignment_id>/reject/", views.function_reject, name="function_reject"),
    path("functions/<int:assignment_id>/revoke/", views.function_revoke, name="function_revoke"),
]

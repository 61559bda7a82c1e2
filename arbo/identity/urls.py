from django.urls import path

from arbo.identity import views

app_name = "identity"
urlpatterns = [
    path("users/", views.user_list, name="user_list"),
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

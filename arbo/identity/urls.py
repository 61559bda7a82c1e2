from django.urls import path

from arbo.identity import views

app_name = "identity"
urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/<int:user_id>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:user_id>/reset-mfa/", views.user_reset_mfa, name="user_reset_mfa"),
]

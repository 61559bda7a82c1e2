from django.urls import path

from arbo.consent import views

app_name = "consent"
urlpatterns = [
    path("mine/", views.my_consents, name="mine"),
    path("mine/<int:consent_id>/withdraw/", views.withdraw, name="withdraw"),
]

from django.urls import path

app_name = "absence"
urlpatterns: list = []

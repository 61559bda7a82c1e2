from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "arbo.consent"
    label = "consent"

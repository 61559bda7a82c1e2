from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "arbo.access"
    label = "access"

from django.apps import AppConfig


class MedicalConfig(AppConfig):
    name = "arbo.medical"
    label = "medical"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "arbo.reporting"
    label = "reporting"
    verbose_name = "Rapportages (alleen groepscijfers)"

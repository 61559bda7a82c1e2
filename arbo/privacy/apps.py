from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "arbo.privacy"
    label = "privacy"
    verbose_name = "Privacy office"

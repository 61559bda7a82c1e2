from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "arbo.portal"
    label = "portal"

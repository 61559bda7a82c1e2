from django.apps import AppConfig


class PreventionConfig(AppConfig):
    name = "arbo.prevention"
    label = "prevention"
    verbose_name = "Preventie: PMO, aanstellingskeuringen en blootstellingsregisters"

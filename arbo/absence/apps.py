from django.apps import AppConfig


class AbsenceConfig(AppConfig):
    name = "arbo.absence"
    label = "absence"
    verbose_name = "Verzuim (Wet verbetering poortwachter)"

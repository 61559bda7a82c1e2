from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "arbo.retention"
    label = "retention"
    verbose_name = "Bewaartermijnen: schema, bewaarplichten, vernietiging"

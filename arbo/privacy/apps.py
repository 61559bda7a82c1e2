from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "arbo.privacy"
    label = "privacy"
    verbose_name = "Privacy office"

    def ready(self) -> None:
        # The rights requests' kind of the retention schedule (seed 002: two years after handling).
        from arbo.privacy.rights import retention  # noqa: PLC0415 - models are loaded only now

        retention.register()

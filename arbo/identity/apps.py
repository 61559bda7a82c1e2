from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "arbo.identity"
    label = "identity"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Login events are audited through Django's auth signals: they are the only hook for them.
        from arbo.identity import auditing  # noqa: F401

from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "arbo.identity"
    label = "identity"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Login events are audited through Django's auth signals: they are the only hook for them.
        from allauth.mfa import signals as mfa_signals

        from arbo.identity import auditing  # noqa: F401
        from arbo.identity.middleware import forget_enrolment

        # A removed authenticator: the session asks again whether TOTP is enrolled (issue 12).
        mfa_signals.authenticator_removed.connect(forget_enrolment, dispatch_uid="identity:forget_enrolment")

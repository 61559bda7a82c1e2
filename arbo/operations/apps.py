from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "arbo.operations"
    label = "operations"
    verbose_name = "Bedrijfsvoering"

    def ready(self) -> None:
        from arbo.operations import signals  # noqa: F401  (connects the task_finished receiver)

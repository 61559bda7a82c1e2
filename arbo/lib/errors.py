class DomainError(Exception):
    """A business rule refused the change. The message is for the user (translated)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

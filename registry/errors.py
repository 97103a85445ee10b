"""Domain errors: plain Python, importable from every layer, each with a message fit to show."""


class DomainError(Exception):
    """A rule refused the action; the message is written for the person who asked."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    """The acting user may not do this (403)."""

    status_code = 403


class NotFound(DomainError):
    """The object does not exist or is not visible to this user (404)."""

    status_code = 404


class InvalidTransition(DomainError):
    """The object is not in a state that allows this action (409)."""

    status_code = 409


class NotEligible(DomainError):
    """The assessor does not pass the eligibility gate (409)."""

    status_code = 409

    def __init__(self, message: str, reasons: list[str] | None = None) -> None:
        super().__init__(message)
        self.reasons = reasons or []


class ValidationFailed(DomainError):
    """Input passed the form but broke a rule the service owns (shown as a form error)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

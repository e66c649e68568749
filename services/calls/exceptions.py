"""The calls service's problems, each with a stable `type` (rendered by kit.problems)."""

from __future__ import annotations

from typing import Any

from kit.problems import (
    Conflict,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    Unprocessable,
)


def field_error(field: str, msg: str, type_: str = "value_error") -> dict[str, Any]:
    """One entry of a problem's `errors`, shaped like FastAPI's validation errors."""
    return {"loc": ["body", *field.split(".")], "msg": msg, "type": type_}


class CallNotFound(NotFound):
    type, title = "call-not-found", "Call not found"


class CoordinationNotFound(NotFound):
    type, title = "coordination-not-found", "Coordinated round not found"


class CallInvalid(Unprocessable):
    """Input that parses but does not hold together (dates out of order, an unknown area…)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        fields = ", ".join(".".join(e["loc"][1:]) for e in errors)
        super().__init__(f"Invalid input: {fields}", errors=errors)


class CallIncomplete(Unprocessable):
    type, title = "call-incomplete", "The call is not complete enough for publication"

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            "A call needs these fields before it can be ready: " + ", ".join(missing),
            missing=missing,
            errors=[field_error(name, "required for publication", "missing") for name in missing],
        )


class CallStateConflict(Conflict):
    type, title = "call-state-conflict", "Not possible in the call's current status"

    def __init__(self, detail: str, *, status: str, **extensions: Any) -> None:
        super().__init__(detail, call_status=status, **extensions)


class CallInCoordination(Conflict):
    type, title = "call-in-coordination", "The call is published through its coordinated round"

    def __init__(self, coordination_id: str) -> None:
        super().__init__(
            "This call belongs to a coordinated round; the programme office publishes the round.",
            coordination_id=coordination_id,
        )


class DeadlineNotPassed(Conflict):
    type, title = "deadline-not-passed", "The call's deadline has not passed"


class ConcurrentUpdate(Conflict):
    type, title = "concurrent-update", "The call was changed by another request; retry"


class CoordinationInvalid(Unprocessable):
    type, title = "coordination-invalid", "The coordinated round is not valid"


class CoordinationConflict(Conflict):
    type, title = "coordination-conflict", "The calls cannot be coordinated in their state"


class CoordinationNotReady(Conflict):
    type, title = "coordination-not-ready", "Not every call of the round can be published"


class EtagRequired(PreconditionRequired):
    type = "if-match-required"

    def __init__(self) -> None:
        super().__init__("Send the call's ETag in If-Match; read the call first to get it.")


class EtagMismatch(PreconditionFailed):
    type = "etag-mismatch"

    def __init__(self) -> None:
        super().__init__(
            "The call changed since it was read; read it again and reapply the change."
        )

"""RFC 9457 problem details: one exception hierarchy and the handlers that render it."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "/problems/"

log = logging.getLogger("kit.problems")


class ProblemError(Exception):
    """A failure the client can act on; rendered as problem+json with a stable `type`."""

    status: int = 500
    type: str = "internal-error"
    title: str = "Internal server error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.headers = headers or {}
        self.extensions = extensions

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.type,
            "title": self.title,
            "status": self.status,
        }
        if self.detail:
            body["detail"] = self.detail
        if instance:
            body["instance"] = instance
        body.update(self.extensions)
        return body


class BadRequest(ProblemError):
    status, type, title = 400, "bad-request", "Bad request"


class Unauthorized(ProblemError):
    status, type, title = 401, "unauthorized", "Authentication required"

    def __init__(self, detail: str | None = None, *, error: str | None = "invalid_token") -> None:
        # RFC 6750 3.1: a request that sent no token gets a challenge without an error code.
        challenge = 'Bearer realm="programme-office"'
        if error:
            challenge += f', error="{error}"'
        if detail and error:
            # RFC 6750 3: the description is printable ASCII without '"' or '\', so that no
            # detail can end the quoted string and add parameters of its own.
            safe = "".join(c for c in detail if " " <= c <= "~" and c not in '"\\')
            challenge += f', error_description="{safe}"'
        super().__init__(detail, headers={"WWW-Authenticate": challenge})


class Forbidden(ProblemError):
    status, type, title = 403, "forbidden", "Not allowed"


class NotFound(ProblemError):
    status, type, title = 404, "not-found", "Not found"


class MethodNotAllowed(ProblemError):
    status, type, title = 405, "method-not-allowed", "Method not allowed"


class NotAcceptable(ProblemError):
    status, type, title = 406, "not-acceptable", "Not acceptable"


class Conflict(ProblemError):
    status, type, title = 409, "conflict", "Conflict"


class PreconditionFailed(ProblemError):
    status, type, title = 412, "precondition-failed", "Precondition failed"


class PayloadTooLarge(ProblemError):
    status, type, title = 413, "payload-too-large", "Request body too large"


class Unprocessable(ProblemError):
    status, type, title = 422, "validation-error", "The request is not valid"


class RuleViolation(ProblemError):
    """A programme rule (domain.md R1-R15) refuses the write; the rule number is in the body."""

    status, type, title = 422, "rule-violation", "A programme rule refuses this request"

    def __init__(self, rule: str, detail: str, *, status: int | None = None, **ext: Any) -> None:
        super().__init__(detail, rule=rule, **ext)
        if status is not None:
            self.status = status


class PreconditionRequired(ProblemError):
    status, type, title = 428, "precondition-required", "If-Match is required"


class TooManyRequests(ProblemError):
    status, type, title = 429, "rate-limited", "Too many requests"


class BadGateway(ProblemError):
    status, type, title = 502, "bad-gateway", "An upstream service failed"


class ServiceUnavailable(ProblemError):
    status, type, title = 503, "service-unavailable", "Service unavailable"


class GatewayTimeout(ProblemError):
    status, type, title = 504, "gateway-timeout", "An upstream service timed out"


_STATUS_CLASSES: dict[int, type[ProblemError]] = {
    cls.status: cls
    for cls in (
        BadRequest,
        Forbidden,
        NotFound,
        MethodNotAllowed,
        NotAcceptable,
        Conflict,
        PreconditionFailed,
        PayloadTooLarge,
        Unprocessable,
        TooManyRequests,
        BadGateway,
        ServiceUnavailable,
        GatewayTimeout,
    )
}


def problem_response(problem: ProblemError, request: Request | None = None) -> JSONResponse:
    instance = request.url.path if request is not None else None
    return JSONResponse(
        problem.body(instance),
        status_code=problem.status,
        headers=problem.headers,
        media_type=PROBLEM_JSON,
    )


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for err in exc.errors():
        errors.append(
            {
                "loc": [str(part) for part in err.get("loc", ())],
                "msg": err.get("msg", ""),
                "type": err.get("type", ""),
            }
        )
    return errors


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(exc, request)


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _validation_errors(exc)
    fields = ", ".join(".".join(e["loc"]) for e in errors[:5])
    problem = Unprocessable(f"Invalid input: {fields}" if fields else None, errors=errors)
    return problem_response(problem, request)


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    cls = _STATUS_CLASSES.get(exc.status_code)
    if cls is None:
        problem: ProblemError = ProblemError(str(exc.detail))
        problem.status = exc.status_code
        problem.type, problem.title = "http-error", str(exc.detail)
    else:
        default_detail = exc.detail in {None, "Not Found", "Method Not Allowed"}
        problem = cls(None if default_detail else str(exc.detail))
    problem.headers.update(exc.headers or {})
    return problem_response(problem, request)


async def _on_integrity(request: Request, exc: Exception) -> JSONResponse:
    log.warning("integrity error: %s", exc)
    return problem_response(
        Conflict("The request conflicts with data that already exists."), request
    )


async def _on_data(request: Request, exc: Exception) -> JSONResponse:
    # The database refused a value the request carried (out of range, too long, wrong type
    # for the column): the client's input, not a fault of ours.
    log.warning("data error: %s", exc)
    return problem_response(
        Unprocessable("A value in the request does not fit the field it is stored in."), request
    )


async def _on_operational(request: Request, exc: Exception) -> JSONResponse:
    log.error("database error: %s", exc)
    return problem_response(ServiceUnavailable("The database is not answering."), request)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return problem_response(ProblemError(), request)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(IntegrityError, _on_integrity)
    app.add_exception_handler(DataError, _on_data)
    app.add_exception_handler(OperationalError, _on_operational)
    app.add_exception_handler(Exception, _on_unexpected)


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "rule": {"type": "string", "description": "Programme rule (domain.md), e.g. R11"},
    },
    "additionalProperties": True,
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting problem+json errors."""
    descriptions = {
        400: "Bad request",
        401: "No valid token",
        403: "Not allowed for this principal",
        404: "Not found (or not yours)",
        409: "Conflicts with the current state",
        412: "ETag does not match",
        413: "Body too large",
        422: "Invalid input or a rule refuses",
        428: "If-Match missing",
        429: "Rate limited",
        502: "Upstream failed",
        503: "Unavailable",
        504: "Upstream timed out",
    }
    return {
        status: {
            "description": descriptions.get(status, "Error"),
            "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}},
        }
        for status in statuses
    }


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """A service's OpenAPI document, corrected to list the errors kit answers on every route.

    FastAPI documents its own 422 body (`HTTPValidationError`, application/json), but our
    handler renders validation errors as problem+json. Every service route also answers 401
    without a valid internal token (`create_service_app` adds `current_principal` to all
    routers), and a route that reads a body answers 400 when the body cannot be decoded
    (FastAPI). Routes that document these themselves keep their own entries.
    """
    problem = problem_responses(400, 401, 422)
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses: dict[str, Any] = operation["responses"]
            if "HTTPValidationError" in json.dumps(responses.get("422", {})):
                responses["422"] = problem[422]
            responses.setdefault("401", problem[401])
            if "requestBody" in operation:
                responses.setdefault("400", problem[400])
    schemas = document.get("components", {}).get("schemas", {})
    if "HTTPValidationError" not in json.dumps(document.get("paths", {})):
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
    return document

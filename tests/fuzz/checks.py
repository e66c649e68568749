"""What every answer must be, checked on each generated request (schemathesis checks)."""

from __future__ import annotations

from typing import Any

from schemathesis import Case, CheckContext, Response
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kit.problems import PROBLEM_JSON

# RFC 6749 5.2 fixes the token endpoint's own errors as plain JSON (api.md, "Identity").
OAUTH_ERRORS = {("POST", "/v1/auth/token", 400), ("POST", "/v1/auth/token", 401)}


def problem_details(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """Every error is RFC 9457 problem+json whose `status` is the response's."""
    status = response.status_code
    if status < 400 or (case.method.upper(), case.path, status) in OAUTH_ERRORS:
        return None
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.startswith(PROBLEM_JSON), f"{status} answered as {content_type!r}"
    body: Any = response.json()
    assert isinstance(body, dict), body
    assert body.get("status") == status, f"problem status {body.get('status')} on a {status}"
    assert isinstance(body.get("type"), str), body
    assert isinstance(body.get("title"), str), body
    return True


def _accepts_string_array(schema: dict[str, Any]) -> bool:
    options = schema.get("anyOf", [schema])
    return any(o.get("type") == "array" and o.get("items") == {"type": "string"} for o in options)


def _sent_as_valid_array(case: Case[Any]) -> bool:
    """A negative value generated for a query parameter that takes any array of strings. On
    the wire every query value is text, so whatever was generated arrives as a valid array:
    `""` as `group_by=` (the array `[""]`), `{"": "null"}` as its keys, again `group_by=`.
    Such a request does not break the schema as sent, and accepting it is right."""
    data = case.meta.phase.data if case.meta else None
    mutations = getattr(data, "mutations", None) or []
    if not mutations:
        return False
    parameters = {
        p["name"]: p.get("schema", {})
        for p in case.operation.definition.raw.get("parameters", [])
        if p.get("in") == "query"
    }
    return all(
        mutation.parameter_location == ParameterLocation.QUERY
        and _accepts_string_array(parameters.get(mutation.parameter, {}))
        for mutation in mutations
    )


def negative_data_refused(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """schemathesis's negative_data_rejection, for requests that break the schema as sent."""
    if _sent_as_valid_array(case):
        return None
    return negative_data_rejection(ctx, response, case)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_refused,
    problem_details,
]

# A generated request that breaks the schema must be refused with one of these.
REFUSALS = [400, 401, 403, 404, 405, 406, 409, 412, 413, 415, 422, 428]

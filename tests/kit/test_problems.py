"""kit.problems: every error a service gives is RFC 9457 problem+json with a stable type."""

from __future__ import annotations

import pytest

from kit.problems import PROBLEM_JSON, RuleViolation, Unauthorized, problem_responses
from tests.gateway.helpers import assert_problem
from tests.kit.conftest import Tiny


def test_a_broken_rule_names_itself_with_its_status(tiny: Tiny) -> None:
    with tiny.client() as client:
        body = assert_problem(client.post("/v1/rules/R11"), 422)
        assert (body["rule"], body["type"]) == ("R11", "/problems/rule-violation")
        assert body["detail"] == "R11 refuses this."
        assert body["instance"] == "/v1/rules/R11"
        body = assert_problem(client.post("/v1/rules/R7", params={"status": 409}), 409)
        assert body["rule"] == "R7"


def test_invalid_input_lists_the_fields(tiny: Tiny) -> None:
    with tiny.client() as client:
        body = assert_problem(client.post("/v1/items", json={"id": "one", "rank": []}), 422)
    assert body["type"] == "/problems/validation-error"
    assert {tuple(e["loc"]) for e in body["errors"]} == {("body", "id"), ("body", "rank")}


def test_a_body_that_is_not_json_is_a_422_problem(tiny: Tiny) -> None:
    with tiny.client() as client:
        response = client.post(
            "/v1/items", content=b"{not json", headers={"content-type": "application/json"}
        )
    assert_problem(response, 422)


def test_unknown_paths_and_methods_are_problems(tiny: Tiny) -> None:
    with tiny.client() as client:
        assert_problem(client.get("/v1/nothing-here"), 404)
        assert_problem(client.delete("/v1/items"), 405)


def test_an_unexpected_error_is_a_500_problem_without_internals(tiny: Tiny) -> None:
    with tiny.client() as client:
        response = client.get("/v1/boom")
    body = assert_problem(response, 500)
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert body["type"] == "/problems/internal-error"


def test_a_value_the_database_cannot_store_is_never_a_500(tiny: Tiny) -> None:
    # PostgreSQL refuses a 51-character name for VARCHAR(50) (a DataError); SQLite stores it.
    with tiny.client() as client:
        response = client.post("/v1/items", json={"id": 9, "name": "x" * 51})
    assert response.status_code in {201, 422}, response.text
    if response.status_code == 422:
        assert response.headers["content-type"].startswith(PROBLEM_JSON)
        assert tiny.count() == 0


def test_rule_violation_keeps_its_rule_and_status() -> None:
    problem = RuleViolation("R3", "SSH share missing", status=409, share=0)
    assert problem.status == 409
    assert problem.body("/x") == {
        "type": "/problems/rule-violation",
        "title": "A programme rule refuses this request",
        "status": 409,
        "detail": "SSH share missing",
        "instance": "/x",
        "rule": "R3",
        "share": 0,
    }
    assert RuleViolation("R1", "x").status == 422


@pytest.mark.parametrize(
    ("error", "detail", "challenge"),
    [
        (None, "x", 'Bearer realm="programme-office"'),
        (
            "invalid_token",
            "token expired",
            'Bearer realm="programme-office", error="invalid_token", '
            'error_description="token expired"',
        ),
    ],
)
def test_unauthorized_carries_an_rfc_6750_challenge(
    error: str | None, detail: str, challenge: str
) -> None:
    assert Unauthorized(detail, error=error).headers["WWW-Authenticate"] == challenge


def test_a_description_cannot_break_out_of_the_challenge() -> None:
    challenge = Unauthorized('bad "quote" \\ here', error="invalid_token").headers[
        "WWW-Authenticate"
    ]
    description = challenge.split('error_description="', 1)[1]
    assert description.count('"') == 1  # only the closing quote
    assert "\\" not in description


def test_documented_problem_responses_use_problem_json() -> None:
    responses = problem_responses(404, 409, 422)
    assert set(responses) == {404, 409, 422}
    for entry in responses.values():
        assert PROBLEM_JSON in entry["content"]

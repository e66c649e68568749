"""The request's transaction is committed before the response: a failed commit is no success."""

from __future__ import annotations

from tests.gateway.helpers import assert_problem
from tests.kit.conftest import Tiny


def test_a_write_that_commits_answers_201_and_is_stored(tiny: Tiny) -> None:
    # The control: the same route, committing fine.
    with tiny.client() as client:
        response = client.post("/v1/items", json={"id": 1})
    assert response.status_code == 201
    assert tiny.count() == 1


def test_a_commit_refused_by_the_database_is_not_answered_with_success(tiny: Tiny) -> None:
    handled = tiny.server.app.state.handled
    with tiny.client() as client:
        # parent 999 does not exist; the deferred foreign key is checked only at COMMIT.
        response = client.post("/v1/items", json={"id": 2, "parent_id": 999})
    assert tiny.server.app.state.handled == handled + 1  # the handler did return its 201 body
    assert_problem(response, 409)
    assert tiny.count() == 0


def test_a_commit_that_raises_is_a_500_problem_and_nothing_is_stored(tiny: Tiny) -> None:
    tiny.server.app.state.fail_commit = True
    with tiny.client() as client:
        response = client.post("/v1/items", json={"id": 3})
    body = assert_problem(response, 500)
    assert "the commit failed" not in response.text  # internals stay in the log
    assert body["type"] == "/problems/internal-error"
    tiny.server.app.state.fail_commit = False
    assert tiny.count() == 0


def test_after_a_failed_commit_the_next_request_works(tiny: Tiny) -> None:
    with tiny.client() as client:
        assert client.post("/v1/items", json={"id": 4, "parent_id": 999}).status_code == 409
        assert client.post("/v1/items", json={"id": 4}).status_code == 201
    assert tiny.count() == 1

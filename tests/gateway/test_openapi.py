"""One OpenAPI document for the whole API at /openapi.json, and interactive docs at /docs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from gateway.routes import is_public, upstream_for
from tests.gateway.helpers import WAIT, Servers, closed_port_url, gateway_app
from tests.harness import Stack

GATEWAY_PATHS = {"/v1/auth/token", "/.well-known/jwks.json"}
SERVICE_PATHS = {"/v1/calls", "/v1/public/calls", "/v1/grants", "/v1/reports/planning"}
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture(scope="module")
def document(stack: Stack) -> dict[str, Any]:
    response = httpx.get(f"{stack.gateway_url}/openapi.json", timeout=WAIT)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    return body


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_the_document_is_well_formed_openapi(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"]
    assert document["info"]["version"]
    assert "x-missing-services" not in document["info"]
    for ref in set(refs(document)):
        assert resolve(document, ref) is not None, f"{ref} does not resolve"
    ids = Counter(op["operationId"] for _, _, op in operations(document))
    assert [op_id for op_id, n in ids.items() if n > 1] == []
    for path, method, operation in operations(document):
        assert operation["responses"], f"{method} {path} documents no response"
    flows = document["components"]["securitySchemes"]["oauth2"]["flows"]
    assert flows["clientCredentials"]["tokenUrl"] == "/v1/auth/token"


def test_every_services_public_paths_are_in_it(document: dict[str, Any]) -> None:
    assert set(document["paths"]) >= GATEWAY_PATHS | SERVICE_PATHS


def test_no_internal_or_operational_path_is_in_it(document: dict[str, Any]) -> None:
    for path in document["paths"]:
        assert not path.startswith("/internal"), path
        assert "/internal/" not in path, path
        assert path not in {"/healthz", "/readyz", "/openapi.json", "/docs"}, path


def test_every_documented_path_is_one_the_gateway_serves(document: dict[str, Any]) -> None:
    for path in document["paths"]:
        assert path in GATEWAY_PATHS or upstream_for(path) is not None, path


def test_security_says_which_operations_need_a_token(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        needs_token = path not in GATEWAY_PATHS and not is_public(path)
        assert operation["security"] == ([{"oauth2": []}] if needs_token else []), (method, path)


def test_the_interactive_docs_answer_html(stack: Stack) -> None:
    response = httpx.get(f"{stack.gateway_url}/docs", timeout=WAIT)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "/openapi.json" in response.text
    assert "swagger" in response.text.lower()


def test_a_service_that_is_down_is_left_out_and_named(stack: Stack, servers: Servers) -> None:
    gateway = servers.start(
        gateway_app(stack, grants_url=closed_port_url(), upstream_timeout=0.5, connect_timeout=0.5)
    )
    response = httpx.get(f"{gateway.url}/openapi.json", timeout=WAIT)
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["x-missing-services"] == ["grants"]
    assert "/v1/calls" in document["paths"]
    assert "/v1/grants" not in document["paths"]

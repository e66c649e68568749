"""Schema fuzzing (issue 6, item 1): the gateway's merged OpenAPI against the running stack.

schemathesis generates requests for every operation of the merged document, valid ones and
ones that break the schema, each sent through the gateway with a real token of every
principal (and none). Every answer must conform to the document: no 5xx, a documented
status and content type, a body and headers matching their schemas, every error
problem+json, and a request that breaks the schema refused. Half the requests name real
objects of both agencies in their paths (seeds.py).

The run is bounded (EXAMPLES per operation and mode, no shrinking) and derandomized, so it
repeats exactly and fits CI; a failure names the operation and a curl command that
reproduces it.
"""

from __future__ import annotations

import os
import re
import traceback
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, GenerationMode

from gateway.routes import upstream_for
from tests.fuzz.checks import CHECKS, REFUSALS
from tests.fuzz.seeds import PathParameters, for_operation, world
from tests.harness import Stack

Operation = APIOperation[Any, Any, Any, Any]

PRINCIPALS = ("vr", "vinnova", "office", "government")
# the gateway's own routes, then each service's (gateway/routes.py)
SERVICES = ("gateway", "calls", "grants", "reporting")
# per operation and mode; CI's bound. FUZZ_EXAMPLES=… runs deeper (docs/reliability.md).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # no shrinking: a failure's curl line reproduces it, and a failing run stays bounded
    phases=[Phase.explicit, Phase.generate],
    # negative generation filters much of what it draws; that is its way, not a slow test
    suppress_health_check=list(HealthCheck),
)


def load_schema(stack: Stack) -> Any:
    document = httpx.get(f"{stack.gateway_url}/openapi.json").json()
    assert "x-missing-services" not in document["info"], document["info"]
    config = schemathesis.Config.from_dict(
        {
            "base-url": stack.gateway_url,
            "generation": {"deterministic": True},
            "checks": {"negative_data_rejection": {"expected-statuses": REFUSALS}},
        }
    )
    return schemathesis.openapi.from_dict(document, config=config)


def strategy(operation: Operation, mode: GenerationMode, seeds: list[PathParameters]) -> Any:
    """Half the cases name real objects; those also send `If-Match: *`, so that generated
    edits get past the precondition to the route's own checks (random tags get 412)."""
    generated = operation.as_strategy(generation_mode=mode)
    names = set(re.findall(r"{(\w+)}", operation.path))
    any_tag = {h.name: "*" for h in operation.headers if h.name.lower() == "if-match"}
    fixed = [
        operation.as_strategy(generation_mode=mode, path_parameters=parameters, headers=any_tag)
        for parameters in for_operation(seeds, names)
    ]
    return st.one_of(generated, st.one_of(fixed)) if fixed else generated


def fuzz(operation: Operation, mode: GenerationMode, case_strategy: Any, send: Any) -> int:
    """Runs the bounded examples; the number of cases generated (each sent per principal)."""
    sent = 0

    @BOUNDED
    @given(case=case_strategy)
    def run(case: Any) -> None:
        nonlocal sent
        sent += 1
        send(case)

    try:
        run()
    except Unsatisfiable:
        # Nothing in the operation can be made invalid (no parameters, no body).
        if mode is not GenerationMode.NEGATIVE:
            raise
    return sent


def principal_headers(stack: Stack) -> dict[str, dict[str, str]]:
    """The headers each principal sends (anonymous none): real tokens from the gateway."""
    headers = {name: {"authorization": f"Bearer {stack.token(name)}"} for name in PRINCIPALS}
    return {**headers, "anonymous": {}}


def service_of(operation: Operation) -> str:
    return upstream_for(operation.path) or "gateway"


@pytest.mark.parametrize("service", SERVICES)
def test_the_api_conforms_to_its_document(
    service: str,
    stack: Stack,
    vr: httpx.Client,
    vinnova: httpx.Client,
    office: httpx.Client,
    request: pytest.FixtureRequest,
) -> None:
    """Every generated request is sent once as each principal: the same inputs meet every
    role's branch (allowed, forbidden, another agency's object, no token)."""
    seeds = world(vr, vinnova, office)
    schema = load_schema(stack)
    senders = principal_headers(stack)
    operations = [
        result.ok() for result in schema.get_all_operations() if service_of(result.ok()) == service
    ]
    failures: list[str] = []
    cases = 0
    # schemathesis sends with requests; one session keeps the connections to the gateway
    with requests.Session() as session:

        def send(case: Any) -> None:
            for name, headers in senders.items():
                try:
                    case.call_and_validate(session=session, headers=headers, checks=CHECKS)
                except (Exception, BaseExceptionGroup) as exc:
                    exc.add_note(f"principal: {name}")
                    raise

        for operation in operations:
            for mode in MODES:
                try:
                    cases += fuzz(operation, mode, strategy(operation, mode, seeds), send)
                except (Exception, BaseExceptionGroup) as exc:  # reported together below
                    report = "".join(traceback.format_exception(exc)[-40:])
                    failures.append(f"{operation.label} ({mode.value}): {report}")
    # the figures docs/reliability.md quotes: --junitxml=… -o junit_family=legacy shows them
    request.node.user_properties += [
        ("operations", len(operations)),
        ("cases", cases),
        ("requests", cases * len(senders)),
    ]
    assert operations, f"no operation of {service} in the merged document"
    assert not failures, "\n".join(failures)

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.harness import Stack, running_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(Path(tmp_path_factory.mktemp("stack"))) as running:
        yield running


@pytest.fixture(autouse=True)
def _clean_data(request: pytest.FixtureRequest) -> None:
    """Each test that uses the stack starts from migrated tables with reference data only."""
    if "stack" in request.fixturenames:
        request.getfixturevalue("stack").reset()


def _client(stack: Stack, principal: str | None) -> Iterator[httpx.Client]:
    with stack.client(principal) as client:
        yield client


@pytest.fixture
def vr(stack: Stack) -> Iterator[httpx.Client]:
    yield from _client(stack, "vr")


@pytest.fixture
def vinnova(stack: Stack) -> Iterator[httpx.Client]:
    yield from _client(stack, "vinnova")


@pytest.fixture
def office(stack: Stack) -> Iterator[httpx.Client]:
    yield from _client(stack, "office")


@pytest.fixture
def government(stack: Stack) -> Iterator[httpx.Client]:
    yield from _client(stack, "government")


@pytest.fixture
def anonymous(stack: Stack) -> Iterator[httpx.Client]:
    yield from _client(stack, None)

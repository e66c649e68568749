from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.gateway.helpers import Servers


@pytest.fixture
def servers() -> Iterator[Servers]:
    running = Servers()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def module_servers() -> Iterator[Servers]:
    """For apps a whole test module shares (configured once, started once)."""
    running = Servers()
    try:
        yield running
    finally:
        running.stop()

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from kit.db import utcnow
from tests.harness import Stack


@pytest.fixture
def reporting_clock(stack: Stack) -> Iterator[Callable[[datetime], None]]:
    """Moves the reporting service's clock (due dates, overdue); put back after the test."""
    app = stack.servers["reporting"].app

    def set_to(instant: datetime) -> None:
        app.state.clock = lambda: instant

    yield set_to
    app.state.clock = utcnow

"""Faults with the whole stack as real processes: a service stops in the middle of a stream
of writes, and the database drops every connection."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from bench.public_calls import call_body
from tests.harness import database_url
from tools.throwaway import ThrowawayStack, throwaway_stack


@pytest.fixture(scope="module")
def processes() -> Iterator[ThrowawayStack]:
    url = database_url()
    postgres = url if url and not url.startswith("sqlite") else None
    with throwaway_stack(postgres=postgres, schema_prefix="fault_", base_port=None) as stack:
        yield stack


def test_a_service_stopping_mid_stream_loses_no_acknowledged_write(
    processes: ThrowawayStack,
) -> None:
    acknowledged: list[str] = []
    refused: list[int] = []
    stop = threading.Event()

    def writer() -> None:
        with processes.client("vr") as client:
            i = 0
            while not stop.is_set():
                response = client.post("/v1/calls", json=call_body(i, "vr"), timeout=15)
                i += 1
                if response.status_code == 201:
                    acknowledged.append(response.json()["id"])
                else:
                    assert response.status_code in {502, 503}, response.text
                    assert response.headers["content-type"] == "application/problem+json"
                    refused.append(response.status_code)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(acknowledged) < 20:
            assert thread.is_alive()
            time.sleep(0.01)
        processes.processes.stop("calls", timeout=0)  # SIGTERM, then SIGKILL at once
        while len(refused) < 5:
            assert thread.is_alive()
            time.sleep(0.01)
        processes.processes.start("calls")
        processes.processes.wait_healthy("calls")
        before = len(acknowledged)
        while len(acknowledged) < before + 20:
            assert thread.is_alive()
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join(timeout=30)

    assert refused, "the stopped service was never noticed"
    with processes.client("vr") as client:
        stored: dict[str, dict[str, Any]] = {}
        cursor = None
        while True:
            params: dict[str, str | int] = {"limit": 200}
            if cursor:
                params["cursor"] = cursor
            page = client.get("/v1/calls", params=params).json()
            stored.update({item["id"]: item for item in page["items"]})
            cursor = page["next_cursor"]
            if not cursor:
                break
    assert set(acknowledged) <= set(stored)
    # Nothing half-written: every stored call is whole (a write whose answer was lost in the
    # stop may be stored, but then completely).
    for item in stored.values():
        assert item["status"] == "draft"
        assert item["budget_sek"] == call_body(0, "vr")["budget_sek"]
        assert str(item["title"]["en"]).startswith("Call ")


def test_database_connections_dropped_are_reestablished(processes: ThrowawayStack) -> None:
    url = database_url()
    with processes.client("vr") as client:
        assert client.post("/v1/calls", json=call_body(1, "vr")).status_code == 201
        if url and not url.startswith("sqlite"):
            # What a PostgreSQL restart does to the pools: every server connection dies.
            engine = create_engine(url)
            with engine.begin() as conn:
                killed = conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE application_name LIKE 'po-fault_%'"
                    )
                ).scalar()
            engine.dispose()
            assert killed
        response = client.post("/v1/calls", json=call_body(2, "vr"))
        assert response.status_code == 201, response.text
        assert client.get("/v1/calls").status_code == 200


def test_gateway_answers_quickly_when_every_service_is_gone(processes: ThrowawayStack) -> None:
    processes.processes.stop("grants")
    try:
        with processes.client("vr") as client:
            response = client.get("/v1/grants", timeout=10)
        assert response.status_code == 503
        assert response.headers["retry-after"]
        assert response.json()["type"] == "/problems/service-unavailable"
    finally:
        processes.processes.start("grants")
        processes.processes.wait_healthy("grants")

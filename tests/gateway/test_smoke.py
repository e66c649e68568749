from __future__ import annotations

import httpx


def test_lists_answer_through_the_gateway(
    vr: httpx.Client, office: httpx.Client, anonymous: httpx.Client
) -> None:
    assert vr.get("/v1/calls").json() == {"items": [], "next_cursor": None}
    assert vr.get("/v1/grants").status_code == 200
    assert office.get("/v1/reports/planning").status_code == 200
    assert anonymous.get("/v1/public/calls").status_code == 200
    assert anonymous.get("/v1/calls").status_code == 401

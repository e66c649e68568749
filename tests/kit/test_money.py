"""kit.money: whole kronor only; a float, a fraction, a string or a bool is refused."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from kit.money import Sek, SignedSek
from tests.gateway.helpers import assert_problem
from tests.kit.conftest import Tiny

SEK: TypeAdapter[int] = TypeAdapter(Sek)
SIGNED: TypeAdapter[int] = TypeAdapter(SignedSek)


@pytest.mark.parametrize("amount", ["0", "1", "40000000", "10000000000000"])
def test_whole_kronor_pass(amount: str) -> None:
    assert SEK.validate_json(amount) == int(amount)


@pytest.mark.parametrize(
    "amount", ["1.5", "1.0", "1e3", '"100"', "true", "null", "-1", "10000000000001", "[1]"]
)
def test_anything_but_whole_non_negative_kronor_is_refused(amount: str) -> None:
    with pytest.raises(ValidationError):
        SEK.validate_json(amount)


@pytest.mark.parametrize("amount", [1.0, 2.5, "3", True, None, -1])
def test_python_values_that_are_not_whole_kronor_are_refused(amount: Any) -> None:
    with pytest.raises(ValidationError):
        SEK.validate_python(amount)


def test_signed_amounts_allow_negatives_within_bounds() -> None:
    assert SIGNED.validate_json("-40000000") == -40_000_000
    for amount in ("-10000000000001", "-1.5", '"-1"'):
        with pytest.raises(ValidationError):
            SIGNED.validate_json(amount)


def test_a_fractional_amount_in_a_request_is_a_422_problem(tiny: Tiny) -> None:
    with tiny.client() as client:
        assert client.post("/v1/payments", json={"amount_sek": 100}).status_code == 201
        for bad in (100.5, 100.0, "100", -1):
            body = assert_problem(client.post("/v1/payments", json={"amount_sek": bad}), 422)
            assert body["errors"][0]["loc"] == ["body", "amount_sek"]

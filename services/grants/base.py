"""The declarative base every table of the grants service hangs on."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer
from sqlalchemy.orm import DeclarativeBase

from kit.db import make_metadata


class Base(DeclarativeBase):
    metadata = make_metadata()


# SQLite only autoincrements a column declared exactly INTEGER PRIMARY KEY; PostgreSQL gets a
# bigint identity so that a busy ledger never runs out of ids.
BigId = BigInteger().with_variant(Integer(), "sqlite")

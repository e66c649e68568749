"""Settings pieces that every app composes into its own `BaseSettings` class."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]

DATA_DIR = Path("var")


def sqlite_url(name: str, data_dir: Path = DATA_DIR) -> str:
    return f"sqlite:///{data_dir / name}.db"


class ServiceSettings(BaseSettings):
    """What every service needs; each service subclasses it with its own env prefix."""

    model_config = SettingsConfigDict(extra="ignore")

    environment: Environment = "development"
    log_level: str = "INFO"
    # SQLAlchemy URL of this service's own database.
    database_url: str
    # PostgreSQL schema of this service (its tables and its Alembic version table).
    database_schema: str | None = None
    # The gateway's public keys for internal tokens: inline JWKS JSON, or a URL to fetch.
    jwks: str | None = None
    jwks_url: str | None = "http://127.0.0.1:8000/.well-known/jwks.json"
    # Service-to-service calls: this service's client at the gateway's token endpoint.
    gateway_url: str = "http://127.0.0.1:8000"
    client_id: str | None = None
    client_secret: SecretStr | None = None
    # Seconds to wait for another service before answering 503.
    upstream_timeout: float = 5.0

    @model_validator(mode="after")
    def _production_needs_real_database(self) -> ServiceSettings:
        if self.environment == "production" and self.database_url.startswith("sqlite"):
            raise ValueError("production runs on PostgreSQL: set the DATABASE_URL")
        return self

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings, sqlite_url


class GrantsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GRANTS_", extra="ignore")

    database_url: str = sqlite_url("grants")
    database_schema: str | None = "grants"
    # The calls service, asked whether a call exists, whose it is and what its cap is.
    calls_url: str = "http://127.0.0.1:8001"
    # Idempotency keys answer replays for at least a day (the contract's promise); older
    # ones are purged so the table does not grow without bound.
    idempotency_retention_hours: int = Field(default=48, ge=24)

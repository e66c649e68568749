from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings, sqlite_url


class CallsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CALLS_", extra="ignore")

    database_url: str = sqlite_url("calls")
    database_schema: str | None = "calls"

from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings, sqlite_url


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REPORTING_", extra="ignore")

    database_url: str = sqlite_url("reporting")
    database_schema: str | None = "reporting"
    calls_url: str = "http://127.0.0.1:8001"
    grants_url: str = "http://127.0.0.1:8002"

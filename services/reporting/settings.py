from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings, sqlite_url


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REPORTING_", extra="ignore")

    database_url: str = sqlite_url("reporting")
    database_schema: str | None = "reporting"
    calls_url: str = "http://127.0.0.1:8001"
    grants_url: str = "http://127.0.0.1:8002"
    # Seconds to wait for an owner's report aggregate. Below the gateway's upstream timeout
    # (10 s), so that a slow owner is a 503 with nothing stored rather than a gateway 504
    # while the build goes on and stores a version the caller never heard of.
    aggregate_timeout: float = 8.0

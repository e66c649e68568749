from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings, sqlite_url


class CallsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CALLS_", extra="ignore")

    database_url: str = sqlite_url("calls")
    database_schema: str | None = "calls"
    # The API's public address (the gateway's), for absolute links in the Atom and iCalendar
    # feeds: behind the gateway this service cannot see it.
    public_url: str = "http://127.0.0.1:8000"
    # Bytes of public answers each worker keeps (services.calls.public.state).
    public_cache_bytes: int = 32 * 1024 * 1024

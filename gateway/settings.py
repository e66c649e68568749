"""Gateway settings, from `GATEWAY_*` environment variables."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kit.settings import DATA_DIR, Environment, sqlite_url


class TrustedIssuer(BaseModel):
    """An agency's own identity provider. Its tokens act for that agency and no other."""

    issuer: str
    audience: str
    agency: str = Field(pattern="^(vr|vinnova)$")
    jwks: dict[str, Any] | None = None
    jwks_url: str | None = None
    # What the issuer's tokens may do at most (narrowed further by their `scope` claim).
    scopes: list[str] = Field(default_factory=list)


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    environment: Environment = "development"
    log_level: str = "INFO"
    database_url: str = sqlite_url("gateway")
    database_schema: str | None = "gateway"
    # Where signing keys are kept (PEM files); the newest signs, all are published.
    key_dir: str = str(DATA_DIR / "keys")
    # A PEM private key given directly (e.g. from a secret store) instead of key_dir.
    signing_key: str | None = None
    issuer: str = "urn:programme-office:api"
    audience: str = "urn:programme-office:api"
    token_ttl: int = 900
    internal_token_ttl: int = 120
    calls_url: str = "http://127.0.0.1:8001"
    grants_url: str = "http://127.0.0.1:8002"
    reporting_url: str = "http://127.0.0.1:8003"
    # Seconds an upstream may take to answer before the gateway answers 504.
    upstream_timeout: float = 10.0
    # The connection pool under the gateway's httpx clients: "aiohttp" (httpx-aiohttp) or
    # httpx's own "httpx"; both measured in docs/performance.md.
    upstream_client: Literal["aiohttp", "httpx"] = "aiohttp"
    connect_timeout: float = 2.0
    max_body_bytes: int = 1024 * 1024
    # The request line and all headers together; larger answers 431.
    max_header_bytes: int = 16 * 1024
    # Rate limits (GCRA): a steady rate per minute and the burst allowed on top of it, per
    # client for token holders and per address for anonymous readers and token requests.
    rate_limit_per_minute: int = Field(default=1200, ge=1)
    rate_limit_burst: int = Field(default=200, ge=1)
    anonymous_rate_limit_per_minute: int = Field(default=300, ge=1)
    anonymous_rate_limit_burst: int = Field(default=60, ge=1)
    # Seconds an anonymous public answer may be served from the gateway's cache (at most the
    # service's max-age); 0 turns the cache off.
    public_cache_seconds: float = Field(default=2.0, ge=0)
    # With a Redis URL every gateway process shares one budget; without, each its own.
    redis_url: str | None = None
    rate_limit_prefix: str = "po:rate:"
    # JSON list of TrustedIssuer objects.
    trusted_issuers: list[TrustedIssuer] = Field(default_factory=list)

    @field_validator("trusted_issuers", mode="before")
    @classmethod
    def _parse_issuers(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    def upstreams(self) -> dict[str, str]:
        return {"calls": self.calls_url, "grants": self.grants_url, "reporting": self.reporting_url}

from gateway.identity.models import Base
from gateway.settings import GatewaySettings
from kit.migrations import run_environment

settings = GatewaySettings()
run_environment(Base.metadata, url=settings.database_url, schema=settings.database_schema)

from kit.migrations import run_environment
from services.grants.models import Base
from services.grants.settings import GrantsSettings

settings = GrantsSettings()
run_environment(Base.metadata, url=settings.database_url, schema=settings.database_schema)

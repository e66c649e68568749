from kit.migrations import run_environment
from services.calls.models import Base
from services.calls.settings import CallsSettings

settings = CallsSettings()
run_environment(Base.metadata, url=settings.database_url, schema=settings.database_schema)

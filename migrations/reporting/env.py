from kit.migrations import run_environment
from services.reporting.models import Base
from services.reporting.settings import ReportingSettings

settings = ReportingSettings()
run_environment(Base.metadata, url=settings.database_url, schema=settings.database_schema)

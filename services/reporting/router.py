"""All of reporting's public routes: the annual report and the planning final reports."""

from fastapi import APIRouter

from services.reporting.annual.router import router as annual
from services.reporting.planning.router import router as planning

router = APIRouter()
router.include_router(annual)
router.include_router(planning)

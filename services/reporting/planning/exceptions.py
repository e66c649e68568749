"""The planning final reports' refusals, each with a stable problem type."""

from __future__ import annotations

from kit.problems import NotFound, PreconditionFailed, RuleViolation


class PlanningGrantNotFound(NotFound):
    type, title = "planning-grant-not-found", "No such grant of yours"


class PlanningReportNotFound(NotFound):
    type, title = "planning-report-not-found", "No final report has been submitted"


class NotAPlanningGrant(RuleViolation):
    """R12 asks for final reports from the stage-1 planning projects only."""

    type, title = "not-a-planning-grant", "Final reports under R12 are for planning grants"

    def __init__(self, stage: str) -> None:
        super().__init__(
            "R12",
            f"This grant is under a call of stage '{stage}'; final reports are for planning "
            "grants.",
            status=409,
            stage=stage,
        )


class StaleReport(PreconditionFailed):
    type, title = "planning-report-changed", "The report changed since it was read"

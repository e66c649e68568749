"""The annual report's refusals, each with a stable problem type."""

from __future__ import annotations

from kit.problems import Conflict, NotFound, RuleViolation, Unprocessable


class ReportNotFound(NotFound):
    type, title = "annual-report-not-found", "No report has been built for this year"


class VersionNotFound(NotFound):
    type, title = "annual-report-version-not-found", "The year's report has no such version"


class YearLocked(Conflict):
    type, title = "annual-report-locked", "The year's report is submitted and locked"


class NotApprovedByBoth(RuleViolation):
    """R9: the report is joint, so both agencies approve the version the office submits."""

    type, title = "annual-report-not-approved", "Both agencies must approve the version"

    def __init__(self, *, version: int, missing: list[str]) -> None:
        super().__init__(
            "R9",
            f"Version {version} is not approved by: {', '.join(missing)}.",
            status=409,
            missing_approvals=missing,
        )


class AsOfInFuture(Unprocessable):
    type, title = "as-of-in-future", "as_of lies in the future"


class UnknownSection(Unprocessable):
    type, title = "unknown-report-section", "The report has no such section"

"""The parts of a planning grant's final report (R12), in the order the news item names them.

"an analysis of the research field, a strategy for collaboration and an assessment of the
technology's long-term societal impact, including its security implications": the societal
impact has its security implications as a part of its own, so a report can lack just those.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

PARTS = ("field_analysis", "collaboration_strategy", "societal_impact", "security_implications")


def missing_parts(values: Mapping[str, object]) -> list[str]:
    return [part for part in PARTS if values.get(part) is None]


@dataclass(frozen=True)
class PlanningRecord:
    """A planning report as it stood at some instant (its latest revision by then)."""

    grant_id: str
    submitted_at: datetime
    missing_parts: list[str]

"""The programme's rules for a funding decision (domain.md), each refusal naming its rule.

Pure functions of the request and the facts looked up for it, so each can be read (and
tested) on its own; the service decides the order and does the looking up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kit.problems import RuleViolation
from services.grants.grants.schemas import GrantCreate, GrantWarning, PlanYear
from services.grants.vocabulary import VINNOVA_AREAS, area_allowed

REGISTRATION_NUMBER = re.compile(r"^\d{4}-\d{5}$")
R1_MINIMUM_SEK = 40_000_000
ESTABLISHMENT = "establishment"


def check_request(data: GrantCreate) -> None:
    """What the body alone must satisfy, before anyone else is asked."""
    if not REGISTRATION_NUMBER.match(data.registration_number):
        raise RuleViolation(
            "registration-number",
            f"'{data.registration_number}' is not a registration number of the form YYYY-NNNNN.",
        )
    if data.ends_on < data.starts_on:
        raise RuleViolation("plan-within-period", "ends_on is before starts_on.")
    years = [p.year for p in data.yearly_plan]
    repeated = sorted({y for y in years if years.count(y) > 1})
    if repeated:
        raise RuleViolation(
            "plan-within-period", f"The plan names {repeated} more than once.", years=repeated
        )
    outside = [y for y in years if not data.starts_on.year <= y <= data.ends_on.year]
    if outside:
        raise RuleViolation(
            "plan-within-period",
            f"Plan years {outside} fall outside {data.starts_on}..{data.ends_on}.",
            years=outside,
        )
    over = [p.year for p in data.yearly_plan if p.ssh_amount_sek > p.amount_sek]
    if over:
        raise RuleViolation(
            "ssh-within-amount",
            f"The SSH part is larger than the year's amount in {over}.",
            years=over,
        )


def check_area(agency: str, area: str) -> None:
    if not area_allowed(agency, area):
        raise RuleViolation(
            "R14",
            f"Vinnova funds only {', '.join(sorted(VINNOVA_AREAS))}; the cluster's area is "
            f"'{area}'.",
            technology_area=area,
        )


def check_max_award(total_sek: int, max_award_sek: int | None) -> None:
    if max_award_sek is not None and total_sek > max_award_sek:
        raise RuleViolation(
            "R11",
            f"The grant totals {total_sek} SEK, above the call's maximum award of "
            f"{max_award_sek} SEK.",
            total_sek=total_sek,
            max_award_sek=max_award_sek,
        )


def check_establishment(stage: str, plan: Sequence[PlanYear], hei_count: int) -> None:
    if stage != ESTABLISHMENT:
        return
    without_ssh = [p.year for p in plan if p.ssh_amount_sek <= 0]
    if without_ssh:
        raise RuleViolation(
            "R3",
            f"An establishment grant needs SSH research every year; none in {without_ssh}.",
            years=without_ssh,
        )
    if hei_count < 2:
        raise RuleViolation(
            "R5",
            f"An establishment grant's cluster brings together at least 2 higher-education "
            f"institutions; this one has {hei_count}.",
            hei_count=hei_count,
        )


def check_appropriations(
    agency: str, plan: Sequence[PlanYear], planned: dict[int, int], available: dict[int, int]
) -> None:
    """R7 at decision time: the agency's plans for a year stay within that year's
    appropriation, where one exists (later years are checked when money is committed)."""
    over = [
        p.year
        for p in plan
        if p.year in available and planned.get(p.year, 0) + p.amount_sek > available[p.year]
    ]
    if over:
        year = over[0]
        raise RuleViolation(
            "R7",
            f"{agency}'s grants would plan more for {year} than its appropriation of "
            f"{available[year]} SEK.",
            years=over,
            appropriation_sek=available[year],
            already_planned_sek=planned.get(year, 0),
        )


def warnings(stage: str, plan: Sequence[PlanYear]) -> list[GrantWarning]:
    """R1 is reported, not enforced: an establishment grant below 40 MSEK in a year is
    accepted and told so."""
    if stage != ESTABLISHMENT:
        return []
    return [
        GrantWarning(
            rule="R1",
            year=p.year,
            detail=f"The plan gives the cluster {p.amount_sek} SEK in {p.year}; a cluster "
            f"receives at least {R1_MINIMUM_SEK} SEK a year in total.",
        )
        for p in plan
        if p.amount_sek < R1_MINIMUM_SEK
    ]

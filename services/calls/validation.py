"""What a call's values must satisfy together, checked on the call as it would be stored.

Each check runs on the merged state (the stored call with a PATCH applied), so a PATCH that
moves `closes_at` past the stored `decision_at` is refused like a create would be. Every
problem found is reported at once; one that breaks a programme rule names the rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kit.problems import RuleViolation
from services.calls import models
from services.calls.exceptions import CallIncomplete, CallInvalid, field_error
from services.calls.reference import OTHER

# What `ready` (and any edit of a ready call) needs besides a title in both languages.
REQUIRED_FOR_PUBLICATION = (
    "title.sv",
    "title.en",
    "summary.sv",
    "summary.en",
    "technology_areas",
    "trl_min",
    "trl_max",
    "budget_sek",
    "max_award_sek",
    "opens_at",
    "closes_at",
)


@dataclass
class Findings:
    errors: list[dict[str, Any]] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)

    def add(self, fields: Iterable[str], msg: str, *, rule: str | None = None) -> None:
        for name in fields:
            error = field_error(name, msg)
            if rule:
                error["rule"] = rule
            self.errors.append(error)
        if rule and rule not in self.rules:
            self.rules.append(rule)

    def raise_any(self) -> None:
        if self.rules:
            detail = "; ".join(sorted({e["msg"] for e in self.errors if e.get("rule")}))
            raise RuleViolation(self.rules[0], detail, rules=self.rules, errors=self.errors)
        if self.errors:
            raise CallInvalid(self.errors)


def check_areas(
    codes: list[str], *, agency: str, reference: Mapping[str, models.TechnologyArea]
) -> None:
    """Before anything is stored: unknown codes, repeats, and Vinnova's six areas (R14)."""
    found = Findings()
    unknown = sorted({c for c in codes if c not in reference})
    if unknown:
        found.add(["technology_areas"], f"unknown technology areas: {', '.join(unknown)}")
    if len(set(codes)) != len(codes):
        found.add(["technology_areas"], "an area is listed twice")
    if agency == "vinnova":
        outside = sorted({c for c in codes if c in reference and not reference[c].strategic})
        if outside:
            allowed = ", ".join(code for code, area in reference.items() if area.strategic)
            found.add(
                ["technology_areas"],
                f"Vinnova's strategic strand covers only {allowed}; not {', '.join(outside)}",
                rule="R14",
            )
    found.raise_any()


def check_consistency(call: models.Call, codes: list[str]) -> None:
    """The relations between fields: TRL range (R10), dates in order, award within budget."""
    found = Findings()
    if not call.title_sv and not call.title_en:
        found.add(["title"], "title needs at least one language (sv or en)")
    if call.trl_min is not None and call.trl_max is not None and call.trl_min > call.trl_max:
        found.add(["trl_min", "trl_max"], "trl_min must not exceed trl_max", rule="R10")
    if call.opens_at and call.closes_at and call.opens_at >= call.closes_at:
        found.add(["opens_at", "closes_at"], "opens_at must be before closes_at")
    if call.closes_at and call.decision_at and call.closes_at > call.decision_at:
        found.add(["closes_at", "decision_at"], "decision_at must not be before closes_at")
    if (
        call.budget_sek is not None
        and call.max_award_sek is not None
        and call.max_award_sek > call.budget_sek
    ):
        found.add(["max_award_sek", "budget_sek"], "max_award_sek must not exceed budget_sek")
    if OTHER in codes and not call.other_technology_area:
        found.add(["other_technology_area"], "the area 'other' needs a free-text name")
    if OTHER not in codes and call.other_technology_area:
        found.add(["other_technology_area"], "only a call with the area 'other' names one")
    found.raise_any()


def check_publishable(call: models.Call, codes: list[str]) -> None:
    values: dict[str, Any] = {
        "title.sv": call.title_sv,
        "title.en": call.title_en,
        "summary.sv": call.summary_sv,
        "summary.en": call.summary_en,
        "technology_areas": codes,
    }
    for name in REQUIRED_FOR_PUBLICATION:
        if name not in values:
            values[name] = getattr(call, name)
    missing = [name for name in REQUIRED_FOR_PUBLICATION if values[name] in (None, [], "")]
    if missing:
        raise CallIncomplete(missing)

"""Each programme rule's status in a report (domain.md R1-R12): met, not met, or not applicable.

A rule is judged on the report's own figures only, at its `as_of`, so the status is as
reproducible as the figures. `not_met` lists what fails (clusters, agencies, levels, grants,
with the amounts); `not_applicable` says why. Change `RULES_VERSION` whenever a judgement
changes: it is part of the hashed content, so old and new judgements never share a checksum.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from services.reporting.annual.content import Cluster, Finding, ReportContent, RuleStatus, Text
from services.reporting.deadlines import PLANNING_DUE_ON, is_late

RULES_VERSION = "2026.1"

CLUSTER_TARGET_SEK = 40_000_000  # R1: "minst 40 miljoner kronor totalt per kluster och år"
AI_TARGET_SEK = 100_000_000  # R2: "minst 100 miljoner kronor per år för … AI"
AI_TARGET_FROM_YEAR = 2028  # R2: "fullt utvecklat 2028"
VR_2025_USE_SEK = 125_000_000  # R7: "under 2025 använda minst 125 miljoner kronor"
# R11 (news item): "up to SEK 1.2 million from VR and up to SEK 1.5 million from Vinnova"
PLANNING_CAP_SEK = {"vr": 1_200_000, "vinnova": 1_500_000}
STAGE_ONE_YEARS = (2025, 2026)  # planning grants from autumn 2025 to 31 March 2026
SCHOOL_TYPES = ("ai", "groundbreaking_technology", "stem")
REVIEW_STATUSES = ("pending", "cleared", "restricted")

TITLES = {
    "R1": Text(sv="Minst 40 MSEK per kluster och år", en="At least 40 MSEK per cluster and year"),
    "R2": Text(
        sv="Minst 100 MSEK per år för AI från 2028",
        en="At least 100 MSEK a year for AI from 2028",
    ),
    "R3": Text(
        sv="Samhällsvetenskap och humaniora i varje kluster",
        en="Social sciences and humanities in every cluster",
    ),
    "R4": Text(
        sv="Forskarskolor för AI, banbrytande teknik och STEM, med mobilitet",
        en="Graduate schools for AI, groundbreaking technology and STEM, with mobility",
    ),
    "R5": Text(
        sv="Flera lärosäten i varje kluster",
        en="Several higher-education institutions in every cluster",
    ),
    "R6": Text(
        sv="Internationellt samarbete: så öppet som möjligt, så säkert som nödvändigt",
        en="International collaboration: as open as possible, as secure as necessary",
    ),
    "R7": Text(
        sv="VR: inom anslaget UO16 3:1 ap.5, minst 125 MSEK använt 2025",
        en="VR: within appropriation UO16 3:1 ap.5, at least 125 MSEK used in 2025",
    ),
    "R8": Text(
        sv="Vinnovas spår finansieras ur Vinnovas eget anslag",
        en="Vinnova's strand is financed from Vinnova's own appropriation",
    ),
    "R9": Text(sv="Gemensam årsrapport senast 1 februari", en="Joint annual report by 1 February"),
    "R10": Text(
        sv="Utlysningar över alla teknikmognadsnivåer (TRL 1 till 9)",
        en="Calls spanning all technology-readiness levels (TRL 1 to 9)",
    ),
    "R11": Text(
        sv="Planeringsbidrag högst 1,2 MSEK (VR) och 1,5 MSEK (Vinnova)",
        en="Planning grants at most 1.2 MSEK (VR) and 1.5 MSEK (Vinnova)",
    ),
    "R12": Text(
        sv="Planeringsprojektens slutrapporter senast 31 mars 2026",
        en="Planning projects' final reports by 31 March 2026",
    ),
}


def sek_en(amount: int) -> str:
    return f"{amount:,} SEK"


def sek_sv(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0kr"


def _status(
    rule: str, state: str, *, sv: str, en: str, findings: Sequence[Finding] = ()
) -> RuleStatus:
    return RuleStatus.model_validate(
        {
            "rule": rule,
            "title": TITLES[rule],
            "status": state,
            "detail": Text(sv=sv, en=en),
            "findings": list(findings),
        }
    )


def _funded_clusters(report: ReportContent) -> list[Cluster]:
    """Excellence clusters of the year: those an establishment grant funds.

    Planning projects use cluster records too, but they are clusters in the making; the
    cluster rules (R1, R3, R5) judge the clusters that stage 2 established.
    """
    return [row for row in report.clusters.clusters if row.establishment_grants > 0]


def _no_clusters(rule: str, year: int) -> RuleStatus:
    return _status(
        rule,
        "not_applicable",
        sv=f"Inget kluster har ett etableringsbidrag för {year}.",
        en=f"No cluster has an establishment grant for {year}.",
    )


def r1(report: ReportContent) -> RuleStatus:
    clusters = _funded_clusters(report)
    if not clusters:
        return _no_clusters("R1", report.year)
    failing: list[Finding] = [
        {
            "cluster_id": row.cluster_id,
            "name": row.name,
            "year": report.year,
            "planned_sek": row.planned_sek,
            "shortfall_sek": row.shortfall_sek,
        }
        for row in clusters
        if row.planned_sek < CLUSTER_TARGET_SEK
    ]
    if failing:
        return _status(
            "R1",
            "not_met",
            findings=failing,
            sv=f"{len(failing)} av {len(clusters)} kluster har under "
            f"{sek_sv(CLUSTER_TARGET_SEK)} för {report.year}.",
            en=f"{len(failing)} of {len(clusters)} clusters have less than "
            f"{sek_en(CLUSTER_TARGET_SEK)} for {report.year}.",
        )
    return _status(
        "R1",
        "met",
        sv=f"Alla {len(clusters)} kluster har minst {sek_sv(CLUSTER_TARGET_SEK)} "
        f"för {report.year}.",
        en=f"All {len(clusters)} clusters have at least {sek_en(CLUSTER_TARGET_SEK)} "
        f"for {report.year}.",
    )


def r2(report: ReportContent) -> RuleStatus:
    ai = report.ai
    if not ai.target_applies:
        return _status(
            "R2",
            "not_applicable",
            sv=f"Målet gäller från {AI_TARGET_FROM_YEAR}, när satsningen är fullt utvecklad; "
            f"AI är prioriterat från 2025 (beviljat {report.year}: {sek_sv(ai.committed_sek)}).",
            en=f"The target applies from {AI_TARGET_FROM_YEAR}, when the programme is fully "
            f"developed; AI is a priority from 2025 (committed in {report.year}: "
            f"{sek_en(ai.committed_sek)}).",
        )
    if ai.committed_sek < AI_TARGET_SEK:
        return _status(
            "R2",
            "not_met",
            findings=[
                {
                    "technology_area": "ai",
                    "year": report.year,
                    "committed_sek": ai.committed_sek,
                    "target_sek": AI_TARGET_SEK,
                    "shortfall_sek": ai.shortfall_sek,
                }
            ],
            sv=f"AI: {sek_sv(ai.committed_sek)} beviljat {report.year}, "
            f"{sek_sv(ai.shortfall_sek)} under målet.",
            en=f"AI: {sek_en(ai.committed_sek)} committed in {report.year}, "
            f"{sek_en(ai.shortfall_sek)} short of the target.",
        )
    return _status(
        "R2",
        "met",
        sv=f"AI: {sek_sv(ai.committed_sek)} beviljat {report.year}.",
        en=f"AI: {sek_en(ai.committed_sek)} committed in {report.year}.",
    )


def r3(report: ReportContent) -> RuleStatus:
    clusters = _funded_clusters(report)
    if not clusters:
        return _no_clusters("R3", report.year)
    failing: list[Finding] = [
        {
            "cluster_id": row.cluster_id,
            "name": row.name,
            "year": report.year,
            "ssh_sek": row.ssh_sek,
            "years_without_ssh": row.years_without_ssh,
        }
        for row in clusters
        if row.ssh_sek <= 0 or report.year in row.years_without_ssh
    ]
    if failing:
        return _status(
            "R3",
            "not_met",
            findings=failing,
            sv=f"{len(failing)} av {len(clusters)} kluster saknar SSH-forskning {report.year}.",
            en=f"{len(failing)} of {len(clusters)} clusters lack SSH research in {report.year}.",
        )
    return _status(
        "R3",
        "met",
        sv=f"Alla {len(clusters)} kluster har SSH-forskning {report.year}.",
        en=f"All {len(clusters)} clusters have SSH research in {report.year}.",
    )


def r4(report: ReportContent) -> RuleStatus:
    schools = report.graduate_schools
    if not _funded_clusters(report) and not schools.schools:
        return _no_clusters("R4", report.year)
    present = {row.type for row in schools.by_type if row.schools > 0}
    missing_types = [kind for kind in SCHOOL_TYPES if kind not in present]
    missing_mobility = [
        kind
        for kind, placements in (
            ("hei_hei", sum(row.mobility_hei_hei for row in schools.by_type)),
            ("hei_industry", sum(row.mobility_hei_industry for row in schools.by_type)),
        )
        if placements == 0
    ]
    if missing_types or missing_mobility:
        return _status(
            "R4",
            "not_met",
            findings=[{"missing_types": missing_types, "missing_mobility": missing_mobility}],
            sv="Saknas: "
            + ", ".join(
                [f"forskarskola ({k})" for k in missing_types]
                + [f"mobilitet ({k})" for k in missing_mobility]
            )
            + ".",
            en="Missing: "
            + ", ".join(
                [f"graduate school ({k})" for k in missing_types]
                + [f"mobility ({k})" for k in missing_mobility]
            )
            + ".",
        )
    return _status(
        "R4",
        "met",
        sv="Forskarskolor finns för AI, banbrytande teknik och STEM, med mobilitet mellan "
        "lärosäten och mellan lärosäten och näringsliv.",
        en="Graduate schools exist for AI, groundbreaking technology and STEM, with mobility "
        "between HEIs and between HEIs and industry.",
    )


def r5(report: ReportContent) -> RuleStatus:
    clusters = _funded_clusters(report)
    if not clusters:
        return _no_clusters("R5", report.year)
    failing: list[Finding] = [
        {"cluster_id": row.cluster_id, "name": row.name, "hei_count": row.hei_count}
        for row in clusters
        if row.hei_count < 2
    ]
    if failing:
        return _status(
            "R5",
            "not_met",
            findings=failing,
            sv=f"{len(failing)} kluster har färre än två lärosäten.",
            en=f"{len(failing)} clusters have fewer than two institutions.",
        )
    return _status(
        "R5",
        "met",
        sv=f"Alla {len(clusters)} kluster samlar minst två lärosäten.",
        en=f"All {len(clusters)} clusters bring together at least two institutions.",
    )


def r6(report: ReportContent) -> RuleStatus:
    partners = report.international_partners.partners
    if not partners:
        return _status(
            "R6",
            "not_applicable",
            sv="Inga internationella partner är registrerade.",
            en="No international partners are recorded.",
        )
    pending: list[Finding] = [
        {
            "cluster_id": p.cluster_id,
            "organisation": p.organisation,
            "country": p.country,
            "security_review": p.security_review,
        }
        for p in partners
        if p.security_review not in ("cleared", "restricted")
    ]
    if pending:
        return _status(
            "R6",
            "not_met",
            findings=pending,
            sv=f"{len(pending)} av {len(partners)} internationella partner saknar "
            "avslutad säkerhetsprövning.",
            en=f"{len(pending)} of {len(partners)} international partners have no completed "
            "security review.",
        )
    return _status(
        "R6",
        "met",
        sv=f"Alla {len(partners)} internationella partner är säkerhetsprövade.",
        en=f"All {len(partners)} international partners have a completed security review.",
    )


def _agency(report: ReportContent, agency: str) -> tuple[int | None, int, int]:
    row = next(a for a in report.finances.agencies if a.agency == agency)
    return row.appropriation_sek, row.committed_sek, row.net_disbursed_sek


def r7(report: ReportContent) -> RuleStatus:
    amount, committed, net = _agency(report, "vr")
    findings: list[Finding] = []
    if committed > (amount or 0):
        findings.append(
            {
                "agency": "vr",
                "year": report.year,
                "committed_sek": committed,
                "appropriation_sek": amount,
                "excess_sek": committed - (amount or 0),
            }
        )
    if report.year == 2025 and net < VR_2025_USE_SEK:
        findings.append(
            {
                "agency": "vr",
                "year": 2025,
                "net_disbursed_sek": net,
                "required_sek": VR_2025_USE_SEK,
                "shortfall_sek": VR_2025_USE_SEK - net,
            }
        )
    if findings:
        return _status(
            "R7",
            "not_met",
            findings=findings,
            sv=f"VR {report.year}: beviljat {sek_sv(committed)}, utbetalt netto {sek_sv(net)}, "
            f"anslag {sek_sv(amount or 0)}.",
            en=f"VR {report.year}: committed {sek_en(committed)}, net disbursed {sek_en(net)}, "
            f"appropriation {sek_en(amount or 0)}.",
        )
    if amount is None and report.year != 2025:
        return _status(
            "R7",
            "not_applicable",
            sv=f"VR har inget anslag registrerat för {report.year} och inga åtaganden.",
            en=f"VR has no appropriation recorded for {report.year} and no commitments.",
        )
    return _status(
        "R7",
        "met",
        sv=f"VR {report.year}: beviljat {sek_sv(committed)} inom anslaget {sek_sv(amount or 0)}"
        + (f"; utbetalt netto {sek_sv(net)}." if report.year == 2025 else "."),
        en=f"VR {report.year}: committed {sek_en(committed)} within the appropriation "
        f"{sek_en(amount or 0)}"
        + (f"; net disbursed {sek_en(net)}." if report.year == 2025 else "."),
    )


def r8(report: ReportContent) -> RuleStatus:
    amount, committed, _ = _agency(report, "vinnova")
    if amount is None and committed == 0:
        return _status(
            "R8",
            "not_applicable",
            sv=f"Vinnova har inget anslag registrerat för {report.year} och inga åtaganden.",
            en=f"Vinnova has no appropriation recorded for {report.year} and no commitments.",
        )
    if committed > (amount or 0):
        return _status(
            "R8",
            "not_met",
            findings=[
                {
                    "agency": "vinnova",
                    "year": report.year,
                    "committed_sek": committed,
                    "appropriation_sek": amount,
                    "excess_sek": committed - (amount or 0),
                }
            ],
            sv=f"Vinnova {report.year}: beviljat {sek_sv(committed)} utöver anslaget.",
            en=f"Vinnova {report.year}: committed {sek_en(committed)} beyond the appropriation.",
        )
    return _status(
        "R8",
        "met",
        sv=f"Vinnova {report.year}: beviljat {sek_sv(committed)} inom eget anslag "
        f"{sek_sv(amount or 0)}.",
        en=f"Vinnova {report.year}: committed {sek_en(committed)} within its own appropriation "
        f"{sek_en(amount or 0)}.",
    )


def r9(report: ReportContent) -> RuleStatus:
    # A version can only be built while the year is not submitted, so at `as_of` the report
    # was not yet submitted; whether it was submitted since is shown beside the snapshot.
    due = report.due_on.isoformat()
    if is_late(report.due_on, report.as_of):
        return _status(
            "R9",
            "not_met",
            findings=[{"year": report.year, "due_on": due, "submitted": False}],
            sv=f"Rapporten var försenad vid uttagstidpunkten (senast {due}).",
            en=f"The report was overdue at as_of (due {due}).",
        )
    return _status(
        "R9",
        "not_applicable",
        sv=f"Rapporten ska lämnas senast {due}; inlämningen visas bredvid ögonblicksbilden.",
        en=f"The report is due on {due}; its submission is shown beside the snapshot.",
    )


def r10(report: ReportContent) -> RuleStatus:
    calls = report.calls
    if calls.published == 0:
        return _status(
            "R10",
            "not_applicable",
            sv=f"Inga utlysningar publicerade med öppning {report.year}.",
            en=f"No calls published that open in {report.year}.",
        )
    if calls.trl_missing:
        return _status(
            "R10",
            "not_met",
            findings=[{"year": report.year, "missing_levels": calls.trl_missing}],
            sv="Ingen utlysning täcker TRL " + ", ".join(map(str, calls.trl_missing)) + ".",
            en="No call covers TRL " + ", ".join(map(str, calls.trl_missing)) + ".",
        )
    return _status(
        "R10",
        "met",
        sv=f"Årets {calls.published} utlysningar täcker TRL 1 till 9.",
        en=f"The year's {calls.published} calls cover TRL 1 to 9.",
    )


def r11(report: ReportContent) -> RuleStatus:
    if report.year not in STAGE_ONE_YEARS:
        return _status(
            "R11",
            "not_applicable",
            sv="Taket gäller etapp 1 (planeringsbidrag hösten 2025 till mars 2026).",
            en="The caps apply to stage 1 (planning grants from autumn 2025 to March 2026).",
        )
    calls = [c for c in report.calls.calls if c.stage == "planning"] if report.year == 2025 else []
    grants = report.planning.reports
    if not calls and not grants:
        return _status(
            "R11",
            "not_applicable",
            sv=f"Inga planeringsutlysningar eller planeringsbidrag för {report.year}.",
            en=f"No planning calls or planning grants for {report.year}.",
        )
    failing: list[Finding] = [
        {
            "call_id": call.id,
            "agency": call.agency,
            "max_award_sek": call.max_award_sek,
            "cap_sek": PLANNING_CAP_SEK[call.agency],
        }
        for call in calls
        if _over_cap(call.agency, call.max_award_sek)
    ]
    failing += [
        {
            "grant_id": grant.grant_id,
            "agency": grant.agency,
            "registration_number": grant.registration_number,
            "total_sek": grant.total_sek,
            "cap_sek": PLANNING_CAP_SEK[grant.agency],
        }
        for grant in grants
        if grant.total_sek is not None and _over_cap(grant.agency, grant.total_sek)
    ]
    if failing:
        return _status(
            "R11",
            "not_met",
            findings=failing,
            sv=f"{len(failing)} planeringsutlysningar eller -bidrag överskrider taket.",
            en=f"{len(failing)} planning calls or grants exceed the cap.",
        )
    return _status(
        "R11",
        "met",
        sv="Planeringsutlysningarnas maxbelopp ligger inom taken; varje bidrag håller sig "
        "inom sin utlysnings maxbelopp (kontrolleras vid beslut).",
        en="The planning calls' maximum awards are within the caps; every grant stays within "
        "its call's maximum (checked at decision).",
    )


def _over_cap(agency: str, amount: int | None) -> bool:
    cap = PLANNING_CAP_SEK.get(agency)
    return cap is not None and (amount is None or amount > cap)


def r12(report: ReportContent) -> RuleStatus:
    planning = report.planning
    if planning.grants == 0:
        return _status(
            "R12",
            "not_applicable",
            sv=f"Inga planeringsbidrag för {report.year}.",
            en=f"No planning grants for {report.year}.",
        )
    progress_sv = f"{planning.complete} av {planning.grants} slutrapporter kompletta"
    progress_en = f"{planning.complete} of {planning.grants} final reports complete"
    if not is_late(PLANNING_DUE_ON, report.as_of):
        return _status(
            "R12",
            "not_applicable",
            sv=f"Slutrapporterna ska lämnas senast {PLANNING_DUE_ON}; {progress_sv}.",
            en=f"The final reports are due on {PLANNING_DUE_ON}; {progress_en}.",
        )
    failing: list[Finding] = [
        {
            "grant_id": line.grant_id,
            "agency": line.agency,
            "registration_number": line.registration_number,
            "submitted": line.submitted,
            "missing_parts": line.missing_parts,
        }
        for line in planning.reports
        if not line.complete
    ]
    if failing:
        return _status(
            "R12",
            "not_met",
            findings=failing,
            sv=f"{progress_sv}; sista dag var {PLANNING_DUE_ON}.",
            en=f"{progress_en}; they were due on {PLANNING_DUE_ON}.",
        )
    return _status("R12", "met", sv=f"{progress_sv}.", en=f"{progress_en}.")


RULES: tuple[Callable[[ReportContent], RuleStatus], ...] = (
    r1,
    r2,
    r3,
    r4,
    r5,
    r6,
    r7,
    r8,
    r9,
    r10,
    r11,
    r12,
)


def evaluate(report: ReportContent) -> list[RuleStatus]:
    return [rule(report) for rule in RULES]

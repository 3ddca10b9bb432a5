"""Per-unit yearly costs of policy levers for `corredor optimize`: assumptions, each with its source or reasoning.

A candidate policy costs ``sum(cost_usd_per_unit x max(0, value - baseline))`` per year, where ``baseline`` is the
value the scenario already has on the lever's date: only what a policy adds is paid from the budget. Quotas are
costed in full (the budget must cover every visa or card of the quota, used or not). An experiment file can override
any cost with ``cost_usd_per_unit`` on its ``[[optimize.levers]]`` entry; a lever with no cost here and none in the
file counts as free, and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LeverCost:
    usd_per_unit: float
    unit: str
    source: str


LEVER_COSTS: dict[str, LeverCost] = {
    "comar_caseworkers": LeverCost(
        22_000,
        "USD per caseworker-year",
        "derived (D): COMAR's 2019 budget ~20.5M MXN for ~50 staff = ~410k MXN per staff-year, and the 2020 staff "
        "transfer of 15.4M MXN for 34 staff = ~453k MXN (PARAMETERS.md §5, V), at ~19.3 MXN/USD (2019 average, "
        "recalled): USD 21-23k. Includes the office's non-staff costs, so an upper estimate of a caseworker's cost",
    ),
    "comar_office_open": LeverCost(
        100_000,
        "USD per office-year",
        "assumption: premises and front-desk staff of a small regional office (its caseworkers are costed "
        "separately); no published figure",
    ),
    "development_aid_usd_million": LeverCost(
        1_000_000, "USD per USD million of yearly aid", "by definition (the lever is the aid itself)"
    ),
    "us_work_visa_quota": LeverCost(
        650,
        "USD per visa of the yearly quota",
        "recalled, unverified: State Department MRV fee USD 190 for petition-based (H) visas plus the USCIS I-129 "
        "filing fee USD 460 (2016-2024 schedule); both fees are set to recover processing costs",
    ),
    "mx_work_visa_quota": LeverCost(
        100,
        "USD per card of the yearly quota",
        "assumption: INM processing (staff time, biometrics, the card); no published unit cost",
    ),
    "mx_humanitarian_card_quota": LeverCost(
        100,
        "USD per card of the yearly quota",
        "assumption: as Mexican work cards; the Jan 2019 TVRH programme issued ~13,000 cards in two weeks "
        "(PARAMETERS.md §6) with a 5-day processing target, but no cost is published",
    ),
    "shelter_capacity": LeverCost(
        1_800,
        "USD per bed-year",
        "assumption: ~USD 5 per person-night (meals, basic care) in church-run shelters; no published figure",
    ),
    "mx_risk_targeting": LeverCost(
        0,
        "USD",
        "assumption: the risk-managed posture redirects existing INM effort rather than adding staff",
    ),
}

"""Sub-model 7, pathways: legal channels allocated by quota.

US temporary work visas (H-2A/H-2B) and Mexican work visas are offered at departure: a share `legal_take_up` of
departers would take one, and they get it while the year's quota for their nationality lasts. US visa holders leave
the irregular flow (LEGAL_US); Mexican card holders stay to work in Mexico (LEGAL_MX) or travel north legally.
Humanitarian visitor cards (TVRH) and regional visitor cards (TVR) are handed out at the southern border while
their quotas last, to the eligible share of each nationality; with a processing time, applicants wait at the
crossing (PENDING_MX) until their card is ready. TVRH holders settle or travel on legally; TVR holders (valid in the
border states only) settle there or travel on in their own mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from corredor.engine import kernels, movement
from corredor.engine.state import PENDING_TVR, PENDING_TVRH, State
from corredor.parameters import MODES

if TYPE_CHECKING:
    from corredor.engine.model import Sim

LEGAL, CARAVAN, ALONE = (MODES.index(m) for m in ("legal", "caravan", "alone"))


def visas_today(sim: Sim) -> bool:
    """Whether work visas are handed out today (at departure): then journeys start in numpy, not compiled."""
    return bool(sim.c.visa_days[sim.day])


def cards_today(sim: Sim) -> bool:
    """Whether Mexican cards are handed out today (at the southern border): then arrivals run in numpy."""
    return bool(sim.c.card_days[sim.day])


def _eligible(sim: Sim, lever: str, candidates: NDArray[np.int64]) -> NDArray[np.int64]:
    """The candidates who are eligible: each with probability eligibility[nationality] (no draw when all are)."""
    share = sim.lever(lever)[sim.agents.nat[candidates]]
    if (share >= 1.0).all():
        return candidates
    return candidates[sim.rng.random(len(candidates)) < share]


def _allocate(sim: Sim, lever: str, candidates: NDArray[np.int64], eligibility: str | None = None) -> NDArray[np.int64]:
    """The eligible candidates (in order) who get one of this year's remaining places, per nationality."""
    if len(candidates) == 0:
        return candidates
    quota = sim.lever(lever)
    if not quota.any():
        return candidates[:0]
    if eligibility is not None:
        candidates = _eligible(sim, eligibility, candidates)
        if len(candidates) == 0:
            return candidates
    year = sim.c.date(sim.day).year
    nat = sim.agents.nat[candidates]
    chosen = []
    for k in np.unique(nat).tolist():
        key = (lever, k, year)
        if key not in sim.quota_rounding:
            sim.quota_rounding[key] = float(sim.rng.random())  # the year's fractional place, rounded at random once
        n = int(max(quota[k] / sim.c.scale + sim.quota_rounding[key] - sim.quota_used.get(key, 0.0), 0.0))
        mine = candidates[nat == k][:n]
        sim.quota_used[key] = sim.quota_used.get(key, 0.0) + len(mine)
        chosen.append(mine)
    return np.concatenate(chosen) if chosen else candidates[:0]


def settle_or_travel(sim: Sim, idx: NDArray[np.int64], settle_share: float) -> NDArray[np.bool_]:
    """Card holders: some stay in Mexico; the rest travel legally. Returns the mask of travellers."""
    stay = sim.rng.random(len(idx)) < settle_share
    sim.agents.move(idx[stay], State.LEGAL_MX)
    sim.agents.mode[idx[~stay]] = LEGAL
    return ~stay


def divert_at_departure(
    sim: Sim, idx: NDArray[np.int64], t: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.bool_]]:
    """Allocate work visas. Returns the agents who still travel, their times, and which of them travel legally."""
    willing = idx[kernels.take_up(len(idx), sim.p.choice.legal_take_up, sim.rng)]
    to_us = _allocate(sim, "us_work_visa_quota", willing)
    sim.agents.mode[to_us] = LEGAL
    sim.agents.move(to_us, State.LEGAL_US)
    sim.log("legal_pathway_us", to_us)
    rest = np.setdiff1d(willing, to_us, assume_unique=True) if len(to_us) else willing
    to_mx = _allocate(sim, "mx_work_visa_quota", rest, "mx_work_visa_eligibility")
    if len(to_us) == 0 and len(to_mx) == 0:  # the common case: no visas today
        return idx, t, np.zeros(len(idx), dtype=bool)
    sim.agents.mode[to_mx] = LEGAL
    sim.log("legal_pathway_mx", to_mx)
    stay = sim.rng.random(len(to_mx)) < sim.p.pathways.mx_card_settle_share
    sim.agents.move(to_mx[stay], State.LEGAL_MX)
    keep = ~np.isin(idx, np.concatenate([to_us, to_mx[stay]]))
    left = idx[keep]
    return left, t[keep], np.isin(left, to_mx[~stay])


def humanitarian_cards(sim: Sim, idx: NDArray[np.int64], t: NDArray[np.float64]) -> NDArray[np.bool_]:
    """At the southern border: hand out TVRH, then TVR cards, or take applications for them when processing takes
    time. Returns a mask of agents who stopped (settled, waiting for a card, or sent on by `continue_journey`)."""
    irregular = idx[sim.agents.mode[idx] != LEGAL]
    given = _allocate(sim, "mx_humanitarian_card_quota", irregular, "mx_humanitarian_card_eligibility")
    regional = irregular[:0]
    if sim.lever("mx_regional_card_quota").any():
        rest = irregular[~np.isin(irregular, given)]
        regional = _allocate(sim, "mx_regional_card_quota", rest, "mx_regional_card_eligibility")
    stopped = np.zeros(len(idx), dtype=bool)
    processing = float(sim.lever("mx_card_processing_days"))
    if processing > 0:
        applicants = np.concatenate([given, regional])
        if len(applicants):
            a = sim.agents
            when = _times(idx, t, applicants)
            a.caravan[applicants] = -1
            a.mode[applicants] = np.where(a.mode[applicants] == CARAVAN, ALONE, a.mode[applicants])
            a.move(applicants, State.PENDING_MX)
            a.sub[given] = PENDING_TVRH
            a.sub[regional] = PENDING_TVR
            a.t_next[applicants] = when + processing
            sim.log("card_application_mx", applicants)
            stopped[np.isin(idx, applicants)] = True
        return stopped
    if len(given):
        sim.log("humanitarian_card_mx", given)
        sim.agents.caravan[given] = -1
        travels = settle_or_travel(sim, given, sim.p.pathways.mx_card_settle_share)
        stopped[np.isin(idx, given[~travels])] = True
    if len(regional):
        _regional_card(sim, regional, _times(idx, t, regional))
        stopped[np.isin(idx, regional)] = True
    return stopped


def _times(idx: NDArray[np.int64], t: NDArray[np.float64], who: NDArray[np.int64]) -> NDArray[np.float64]:
    """The times t of the agents `who` (a subset of `idx`)."""
    order = np.argsort(idx)
    return t[order[np.searchsorted(idx, who, sorter=order)]]


def _regional_card(sim: Sim, idx: NDArray[np.int64], t: NDArray[np.float64]) -> None:
    """TVR holders stay in the border states, or travel on in their own mode (irregular beyond them)."""
    a = sim.agents
    sim.log("regional_card_mx", idx)
    a.caravan[idx] = -1
    a.mode[idx] = np.where(a.mode[idx] == CARAVAN, ALONE, a.mode[idx])
    stay = sim.rng.random(len(idx)) < sim.p.pathways.regional_card_settle_share
    a.move(idx[stay], State.LEGAL_MX)
    movement.continue_journey(sim, idx[~stay], t[~stay])


def regularise(sim: Sim, idx: NDArray[np.int64], t: NDArray[np.float64]) -> None:
    """Risk-managed enforcement: intercepted low-risk people get papers instead of detention."""
    sim.log("regularised_mx", idx)
    sim.agents.caravan[idx] = -1
    travels = settle_or_travel(sim, idx, sim.p.enforcement.card_settle_share)
    movement.continue_journey(sim, idx[travels], t[travels])

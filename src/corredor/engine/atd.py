"""Alternatives to detention (ATD): people apprehended in Mexico placed in a case-management programme instead of
detention and deportation.

A share `mx_atd_share` (lever) of the people detained in Mexico is enrolled at the node of apprehension and stays
there at liberty (state PENDING_MX) while the case is resolved. Two competing exponential clocks decide the
outcome, drawn on enrolment: the programme ends after Exp(`atd_programme_days`), or the person abandons it after
Exp(`atd_abandonment_mean_days`). People who abandon travel on irregularly. People who complete it get papers with
probability `atd_regularisation_share` (then settle or travel on legally, as regularised people do) or go home
(assisted return, not a deportation) and may try again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from corredor.engine.state import PENDING_ATD_ABANDONS, PENDING_ATD_COMPLETES, State

if TYPE_CHECKING:
    from corredor.engine.model import Sim


def divert(sim: Sim, idx: NDArray[np.int64], t: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Of the people just detained, enrol a share `mx_atd_share` in the programme; returns the mask of enrolled.

    Draws nothing while the lever is 0, so runs without ATD are unchanged."""
    share = float(sim.lever("mx_atd_share"))
    if share <= 0 or len(idx) == 0:
        return np.zeros(len(idx), dtype=bool)
    enrolled = sim.rng.random(len(idx)) < share
    enrol(sim, idx[enrolled], t[enrolled])
    return enrolled


def enrol(sim: Sim, idx: NDArray[np.int64], t: NDArray[np.float64]) -> None:
    en = sim.p.enforcement
    a = sim.agents
    sim.log("atd_enrolment", idx)
    a.move(idx, State.PENDING_MX)
    completes = sim.rng.exponential(en.atd_programme_days, len(idx))
    abandons = sim.rng.exponential(en.atd_abandonment_mean_days, len(idx))
    a.sub[idx] = np.where(completes <= abandons, PENDING_ATD_COMPLETES, PENDING_ATD_ABANDONS)
    a.t_next[idx] = t + np.minimum(completes, abandons)

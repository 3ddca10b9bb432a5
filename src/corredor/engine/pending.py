"""People at liberty in Mexico while their papers are pending (state PENDING_MX): card applicants waiting at the
southern border (`pathways`) and people in alternatives to detention (`atd`). Dispatches due agents by sub-state."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from corredor.engine import atd, pathways
from corredor.engine.state import PENDING_TVR, PENDING_TVRH

if TYPE_CHECKING:
    from corredor.engine.model import Sim


def due(sim: Sim, idx: NDArray[np.int64]) -> None:
    sub = sim.agents.sub[idx]
    cards = (sub == PENDING_TVRH) | (sub == PENDING_TVR)
    if cards.any():
        pathways.issue_cards(sim, idx[cards])
    if not cards.all():
        atd.due(sim, idx[~cards])

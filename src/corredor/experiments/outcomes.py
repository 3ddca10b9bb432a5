"""Standard outcomes of one run, computed from `Results` (totals over the whole simulated period, in persons, events
or USD), and the outcome declarations (``kind``: minimize / maximize / info) of an experiment.

`standard_outcomes` is a `measure` for `run_ensemble`: it adds these columns to every replicate's row;
`design_outcomes` runs a design with it and returns the requested columns per run.

| outcome | meaning |
|---|---|
| departures | persons setting out from an origin (``departure`` events) |
| irregular_journeys | journeys started without a legal pathway (``journey_start`` events, mode not ``legal``) |
| deaths, extortions, kidnappings, assaults | harms on the route, by kind (events) |
| harms | extortions + kidnappings + assaults + deaths |
| apprehensions_mx, deportations_mx | INM apprehensions and deportations by Mexico (events) |
| regularised_mx | people intercepted in Mexico and given papers instead of being detained (risk-managed enforcement) |
| apprehensions_us | US Border Patrol apprehensions between ports (events) |
| arrivals_us_border | arrivals at a northern border city (events) |
| shelter_stays, shelter_turned_away | stays at shelters, and arrivals at a full shelter turned away (events) |
| asylum_applications | COMAR applications (persons) |
| asylum_wait_working_days | mean wait, application to decision, in working days, over decided files (all offices) |
| asylum_time_waited_working_days | mean working days each file waited (to decision, abandonment, or so far: pending) |
| asylum_within_deadline | share decided within the legal deadline (45 working days) of files whose deadline passed |
| asylum_backlog_end | files (persons) still pending at the end of the period, all offices |
| asylum_decisions | files (persons) recognised or rejected by the end of the period, all offices |
| asylum_pending_share | share of the period's files still pending at its end |
| smuggler_revenue_usd | smuggling fees + kidnappers' ransoms (USD) |

Per COMAR office ``o`` (offices that received files): ``asylum_applications.<o>``,
``asylum_wait_working_days.<o>``, ``asylum_time_waited_working_days.<o>``, ``asylum_within_deadline.<o>``,
``asylum_backlog_end.<o>``, ``asylum_pending_share.<o>`` and ``asylum_decisions.<o>``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corredor.engine.kernels import group_sum
from corredor.experiments.design import Design
from corredor.experiments.ensemble import run_ensemble
from corredor.parameters import MODES
from corredor.results import Results
from corredor.scenario import Scenario

Kind = Literal["minimize", "maximize", "info"]


@dataclass(frozen=True)
class OutcomeInfo:
    kind: Kind
    unit: str
    label: str


STANDARD_OUTCOMES: dict[str, OutcomeInfo] = {
    "departures": OutcomeInfo("info", "persons", "Departures (legal pathways included)"),
    "irregular_journeys": OutcomeInfo("minimize", "journeys", "Irregular journeys (re-attempts included)"),
    "deaths": OutcomeInfo("minimize", "persons", "Deaths"),
    "extortions": OutcomeInfo("minimize", "events", "Extortions"),
    "kidnappings": OutcomeInfo("minimize", "events", "Kidnappings"),
    "assaults": OutcomeInfo("minimize", "events", "Assaults"),
    "harms": OutcomeInfo("minimize", "events", "Harms (extortions, kidnappings, assaults, deaths)"),
    "apprehensions_mx": OutcomeInfo("info", "events", "Apprehensions in Mexico (detained)"),
    "regularised_mx": OutcomeInfo("info", "persons", "Intercepted in Mexico and given papers"),
    "deportations_mx": OutcomeInfo("info", "events", "Deportations by Mexico"),
    "apprehensions_us": OutcomeInfo("info", "events", "US Border Patrol apprehensions"),
    "arrivals_us_border": OutcomeInfo("info", "events", "Arrivals at the US border"),
    "shelter_stays": OutcomeInfo("info", "stays", "Shelter stays"),
    "shelter_turned_away": OutcomeInfo("minimize", "events", "Turned away at a full shelter"),
    "asylum_applications": OutcomeInfo("info", "persons", "COMAR applications"),
    "asylum_wait_working_days": OutcomeInfo("minimize", "working days", "COMAR mean wait of decided files"),
    "asylum_time_waited_working_days": OutcomeInfo(
        "minimize", "working days", "COMAR mean time waited, all files (pending ones so far)"
    ),
    "asylum_within_deadline": OutcomeInfo("maximize", "share", "COMAR decided within deadline"),
    "asylum_backlog_end": OutcomeInfo("minimize", "persons", "COMAR backlog at end"),
    "asylum_pending_share": OutcomeInfo("minimize", "share", "COMAR files still pending at end, share of all"),
    "asylum_decisions": OutcomeInfo("info", "persons", "COMAR files decided"),
    "smuggler_revenue_usd": OutcomeInfo("minimize", "USD", "Smuggler revenue"),
}
PER_OFFICE = (
    "asylum_applications",
    "asylum_wait_working_days",
    "asylum_time_waited_working_days",
    "asylum_within_deadline",
    "asylum_backlog_end",
    "asylum_pending_share",
    "asylum_decisions",
)
_HARMS = {"deaths": "death", "extortions": "extortion", "kidnappings": "kidnapping", "assaults": "assault"}


def outcome_info(name: str) -> OutcomeInfo:
    """Kind, unit and label of a standard outcome (per-office names included); ValueError for other names."""
    base, _, office = name.partition(".")
    if base in STANDARD_OUTCOMES and (not office or base in PER_OFFICE):
        info = STANDARD_OUTCOMES[base]
        return OutcomeInfo(info.kind, info.unit, f"{info.label} ({office})" if office else info.label)
    raise ValueError(
        f"{name!r} is not a standard outcome; allowed: {', '.join(STANDARD_OUTCOMES)}, "
        f"or {', '.join(p + '.<office>' for p in PER_OFFICE)}"
    )


def _queue(
    working: NDArray[np.float64],
    decided: NDArray[np.bool_],
    waited: NDArray[np.float64],
    met: NDArray[np.float64],
    pending: int,
    scale: int,
) -> dict[str, float]:
    """Queue figures of a set of files: `working` days of its decided files (`decided` the mask among them), `waited`,
    `Results.time_waited_working_days` of every file, and `met`, `Results.deadline_met` (NaN where not yet known)."""
    working = working[decided]
    known = met[~np.isnan(met)]
    return {
        "asylum_wait_working_days": float(working.mean()) if len(working) else float("nan"),
        "asylum_time_waited_working_days": float(waited.mean()) if len(waited) else float("nan"),
        "asylum_within_deadline": float(known.mean()) if len(known) else float("nan"),
        "asylum_backlog_end": float(pending * scale),
        "asylum_pending_share": pending / len(waited) if len(waited) else float("nan"),
        "asylum_decisions": float(len(working) * scale),
    }


def standard_outcomes(results: Results) -> dict[str, float]:
    """The standard outcomes of one run (names in the module docstring), from the result columns (no pandas)."""
    ev = results.event_columns
    names = results.event_names
    event = ev["event"].astype(np.int64)
    value = ev["value"] * results.scale
    sums = group_sum(event, value, len(names))  # pandas' groupby sum, to the last bit

    def total(name: str) -> float:
        return float(sums[names.index(name)])

    journeys = value[(event == names.index("journey_start")) & (ev["mode"] != MODES.index("legal"))]
    out = {
        "departures": total("departure"),
        "irregular_journeys": float(journeys.sum()),
        **{name: total(event) for name, event in _HARMS.items()},
        "apprehensions_mx": total("apprehension_mx"),
        "regularised_mx": total("regularised_mx"),
        "deportations_mx": total("deportation_mx"),
        "apprehensions_us": total("apprehension_us"),
        "arrivals_us_border": total("arrival_border"),
        "shelter_stays": total("shelter_stay"),
        "shelter_turned_away": total("shelter_turned_away"),
        "asylum_applications": total("asylum_application"),
        "smuggler_revenue_usd": total("fee_usd") + total("ransom_usd"),
    }
    out["harms"] = sum(out[name] for name in _HARMS)
    cases = results.case_columns
    working = results.case_waits["wait_working_days"]
    outcome = cases["outcome"]
    decided = (outcome == 1) | (outcome == 2)  # CaseRegister.OUTCOMES: recognised, rejected
    pending = outcome == 0
    met, waited = results.deadline_met, results.time_waited_working_days
    out.update(_queue(working, decided, waited, met, int(np.count_nonzero(pending)), results.scale))
    offices = {results.node_ids[int(node)]: int(node) for node in np.unique(cases["office"])}
    # every office's applications, 0 where none applied (its other figures are left out: there is no queue to read)
    out.update({f"asylum_applications.{office}": 0.0 for office in results.office_ids})
    for office in sorted(offices):
        mine = cases["office"] == offices[office]
        backlog = int(np.count_nonzero(pending & mine))
        figures = _queue(working[mine], decided[mine], waited[mine], met[mine], backlog, results.scale)
        figures["asylum_applications"] = float(np.count_nonzero(mine) * results.scale)  # one file per application
        out.update({f"{name}.{office}": value for name, value in figures.items()})
    return out


def design_outcomes(
    scenario: Scenario,
    design: Design,
    outcomes: Sequence[str],
    *,
    root_seed: int,
    executor: Executor | None = None,
    chunk_size: int = 2,
    out_dir: str | Path | None = None,
    max_pending: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Run every run of ``design`` with `standard_outcomes` (catalogued in ``out_dir`` and resumed from it): one row
    per run with the columns ``outcomes`` (NaN where a run has no such figure) and ``point``."""
    ensemble = run_ensemble(
        scenario,
        design.runs,
        root_seed=root_seed,
        executor=executor,
        chunk_size=chunk_size,
        out_dir=out_dir,
        measure=standard_outcomes,
        progress=progress,
        resume=out_dir is not None,
        max_pending=max_pending,
        design=design,
    )
    frame = ensemble.outcomes
    columns = {name: frame[name] if name in frame else pd.Series(np.nan, index=frame.index) for name in outcomes}
    return pd.DataFrame(columns).assign(point=frame["point"].to_numpy())

"""Results of one run: daily counts by node x nationality x state, event counters, the asylum case register and
caravans, with pandas views and Parquet / JSON output.

Tables written by `Results.write`: ``counts.parquet`` (date, node, state, nationality, persons; non-zero cells only),
``events.parquet`` (date, event, node, nationality, mode, value), ``asylum_cases.parquet`` (one row per application),
``caravans.parquet`` and ``summary.json`` (official statistics from `corredor.observe` plus run metadata). Counts are
persons (agents x scale); event values are persons too, except USD for ``fee_usd`` and ``ransom_usd`` and person-km
for ``km_travelled``. The unit and meaning of every column (written into each Parquet file's schema as field
metadata) and of every summary.json key are in `corredor.outputs`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from numpy.typing import NDArray

from corredor.engine.state import CaseRegister, State
from corredor.parameters import MODES

if TYPE_CHECKING:
    from corredor.engine.inputs import Compiled
    from corredor.engine.model import Sim

STATES = tuple(s.name.lower() for s in State)


def _categorical(codes: NDArray[Any], categories: list[str]) -> pd.Categorical[str]:
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), categories=pd.Index(categories))


@dataclass
class Results:
    scenario_name: str
    seed: int
    start: dt.date
    scale: int
    node_ids: tuple[str, ...]
    node_kinds: tuple[str, ...]
    nationalities: tuple[str, ...]
    event_names: tuple[str, ...]
    daily: NDArray[np.int32]  # agents, shape (days, nodes, states, nationalities)
    event_columns: dict[str, NDArray[Any]]
    case_columns: dict[str, NDArray[Any]]
    caravan_rows: list[tuple[int, int, int, float, str]]
    office_ids: tuple[str, ...]
    elapsed_s: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)
    caravan_counts: dict[int, list[dict[str, float | int]]] = field(default_factory=dict)  # caravans.top_up's log

    @classmethod
    def from_run(
        cls,
        compiled: Compiled,
        sim: Sim,
        daily: NDArray[np.int32],
        seed: int,
        event_names: tuple[str, ...],
        elapsed_s: float,
    ) -> Results:
        from corredor.network import NODE_KINDS

        cases: CaseRegister = sim.cases
        n = cases.n
        network = compiled.network
        return cls(
            scenario_name=compiled.scenario.name,
            seed=seed,
            start=compiled.start,
            scale=compiled.scale,
            node_ids=network.node_ids,
            node_kinds=tuple(NODE_KINDS[k] for k in network.node_kind),
            nationalities=compiled.nationalities,
            event_names=event_names,
            daily=daily,
            event_columns=sim.events.table(),
            case_columns={
                "agent": cases.agent[:n],
                "office": compiled.office_nodes[cases.office[:n]],
                "nat": cases.nat[:n],
                "applied": cases.applied[:n],
                "started": cases.started[:n],
                "closed": cases.closed[:n],
                "outcome": cases.outcome[:n],
                "mode": cases.mode[:n],
            },
            caravan_rows=list(sim.caravan_records),
            caravan_counts={k: list(v) for k, v in sim.caravan_counts.items()},
            office_ids=tuple(network.node_ids[i] for i in compiled.office_nodes),
            elapsed_s=elapsed_s,
            meta={
                "agents": int(sim.agents.count),
                "network": network.source,
                "decision_deadline_working_days": compiled.scenario.parameters.asylum.decision_deadline_working_days,
                "stochastic_droughts": [
                    {
                        "nationality": d.nationality,
                        "start": d.start.isoformat(),
                        "end": d.end.isoformat(),
                        "food_insecurity_pp": d.food_insecurity_pp,
                    }
                    for d in sim.droughts
                ],
            },
        )

    @property
    def days(self) -> int:
        return int(self.daily.shape[0])

    @property
    def dates(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start, periods=self.days, freq="D")

    @property
    def agent_days(self) -> int:
        """Agents present in the model summed over days (Flee's 'agents x days')."""
        return int(self.daily.sum(dtype=np.int64))

    def persons_by_state(self) -> pd.DataFrame:
        """Persons in each state on each day (rows: dates)."""
        totals = self.daily.sum(axis=(1, 3), dtype=np.int64) * self.scale
        return pd.DataFrame(totals, index=self.dates, columns=list(STATES))

    def entered(self) -> NDArray[np.int64]:
        """Persons who have entered the model by the end of each day: departures, and asylum applicants from
        outside the corridor."""
        table = self.event_columns
        codes = [self.event_names.index(e) for e in ("departure", "outside_arrival") if e in self.event_names]
        entering = np.isin(table["event"], codes)
        per_day = np.bincount(table["day"][entering], weights=table["value"][entering], minlength=self.days)
        return np.round(np.cumsum(per_day)).astype(np.int64) * self.scale

    def _date_column(self, day: NDArray[np.integer]) -> NDArray[np.datetime64]:
        return np.datetime64(self.start) + day.astype("timedelta64[D]")

    @cached_property
    def case_waits(self) -> dict[str, NDArray[Any]]:
        """Per asylum case: date of application, wait in days and in working days (NaN while pending)."""
        cs = self.case_columns
        applied_day = np.floor(cs["applied"]).astype(np.int64)
        closed = cs["closed"]
        closed_day = np.where(np.isnan(closed), applied_day, np.floor(np.nan_to_num(closed))).astype(np.int64)
        applied_date = self._date_column(applied_day)
        working = np.busday_count(applied_date, self._date_column(closed_day)).astype(float)
        working[np.isnan(closed)] = np.nan
        return {"applied_date": applied_date, "wait_days": closed - cs["applied"], "wait_working_days": working}

    @cached_property
    def time_waited_working_days(self) -> NDArray[np.float64]:
        """Per asylum case, the working days its applicants have waited: to the decision, to the abandonment, or,
        for a file still pending, to the end of the run (so far). Unlike the wait of decided files, this does not
        fall when COMAR leaves its oldest files undecided."""
        cs = self.case_columns
        applied = self._date_column(np.floor(cs["applied"]).astype(np.int64))
        open_until = np.where(np.isnan(cs["closed"]), float(self.days), np.nan_to_num(cs["closed"]))
        until = self._date_column(np.floor(open_until).astype(np.int64))
        return np.busday_count(applied, until).astype(np.float64)

    @cached_property
    def deadline_met(self) -> NDArray[np.float64]:
        """Per asylum case, whether COMAR decided it within the legal deadline (meta
        ``decision_deadline_working_days``, 45 by default), for the files whose deadline passed before the end of the
        run: 1 if decided in time; 0 if not (decided later, or still open when it passed: pending at the end or
        abandoned after it); NaN for a file abandoned before its deadline, and for every file that applied less than
        the deadline before the end (among those, the quickly decided ones are known and their peers are not, so
        counting them would flatter the office). Leaving out the files still pending would count only the files COMAR
        got to, and hide a growing backlog."""
        cs = self.case_columns
        deadline = float(self.meta.get("decision_deadline_working_days", 45))
        applied = self._date_column(np.floor(cs["applied"]).astype(np.int64))
        open_working = self.time_waited_working_days  # working days each file stayed open
        passed = np.busday_count(applied, self._date_column(np.full(len(applied), self.days))) > deadline
        decided = np.isin(cs["outcome"], (1, 2))  # CaseRegister.OUTCOMES: recognised, rejected
        met = np.full(len(applied), np.nan)
        met[passed & (open_working > deadline)] = 0.0
        met[passed & decided & (open_working <= deadline)] = 1.0
        return met

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        day, node, state, nat = np.nonzero(self.daily)
        counts = pd.DataFrame(
            {
                "date": self._date_column(day),
                "node": _categorical(node, list(self.node_ids)),
                "state": _categorical(state, list(STATES)),
                "nationality": _categorical(nat, list(self.nationalities)),
                "persons": self.daily[day, node, state, nat].astype(np.int64) * self.scale,
            }
        )
        ev = self.event_columns
        events = pd.DataFrame(
            {
                "date": self._date_column(ev["day"]),
                "event": _categorical(ev["event"], list(self.event_names)),
                "node": _categorical(ev["node"], list(self.node_ids)),
                "nationality": _categorical(ev["nat"], list(self.nationalities)),
                "mode": _categorical(ev["mode"], list(MODES)),
                "value": ev["value"] * self.scale,
            }
        )
        cs = self.case_columns
        waits = self.case_waits
        cases = pd.DataFrame(
            {
                "agent": cs["agent"],
                "office": _categorical(cs["office"], list(self.node_ids)),
                "nationality": _categorical(cs["nat"], list(self.nationalities)),
                "applied_date": waits["applied_date"],
                "applied_day": cs["applied"],
                "started_day": cs["started"],
                "closed_day": cs["closed"],
                "outcome": _categorical(cs["outcome"], list(CaseRegister.OUTCOMES)),
                "mode": _categorical(cs["mode"], list(MODES)),
                "wait_days": waits["wait_days"],
                "wait_working_days": waits["wait_working_days"],
                "decided_within_deadline": pd.arrays.BooleanArray(
                    self.deadline_met == 1.0, np.isnan(self.deadline_met)
                ),
                "persons": np.full(len(cs["applied"]), self.scale, dtype=np.int64),
            }
        )
        caravans = pd.DataFrame(self.caravan_rows, columns=["caravan", "day", "node", "persons", "name"]).assign(
            topped_up=lambda df: np.array([self.topped_up(int(k)) for k in df["caravan"]], dtype=float),
            date=lambda df: self._date_column(df["day"].to_numpy(dtype=np.int64)),
            node=lambda df: [self.node_ids[i] for i in df["node"]],
        )
        return {"counts": counts, "events": events, "asylum_cases": cases, "caravans": caravans}

    def to_pandas(self) -> dict[str, pd.DataFrame]:
        """The result tables as DataFrames: counts, events, asylum_cases, caravans."""
        return self.tables

    def topped_up(self, caravan: int) -> float:
        """Persons who joined a caravan to reach its recorded sizes (`caravans.top_up`), over the run."""
        return float(sum(count["added"] for count in self.caravan_counts.get(caravan, [])))

    def summary(self) -> dict[str, Any]:
        from corredor.observe import official_statistics

        return {
            "scenario": self.scenario_name,
            "seed": self.seed,
            "scale": self.scale,
            "start": self.start.isoformat(),
            "end": (self.start + dt.timedelta(days=self.days - 1)).isoformat(),
            "agents": self.meta.get("agents"),
            "agent_days": self.agent_days,
            "stochastic_droughts": self.meta.get("stochastic_droughts", []),
            "caravans": [
                {
                    "caravan": int(number),
                    "name": name,
                    "date": (self.start + dt.timedelta(days=int(day))).isoformat(),
                    "node": self.node_ids[int(node)],
                    "persons": round(float(persons)),
                    "topped_up": round(self.topped_up(int(number))),
                    "recorded_counts": [
                        {
                            "date": (self.start + dt.timedelta(days=int(c["day"]))).isoformat(),
                            "recorded": round(c["recorded"]),
                            "target": round(c["target"]),
                            "on_road": round(c["on_road"]),
                            "added": round(c["added"]),
                        }
                        for c in self.caravan_counts.get(int(number), [])
                    ],
                }
                for number, day, node, persons, name in self.caravan_rows
            ],
            **official_statistics(self),
        }

    def write(self, out_dir: str | Path) -> Path:
        """Write the Parquet tables and summary.json into `out_dir` (created if needed)."""
        from corredor.outputs import documented  # the column docs need STATES from this module

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        for name, frame in self.tables.items():
            table = pa.Table.from_pandas(frame, preserve_index=False)
            table = table.replace_schema_metadata(None)  # no pandas/pyarrow version stamps: byte-stable files
            table = documented(name, table)  # unit and description of each column as field metadata
            pq.write_table(table, out / f"{name}.parquet", compression="zstd")
        (out / "summary.json").write_text(json.dumps(self.summary(), indent=2, sort_keys=True) + "\n")
        return out

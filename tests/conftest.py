"""Shared helpers for the test suite: small, fast variants of the shipped baseline scenario."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from corredor import Results, simulate
from corredor.scenario import Scenario, parse_scenario, read_scenario_dict

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"


def baseline_dict() -> dict[str, Any]:
    """The baseline as a dict, with what it extends (the calibrated parameters) merged in."""
    return read_scenario_dict(BASELINE)


def make_scenario(
    start: str = "2016-01-01",
    end: str = "2016-06-30",
    scale: int = 50,
    policy: list[dict[str, Any]] | None = None,
    parameters: dict[str, Any] | None = None,
    caravans: list[dict[str, Any]] | None = None,
    droughts: list[dict[str, Any]] | None = None,
    keep_baseline_timeline: bool = True,
    cohorts: list[dict[str, Any]] | None = None,
    outside_applicants: list[dict[str, Any]] | None = None,
) -> Scenario:
    """The baseline with another period and scale; caravans outside the period are dropped."""
    data = copy.deepcopy(baseline_dict())
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    data["period"] = {"start": first, "end": last}
    data["scale"] = scale
    data["caravans"] = [c for c in data.get("caravans", []) if first <= c["date"] <= last]
    if not keep_baseline_timeline:
        data["policy"] = [p for p in data["policy"] if p["lever"] == "comar_caseworkers"]
        data["droughts"] = []
        data["caravans"] = []
        data["outside_applicants"] = []
    data["policy"] = data.get("policy", []) + (policy or [])
    data["caravans"] = data["caravans"] + (caravans or [])
    data["droughts"] = data.get("droughts", []) + (droughts or [])
    data["cohorts"] = data.get("cohorts", []) + (cohorts or [])
    data["outside_applicants"] = data.get("outside_applicants", []) + (outside_applicants or [])
    for group, values in (parameters or {}).items():  # on top of the baseline's (calibrated) parameters
        data.setdefault("parameters", {})[group] = {**data["parameters"].get(group, {}), **values}
    return parse_scenario(data, "test", BASELINE.parent)


def event_total(results: Results, event: str, **where: str) -> float:
    events = results.to_pandas()["events"]
    rows = events[events["event"] == event]
    for column, value in where.items():
        rows = rows[rows[column] == value]
    return float(rows["value"].sum())


def replicate_mean(scenario: Scenario, seeds: range, measure: Any) -> float:
    return float(pd.Series([measure(simulate(scenario, seed=s)) for s in seeds]).mean())


@pytest.fixture(scope="session")
def small_results() -> Results:
    return simulate(make_scenario(), seed=7)

"""Inputs whose size is fitted: policy events with ``value_from``, fading of enforcement surges and of deterrence,
deterrence by Mexican enforcement, the lag of the homicide push; the backtest's prior events; and `corredor
calibrate --only` merging into the fitted set already written."""

from __future__ import annotations

import copy
import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest

from corredor.calibration import space
from corredor.calibration.fit import FitResult, read_fitted, write_calibrated
from corredor.calibration.validate import without_later_events
from corredor.engine.inputs import compile_scenario
from corredor.scenario import CalibrationRecord, ScenarioError, parse_scenario, read_scenario_dict

from .cli_utils import corredor
from .conftest import BASELINE, baseline_dict

ROOT = Path(__file__).resolve().parents[1]


def _compiled(
    parameters: dict[str, dict[str, float]] | None = None, start: str = "2014-01-01", end: str = "2017-12-31"
):
    data = copy.deepcopy(baseline_dict())
    data["period"] = {"start": dt.date.fromisoformat(start), "end": dt.date.fromisoformat(end)}
    data["caravans"] = []
    for group, values in (parameters or {}).items():
        data.setdefault("parameters", {})[group] = {**data["parameters"].get(group, {}), **values}
    scenario = parse_scenario(data, "test", BASELINE.parent)
    return scenario, compile_scenario(scenario)


def _day(compiled, date: str) -> int:
    return (dt.date.fromisoformat(date) - compiled.start).days


def test_policy_value_from_a_parameter_moves_the_event():
    scenario, compiled = _compiled({"enforcement": {"frontera_sur_intensity": 3.0, "adaptation_half_life_days": 1e4}})
    pfs = next(p for p in scenario.policy if p.lever == "mx_enforcement_intensity")
    assert pfs.value_from == "enforcement.frontera_sur_intensity" and math.isnan(pfs.value)
    levers = compiled.levers["mx_enforcement_intensity"]
    assert levers[_day(compiled, "2014-07-06")] == 1.0  # the default until the first entry
    assert levers[_day(compiled, "2014-07-07")] == pytest.approx(3.0)


@pytest.mark.parametrize(
    ("value_from", "message"),
    [("enforcement.no_such_thing", "no such parameter"), ("departures.seasonality", "not a number")],
)
def test_policy_value_from_must_name_a_number(value_from, message):
    data = copy.deepcopy(baseline_dict())
    data["policy"].append({"date": dt.date(2016, 1, 1), "lever": "mx_enforcement_intensity", "value_from": value_from})
    with pytest.raises(ScenarioError, match=message):
        parse_scenario(data, "test", BASELINE.parent)


def test_policy_value_from_out_of_the_levers_range_is_an_error():
    data = copy.deepcopy(baseline_dict())
    wrong = {
        "date": dt.date(2016, 1, 1),
        "lever": "mx_risk_targeting",
        "value_from": "enforcement.frontera_sur_intensity",
    }
    data["policy"].append(wrong)  # the parameter is 1.8 by default, the lever allows 0-1
    with pytest.raises(ScenarioError, match="out of range for mx_risk_targeting"):
        parse_scenario(data, "test", BASELINE.parent)
    data["policy"][-1] = {"date": dt.date(2016, 1, 1), "lever": "mx_risk_targeting"}
    with pytest.raises(ScenarioError, match="needs value or value_from"):
        parse_scenario(data, "test", BASELINE.parent)


def test_enforcement_surge_and_deterrence_fade_with_their_half_lives():
    _, compiled = _compiled(
        {
            "enforcement": {"frontera_sur_intensity": 3.0, "adaptation_half_life_days": 365.0},
            "departures": {"us_deterrence_2017": 0.25, "deterrence_half_life_days": 100.0},
        }
    )
    mx = compiled.levers["mx_enforcement_intensity"]
    assert mx[_day(compiled, "2015-07-07")] == pytest.approx(1.0 + 2.0 * 0.5, rel=1e-3)  # excess halved in a year
    us = compiled.levers["us_deterrence"]
    assert us[_day(compiled, "2017-01-19")] == 1.0
    assert us[_day(compiled, "2017-01-20")] == pytest.approx(0.25)
    assert us[_day(compiled, "2017-04-30")] == pytest.approx(0.5, rel=1e-3)  # 100 days: half on log scale


def test_a_scenario_starting_after_the_surge_counts_its_age_from_the_recorded_date():
    parameters = {"enforcement": {"frontera_sur_intensity": 3.0, "adaptation_half_life_days": 365.0}}
    _, early = _compiled(parameters)
    _, late = _compiled(parameters, start="2016-01-01")
    assert late.levers["mx_enforcement_intensity"][0] == pytest.approx(
        early.levers["mx_enforcement_intensity"][_day(early, "2016-01-01")]
    )


def test_mexican_enforcement_deters_departures_with_a_floor():
    fixed = {"frontera_sur_intensity": 3.0, "adaptation_half_life_days": 1e4}
    _, none = _compiled({"enforcement": fixed, "departures": {"mx_enforcement_elasticity": 0.0}})
    _, some = _compiled({"enforcement": fixed, "departures": {"mx_enforcement_elasticity": 0.3}})
    _, full = _compiled({"enforcement": fixed, "departures": {"mx_enforcement_elasticity": 1.0}})
    before, after = _day(none, "2014-07-01"), _day(none, "2014-08-01")
    assert some.departure_rate[before].sum() == pytest.approx(none.departure_rate[before].sum())
    ratio = some.departure_rate[after].sum() / none.departure_rate[after].sum()
    assert ratio == pytest.approx(3.0**-0.3, rel=2e-3)  # 25 days of fading at a 10,000-day half-life
    assert full.departure_rate[after].sum() / none.departure_rate[after].sum() == pytest.approx(0.5)  # floor


def test_homicide_push_acts_with_its_lag():
    _, now = _compiled({"departures": {"homicide_lag_days": 0.0}})
    _, lagged = _compiled({"departures": {"homicide_lag_days": 200.0}})
    jan, sep = _day(now, "2016-01-10"), _day(now, "2016-09-10")
    # In January the lagged run still uses the previous year's homicides; by September both use the same year's.
    assert not np.allclose(now.departure_rate[jan], lagged.departure_rate[jan])
    np.testing.assert_allclose(now.departure_rate[sep], lagged.departure_rate[sep])


def test_backtest_events_from_the_forecast_year_take_their_prior():
    raw = read_scenario_dict(ROOT / "scenarios" / "history.toml")
    prior = without_later_events(raw, 2017)
    deterrence = [p for p in prior["policy"] if p["lever"] == "us_deterrence"]
    assert deterrence and all("value_from" not in p and p["value"] == 0.6 for p in deterrence)  # documented prior
    pfs = [p for p in prior["policy"] if p["lever"] == "mx_enforcement_intensity" and p["date"].year == 2014]
    assert pfs[0]["value_from"] == "enforcement.frontera_sur_intensity"  # before 2017: the fitted value
    assert any(p.get("value_from") for p in raw["policy"] if p["lever"] == "us_deterrence")  # input not changed


def test_fitting_a_subset_merges_into_the_fitted_set(tmp_path):
    shipped = ROOT / "scenarios" / "calibrated" / "parameters.toml"
    out = tmp_path / "calibrated" / "parameters.toml"
    out.parent.mkdir()
    out.write_text(shipped.read_text())
    before = read_scenario_dict(out)
    free = space.find(["GTM.base_departures_per_year"])
    record = CalibrationRecord(
        fitted_on="2026-01-01T00:00:00Z",
        method="test",
        loss=0.1,
        loss_at_start=0.2,
        scale=100,
        replicates=1,
        root_seed=1,
        last_observed_year=2018,
        free_parameters=[free[0].path],
    )
    previous = read_fitted(out)
    for _ in range(2):  # a checkpoint, then the final write: merged into the same earlier fit, not twice
        write_calibrated(FitResult({free[0].path: 123456.0}, record, free), out, merge=True, previous=previous)
    after = read_scenario_dict(out)
    assert after["calibration"]["evaluations"] == before["calibration"]["evaluations"]  # + 0 in this record
    assert after["calibration"]["method"].count("; then") == before["calibration"]["method"].count("; then") + 1
    assert after["nationalities"]["GTM"]["base_departures_per_year"] == 123456.0
    assert after["nationalities"]["HND"] == before["nationalities"]["HND"]  # kept, not dropped
    assert after["parameters"] == before["parameters"]
    assert set(before["calibration"]["free_parameters"]) <= set(after["calibration"]["free_parameters"])


def test_calibrate_only_on_the_command_line_keeps_the_other_fitted_values(tmp_path):
    out = tmp_path / "parameters.toml"
    out.write_text((ROOT / "scenarios" / "calibrated" / "parameters.toml").read_text())
    before = read_scenario_dict(out)
    outcome = corredor(
        "calibrate",
        "--only",
        "GTM.base_departures_per_year",
        "--up-to-year",
        "2013",
        "--scale",
        "1000",
        "--replicates",
        "1",
        "--max-evaluations",
        "1",
        "--workers",
        "0",
        "--out",
        out,
    )
    assert outcome.returncode == 0, outcome.output
    after = read_scenario_dict(out)
    assert "starting points" not in after["calibration"]["method"].rsplit("; then", 1)[1]  # --only: one start
    assert after["nationalities"]["HND"] == before["nationalities"]["HND"]
    assert after["parameters"] == before["parameters"]

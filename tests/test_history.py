"""History: mechanism checks on the calibrated history scenario (Programa Frontera Sur, the COMAR backlog), and
`corredor calibrate` / `corredor validate-history` on small, fast variants (coarse scale, few replicates)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corredor import simulate
from corredor.calibration import loss as L
from corredor.calibration import space
from corredor.calibration.fit import calibrate, write_calibrated
from corredor.calibration.runner import prepare
from corredor.calibration.validate import naive_forecasts, validate_history
from corredor.observe import fiscal_year
from corredor.scenario import load_scenario, read_scenario_dict

from .cli_utils import corredor

ROOT = Path(__file__).resolve().parents[1]
HISTORY = ROOT / "scenarios" / "history.toml"
SEEDS = (11, 12)


def _fy_totals(results, event: str) -> pd.Series:
    events = results.to_pandas()["events"]
    rows = events[events["event"] == event]
    return rows.groupby(fiscal_year(rows["date"]))["value"].sum()


@functools.cache
def _pfs_runs(with_pfs: bool) -> tuple[float, float, float, float]:
    """Mean FY2014 and FY2015 Mexican apprehensions and US apprehensions (all simulated nationalities are not
    Mexican), history from Jan 2013 to Sep 2015 at 1 agent = 100 persons."""
    raw = read_scenario_dict(HISTORY)
    raw["period"] = {"start": dt.date(2013, 1, 1), "end": raw["period"]["end"]}
    if not with_pfs:
        raw["policy"] = [p for p in raw["policy"] if p["lever"] != "mx_enforcement_intensity"]
    scenario = prepare(raw, 100, dt.date(2015, 9, 30))
    mx, us = np.zeros(2), np.zeros(2)
    for seed in SEEDS:
        results = simulate(scenario, seed=seed)
        mx += _fy_totals(results, "apprehension_mx").reindex([2014, 2015]).to_numpy()
        us += _fy_totals(results, "apprehension_us").reindex([2014, 2015]).to_numpy()
    return mx[0], mx[1], us[0], us[1]


def test_programa_frontera_sur_raises_mexican_apprehensions_and_holds_back_us_ones():
    mx14, mx15, us14, us15 = _pfs_runs(with_pfs=True)
    assert mx15 > 1.2 * mx14  # observed: Oct-Apr detentions of Central Americans +86 %
    # The change comes from the programme: without it Mexico catches fewer and the US more in FY2015.
    nmx14, nmx15, nus14, nus15 = _pfs_runs(with_pfs=False)
    assert mx15 / mx14 > nmx15 / nmx14 + 0.2
    assert us15 / us14 < nus15 / nus14 - 0.015


@pytest.mark.xfail(
    strict=True,
    reason="known shortfall: the calibrated model lets US apprehensions rise FY2014 -> FY2015 (drought of 2014-15, "
    "SLV homicides of 2015, re-attempts after deportation from Mexico); observed GTM+HND+SLV fell 30 %",
)
def test_us_apprehensions_fall_from_fy2014_to_fy2015_as_observed():
    _, _, us14, us15 = _pfs_runs(with_pfs=True)
    assert us15 < 0.95 * us14


def test_comar_backlog_passes_40000_by_end_2018():
    scenario = prepare(read_scenario_dict(HISTORY), 100, dt.date(2018, 12, 31))
    staff = [p for p in scenario.policy if p.lever == "comar_caseworkers" and p.date.year <= 2018]
    assert sum(p.value for p in staff) <= 25  # 21 deciding officials of ~50 staff (ASF audit; PARAMETERS.md §5)
    pending = [L.statistics(simulate(scenario, seed=s))[L.key(L.PENDING, "ALL", 2018)] for s in SEEDS]
    assert np.mean(pending) > 40_000  # Mexico News Daily, Dec 2018: >48,000


def test_calibrate_reduces_the_loss_and_writes_a_fragment_scenarios_can_extend(tmp_path):
    # Start the Guatemalan base rate far too low and fit it alone, on 2012-2014 at a coarse scale.
    free = space.find(["GTM.base_departures_per_year"])
    raw = read_scenario_dict(HISTORY)
    start = {free[0].path: 0.3 * space.read(raw, free[0])}
    fit = calibrate(HISTORY, free=free, up_to_year=2014, scale=200, replicates=1, max_evaluations=4, start=start)
    assert fit.record.loss < 0.8 * fit.record.loss_at_start
    assert fit.values[free[0].path] > start[free[0].path]  # moved up, towards the observations
    assert fit.record.last_observed_year == 2014 and fit.record.evaluations <= 4
    assert set(fit.record.observed_sha256) == {"observed/cbp.csv", "observed/comar.csv", "observed/upm.csv"}
    fragment = write_calibrated(fit, tmp_path / "calibrated" / "parameters.toml")
    base = read_scenario_dict(ROOT / "scenarios" / "baseline.toml")
    base["nationalities"]["GTM"].pop("base_departures_per_year")
    (tmp_path / "uses.toml").write_text(
        'extends = "calibrated/parameters.toml"\n[period]\nstart = 2016-01-01\nend = 2016-03-31\n'
        '[[origins]]\nnode = "guatemala_city"\nnationality = "GTM"\n'
    )
    scenario = load_scenario(tmp_path / "uses.toml")
    assert scenario.nationalities["GTM"].base_departures_per_year == pytest.approx(fit.values[free[0].path], 1e-5)
    assert scenario.calibration is not None and scenario.calibration.loss == pytest.approx(fit.record.loss)
    assert fragment.read_text().startswith("# Fitted by `corredor calibrate`")


def test_shipped_scenarios_use_the_calibrated_parameters():
    fitted = read_scenario_dict(ROOT / "scenarios" / "calibrated" / "parameters.toml")
    assert fitted["calibration"]["last_observed_year"] <= 2018  # no 2019 outcome sets a parameter
    for name in ("baseline.toml", "history.toml", "comar-staffing.toml"):
        scenario = load_scenario(ROOT / "scenarios" / name)
        assert scenario.calibration is not None
        for nat in ("GTM", "HND", "SLV"):
            expected = fitted["nationalities"][nat]["base_departures_per_year"]
            assert scenario.nationalities[nat].base_departures_per_year == expected
        assert (
            scenario.parameters.asylum.word_of_mouth_per_1000
            == fitted["parameters"]["asylum"]["word_of_mouth_per_1000"]
        )
        assert not [p for p in scenario.policy if p.lever == "asylum_propensity_multiplier"]


def test_naive_forecasts():
    obs = pd.Series([10.0, 20.0, 30.0, 40.0], index=[2013, 2014, 2015, 2016])
    assert naive_forecasts(obs, 2017) == (40.0, pytest.approx(50.0))
    persistence, trend = naive_forecasts(obs, 2015)
    assert persistence == 20.0 and np.isnan(trend)  # only two earlier years


def test_validate_history_writes_report_and_scores_appended_years(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "src" / "corredor" / "data" / "observed", data / "observed")
    shutil.copytree(ROOT / "src" / "corredor" / "data" / "inputs", data / "inputs")
    with (data / "observed" / "comar.csv").open("a") as f:  # a newer row, appended as a user would
        f.write('comar_applicants,MEX,ALL,2019,,70302,"persons, calendar year","source: test row",high,\n')
    report = validate_history(
        HISTORY, tmp_path / "out", scale=200, replicates=2, backtest_years=(2017,), backtest_evaluations=2, folder=data
    )
    names = {p.name for p in report.files}
    assert {"report.md", "metrics.json", "usbp_swb_encounters_fy_GTM.png", "comar_applicants_ALL.png"} <= names
    assert all(p.stat().st_size > 0 for p in report.files)
    ins = report.in_sample
    cbp = ins[ins["series"] == f"{L.CBP}|HND"]
    assert sorted(cbp["year"]) == list(range(2013, 2019))
    assert (cbp["simulated"] > 0).all() and (cbp["p05"] <= cbp["p95"]).all()
    assert ins["pct_error"].abs().lt(500).all()  # sane: within a factor of 6 of every observation
    oos = report.forecasts[report.forecasts["kind"] == "out of sample"]
    assert list(oos["series"]) == [f"{L.COMAR}|ALL"] and list(oos["year"]) == [2019]
    assert oos["persistence_ape"].iloc[0] == pytest.approx(abs(29410 - 70302) / 70302 * 100)
    back = report.forecasts[report.forecasts["kind"] == "backtest"]
    assert set(back["year"]) == {2017} and (back["ape"] >= 0).all()
    assert "## Targets" in report.markdown and "in-sample MAPE" in report.markdown
    assert json.loads((tmp_path / "out" / "metrics.json").read_text())["targets"]


def test_cli_rejects_bad_options(tmp_path):
    for args in (
        ("calibrate", "--scale", "0"),
        ("calibrate", "--only", "no_such_parameter", "--workers", "0"),
        ("validate-history", "--data", tmp_path / "missing"),
        ("validate-history", "--replicates", "0"),
    ):
        outcome = corredor(*args)
        assert outcome.returncode == 2, outcome.output
        assert "Traceback" not in outcome.output
        assert "--" in outcome.output or "unknown free parameter" in outcome.output

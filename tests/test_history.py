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
from corredor.calibration.validate import naive_forecasts, target_table, validate_history
from corredor.observe import fiscal_year
from corredor.scenario import load_scenario, read_scenario_dict

from .cli_utils import corredor

ROOT = Path(__file__).resolve().parents[1]
HISTORY = ROOT / "scenarios" / "history.toml"
SEEDS = (11, 12)


def _totals(results, event: str) -> dict[str, float]:
    """FY2014 and FY2015 totals, and Oct-Apr totals of 2013-14 and 2014-15 (the window of the observed +86 %)."""
    events = results.to_pandas()["events"]
    rows = events[events["event"] == event]
    fy = rows.groupby(fiscal_year(rows["date"]))["value"].sum()
    dates = pd.to_datetime(rows["date"])

    def window(first: str, last: str) -> float:
        return float(rows["value"][(dates >= first) & (dates <= last)].sum())

    return {
        "fy14": float(fy.get(2014, 0.0)),
        "fy15": float(fy.get(2015, 0.0)),
        "oa14": window("2013-10-01", "2014-04-30"),
        "oa15": window("2014-10-01", "2015-04-30"),
    }


@functools.cache
def _pfs_runs(with_pfs: bool) -> dict[str, float]:
    """Mean Mexican (mx_*) and US (us_*) apprehensions, FY2014 / FY2015 and Oct-Apr before / after the programme
    (all simulated nationalities are not Mexican), history from Jan 2013 to Sep 2015 at 1 agent = 100 persons."""
    raw = read_scenario_dict(HISTORY)
    raw["period"] = {"start": dt.date(2013, 1, 1), "end": raw["period"]["end"]}
    if not with_pfs:
        raw["policy"] = [p for p in raw["policy"] if p["lever"] != "mx_enforcement_intensity"]
    scenario = prepare(raw, 100, dt.date(2015, 9, 30))
    out: dict[str, float] = {}
    for seed in SEEDS:
        results = simulate(scenario, seed=seed)
        for prefix, event in (("mx", "apprehension_mx"), ("us", "apprehension_us")):
            for key, value in _totals(results, event).items():
                out[f"{prefix}_{key}"] = out.get(f"{prefix}_{key}", 0.0) + value / len(SEEDS)
    return out


def test_programa_frontera_sur_raises_mexican_apprehensions_and_lowers_us_ones():
    run = _pfs_runs(with_pfs=True)
    # Observed Oct-Apr 2014-15 vs 2013-14: Mexican detentions of Central Americans +86 %, US apprehensions of
    # non-Mexicans -56 % (PARAMETERS.md §2c).
    assert run["mx_oa15"] > 1.3 * run["mx_oa14"]
    assert run["us_oa15"] < 0.95 * run["us_oa14"]
    # The change comes from the programme: without it Mexico catches fewer and the US more.
    base = _pfs_runs(with_pfs=False)
    assert run["mx_oa15"] / run["mx_oa14"] > base["mx_oa15"] / base["mx_oa14"] + 0.2
    assert run["us_oa15"] / run["us_oa14"] < base["us_oa15"] / base["us_oa14"] - 0.05


def test_us_apprehensions_fall_from_fy2014_to_fy2015_as_observed():
    run = _pfs_runs(with_pfs=True)
    assert run["us_fy15"] < 0.95 * run["us_fy14"]  # observed GTM + HND + SLV: -30 %


BACKLOG_SEEDS = tuple(range(1, 33))  # the end-2018 backlog between replicates: SD about 2,900 persons


@functools.cache
def _history_to_2018() -> tuple[tuple[float, int], ...]:
    """(pending files at the end of 2018, emergent caravans formed) of the history at scale 100, per backlog seed."""
    scenario = prepare(read_scenario_dict(HISTORY), 100, dt.date(2018, 12, 31))
    staff = [p for p in scenario.policy if p.lever == "comar_caseworkers" and p.date.year <= 2018]
    assert sum(p.value for p in staff) <= 25  # 21 deciding officials of ~50 staff (ASF audit; PARAMETERS.md §5)
    out = []
    for seed in BACKLOG_SEEDS:
        results = simulate(scenario, seed=seed)
        caravans = results.tables["caravans"]
        out.append((L.statistics(results)[L.key(L.PENDING, "ALL", 2018)], int((caravans["name"] == "emergent").sum())))
    return tuple(out)


@pytest.mark.xfail(
    strict=True,
    reason="the calibrated history ends 2018 with about 39,100 pending (32 seeds, SD about 2,700): the caravans of "
    "late 2018 at their recorded sizes brought it from 36,600 to 41,550, the asylum block re-fitted on them (fewer "
    "applicants in 2017) to 39,550, and Venezuelan applicants as an input with the asylum block re-fitted again "
    "(faster abandonment) to 39,100 (docs/calibration.md, Results)",
)
def test_comar_backlog_passes_40000_by_end_2018():
    """With the sourced ~21 deciding officials and the 2018 inflow, the backlog grows past 40,000 files (observed
    >48,000, Mexico News Daily, Dec 2018, the article that also gives the caravans' 4,721 applications). The
    backlog is scored, not fitted. Strict xfail: it fails now and must be re-marked when a model change makes it
    pass."""
    assert np.mean([pending for pending, _ in _history_to_2018()]) > 40_000


def test_no_crowd_empties_into_emergent_caravans_before_2019():
    """The files pending in Dec 2018 show that stranded applicants had not left en masse: no emergent caravan forms
    in the history through 2018 (an emergent caravan closes its members' files as abandoned)."""
    assert [emergent for _, emergent in _history_to_2018()] == [0] * len(BACKLOG_SEEDS)


def test_the_backlog_is_scored_but_not_fitted():
    """The end-2018 backlog (one press lower bound) is among the observations validate-history scores, and not
    among the targets the fit uses: 27 of the 28 rows of 2013-2018."""
    observed = L.observed(up_to_year=2018)
    observed = observed[observed["year"] >= 2013]
    fitted = L.fitted(observed)
    assert L.PENDING in set(observed["series"]) and L.PENDING not in set(fitted["series"])
    assert len(fitted) == len(observed) - 1 == 27


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


def test_multi_start_fit_is_seeded_and_keeps_the_best_start():
    free = space.find(["GTM.base_departures_per_year", "SLV.base_departures_per_year"])
    raw = read_scenario_dict(HISTORY)
    start = {p.path: 0.3 * space.read(raw, p) for p in free}
    kwargs = dict(free=free, up_to_year=2014, scale=200, replicates=1, start=start)
    fit = calibrate(HISTORY, starts=3, start_seed=5, max_evaluations=18, **kwargs)
    assert "the stage from 3 starting points" in fit.record.method and fit.record.evaluations <= 18
    assert fit.record.loss == pytest.approx(min(fit.history), abs=1e-6)  # the best over every start
    check = calibrate(HISTORY, **{**kwargs, "start": fit.values}, max_evaluations=1)  # the returned values score so
    assert check.record.loss_at_start == pytest.approx(fit.record.loss, abs=1e-6)
    again = calibrate(HISTORY, starts=3, start_seed=5, max_evaluations=18, **kwargs)
    assert again.history == fit.history and again.values == fit.values
    other = calibrate(HISTORY, starts=3, start_seed=6, max_evaluations=18, **kwargs)
    assert other.history[0] == fit.history[0] and other.history != fit.history  # same first start, other points
    short = calibrate(HISTORY, starts=8, max_evaluations=12, **kwargs)  # 12 evaluations: two starts of 6
    assert "from 2 starting points" in short.record.method
    with pytest.raises(ValueError, match="starts must be >= 1"):
        calibrate(HISTORY, starts=0, **kwargs)
    with pytest.raises(ValueError, match="start_seed must be"):
        calibrate(HISTORY, starts=2, start_seed=-1, **kwargs)


def test_a_subset_of_asylum_parameters_gets_its_starts():
    budget = 2 * 2 * (len(space.ASYLUM_BLOCK) + 1)  # two starts of two Jacobians each
    fit = calibrate(
        HISTORY, free=space.ASYLUM_BLOCK, starts=2, up_to_year=2014, scale=400, replicates=1, max_evaluations=budget
    )
    assert "the stage from 2 starting points" in fit.record.method


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


def test_backtest_targets_count_series_years_without_naive_forecasts_as_misses():
    """Three backtest rows: one meets both criteria, one is within 15 % but loses to a naive forecast, one is within
    15 % with no naive forecast to beat. 'Both at once' is 1 of 3, and the row says 1 of the 2 with naive ones."""
    forecasts = pd.DataFrame(
        {"kind": ["backtest"] * 3, "ape": [5.0, 10.0, 12.0], "beats_naive": [True, False, None]},
    )
    targets = target_table(pd.DataFrame(columns=["series", "pct_error"]), forecasts).set_index("target")["value"]
    assert targets["backtest: 1-year-ahead abs. error <= 15 %"] == "100% of 3"
    assert targets["backtest: better than both naive forecasts"] == "50% of 2"
    both = next(v for t, v in targets.items() if t.startswith("backtest: both at once"))
    assert both == "33% of 3 (1 of the 2 with naive)"


def test_validate_history_writes_report_and_scores_appended_years(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "src" / "corredor" / "data" / "observed", data / "observed")
    shutil.copytree(ROOT / "src" / "corredor" / "data" / "inputs", data / "inputs")
    with (data / "observed" / "comar.csv").open("a") as f:  # a newer row, appended as a user would
        f.write('comar_applicants,MEX,ALL,2019,,70302,"persons, calendar year","source: test row",high,\n')
    report = validate_history(
        HISTORY,
        tmp_path / "out",
        scale=200,
        replicates=2,
        backtest_years=(2017,),
        backtest_evaluations=2,
        fit_replicates=1,
        folder=data,
    )
    names = {p.name for p in report.files}
    assert {
        "report.md",
        "metrics.json",
        "usbp_swb_encounters_fy_GTM.png",
        "comar_applicants_ALL.png",
        "unexplained.png",
    } <= names
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
    assert list(report.unexplained["fiscal_year"]) == list(range(2013, 2019))
    ident = report.identification
    assert list(ident["parameter"]) == [p.path for p in space.FREE_PARAMETERS]  # the shipped fit's parameters
    bounded = ident.dropna(subset=["low", "high"])
    assert len(bounded) and ((bounded["low"] <= bounded["value"]) & (bounded["value"] <= bounded["high"])).all()
    assert "## How well the data pin down the fitted parameters" in report.markdown
    assert "## What the model does not explain" in report.markdown and "Correlation of the residual" in report.markdown
    assert json.loads((tmp_path / "out" / "metrics.json").read_text())["targets"]


def test_strict_backtest_refits_every_free_parameter(tmp_path, monkeypatch):
    from corredor.calibration import validate

    refitted = []

    def recording(*args, **kwargs):
        refitted.append(kwargs["free"])
        return calibrate(*args, **kwargs)

    monkeypatch.setattr(validate, "calibrate", recording)
    report = validate_history(
        HISTORY,
        tmp_path,
        scale=400,
        replicates=1,
        backtest_years=(2016,),
        backtest_evaluations=2,
        backtest_refit="all",
        fit_replicates=1,
    )
    assert refitted == [space.FREE_PARAMETERS]
    assert f"all {len(space.FREE_PARAMETERS)} free parameters are re-fitted" in report.markdown
    with pytest.raises(ValueError, match="allowed: flow, all"):
        validate_history(HISTORY, tmp_path, backtest_refit="asylum")


def test_cli_rejects_bad_options(tmp_path):
    for args in (
        ("calibrate", "--scale", "0"),
        ("calibrate", "--starts", "0"),
        ("calibrate", "--start-seed", "-1"),
        ("calibrate", "--only", "no_such_parameter", "--workers", "0"),
        ("validate-history", "--data", tmp_path / "missing"),
        ("validate-history", "--replicates", "0"),
        ("validate-history", "--backtest-refit", "some"),
    ):
        outcome = corredor(*args)
        assert outcome.returncode == 2, outcome.output
        assert "Traceback" not in outcome.output
        named = args[1] if str(args[1]).startswith("--") and args[1] != "--only" else "unknown free parameter"
        assert named in outcome.output, outcome.output


def test_scenarios_starting_after_2012_continue_the_word_of_mouth_of_the_calibrated_history():
    """baseline.toml's word-of-mouth memory by date is the fitted history's (the corridor's applications faded by the
    memory; applicants from outside the corridor do not feed it), within 15 % on every date of its table (a re-fit
    can move it), and the shipped scenarios that start later than the history (the baseline and those extending
    it, the caravan scenario from 1 Jan 2016) start from the history's memory on their first day. Left to the
    fallback (observed applicants before the start), the baseline's would be about 60 % of it."""
    from corredor.engine.inputs import _recent_applicants

    baseline = load_scenario(ROOT / "scenarios" / "baseline.toml")
    caravan = load_scenario(ROOT / "scenarios" / "caravan-oct-2018.toml")
    table = baseline.parameters.asylum.recent_applicants_by_date
    dates = [*table, baseline.period.start, caravan.period.start]
    history = prepare(read_scenario_dict(HISTORY), 100, max(dates) - dt.timedelta(days=1))
    tau = history.parameters.asylum.word_of_mouth_memory_days
    at_start = _recent_applicants(history)
    memory: dict[dt.date, list[float]] = {d: [] for d in dates}
    for seed in range(1, 9):
        results = simulate(history, seed=seed)
        corridor = results.case_columns["nat"] < len(history.nationalities)  # outside applicants do not feed it
        applied = results.case_columns["applied"][corridor]
        for day in dates:
            t = (day - results.start).days
            faded = np.exp(-(t - applied[applied < t]) / tau).sum() * results.scale
            memory[day].append(at_start * np.exp(-t / tau) + faded)
    for day, value in table.items():
        assert value == pytest.approx(np.mean(memory[day]), rel=0.15), day
    for scenario in (baseline, caravan):
        assert _recent_applicants(scenario) == pytest.approx(np.mean(memory[scenario.period.start]), rel=0.15)


def test_comar_applicants_do_not_depend_on_the_scale():
    """Word of mouth remembers the expected applications, so coarse agents do not feed their draws back: at 1 agent =
    100 persons the history's 2018 COMAR applicants vary between seeds by less than 15 % (27 % when the drawn
    applications fed back) and their mean is within 12 % of the mean at 1 agent = 10 persons (25 % above it then)."""

    def applicants_2018(scale: int, seeds: range) -> np.ndarray:
        scenario = prepare(read_scenario_dict(HISTORY), scale, dt.date(2018, 12, 31))
        return np.array([simulate(scenario, seed=s).summary()["comar_applicants"]["2018"] for s in seeds], float)

    coarse, fine = applicants_2018(100, range(1, 9)), applicants_2018(10, range(1, 4))
    assert coarse.std() / coarse.mean() < 0.15
    assert coarse.mean() == pytest.approx(fine.mean(), rel=0.12)


def test_the_fitted_first_day_memory_is_read_and_written_under_its_date():
    """The free parameter `recent_applicants_by_date.2012-01-01` names a date key: parsed TOML holds it as text, a
    parsed scenario as a date; both are read, and written in place (not as a second entry for the same day)."""
    (memory,) = space.find(["recent_applicants_by_date.2012-01-01"])
    for day in ("2012-01-01", dt.date(2012, 1, 1)):
        raw = {"parameters": {"asylum": {"recent_applicants_by_date": {day: 300.0, "2013-01-01": 700.0}}}}
        assert space.read(raw, memory) == 300.0
        space.write(raw, memory, 500.0)
        assert raw["parameters"]["asylum"]["recent_applicants_by_date"] == {day: 500.0, "2013-01-01": 700.0}
    history = prepare(space.with_values(read_scenario_dict(HISTORY), (memory,), [123.0]), 400)
    assert history.parameters.asylum.recent_applicants_by_date[dt.date(2012, 1, 1)] == 123.0

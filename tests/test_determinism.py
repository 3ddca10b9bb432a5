"""Determinism: the same seed gives byte-identical Parquet output; different seeds give different output; the
compiled engine gives the same output as the numpy sub-models."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from corredor import simulate
from corredor.engine import departures, kernels, model, pathways
from corredor.engine.inputs import compile_scenario
from tests.conftest import make_scenario


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_different_seed_different_bytes(tmp_path: Path):
    scenario = make_scenario(start="2018-09-01", end="2018-12-31", scale=20)
    first = simulate(scenario, seed=11).write(tmp_path / "a")
    second = simulate(scenario, seed=11).write(tmp_path / "b")
    other = simulate(scenario, seed=12).write(tmp_path / "c")
    assert _files(first) == _files(second)
    assert _files(first).keys() == {
        "counts.parquet",
        "events.parquet",
        "asylum_cases.parquet",
        "caravans.parquet",
        "summary.json",
    }
    assert _files(first)["counts.parquet"] != _files(other)["counts.parquet"]
    assert _files(first)["events.parquet"] != _files(other)["events.parquet"]


def test_scenario_seed_is_used_when_none_given():
    scenario = make_scenario(end="2016-02-15")
    assert simulate(scenario).seed == scenario.seed


def test_compiled_scenario_reused_gives_the_same_run(tmp_path: Path):
    scenario = make_scenario(start="2018-09-01", end="2018-12-31", scale=20)
    compiled = compile_scenario(scenario)
    plain = simulate(scenario, seed=3).write(tmp_path / "plain")
    reused = [simulate(scenario, seed=3, compiled=compiled).write(tmp_path / f"reused{i}") for i in range(2)]
    assert _files(plain) == _files(reused[0]) == _files(reused[1])


def test_compiled_day_equals_numpy_sub_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A day in one compiled call (`kernels.day`, `kernels.start_journeys`, `kernels.arrive`) gives the same bytes
    as the numpy sub-models used on days with visa or card quotas (forced here on every day, with no quotas, so
    they hand out nothing): the kernels draw the same numbers in the same order. With a cohort (created in numpy on
    its day, before the compiled call), the baseline's caravans of the period, topped up to their recorded sizes, and
    its Venezuelan asylum applicants (created before the compiled call every day)."""
    scenario = make_scenario(
        start="2018-06-01",
        end="2018-12-31",
        scale=20,
        cohorts=[{"date": "2018-07-15", "origin": "san_pedro_sula", "nationality": "HND", "persons": 3000}],
        policy=[
            {"lever": "mx_atd_share", "date": "2018-07-01", "value": 0.4},
            {"lever": "mx_risk_targeting", "date": "2018-08-01", "value": 0.5},
            {"lever": "us_mpp_share", "date": "2018-09-01", "value": 0.3},
            {"lever": "caravan_blocking", "date": "2018-10-01", "value": 0.3},
        ],
    )
    compiled_run = simulate(scenario, seed=5)
    events = compiled_run.to_pandas()["events"]
    cohort_day = events[(events["date"] == "2018-07-15") & (events["event"] == "departure")]
    assert cohort_day.loc[cohort_day["node"] == "san_pedro_sula", "value"].sum() >= 3000  # persons
    # the October caravan is topped up to its recorded count in Chiapas (lowered by blocking), placed at Tapachula
    top_up = events[(events["date"] == "2018-10-22") & (events["event"] == "caravan_join")]
    assert top_up["value"].sum() > 1000
    assert events.loc[events["event"] == "outside_arrival", "value"].sum() > 1000  # 6,259 a year
    compiled = compiled_run.write(tmp_path / "compiled")
    monkeypatch.setattr(pathways, "visas_today", lambda sim: True)
    monkeypatch.setattr(pathways, "cards_today", lambda sim: True)
    numpy_days = simulate(scenario, seed=5).write(tmp_path / "numpy")
    assert _files(compiled) == _files(numpy_days)


def test_kernel_constants_match_the_engine():
    """The compiled kernels use plain ints for states, sub-states and modes; they must be the engine's."""
    from corredor.engine import kernels, state
    from corredor.parameters import MODES

    for s in state.State:
        if hasattr(kernels, s.name):
            assert getattr(kernels, s.name) == int(s), s.name
    assert kernels.N_STATES == state.N_STATES
    for name in ("BORDER_DECIDING", "BORDER_METERING", "BORDER_MPP", "BORDER_EXPELLED", "PENDING_TVRH", "PENDING_TVR"):
        assert getattr(kernels, name) == getattr(state, name), name
    assert (kernels.PENDING_ATD_COMPLETES, kernels.PENDING_ATD_ABANDONS) == (
        state.PENDING_ATD_COMPLETES,
        state.PENDING_ATD_ABANDONS,
    )
    for name in MODES:
        assert getattr(kernels, name.upper()) == MODES.index(name), name
    assert kernels.ARRIVAL_EVENTS[kernels.E_EXTORTION : kernels.E_DEATH + 1] == state_harms()
    assert state.CaseRegister.OUTCOMES.index("recognised") == kernels.CLOSED_RECOGNISED
    assert state.CaseRegister.OUTCOMES.index("rejected") == kernels.CLOSED_REJECTED
    assert state.CaseRegister.OUTCOMES.index("abandoned") == kernels.CLOSED_ABANDONED


def state_harms() -> tuple[str, ...]:
    from corredor.parameters import HARMS

    return tuple(HARMS)


def test_compiled_poisson_gives_numpys_numbers():
    # the daily departures are drawn by numpy's algorithm in a kernel; it must give numpy's numbers and leave the
    # generator where numpy leaves it, for small means (multiplication), around the switch at 10 (where a
    # truncating cast or another log-gamma would differ) and for large means (transformed rejection)
    means = np.concatenate(
        [
            [0.0, 1e-9, 0.5, 9.999999, 10.0, 10.000001, 1e3, 1e6, 1e12],
            np.random.default_rng(1).uniform(0, 30, 100_000),
            np.random.default_rng(2).uniform(10, 11, 100_000),
            np.random.default_rng(3).lognormal(5, 3, 20_000),
        ]
    )
    numpy_rng, kernel_rng = np.random.default_rng(5), np.random.default_rng(5)
    expected = numpy_rng.poisson(means)
    drawn = kernels.departures_today(means[None, :] * 4.0, 0, 4.0, kernel_rng)
    np.testing.assert_array_equal(drawn, expected)
    assert numpy_rng.random() == kernel_rng.random()


def test_departure_rates_that_no_poisson_takes_are_refused():
    rates = np.full((3, 2), 5.0)
    rates[2, 1] = -1.0
    with pytest.raises(ValueError, match=r"origin 'tegucigalpa' on day 2 .* must be finite and >= 0"):
        departures.check_rates(rates, 10.0, ["san_pedro_sula", "tegucigalpa"])
    rates[2, 1] = np.nan
    with pytest.raises(ValueError, match="origin 'tegucigalpa' on day 2"):
        departures.check_rates(rates, 10.0, ["san_pedro_sula", "tegucigalpa"])
    departures.check_rates(np.full((3, 2), 5.0), 10.0, ["san_pedro_sula", "tegucigalpa"])


def test_days_with_more_new_agents_than_the_room_made_give_the_same_run():
    # the compiled day draws its new agents' number after room was made for them; with no room made at all, every
    # day draws, finds too little room, and runs again with the counts drawn: the run must not change
    compiled = compile_scenario(make_scenario(start="2018-10-01", end="2018-11-30", scale=50))
    _, expected = model.run(compiled, seed=4)
    sim = model.new_sim(compiled, seed=4)
    daily = np.zeros_like(expected)
    for day in range(compiled.days):
        sim.day = day
        sim.new_agents_headroom = 0
        model.step(sim)
        daily[day] = sim.agents.count_view()
    np.testing.assert_array_equal(daily, expected)
    assert expected.sum() > 0

"""Asylum applicants from outside the corridor (`[[outside_applicants]]`, e.g. Venezuelans arriving by air): they
apply at their office as many as recorded, enter the model there (persons are conserved), count in COMAR's
applicants and queue with the corridor's applicants, and do not set out from Central America."""

from __future__ import annotations

import numpy as np
import pytest

from corredor import simulate
from tests.conftest import event_total, make_scenario

VEN_2018 = {"nationality": "VEN", "office": "mexico_city", "start": "2018-01-01", "end": "2018-12-31"}


def _run(persons: float, seed: int = 4, **kwargs):
    scenario = make_scenario(
        start="2018-01-01",
        end="2018-12-31",
        scale=20,
        keep_baseline_timeline=False,
        outside_applicants=[{**VEN_2018, "persons": persons}],
        **kwargs,
    )
    return simulate(scenario, seed=seed)


@pytest.fixture(scope="module")
def runs():
    return {"with": _run(20_000), "without": _run(0)}


def test_they_apply_at_their_office_as_many_as_recorded(runs):
    results = runs["with"]
    cases = results.tables["asylum_cases"]
    ven = cases[cases["nationality"] == "VEN"]
    assert set(ven["office"].astype(str)) == {"mexico_city"}
    applied = len(ven) * results.scale
    assert abs(applied - 20_000) < 5 * np.sqrt(20_000 * results.scale)  # rounding at random of 54.8 agents a day
    summary = results.summary()
    assert summary["comar_applicants_by_nationality"]["VEN"]["2018"] == applied
    simulated = sum(v["2018"] for k, v in summary["comar_applicants_by_nationality"].items() if k != "VEN")
    assert summary["comar_applicants"]["2018"] == applied + simulated


def test_they_enter_the_model_without_setting_out(runs):
    results = runs["with"]
    assert event_total(results, "departure", nationality="VEN") == 0
    assert event_total(results, "outside_arrival") == event_total(results, "outside_arrival", nationality="VEN") > 0
    in_states = results.persons_by_state().sum(axis=1).to_numpy()
    np.testing.assert_array_equal(in_states, results.entered())


def test_they_lengthen_the_queue_at_their_office_only(runs):
    offices = {name: run.summary()["asylum_offices"] for name, run in runs.items()}
    # same seed: the corridor's applicants are close, and Mexico City's files wait longer with 20,000 more
    city = {name: o["mexico_city"] for name, o in offices.items()}
    assert city["with"]["pending_at_end"] > city["without"]["pending_at_end"] + 10_000
    assert city["with"]["mean_wait_days"] > city["without"]["mean_wait_days"]
    tapachula = {name: o["tapachula"]["applications"] for name, o in offices.items()}
    assert abs(tapachula["with"] - tapachula["without"]) < 0.15 * tapachula["without"]
    # a planner's reading of the year: the files open on 31 Dec over the year's decisions
    year = {name: run.summary()["asylum_offices_by_year"]["mexico_city"]["2018"] for name, run in runs.items()}
    for figures in year.values():
        assert figures["decided_in_year"] > 0
        expected = figures["pending_at_year_end"] / figures["decided_in_year"]
        assert figures["years_to_clear_at_year_pace"] == pytest.approx(expected, abs=0.006)
    assert year["with"]["years_to_clear_at_year_pace"] > year["without"]["years_to_clear_at_year_pace"] + 5


def test_nobody_applies_at_a_closed_office():
    closed = [{"date": "2018-01-01", "lever": "comar_office_open", "target": "mexico_city", "value": 0}]
    results = _run(20_000, policy=closed)
    cases = results.tables["asylum_cases"]
    assert not (cases["nationality"] == "VEN").any()
    assert event_total(results, "outside_arrival") == 0


def test_those_who_leave_the_queue_go_north_from_their_office():
    """Each applicant from outside the corridor has a route that starts at her office, drawn among that office's
    routes (with two offices, neither takes the other's), and those who abandon travel on along it."""
    from corredor.engine import model
    from corredor.engine.inputs import compile_scenario

    scenario = make_scenario(
        start="2018-01-01",
        end="2018-03-31",
        scale=20,
        keep_baseline_timeline=False,
        outside_applicants=[
            {**VEN_2018, "office": "tapachula", "persons": 20_000},
            {**VEN_2018, "nationality": "CUB", "persons": 20_000},
        ],
        parameters={"asylum": {"abandonment_mean_days": 5}},
    )
    compiled = compile_scenario(scenario)
    sim, _ = model.run(compiled, seed=2)
    agents = sim.agents
    routes = compiled.routes
    for nationality, office in (("VEN", "tapachula"), ("CUB", "mexico_city")):
        mine = np.flatnonzero(agents.nat[: agents.count] == compiled.nationalities.index(nationality))
        assert len(mine) > 100
        first_nodes = routes.nodes[agents.route[mine], 0]
        assert set(first_nodes.tolist()) == {compiled.network.index(office)}, nationality
        assert len(set(agents.route[mine].tolist())) > 1  # drawn among the office's routes
        assert (agents.step[mine] > 0).mean() > 0.5  # most abandoned within days and travelled on


def test_entries_that_do_not_act_as_they_read_are_noted():
    from corredor.scenario import input_notes

    scenario = make_scenario(
        start="2018-01-01",
        end="2018-12-31",
        keep_baseline_timeline=False,
        outside_applicants=[
            {**VEN_2018, "start": "2017-07-01", "end": "2018-06-30", "persons": 3650},
            {**VEN_2018, "persons": 0},
        ],
    )
    notes = dict(input_notes(scenario))
    assert notes["outside_applicants[0]"] == (
        "184 of its 365 days fall outside the period 2018-01-01 to 2018-12-31: about 1,810 of its 3,650 persons"
        " apply in this run"
    )
    assert notes["outside_applicants[1]"] == "0 persons: it has no effect in this run"


def test_an_office_closed_on_some_of_their_days_is_noted():
    from corredor.scenario import input_notes

    closed = [{"date": "2018-07-01", "lever": "comar_office_open", "target": "mexico_city", "value": 0}]
    scenario = make_scenario(
        start="2018-01-01",
        end="2018-12-31",
        keep_baseline_timeline=False,
        policy=closed,
        outside_applicants=[{**VEN_2018, "persons": 3650}],
    )
    notes = dict(input_notes(scenario))
    assert notes["outside_applicants[0]"] == (
        "the COMAR office at 'mexico_city' is closed on 184 of this entry's 365 days in the period"
        " (comar_office_open): about 1,840 of its persons do not apply"
    )

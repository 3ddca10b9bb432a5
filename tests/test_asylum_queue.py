"""The COMAR office queue against queueing theory: with constant (Poisson) arrivals and constant staff, the mean
time from application to decision matches the M/M/c result (Erlang C, `corredor.staffing`) within 5%, at scale 1
and, with caseworkers in teams, at scale 10; and the staffing rule when caseworkers are taken off and brought back."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from corredor import simulate
from corredor.engine import kernels
from corredor.engine.asylum import Offices
from corredor.engine.state import Agents, CaseRegister, State
from corredor.scenario import parse_scenario
from corredor.staffing import mean_time_to_decision as queue_mean_time

MMC = Path(__file__).parent / "data" / "mmc"


def mmc_scenario(arrivals_per_day: float, servers: int, decisions_per_server_day: float, scale: int = 1) -> dict:
    return {
        "name": "mmc",
        "period": {"start": "2000-01-01", "end": "2013-09-26"},  # 5,018 days
        "scale": scale,
        "network": "data/mmc",
        "nationalities": {"GTM": {"base_departures_per_year": arrivals_per_day * 365.25}},
        "origins": [{"node": "home", "nationality": "GTM"}],
        "policy": [{"date": "2000-01-01", "lever": "comar_caseworkers", "target": "office", "value": servers}],
        "parameters": {
            "departures": {"seasonality": [1.0] * 12},
            "hazards": {
                "extortion_per_1000km": 0,
                "kidnapping_per_1000km": 0,
                "assault_per_1000km": 0,
                "death_per_1000km": 0,
            },
            "enforcement": {"detection_per_node": 0},
            "choice": {"legal_take_up": 0},
            "border": {"us_reattempt_probability": 0},  # no second applications from people sent home
            "asylum": {
                "application_propensity": {"GTM": 1.0},
                "abandonment_mean_days": 36500,
                "productivity_cases_per_year": decisions_per_server_day * 365.25,
                "persons_per_case": 1.0,
            },
        },
    }


def mean_time_to_decision(scenario_data: dict) -> float:
    """Mean application-to-decision time (days) over 4 seeds, after a 300-day warm-up."""
    scenario = parse_scenario(scenario_data, "mmc", Path(__file__).parent)
    waits = []
    for seed in range(4):
        cases = simulate(scenario, seed=seed).to_pandas()["asylum_cases"]
        steady = cases[(cases["applied_day"] > 300) & cases["outcome"].isin(["recognised", "rejected"])]
        waits.append(steady["wait_days"].to_numpy())
    return float(np.concatenate(waits).mean())


def test_mean_time_to_decision_matches_erlang_c():
    # Utilisation 0.6: the mean over 4 runs of ~9,000 decisions each has a relative spread of ~1.2% (checked
    # against a direct M/M/3 simulation), so the 5% tolerance tests the queue, not luck.
    arrivals, servers, mu = 1.8, 3, 1.0
    simulated = mean_time_to_decision(mmc_scenario(arrivals, servers, mu))
    expected = queue_mean_time(arrivals, mu, servers)
    assert abs(simulated - expected) / expected < 0.05, (simulated, expected)


def test_at_scale_k_caseworkers_decide_in_teams():
    # 30 caseworkers deciding 1 person a day each, 18 applicants a day. At scale 10 (1.8 agents a day) they form
    # 3 teams of 10, each deciding one agent (10 persons) a day: an M/M/3 queue of agents with mu = 1, the case
    # above. Were each agent decided by one caseworker in 10 days (30 servers, mu = 0.1), the mean would be ~10 days.
    simulated = mean_time_to_decision(mmc_scenario(18.0, 30, 1.0, scale=10))
    expected = queue_mean_time(1.8, 1.0, 3)
    assert abs(simulated - expected) / expected < 0.05, (simulated, expected)


def _serve_day(offices, cases, agents, staff: int, day: int, rng) -> None:
    kernels.serve_asylum(
        offices.kernel_arrays(),
        (cases.agent, cases.office, cases.applied, cases.started, np.array([cases.n], dtype=np.int64)),
        np.array([float(staff)]),
        10.0,  # mean service, days
        1.0,  # scale: one person per agent
        float(day),
        agents.kernel_arrays(),
        rng,
    )


def test_caseworker_taken_off_while_busy_finishes_her_case_and_is_free_only_after_it():
    # One office, three applicants in order. Day 0: two caseworkers start on the first two files (their end times
    # are then set to 5.5 and 7.5). Day 1: one caseworker is taken off, the one free latest; her file still ends at
    # 7.5. Day 2: she is back, but free only at 7.5, so the third applicant waits for the first free caseworker
    # (5.5, on day 5). The caseworker busy latest, taken off and brought back after her file ended, is free from the
    # start of that day.
    agents = Agents(n_nodes=1, n_nats=1)
    people = agents.add(3, np.zeros(3, dtype=np.int64), np.zeros(3, dtype=np.int64), np.zeros(3, dtype=np.int64), 0)
    agents.move(people, State.ASYLUM_QUEUE)
    agents.t_next[people] = 1e9  # nobody abandons
    cases = CaseRegister()
    agents.case[people] = cases.open(
        np.zeros(3, dtype=np.int64), np.zeros(3), np.array([0.0, 0.1, 0.2]), people, np.zeros(3)
    )
    offices = Offices(np.array([0]), max_staff=2)
    offices.reserve(cases.n)
    rng = np.random.default_rng(3)
    _serve_day(offices, cases, agents, 2, 0, rng)
    assert cases.started[:2].tolist() == [0.0, 0.1] and np.isnan(cases.started[2])
    offices.free_at[0, :2] = agents.t_next[people[:2]] = [5.5, 7.5]
    _serve_day(offices, cases, agents, 1, 1, rng)
    assert offices.free_at[0, : offices.n_free[0]].tolist() == [5.5]
    assert offices.retired[0, : offices.n_retired[0]].tolist() == [7.5]
    _serve_day(offices, cases, agents, 2, 2, rng)
    assert sorted(offices.free_at[0, : offices.n_free[0]].tolist()) == [5.5, 7.5] and offices.n_retired[0] == 0
    assert np.isnan(cases.started[2])  # nobody free before the end of day 2
    _serve_day(offices, cases, agents, 2, 5, rng)
    assert cases.started[2] == 5.5  # the first caseworker to be free takes the third file
    assert offices.size[0] == 0
    third = float(agents.t_next[people[2]])  # when the third file ends
    assert third > 7.5 and offices.free_at[0, : offices.n_free[0]].tolist() == [third, 7.5]
    _serve_day(offices, cases, agents, 1, 6, rng)  # the one busy latest is taken off again...
    assert offices.retired[0, : offices.n_retired[0]].tolist() == [third]
    back = int(np.ceil(third))
    _serve_day(offices, cases, agents, 2, back, rng)  # ...and back after that file ended: free from the day's start
    assert sorted(offices.free_at[0, : offices.n_free[0]].tolist()) == [7.5, float(back)]
    assert offices.n_retired[0] == 0


def _short_run(servers: int):
    data = mmc_scenario(2.0, servers, 1.0)
    data["period"] = {"start": "2000-01-01", "end": "2000-12-31"}
    return simulate(parse_scenario(data, "mmc", Path(__file__).parent), seed=1)


def test_files_left_waiting_past_the_deadline_count_as_late():
    """An office that decides nothing has decided none of its files in time: share 0, not 'no decided files'."""
    from corredor.experiments.outcomes import standard_outcomes

    results = _short_run(servers=0)
    office = results.summary()["asylum_offices"]["office"]
    assert office["decisions"] == 0 and office["pending_at_end"] > 500
    assert office["share_decided_within_deadline"] == 0.0
    assert standard_outcomes(results)["asylum_within_deadline.office"] == 0.0


def test_deadline_status_of_each_file():
    """Among the files that applied at least 45 working days before the end: in time iff decided within 45 working
    days, else late (decided later, or still pending); files that applied later are not counted, quickly decided or
    not. The summary, the experiments' outcome and the table all read the same status."""
    from corredor.experiments.outcomes import standard_outcomes

    results = _short_run(servers=1)  # 2 applicants a day, 1 decision a day: the queue grows all year
    cases = results.tables["asylum_cases"]
    status = cases["decided_within_deadline"]
    decided = cases["outcome"].isin(["recognised", "rejected"]).to_numpy()
    end = np.datetime64(results.start) + np.timedelta64(results.days, "D")
    age = np.busday_count(cases["applied_date"].to_numpy().astype("datetime64[D]"), end)
    old = age > 45
    assert (decided & old).sum() > 100 and (~decided & old).sum() > 100 and (~old).sum() > 50
    in_time = (cases["wait_working_days"] <= 45).to_numpy()
    assert (status[decided & old].to_numpy(dtype=bool) == in_time[decided & old]).all()
    pending = (cases["outcome"] == "pending").to_numpy()
    assert (status[pending & old] == False).all()  # noqa: E712 (a nullable boolean column)
    assert status[~old].isna().all()
    share = results.summary()["asylum_offices"]["office"]["share_decided_within_deadline"]
    assert share == round(float(status.dropna().astype(bool).mean()), 4)
    assert standard_outcomes(results)["asylum_within_deadline.office"] == status.dropna().astype(bool).mean()
    # Counting decided files only would call this office's service better than it is.
    assert share < in_time[decided].mean()


def test_time_waited_counts_pending_files_so_far():
    """The time waited of a decided file is its wait; a pending file has waited from its application to the end of
    the run. More caseworkers shorten the mean time waited of all files (the mean wait of decided files can rise
    instead, when the extra caseworkers decide old files that would have stayed pending)."""
    from corredor.experiments.outcomes import standard_outcomes

    slow, fast = _short_run(servers=1), _short_run(servers=3)
    cases = slow.tables["asylum_cases"]
    waited = slow.time_waited_working_days
    decided = cases["outcome"].isin(["recognised", "rejected"]).to_numpy()
    assert np.array_equal(waited[decided], cases["wait_working_days"].to_numpy()[decided])
    pending = (cases["outcome"] == "pending").to_numpy()
    end = np.datetime64(slow.start) + np.timedelta64(slow.days, "D")
    applied = cases["applied_date"].to_numpy().astype("datetime64[D]")
    assert np.array_equal(waited[pending], np.busday_count(applied[pending], end).astype(float))
    all_slow, all_fast = (standard_outcomes(r)["asylum_time_waited_working_days.office"] for r in (slow, fast))
    assert all_fast < all_slow


def test_office_figures_by_year_add_up_and_count_files_open_at_each_year_end():
    """summary.json's asylum_offices_by_year over two years: the years' applications add up to the office's total,
    the persons pending on 31 Dec 2001 are those pending at the end, and those pending on 31 Dec 2000 are the files
    applied by then and closed later (or never), read from asylum_cases."""
    data = mmc_scenario(2.0, 1, 1.0)
    data["period"] = {"start": "2000-01-01", "end": "2001-12-31"}
    results = simulate(parse_scenario(data, "mmc", Path(__file__).parent), seed=2)
    summary = results.summary()
    office, by_year = summary["asylum_offices"]["office"], summary["asylum_offices_by_year"]["office"]
    assert list(by_year) == ["2000", "2001"]
    assert sum(year["applications"] for year in by_year.values()) == office["applications"]
    assert by_year["2001"]["pending_at_year_end"] == office["pending_at_end"]
    cases = results.tables["asylum_cases"]
    first_year_end = 366  # day 0 is 1 Jan 2000, a leap year: the end of 31 Dec 2000
    open_then = (cases["applied_day"] < first_year_end) & ~(cases["closed_day"] < first_year_end)
    assert by_year["2000"]["pending_at_year_end"] == int(cases.loc[open_then, "persons"].sum())
    assert 0 < by_year["2000"]["pending_at_year_end"] < by_year["2001"]["pending_at_year_end"]  # the queue grows
    late = by_year["2001"]["mean_time_waited_working_days"]
    assert late is not None and late > 0

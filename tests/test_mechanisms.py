"""Mechanisms of single sub-models on real runs: metering lists, caravans, risk-managed enforcement, departures."""

from __future__ import annotations

from corredor import Results, simulate
from corredor.engine.state import State
from tests.conftest import event_total, make_scenario


def _waiting_at_border(results: Results) -> float:
    """Mean persons in northern border cities while metering is on (May-August 2018)."""
    return float(results.persons_by_state().loc["2018-05-01":"2018-08-31", "at_border"].mean())


def test_metering_builds_waiting_lists_that_empty_when_it_ends():
    metering = [{"date": "2018-04-01", "until": "2018-08-31", "lever": "us_metering_intake_per_day", "value": 5.0}]
    period = {"start": "2018-01-01", "end": "2018-10-31", "scale": 10, "keep_baseline_timeline": False}
    plain = make_scenario(**period)
    metered = make_scenario(**period, policy=metering)
    with_lists = simulate(metered, seed=5)
    assert _waiting_at_border(with_lists) > 1.2 * _waiting_at_border(simulate(plain, seed=5))
    # After metering ends every listed person is taken in: nobody is left on a list.
    sim_state = with_lists.persons_by_state()
    assert sim_state.loc["2018-10-31", "at_border"] < sim_state.loc["2018-08-31", "at_border"]


def test_caravans_have_distinct_numbers_and_grow_from_joiners():
    caravans = [{"date": "2018-10-13", "origin": "san_pedro_sula", "size": 1000.0, "nationality": "HND"}]
    parameters = {"caravans": {"emergent_threshold_persons": 50.0, "emergent_cooldown_days": 30}}
    scenario = make_scenario(start="2018-09-01", end="2018-12-31", scale=5, caravans=caravans, parameters=parameters)
    results = simulate(scenario, seed=2)
    table = results.to_pandas()["caravans"]
    assert table["caravan"].is_unique
    assert "emergent" in set(table["name"])
    joined = event_total(results, "caravan_join", nationality="HND")
    assert joined > 1000  # people setting out while the caravan forms join it


def test_a_caravan_is_topped_up_to_its_recorded_size_where_its_members_are():
    october = {"date": "2018-10-13", "origin": "san_pedro_sula", "size": 1000.0, "nationality": "HND"}
    period = {"start": "2018-09-01", "end": "2018-11-30", "scale": 10, "keep_baseline_timeline": False}
    counted = {**october, "recorded_sizes": {"2018-10-22": 7200.0, "2018-10-30": 50.0}}
    plain = simulate(make_scenario(**period, caravans=[october]), seed=4)
    grown = simulate(make_scenario(**period, caravans=[counted]), seed=4)
    events = grown.to_pandas()["events"]
    joins = events[events["event"] == "caravan_join"]
    on_the_day = joins[joins["date"] == "2018-10-22"]
    # nine days out, the model's caravan is far below 7,200 (its window joiners are ~2,000 at most): the rest join,
    # on the road where its members are (spread out: members who joined from other origins set out later), not at
    # the caravan's origin
    assert on_the_day["value"].sum() > 3000
    at_origin = on_the_day.loc[on_the_day["node"] == "san_pedro_sula", "value"].sum()
    assert at_origin < 0.05 * on_the_day["value"].sum()
    assert set(on_the_day["nationality"]) == {"HND"}
    # the caravan's row says how many were topped up (the day is past its join window: they are all the day's joins)
    (row,) = [c for c in grown.summary()["caravans"] if c["date"] == "2018-10-13"]
    assert row["topped_up"] == on_the_day["value"].sum()
    assert grown.tables["caravans"]["topped_up"].sum() == row["topped_up"]
    # they are people who set out because of it: every agent, joiners included, is one departure
    assert grown.meta["agents"] * grown.scale == event_total(grown, "departure")
    # a count below the caravan's size adds nobody (30 Oct, after the join window)
    assert joins[joins["date"] == "2018-10-30"]["value"].sum() == 0
    assert event_total(plain, "caravan_join", date="2018-10-22") == 0
    # the case register says who applied while in a caravan, so caravan members' waits can be read apart
    cases = grown.to_pandas()["asylum_cases"]
    in_caravan = float(cases.loc[cases["mode"] == "caravan", "persons"].sum())
    assert in_caravan == event_total(grown, "asylum_application", mode="caravan") > 0
    by_mode = grown.summary()["asylum_by_mode"]
    assert by_mode["caravan"]["applications"] == in_caravan
    assert sum(m["applications"] for m in by_mode.values()) == cases["persons"].sum()
    # told where the count was made, the joiners reach that node today, and its COMAR office takes their applications
    placed = {**counted, "recorded_at": {"2018-10-22": "tapachula"}}
    at_tapachula = simulate(make_scenario(**period, caravans=[placed]), seed=4)

    def applied_in_caravan(results: Results) -> float:
        return event_total(results, "asylum_application", date="2018-10-22", node="tapachula", mode="caravan")

    assert applied_in_caravan(at_tapachula) > 200 + 5 * applied_in_caravan(grown)
    # a scenario that blocks caravans at the southern border tops up only to the share blocking leaves of history's
    # count made in Mexico: blocking would otherwise add people instead of removing them
    block = [{"date": "2018-10-01", "lever": "caravan_blocking", "value": 0.8}]
    blocked = simulate(make_scenario(**period, caravans=[placed], policy=block), seed=4)
    assert event_total(blocked, "caravan_join", date="2018-10-22") <= 0.2 * 7200
    (row,) = [c for c in blocked.summary()["caravans"] if c["date"] == "2018-10-13"]
    count = row["recorded_counts"][0]  # what the run did with the count, for `corredor run` to say
    assert (count["date"], count["recorded"], count["target"]) == ("2018-10-22", 7200, 1440)
    assert count["added"] == event_total(blocked, "caravan_join", date="2018-10-22")
    # a count made before the border (Tecun Uman, Guatemala) stands under blocking
    before = {**counted, "recorded_at": {"2018-10-22": "tecun_uman"}}
    blocked_before = simulate(make_scenario(**period, caravans=[before], policy=block), seed=4)
    assert event_total(blocked_before, "caravan_join", date="2018-10-22") > 3000


def test_risk_managed_enforcement_cuts_smuggling_and_detention():
    def posture(intensity: float, targeting: float):
        policy = [
            {"date": "2016-01-01", "lever": "mx_enforcement_intensity", "value": intensity},
            {"date": "2016-01-01", "lever": "mx_risk_targeting", "value": targeting},
        ]
        return make_scenario(start="2016-01-01", end="2016-09-30", scale=25, policy=policy)

    blanket = simulate(posture(1.8, 0.0), seed=3)
    managed = simulate(posture(1.0, 0.8), seed=3)

    def share(results: Results) -> float:
        return event_total(results, "journey_start", mode="smuggled") / event_total(results, "journey_start")

    assert share(managed) < share(blanket) - 0.05
    assert event_total(managed, "apprehension_mx") < 0.7 * event_total(blanket, "apprehension_mx")
    assert event_total(managed, "regularised_mx") > 0
    # the analysts' outcome table shows them next to the (fewer) apprehensions, not hidden in events.parquet
    from corredor.experiments.outcomes import standard_outcomes

    assert standard_outcomes(managed)["regularised_mx"] == event_total(managed, "regularised_mx")
    assert event_total(blanket, "regularised_mx") == 0


def test_nobody_waits_in_a_state_without_a_next_event():
    results = simulate(make_scenario(start="2018-01-01", end="2018-12-31", scale=20), seed=9)
    final = results.daily[-1].sum(axis=(0, 2))
    assert final[State.EN_ROUTE] > 0  # people are still travelling at the end, as they should
    assert results.entered()[-1] == final.sum() * results.scale


def _most_in_service(cases, office: str) -> int:
    mine = cases[(cases["office"] == office) & cases["started_day"].notna()]
    changes = sorted(
        [(t, 1) for t in mine["started_day"]] + [(t, -1) for t in mine["closed_day"].dropna()],
        key=lambda change: (change[0], change[1]),
    )
    busy = most = 0
    for _, step in changes:
        busy += step
        most = max(most, busy)
    return most


def test_a_dip_in_caseworkers_never_leaves_more_cases_in_service_than_caseworkers():
    policy = [
        {"date": "2018-01-01", "lever": "comar_caseworkers", "target": "tapachula", "value": 5.0},
        {"date": "2018-03-01", "until": "2018-03-01", "lever": "comar_caseworkers", "target": "tapachula", "value": 0},
    ]
    results = simulate(make_scenario(start="2018-01-01", end="2018-05-31", scale=5, policy=policy), seed=4)
    assert _most_in_service(results.to_pandas()["asylum_cases"], "tapachula") <= 5


def test_departure_time_events_carry_the_mode_of_the_journey():
    caravans = [{"date": "2018-10-13", "origin": "san_pedro_sula", "size": 1000.0, "nationality": "HND"}]
    results = simulate(make_scenario(start="2018-10-01", end="2018-11-15", scale=10, caravans=caravans), seed=1)
    events = results.to_pandas()["events"]
    for name in ("caravan_departure", "caravan_join"):
        modes = set(events.loc[events["event"] == name, "mode"].astype(str))
        assert modes == {"caravan"}, (name, modes)
    departures = events[events["event"] == "departure"].groupby("mode", observed=True)["value"].sum()
    assert departures.get("smuggled", 0) > 0

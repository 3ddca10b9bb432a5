"""Every policy lever moves its main outcome in the documented direction (replicated small runs), the new levers
keep persons conserved, and `corredor.levers` builds and validates lever sets from Python."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corredor import Results, simulate
from corredor.engine.inputs import compile_scenario
from corredor.engine.state import State
from corredor.levers import policy_entry, with_levers, with_parameters
from corredor.network import load_default_network
from corredor.scenario import LEVERS, ScenarioError
from tests.conftest import event_total, make_scenario, replicate_mean

SEEDS = range(3)
NORTHERN_TRIANGLE = ("GTM", "HND", "SLV")


def _levers(values: dict, date: str = "2016-01-01", **kwargs):
    """The half-year test scenario (2016, 1 agent = 50 persons) with a lever set applied through the Python API."""
    return with_levers(make_scenario(**kwargs), values, date=date)


def _runs(scenario, seeds: range = SEEDS) -> list[Results]:
    return [simulate(scenario, seed=s) for s in seeds]


def _mean(runs: list[Results], measure) -> float:
    return float(np.mean([measure(r) for r in runs]))


def _total(event: str, **where: str):
    return lambda results: event_total(results, event, **where)


def _person_days(results: Results, state: State) -> float:
    return float(results.daily[:, :, state, :].sum()) * results.scale


def test_work_visa_eligibility_limits_who_gets_mexican_work_visas():
    quota = {nat: 40000.0 for nat in NORTHERN_TRIANGLE}
    everyone = _runs(_levers({"mx_work_visa_quota": quota}))
    few = _runs(_levers({"mx_work_visa_quota": quota, "mx_work_visa_eligibility": {"HND": 0.1}}))
    hnd, gtm = _total("legal_pathway_mx", nationality="HND"), _total("legal_pathway_mx", nationality="GTM")
    assert _mean(few, hnd) < 0.3 * _mean(everyone, hnd)
    assert _mean(few, gtm) == pytest.approx(_mean(everyone, gtm), rel=0.1)


def test_humanitarian_cards_cut_apprehensions_and_eligibility_limits_them():
    quota = {"mx_humanitarian_card_quota": {nat: 30000.0 for nat in NORTHERN_TRIANGLE}}
    cards = _runs(_levers(quota))
    narrow = _levers({**quota, "mx_humanitarian_card_eligibility": 0.2})
    assert _mean(cards, _total("apprehension_mx")) < 0.85 * replicate_mean(
        make_scenario(), SEEDS, _total("apprehension_mx")
    )
    assert replicate_mean(narrow, SEEDS, _total("humanitarian_card_mx")) < 0.5 * _mean(
        cards, _total("humanitarian_card_mx")
    )


def test_regional_visitor_cards_go_to_eligible_nationalities_and_keep_people_south():
    tvr = _levers({"mx_regional_card_quota": {nat: 30000.0 for nat in NORTHERN_TRIANGLE}})
    runs = _runs(tvr)
    # Default eligibility (parameters.pathways.regional_card_eligibility): Guatemalans, not Hondurans.
    assert all(event_total(r, "regional_card_mx", nationality="GTM") > 5000 for r in runs)
    assert all(event_total(r, "regional_card_mx", nationality="HND") == 0 for r in runs)
    gtm_north = _total("arrival_border", nationality="GTM")
    assert _mean(runs, gtm_north) < 0.9 * replicate_mean(make_scenario(), SEEDS, gtm_north)
    opened = with_levers(tvr, {"mx_regional_card_eligibility": {"HND": 1.0}}, date="2016-01-01")
    assert replicate_mean(opened, SEEDS, _total("regional_card_mx", nationality="HND")) > 5000


def test_card_processing_time_keeps_applicants_waiting_at_the_southern_border():
    quota = {"mx_humanitarian_card_quota": {nat: 30000.0 for nat in NORTHERN_TRIANGLE}}
    fast, slow = _levers(quota), _levers({**quota, "mx_card_processing_days": 15.0})
    network = load_default_network()
    crossings = set(network.nodes_of_kind("border_crossing_south").tolist())

    def mean_card_day(results: Results) -> float:
        events = results.to_pandas()["events"]
        cards = events[events["event"] == "humanitarian_card_mx"]
        return float(np.average((cards["date"] - pd.Timestamp(results.start)).dt.days, weights=cards["value"]))

    for seed in SEEDS[:2]:
        quick, waited = simulate(fast, seed=seed), simulate(slow, seed=seed)
        assert _person_days(quick, State.PENDING_MX) == 0
        pending = waited.daily[:, :, State.PENDING_MX, :].sum(axis=(0, 2))
        assert pending.sum() * waited.scale > 30000 * 15 * 0.5  # ~cards x days waited (quota is per year)
        assert set(np.flatnonzero(pending).tolist()) <= crossings
        assert mean_card_day(waited) == pytest.approx(mean_card_day(quick) + 15, abs=4)
        assert event_total(waited, "card_application_mx") >= event_total(waited, "humanitarian_card_mx") > 0


def test_alternatives_to_detention_replace_detention_and_deportation():
    plain, atd = _runs(make_scenario()), _runs(_levers({"mx_atd_share": 0.8}))
    assert _mean(atd, _total("deportation_mx")) < 0.4 * _mean(plain, _total("deportation_mx"))
    detained = lambda r: _person_days(r, State.DETAINED_MX)  # noqa: E731
    settled = lambda r: _person_days(r, State.LEGAL_MX)  # noqa: E731
    assert _mean(atd, detained) < 0.4 * _mean(plain, detained)
    assert _mean(atd, settled) > _mean(plain, settled)
    # Apprehensions are still counted (INM "presentados"): ATD changes what follows them.
    assert _mean(atd, _total("apprehension_mx")) == pytest.approx(_mean(plain, _total("apprehension_mx")), rel=0.1)

    def abandoned_share(results: Results) -> float:
        ended = sum(event_total(results, e) for e in ("atd_abandoned", "atd_regularised", "atd_returned"))
        return event_total(results, "atd_abandoned") / ended

    loyal = with_parameters(_levers({"mx_atd_share": 0.8}), {"enforcement.atd_abandonment_mean_days": 1000.0})
    assert replicate_mean(loyal, SEEDS, abandoned_share) < _mean(atd, abandoned_share) - 0.2


def test_us_port_release_share_releases_more_asylum_seekers_at_ports():
    # most arrivals ask for asylum at a port, so that the ports' processing is not lost in the noise of the
    # between-port apprehensions, whose removals the lever does not touch
    def at_ports(share: float):
        return with_parameters(_levers({"us_port_release_share": share}), {"border.port_asylum_share": 0.9})

    strict, open_ = _runs(at_ports(0.1)), _runs(at_ports(0.9))
    assert _mean(open_, _total("release_us")) > _mean(strict, _total("release_us"))
    assert _mean(open_, _total("removal_us")) < 0.95 * _mean(strict, _total("removal_us"))


def test_us_mpp_and_title42_return_people_to_mexico_instead_of_releasing_them():
    released = _mean(_runs(make_scenario()), _total("release_us"))
    for lever, event in (("us_mpp_share", "mpp_return"), ("us_title42_share", "title42_expulsion")):
        runs = _runs(_levers({lever: 0.6, "us_release_share": 0.2}))
        assert _mean(runs, _total(event)) > 1000
        assert _mean(runs, _total("release_us")) < released


def test_more_shelter_beds_turn_fewer_people_away():
    hubs = load_default_network()
    beds = {hubs.node_ids[i]: 3000.0 for i in hubs.nodes_of_kind("shelter_hub")}
    plain, more = _runs(make_scenario()), _runs(_levers({"shelter_capacity": beds}))
    assert _mean(more, _total("shelter_turned_away")) < 0.5 * _mean(plain, _total("shelter_turned_away"))
    assert _mean(more, _total("shelter_stay")) > _mean(plain, _total("shelter_stay"))


def test_beds_given_to_a_node_that_is_not_a_shelter_hub_are_used():
    """Tapachula and Mexico City have shelters though their node kind is asylum_office: beds a scenario gives them
    take people in (they used to do nothing)."""
    plain = _runs(make_scenario())
    beds = _runs(_levers({"shelter_capacity": {"tapachula": 500.0, "mexico_city": 100.0}}))
    for node in ("tapachula", "mexico_city"):
        assert _mean(plain, _total("shelter_stay", node=node)) == 0
        assert _mean(beds, _total("shelter_stay", node=node)) > 0


def test_a_node_with_beds_for_part_of_the_run_turns_nobody_away_on_its_other_days():
    """Beds at Tapachula for March only: outside March nobody is turned away there (the node is no shelter then)."""
    scenario = with_levers(make_scenario(), {"shelter_capacity": {"tapachula": 500.0}}, "2016-03-01", "2016-03-31")
    runs = _runs(scenario, range(1))
    events = runs[0].to_pandas()["events"]
    here = events[(events["node"] == "tapachula") & events["event"].isin(["shelter_stay", "shelter_turned_away"])]
    months = pd.to_datetime(here["date"]).dt.month
    assert here.loc[months == 3, "value"].sum() > 0
    assert set(months) == {3}


def test_a_closed_comar_office_takes_no_applications():
    closed = _levers({"comar_office_open": {"tapachula": 0.0}})
    assert replicate_mean(closed, SEEDS[:1], _total("asylum_application", node="tapachula")) == 0
    assert replicate_mean(make_scenario(), SEEDS[:1], _total("asylum_application", node="tapachula")) > 0


CARAVAN_2016 = [{"date": "2016-02-01", "origin": "san_pedro_sula", "size": 3000.0, "nationality": "HND"}]


@pytest.mark.parametrize(
    ("values_low", "values_high", "event", "up"),
    [
        ({"train_use": 0.0}, {"train_use": 0.9}, "arrival_border:alone", True),  # trains are faster than walking
        ({"asylum_propensity_multiplier": 1.0}, {"asylum_propensity_multiplier": 10.0}, "asylum_application", True),
        ({"us_deterrence": 1.0}, {"us_deterrence": 0.6}, "departure", False),
        ({"us_apprehension_probability": 0.3}, {"us_apprehension_probability": 0.9}, "evasion_us", False),
        ({"us_release_share": 0.1}, {"us_release_share": 0.8}, "release_us", True),
        ({"caravan_blocking": 0.0}, {"caravan_blocking": 0.9}, "caravan_blocked", True),
        ({}, {"mx_work_visa_quota": {n: 40000.0 for n in NORTHERN_TRIANGLE}}, "journey_start", False),
    ],
    ids=["train_use", "asylum_propensity", "us_deterrence", "us_apprehension", "us_release", "blocking", "mx_visas"],
)
def test_other_levers_move_their_main_outcome(values_low: dict, values_high: dict, event: str, up: bool):
    period = {"start": "2016-01-01", "end": "2016-04-30", "caravans": CARAVAN_2016}
    low = _levers(values_low, **period) if values_low else make_scenario(**period)
    high = _levers(values_high, **period)
    name, _, mode = event.partition(":")
    measure = _total(name, mode=mode) if mode else _total(name)
    low_mean, high_mean = (replicate_mean(s, SEEDS[:2], measure) for s in (low, high))
    assert (high_mean > 1.2 * low_mean) if up else (high_mean < 0.85 * low_mean), (low_mean, high_mean)


def test_development_aid_cuts_departures_after_its_lag_only():
    aid = {"development_aid_usd_million": {"HND": 500.0}}
    period = {"start": "2016-01-01", "end": "2017-06-30"}
    plain = compile_scenario(make_scenario(**period)).departure_rate
    helped = compile_scenario(_levers(aid, **period)).departure_rate
    ratio = helped / plain
    origins = make_scenario().origins
    hnd = np.array([o.nationality == "HND" for o in origins])
    lag = make_scenario().parameters.departures.aid_lag_days
    a = make_scenario().parameters.departures.aid_effect_per_usd_million
    np.testing.assert_allclose(ratio[:lag], 1.0)
    np.testing.assert_allclose(ratio[lag:, hnd], 1.0 - a * 500.0)
    np.testing.assert_allclose(ratio[:, ~hnd], 1.0)
    # On replicated runs without a lag: fewer Honduran departures.
    no_lag = with_parameters(_levers(aid), {"departures.aid_lag_days": 0})
    hnd_departures = _total("departure", nationality="HND")
    assert replicate_mean(no_lag, SEEDS, hnd_departures) < 0.95 * replicate_mean(make_scenario(), SEEDS, hnd_departures)


def _drought_year(probability: float, severity: float | None = None, start: str = "2016-06-01", end="2016-12-31"):
    values: dict = {"drought_probability": {"HND": probability}}
    if severity is not None:
        values["drought_severity_pp"] = {"HND": severity}
    return _levers(values, date=start, start=start, end=end)


def test_stochastic_droughts_raise_departures_from_the_affected_origin_only():
    dry, plain = _runs(_drought_year(1.0, 15.0)), _runs(make_scenario(start="2016-06-01", end="2016-12-31"))
    hnd, gtm = _total("departure", nationality="HND"), _total("departure", nationality="GTM")
    assert _mean(dry, hnd) > 1.15 * _mean(plain, hnd)
    assert _mean(dry, gtm) == pytest.approx(_mean(plain, gtm), rel=0.08)  # exactly equal rates: see below
    assert [(d["nationality"], d["start"]) for d in dry[0].summary()["stochastic_droughts"]] == [("HND", "2016-07-01")]
    assert replicate_mean(_drought_year(1.0, 2.0), SEEDS, hnd) < _mean(dry, hnd)


def test_stochastic_droughts_follow_the_run_seed():
    scenario = _drought_year(0.5, start="2014-01-01", end="2018-12-31")
    compiled = compile_scenario(scenario)
    from corredor.engine.climate import departure_rates

    draws = [departure_rates(compiled, np.random.default_rng(seed))[1] for seed in range(6)]
    rates, _ = departure_rates(compiled, np.random.default_rng(1))
    hnd = np.array([o.nationality == "HND" for o in scenario.origins])
    np.testing.assert_array_equal(rates[:, ~hnd], compiled.departure_rate[:, ~hnd])
    assert (rates[:, hnd] >= compiled.departure_rate[:, hnd]).all()
    assert draws[0] == departure_rates(compiled, np.random.default_rng(0))[1]
    assert len({tuple(d) for d in draws}) > 1
    assert all(d.nationality == "HND" and d.start.month == 7 for run in draws for d in run)
    never = compile_scenario(make_scenario(start="2014-01-01", end="2018-12-31"))
    rates, droughts = departure_rates(never, np.random.default_rng(0))
    assert rates is never.departure_rate and droughts == []


def test_persons_are_conserved_with_every_new_lever_on():
    values = {
        "mx_atd_share": 0.5,
        "mx_card_processing_days": 10.0,
        "mx_humanitarian_card_quota": {"HND": 20000.0},
        "mx_humanitarian_card_eligibility": {"HND": 0.5},
        "mx_regional_card_quota": {"GTM": 20000.0},
        "mx_work_visa_quota": {"SLV": 20000.0},
        "mx_work_visa_eligibility": {"SLV": 0.5},
        "us_port_release_share": 0.3,
        "drought_probability": 1.0,
    }
    scenario = _levers(values, date="2016-03-01", start="2016-01-01", end="2016-09-30")
    results = simulate(scenario, seed=5)
    persons = results.daily.sum(axis=(1, 2, 3)).astype(np.int64) * results.scale
    np.testing.assert_array_equal(persons, results.entered())
    assert results.summary()["stochastic_droughts"]


def test_with_levers_builds_dated_entries_that_override_the_timeline():
    base = make_scenario()
    plan = with_levers(base, {"mx_risk_targeting": 0.8, "us_work_visa_quota": {"GTM": 100}}, date="2016-03-01")
    added = plan.policy[len(base.policy) :]
    assert [(p.lever, p.target, p.value, str(p.date)) for p in added] == [
        ("mx_risk_targeting", None, 0.8, "2016-03-01"),
        ("us_work_visa_quota", "GTM", 100.0, "2016-03-01"),
    ]
    levers = compile_scenario(plan).levers
    assert levers["mx_risk_targeting"][59] == 0 and levers["mx_risk_targeting"][60] == 0.8
    assert policy_entry("mx_atd_share", 0.5, "2016-01-01", until="2016-02-01")["until"] == "2016-02-01"


@pytest.mark.parametrize(
    ("values", "path", "fragment"),
    [
        ({"mx_risk_targetin": 0.5}, "levers.mx_risk_targetin", "unknown lever; did you mean 'mx_risk_targeting'?"),
        ({"mx_atd_share": 1.5}, "levers.mx_atd_share", "allowed: 0 to 1"),
        ({"mx_atd_share": {"HND": 0.5}}, "levers.mx_atd_share", "takes no target"),
        ({"mx_atd_share": "half"}, "levers.mx_atd_share", "not a number"),
        ({"mx_regional_card_eligibility": {"XXX": 1.0}}, "levers.mx_regional_card_eligibility.XXX", "nationality"),
        ({"comar_caseworkers": 30}, "levers.comar_caseworkers", "needs a target"),
        ({"shelter_capacity": {"nowhere": 10.0}}, "levers.shelter_capacity.nowhere", "unknown node"),
        ({"shelter_capacity": {"tijuana": 900.0}}, "levers.shelter_capacity.tijuana", "counted there as AT_BORDER"),
        ({"drought_probability": {"HND": 2.0}}, "levers.drought_probability.HND", "allowed: 0 to 1"),
    ],
)
def test_with_levers_names_the_bad_field(values: dict, path: str, fragment: str):
    with pytest.raises(ScenarioError) as error:
        with_levers(make_scenario(), values)
    assert [p for p, _ in error.value.problems] == [path]
    assert fragment in error.value.problems[0][1]


def test_with_parameters_names_the_bad_field():
    with pytest.raises(ScenarioError, match=r"parameters\.climate\.drought_onset_mont: unknown parameter"):
        with_parameters(make_scenario(), {"climate.drought_onset_mont": 7})
    with pytest.raises(ScenarioError, match=r"parameters\.enforcement\.atd_programme_days: .*greater than 0"):
        with_parameters(make_scenario(), {"enforcement.atd_programme_days": 0})


def test_every_lever_is_documented_in_the_model_description():
    from tests.conftest import ROOT

    text = (ROOT / "docs" / "model.md").read_text()
    assert [name for name in LEVERS if f"`{name}`" not in text] == []


def test_a_hub_that_turns_people_away_is_full():
    """On days a hub turns people away its beds were all taken: the day's leavers free their beds before the day's
    arrivals ask for one (with 2-day stays and the leavers still counted, hubs stayed about 2/3 full)."""
    results = simulate(make_scenario(scale=5), seed=1)
    capacity = results.scale * np.floor(100.0 / results.scale)  # parameters.movement.default_shelter_capacity
    events = results.tables["events"]
    turned = events[events["event"] == "shelter_turned_away"].groupby(["node", "date"], observed=True)["value"].sum()
    counts = results.tables["counts"]
    occupied = counts[counts["state"] == "shelter"].groupby(["node", "date"], observed=True)["persons"].sum()
    full_days = occupied.reindex(turned.index, fill_value=0)
    assert len(full_days) > 50
    assert (full_days >= capacity - results.scale * 2).mean() > 0.9  # full at the end of the day, give or take

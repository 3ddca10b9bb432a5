"""Directions of policy and driver effects, each on real runs averaged over replicates."""

from __future__ import annotations

from corredor import Results, simulate
from tests.conftest import event_total, make_scenario, replicate_mean

SEEDS = range(4)
IRREGULAR = ("alone", "smuggled", "caravan")


def _tapachula_mean_wait(results: Results) -> float:
    cases = results.to_pandas()["asylum_cases"]
    decided = cases[(cases["office"] == "tapachula") & cases["outcome"].isin(["recognised", "rejected"])]
    return float(decided["wait_days"].mean())


def test_more_caseworkers_shorten_the_mean_wait():
    def staffed(n: float):
        policy = [{"date": "2017-01-01", "lever": "comar_caseworkers", "target": "tapachula", "value": n}]
        return make_scenario(start="2017-01-01", end="2018-06-30", scale=10, policy=policy)

    few = replicate_mean(staffed(6), SEEDS, _tapachula_mean_wait)
    many = replicate_mean(staffed(30), SEEDS, _tapachula_mean_wait)
    assert many < 0.7 * few


def test_blanket_enforcement_raises_apprehensions_and_the_smuggled_share():
    def posture(intensity: float):
        policy = [{"date": "2016-01-01", "lever": "mx_enforcement_intensity", "value": intensity}]
        return make_scenario(start="2016-01-01", end="2016-12-31", scale=25, policy=policy)

    def smuggled_share(results: Results) -> float:
        return event_total(results, "journey_start", mode="smuggled") / event_total(results, "journey_start")

    low, high = posture(1.0), posture(2.5)
    assert replicate_mean(high, SEEDS, lambda r: event_total(r, "apprehension_mx")) > 1.3 * replicate_mean(
        low, SEEDS, lambda r: event_total(r, "apprehension_mx")
    )
    assert replicate_mean(high, SEEDS, smuggled_share) > replicate_mean(low, SEEDS, smuggled_share) + 0.05


def test_caravans_suffer_less_extortion_per_person_than_people_alone():
    caravans = [
        {"date": "2018-10-13", "origin": "san_pedro_sula", "size": 6000.0, "nationality": "HND"},
        {"date": "2018-10-31", "origin": "san_salvador", "size": 3000.0, "nationality": "SLV"},
    ]
    scenario = make_scenario(start="2018-10-01", end="2018-12-31", scale=5, caravans=caravans)

    def per_person(results: Results, mode: str) -> float:
        return event_total(results, "extortion", mode=mode) / event_total(results, "journey_start", mode=mode)

    def per_km(results: Results, mode: str) -> float:
        return event_total(results, "extortion", mode=mode) / event_total(results, "km_travelled", mode=mode)

    runs = [simulate(scenario, seed=s) for s in SEEDS]
    assert sum(per_person(r, "caravan") for r in runs) < 0.5 * sum(per_person(r, "alone") for r in runs)
    assert sum(per_km(r, "caravan") for r in runs) < 0.5 * sum(per_km(r, "alone") for r in runs)


def test_us_work_visas_reduce_irregular_departures():
    def visas(quota: float):
        policy = [
            {"date": "2016-01-01", "lever": "us_work_visa_quota", "target": nat, "value": quota}
            for nat in ("GTM", "HND", "SLV")
        ]
        return make_scenario(start="2016-01-01", end="2016-12-31", scale=25, policy=policy)

    def irregular(results: Results) -> float:
        return sum(event_total(results, "journey_start", mode=m) for m in IRREGULAR)

    without, with_visas = visas(0.0), visas(40000.0)
    assert replicate_mean(with_visas, SEEDS, irregular) < 0.85 * replicate_mean(without, SEEDS, irregular)
    assert replicate_mean(with_visas, SEEDS, lambda r: event_total(r, "legal_pathway_us")) > 50000


def test_drought_raises_departures_from_the_affected_origins_only():
    drought = [{"nationality": "HND", "start": "2016-03-01", "end": "2016-12-31", "food_insecurity_pp": 15.0}]
    plain = make_scenario(start="2016-01-01", end="2016-12-31", scale=25)
    dry = make_scenario(start="2016-01-01", end="2016-12-31", scale=25, droughts=drought)

    def departures(nat: str):
        return lambda results: event_total(results, "departure", nationality=nat)

    assert replicate_mean(dry, SEEDS, departures("HND")) > 1.15 * replicate_mean(plain, SEEDS, departures("HND"))
    ratio_gtm = replicate_mean(dry, SEEDS, departures("GTM")) / replicate_mean(plain, SEEDS, departures("GTM"))
    assert abs(ratio_gtm - 1.0) < 0.03

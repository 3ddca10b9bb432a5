"""Conservation of persons: on every day the persons in all states sum to everyone who has entered."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corredor import simulate
from tests.conftest import make_scenario

LEVER_VALUES = {
    "mx_enforcement_intensity": st.floats(0, 6),
    "mx_risk_targeting": st.floats(0, 1),
    "us_apprehension_probability": st.floats(0, 1),
    "us_release_share": st.floats(0, 0.3),
    "us_mpp_share": st.floats(0, 0.3),
    "us_title42_share": st.floats(0, 0.3),
    "us_metering_intake_per_day": st.floats(0, 200),
    "caravan_blocking": st.floats(0, 1),
    "asylum_propensity_multiplier": st.floats(0, 50),
}


@st.composite
def small_scenarios(draw: st.DrawFn):
    start_year = draw(st.integers(2014, 2018))
    days = draw(st.integers(20, 160))
    start = np.datetime64(f"{start_year}-{draw(st.integers(1, 12)):02d}-01")
    end = start + np.timedelta64(days - 1, "D")
    chosen = draw(st.dictionaries(st.sampled_from(sorted(LEVER_VALUES)), st.just(0.0), max_size=5))
    policy = [{"date": start.item(), "lever": lever, "value": draw(LEVER_VALUES[lever])} for lever in chosen]
    policy.append(
        {
            "date": start.item(),
            "lever": "comar_caseworkers",
            "target": "tapachula",
            "value": float(draw(st.integers(0, 40))),
        }
    )
    caravans = []
    if draw(st.booleans()):
        caravans.append(
            {
                "date": (start + np.timedelta64(draw(st.integers(0, days - 1)), "D")).item(),
                "origin": draw(st.sampled_from(["san_pedro_sula", "tapachula", "san_salvador"])),
                "size": float(draw(st.integers(50, 3000))),
                "nationality": "HND",
            }
        )
    parameters = {
        "movement": {"speed_alone_km_per_day": draw(st.floats(10, 300))},
        "asylum": {"abandonment_mean_days": draw(st.floats(5, 400))},
        "border": {"port_asylum_share": draw(st.floats(0, 1))},
    }
    scenario = make_scenario(
        start=str(start),
        end=str(end),
        scale=draw(st.integers(20, 400)),
        policy=policy,
        caravans=caravans,
        parameters=parameters,
    )
    return scenario, draw(st.integers(0, 2**31))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios())
def test_persons_are_conserved_every_day(case):
    scenario, seed = case
    results = simulate(scenario, seed=seed)
    assert (results.daily >= 0).all()
    in_states = results.persons_by_state().sum(axis=1).to_numpy()
    np.testing.assert_array_equal(in_states, results.entered())

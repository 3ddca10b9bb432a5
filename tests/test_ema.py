"""The EMA Workbench adapter: a corredor scenario runs as an EMA `Model`, and PRIM and feature scoring work on its
experiments. Skipped unless the `ema` extra is installed (`make test` installs it)."""

from __future__ import annotations

import numpy as np
import pytest

from corredor.scenario import ScenarioError
from tests.conftest import make_scenario

ema = pytest.importorskip("ema_workbench")
# EMA's PRIM calls DataFrame.drop(inplace=True), deprecated in recent pandas; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword")
from corredor.ema import corredor_function, corredor_model  # noqa: E402


def _scenario():
    return make_scenario(start="2016-01-01", end="2016-04-30", scale=200)


@pytest.fixture(scope="module")
def experiments():
    model = corredor_model(
        _scenario(),
        uncertainties={"asylum.productivity_cases_per_year": (50.0, 200.0), "departures.aid_lag_days": (0, 365)},
        levers={"mx_atd_share": (0.0, 0.9)},
        outcomes=["deportations_mx", "deaths", "departure"],
    )
    state = np.random.get_state()  # noqa: NPY002 (EMA samples with the legacy global generator)
    np.random.seed(20261129)  # noqa: NPY002 (seeded, so that this test is repeatable)
    try:
        return ema.perform_experiments(model, scenarios=4, policies=3)
    finally:
        np.random.set_state(state)  # noqa: NPY002


def test_experiments_run_every_combination_and_return_scalar_outcomes(experiments):
    frame, outcomes = experiments
    assert len(frame) == 12
    assert {"asylum.productivity_cases_per_year", "departures.aid_lag_days", "mx_atd_share"} <= set(frame.columns)
    assert set(outcomes) == {"deportations_mx", "deaths", "departure"}
    assert all(len(values) == 12 and np.isfinite(values).all() for values in outcomes.values())


def test_lever_drives_its_outcome_and_feature_scoring_finds_it(experiments):
    from ema_workbench.analysis import feature_scoring, prim

    frame, outcomes = experiments
    x = frame.drop(columns=["scenario", "policy", "model"])
    atd = x["mx_atd_share"].to_numpy()
    deported = outcomes["deportations_mx"]
    assert np.corrcoef(atd, deported)[0, 1] < -0.9  # alternatives to detention replace deportations
    scores = feature_scoring.get_feature_scores_all(x, outcomes, random_state=0)
    assert scores["deportations_mx"].idxmax() == "mx_atd_share"
    box = prim.Prim(x, deported < np.median(deported), threshold=0.8).find_box()
    assert box.density >= 0.8 and box.coverage > 0.5
    restricted = box.box_lim["mx_atd_share"]  # low deportations: a box of high ATD shares
    assert restricted.iloc[0] > x["mx_atd_share"].min()


def test_same_inputs_give_the_same_outcomes():
    run = corredor_function(_scenario(), levers=("mx_atd_share",), outcomes=["deportations_mx"], replications=2)
    assert run(mx_atd_share=0.5) == run(mx_atd_share=0.5)
    assert run(mx_atd_share=0.9)["deportations_mx"] < run(mx_atd_share=0.0)["deportations_mx"]


def test_bad_names_and_ranges_are_named():
    with pytest.raises(ScenarioError) as error:
        corredor_model(
            _scenario(),
            uncertainties={"asylum.productivty": (1, 2), "choice.legal_take_up": (0.8, 0.2)},
            levers={"mx_atd_shar": (0, 1), "comar_caseworkers": (5, 40), "mx_risk_targeting": (0, 3)},
        )
    paths = [p for p, _ in error.value.problems]
    assert paths == [
        "uncertainties.asylum.productivty",
        "uncertainties.choice.legal_take_up",
        "levers.mx_atd_shar",
        "levers.comar_caseworkers",
        "levers.mx_risk_targeting",
    ]
    with pytest.raises(ScenarioError, match=r"outcomes\.deathz"):
        corredor_function(_scenario(), outcomes=["deathz"])

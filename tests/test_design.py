"""Experiment factors and files: sampling stays in range (log-uniform too), a factor really changes the scenario
(parameters and levers, overriding later timeline entries), and bad experiment files name the bad field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from corredor.experiments.design import Design, Factor, apply, sample
from corredor.experiments.spec import load_experiment, parse_experiment
from corredor.scenario import ScenarioError
from tests.cli_utils import ROOT, corredor

from .conftest import make_scenario

DATA = ROOT / "tests" / "data" / "experiments"


@pytest.mark.parametrize("method", ["lhs", "sobol"])
def test_samples_cover_the_range(method: str) -> None:
    factors = [
        Factor(path="parameters.hazards.death_per_1000km", low=1e-4, high=1e-2, log=True),
        Factor(path="lever.comar_caseworkers", target="tapachula", low=5, high=50, integer=True),
    ]
    values = sample(factors, 64, method, seed=2)
    assert values.shape == (64, 2)
    assert values[:, 0].min() >= 1e-4 and values[:, 0].max() <= 1e-2
    # log-uniform: about half the points below the geometric midpoint 1e-3 (a linear scale would put ~10 % there)
    assert 0.35 < (values[:, 0] < 1e-3).mean() < 0.65
    assert np.array_equal(values[:, 1], np.round(values[:, 1]))
    # stratified: each quarter of the range holds ~a quarter of the points
    quarters = np.histogram(values[:, 1], bins=4, range=(5, 50))[0]
    assert quarters.min() >= 10
    assert np.array_equal(values, sample(factors, 64, method, seed=2))
    assert not np.array_equal(values, sample(factors, 64, method, seed=3))


def test_apply_changes_parameters_and_overrides_later_lever_entries() -> None:
    scenario = make_scenario(
        policy=[{"date": dt.date(2016, 3, 1), "lever": "mx_enforcement_intensity", "value": 5.0}],
    )
    factors = [
        Factor(path="parameters.asylum.recognition_rate.HND", low=0.1, high=0.9),
        Factor(path="parameters.hazards.train_multiplier.3", low=1, high=8),
        Factor(path="lever.mx_enforcement_intensity", low=0, high=3, date=dt.date(2016, 2, 1)),
    ]
    changed = apply(scenario, factors, [0.2, 6.0, 0.5])
    assert changed.parameters.asylum.recognition_rate["HND"] == 0.2
    assert changed.parameters.hazards.train_multiplier[3] == 6.0
    assert scenario.parameters.asylum.recognition_rate["HND"] != 0.2  # the original is untouched
    entries = [p for p in changed.policy if p.lever == "mx_enforcement_intensity"]
    assert [(p.date, p.value) for p in entries if p.date >= dt.date(2016, 1, 1)] == [(dt.date(2016, 2, 1), 0.5)]
    with pytest.raises(ValueError, match=r"parameters\.asylum\.recognition_rate"):
        apply(scenario, [Factor(path="parameters.asylum.recognition_rate.HND", low=0.5, high=2)], [2.0])


def test_a_nationality_missing_from_a_default_table_can_vary() -> None:
    """Tables keyed by nationality may lack an entry by default that the scenario sets (the calibrated homicide
    elasticities): a factor can name it, and only in such tables."""
    factor = Factor(path="parameters.departures.homicide_elasticity_by_nationality.HND", low=0.05, high=1.0)
    scenario = make_scenario()  # the baseline: its calibrated elasticities include HND
    changed = apply(scenario, [factor], [0.7])
    assert changed.parameters.departures.homicide_elasticity_by_nationality["HND"] == 0.7
    assert scenario.parameters.departures.homicide_elasticity_by_nationality["HND"] != 0.7
    with pytest.raises(ValidationError, match="no 'HND'"):
        Factor(path="parameters.hazards.death_per_1000km.HND", low=0, high=1)  # a single value, not a table


def test_factor_errors_name_the_problem() -> None:
    with pytest.raises(ValidationError, match="no 'hazard'; allowed here: departures"):
        Factor(path="parameters.hazard.death_per_1000km", low=0, high=1)
    with pytest.raises(ValidationError, match="names a table"):
        Factor(path="parameters.hazards.family_multiplier", low=0, high=1)
    with pytest.raises(ValidationError, match="needs a target"):
        Factor(path="lever.comar_caseworkers", low=0, high=1)
    with pytest.raises(ValidationError, match=r"leaves the lever's allowed 0\.\.1"):
        Factor(path="lever.us_release_share", low=0, high=2)
    with pytest.raises(ValidationError, match="log = true needs low > 0"):
        Factor(path="parameters.hazards.death_per_1000km", low=0, high=1, log=True)
    with pytest.raises(ValueError, match="one value per factor"):
        Design((Factor(path="lever.us_release_share", low=0, high=1),), ((0.1, 0.2),))


def test_experiment_file_loads_and_rejects_bad_targets(tmp_path: Path) -> None:
    experiment, scenario = load_experiment(DATA / "tiny-experiment.toml")
    assert scenario is not None and scenario.name == "tiny-short"
    assert [u.name for u in experiment.uncertainties] == ["death rate", "kidnapping rate", "productivity"]
    assert [o.kind for o in experiment.outcomes] == ["minimize", "minimize", "minimize"]
    assert experiment.optimize is not None and experiment.optimize.levers[1].target == "HND"
    bad = tmp_path / "bad.toml"
    bad.write_text(
        f'scenario = "{DATA / "tiny.toml"}"\n[[uncertainties]]\npath = "lever.comar_caseworkers"\n'
        'target = "nowhere"\nlow = 1\nhigh = 5\n'
    )
    with pytest.raises(ScenarioError) as error:
        load_experiment(bad)
    assert error.value.problems[0][0] == "uncertainties[0].target"
    with pytest.raises(ScenarioError) as error:
        parse_experiment({"sensitivity": {"sobol_n": 48, "levels": 3}})
    assert {p for p, _ in error.value.problems} == {"sensitivity.sobol_n", "sensitivity.levels"}
    with pytest.raises(ScenarioError) as error:  # compare's notes read one verdict per outcome
        parse_experiment({"outcomes": [{"name": "deaths"}, {"name": "deaths"}]})
    assert "outcome names must be unique; repeated: deaths" in str(error.value)


def test_cli_rejects_a_bad_experiment_file() -> None:
    result = corredor(
        "compare", DATA / "tiny.toml", DATA / "tiny.toml", "-e", DATA / "bad-experiment.toml", "--out", "/dev/null/x"
    )
    assert result.returncode == 2, result.output
    assert "Traceback" not in result.output
    for fragment in (
        "uncertainties[0]: path 'parameters.hazard.death_per_1000km': no 'hazard'",
        "uncertainties[1]: high (1) must be greater than low (3)",
        "outcomes[0].name: 'happiness'",
        "outcomes[1].kind: 'minimise'",
    ):
        assert fragment in result.output

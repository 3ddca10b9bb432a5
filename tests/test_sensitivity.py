"""Sensitivity: the Morris-then-Sobol pipeline recovers the known Sobol indices of the Ishigami function and screens
out a factor with no effect; `corredor sensitivity` runs end to end on a tiny scenario."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corredor.experiments.sensitivity import SensitivityResult, analyse
from tests.cli_utils import ROOT, corredor

DATA = ROOT / "tests" / "data" / "experiments"

# Ishigami (a=7, b=0.1) on [-pi, pi]^3: analytic first-order and total indices.
S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}


def ishigami(unit: np.ndarray) -> pd.DataFrame:
    x = -np.pi + 2 * np.pi * unit
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    return pd.DataFrame({"y": y, "flat": np.zeros(len(x))})


def test_ishigami_indices_recovered_and_inert_factor_screened_out() -> None:
    result = analyse(["x1", "x2", "x3", "inert"], ishigami, trajectories=20, sobol_n=2048, seed=3)
    assert result.kept == ["x1", "x2", "x3"]  # 'inert' has mu* = 0
    sobol = result.sobol.set_index("factor")
    for name in ("x1", "x2", "x3"):
        assert sobol.loc[name, "S1"] == pytest.approx(S1[name], abs=0.05)
        assert sobol.loc[name, "ST"] == pytest.approx(ST[name], abs=0.05)
        assert 0 < sobol.loc[name, "ST_conf"] < 0.1
    assert result.drivers()["y"] == ["x1", "x2", "x3"]
    assert result.skipped == {"flat": "no variation"}
    assert result.evaluations == 20 * 5 + 2048 * 5


def test_a_driver_must_clear_the_threshold_beyond_its_interval() -> None:
    """With one replicate per point, noise gives wide intervals: a factor is named a driver only when its total index
    minus the interval's half-width reaches 0.1; one whose interval reaches below is 'possibly' one."""
    sobol = pd.DataFrame(
        {
            "outcome": ["y"] * 3,
            "factor": ["sure", "maybe", "no"],
            "S1": [0.4, 0.1, 0.0],
            "S1_conf": [0.05, 0.1, 0.05],
            "ST": [0.5, 0.3, 0.05],
            "ST_conf": [0.1, 0.25, 0.04],
        }
    )
    result = SensitivityResult(factors=["sure", "maybe", "no"], morris=pd.DataFrame(), kept=[], sobol=sobol)
    assert result.drivers() == {"y": ["sure"]} and result.possible_drivers() == {"y": ["maybe"]}
    assert result.driver_text("y").startswith("sure; possibly maybe (interval reaches below 0.1")


def test_sensitivity_command(tmp_path: Path) -> None:
    out = tmp_path / "sens"
    result = corredor("sensitivity", DATA / "tiny-experiment.toml", "--executor", "serial", "--out", out)
    assert result.returncode == 0, result.output
    assert "corredor sensitivity: tiny-short" in result.stdout
    # a tiny Sobol sample: the table shows each index's interval, and the command says the indices are uncertain
    assert "±" in result.stdout and "uncertain indices" in result.stdout and "--sobol-n" in result.stdout
    sobol = pd.read_csv(out / "sobol.csv")
    morris = pd.read_csv(out / "morris.csv")
    assert set(morris["factor"]) == {"death rate", "kidnapping rate", "productivity"}
    # the death rate drives deaths more than the kidnapping rate does (elementary effects)
    deaths = morris[morris["outcome"] == "deaths"].set_index("factor")["mu_star"]
    assert deaths["death rate"] > deaths["kidnapping rate"]
    assert set(sobol["factor"]) <= set(morris["factor"]) and not sobol.empty
    text = (out / "sensitivity.md").read_text()
    assert "## What drives each outcome" in text and "Deaths" in text
    assert "Plotly.newPlot" in (out / "sensitivity.html").read_text()


def test_sensitivity_needs_two_uncertainties(tmp_path: Path) -> None:
    experiment = tmp_path / "one.toml"
    experiment.write_text(
        f'scenario = "{DATA / "tiny.toml"}"\n[[uncertainties]]\npath = "parameters.hazards.death_per_1000km"\n'
        "low = 0.0001\nhigh = 0.001\n"
    )
    result = corredor("sensitivity", experiment, "--out", tmp_path / "x")
    assert result.returncode == 2 and "at least 2" in result.output and "Traceback" not in result.output


def test_a_bad_option_is_named_in_plain_words(tmp_path: Path) -> None:
    result = corredor("sensitivity", DATA / "tiny-experiment.toml", "--sobol-n", "5", "--out", tmp_path / "x")
    assert result.returncode == 2 and "Traceback" not in result.output
    assert "--sobol-n: 5 -> 5 is not a power of two" in result.output
    assert "pydantic" not in result.output and "SensitivitySettings" not in result.output


def test_a_scenario_given_for_an_experiment_is_named_so(tmp_path: Path) -> None:
    result = corredor("sensitivity", ROOT / "scenarios" / "baseline.toml", "--out", tmp_path / "x")
    assert result.returncode == 2 and "Traceback" not in result.output
    assert "a scenario file" in result.output and "not an experiment" in result.output
    assert "unknown key" not in result.output  # not one complaint per scenario table
    validated = corredor("validate", ROOT / "scenarios" / "experiments" / "baseline-uncertainty.toml")
    assert (
        validated.returncode == 2 and "an experiment file" in validated.output and "unknown key" not in validated.output
    )


def test_help_states_the_settings_defaults() -> None:
    import typing

    from corredor.experiments import cli
    from corredor.experiments.spec import Experiment, OptimizeSettings, SensitivitySettings

    def default(model: type, field: str) -> object:
        return model.model_fields[field].default

    cases = [
        (cli.compare, "replicates", default(Experiment, "replicates")),
        (cli.compare, "seed", default(Experiment, "seed")),
        (cli.sensitivity, "trajectories", default(SensitivitySettings, "trajectories")),
        (cli.sensitivity, "sobol_n", default(SensitivitySettings, "sobol_n")),
        (cli.sensitivity, "replicates", default(SensitivitySettings, "replicates_per_point")),
        (cli.sensitivity, "seed", default(Experiment, "seed")),
        (cli.optimize, "candidates", default(OptimizeSettings, "candidates")),
        (cli.optimize, "refine", default(OptimizeSettings, "refine")),
        (cli.optimize, "samples", default(OptimizeSettings, "uncertainty_samples")),
        (cli.optimize, "replicates", default(OptimizeSettings, "replicates")),
        (cli.optimize, "seed", default(Experiment, "seed")),
    ]
    for command, name, value in cases:
        option = typing.get_type_hints(command, include_extras=True)[name].__metadata__[0]
        assert f"else {value})" in option.help, (command.__name__, name, option.help)

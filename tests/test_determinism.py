"""Determinism: the same seed gives byte-identical Parquet output; different seeds give different output."""

from __future__ import annotations

from pathlib import Path

from corredor import simulate
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

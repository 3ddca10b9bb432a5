"""Scenario files that extend another: tables merge key by key, timelines are appended, and `replace` drops the base's
entries of the lists it names (a counterfactual without the recorded caravans, say)."""

from __future__ import annotations

from pathlib import Path

from corredor import load_scenario
from tests.conftest import ROOT

BASELINE = ROOT / "scenarios" / "baseline.toml"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(f'extends = "{BASELINE.as_posix()}"\n{text}')
    return path


def test_an_extension_adds_to_the_base_timelines(tmp_path: Path):
    base = load_scenario(BASELINE)
    caravan = '[[caravans]]\ndate = 2016-03-01\norigin = "san_pedro_sula"\nsize = 500\nnationality = "HND"\n'
    mine = load_scenario(_write(tmp_path, caravan))
    assert len(base.caravans) > 0
    assert len(mine.caravans) == len(base.caravans) + 1
    assert mine.policy == base.policy and mine.droughts == base.droughts


def test_replace_keeps_only_the_files_own_entries_of_the_lists_it_names(tmp_path: Path):
    base = load_scenario(BASELINE)
    none = load_scenario(_write(tmp_path, 'replace = ["caravans", "droughts"]\n'))
    assert none.caravans == [] and none.droughts == []
    assert none.policy == base.policy  # not named: inherited as before
    caravan = '[[caravans]]\ndate = 2016-03-01\norigin = "san_pedro_sula"\nsize = 500\nnationality = "HND"\n'
    own = load_scenario(_write(tmp_path, f'replace = ["caravans"]\n{caravan}'))
    assert [(c.date.isoformat(), c.size) for c in own.caravans] == [("2016-03-01", 500.0)]

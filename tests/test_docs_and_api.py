"""Documentation stays in step with the code, and the Python API returns the promised tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import corredor
from corredor.cli import parameters_markdown
from corredor.parameters import parameter_rows
from corredor.scenario import LEVERS

ROOT = Path(__file__).resolve().parents[1]


def test_parameters_doc_is_generated_from_the_code():
    assert (ROOT / "docs" / "parameters.md").read_text() == parameters_markdown(), (
        "docs/parameters.md is stale: run `corredor info --markdown > docs/parameters.md`"
    )


def test_every_parameter_has_unit_and_source():
    for row in parameter_rows():
        assert row["unit"], row["parameter"]
        assert row["source"], row["parameter"]
    doc = (ROOT / "docs" / "parameters.md").read_text()
    for lever in LEVERS:
        assert f"`{lever}`" in doc


SHARED = ROOT.parent / "shared"  # the project's workspace notes, when present
SOURCES = ROOT / "docs" / "sources"


@pytest.mark.skipif(not SHARED.is_dir(), reason="the project's shared notes are not in this workspace")
@pytest.mark.parametrize("name", ["PARAMETERS.md", "DESIGN.md"])
def test_cited_notes_are_unchanged_copies(name: str):
    """Parameter sources and docs cite PARAMETERS.md and DESIGN.md; docs/sources ships them as they are."""
    assert (SOURCES / name).read_bytes() == (SHARED / name).read_bytes()


def test_model_doc_follows_odd():
    text = (ROOT / "docs" / "model.md").read_text().lower()
    for heading in ("overview", "design concepts", "details", "submodels"):
        assert heading in text


def test_python_api_round_trip(small_results: corredor.Results):
    tables = small_results.to_pandas()
    assert set(tables) == {"counts", "events", "asylum_cases", "caravans"}
    counts = tables["counts"]
    assert list(counts.columns) == ["date", "node", "state", "nationality", "persons"]
    assert (counts["persons"] > 0).all()
    assert (counts["persons"] % small_results.scale == 0).all()
    events = tables["events"]
    assert {"departure", "apprehension_mx", "apprehension_us", "asylum_application"} <= set(events["event"].astype(str))
    summary = small_results.summary()
    assert summary["upm_presentados"] == {}  # no complete calendar year in a half-year run
    by_year = summary["yearly_events"]["apprehension_mx"]
    total = events.loc[events["event"] == "apprehension_mx", "value"].sum()
    assert round(total) == round(sum(by_year.values()))
    assert isinstance(small_results.persons_by_state(), pd.DataFrame)


def test_observe_counts_us_fiscal_years_and_events():
    from corredor.observe import complete_years, fiscal_year

    dates = pd.Series(pd.to_datetime(["2017-09-30", "2017-10-01", "2018-01-15"]))
    assert fiscal_year(dates).tolist() == [2017, 2018, 2018]
    calendar, fiscal = complete_years(pd.Timestamp("2014-01-01").date(), pd.Timestamp("2018-12-31").date())
    assert calendar == [2014, 2015, 2016, 2017, 2018]
    assert fiscal == [2015, 2016, 2017, 2018]

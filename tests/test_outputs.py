"""The output files explain themselves: every column of every table has a unit and description (`OUTPUT_COLUMNS`),
written into the Parquet schema as field metadata, every key of summary.json has one (`SUMMARY_KEYS`), and
docs/outputs.md is generated from them. One small run (tests/data/small.toml: 15 months at 1 agent = 50 persons,
with the caravans of 2018) serves every test."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import corredor
from corredor.engine.model import EVENTS
from corredor.outputs import OUTPUT_COLUMNS, OUTPUT_TABLES, SUMMARY_KEYS, outputs_markdown
from corredor.parameters import MODES

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "small.toml"
REGENERATE = (
    "python -c \"from corredor.outputs import outputs_markdown; print(outputs_markdown(), end='')\" > docs/outputs.md"
)


@pytest.fixture(scope="module")
def results() -> corredor.Results:
    return corredor.simulate(corredor.load_scenario(SMALL), seed=3)


def test_every_column_has_an_entry_and_no_entry_is_stale(results: corredor.Results):
    tables = results.tables
    assert set(OUTPUT_COLUMNS) == set(tables) == set(OUTPUT_TABLES)
    assert len(tables["caravans"]) > 0 and len(tables["asylum_cases"]) > 0, "the run should fill every table"
    for name, frame in tables.items():
        columns, documented = list(frame.columns), list(OUTPUT_COLUMNS[name])
        assert not set(columns) - set(documented), f"{name}: columns without an entry in OUTPUT_COLUMNS"
        assert not set(documented) - set(columns), f"{name}: entries in OUTPUT_COLUMNS for columns that do not exist"
        assert columns == documented, f"{name}: list the entries in the order of the columns"
        for column, doc in OUTPUT_COLUMNS[name].items():
            assert doc.unit and doc.description, f"{name}.{column}"


def test_every_summary_key_has_an_entry_and_no_entry_is_stale(results: corredor.Results):
    summary = results.summary()
    offices = summary["asylum_offices"]
    assert offices
    keys = set(summary) | {f"asylum_offices.<office>.{k}" for figures in offices.values() for k in figures}
    by_year = summary["asylum_offices_by_year"]
    assert by_year and all(by_year.values())
    keys |= {
        f"asylum_offices_by_year.<office>.<year>.{k}"
        for years in by_year.values()
        for figures in years.values()
        for k in figures
    }
    by_mode = summary["asylum_by_mode"]
    assert set(by_mode) == set(MODES)
    keys |= {f"asylum_by_mode.<mode>.{k}" for figures in by_mode.values() for k in figures}
    assert keys == set(SUMMARY_KEYS), (
        f"without an entry: {sorted(keys - set(SUMMARY_KEYS))}; stale: {sorted(set(SUMMARY_KEYS) - keys)}"
    )


def test_event_values_not_in_persons_are_named_in_the_unit(results: corredor.Results):
    """Events count persons (multiples of the scale) except those the unit of `value` names."""
    unit = OUTPUT_COLUMNS["events"]["value"].unit
    named = {e for e in EVENTS if e in unit}
    assert named == {"fee_usd", "ransom_usd", "km_travelled"}
    assert {e for e in EVENTS if e.endswith("_usd") or "km" in e} <= named
    events = results.tables["events"]
    fractional = events.loc[events["value"] % results.scale != 0, "event"].astype(str)
    assert set(fractional) <= named


def test_parquet_files_carry_unit_and_description(results: corredor.Results, tmp_path: Path):
    out = results.write(tmp_path)
    cases = pq.read_schema(out / "asylum_cases.parquet")
    expected = {
        "wait_days": "days",
        "wait_working_days": "working days",
        "applied_day": "days since start",
        "decided_within_deadline": "boolean (nullable)",
        "persons": "persons",
    }
    for column, unit in expected.items():
        metadata = cases.field(column).metadata
        assert metadata[b"unit"].decode() == unit, column
        assert metadata[b"description"].decode() == OUTPUT_COLUMNS["asylum_cases"][column].description
    assert "Monday to Friday" in cases.field("wait_working_days").metadata[b"description"].decode()
    assert b"USD" in pq.read_schema(out / "events.parquet").field("value").metadata[b"unit"]
    for name, frame in results.tables.items():
        schema = pq.read_schema(out / f"{name}.parquet")
        assert schema.metadata == {b"description": OUTPUT_TABLES[name].encode()}
        for field in schema:
            doc = OUTPUT_COLUMNS[name][field.name]
            assert field.metadata == {b"unit": doc.unit.encode(), b"description": doc.description.encode()}
        back = pd.read_parquet(out / f"{name}.parquet")  # readers see the same columns and rows
        assert list(back.columns) == list(frame.columns)
        assert len(back) == len(frame)
    back = pd.read_parquet(out / "asylum_cases.parquet")
    pd.testing.assert_series_equal(back["wait_days"], results.tables["asylum_cases"]["wait_days"])


def test_the_mappings_are_read_only():
    with pytest.raises(TypeError):
        OUTPUT_COLUMNS["counts"]["persons"] = OUTPUT_COLUMNS["counts"]["date"]  # type: ignore[index]
    with pytest.raises(TypeError):
        SUMMARY_KEYS["seed"] = SUMMARY_KEYS["scale"]  # type: ignore[index]


def test_outputs_doc_is_generated_from_the_code():
    assert (ROOT / "docs" / "outputs.md").read_text() == outputs_markdown(), (
        f"docs/outputs.md is stale: from the repository root, run `{REGENERATE}`"
    )

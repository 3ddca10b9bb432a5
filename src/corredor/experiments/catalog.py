"""The run catalog of an ensemble output folder: an SQLite file (``catalog.sqlite``) with one row per finished
replicate.

Columns of the ``runs`` table: ``ensemble_id`` (the `run_ensemble` call that produced the row), ``scenario`` (name),
``scenario_hash`` (`scenario_hash`), ``root_seed``, ``replicate`` (index), ``seed`` (passed to `simulate`),
``chunk_file`` (Parquet file relative to the output folder), ``status`` (``done``), ``started_at`` / ``finished_at``
(UTC, ISO 8601, of the chunk) and ``summary_json`` (`Results.summary()`). A replicate is identified by
(scenario_hash, root_seed, replicate). Rows are written when a chunk completes and committed at once, so a killed
process leaves every completed chunk listed.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from corredor.scenario import Scenario

CATALOG_NAME = "catalog.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    ensemble_id TEXT NOT NULL,
    scenario TEXT NOT NULL,
    scenario_hash TEXT NOT NULL,
    root_seed INTEGER NOT NULL,
    replicate INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    chunk_file TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    summary_json TEXT NOT NULL,
    PRIMARY KEY (scenario_hash, root_seed, replicate)
)
"""


def scenario_hash(scenario: Scenario) -> str:
    """sha256 (hex) of the scenario's JSON dump without ``base_dir`` (where the file was read from)."""
    return hashlib.sha256(scenario.model_dump_json(exclude={"base_dir"}).encode()).hexdigest()


@dataclass(frozen=True)
class RunRecord:
    """One finished replicate, as stored in the catalog."""

    ensemble_id: str
    scenario: str
    scenario_hash: str
    root_seed: int
    replicate: int
    seed: int
    chunk_file: str
    status: str
    started_at: str
    finished_at: str
    summary: dict[str, Any]


class Catalog:
    """The SQLite catalog in an ensemble output folder (created on first use)."""

    def __init__(self, out_dir: str | Path):
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / CATALOG_NAME

    def _connect(self) -> sqlite3.Connection:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        connection.execute(_SCHEMA)
        return connection

    def record(self, records: Iterable[RunRecord]) -> None:
        """Insert (or replace) finished replicates and commit immediately."""
        rows = [
            (
                r.ensemble_id,
                r.scenario,
                r.scenario_hash,
                r.root_seed,
                r.replicate,
                r.seed,
                r.chunk_file,
                r.status,
                r.started_at,
                r.finished_at,
                json.dumps(r.summary, sort_keys=True),
            )
            for r in records
        ]
        connection = self._connect()
        try:
            with connection:
                connection.executemany("INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        finally:
            connection.close()

    def done(self, scenario_hash: str, root_seed: int) -> dict[int, RunRecord]:
        """Finished replicates of one scenario and root seed, by replicate index."""
        if not self.path.exists():
            return {}
        connection = self._connect()
        try:
            rows = connection.execute(
                "SELECT * FROM runs WHERE scenario_hash = ? AND root_seed = ? AND status = 'done' ORDER BY replicate",
                (scenario_hash, root_seed),
            ).fetchall()
        finally:
            connection.close()
        records = [
            RunRecord(
                ensemble_id=row[0],
                scenario=row[1],
                scenario_hash=row[2],
                root_seed=row[3],
                replicate=row[4],
                seed=row[5],
                chunk_file=row[6],
                status=row[7],
                started_at=row[8],
                finished_at=row[9],
                summary=json.loads(row[10]),
            )
            for row in rows
        ]
        return {r.replicate: r for r in records}

    def runs(self) -> pd.DataFrame:
        """Every catalogued replicate (without the summaries), ordered by scenario, root seed and replicate."""
        connection = self._connect()
        try:
            return pd.read_sql_query(
                "SELECT ensemble_id, scenario, scenario_hash, root_seed, replicate, seed, chunk_file, status, "
                "started_at, finished_at FROM runs ORDER BY scenario_hash, root_seed, replicate",
                connection,
            )
        finally:
            connection.close()

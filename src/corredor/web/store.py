"""The dashboard's run store: one folder per run under a root folder (default ``runs/web``).

``<root>/<id>/run.json`` holds what was asked (scenario as submitted, replicates, root seed and replicate seeds),
``state.json`` what happened (status, progress, error, times), ``scenario.toml`` the scenario for download,
``rep-<k>/`` the Parquet tables of each replicate (`Results.write`) and ``view.json`` what the page draws. Run ids are
made here (16 hex digits) and every id coming from a request is checked against that pattern before it touches a
path, so no request can reach the file system outside the store. Writes go through a temporary file and
`os.replace`, so a reader never sees half a file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

RUN_ID = re.compile(r"[0-9a-f]{16}")
ACTIVE = ("queued", "running")
STATUSES = ("queued", "running", "done", "failed", "interrupted")


class UnknownRun(LookupError):
    """No run with this id (or the id is not of the store's form)."""


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (temporary file in the same folder, then rename)."""
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(data, out, separators=(",", ":"))
    os.replace(tmp, path)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def seed_texts(root: int, seeds: list[int]) -> dict[str, Any]:
    """The seeds as decimal text too: a JavaScript number holds integers exactly only up to 2**53, and replicate
    seeds go up to 2**63 - 1 (the page shows these, so a seed copied from it reproduces the run)."""
    return {"root_seed_text": str(root), "seeds_text": [str(s) for s in seeds]}


class RunStore:
    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, run_id: str) -> Path:
        """Folder of an existing run; `UnknownRun` for anything else."""
        if not isinstance(run_id, str) or not RUN_ID.fullmatch(run_id):
            raise UnknownRun(run_id)
        folder = self.root / run_id
        if not (folder / "run.json").is_file():
            raise UnknownRun(run_id)
        return folder

    def create(self, request: dict[str, Any], toml_text: str) -> str:
        """A new run folder with its request and status ``queued``; returns the id."""
        run_id = secrets.token_hex(8)
        folder = self.root / run_id
        folder.mkdir()
        (folder / "scenario.toml").write_text(toml_text, encoding="utf-8")
        write_json(folder / "run.json", {"id": run_id, "created": now(), **request})
        self.set_state(run_id, status="queued", progress=0.0, error=None, started=None, finished=None, view_ready=False)
        return run_id

    def set_state(self, run_id: str, **fields: Any) -> None:
        folder = self.root / run_id
        state_file = folder / "state.json"
        state = read_json(state_file) if state_file.is_file() else {}
        write_json(state_file, {**state, **fields})

    def request(self, run_id: str) -> dict[str, Any]:
        result: dict[str, Any] = read_json(self.path(run_id) / "run.json")
        return result

    def record(self, run_id: str) -> dict[str, Any]:
        """What the API shows about a run: the request (without the scenario body) and its state."""
        folder = self.path(run_id)
        request = read_json(folder / "run.json")
        state = read_json(folder / "state.json")
        scenario = request.pop("scenario", {})
        period = scenario.get("period", {})
        return {
            **request,
            "name": scenario.get("name", "scenario"),
            "start": period.get("start"),
            "end": period.get("end"),
            "scale": scenario.get("scale", 1),
            "root_seed": request.get("root_seed", scenario.get("seed", 0)),  # runs stored before it was recorded
            **state,
        } | seed_texts(request.get("root_seed", scenario.get("seed", 0)), request.get("seeds", []))

    def runs(self) -> list[dict[str, Any]]:
        """Every run, newest first (folders that are not runs are ignored)."""
        records = []
        for folder in self.root.iterdir():
            if RUN_ID.fullmatch(folder.name) and (folder / "run.json").is_file():
                records.append(self.record(folder.name))
        return sorted(records, key=lambda r: (r["created"], r["id"]), reverse=True)

    def view(self, run_id: str) -> dict[str, Any] | None:
        path = self.path(run_id) / "view.json"
        return read_json(path) if path.is_file() else None

    def toml(self, run_id: str) -> str:
        return (self.path(run_id) / "scenario.toml").read_text(encoding="utf-8")

    def clear_outputs(self, run_id: str) -> None:
        """Remove what a run produced (view and tables), keeping what was asked: before running it again."""
        folder = self.path(run_id)
        (folder / "view.json").unlink(missing_ok=True)
        for tables in folder.glob("rep-*"):
            shutil.rmtree(tables)

    def delete(self, run_id: str) -> None:
        shutil.rmtree(self.path(run_id))

    def mark_interrupted(self) -> list[str]:
        """Runs left queued or running by a server that stopped: marked ``interrupted`` (they can be resubmitted)."""
        marked = []
        for record in self.runs():
            if record["status"] in ACTIVE:
                self.set_state(record["id"], status="interrupted", finished=now())
                marked.append(record["id"])
        return marked

"""Run the `corredor` command line in a subprocess, as a user would, for the CLI tests."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
# Variables that make rich print colours or live progress bars even into a pipe.
FORCING_TERMINAL = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


@dataclass(frozen=True)
class Outcome:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def cli_env(columns: int = 200) -> dict[str, str]:
    """Plain, wide output: no colours, no forced terminal, tables not truncated."""
    env = {k: v for k, v in os.environ.items() if k not in FORCING_TERMINAL}
    env.update({"NO_COLOR": "1", "TERM": "dumb", "COLUMNS": str(columns), "PYTHONIOENCODING": "utf-8"})
    return env


def corredor(*args: str | Path, timeout: float = 120, columns: int = 200) -> Outcome:
    """`python -m corredor.cli ARGS` from the repository root, in a terminal ``columns`` wide."""
    argv = tuple(str(a) for a in args)
    proc = subprocess.run(
        [sys.executable, "-m", "corredor.cli", *argv],
        cwd=ROOT,
        env=cli_env(columns),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )
    return Outcome(argv, proc.returncode, ANSI.sub("", proc.stdout), ANSI.sub("", proc.stderr))


def corredor_many(commands: dict[str, tuple[str | Path, ...]]) -> dict[str, Outcome]:
    """Run several commands concurrently (each one mostly pays the interpreter start-up); results by key."""
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {key: pool.submit(corredor, *args) for key, args in commands.items()}
    return {key: future.result() for key, future in futures.items()}

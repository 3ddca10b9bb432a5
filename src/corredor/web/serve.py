"""`corredor serve`: start the dashboard (FastAPI app under uvicorn) on 127.0.0.1:8000 by default."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


def _check_address(host: str, port: int) -> None:
    """Fail with a plain message, before printing the URL, when uvicorn could not listen on host:port: bind the
    socket uvicorn would (IPv6 for an address with ':', else IPv4) and name the cause."""
    import errno
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: only a listening socket blocks
        try:
            probe.bind((host, port))
        except socket.gaierror as error:
            _fail(f"--host: {host!r} -> cannot be resolved ({error.strerror})")
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                _fail(f"--port: {port} -> in use on {host} (another server?); pick another --port")
            if error.errno == errno.EACCES:
                _fail(f"--port: {port} -> not allowed for this user; pick one above 1023")
            _fail(f"--host: {host!r} -> cannot listen there ({error.strerror}); use an address of this machine")


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; keep 127.0.0.1 unless you mean to share it")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port", min=1, max=65535)] = 8000,
    store: Annotated[Path, typer.Option(help="Run store folder (created if missing)")] = Path("runs/web"),
    scenarios: Annotated[Path | None, typer.Option(help="Folder of scenarios the builder starts from")] = None,
    workers: Annotated[int, typer.Option(help="Runs executed at the same time", min=1, max=64)] = 2,
    max_queued: Annotated[int, typer.Option(help="Runs allowed to wait for a worker", min=0, max=1000)] = 8,
) -> None:
    """Serve the dashboard: build scenarios, run them in the background, see the corridor (open the printed URL)."""
    try:
        import uvicorn

        from corredor.web.app import Settings, create_app
    except ImportError as error:
        _fail(f"{error}; install the web extra: pip install 'corredor[web]'")
    if store.exists() and not store.is_dir():
        _fail(f"--store: {store} -> is a file; give a folder (it is created if missing)")
    if scenarios is not None and not scenarios.is_dir():
        _fail(f"--scenarios: {scenarios} -> no such folder")
    _check_address(host, port)
    settings = Settings(store=store, workers=workers, max_queued=max_queued)
    if scenarios is not None:
        settings.scenarios = scenarios
    shown = f"[{host}]" if ":" in host else host  # an IPv6 address in a URL goes in brackets
    typer.echo(f"corredor dashboard: http://{shown}:{port}/  (runs stored in {store.resolve()}; Ctrl-C stops)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")

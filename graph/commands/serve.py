"""``harmgraph serve`` and ``harmgraph load-bundled``: the service on the embedded store."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console

from graph.bundled import load_bundled
from graph.cli import StoreOption, app, open_store
from graph.settings import get_settings

console = Console(stderr=True, highlight=False, soft_wrap=True)


def _load(store: str | None, *, force: bool = False) -> None:
    settings = get_settings(store=store) if store else get_settings()
    with open_store(store) as st:
        report = load_bundled(
            st,
            settings,
            console=console,
            force=force,
            on_step=lambda kind: console.print(f"loading bundled {kind} data…"),
        )
        if not report.loaded:
            console.print(f"store {st.location} already holds data: bundled data not re-imported")
            return
        for summary in report.imports:
            console.print(
                f"  {summary.graph}: {summary.incidents_added} incident(s), "
                f"{summary.triples} triples"
            )
        console.print(f"store {st.location}: {st.count()} quads")


@app.command("load-bundled")
def load_bundled_command(
    force: Annotated[
        bool, typer.Option("--force", help="Load even if the store already holds data.")
    ] = False,
    store: StoreOption = None,
) -> None:
    """Load the bundled data (curated, AIID, TopAIThreats) into an empty store."""
    _load(store, force=force)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    store: StoreOption = None,
    load: Annotated[
        bool, typer.Option("--load/--no-load", help="Load the bundled data into an empty store.")
    ] = True,
) -> None:
    """Serve the web app (SPARQL endpoint, pages, dumps) under uvicorn."""
    import uvicorn

    if load:
        _load(store)
    if store:
        # The app builds its own settings from the environment (one source of truth).
        os.environ["HARMGRAPH_STORE"] = store
    console.print(f"harmgraph serving http://{host}:{port}/")
    uvicorn.run("api.main:create_app", factory=True, host=host, port=port)

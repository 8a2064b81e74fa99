"""Read the input kinds the CLI accepts into one rdflib graph.

``rdf`` files (any supported RDF format), an ``aiid`` snapshot folder and
``topaithreats`` incident pages. Everything is read and converted before
anything is written, so an error in any file leaves the store untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rdflib import Dataset, Graph
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graph import io
from graph.errors import BadRequest, NotFound

#: Input kind -> default named graph.
SOURCES: dict[str, str] = {"rdf": "curated", "aiid": "aiid", "topaithreats": "topaithreats"}


def _progress(console: Console | None) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=console is None,
    )


def read_source(
    kind: str,
    files: Sequence[Path],
    *,
    fmt: str | None = None,
    console: Console | None = None,
) -> tuple[Graph, str]:
    """Read ``files`` of input ``kind`` into one graph; return it and the default graph name.

    >>> read_source("csv", [])
    Traceback (most recent call last):
    ...
    graph.errors.BadRequest: unknown input kind 'csv'; use rdf, aiid or topaithreats
    """
    if kind not in SOURCES:
        raise BadRequest(
            f"unknown input kind {kind!r}; use {', '.join(SOURCES)}".replace(
                ", topaithreats", " or topaithreats"
            )
        )
    if not files:
        raise BadRequest("no input files given")
    for f in files:
        if not f.exists():
            raise NotFound(f"{f}: no such file or directory")
    if kind == "aiid":
        return _read_aiid(files, console), SOURCES[kind]
    if kind == "topaithreats":
        return _read_topaithreats(files, console), SOURCES[kind]
    return _read_rdf(files, fmt, console), SOURCES[kind]


def _read_rdf(files: Sequence[Path], fmt: str | None, console: Console | None) -> Graph:
    merged = Graph()
    with _progress(console) as bar:
        task = bar.add_task("parsing", total=len(files))
        for f in files:
            parsed = io.parse(f, fmt)
            triples = parsed.quads() if isinstance(parsed, Dataset) else parsed
            for t in triples:
                merged.add(t[:3])
            bar.advance(task)
    return merged


def _read_aiid(files: Sequence[Path], console: Console | None) -> Graph:
    from graph.importers import aiid

    if len(files) != 1 or not files[0].is_dir():
        raise BadRequest("--from aiid takes one snapshot folder (with incidents.csv)")
    with _progress(console) as bar:
        task = bar.add_task("AIID snapshot", total=None)

        def on_progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return aiid.load_snapshot(files[0], on_progress=on_progress)


def _read_topaithreats(files: Sequence[Path], console: Console | None) -> Graph:
    from graph.importers import topaithreats

    return topaithreats.import_pages(files)

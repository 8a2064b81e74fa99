"""``harmgraph import``, ``validate`` and ``export``: data in and out of the store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from graph import io
from graph.cli import StoreOption, app, open_store
from graph.errors import BadRequest, NotFound
from graph.ingest_fast import import_data, import_files
from graph.quality import quality_summary, validate_store
from graph.report import ValidationReport
from graph.settings import get_settings
from graph.sources import SOURCES, read_source
from graph.validation import get_validator

console = Console(stderr=True, highlight=False, soft_wrap=True)


@app.command("import")
def import_(
    files: Annotated[
        list[Path],
        typer.Argument(help="RDF files, an AIID snapshot folder, or TopAIThreats pages."),
    ],
    from_: Annotated[
        str, typer.Option("--from", help=f"Input kind: {', '.join(SOURCES)}.")
    ] = "rdf",
    fmt: Annotated[
        str | None, typer.Option("--format", help="RDF format (default: by file extension).")
    ] = None,
    graph: Annotated[
        str | None,
        typer.Option(
            "--graph",
            help="Named graph to write into (default: the "
            "input kind: curated, aiid or topaithreats).",
        ),
    ] = None,
    bulk: Annotated[
        bool,
        typer.Option(
            "--bulk",
            help="Write a first import into a graph with the bulk loader straight into the "
            "store: no copy of the store, but not all or nothing (a crash during the write "
            "can leave part of it).",
        ),
    ] = False,
    store: StoreOption = None,
) -> None:
    """Validate the incoming incidents against the shapes, then write all or nothing."""
    source = ", ".join(str(f) for f in files)
    validator = get_validator(get_settings())
    if from_ == "rdf":  # parsed by pyoxigraph straight into the fast path's staging store
        with open_store(store) as st:
            summary = import_files(
                st, files, fmt=fmt, graph_name=graph or SOURCES[from_], source=source,
                validator=validator, bulk=bulk,
            )  # fmt: skip
    else:
        data, default_graph = read_source(from_, files, fmt=fmt, console=console)
        with open_store(store) as st:
            summary = import_data(
                st, data, graph_name=graph or default_graph, source=source,
                validator=validator, bulk=bulk,
            )  # fmt: skip
    console.print(
        f"imported into graph [bold]{summary.graph}[/]: {summary.incidents_added} incident(s) "
        f"added, {summary.incidents_updated} updated, {summary.triples} triples"
    )


@app.command()
def validate(
    files: Annotated[list[Path] | None, typer.Argument(help="RDF files to check.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Validate the whole store.")] = False,
    from_: Annotated[str, typer.Option("--from", help="Input kind of FILES.")] = "rdf",
    fmt: Annotated[str | None, typer.Option("--in-format", help="RDF format of FILES.")] = None,
    out_format: Annotated[
        str, typer.Option("--format", help="Report format: text, turtle or json.")
    ] = "text",
    store: StoreOption = None,
) -> None:
    """Check incidents against the shapes; exit code 1 when there is a Violation."""
    if out_format not in ("text", "turtle", "json"):
        raise BadRequest(f"unknown report format {out_format!r}; use text, turtle or json")
    if bool(files) == all_:
        raise BadRequest("give FILE... or --all (not both)")
    validator = get_validator(get_settings())
    report: ValidationReport
    summary_text = ""
    if all_:
        with open_store(store) as st:
            report = validate_store(st, validator)
            summary_text = quality_summary(st, report).to_text()
    else:
        data, _ = read_source(from_, files or [], fmt=fmt, console=console)
        report = validator.validate(data)
    if out_format == "json":
        import json

        sys.stdout.write(json.dumps(report.to_json(), indent=2) + "\n")
    elif out_format == "turtle":
        sys.stdout.write(report.to_turtle())
    else:
        sys.stdout.write(report.to_text() + "\n")
        if summary_text:
            sys.stdout.write("\n" + summary_text)
    if not report.conforms:
        raise typer.Exit(1)


@app.command()
def export(
    fmt: Annotated[
        str, typer.Option("--format", help="turtle, ntriples, nquads, trig or jsonld.")
    ] = "nquads",
    graph: Annotated[
        str | None, typer.Option("--graph", help="Export only this named graph (name or IRI).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Export the whole store, or one named graph, streaming."""
    rdf_format = io.format_by_name(fmt)
    with open_store(store) as st:
        if graph is not None and io.graph_iri(graph) not in st.graphs():
            raise NotFound(f"no named graph {graph!r} in the store")
        if output is None:
            io.export(st, sys.stdout.buffer, rdf_format, graph=graph)
            sys.stdout.buffer.flush()
        else:
            with output.open("wb") as out:
                io.export(st, out, rdf_format, graph=graph)
            console.print(f"wrote {output}")

"""``harmgraph query`` and ``harmgraph stats``."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Annotated, BinaryIO, Literal

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.table import Table

from graph import queries
from graph.cli import StoreOption, app, open_store
from graph.errors import BadRequest, NotFound

QueryFormat = Literal["table", "csv", "tsv", "json", "xml"]
_RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}


def read_query(text: str) -> str:
    """The query text: the argument itself, or a file's content for ``@file.rq``.

    >>> read_query("ASK {}")
    'ASK {}'
    """
    if not text.startswith("@"):
        return text
    path = Path(text[1:])
    if not path.is_file():
        raise NotFound(f"{path}: no such query file")
    return path.read_text(encoding="utf-8")


def _term(term: object) -> str:
    if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
        return term.value
    return "" if term is None else str(term)


def _print_table(results: ox.QuerySolutions) -> int:
    table = Table(*[v.value for v in results.variables], show_lines=False)
    rows = 0
    for solution in results:
        table.add_row(*[_term(solution[v]) for v in results.variables])
        rows += 1
    Console(soft_wrap=True).print(table)
    Console(stderr=True).print(f"{rows} row(s)")
    return rows


@app.command()
def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query, or @file.rq to read one.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, csv, tsv, json or xml.")
    ] = "table",
    store: StoreOption = None,
) -> None:
    """Run a SPARQL query over the store (the default graph is the union of all graphs)."""
    if fmt not in ("table", *_RESULT_FORMATS):
        raise BadRequest(f"unknown result format {fmt!r}; use table, csv, tsv, json or xml")
    text = read_query(sparql)
    with open_store(store) as st:
        results = st.query(text)
        # Stream to the binary stdout; a text-only stdout (doctests) gets it decoded at the end.
        binary: BinaryIO | None = getattr(sys.stdout, "buffer", None)
        spare = io.BytesIO()
        out: BinaryIO = binary if binary is not None else spare
        if isinstance(results, ox.QueryBoolean):
            if fmt == "table":
                print("true" if bool(results) else "false")
            else:
                results.serialize(out, _RESULT_FORMATS[fmt])
        elif isinstance(results, ox.QueryTriples):
            results.serialize(out, ox.RdfFormat.TURTLE)
        elif fmt == "table":
            _print_table(results)
        else:
            results.serialize(out, _RESULT_FORMATS[fmt])
        out.flush()
        if binary is None:
            sys.stdout.write(spare.getvalue().decode("utf-8"))


@app.command()
def stats(store: StoreOption = None) -> None:
    """Say what the store holds: resources per kind, incidents per source, triples."""
    with open_store(store) as st:
        table = Table("what", "count", title=f"harmgraph store: {st.location}")
        for row in st.select(queries.STATS):
            table.add_row(_term(row["kind"]), _term(row["n"]))
        for row in st.select(queries.INCIDENTS_PER_GRAPH):
            table.add_row(f"incidents in {_term(row['g'])}", _term(row["n"]))
        table.add_row("triples", str(st.count()))
        Console().print(table)

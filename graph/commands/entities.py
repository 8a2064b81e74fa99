"""``harmgraph entities candidates``: likely duplicate actors for a curator to confirm."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graph.candidates import Candidate, find_candidates
from graph.cli import StoreOption, app, open_store
from graph.errors import BadRequest

entities_app = typer.Typer(
    help="Actors across sources: duplicates to confirm into data/registry.",
    no_args_is_help=True,
)
app.add_typer(entities_app, name="entities")

_FIELDS = ("score", "a", "label_a", "b", "label_b", "reason")


@entities_app.command()
def candidates(
    min_score: Annotated[
        float, typer.Option("--min-score", help="Lowest similarity listed (0 to 1).")
    ] = 0.85,
    limit: Annotated[int | None, typer.Option("--limit", help="List at most N pairs.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, csv or json.")] = "text",
    store: StoreOption = None,
) -> None:
    """List pairs of actors in the store that may be one actor, best first.

    Nothing is merged: confirm a pair by adding the other name as skos:altLabel (or its
    AIID slug as hg:aiidSlug) of the canonical entry in data/registry/actors.ttl, then
    re-import. See docs/entities.md.
    """
    if fmt not in ("text", "csv", "json"):
        raise BadRequest(f"unknown format {fmt!r}; use text, csv or json")
    if not 0 <= min_score <= 1:
        raise BadRequest("--min-score must be between 0 and 1")
    with open_store(store) as st:
        found = find_candidates(st, min_score=min_score, limit=limit)
    if fmt == "json":
        sys.stdout.write(json.dumps([c.as_row() for c in found], indent=2) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(c.as_row() for c in found)
    else:
        _print(found)


def _print(found: list[Candidate]) -> None:
    table = Table("score", "actor", "may be", "why")
    for c in found:
        table.add_row(f"{c.score:.2f}", f"{c.label_a}\n{c.a}", f"{c.label_b}\n{c.b}", c.reason)
    Console(soft_wrap=True).print(table)
    Console(stderr=True).print(f"{len(found)} candidate pair(s); none merged")

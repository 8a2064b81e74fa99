"""The ``harmgraph`` command line: import, validate, query, export and stats.

Errors are one line on stderr that says what is wrong and where
(``file:line:column``), with a non-zero exit code (2 for bad input, 1 for
SHACL violations); ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

try:  # typer >= 0.29 vendors click; older releases use click itself
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

from graph.errors import HarmgraphError, ShapeViolations
from graph.report import short
from graph.settings import get_settings
from graph.store import Store

app = typer.Typer(
    name="harmgraph",
    help="An open knowledge graph of AI incidents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Store directory, 'memory', or a SPARQL endpoint URL "
        "(default: HARMGRAPH_STORE, else a per-user data directory).",
        show_default=False,
    ),
]


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """An open knowledge graph of AI incidents."""


def _register_commands() -> None:
    # Imported for their side effect of adding commands to `app`; kept in
    # separate modules so each stays small.
    from graph.commands import data, entities, query, serve  # noqa: F401


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code.

    >>> main(["query", "--store", "memory", "ASK {}"])
    true
    0
    """
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    _register_commands()
    try:
        rc = app(args=args, prog_name="harmgraph", standalone_mode=False)
    except HarmgraphError as exc:
        if debug:
            raise
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True)
        if isinstance(exc, ShapeViolations):
            for result in exc.report.violations:
                where = short(result.incident) if result.incident is not None else "-"
                err_console.print(f"  {where}: {result.to_text()}", markup=False)
        return exc.exit_code
    except typer.Exit as exc:
        return int(exc.exit_code)
    except click_exceptions.ClickException as exc:
        if debug:
            raise
        exc.show()
        return exc.exit_code
    except typer.Abort:
        err_console.print("aborted")
        return 130
    return rc if isinstance(rc, int) else 0


def open_store(location: str | None) -> Store:
    """Open the store named on the command line, or the configured default."""
    settings = get_settings(store=location) if location else get_settings()
    return Store.open(settings.store_location)

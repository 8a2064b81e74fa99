"""Run one import exactly as ``harmgraph import`` does, saying when the write starts.

``python -m tests.reliability.crash_driver FILE STORE`` parses FILE, validates
it and calls :func:`graph.ingest.import_graph`; the only addition is the line
``WRITING`` on stdout right before the one transaction begins, so that a test can
aim its SIGKILL at the write itself rather than at parsing or validation.
"""

from __future__ import annotations

import sys
from pathlib import Path

from graph.ingest import import_graph
from graph.io import parse
from graph.settings import get_settings
from graph.store import Store
from graph.validation import get_validator


def main(argv: list[str]) -> int:
    """Import ``argv[0]`` into the store at ``argv[1]`` (graph ``syn``)."""
    source, location = Path(argv[0]), argv[1]
    data = parse(source)
    validator = get_validator(get_settings())
    with Store.open(location) as store:
        write = store.update

        def announced(sparql: str) -> None:
            print("WRITING", flush=True)
            write(sparql)

        store.update = announced  # type: ignore[method-assign]
        import_graph(store, data, graph_name="syn", source=source.name, validator=validator)
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

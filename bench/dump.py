"""Dump phase: streaming export of the whole store (:func:`graph.io.export`).

Run as a task in its own process so its peak RSS is its own; prints one JSON line:

    python -m bench.dump --store DIR --format nquads --out FILE

The caller compares it with ``oxigraph dump --location DIR --file FILE.nq`` (the native
anchor) and checks that peak memory stays flat as the store grows.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from graph import io
from graph.store import Store


def main(argv: list[str] | None = None) -> int:
    """Export the store at ``--store`` to ``--out``; print seconds and bytes."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--format", default="nquads")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    with Store.open(args.store) as store, args.out.open("wb") as out:
        start = time.perf_counter()
        io.export(store, out, args.format)
        seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "bytes": args.out.stat().st_size}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

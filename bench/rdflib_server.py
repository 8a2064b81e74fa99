"""rdflib-endpoint, restartable in a fraction of a second: parse once, serve from forks.

``rdflib-endpoint serve FILE`` parses the file into an rdflib ``Dataset`` and serves it
with uvicorn; it evaluates queries on its event loop, so a request abandoned at the
benchmark's time limit keeps it busy, and restarting it means parsing again (about 30 s
at 10,000 incidents). This launcher does what ``rdflib_endpoint.__main__.run_serve``
does — the same ``Dataset(default_union=True)``, the same ``SparqlEndpoint`` app — but
parses in a parent process that then forks the server: killing the serving child (what
:meth:`bench.endpoint.Server.restart` does) makes the parent fork a fresh one from the
parsed graph at once. The listening socket belongs to the parent, so no request is
refused in between.

    python -m bench.rdflib_server FILE --port 8000 [--report parsed.json]

With ``--report``, the parse is also the suite's rdflib load measurement: its seconds, the
triples and the process's peak memory (``VmHWM``) go to that file as JSON before the first
child is forked.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sys
import time
from pathlib import Path

import uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint


def _serve(graph: Dataset, sock: socket.socket) -> None:
    """The child: serve ``graph`` on the inherited socket until killed."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    uvicorn.run(SparqlEndpoint(graph=graph), fd=sock.fileno(), log_level="warning")
    os._exit(0)


def main(argv: list[str] | None = None) -> int:
    """Parse the file, listen, and keep one forked server child alive until terminated."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--report", type=Path, help="write the parse's seconds and peak here")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    graph = Dataset(default_union=True)
    graph.parse(args.file)
    if args.report:
        report = {"seconds": time.perf_counter() - start, "triples": len(graph)}
        report["peak_mb"] = _peak_mb()
        partial = args.report.with_suffix(".partial")
        partial.write_text(json.dumps(report))
        partial.rename(args.report)  # the reader never sees half a file
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(128)
    stopping = False
    child = 0

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        if child:
            os.kill(child, signal.SIGKILL)

    signal.signal(signal.SIGTERM, stop)
    while not stopping:
        child = os.fork()
        if child == 0:
            _serve(graph, sock)
        os.waitpid(child, 0)
    return 0


def _peak_mb() -> float:
    status = Path("/proc/self/status").read_text()
    hwm = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
    return int(hwm) / 1024


if __name__ == "__main__":
    sys.exit(main())

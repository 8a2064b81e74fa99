"""Fixtures for API tests: a real uvicorn server on 127.0.0.1, polled until it answers.

``serve(app)`` starts ``app`` under uvicorn in a thread on a free port (the test
binds the socket itself, so no port race) and returns its base URL; the server
stops (and runs the app's shutdown) when the test ends; ``serving()`` does the same
for a ``with`` block (apps kept for a module).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

Serve = Callable[[FastAPI], str]


def _wait_until_up(base: str, deadline: float) -> None:
    while True:
        try:
            if httpx.get(f"{base}/-/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.01)  # polling interval, not synchronisation: the loop checks the server


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Start apps under uvicorn on 127.0.0.1; stop them after the test."""
    with serving() as start:
        yield start


@contextmanager
def serving() -> Iterator[Serve]:
    """Start apps under uvicorn on 127.0.0.1; stop them on leaving the block."""
    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(app: FastAPI) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan="on")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        running.append((server, thread))
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, time.monotonic() + 20)
        return base

    try:
        yield start
    finally:
        for server, thread in running:
            server.should_exit = True
            thread.join(timeout=20)

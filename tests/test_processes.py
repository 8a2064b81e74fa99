"""Servers started through tests/processes.py die with the process that started them.

A "pytest" stand-in (a Python process started here) starts a real ``oxigraph serve``
through :class:`tests.backends.OxigraphServer`, or a child in its own session as the
reliability tests' uvicorn is, prints the child's pid and waits; the test SIGKILLs the
stand-in, which runs no teardown, and the child must exit by itself.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from tests.processes import popen

ROOT = Path(__file__).parent.parent

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux's")


def _dead_within(child: psutil.Process, seconds: float) -> bool:
    """Whether ``child`` exits within ``seconds`` (a zombie has: the machine's init reaps
    orphans only every few seconds)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if child.status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.01)  # polling the process table, not synchronisation
    return False


OXIGRAPH = (
    "from tests.backends import OxigraphServer\n"
    "server = OxigraphServer()\n"
    "print(server.process.pid, flush=True)\n"
    "server.process.wait()\n"
)
OWN_SESSION = (
    "import sys\n"
    "from tests.processes import popen\n"
    "child = popen([sys.executable, '-c', 'import time; time.sleep(600)'],"
    " start_new_session=True)\n"
    "print(child.pid, flush=True)\n"
    "child.wait()\n"
)


@pytest.mark.parametrize("script", [OXIGRAPH, OWN_SESSION], ids=["oxigraph-serve", "own-session"])
def test_a_server_dies_when_the_process_that_started_it_is_killed(script: str) -> None:
    parent = popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        child = psutil.Process(int(parent.stdout.readline()))
        assert child.is_running() and child.ppid() == parent.pid
    finally:
        parent.kill()
        parent.wait()
    assert _dead_within(child, 30), "the server outlived the process that started it"


def test_a_server_outlives_its_parent_without_the_helper() -> None:
    # The control: the same stand-in with plain Popen leaves its child running.
    script = OWN_SESSION.replace(
        "from tests.processes import popen", "from subprocess import Popen as popen"
    )
    parent = popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = psutil.Process(int(parent.stdout.readline()))
    parent.kill()
    parent.wait()
    try:
        assert not _dead_within(child, 1)
    finally:
        child.kill()


def test_only_the_main_thread_starts_servers() -> None:
    # A child of another thread would be killed when that thread ends, not with pytest.
    errors: list[BaseException] = []

    def start() -> None:
        try:
            popen([sys.executable, "-c", "pass"])
        except RuntimeError as error:
            errors.append(error)

    thread = threading.Thread(target=start)
    thread.start()
    thread.join()
    assert len(errors) == 1 and "main thread" in str(errors[0])

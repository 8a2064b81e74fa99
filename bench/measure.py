"""Measuring one command: wall time and peak memory of exactly that process.

:func:`run` starts the command and samples its ``VmHWM`` until it exits (see
:func:`_peak` for why not ``RUSAGE_CHILDREN`` or ``wait4``). Servers are
measured by :func:`tree_rss_mb`, the resident memory of a process and its children
(harmgraph's query workers are child processes).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

#: The repository root; commands run from here so ``python -m bench…`` and ``api`` import.
ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent


@dataclass(frozen=True)
class Measured:
    """One finished command."""

    seconds: float
    #: Peak resident set size of the process, MiB.
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str

    def json_line(self) -> dict[str, object]:
        """The last stdout line parsed as JSON (what ``bench`` task commands print)."""
        lines = [line for line in self.stdout.splitlines() if line.strip()]
        if self.returncode != 0 or not lines:
            raise RuntimeError(f"command failed ({self.returncode}): {self.stderr[-2000:]}")
        result: dict[str, object] = json.loads(lines[-1])
        return result


def run(cmd: list[str], *, env: dict[str, str] | None = None, timeout: float = 3600) -> Measured:
    """Run ``cmd`` to completion; its wall time and its own peak RSS (see :func:`_peak`)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env=env)
        deadline, peak = start + timeout, 0.0
        while True:
            peak = max(peak, _peak(proc.pid))
            pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, _ = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)  # the sampling interval of the memory probe
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    return Measured(seconds, peak, proc.returncode, stdout, stderr)


def _peak(pid: int) -> float:
    """Peak RSS so far of a process (``VmHWM``), or its tree's current RSS if larger; MiB.

    ``ru_maxrss`` from ``wait4``/``getrusage`` is unusable here: Linux folds the parent's
    high-water mark into the child's at ``exec``, so every child would report at least the
    benchmark driver's own size. ``VmHWM`` belongs to the post-``exec`` address space only;
    the driver samples it every 10 ms until the process exits (the peak is monotonic, so
    only growth in the last interval can be missed).
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    hwm = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")), "0")
    return max(int(hwm) / 1024, tree_rss_mb(pid))


def python(module: str, *args: str, timeout: float = 3600) -> Measured:
    """Run ``python -m module args`` from the repository root (see :func:`run`)."""
    return run([PYTHON, "-m", module, *args], timeout=timeout)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 600) -> float:
    """Poll ``url`` until it answers 200; seconds waited."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return time.perf_counter() - start
        except httpx.TransportError:
            pass
        time.sleep(0.2)  # polling interval of a readiness probe, not synchronisation
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, MiB."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 2**20

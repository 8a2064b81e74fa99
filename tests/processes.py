"""Server processes started by tests die with the test run (Linux ``PR_SET_PDEATHSIG``).

A test that starts a server (``oxigraph serve``, ``virtuoso-t``, the service under
uvicorn) stops it in its teardown; a pytest that is killed (SIGKILL, the OOM killer, a
CI timeout, a pytest-xdist worker that crashed) runs no teardown, and its servers used
to outlive it, holding ports, memory and CPU. :func:`popen` starts a child that asks
the kernel, before it runs the command, to SIGKILL it when its parent dies.

``PR_SET_PDEATHSIG`` fires when the *thread* that started the child ends, not the
process: a server started from a short-lived thread would be killed with that thread.
:func:`popen` therefore only starts children from the main thread, which lives as long
as pytest (pytest runs fixtures and tests in it, and so do pytest-xdist workers since
3.6). The setting survives ``execve`` (not for set-user-ID programs, which no test
starts) and is kept by ``start_new_session`` (``setsid`` does not touch it).

Off Linux there is no ``prctl``: :func:`popen` is then plain :class:`subprocess.Popen`.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

PR_SET_PDEATHSIG = 1
_SIGKILL = int(signal.SIGKILL)

# Resolved here, in the parent: between fork and exec the child only calls it (no
# dlopen, no import, nothing that could wait for a lock another thread held at fork).
_prctl: Any = None
if sys.platform == "linux":
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
    _prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    _prctl.restype = ctypes.c_int


def _die_with(parent: int) -> Callable[[], None]:
    """The ``preexec_fn`` that makes the child die with ``parent`` (its starting thread)."""

    def preexec() -> None:
        if _prctl(PR_SET_PDEATHSIG, _SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
        if os.getppid() != parent:  # the parent died before the prctl: no signal will come
            os.kill(os.getpid(), signal.SIGKILL)

    return preexec


def popen(command: list[str], **kwargs: Any) -> subprocess.Popen[Any]:
    """:class:`subprocess.Popen` whose child is SIGKILLed when this process dies.

    Takes Popen's arguments (``start_new_session`` too) except ``preexec_fn``.

    >>> child = popen(["sleep", "30"])
    >>> child.terminate(); child.wait()
    -15
    """
    if _prctl is None:
        return subprocess.Popen(command, **kwargs)  # noqa: S603 - the caller's command
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError(
            "start test servers from the main thread: PR_SET_PDEATHSIG would kill the child "
            "when this thread ends"
        )
    return subprocess.Popen(command, preexec_fn=_die_with(os.getpid()), **kwargs)  # noqa: S603 - the caller's command

"""A full disk, a file-size limit or a read-only store path: a clear error, nothing corrupted.

A store that already holds synthetic incidents receives a larger import (CLI or
``POST /incidents``) that cannot be written. The import must fail with a one-line
error naming the store and the cause (CLI, exit 1) or a 503 problem document
(HTTP), and the store must reopen holding exactly what it held before. The disk
is filled for real on a small tmpfs (needs ``mount``; skipped where it is not
allowed) and simulated everywhere with ``RLIMIT_FSIZE`` (SIGXFSZ ignored, so the
write fails with EFBIG instead of killing the process).

Embedded only: the disk that fills up is the embedded store's (a server's disk is
the server's, whose answer the remote store reports as 502, tests/graph/test_remote.py).
"""

from __future__ import annotations

import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph.errors import StoreError
from graph.ingest import import_graph
from graph.io import parse
from graph.settings import PROJECT_ROOT
from graph.store import Store
from graph.validation import get_validator
from tests.reliability import servers
from tests.reliability.stores import snapshot, synthetic_files

pytestmark = pytest.mark.slow

#: Free bytes left on the tmpfs: room to open the store, not to write the import.
FREE_BYTES = 256 * 1024


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A store directory holding 60 synthetic incidents, and a 120-incident import file."""
    folder = tmp_path_factory.mktemp("disk")
    base, source = synthetic_files(folder, total=120, base=60)
    location = folder / "store"
    with Store.open(location) as store:
        import_graph(store, parse(base), graph_name="syn", source="base", validator=get_validator())
    return location, source


def _mount(target: Path, options: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True
    )
    return done.returncode == 0


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """An 8 MB tmpfs, unmounted afterwards; the test is skipped where mount is refused."""
    target = tmp_path / "tmpfs"
    if shutil.which("mount") is None or not _mount(target, "size=8m"):
        pytest.skip("cannot mount a tmpfs here (not root, or no mount namespace)")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)


def _fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` with one file until ``leave`` bytes are free; return the file."""
    usage = shutil.disk_usage(disk)
    filler = disk / "filler"
    with filler.open("wb") as out:
        out.truncate(0)
        out.write(b"\0" * max(usage.free - leave, 0))
    return filler


def _import(source: Path, store: Path, **popen: object) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "graph", "import", str(source), "--graph", "syn"]
    return subprocess.run(
        [*command, "--store", str(store)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        **popen,  # type: ignore[call-overload]
    )


def _assert_clear_error(done: subprocess.CompletedProcess[str], cause: str) -> None:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().startswith("error: store "), done.stderr
    assert cause in done.stderr, done.stderr


def test_an_import_onto_a_full_disk_fails_clearly_and_keeps_the_store(
    data: tuple[Path, Path], tiny_disk: Path
) -> None:
    location, source = data
    store = tiny_disk / "store"
    shutil.copytree(location, store)
    before = snapshot(store)
    filler = _fill(tiny_disk, FREE_BYTES)
    _assert_clear_error(_import(source, store), "No space left on device")
    with pytest.raises(StoreError, match="No space left on device"):
        Store.open(store)  # still full: opening for writing is refused, clearly
    filler.unlink()  # space again: the store holds what it held, and takes the import
    assert snapshot(store) == before
    done = _import(source, store)
    assert done.returncode == 0, done.stderr
    assert snapshot(store).data_quads > before.data_quads


def _limit_file_size(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_an_import_past_a_file_size_limit_fails_clearly_and_keeps_the_store(
    data: tuple[Path, Path], tmp_path: Path
) -> None:
    location, source = data
    store = tmp_path / "store"
    shutil.copytree(location, store)
    before = snapshot(store)
    done = _import(source, store, preexec_fn=lambda: _limit_file_size(FREE_BYTES))
    _assert_clear_error(done, "File too large")
    assert snapshot(store) == before


def test_a_read_only_store_path_fails_clearly_and_keeps_the_store(
    data: tuple[Path, Path], tiny_disk: Path
) -> None:
    location, source = data
    store = tiny_disk / "store"
    shutil.copytree(location, store)
    before = snapshot(store)
    remounted = subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], capture_output=True)
    assert remounted.returncode == 0, remounted.stderr
    done = _import(source, store)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "Read-only file system" in done.stderr, done.stderr
    subprocess.run(["mount", "-o", "remount,rw", str(tiny_disk)], check=True)
    assert snapshot(store) == before


def test_a_post_onto_a_full_disk_is_a_503_problem_and_keeps_the_store(
    data: tuple[Path, Path], tiny_disk: Path, tmp_path: Path
) -> None:
    location, source = data
    store = tiny_disk / "store"
    shutil.copytree(location, store)
    before = snapshot(store)
    server = servers.start(store, tmp_path / "server.log")
    try:
        filler = _fill(tiny_disk, FREE_BYTES)
        headers = {
            "Authorization": f"Bearer {servers.TOKEN}",
            "Content-Type": "application/n-triples",
        }
        url = f"{server.base}/incidents?graph=syn"
        response = httpx.post(url, content=source.read_bytes(), headers=headers, timeout=120)
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["title"] == "Store unavailable"
        assert "No space left on device" in problem["detail"]
        assert "Traceback" not in response.text
        assert httpx.get(f"{server.base}/-/health", timeout=10).status_code == 200
        filler.unlink()
        # RocksDB keeps a failed write's error until the store is reopened: writes stay
        # refused (503, same message) while reads go on, until the service restarts.
        again = httpx.post(url, content=source.read_bytes(), headers=headers, timeout=120)
        print(f"POST once space came back, before a restart: {again.status_code}")
        assert httpx.get(f"{server.base}/sparql?query=ASK{{}}", timeout=10).status_code == 200
    finally:
        server.stop()
    assert again.status_code in (201, 503)
    if again.status_code == 503:
        assert snapshot(store) == before
    server = servers.start(store, tmp_path / "server.log")
    try:
        url = f"{server.base}/incidents?graph=syn"
        retried = httpx.post(url, content=source.read_bytes(), headers=headers, timeout=120)
        assert retried.status_code == 201, retried.text
    finally:
        server.stop()

"""A first import written all or nothing at the bulk loader's speed: into a copy, swapped in.

pyoxigraph 0.5 writes atomically only through a transaction (``Store.extend``, ``load``,
``update``), which holds every change in memory until the commit and grows faster than
the data (about 4x ``oxigraph load`` at 10,000 incidents, 13x at 100,000); its bulk loader
writes sorted files straight into the database, as ``oxigraph load`` does, but the data
becomes visible piece by piece. :func:`swap_in` gets both for an on-disk store:

1. a RocksDB checkpoint of the store (:meth:`pyoxigraph.Store.backup`) is made next to it:
   hard links to its immutable files, cheap whatever the store's size;
2. the staged quads and their provenance are bulk-loaded into that copy, which is
   flushed and closed;
3. the store is closed, its directory and the copy's are exchanged by one
   ``renameat2(RENAME_EXCHANGE)`` (atomic on Linux: the store's path names the old
   content or the new one, never neither, whatever happens), the store is reopened and
   the old content removed.

Until the exchange nothing of the store has changed: a failure (a full disk, an error of
the loader) removes the copy and the store is as it was. No other process may write the
store meanwhile (the store's lock says it is ours); a reader that opened it read-only
keeps the files it has open (pyoxigraph calls reading a store that another process
writes undefined behaviour, whichever way it is written). Where the exchange is not
possible (a store in memory, no ``renameat2``, a file system without it, a parent
directory we cannot write), :func:`swap_in` returns False and writes nothing, and the
caller writes one transaction instead.

>>> swap_in(Store.open("memory"), ox.Store(), ox.NamedNode("urn:g"), [])
False
"""

from __future__ import annotations

import ctypes
import gc
import os
import secrets
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox

from graph.remote import RemoteStore
from graph.store import Store

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def swap_in(store: Store, staged: ox.Store, graph: ox.NamedNode, meta: Sequence[ox.Quad]) -> bool:
    """Add ``graph`` of ``staged`` and the quads ``meta`` to ``store`` in one step.

    Returns False (nothing written) when the store cannot be swapped; the caller then
    writes a transaction.

    Raises:
        StoreError: the store could not be reopened.
    """
    exchange = _renameat2()
    if exchange is None or isinstance(store, RemoteStore) or store.location == "memory":
        return False
    path = Path(store.location)
    copy = path.parent / f".{path.name}.import-{secrets.token_hex(4)}"
    try:
        store.ox.backup(str(copy))
        target = ox.Store(str(copy))
        body = staged.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
        target.bulk_load(body, ox.RdfFormat.N_TRIPLES, to_graph=graph)
        del body
        target.extend(meta)
        target.flush()
        # Compact before it is swapped in: the bulk loader leaves many table files, and a
        # read-only view (the query workers') reads them uncompacted, 15-20% slower at 1k
        # incidents and up to 2x at 100k (docs/performance.md).
        target.optimize()
        del target
    except OSError:
        shutil.rmtree(copy, ignore_errors=True)
        return False
    store.close()
    try:
        _released(path)
        exchange(copy, path)
    except OSError:
        shutil.rmtree(copy, ignore_errors=True)
        store.reopen()
        return False
    _sync(path.parent)
    store.reopen()
    shutil.rmtree(copy, ignore_errors=True)  # the old content
    return True


def _released(path: Path) -> None:
    """Raise OSError unless no handle of this process holds the store at ``path`` open
    (RocksDB refuses a second one): files must not be exchanged under an open database."""
    try:
        probe = ox.Store(str(path))
    except OSError:
        gc.collect()  # a handle kept only by a reference cycle
        probe = ox.Store(str(path))
    del probe


def _renameat2() -> Callable[[Path, Path], None] | None:
    """The atomic exchange of two paths, if the C library has ``renameat2``."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None

    def exchange(a: Path, b: Path) -> None:
        if function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE):
            errno = ctypes.get_errno()
            raise OSError(errno, os.strerror(errno), str(a), None, str(b))

    return exchange


def _sync(directory: Path) -> None:
    """Make the exchange durable (the directory's entries on disk)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

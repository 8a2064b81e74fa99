"""graph/versions.py: store versions change with every recorded change, and persist."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from graph.store import Store
from graph.versions import UPDATE_ACTIVITY, change_record, store_version
from tests.backends import fresh_store

A = "<http://example.org/a> <http://example.org/p>"
#: The tests on a fresh store run on each backend (tests/backends.py).
ON_EACH_BACKEND = pytest.mark.usefixtures("backend")


@ON_EACH_BACKEND
def test_a_swap_with_its_record_changes_the_tag_but_not_the_quad_count() -> None:
    store = fresh_store()
    store.update(f"INSERT DATA {{ {A} 1 }}")
    store.update(change_record())
    before = store_version(store)
    store.update(f"DELETE DATA {{ {A} 1 }} ; INSERT DATA {{ {A} 2 }} ;\n" + change_record())
    after = store_version(store)
    assert after.quads == before.quads
    assert (after.revision, before.revision) == (2, 1)
    assert after.tag != before.tag


@ON_EACH_BACKEND
def test_the_record_sets_the_end_time_it_is_given() -> None:
    store = fresh_store()
    moment = datetime(2030, 1, 2, 3, 4, 5, 600_000, tzinfo=UTC)
    store.update(change_record(moment))
    assert store_version(store).last_import == moment
    later = datetime(2030, 1, 2, 3, 4, 6, tzinfo=UTC)
    store.update(change_record(later))
    assert store_version(store).last_import == later
    assert len(list(store.quads(UPDATE_ACTIVITY))) == 4  # one activity, its values replaced


def test_the_version_survives_a_restart(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "store"))
    store.update(f"INSERT DATA {{ {A} 1 }} ;\n" + change_record())
    version = store_version(store)
    store.close()
    reopened = Store.open(str(tmp_path / "store"))
    try:
        assert store_version(reopened) == version
        assert version.revision == 1
    finally:
        reopened.close()


@ON_EACH_BACKEND
def test_a_store_without_records_keeps_its_former_tag() -> None:
    # Tags of stores that never saw an update are unchanged by the revision field.
    assert store_version(fresh_store()).tag == "ef12efbd765f9ad308460dc1"
